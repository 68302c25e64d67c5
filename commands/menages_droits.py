"""``exploc menages effacer`` and ``exploc menages donnees``: a household's rights of erasure and access."""

from __future__ import annotations

from typing import Annotated

import typer

from exploc_cli.retention.rights import erase_household, export_household_data

from ._console import console, err_console, print_json
from ._errors import domain_errors
from ._options import JsonOption, OutputOption
from ._state import command_line, state

MenageArg = Annotated[int, typer.Argument(metavar="MENAGE", help="Numéro du ménage.")]
OuiOption = Annotated[bool, typer.Option("--oui", help="Ne pas demander de confirmation (traitements programmés).")]


def effacer(
    ctx: typer.Context,
    menage: MenageArg,
    motif: Annotated[str, typer.Option("--motif", help="La demande (date, auteur) : obligatoire.")],
    simulation: Annotated[bool, typer.Option("--simulation", help="Montrer ce qui serait effacé.")] = False,
    oui: OuiOption = False,
    json_output: JsonOption = False,
) -> None:
    """Effacer définitivement un ménage (droit à l'effacement) : ses signalements, événements,
    affectations, notes, passages en séance et préconisations.

    Les ménages fusionnés avec lui sont effacés aussi. Une empreinte de chaque ligne (sans aucune
    valeur) est gardée pour qu'un nouvel import du même fichier ou la restauration d'une ancienne
    sauvegarde ne le fasse pas revenir. Le journal garde le numéro, la date et le motif, et la
    commande liste les documents produits qui le nommaient, à détruire aussi.

    Exemple : exploc menages effacer 42 --motif "Demande écrite reçue le 02/11/2026"
    """
    app_state = state(ctx)
    engine = app_state.engine()
    with domain_errors():
        preview = erase_household(engine, menage, motif, simulation=True)
    if not simulation and not oui:
        question = (
            f"Effacer définitivement le(s) ménage(s) {', '.join(map(str, preview.menages))} "
            f"({preview.signalements} signalement(s)) ?"
        )
        if not typer.confirm(question, default=False, err=True):
            err_console.print("Effacement abandonné : rien n'a été effacé.", markup=False)
            raise typer.Exit(1)  # as an interrupted command: nothing done
    report = preview
    if not simulation:
        with domain_errors():
            report = erase_household(engine, menage, motif, command_line=command_line(ctx))
    if json_output:
        print_json(report.to_json())
        return
    if app_state.quiet:
        return
    verb = "seraient effacés" if simulation else "effacés"
    console.print(
        f"Ménage(s) {', '.join(map(str, report.menages))} : {report.signalements} signalement(s) {verb}.", markup=False
    )
    if report.documents:
        console.print("Documents produits qui le nommaient (à détruire aussi) :", markup=False)
        for path in report.documents:
            console.print(f"  {path}", markup=False)


def donnees(ctx: typer.Context, menage: MenageArg, sortie: OutputOption, json_output: JsonOption = False) -> None:
    """Exporter tout ce que la base contient sur un ménage (droit d'accès) : un onglet par nature
    de données (.xlsx) ou un document .json.

    Le fichier est lisible par vous seul et l'export est journalisé.

    Exemple : exploc menages donnees 42 --sortie acces_menage_42.xlsx
    """
    app_state = state(ctx)
    with domain_errors():
        report = export_household_data(app_state.engine(), menage, sortie, command_line=command_line(ctx))
    if json_output:
        print_json(report.to_json())
    elif not app_state.quiet:
        total = sum(report.rows.values())
        numbers = ", ".join(map(str, report.menages))
        console.print(f"{total} ligne(s) sur le(s) ménage(s) {numbers} → {report.path}", markup=False)
