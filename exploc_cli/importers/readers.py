"""Readers: a partner file (CSV or spreadsheet) becomes sheets of rows of strings.

The format is recognised from the file's first bytes, not from its extension (a workbook
renamed ``.csv`` is still read as a workbook; a binary file renamed ``.csv`` is refused).
CSV streams row by row; a workbook is held one sheet at a time (python-calamine).
Cells become strings here so that identifiers are never type-inferred: a date cell becomes
``AAAA-MM-JJ``, an integral number ``1234`` and not ``1234.0``.
"""

from __future__ import annotations

import csv
import io
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import msoffcrypto
import python_calamine

from ..errors import SourceFileError
from .encoding import DELIMITER_NAMES, TextEncoding, detect_delimiter, detect_encoding

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ZIP_MAGIC = b"PK\x03\x04"
SUPPORTED_SUFFIXES = (".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".xls", ".ods")
_SAMPLE_LINES = 60
_BOMB_MIN_BYTES = 100 * 2**20
# What zipfile raises on a damaged archive: a bad header, but also a version number or a
# compression method it does not know (one flipped byte), a truncated entry...
_DAMAGED_ZIP = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    NotImplementedError,
    ValueError,
    EOFError,
    OSError,
    zlib.error,
)
_BOMB_RATIO = 100


@dataclass(frozen=True)
class ReadLimits:
    max_columns: int = 500
    max_field_length: int = 100_000
    max_unzipped_bytes: int = 2048 * 1024 * 1024
    # python-calamine holds a whole sheet (≈ 1.3 GB for a million rows of 15 columns); above this
    # size of worksheet XML, an .xlsx is streamed with openpyxl's read-only mode instead.
    stream_xlsx_above: int = 150 * 1024 * 1024


@dataclass
class Sheet:
    """One table of rows: ``rows`` yields (row number as the user sees it, cells).

    ``fraction`` tells how far the reading has gone (0 to 1), for a progress bar.
    """

    name: str | None
    rows: Iterator[tuple[int, list[str]]]
    fraction: Callable[[], float] | None = None


@dataclass(frozen=True)
class FileFormat:
    kind: str  # csv | xlsx | xls | ods
    encoding: TextEncoding | None = None
    delimiter: str | None = None

    @property
    def description(self) -> str:
        if self.kind != "csv":
            return {
                "xlsx": "classeur Excel (.xlsx)",
                "xls": "classeur Excel 97-2003 (.xls)",
                "ods": "classeur OpenDocument (.ods)",
            }[self.kind]
        assert self.encoding is not None and self.delimiter is not None
        return f"CSV {self.encoding.label}, séparateur {DELIMITER_NAMES[self.delimiter]}"


def sniff_format(path: Path, display: str, *, encoding: str | None = None, delimiter: str | None = None) -> FileFormat:
    """Recognise the file's format from its content (and the profile's forced options)."""
    try:
        with path.open("rb") as handle:
            head = handle.read(8)
    except OSError as err:
        raise SourceFileError(display, f"lecture impossible ({err.strerror}).") from None
    if not head:
        raise SourceFileError(display, "le fichier est vide.")
    if head.startswith(ZIP_MAGIC):
        return FileFormat(_zip_kind(path, display))
    if head.startswith(OLE_MAGIC):
        _refuse_encrypted(path, display)
        return FileFormat("xls")
    if head.startswith(b"%PDF"):
        raise SourceFileError(
            display, "c'est un document PDF, pas un tableau.", hint="Demandez au partenaire l'export CSV ou Excel."
        )
    text_encoding = TextEncoding(encoding, encoding) if encoding else detect_encoding(path, display)
    if delimiter is None:
        delimiter = detect_delimiter(_text_sample(path, text_encoding, display))
    return FileFormat("csv", text_encoding, delimiter)


def _zip_kind(path: Path, display: str) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
            if "xl/workbook.xml" in names:
                return "xlsx"
            if "content.xml" in names and "mimetype" in names:
                if b"spreadsheet" in archive.read("mimetype"):
                    return "ods"
            if "word/document.xml" in names:
                raise SourceFileError(display, "c'est un document Word, pas un tableau.")
    except _DAMAGED_ZIP:
        raise SourceFileError(
            display,
            "classeur illisible : le fichier est endommagé ou tronqué.",
            hint="Demandez au partenaire de renvoyer le fichier.",
        ) from None
    raise SourceFileError(display, "archive ZIP qui n'est pas un classeur Excel ou OpenDocument.")


def _refuse_encrypted(path: Path, display: str) -> None:
    try:
        with path.open("rb") as handle:
            encrypted = msoffcrypto.OfficeFile(handle).is_encrypted()
    except Exception:  # noqa: BLE001 - msoffcrypto raises many types on damaged files
        raise SourceFileError(display, "classeur illisible : le fichier est endommagé.") from None
    if encrypted:
        raise SourceFileError(
            display,
            "le classeur est protégé par un mot de passe.",
            hint="Ouvrez-le dans Excel, retirez le mot de passe (Fichier > Informations) et enregistrez-le.",
        )


def _text_sample(path: Path, encoding: TextEncoding, display: str) -> str:
    lines = []
    try:
        with path.open("r", encoding=encoding.name, newline="") as handle:
            for _ in range(_SAMPLE_LINES):
                line = handle.readline(1 << 16)
                if not line:
                    break
                lines.append(line)
    except UnicodeDecodeError as err:
        raise SourceFileError(display, f"encodage {encoding.label} incorrect ({err.reason}).") from None
    return "".join(lines)


