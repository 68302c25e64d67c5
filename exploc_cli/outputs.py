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
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import IO, Any, Literal

from .paths import ensure_private_dir, restrict_to_owner

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


CellValue = str | int | float | date | None
EURO_FORMAT = '#,##0.00\\ "€"'
DATE_FORMAT = "DD/MM/YYYY"


@dataclass(frozen=True)
class XlsxColumn:
    """A column of a workbook: its header, the kind of its values and its width (characters).

    ``euros`` values are centimes (written in euros with a euro format), ``date`` values dates.
    """

    title: str
    kind: Literal["text", "date", "euros", "number"] = "text"
    width: float = 14


def write_private_xlsx(
    path: Path,
    columns: Sequence[XlsxColumn],
    rows: Iterable[Sequence[CellValue]],
    *,
    sheet: str = "Feuille1",
    about: Callable[[int], Sequence[tuple[str, str]]] | None = None,
    encrypt: Callable[[bytes], bytes] | None = None,
) -> int:
    """An .xlsx workbook, owner-only and written atomically; returns the row count.

    Streamed (openpyxl's write-only mode): a bold, frozen header row with an autofilter, column
    widths, amounts as numbers in euros, dates as real dates. Every text cell goes through
    :func:`neutralise`, so that nothing can become a formula.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(sheet)
    worksheet.freeze_panes = "A2"
    for index, column in enumerate(columns, start=1):
        worksheet.column_dimensions[get_column_letter(index)].width = column.width
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(worksheet, value=neutralise(column.title))
        cell.font = bold
        header.append(cell)
    worksheet.append(header)

    def typed(column: XlsxColumn, value: CellValue) -> Any:
        if value is None or value == "":
            return None
        if column.kind == "text" or isinstance(value, str):
            return neutralise(str(value))
        if column.kind == "euros" and isinstance(value, int):
            cell = WriteOnlyCell(worksheet, value=round(value / 100, 2))
            cell.number_format = EURO_FORMAT
            return cell
        if column.kind == "date" and isinstance(value, date):
            cell = WriteOnlyCell(worksheet, value=datetime.combine(value, time()))
            cell.number_format = DATE_FORMAT
            return cell
        return value

    count = 0
    for row in rows:
        worksheet.append([typed(column, value) for column, value in zip(columns, row, strict=True)])
        count += 1
    worksheet.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{count + 1}"
    if about is not None:  # an « À propos » sheet, told the row count once the rows are written
        notes = workbook.create_sheet("À propos")
        notes.column_dimensions["A"].width = 24
        notes.column_dimensions["B"].width = 100
        for label, text in about(count):
            title = WriteOnlyCell(notes, value=neutralise(label))
            title.font = bold
            notes.append([title, neutralise(text)])
    with private_output(path, mode="wb") as handle:
        if encrypt is None:
            workbook.save(handle)
        else:  # encrypted in memory: no clear copy ever touches the disk
            clear = io.BytesIO()
            workbook.save(clear)
            handle.write(encrypt(clear.getvalue()))
    return count


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
