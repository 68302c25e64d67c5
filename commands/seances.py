"""``exploc seances``: CCAPEX sessions — create them, put ménages on the ordre du jour, look at them."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

import typer
from rich.table import Table

from exploc_cli.normalize.dates import format_date_fr
from exploc_cli.parcours.alerts import euros
from exploc_cli.seances.overview import SessionOverview, load_session
from exploc_cli.seances.records import SeanceRecord, list_seances
from exploc_cli.seances.referentiel import Referentiel, load_referentiel
from exploc_cli.seances.selection import SELECTIONS, Criteria
from exploc_cli.seances.service import AddReport, add_menages, create_seance, remove_menage

from . import seances_documents
from ._console import console, print_json
from ._errors import domain_errors
from ._options import (
    AlerteOption,
    BailleurOption,
    CommuneOption,
    DepartementOption,
    DetteMaxOption,
    DetteMinOption,
    EtapeOption,
    JsonOption,
    ParcOption,
    ServiceOption,
    build_filters,
    parse_date_option,
)
from ._state import command_line, state

app = typer.Typer(
    help="Séances de la CCAPEX : ordre du jour, dossiers Word, décisions et leur suivi.", no_args_is_help=True
)
seances_documents.register(app)

SeanceArg = Annotated[int, typer.Argument(metavar="SEANCE", help="Numéro de la séance (exploc seances lister).")]


@app.command("creer")
def creer(
    ctx: typer.Context,
    date_seance: Annotated[str, typer.Option("--date", help="Date de la séance (JJ/MM/AAAA).")],
    instance: Annotated[
        str, typer.Option("--instance", help="« CCAPEX centrale » ou « CCAPEX locale <nom> ».")
    ] = "CCAPEX centrale",
    lieu: Annotated[str | None, typer.Option("--lieu", help="Lieu de la séance.")] = None,
    heure: Annotated[str | None, typer.Option("--heure", help="Heure de début (14:00, 14h30).")] = None,
    json_output: JsonOption = False,
) -> None:
    """Créer une séance de la CCAPEX centrale ou d'une CCAPEX locale.

    Exemples :
      exploc seances creer --date 15/12/2025 --instance "CCAPEX centrale" --lieu "Préfecture, salle 2" --heure 14h
      exploc seances creer --date 08/01/2026 --instance "CCAPEX locale Bresse" --json
    """
    app_state = state(ctx)
    day = parse_date_option(date_seance, "--date")
    assert day is not None
    with domain_errors():
        seance = create_seance(
            app_state.engine(), day, instance, lieu=lieu, heure=heure, command_line=command_line(ctx)
        )
    if json_output:
        print_json(seance_json(seance))
    elif not app_state.quiet:
        console.print(f"Séance n° {seance.id} créée : {seance.title}.", markup=False)


@app.command("ajouter")
def ajouter(
    ctx: typer.Context,
    seance: SeanceArg,
    menages: Annotated[list[int] | None, typer.Argument(metavar="[MENAGE]...", help="Numéros de ménages.")] = None,
    selection: Annotated[
        str | None,
        typer.Option("--selection", help="« reexamen » : les ménages dont le réexamen est dû à la date de la séance."),
    ] = None,
    etape: EtapeOption = None,
    alerte: AlerteOption = None,
    commune: CommuneOption = None,
    bailleur: BailleurOption = None,
    parc: ParcOption = None,
    dette_min: DetteMinOption = None,
    dette_max: DetteMaxOption = None,
    service: ServiceOption = None,
    departement: DepartementOption = None,
    non_examine: Annotated[
        int | None,
        typer.Option("--non-examine-depuis", min=1, help="Écarter les ménages examinés dans les N derniers mois."),
    ] = None,
    limite: Annotated[
        int | None, typer.Option("--limite", min=1, help="Nombre de ménages sélectionnés au plus.")
    ] = None,
    motif: Annotated[str | None, typer.Option("--motif", help="Motif d'inscription (sinon : étape et dette).")] = None,
    simulation: Annotated[bool, typer.Option("--simulation", help="Montrer la sélection sans rien inscrire.")] = False,
    json_output: JsonOption = False,
) -> None:
    """Inscrire des ménages à l'ordre du jour : par numéro, ou par critères.

    Les critères se combinent (et) : étape actuelle, alerte, commune, bailleur, parc, dette,
    service ou unité, réexamen dû, ménages non examinés depuis N mois. Les ménages sélectionnés
    sont classés par étape la plus avancée puis par dette ; chacun reçoit un motif d'inscription.

    Exemples :
      exploc seances ajouter 3 42 57 --motif "Signalé par le bailleur"
      exploc seances ajouter 3 --selection reexamen
      exploc seances ajouter 3 --etape cql --alerte inconnu_social --non-examine-depuis 6 --simulation
      exploc seances ajouter 3 --service MDS-BOURG --dette-min 5000 --limite 20
    """
    app_state = state(ctx)
    if selection is not None and selection.strip().lower().replace("é", "e") not in SELECTIONS:
        raise typer.BadParameter(f"« {selection} » : seule la sélection « reexamen » existe.", param_hint="--selection")
    with domain_errors():
        filters = build_filters(
            etape=etape, alerte=alerte, commune=commune, bailleur=bailleur, parc=parc, dette_min=dette_min,
            dette_max=dette_max, service=service, departement=departement,
        )  # fmt: skip
        criteria = Criteria(filters, reexamen=selection is not None, non_examine_mois=non_examine, limite=limite)
        if not menages and not criteria.any:
            raise typer.BadParameter("donnez des numéros de ménages ou des critères de sélection.")
        report = add_menages(
            app_state.engine(),
            seance,
            menages or [],
            criteria,
            motif=motif,
            today=date.today(),
            settings=app_state.settings,
            command_line=command_line(ctx),
            simulation=simulation,
        )
    if json_output:
        print_json(report.to_json())
        return
    if not app_state.quiet:
        _print_added(report)


def _print_added(report: AddReport) -> None:
    for typed, current in report.redirected.items():
        console.print(f"Le ménage n° {typed} a été réuni au ménage n° {current} : c'est lui qui est inscrit.")
    if report.added:
        table = Table("N°", "Ménage", "Motif d'inscription", title=report.seance.title, title_justify="left")
        for rang, menage, why in report.added:
            table.add_row(str(rang), str(menage), why)
        console.print(table)
    if report.already:
        console.print("Déjà inscrit(s) : " + ", ".join(str(m) for m in report.already) + ".", markup=False)
    verb = "seraient inscrits (simulation : rien n'est enregistré)" if report.simulation else "inscrit(s)"
    console.print(f"{len(report.added)} ménage(s) {verb} à la séance n° {report.seance.id}.", markup=False)


@app.command("retirer")
def retirer(
    ctx: typer.Context,
    seance: SeanceArg,
    menage: Annotated[int, typer.Argument(metavar="MENAGE", help="Numéro du ménage à retirer.")],
) -> None:
    """Retirer un ménage de l'ordre du jour (les rangs suivants se resserrent).

    Exemple : exploc seances retirer 3 42
    """
    app_state = state(ctx)
    with domain_errors():
        removed = remove_menage(app_state.engine(), seance, menage, command_line=command_line(ctx))
    if not app_state.quiet:
        console.print(f"Ménage n° {removed} retiré de la séance n° {seance}.", markup=False)


@app.command("lister")
def lister(
    ctx: typer.Context,
    du: Annotated[str | None, typer.Option("--du", help="Séances depuis cette date (JJ/MM/AAAA).")] = None,
    au: Annotated[str | None, typer.Option("--au", help="Séances jusqu'à cette date (JJ/MM/AAAA).")] = None,
    json_output: JsonOption = False,
) -> None:
    """Lister les séances, la plus récente d'abord, avec leur nombre de ménages et d'avis.

    Exemples :
      exploc seances lister
      exploc seances lister --du 01/01/2026 --json
    """
    app_state = state(ctx)
    with domain_errors(), app_state.engine().connect() as connection:
        seances = list_seances(connection, du=parse_date_option(du, "--du"), au=parse_date_option(au, "--au"))
    if json_output:
        print_json([seance_json(s) for s in seances])
        return
    if not seances:
        console.print("Aucune séance (exploc seances creer).")
        return
    table = Table("N°", "Date", "Instance", "Lieu", "Ménages", "Avis")
    for s in seances:
        table.add_row(
            str(s.id), format_date_fr(s.date), s.instance, s.lieu or "", str(s.nombre_menages), str(s.nombre_avis)
        )
    console.print(table)


@app.command("afficher")
def afficher(ctx: typer.Context, seance: SeanceArg, json_output: JsonOption = False) -> None:
    """Afficher une séance : l'ordre du jour, le motif de chaque inscription, les avis et préconisations.

    Exemples :
      exploc seances afficher 3
      exploc seances afficher 3 --json
    """
    app_state = state(ctx)
    with domain_errors(), app_state.engine().connect() as connection:
        overview = load_session(connection, seance, date.today(), app_state.settings)
        referentiel = load_referentiel(app_state.config_file.parent)
    if json_output:
        print_json(overview_json(overview, referentiel))
        return
    s = overview.seance
    where = f", {s.lieu}" if s.lieu else ""
    hour = f" à {s.heure}" if s.heure else ""
    console.print(f"Séance n° {s.id} : {s.title}{hour}{where}", markup=False)
    if not overview.lines:
        console.print("Aucun ménage inscrit (exploc seances ajouter).")
        return
    table = Table("N°", "Ménage", "Titulaire", "Commune", "Étape", "Dette", "Motif", "Avis", "Préco.")
    for line in overview.lines:
        table.add_row(
            str(line.inscription.rang),
            str(line.parcours.menage_id),
            line.titulaire,
            line.parcours.timeline.household.commune or "",
            line.stage_label,
            euros(line.last_debt) if line.last_debt is not None else "",
            line.inscription.motif,
            referentiel.avis_label(line.inscription.avis) if line.inscription.avis else "",
            str(len(line.preconisations)) if line.preconisations else "",
        )
    console.print(table)
    decided = sum(1 for line in overview.lines if line.inscription.avis)
    console.print(f"{len(overview.lines)} ménage(s), {decided} avis enregistré(s).", markup=False)


def seance_json(seance: SeanceRecord) -> dict[str, Any]:
    return {
        "seance": seance.id,
        "date": seance.date.isoformat(),
        "instance": seance.instance,
        "lieu": seance.lieu,
        "heure": seance.heure,
        "menages": seance.nombre_menages,
        "avis": seance.nombre_avis,
    }


def overview_json(overview: SessionOverview, referentiel: Referentiel) -> dict[str, Any]:
    return {
        **seance_json(overview.seance),
        "ordre_du_jour": [
            {
                "rang": line.inscription.rang,
                "menage": line.parcours.menage_id,
                "inscrit_sous": line.inscription.menage_id,
                "titulaire": line.titulaire,
                "commune": line.parcours.timeline.household.commune,
                "etape": line.parcours.timeline.current_episode.stage
                if line.parcours.timeline.current_episode
                else None,
                "dette": round(line.last_debt / 100, 2) if line.last_debt is not None else None,
                "motif": line.inscription.motif,
                "avis": line.inscription.avis,
                "avis_libelle": referentiel.avis_label(line.inscription.avis) if line.inscription.avis else None,
                "avis_texte": line.inscription.avis_texte,
                "reexamen": line.inscription.reexamen.isoformat() if line.inscription.reexamen else None,
                "preconisations": [
                    {
                        "id": p.id,
                        "numero": p.numero,
                        "destinataire": p.destinataire,
                        "type": p.type,
                        "libelle": referentiel.preconisation_label(p.type),
                        "texte": p.texte,
                        "echeance": p.echeance.isoformat() if p.echeance else None,
                        "statut": p.statut,
                    }
                    for p in line.preconisations
                ],
            }
            for line in overview.lines
        ],
    }