def read_sheets(path: Path, display: str, fmt: FileFormat, limits: ReadLimits) -> Iterator[Sheet]:
    """The sheets of the file, in order; a CSV has a single unnamed sheet."""
    if fmt.kind == "csv":
        position = Position(max(path.stat().st_size, 1))
        yield Sheet(None, _csv_rows(path, display, fmt, limits, position), position.fraction)
        return
    largest_sheet = _refuse_zip_bomb(path, display, limits) if fmt.kind in ("xlsx", "ods") else 0
    if fmt.kind == "xlsx" and largest_sheet > limits.stream_xlsx_above:
        from .xlsx_stream import stream_sheets  # openpyxl is only imported for such files

        yield from stream_sheets(path, display, limits)
        return
    try:
        workbook = python_calamine.CalamineWorkbook.from_path(str(path))
    except python_calamine.PasswordError:
        raise SourceFileError(display, "le classeur est protégé par un mot de passe.") from None
    except Exception as err:  # noqa: BLE001 - calamine raises several exception types
        raise SourceFileError(display, f"classeur illisible ou endommagé ({_short(err)}).") from None
    try:
        for name in workbook.sheet_names:
            position = Position(1)
            yield Sheet(name, _sheet_rows(workbook, name, display, limits, position), position.fraction)
    finally:
        workbook.close()


class Position:
    """How far a reader has gone: bytes of a CSV (its binary handle), or rows of a sheet."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.rows = 0
        self.handle: io.BufferedReader | None = None

    def fraction(self) -> float:
        if self.handle is None:
            return min(self.rows / self.size, 1.0)
        if self.handle.closed:
            return 1.0
        return min(self.handle.tell() / self.size, 1.0)


def _csv_rows(
    path: Path, display: str, fmt: FileFormat, limits: ReadLimits, position: Position
) -> Iterator[tuple[int, list[str]]]:
    assert fmt.encoding is not None and fmt.delimiter is not None
    csv.field_size_limit(limits.max_field_length)
    number = 0
    try:
        with path.open("rb") as binary, io.TextIOWrapper(binary, encoding=fmt.encoding.name, newline="") as handle:
            position.handle = binary
            for number, row in enumerate(csv.reader(handle, delimiter=fmt.delimiter), start=1):
                if len(row) > limits.max_columns:
                    _too_many_columns(display, number, len(row), limits)
                yield number, row
    except csv.Error as err:
        if "field larger than field limit" in str(err):
            raise SourceFileError(
                display,
                f"ligne {number + 1} : un champ dépasse {limits.max_field_length:,} caractères"
                " (fichier corrompu, ou guillemet non fermé).".replace(",", " "),
            ) from None
        raise SourceFileError(display, f"ligne {number + 1} : CSV mal formé ({err}).") from None
    except UnicodeDecodeError as err:
        raise SourceFileError(display, f"ligne {number + 1} : encodage incorrect ({err.reason}).") from None


def _sheet_rows(
    workbook: Any, name: str, display: str, limits: ReadLimits, position: Position
) -> Iterator[tuple[int, list[str]]]:
    try:
        sheet = workbook.get_sheet_by_name(name)
    except Exception as err:  # noqa: BLE001
        raise SourceFileError(display, f"feuille « {name} » illisible ({_short(err)}).") from None
    if sheet.width > limits.max_columns:
        _too_many_columns(display, 1, sheet.width, limits, sheet=name)
    position.size = max(sheet.total_height, 1)
    try:
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            position.rows = number
            yield number, [cell_text(cell, limits, display, name, number) for cell in cells]
    except SourceFileError:
        raise
    except Exception as err:  # noqa: BLE001
        raise SourceFileError(display, f"feuille « {name} » illisible ({_short(err)}).") from None


def cell_text(value: Any, limits: ReadLimits, display: str, sheet: str, row: int) -> str:
    if isinstance(value, str):
        if len(value) > limits.max_field_length:
            raise SourceFileError(
                display, f"feuille « {sheet} », ligne {row} : une cellule dépasse {limits.max_field_length} caractères."
            )
        return value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "VRAI" if value else "FAUX"
    if isinstance(value, float):
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value)


def _refuse_zip_bomb(path: Path, display: str, limits: ReadLimits) -> int:
    """Refuse archives that would decompress to absurd sizes; return the largest worksheet's size."""
    try:
        with zipfile.ZipFile(path) as archive:
            infos = archive.infolist()
            declared = sum(info.file_size for info in infos)
            largest_sheet = max((i.file_size for i in infos if i.filename.startswith("xl/worksheets/")), default=0)
    except _DAMAGED_ZIP:
        raise SourceFileError(display, "classeur illisible : le fichier est endommagé ou tronqué.") from None
    ratio = declared / max(path.stat().st_size, 1)
    # Real workbooks compress 5 to 20 times; a ratio in the hundreds on a big archive is a bomb.
    if declared > limits.max_unzipped_bytes or (declared > _BOMB_MIN_BYTES and ratio > _BOMB_RATIO):
        raise SourceFileError(
            display,
            f"classeur anormal : {declared / 2**20:,.0f} Mo une fois décompressé (limite "
            f"{limits.max_unzipped_bytes / 2**20:,.0f} Mo). Refusé par prudence.".replace(",", " "),
        )
    return largest_sheet


def _too_many_columns(display: str, row: int, count: int, limits: ReadLimits, sheet: str | None = None) -> None:
    where = f"feuille « {sheet} », " if sheet else ""
    raise SourceFileError(
        display,
        f"{where}ligne {row} : {count} colonnes, au-delà de la limite de {limits.max_columns} (fichier anormal).",
    )


def _short(err: BaseException) -> str:
    text = str(err).strip().splitlines()[0] if str(err).strip() else type(err).__name__
    return text[:200]
