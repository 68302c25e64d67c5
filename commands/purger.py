"""``exploc purger``: households kept no longer than the retention period."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from exploc_cli.retention.purge import purge

from ._console import console, err_console, print_json
from ._errors import domain_errors
from ._options import JsonOption, parse_date_option
from ._state import command_line, state


def purger(
    ctx: typer.Context,
    simulation: Annotated[
        bool, typer.Option("--simulation", help="Compter ce qui serait purgé, sans rien effacer.")
    ] = False,
    annees: Annotated[
        int | None, typer.Option("--annees", min=1, help="Durée de conservation (défaut : [conservation] annees, 3).")
    ] = None,
    le: Annotated[
        str | None, typer.Option("--date", help="Date de référence (JJ/MM/AAAA ; défaut : aujourd'hui).")
    ] = None,
    oui: Annotated[
        bool, typer.Option("--oui", help="Ne pas demander de confirmation (traitements programmés).")
    ] = False,
    json_output: JsonOption = False,
) -> None:
    """Effacer les ménages dont le parcours est clos — ou sans aucun événement — depuis plus
    longtemps que la durée de conservation (3 ans par défaut, [conservation] annees).

    Signalements, événements, affectations, notes et passages en séance partent avec eux ; une
    empreinte de chaque ligne (sans valeur) empêche qu'un nouvel import ou une restauration les
    fasse revenir. Ce qu'ils comptaient dans les diagnostics est gardé en comptes mensuels
    anonymes (par commune et parc), pour les diagnostics sur plusieurs années. Le journal garde
    les nombres, aucun numéro de ménage.

    Exemples :
      exploc purger --simulation
      exploc purger --oui
    """
    app_state = state(ctx)
    years = annees or app_state.settings.conservation.annees
    today = parse_date_option(le, "--date") or date.today()
    engine = app_state.engine()
    with domain_errors():
        preview = purge(engine, today, years, simulation=True)
    report = preview
    if not simulation and preview.menages:
        question = (
            f"Effacer définitivement {preview.menages} ménage(s) sans événement ni clôture récente "
            f"(avant le {preview.cutoff:%d/%m/%Y}) et leurs {preview.signalements} signalement(s) ?"
        )
        if not oui and not typer.confirm(question, default=False, err=True):
            err_console.print("Purge abandonnée : rien n'a été effacé.", markup=False)
            raise typer.Exit(1)  # as an interrupted command: nothing done
        with domain_errors():
            report = purge(engine, today, years, command_line=command_line(ctx))
    if json_output:
        print_json(report.to_json())
    elif not app_state.quiet:
        verb = "seraient effacés" if simulation else "effacés"
        console.print(
            f"Conservation {report.years} an(s) : {report.menages} ménage(s) clos ou sans événement avant le "
            f"{report.cutoff:%d/%m/%Y}, {report.signalements} signalement(s) {verb}.",
            markup=False,
        )
