"""The single mapping from domain errors to exit codes and French messages."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from enum import IntEnum

import typer
from rich.markup import escape

from exploc_cli.errors import ExplocError, LockBusyError

from ._console import err_console


class ExitCode(IntEnum):
    OK = 0
    BUG = 1
    USAGE = 2
    INPUT = 3
    CHECKS_FAILED = 4
    PARTIAL = 5
    BUSY = 6


def report_error(err: ExplocError) -> None:
    # the message may quote partner or template text holding « [...] »: never read as markup
    err_console.print(f"[bold red]Erreur :[/] {escape(str(err))}", markup=True, highlight=False, soft_wrap=True)
    if err.hint:
        err_console.print(err.hint, style="dim", markup=False, highlight=False, soft_wrap=True)


@contextmanager
def domain_errors() -> Iterator[None]:
    """Turn an :class:`ExplocError` into a French message on stderr and exit code 3 (6 when busy)."""
    try:
        yield
    except LockBusyError as err:
        report_error(err)
        raise typer.Exit(ExitCode.BUSY) from None
    except ExplocError as err:
        report_error(err)
        raise typer.Exit(ExitCode.INPUT) from None
