"""``exploc lots``: past imports, and cancelling one."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from exploc_cli.importers.batches import cancel_lot, list_lots

from ._console import console, print_json
from ._errors import domain_errors
from ._options import JsonOption
from ._state import command_line, state

app = typer.Typer(help="Consulter et annuler les imports (lots).", no_args_is_help=True)


@app.command("lister")
def lister(ctx: typer.Context, json_output: JsonOption = False) -> None:
    """Lister les imports passés : fichier, date, nombre de lignes.

    Exemple : exploc lots lister
    """
    with domain_errors():
        lots = list_lots(state(ctx).engine())
    if json_output:
        print_json([lot.to_json() for lot in lots])
        return
    if not lots:
        console.print("Aucun import pour l'instant.")
        return
    table = Table("Lot", "Date", "Fichier", "Source", "Lues", "Importées", "Déjà présentes", "Rejetées", "Statut")
    for lot in lots:
        table.add_row(
            str(lot.id),
            f"{lot.debut.astimezone():%d/%m/%Y %H:%M}",
            lot.fichier,
            lot.source,
            str(lot.lignes_lues),
            str(lot.importees),
            str(lot.deja_presentes),
            str(lot.rejetees),
            "annulé" if lot.statut == "annule" else "importé",
        )
    console.print(table)


@app.command("annuler")
def annuler(
    ctx: typer.Context,
    lot: Annotated[int, typer.Argument(metavar="LOT", help="Numéro du lot (voir exploc lots lister).")],
    json_output: JsonOption = False,
) -> None:
    """Annuler un import fait par erreur : ses signalements et tout ce qui en découle sont retirés.

    L'annulation est inscrite au journal. Le fichier pourra être importé de nouveau.

    Exemple : exploc lots annuler 12
    """
    app_state = state(ctx)
    with domain_errors():
        report = cancel_lot(app_state.engine(), app_state.location, lot, command_line=command_line(ctx))
    if json_output:
        print_json(report.to_json())
    elif not app_state.quiet:
        console.print(
            f"Lot {report.lot_id} ({report.fichier}) annulé : "
            f"{report.signalements_supprimes} signalement(s) retiré(s).",
            markup=False,
        )
