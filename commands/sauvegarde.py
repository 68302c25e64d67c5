"""``exploc sauvegarder`` and ``exploc restaurer``: copies of the base, and putting one back."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from exploc_cli.retention.backups import backup, require_file_base, restore

from ._console import console, err_console, print_json
from ._errors import domain_errors
from ._options import JsonOption, OutputOption
from ._state import command_line, state


def sauvegarder(ctx: typer.Context, sortie: OutputOption, json_output: JsonOption = False) -> None:
    """Copier la base dans un fichier, même pendant qu'elle sert (un import en cours compris).

    La copie est cohérente (l'état de la base à un instant), contrôlée, lisible par vous seul ;
    elle est notée au journal. Rangez-la sur un support protégé : elle contient des données
    nominatives.

    Exemple : exploc sauvegarder --sortie sauvegardes/exploc-2026-11-23.sqlite
    """
    app_state = state(ctx)
    with domain_errors():
        report = backup(app_state.location, sortie, command_line=command_line(ctx))
    if json_output:
        print_json(report.to_json())
    elif not app_state.quiet:
        console.print(f"Sauvegarde écrite : {report.path} ({report.size / 1e6:.1f} Mo, contrôlée).", markup=False)


def restaurer(
    ctx: typer.Context,
    sauvegarde: Annotated[Path, typer.Argument(metavar="FICHIER", help="La sauvegarde à remettre en place.")],
    oui: Annotated[bool, typer.Option("--oui", help="Ne pas demander de confirmation.")] = False,
    json_output: JsonOption = False,
) -> None:
    """Remettre une sauvegarde à la place de la base, après l'avoir contrôlée.

    La base actuelle est gardée à côté (…avant-restauration-DATE.sqlite). Les effacements et
    purges faits depuis la sauvegarde sont ré-appliqués : un ménage effacé ne revient jamais ;
    les entrées du journal écrites depuis sont reprises.

    Exemple : exploc restaurer sauvegardes/exploc-2026-11-23.sqlite
    """
    app_state = state(ctx)
    with domain_errors():
        require_file_base(app_state.location)  # a server base: refused before any question
    if not oui and not typer.confirm(
        f"Remplacer la base {app_state.location.display} par {sauvegarde} ?", default=False, err=True
    ):
        err_console.print("Restauration abandonnée : la base n'a pas changé.", markup=False)
        raise typer.Exit(1)  # as an interrupted command: nothing done
    app_state.close()  # no connection of ours stays open on the base being replaced
    with domain_errors():
        report = restore(app_state.location, sauvegarde, command_line=command_line(ctx))
    if json_output:
        print_json(report.to_json())
        return
    if report.warning:
        err_console.print(report.warning, markup=False)
    if not app_state.quiet:
        console.print(f"Base restaurée depuis {report.source}.", markup=False)
        if report.previous:
            console.print(f"L'ancienne base est gardée : {report.previous}", markup=False)
        console.print(
            f"Ré-appliqués : {report.erased_again} signalement(s) effacé(s) ou purgé(s) depuis la sauvegarde "
            f"({report.menages_removed} ménage(s)) ; {report.journal_carried} entrée(s) du journal reprise(s).",
            markup=False,
        )
