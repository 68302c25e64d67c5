"""A streaming .xlsx writer for large nominative lists: rows go straight into the zip, once.

An extraction of 100,000 ménages × 26 columns took ~40 s of CPU with openpyxl's write-only mode
and ~26 s with xlsxwriter's ``constant_memory`` mode on this project's machine; writing the
SpreadsheetML by hand takes ~4 s (``benchmarks/extraction_bench.py``). The format needed is
small: sheets of typed cells (inline strings, numbers, dates with a French format, euros), a
bold frozen header, column widths, an autofilter, and a wrapped two-column « À propos » sheet.

Every text cell is an inline string (``t="inlineStr"``): nothing written here can ever be a
formula; characters XML forbids are dropped and a text is cut at Excel's 32,767 characters.
Memory stays that of one batch of rows, whatever the row count.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO, Literal
from xml.sax.saxutils import escape

Kind = Literal["text", "date", "euros", "number"]
CellValue = str | int | float | date | None

MAX_TEXT = 32_767  # Excel's limit for one cell
MAX_ROWS = 1_048_576
_EPOCH = datetime(1899, 12, 30)
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_BATCH = 500  # rows rendered, then written at once
_SHEET_NAME_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
_ENTITIES = {"\r": "&#13;"}  # kept: XML readers turn a bare CR into LF
# what makes a text need escaping or cleaning (most cells have none of it: written as they are)
_NEEDS_WORK = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_EPOCH_ORDINAL = _EPOCH.toordinal()

# cellXfs indexes of styles.xml below
_BOLD, _DATE, _EUROS, _WRAP, _BOLD_WRAP = 1, 2, 3, 4, 5
EURO_FORMAT = '#,##0.00\\ "€"'
DATE_FORMAT = "DD/MM/YYYY"


@dataclass(frozen=True)
class SheetColumn:
    title: str
    kind: Kind = "text"
    width: float = 14


def clean_text(value: str) -> str:
    """The text as a cell can hold it: no character XML forbids, at most 32,767 characters."""
    if _ILLEGAL.search(value):
        value = _ILLEGAL.sub("", value)
    return value[:MAX_TEXT]


def column_letter(index: int) -> str:
    """1 → A, 27 → AA."""
    letters = ""
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _text_cell(ref: str, value: str, style: int = 0) -> str:
    styled = f' s="{style}"' if style else ""
    if len(value) > MAX_TEXT or _NEEDS_WORK.search(value) is not None:
        value = escape(clean_text(value), _ENTITIES)
    return f'<c r="{ref}"{styled} t="inlineStr"><is><t xml:space="preserve">{value}</t></is></c>'


def _cell_renderer(letter: str, kind: Kind, text: Callable[[str], str]) -> Callable[[int, object], str]:
    """A function writing one cell of this column (``text`` prepares a string: neutralising)."""

    def render(row: int, value: object) -> str:
        if type(value) is str:  # the usual cell, inlined (one call less per cell: 10 % of a large sheet)
            value = text(value)
            if len(value) > MAX_TEXT or _NEEDS_WORK.search(value) is not None:
                value = escape(clean_text(value), _ENTITIES)
            return f'<c r="{letter}{row}" t="inlineStr"><is><t xml:space="preserve">{value}</t></is></c>'
        ref = f"{letter}{row}"
        if isinstance(value, str):
            return _text_cell(ref, text(value))
        if isinstance(value, bool):
            return _text_cell(ref, "oui" if value else "non")
        if kind == "date" and type(value) is date:  # a day: a whole serial number, computed fast
            return f'<c r="{ref}" s="{_DATE}"><v>{value.toordinal() - _EPOCH_ORDINAL}</v></c>'
        if kind == "date" and isinstance(value, date):
            moment = value if isinstance(value, datetime) else datetime(value.year, value.month, value.day)
            days = (moment.replace(tzinfo=None) - _EPOCH).total_seconds() / 86400
            serial = str(int(days)) if days.is_integer() else repr(days)
            return f'<c r="{ref}" s="{_DATE}"><v>{serial}</v></c>'
        if kind == "euros" and isinstance(value, int):
            return f'<c r="{ref}" s="{_EUROS}"><v>{value / 100!r}</v></c>'
        if isinstance(value, int | float):
            return f'<c r="{ref}"><v>{value!r}</v></c>'
        return _text_cell(ref, text(str(value)))

    return render


class StreamingWorkbook:
    """Sheets written one after the other into ``handle`` (a binary file open for writing).

    ``text`` prepares every string taken from the data (e.g. neutralising formula starts).
    Call :meth:`close` once the last sheet is written; nothing is valid before.
    """

    def __init__(self, handle: IO[bytes], *, text: Callable[[str], str] = lambda s: s, compresslevel: int = 1) -> None:
        self._zip = zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED, compresslevel=compresslevel)
        self._text = text
        self._sheets: list[tuple[str, int, int]] = []  # name, column count, row count (header included)

    def table(self, name: str, columns: Sequence[SheetColumn], rows: Iterable[Sequence[CellValue]]) -> int:
        """A data sheet: bold frozen header, widths, typed cells, autofilter; returns the row count."""
        renderers = [_cell_renderer(column_letter(i), c.kind, self._text) for i, c in enumerate(columns, start=1)]
        header = "".join(
            _text_cell(f"{column_letter(i)}1", self._text(c.title), _BOLD) for i, c in enumerate(columns, start=1)
        )
        count = 0
        with self._zip.open(self._sheet_part(name), "w", force_zip64=True) as part:
            part.write(_sheet_start(columns, frozen=True).encode())
            part.write(f'<row r="1">{header}</row>'.encode())
            batch: list[str] = []
            row_number = 1
            for values in rows:
                row_number += 1
                if row_number > MAX_ROWS:
                    raise OverflowError(f"plus de {MAX_ROWS - 1} lignes : Excel ne peut pas les ouvrir")
                cells = "".join(
                    [r(row_number, v) for r, v in zip(renderers, values, strict=True) if v is not None and v != ""]
                )
                batch.append(f'<row r="{row_number}">{cells}</row>')
                if len(batch) >= _BATCH:
                    part.write("".join(batch).encode())
                    batch.clear()
            part.write("".join(batch).encode())
            count = row_number - 1
            last = f"{column_letter(len(columns))}{row_number}"
            part.write(f'</sheetData><autoFilter ref="A1:{last}"/>{_PAGE}</worksheet>'.encode())
        self._sheets[-1] = (name, len(columns), row_number)
        return count

    def notes(self, name: str, lines: Sequence[tuple[str, str]], widths: tuple[float, float] = (24, 100)) -> None:
        """A two-column sheet of labelled notes (the label bold), wrapped."""
        columns = [SheetColumn("", "text", widths[0]), SheetColumn("", "text", widths[1])]
        with self._zip.open(self._sheet_part(name), "w") as part:
            part.write(_sheet_start(columns, frozen=False).encode())
            for number, (label, value) in enumerate(lines, start=1):
                cells = _text_cell(f"A{number}", self._text(label), _BOLD_WRAP) + _text_cell(
                    f"B{number}", self._text(value), _WRAP
                )
                part.write(f'<row r="{number}">{cells}</row>'.encode())
            part.write(f"</sheetData>{_PAGE}</worksheet>".encode())

    def discard(self) -> None:
        """Give up after a failure: the handle is left as is, for its owner to delete."""
        self._zip.fp = None  # ZipFile.close() then writes nothing to it (nor does its finaliser)

    def close(self) -> None:
        names = [name for name, _, _ in self._sheets]
        parts = {
            "[Content_Types].xml": _content_types(len(names)),
            "_rels/.rels": _ROOT_RELS,
            "docProps/app.xml": _APP,
            "docProps/core.xml": _CORE,
            "xl/workbook.xml": _workbook(self._sheets),
            "xl/_rels/workbook.xml.rels": _workbook_rels(len(names)),
            "xl/styles.xml": _STYLES,
        }
        for part_name, content in parts.items():
            self._zip.writestr(part_name, content)
        self._zip.close()

    def _sheet_part(self, name: str) -> str:
        safe = _SHEET_NAME_FORBIDDEN.sub(" ", name)[:31] or f"Feuille{len(self._sheets) + 1}"
        if any(safe == existing for existing, _, _ in self._sheets):
            raise ValueError(f"deux feuilles nommées « {safe} »")
        self._sheets.append((safe, 0, 0))
        return f"xl/worksheets/sheet{len(self._sheets)}.xml"


_NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
_REL_NS = 'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"'
_PAGE = '<pageMargins left="0.5" right="0.5" top="0.75" bottom="0.75" header="0.3" footer="0.3"/>'


def _sheet_start(columns: Sequence[SheetColumn], *, frozen: bool) -> str:
    pane = (
        '<pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/>'
        '<selection pane="bottomLeft" activeCell="A2" sqref="A2"/>'
        if frozen
        else ""
    )
    cols = "".join(
        f'<col min="{i}" max="{i}" width="{c.width:g}" customWidth="1"/>' for i, c in enumerate(columns, start=1)
    )
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet {_NS} {_REL_NS}>'
        f'<sheetViews><sheetView workbookViewId="0">{pane}</sheetView></sheetViews>'
        f'<sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols><sheetData>'
    )


def _content_types(sheets: int) -> str:
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{i}.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for i in range(1, sheets + 1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
        '<Override PartName="/docProps/core.xml" '
        'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
        '<Override PartName="/docProps/app.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
        f"{overrides}</Types>"
    )


def _workbook(sheets: Sequence[tuple[str, int, int]]) -> str:
    entries = "".join(
        f'<sheet name="{escape(name, {chr(34): "&quot;"})}" sheetId="{i}" r:id="rId{i}"/>'
        for i, (name, _, _) in enumerate(sheets, start=1)
    )
    filters = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
        f"'{escape(name.replace(chr(39), chr(39) * 2))}'!$A$1:${column_letter(columns)}${rows}</definedName>"
        for i, (name, columns, rows) in enumerate(sheets)
        if columns
    )
    names = f"<definedNames>{filters}</definedNames>" if filters else ""
    return (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook {_NS} {_REL_NS}>'
        f'<bookViews><workbookView activeTab="0"/></bookViews><sheets>{entries}</sheets>{names}</workbook>'
    )


def _workbook_rels(sheets: int) -> str:
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    entries = "".join(
        f'<Relationship Id="rId{i}" Type="{rel}/worksheet" Target="worksheets/sheet{i}.xml"/>'
        for i in range(1, sheets + 1)
    )
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'{entries}<Relationship Id="rId{sheets + 1}" Type="{rel}/styles" Target="styles.xml"/></Relationships>'
    )


_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'officeDocument" Target="xl/workbook.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
    'core-properties" Target="docProps/core.xml"/>'
    '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
    'extended-properties" Target="docProps/app.xml"/></Relationships>'
)
_APP = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    "<Application>exploc</Application></Properties>"
)
_CORE = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:creator>exploc</dc:creator></cp:coreProperties>'
)
_STYLES = (
    f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<styleSheet {_NS}>'
    f'<numFmts count="2"><numFmt numFmtId="164" formatCode="{DATE_FORMAT}"/>'
    f'<numFmt numFmtId="165" formatCode="{escape(EURO_FORMAT, {chr(34): "&quot;"})}"/></numFmts>'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="6"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/>'
    '<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="165" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>'
    '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1">'
    '<alignment vertical="top" wrapText="1"/></xf>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1">'
    '<alignment vertical="top" wrapText="1"/></xf></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>'
)
