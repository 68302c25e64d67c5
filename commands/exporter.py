"""``exploc exporter``: exports of the base's content."""

from __future__ import annotations

from typing import Annotated

import typer

from exploc_cli.exports.signalements import export_signalements
from exploc_cli.importers.layouts import resolve_source_name

from ._console import console, print_json
from ._errors import domain_errors
from ._options import (
    AuOption,
    BailleurOption,
    CommuneOption,
    DetteMinOption,
    DuOption,
    EtapeOption,
    JsonOption,
    OutputOption,
    ParcOption,
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
    du: DuOption = None,
    au: AuOption = None,
    json_output: JsonOption = False,
) -> None:
    """Exporter les signalements, une ligne chacun, en CSV (UTF-8 avec BOM, « ; ») qu'Excel ouvre tel quel.

    Le fichier est nominatif : il est créé lisible par vous seul et l'export est inscrit au journal.

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
            du=du,
            au=au,
            source=resolve_source_name(source) if source else None,
        )
        report = export_signalements(app_state.engine(), sortie, filters, command_line=command_line(ctx))
    if json_output:
        print_json(report.to_json())
    elif not app_state.quiet:
        console.print(f"{report.rows} signalement(s) exporté(s) dans {report.path}", markup=False)
