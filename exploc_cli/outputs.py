"""Writing nominative files safely: owner-only, atomic, and formula-proof.

Every text cell that comes from a partner file goes through :func:`neutralise`, so that
nothing can turn into a spreadsheet formula (OWASP CSV injection rule).
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from .paths import ensure_private_dir, restrict_to_owner
from .xlsx_stream import DATE_FORMAT, EURO_FORMAT, CellValue, StreamingWorkbook
from .xlsx_stream import SheetColumn as XlsxColumn

__all__ = ["DATE_FORMAT", "EURO_FORMAT", "CellValue", "XlsxColumn"]

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def neutralise(value: str) -> str:
    """Prefix with an apostrophe any text a spreadsheet would read as a formula."""
    if value and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


@contextmanager
def private_output(
    path: Path, *, mode: str = "w", encoding: str | None = "utf-8-sig", newline: str | None = ""
) -> Iterator[IO[Any]]:
    """Write ``path`` atomically, readable by its owner only (0600).

    The content goes to a temporary file in the same folder, renamed over ``path`` only when
    the block succeeds: a crash never leaves half a file.
    """
    ensure_private_dir(path.parent)
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    restrict_to_owner(Path(temporary))
    try:
        kwargs: dict[str, Any] = {} if "b" in mode else {"encoding": encoding, "newline": newline}
        with os.fdopen(fd, mode, **kwargs) as handle:
            yield handle
        os.replace(temporary, path)
        restrict_to_owner(path)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


def write_private_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[str]]) -> int:
    """A CSV Excel opens as is (UTF-8 with BOM, « ; »), owner-only; returns the row count.

    Cells are written as given: callers neutralise partner text with :func:`neutralise`.
    """
    count = 0
    with private_output(path) as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow(row)
            count += 1
    return count


def write_private_xlsx(
    path: Path,
    columns: Sequence[XlsxColumn],
    rows: Iterable[Sequence[CellValue]],
    *,
    sheet: str = "Feuille1",
    about: Callable[[int], Sequence[tuple[str, str]]] | None = None,
    encrypt: Callable[[bytes], bytes] | None = None,
) -> int:
    """An .xlsx workbook of one data sheet, owner-only and written atomically; returns the row count.

    ``about``: the lines of an « À propos » sheet, given the row count once the rows are written.
    """
    notes = (lambda counts: about(counts[0])) if about is not None else None
    (count,) = write_private_workbook(path, [(sheet, columns, rows)], about=notes, encrypt=encrypt)
    return count


Sheet = tuple[str, Sequence[XlsxColumn], Iterable[Sequence[CellValue]]]


def write_private_workbook(
    path: Path,
    sheets: Sequence[Sheet],
    *,
    about: Callable[[Sequence[int]], Sequence[tuple[str, str]]] | None = None,
    encrypt: Callable[[bytes], bytes] | None = None,
) -> list[int]:
    """An .xlsx workbook of data sheets (then an « À propos » sheet, given their row counts),
    owner-only and written atomically; returns each sheet's row count.

    Streamed (:mod:`xlsx_stream`): bold, frozen header rows with an autofilter, column widths,
    amounts as numbers in euros, dates as real dates. Every text cell is an inline string that
    went through :func:`neutralise`, so that nothing can become a formula. Encrypted, the
    workbook is built in memory (no clear copy ever touches the disk).
    """
    with private_output(path, mode="wb") as handle:
        target: IO[bytes] = io.BytesIO() if encrypt is not None else handle
        workbook = StreamingWorkbook(target, text=neutralise)
        try:
            counts = [workbook.table(name, columns, rows) for name, columns, rows in sheets]
            if about is not None:
                workbook.notes("À propos", about(counts))
        except BaseException:
            workbook.discard()
            raise
        workbook.close()
        if encrypt is not None:
            assert isinstance(target, io.BytesIO)
            handle.write(encrypt(target.getvalue()))
    return counts


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
