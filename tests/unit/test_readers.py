"""Readers: the streaming .xlsx reader gives exactly what python-calamine gives."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

from exploc_cli.importers.readers import ReadLimits, read_sheets, sniff_format
from tests.helpers import write_xlsx


def _read(path: Path, limits: ReadLimits) -> list[tuple[str | None, list[tuple[int, list[str]]]]]:
    fmt = sniff_format(path, path.name)
    return [(sheet.name, list(sheet.rows)) for sheet in read_sheets(path, path.name, fmt, limits)]


def _trim(rows: list[tuple[int, list[str]]]) -> list[tuple[int, list[str]]]:
    """Rows without their trailing empty cells, and without trailing empty rows."""
    trimmed = [
        (n, [c for c in cells][: max((i + 1 for i, c in enumerate(cells) if c), default=0)]) for n, cells in rows
    ]
    while trimmed and not trimmed[-1][1]:
        trimmed.pop()
    return trimmed


def test_streaming_and_in_memory_workbook_readers_agree(tmp_path: Path) -> None:
    path = write_xlsx(
        tmp_path / "w.xlsx",
        {
            "Lisez-moi": [["Notes"], [], ["Ne pas modifier"]],
            "Saisines": [
                ["Saisines — 3e trimestre"],
                [],
                ["Bailleur", "Référence", "Nom", "Date saisine", "Dette", "CP", "Tiers payant"],
                ["Sarre Habitat", "L-1", "MARTIN", date(2025, 9, 15), 2450.5, 1000, True],
                ["Sarre Habitat", "L-2", "=1+1", 45914, 3200, "01000", False],
                ["Sarre Habitat", "L-3", "PETIT", datetime(2025, 9, 30, 14, 30), None, None, None],
                ["Total", None, None, None, 5650.5],
                [],
                [],
            ],
        },
        merges={"Saisines": ["A1:D1"]},
    )
    in_memory = _read(path, ReadLimits())
    streamed = _read(path, ReadLimits(stream_xlsx_above=0))
    assert [name for name, _ in streamed] == ["Lisez-moi", "Saisines"]
    assert [(name, _trim(rows)) for name, rows in streamed] == [(name, _trim(rows)) for name, rows in in_memory]
    data = dict(in_memory)["Saisines"]
    assert data[3] == (4, ["Sarre Habitat", "L-1", "MARTIN", "2025-09-15", "2450.5", "1000", "VRAI"])
    assert data[5][1][3] == "2025-09-30 14:30:00"
