"""``exploc suivi``: the commission's préconisations due or overdue, and ménages due for réexamen."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer
from rich.table import Table

from exploc_cli.normalize.dates import format_date_fr
from exploc_cli.seances.decisions import set_statut
from exploc_cli.seances.follow_up import due_label, follow_up
from exploc_cli.seances.referentiel import STATUTS, load_referentiel

from ._console import console, print_json
from ._errors import domain_errors
from ._options import JsonOption
from ._state import command_line, state

app = typer.Typer(help="Suivi des préconisations de la CCAPEX et des réexamens.")


@app.callback(invoke_without_command=True)
def suivi(
    ctx: typer.Context,
    jours: Annotated[
        int, typer.Option("--jours", min=0, help="Inclure ce qui arrive à échéance dans ce nombre de jours.")
    ] = 30,
    json_output: JsonOption = False,
) -> None:
    """Lister les préconisations à faire arrivées ou proches de leur échéance, et les ménages dont le
    réexamen est dû (sauf ceux déjà inscrits à une séance à venir).

    Exemples :
      exploc suivi
      exploc suivi --jours 0 --json
      exploc suivi statut 12 realisee --note "Plan d'apurement signé le 05/01/2026"
    """
    if ctx.invoked_subcommand is not None:
        return
    app_state = state(ctx)
    today = date.today()
    with domain_errors(), app_state.engine().connect() as connection:
        listing = follow_up(connection, today, days=jours)
        referentiel = load_referentiel(app_state.config_file.parent)
    if json_output:
        print_json(listing.to_json(referentiel))
        return
    if listing.preconisations:
        table = Table(
            "N°", "Ménage", "Séance", "Destinataire", "Préconisation", "Échéance",
            title=f"Préconisations à faire, échéance au plus tard le {format_date_fr(listing.horizon)}",
            title_justify="left",
        )  # fmt: skip
        for item in listing.preconisations:
            p = item.preconisation
            table.add_row(
                str(p.id),
                str(item.menage_id),
                format_date_fr(p.seance_date) if p.seance_date else "",
                referentiel.destinataire_label(p.destinataire),
                referentiel.preconisation_label(p.type).split(" — ", 1)[-1] + (f" ({p.texte})" if p.texte else ""),
                due_label(item, today),
            )
        console.print(table)
    else:
        console.print("Aucune préconisation à faire n'arrive à échéance.")
    if listing.reexamens:
        table = Table("Ménage", "Réexamen", title="Ménages dont le réexamen est dû", title_justify="left")
        for menage, why in listing.reexamens:
            table.add_row(str(menage), why)
        console.print(table)
        console.print("Pour les inscrire : exploc seances ajouter SEANCE --selection reexamen", markup=False)
    else:
        console.print("Aucun réexamen dû.")


@app.command("statut")
def statut(
    ctx: typer.Context,
    preconisation: Annotated[int, typer.Argument(metavar="PRECONISATION", help="Numéro de la préconisation.")],
    nouveau: Annotated[str, typer.Argument(metavar="STATUT", help="a_faire, realisee, non_realisee ou caduque.")],
    note: Annotated[str | None, typer.Option("--note", help="Précision sur le suivi.")] = None,
) -> None:
    """Changer le statut de suivi d'une préconisation (à faire, réalisée, non réalisée, caduque).

    Exemple : exploc suivi statut 12 realisee --note "Plan signé le 05/01/2026"
    """
    app_state = state(ctx)
    with domain_errors():
        code = set_statut(
            app_state.engine(), preconisation, nouveau, note, command_line=command_line(ctx, hidden=["note"])
        )
    if not app_state.quiet:
        console.print(f"Préconisation n° {preconisation} : {STATUTS[code].lower()}.", markup=False)
