"""Consoles: results on stdout, messages and progress on stderr; one JSON document with --json.

Partner files put any text in names, communes and file names: Rich markup is off unless a
``print`` asks for it (a name holding « [/] » must print as is, not crash the table), and
control characters coming from data (an escape sequence in a file name) are shown as ``\\x1b``
instead of reaching the terminal.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from typing import Any

from rich.console import Console
from rich.segment import Segment

# C0 and C1 controls but newline and tab, DEL, and the bidirectional overrides (a file name
# « facture\u202eslx.exe » must not display reversed).
_UNSAFE = [*range(0x00, 0x09), *range(0x0B, 0x20), 0x7F, *range(0x80, 0xA0), *range(0x202A, 0x202F)]
_UNSAFE += [*range(0x2066, 0x206A)]
_VISIBLE = {code: (f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}") for code in _UNSAFE}


def printable(text: str) -> str:
    """``text`` with its control characters written out (``\\x1b``), newlines and tabs kept."""
    return text.translate(_VISIBLE)


class SafeConsole(Console):
    """A console that never lets data send control sequences to the terminal.

    Rich's own control segments (cursor moves of a progress bar) are kept; only text is cleaned.
    """

    def _render_buffer(self, buffer: Iterable[Segment]) -> str:
        return super()._render_buffer(
            segment if segment.control else Segment(printable(segment.text), segment.style) for segment in buffer
        )


def _width(stream: object) -> int | None:
    """Terminal width on a terminal; off a terminal (a pipe, a log file) wide enough for tables."""
    try:
        return None if stream.isatty() else 160  # type: ignore[attr-defined]
    except (AttributeError, ValueError):
        return 160


console = SafeConsole(highlight=False, markup=False, soft_wrap=True, width=_width(sys.stdout))
err_console = SafeConsole(stderr=True, highlight=False, markup=False, soft_wrap=True, width=_width(sys.stderr))


def print_json(document: Any) -> None:
    """Print exactly one JSON document on stdout (no Rich markup, no wrapping)."""
    sys.stdout.write(json.dumps(document, ensure_ascii=False, indent=2, default=str))
    sys.stdout.write("\n")
    sys.stdout.flush()


def stderr_is_terminal() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, ValueError):
        return False
