"""Consoles: results on stdout, messages and progress on stderr; one JSON document with --json."""

from __future__ import annotations

import json
import sys
from typing import Any

from rich.console import Console


def _width(stream: object) -> int | None:
    """Terminal width on a terminal; off a terminal (a pipe, a log file) wide enough for tables."""
    try:
        return None if stream.isatty() else 160  # type: ignore[attr-defined]
    except (AttributeError, ValueError):
        return 160


console = Console(highlight=False, soft_wrap=True, width=_width(sys.stdout))
err_console = Console(stderr=True, highlight=False, soft_wrap=True, width=_width(sys.stderr))


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
