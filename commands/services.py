"""``exploc services``: the sectorisation of the social services (who covers which commune)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from exploc_cli.affectation.sectorisation_import import ImportSummary, import_sectorisation, list_sectorisation

from ._console import console, print_json
from ._errors import domain_errors
from ._options import JsonOption
from ._state import command_line, state

app = typer.Typer(
    help="Services sociaux : la sectorisation (quel service, quelle unité pour quelle commune).",
    no_args_is_help=True,
)


@app.command("importer")
def importer(
    ctx: typer.Context,
    fichier: Annotated[
        Path,
        typer.Argument(
            metavar="FICHIER", help="Tableau de sectorisation (.csv ou .xlsx).", dir_okay=False, show_default=False
        ),
    ],
    json_output: JsonOption = False,
) -> None:
    """Remplacer la sectorisation par celle d'un tableau (CSV ou Excel).

    Colonnes : Code service ; Service ; Type service (CAF, MSA, Département, bailleur, CCAS,
    association, autre) ; Code unité ; Unité ; Type unité ; Code INSEE ; Commune ; Voie et
    Numéros (facultatifs, pour partager une grande ville par rue) ; Valide du ; Valide au.
    Une ligne par unité et commune (ou voie) ; un service sans unités territoriales tient
    sur une ligne sans unité ni commune. Tout le tableau est vérifié d'abord : à la moindre
    erreur, toutes sont listées et rien n'est modifié. L'import est inscrit au journal.

    Exemple : exploc services importer sample_data/referentiel/sectorisation.csv
    """
    app_state = state(ctx)
    with domain_errors():
        summary = import_sectorisation(app_state.engine(), fichier, command_line=command_line(ctx))
    if json_output:
        print_json(summary.to_json())
    elif not app_state.quiet:
        console.print(import_summary(summary), markup=False)


def import_summary(summary: ImportSummary) -> str:
    """The French summary of an import of the sectorisation."""
    text = (
        f"Sectorisation importée depuis {summary.fichier} ({summary.format}, {summary.lignes} ligne(s)) : "
        f"{summary.services} service(s), {summary.unites} unité(s), {summary.communes} commune(s), "
        f"{summary.voies} voie(s) sectorisée(s) à part."
    )
    if summary.inchangee:
        text += "\nLa base contenait déjà exactement cette sectorisation : rien n'a changé."
    return text


@app.command("lister")
def lister(ctx: typer.Context, json_output: JsonOption = False) -> None:
    """Lister les services, leurs unités et les communes que couvre chaque unité.

    Exemple : exploc services lister
    """
    with domain_errors():
        services = list_sectorisation(state(ctx).engine())
    if json_output:
        print_json([service.to_json() for service in services])
        return
    if not services:
        console.print("Aucune sectorisation : importez-la avec exploc services importer FICHIER.", markup=False)
        return
    table = Table("Service", "Type", "Unité", "Type d'unité", "Communes couvertes", "Validité")
    for service in services:
        name = f"{service.nom} ({service.code})"
        if not service.unites:
            table.add_row(name, service.type_label, "—", "", "", service.validite)
        for index, unit in enumerate(service.unites):
            table.add_row(
                name if index == 0 else "",
                service.type_label if index == 0 else "",
                f"{unit.nom} ({unit.code})",
                unit.type or "",
                ", ".join(unit.communes),
                unit.validite,
            )
    console.print(table)
