"""The streaming .xlsx writer: typed cells Excel reads back, and nothing that can become a formula."""

from __future__ import annotations

import stat
import sys
import zipfile
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from exploc_cli.outputs import write_private_xlsx
from exploc_cli.xlsx_stream import MAX_TEXT, SheetColumn, column_letter

COLUMNS = [
    SheetColumn("Nom", "text", 20),
    SheetColumn("Né le", "date", 12),
    SheetColumn("Dette", "euros", 12),
    SheetColumn("Enfants", "number", 8),
]


def test_cells_come_back_typed_with_the_french_formats(tmp_path: Path) -> None:
    path = tmp_path / "liste.xlsx"
    rows = [["DUPONT & Fils <SARL>", date(1980, 3, 12), 123456, 2], ["", None, 5, 0], ["  espaces  ", None, None, None]]
    count = write_private_xlsx(
        path, COLUMNS, rows, sheet="Extraction", about=lambda n: [("Lignes", str(n)), ("Motif", "=1+1")]
    )
    assert count == 3
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == ["Extraction", "À propos"]
    sheet = workbook["Extraction"]
    assert [c.value for c in sheet[1]] == ["Nom", "Né le", "Dette", "Enfants"]
    assert sheet["A1"].font.b and sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:D4"
    assert sheet.column_dimensions["A"].width == 20
    assert sheet["A2"].value == "DUPONT & Fils <SARL>"
    assert sheet["B2"].value == datetime(1980, 3, 12) and sheet["B2"].number_format == "DD/MM/YYYY"
    assert sheet["C2"].value == 1234.56 and "€" in sheet["C2"].number_format
    assert sheet["D2"].value == 2 and sheet["D3"].value == 0
    assert sheet["A3"].value is None and sheet["C3"].value == 0.05  # an empty text is an empty cell
    assert sheet["A4"].value == "  espaces  "
    notes = workbook["À propos"]
    assert [[c.value for c in row] for row in notes.iter_rows()] == [["Lignes", "3"], ["Motif", "'=1+1"]]
    calamine = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Extraction").to_python()
    assert calamine[1][:4] == ["DUPONT & Fils <SARL>", date(1980, 3, 12), 1234.56, 2.0]


@pytest.mark.parametrize(
    "hostile",
    ['=HYPERLINK("http://x","y")', "+33 6 12", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "＝1+1"],
)
def test_no_text_can_become_a_formula(tmp_path: Path, hostile: str) -> None:
    path = tmp_path / "f.xlsx"
    write_private_xlsx(path, COLUMNS[:1], [[hostile]])
    with zipfile.ZipFile(path) as package:
        xml = package.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in xml and "<f " not in xml
    cell = openpyxl.load_workbook(path).active["A2"]
    assert cell.data_type == "s" and cell.value == "'" + hostile


def test_characters_xml_forbids_are_dropped_and_long_texts_cut(tmp_path: Path) -> None:
    path = tmp_path / "f.xlsx"
    write_private_xlsx(path, COLUMNS[:1], [["A\x00B\x07C\x1fD"], ["x" * (MAX_TEXT + 100)], ["\ud800é"]])
    sheet = openpyxl.load_workbook(path).active
    assert sheet["A2"].value == "ABCD"
    assert len(sheet["A3"].value) == MAX_TEXT
    assert sheet["A4"].value == "é"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_the_file_is_for_its_owner_only_and_written_atomically(tmp_path: Path) -> None:
    path = tmp_path / "f.xlsx"

    def broken() -> list[list[object]]:
        yield ["a"]
        raise OSError("disque plein")

    with pytest.raises(OSError):
        write_private_xlsx(path, COLUMNS[:1], broken())  # type: ignore[arg-type]
    assert list(tmp_path.iterdir()) == []  # no half file, no temporary left behind
    write_private_xlsx(path, COLUMNS[:1], [["a"]])
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_column_letters() -> None:
    assert [column_letter(n) for n in (1, 26, 27, 52, 703)] == ["A", "Z", "AA", "AZ", "AAA"]
