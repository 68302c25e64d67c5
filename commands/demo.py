"""``exploc demo``: run the main job on the bundled sample data."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from exploc_cli.demo import run_demo
from exploc_cli.normalize.vocabulary import EVENT_LABELS, EVENT_RANK

from ._console import console, print_json
from ._errors import domain_errors
from ._options import JsonOption
from ._state import command_line, state
from .importer import render_import_report


def demo(
    ctx: typer.Context,
    sortie: Annotated[
        Path,
        typer.Option("--sortie", "-o", file_okay=False, help="Dossier de la démonstration (sa base, ses exports)."),
    ] = Path("exploc-demo"),
    json_output: JsonOption = False,
) -> None:
    """Démonstration : importer les fichiers fictifs de sample_data/ dans une base à part, puis exporter.

    Exemple : exploc demo --sortie ./exploc-demo
    """
    app_state = state(ctx)
    with domain_errors():
        report = run_demo(sortie, command_line=command_line(ctx))
    if json_output:
        print_json(report.to_json())
        return
    if app_state.quiet:
        return
    console.print(f"Démonstration dans {report.folder} (base : {report.base})\n", markup=False)
    console.print("1. Import des fichiers des partenaires (département fictif)", style="bold")
    for imported in report.imports:
        render_import_report(imported, quiet=False)
    console.print("\n2. Contenu de la base", style="bold")
    for source, count in report.by_source.items():
        console.print(f"  {source:<11} {count:>6} signalement(s)", markup=False)
    console.print("  Événements de procédure :")
    for code in sorted(report.by_event, key=lambda c: EVENT_RANK.get(c, 99)):
        console.print(f"    {EVENT_LABELS.get(code, code):<52} {report.by_event[code]:>6}", markup=False)
    console.print("\n3. Export", style="bold")
    console.print(f"  {report.export.rows} signalement(s) exporté(s) dans {report.export.path}", markup=False)
