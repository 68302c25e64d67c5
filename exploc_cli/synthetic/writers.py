"""Write rows as partners' software does: CSV (encoding, separator, line ends) or .xlsx."""

from __future__ import annotations

import csv
import random
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import IO

from openpyxl import Workbook  # type: ignore[import-untyped,unused-ignore]
from openpyxl.styles import (  # type: ignore[import-untyped,unused-ignore]
    Alignment,
    Border,
    Font,
    Side,
)
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped,unused-ignore]
from openpyxl.worksheet.worksheet import (  # type: ignore[import-untyped,unused-ignore]
    Worksheet,
)

from .noise import Montant, excel_serial, fr_date
from .sources import Value

Cell = str | int | float | date | None
AmountFormat = Callable[[random.Random, int], str]
DateFormat = Callable[[date], str]

_FIXED_TIMESTAMP = datetime(2026, 4, 1, 8, 0, 0)


@dataclass(frozen=True, slots=True)
class CsvFormat:
    """How one CSV file writes dates and amounts."""

    amount: AmountFormat
    date: DateFormat = fr_date


def csv_text(value: Value, fmt: CsvFormat, rng: random.Random) -> str:
    """One value as the text a CSV export holds."""
    kind = type(value)  # exact types, tested in order of frequency: this runs per cell
    if kind is str:
        return value  # type: ignore[return-value]
    if value is None:
        return ""
    if kind is date:
        return fmt.date(value)  # type: ignore[arg-type]
    if kind is Montant:
        return fmt.amount(rng, value.cents)  # type: ignore[union-attr]
    return str(value)


def open_csv(
    path: Path,
    encoding: str,
    delimiter: str,
    newline: str,
) -> tuple[IO[str], Callable[[Iterable[str]], object]]:
    """Open ``path`` for writing; return the handle and a ``writerow`` function."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle = path.open("w", encoding=encoding, newline="")
    writer = csv.writer(handle, delimiter=delimiter, lineterminator=newline)
    return handle, writer.writerow


def write_csv(
    path: Path,
    header: Sequence[str],
    rows: Iterable[Sequence[str]],
    encoding: str,
    delimiter: str = ";",
    newline: str = "\r\n",
) -> int:
    """Write a whole CSV file; return the number of data rows."""
    handle, writerow = open_csv(path, encoding, delimiter, newline)
    count = 0
    with handle:
        writerow(header)
        for row in rows:
            writerow(row)
            count += 1
    return count


@dataclass(frozen=True, slots=True)
class XlsxDates:
    """Share of date cells written as an Excel serial (plain number) or as text."""

    serial: float = 0.0
    text: float = 0.0


def xlsx_value(value: Value, rng: random.Random, dates: XlsxDates, numeric_codes: bool) -> Cell:
    """A value as a spreadsheet cell: real dates and numbers, except for some noise."""
    if isinstance(value, Montant):
        return round(value.cents / 100, 2)
    if isinstance(value, date):
        draw = rng.random()
        if draw < dates.serial:
            return excel_serial(value)
        if draw < dates.serial + dates.text:
            return fr_date(value)
        return value
    if numeric_codes and isinstance(value, str) and value.isdigit() and not value.startswith("0"):
        return int(value)  # a postcode Excel already turned into a number
    return value


@dataclass
class Sheet:
    """One worksheet: optional title lines, a header row, data rows, a footer."""

    title: str
    header: list[str] = field(default_factory=list)
    rows: list[list[Cell]] = field(default_factory=list)
    title_lines: list[str] = field(default_factory=list)  # rows above the header
    merge_title: bool = False
    footer: list[list[Cell]] = field(default_factory=list)  # e.g. a "Total" line
    trailing_empty_rows: int = 0
    text: list[str] = field(default_factory=list)  # a text-only sheet (« Lisez-moi »)

    @property
    def header_row(self) -> int:
        """1-based row number of the header in the sheet."""
        return len(self.title_lines) + 1


def write_xlsx(path: Path, sheets: Sequence[Sheet]) -> None:
    """Write the workbook; dates display as ``JJ/MM/AAAA``, text cells stay text."""
    path.parent.mkdir(parents=True, exist_ok=True)
    book = Workbook()
    book.remove(book.worksheets[0])
    book.properties.creator = "exploc (données fictives)"
    book.properties.created = _FIXED_TIMESTAMP
    book.properties.modified = _FIXED_TIMESTAMP
    for spec in sheets:
        _fill_sheet(book.create_sheet(spec.title), spec)
    book.save(path)


def _fill_sheet(ws: Worksheet, spec: Sheet) -> None:
    for line in spec.text:
        ws.append([line])
    if spec.text:
        ws.column_dimensions["A"].width = 110
        return
    for line in spec.title_lines:
        ws.append([line] if line else [])
    if spec.title_lines:
        ws.cell(row=1, column=1).font = Font(bold=True, size=13)
        if spec.merge_title:
            ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(spec.header))
            ws.cell(row=1, column=1).alignment = Alignment(horizontal="center")
    ws.append(spec.header)
    for cell in ws[spec.header_row]:
        cell.font = Font(bold=True)
    for row in spec.rows + spec.footer:
        ws.append(row)
        for cell in ws[ws.max_row]:
            if isinstance(cell.value, (date, datetime)):
                cell.number_format = "DD/MM/YYYY"
    thin = Side(style="thin", color="BBBBBB")
    for _ in range(spec.trailing_empty_rows):  # formatted but empty rows, as Excel leaves them
        row_number = ws.max_row + 1
        for column in range(1, len(spec.header) + 1):
            ws.cell(row=row_number, column=column).border = Border(bottom=thin)
    for index, title in enumerate(spec.header, start=1):
        letter = get_column_letter(index)
        ws.column_dimensions[letter].width = max(12, min(40, len(title) + 4))
