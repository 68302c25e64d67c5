"""``exploc menages affecter``: a human decision on a ménage's service, which the rules never override."""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer

from exploc_cli.affectation.service import assign_manually

from ._console import console, print_json
from ._errors import domain_errors
from ._options import JsonOption
from ._state import command_line, state


def affecter(
    ctx: typer.Context,
    menage: Annotated[int, typer.Argument(help="Numéro du ménage.")],
    service: Annotated[str, typer.Argument(help="Code (ou nom) du service ou de l'unité : exploc services lister.")],
    motif: Annotated[str, typer.Option("--motif", help="Pourquoi ce service (obligatoire, gardé dans l'historique).")],
    json_output: JsonOption = False,
) -> None:
    """Affecter un ménage à un service à la main ; les règles ne remplaceront jamais cette décision.

    Exemples :
      exploc menages affecter 42 MDS-NORD --motif "Suivi déjà engagé par l'assistante sociale de secteur"
      exploc menages affecter 42 CAF01 --motif "Décision de la commission du 12/03/2026"
    """
    app_state = state(ctx)
    with domain_errors():
        number, outcome = assign_manually(
            app_state.engine(), menage, service, motif, day=date.today(), command_line=command_line(ctx)
        )
    if json_output:
        print_json({"menage": number, "service": outcome.service_code, "unite": outcome.unite_code, "motif": motif})
    elif not app_state.quiet:
        console.print(f"Ménage {number} affecté à {outcome.label} (décision manuelle).", markup=False)
