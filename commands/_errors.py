"""The single mapping from domain errors to exit codes and French messages."""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Iterator
from contextlib import contextmanager
from enum import IntEnum
from pathlib import Path

import typer
from rich.markup import escape

from exploc_cli.errors import ExplocError, LockBusyError, RightsError
from exploc_cli.logs import configure_file_logging
from exploc_cli.store.denied import rights_error

from ._console import err_console


class ExitCode(IntEnum):
    OK = 0
    BUG = 1
    USAGE = 2
    INPUT = 3
    CHECKS_FAILED = 4
    PARTIAL = 5
    BUSY = 6
    RIGHTS = 7


def report_error(err: ExplocError) -> None:
    # the message may quote partner or template text holding « [...] »: never read as markup
    err_console.print(f"[bold red]Erreur :[/] {escape(str(err))}", markup=True, highlight=False, soft_wrap=True)
    if err.hint:
        err_console.print(err.hint, style="dim", markup=False, highlight=False, soft_wrap=True)


@contextmanager
def domain_errors() -> Iterator[None]:
    """Turn an :class:`ExplocError` into a French message on stderr and exit code 3 (6 when busy,
    7 when the server refused for lack of rights)."""
    try:
        yield
    except LockBusyError as err:
        report_error(err)
        raise typer.Exit(ExitCode.BUSY) from None
    except RightsError as err:
        report_error(err)
        raise typer.Exit(ExitCode.RIGHTS) from None
    except ExplocError as err:
        report_error(err)
        raise typer.Exit(ExitCode.INPUT) from None
    except Exception as err:
        if not report_denied(err):
            raise
        raise typer.Exit(ExitCode.RIGHTS) from None


def report_denied(error: BaseException) -> bool:
    """A refusal of the server for lack of rights met outside the engine's translation (a driver's
    own cursor): its French message, and True; False for any other error."""
    denied = rights_error(error)
    if denied is None:
        return False
    report_error(denied)
    return True


_ROOT = Path(__file__).resolve().parent.parent
_OUR_PACKAGES = ("exploc_cli", "commands")
_debug = False


def set_debug(enabled: bool) -> None:
    """``--debug``: a bug shows its traceback (never the values of local variables)."""
    global _debug
    _debug = enabled


def report_bug(error: BaseException) -> None:
    """An unexpected exception: a French message on stderr and a line in the technical log.

    Without ``--debug`` neither the traceback nor the exception's text is shown (the text may
    quote a partner's value); with it, the stdlib traceback, which never shows local variables.
    """
    where = _where(error)
    kind = type(error).__name__
    try:
        configure_file_logging()
        logging.getLogger("exploc").error("erreur inattendue type=%s lieu=%s", kind, where)
    except OSError:
        pass
    stream = sys.stderr
    if _debug:
        stream.write("".join(traceback.format_exception(error)))
    stream.write(
        f"Erreur inattendue ({kind}, {where}) : c'est un défaut d'exploc, merci de le signaler.\n"
        "Ce qui était en cours d'écriture dans la base a été annulé : elle n'en garde rien.\n"
    )
    if not _debug:
        stream.write("Pour le détail technique (sans données personnelles) : relancez avec exploc --debug …\n")
    stream.flush()


def _where(error: BaseException) -> str:
    """The innermost frame of exploc's own code: « exploc_cli/store/db.py, ligne 120 »."""
    found = "lieu inconnu"
    for frame in traceback.extract_tb(error.__traceback__):
        try:
            relative = Path(frame.filename).resolve().relative_to(_ROOT)
        except ValueError:
            continue
        if relative.parts and relative.parts[0] in _OUR_PACKAGES:
            found = f"{relative.as_posix()}, ligne {frame.lineno}"
    return found
