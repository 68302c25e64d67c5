"""The ``exploc`` command: global options and the assembly of every command module."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from exploc_cli import __version__
from exploc_cli.store.db import on_lock_wait

from . import (
    affecter,
    demo,
    droits,
    exporter,
    extraire,
    importer,
    init,
    lots,
    menages,
    purger,
    sauvegarde,
    seances,
    services,
    suivi,
)
from . import diagnostic as diagnostic_command
from ._console import err_console
from ._errors import ExitCode, report_bug, report_denied, set_debug
from ._state import AppState, remember_invocation

app = typer.Typer(
    name="exploc",
    help="exploc — outils des secrétariats de CCAPEX : importer les fichiers des partenaires, "
    "reconstituer les parcours des ménages, préparer les commissions.",
    no_args_is_help=True,
    pretty_exceptions_show_locals=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
    add_completion=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"exploc {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    base: Annotated[
        str | None,
        typer.Option(
            "--base",
            envvar="EXPLOC_BASE",
            metavar="CHEMIN|URL",
            help="Base à utiliser : chemin d'un fichier SQLite ou URL (postgresql+psycopg://…). "
            "Par défaut : exploc.sqlite dans le dossier de données de l'utilisateur.",
        ),
    ] = None,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            envvar="EXPLOC_CONFIG",
            metavar="FICHIER",
            dir_okay=False,
            help="Fichier de configuration. Par défaut : exploc.toml dans le dossier de configuration "
            "de l'utilisateur (jamais le dossier courant).",
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="N'afficher que les erreurs.")] = False,
    debug: Annotated[
        bool,
        typer.Option(
            "--debug",
            envvar="EXPLOC_DEBUG",
            help="Sur une erreur inattendue, afficher la trace technique (jamais les valeurs des variables).",
        ),
    ] = False,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Afficher la version et quitter.")
    ] = False,
) -> None:
    set_debug(debug)
    on_lock_wait(None if quiet else _say_we_wait)
    ctx.obj = AppState(base=base, config_path=config, quiet=quiet)
    ctx.call_on_close(ctx.obj.close)


app.command("init")(init.init)
app.command("verifier")(init.verify)
app.command("importer")(importer.import_files)
app.command("demo")(demo.demo)
app.command("affecter")(affecter.affecter)
app.command("extraire")(extraire.extraire)
app.command("journal")(extraire.journal)
app.command("diagnostic")(diagnostic_command.diagnostic)
app.command("bilan")(diagnostic_command.bilan)
app.command("sauvegarder")(sauvegarde.sauvegarder)
app.command("restaurer")(sauvegarde.restaurer)
app.command("purger")(purger.purger)
app.add_typer(exporter.app, name="exporter")
app.add_typer(lots.app, name="lots")
app.add_typer(menages.app, name="menages")
app.add_typer(affecter.app, name="regles")
app.add_typer(services.app, name="services")
app.add_typer(seances.app, name="seances")
app.add_typer(suivi.app, name="suivi")
app.add_typer(droits.app, name="droits")


def _say_we_wait(seconds: float) -> None:
    err_console.print(
        "La base est occupée par un autre traitement (un import ?) : attente de la fin de son écriture "
        f"(au plus {seconds:g} s)…"
    )


def main() -> None:
    """Console entry point: a bug ends with a French message and code 1 (its traceback with --debug)."""
    remember_invocation(sys.argv[1:])
    try:
        app(prog_name="exploc")
    except Exception as error:  # noqa: BLE001 - the one place where a bug is reported
        if report_denied(error):  # the server refused for lack of rights: not a bug
            sys.exit(ExitCode.RIGHTS)
        report_bug(error)
        sys.exit(ExitCode.BUG)
