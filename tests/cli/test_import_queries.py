"""An import sends as many statements for 200 rows as for 20: the rows go by batches (executemany,
COPY on PostgreSQL), never one query per row, on either backend."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event

from tests.conftest import Invoke
from tests.helpers import CAF_HEADER, caf_line, csv_text, scalar


@contextmanager
def _statements() -> Iterator[list[str]]:
    """Every statement sent through SQLAlchemy by any engine meanwhile (an executemany counts once)."""
    seen: list[str] = []

    def record(_connection: Any, _cursor: Any, statement: str, *_: Any) -> None:
        seen.append(statement)

    event.listen(Engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(Engine, "before_cursor_execute", record)


def _file(write_file: Callable[..., Path], name: str, first: int, count: int) -> Path:
    lines = [
        caf_line(f"R-{n}", f"{n:07d}", f"NOM{n}", "Jean", adresse=f"{n} rue Victor Hugo", date="15/11/2025")
        for n in range(first, first + count)
    ]
    return write_file(name, csv_text(CAF_HEADER, lines))


def test_an_import_and_its_linkage_send_no_query_per_row(
    exploc: Invoke, base: Path | str, write_file: Callable[..., Path]
) -> None:
    sent = []
    for name, first, count in (("petit.csv", 1, 20), ("grand.csv", 1000, 200)):
        path = _file(write_file, name, first, count)
        with _statements() as seen:
            result = exploc("importer", str(path))
        assert result.exit_code == 0, result.output
        sent.append(len(seen))
    assert scalar(base, "SELECT COUNT(*) FROM signalement") == 220
    assert scalar(base, "SELECT COUNT(*) FROM signalement WHERE menage_id IS NULL") == 0  # linked
    small, large = sent
    assert large <= small + 5, (small, large)  # ten times the rows, not ten times the statements
