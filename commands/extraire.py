"""``exploc extraire``: a nominative extraction for a partner; ``exploc journal``: the audit journal."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer
from rich.table import Table

from exploc_cli.audit import read_journal
from exploc_cli.extractions.columns import DEFAULT_PROFILE
from exploc_cli.extractions.service import ExtractionRequest, extract

from ._console import console, print_json
from ._errors import domain_errors
from ._options import (
    AlerteOption,
    AuOption,
    BailleurOption,
    CommuneOption,
    DepartementOption,
    DetteMaxOption,
    DetteMinOption,
    DuOption,
    EtapeOption,
    JsonOption,
    OutputOption,
    ParcOption,
    ServiceOption,
    StatutOption,
    build_filters,
    parse_date_option,
)
from ._password import ChiffrerOption, PasswordFileOption, password_for
from ._state import command_line, state


def extraire(
    ctx: typer.Context,
    sortie: OutputOption,
    motif: Annotated[str, typer.Option("--motif", help="Pourquoi cette extraction, et pour qui (obligatoire).")],
    colonnes: Annotated[
        str,
        typer.Option(
            "--colonnes",
            help="Profil de colonnes : service-social, bailleur, prefecture, complet, "
            "ou un profil de la configuration.",
        ),
    ] = DEFAULT_PROFILE,
    service: ServiceOption = None,
    departement: DepartementOption = None,
    unite: Annotated[str | None, typer.Option("--unite", help="Unité territoriale (code, ou partie du nom).")] = None,
    etape: EtapeOption = None,
    commune: CommuneOption = None,
    alerte: AlerteOption = None,
    bailleur: BailleurOption = None,
    parc: ParcOption = None,
    dette_min: DetteMinOption = None,
    dette_max: DetteMaxOption = None,
    du: DuOption = None,
    au: AuOption = None,
    statut: StatutOption = None,
    seance: Annotated[int | None, typer.Option("--seance", help="Les ménages inscrits à cette séance.")] = None,
    pseudonymiser: Annotated[
        bool, typer.Option("--pseudonymiser", help="Pseudonymes stables au lieu des noms, adresses et numéros.")
    ] = False,
    chiffrer: ChiffrerOption = False,
    mot_de_passe_fichier: PasswordFileOption = None,
    json_output: JsonOption = False,
) -> None:
    """Extraire une liste nominative de ménages pour un partenaire (.xlsx ou .csv), avec les seules
    colonnes utiles à son destinataire, un motif obligatoire, et une trace au journal.

    Le classeur a une feuille « À propos » (filtres, date, nombre de ménages, motif, mention de
    confidentialité) ; le CSV est en UTF-8 avec BOM et « ; ». Le fichier est lisible par vous seul,
    aucune valeur ne peut y devenir une formule ; --chiffrer le protège par un mot de passe.

    Exemples :
      exploc extraire --sortie mds_bourg.xlsx --unite MDS-BOURG --motif "Nouveaux ménages affectés"
      exploc extraire --sortie bailleur.xlsx --bailleur "Logis du Val" --colonnes bailleur --chiffrer \\
        --motif "Locataires en procédure"
      exploc extraire --sortie etude.csv --pseudonymiser --colonnes complet --motif "Évaluation du plan"
    """
    app_state = state(ctx)
    with domain_errors():
        filters = build_filters(
            etape=etape, commune=commune, bailleur=bailleur, parc=parc, dette_min=dette_min, dette_max=dette_max,
            du=du, au=au, alerte=alerte, statut=statut, service=service, departement=departement,
        )  # fmt: skip
        request = ExtractionRequest(
            filters,
            motif,
            profile=colonnes,
            seance=seance,
            unite=unite,
            pseudonymise=pseudonymiser,
            password=password_for(chiffrer, mot_de_passe_fichier),
        )
        report = extract(
            app_state.engine(),
            sortie,
            request,
            today=date.today(),
            settings=app_state.settings,
            command_line=command_line(ctx),
        )
    if json_output:
        print_json(report.to_json())
    elif not app_state.quiet:
        lock = " (protégé par mot de passe)" if report.encrypted else ""
        console.print(f"{report.rows} ménage(s) extrait(s) dans {report.path}{lock}.", markup=False)


def journal(
    ctx: typer.Context,
    du: DuOption = None,
    au: AuOption = None,
    action: Annotated[str | None, typer.Option("--action", help="Seulement cette action (ex. extraction).")] = None,
    json_output: JsonOption = False,
) -> None:
    """Afficher le journal : chaque import, extraction et document nominatif (quand, qui, quoi).

    Le journal désigne les ménages par leur numéro, jamais par leur nom ; aucune commande ne le
    modifie ni n'en efface.

    Exemples :
      exploc journal --du 01/11/2026
      exploc journal --action extraction --json
    """
    app_state = state(ctx)
    with domain_errors(), app_state.engine().connect() as connection:
        lines = read_journal(
            connection, du=parse_date_option(du, "--du"), au=parse_date_option(au, "--au"), action=action
        )
    if json_output:
        print_json([line.to_json() for line in lines])
        return
    if not lines:
        console.print("Le journal est vide pour cette période.")
        return
    table = Table("Date", "Utilisateur", "Action", "Lignes", "Motif", "Fichier")
    for line in lines:
        table.add_row(
            f"{line.horodatage:%d/%m/%Y %H:%M}",
            line.utilisateur,
            line.action,
            "" if line.nb_lignes is None else str(line.nb_lignes),
            line.motif or "",
            line.chemin or "",
        )
    console.print(table)
    console.print(f"{len(lines)} entrée(s).", markup=False)
