"""``exploc exporter``: exports of the base's content."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from exploc_cli.exports.menages import export_menages
from exploc_cli.exports.signalements import ExportReport, export_signalements
from exploc_cli.importers.layouts import resolve_source_name

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
)
from ._state import command_line, state

app = typer.Typer(help="Exporter le contenu de la base.", no_args_is_help=True)


@app.command("signalements")
def signalements(
    ctx: typer.Context,
    sortie: OutputOption,
    source: Annotated[str | None, typer.Option("--source", help="Seulement cette source.")] = None,
    etape: EtapeOption = None,
    commune: CommuneOption = None,
    bailleur: BailleurOption = None,
    parc: ParcOption = None,
    dette_min: DetteMinOption = None,
    dette_max: DetteMaxOption = None,
    du: DuOption = None,
    au: AuOption = None,
    alerte: AlerteOption = None,
    service: ServiceOption = None,
    departement: DepartementOption = None,
    json_output: JsonOption = False,
) -> None:
    """Exporter les signalements, une ligne chacun, en CSV (UTF-8 avec BOM, « ; ») qu'Excel ouvre tel quel.

    Le fichier est nominatif : il est créé lisible par vous seul et l'export est inscrit au journal.
    Les colonnes service et unite donnent l'affectation actuelle du ménage (exploc affecter ;
    « à trier » quand les règles n'ont pas pu décider). La dernière colonne, alertes, donne les
    codes d'alerte du ménage du signalement.

    Exemple : exploc exporter signalements --sortie signalements.csv --etape cql --du 01/01/2026
    """
    app_state = state(ctx)
    with domain_errors():
        filters = build_filters(
            etape=etape,
            commune=commune,
            bailleur=bailleur,
            parc=parc,
            dette_min=dette_min,
            dette_max=dette_max,
            du=du,
            au=au,
            source=resolve_source_name(source) if source else None,
            alerte=alerte,
            service=service,
            departement=departement,
        )
        report = export_signalements(
            app_state.engine(),
            sortie,
            filters,
            command_line=command_line(ctx),
            today=date.today(),
            settings=app_state.settings,
        )
    _report(report, json_output, app_state.quiet, "signalement(s)")


@app.command("menages")
def menages(
    ctx: typer.Context,
    sortie: OutputOption,
    etape: EtapeOption = None,
    alerte: AlerteOption = None,
    commune: CommuneOption = None,
    bailleur: BailleurOption = None,
    parc: ParcOption = None,
    dette_min: DetteMinOption = None,
    dette_max: DetteMaxOption = None,
    du: DuOption = None,
    au: AuOption = None,
    statut: StatutOption = None,
    service: ServiceOption = None,
    departement: DepartementOption = None,
    json_output: JsonOption = False,
) -> None:
    """Exporter les ménages, une ligne chacun (étape actuelle, dernière dette, alertes, prochaine échéance).

    L'extension du fichier choisit le format : .csv (UTF-8 avec BOM, « ; ») ou .xlsx (classeur Excel,
    montants en euros et vraies dates). Les filtres portent sur l'étape actuelle (--etape), les alertes
    (--alerte), la dernière dette (--dette-min, --dette-max), la date du dernier événement (--du, --au)
    et l'affectation actuelle (--service : un service, une unité, a-trier ou aucun).
    Le fichier est nominatif : il est créé lisible par vous seul et l'export est inscrit au journal.

    Exemples :
      exploc exporter menages --sortie menages.xlsx
      exploc exporter menages --sortie cql.csv --etape cql --alerte inconnu_social --commune 01000
      exploc exporter menages --sortie a_trier.xlsx --service a-trier
    """
    app_state = state(ctx)
    with domain_errors():
        filters = build_filters(
            etape=etape,
            commune=commune,
            bailleur=bailleur,
            parc=parc,
            dette_min=dette_min,
            dette_max=dette_max,
            du=du,
            au=au,
            alerte=alerte,
            statut=statut,
            service=service,
            departement=departement,
        )
        report = export_menages(
            app_state.engine(),
            sortie,
            filters,
            today=date.today(),
            settings=app_state.settings,
            command_line=command_line(ctx),
        )
    _report(report, json_output, app_state.quiet, "ménage(s)")


def _report(report: ExportReport, json_output: bool, quiet: bool, what: str) -> None:
    if json_output:
        print_json(report.to_json())
    elif not quiet:
        console.print(f"{report.rows} {what} exporté(s) dans {report.path}", markup=False)
