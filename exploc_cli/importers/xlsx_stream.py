"""Streaming very large .xlsx sheets with openpyxl's read-only mode (constant memory).

python-calamine is 5 to 8 times faster but holds a whole sheet in memory; a worksheet above
``ReadLimits.stream_xlsx_above`` is read here instead, one row at a time.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import openpyxl

from ..errors import SourceFileError
from .readers import Position, ReadLimits, Sheet, cell_text


def stream_sheets(path: Path, display: str, limits: ReadLimits) -> Iterator[Sheet]:
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as err:
        raise SourceFileError(display, f"classeur illisible ou endommagé ({err}).") from None
    try:
        for worksheet in workbook.worksheets:
            position = Position(max(worksheet.max_row or 1, 1))
            yield Sheet(worksheet.title, _rows(worksheet, display, limits, position), position.fraction)
    finally:
        workbook.close()


def _rows(worksheet: Any, display: str, limits: ReadLimits, position: Position) -> Iterator[tuple[int, list[str]]]:
    name = worksheet.title
    try:
        for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
            position.rows = number
            if len(values) > limits.max_columns:
                raise SourceFileError(
                    display,
                    f"feuille « {name} », ligne {number} : {len(values)} colonnes, "
                    f"au-delà de la limite de {limits.max_columns} (fichier anormal).",
                )
            yield number, [cell_text(value, limits, display, name, number) for value in values]
    except SourceFileError:
        raise
    except Exception as err:  # noqa: BLE001 - a damaged sheet fails in many ways inside openpyxl
        raise SourceFileError(display, f"feuille « {name} » illisible ({str(err)[:200]}).") from None
