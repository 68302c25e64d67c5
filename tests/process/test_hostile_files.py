"""Hostile files through the real program: a folder of broken, hostile and odd partner files is
imported by ``exploc importer`` processes. Each file ends in a French message (code 3, nothing
written) or in reject lines (code 5, the valid rows only); no traceback; nothing reaches the
terminal that could drive it (escape sequences, bidirectional overrides, Rich markup); nothing
partial in the base; values that look like formulas stay text and never become formulas.

The broken files of ``tests/cli/test_import_bad_input.py`` (empty, binary, NUL bytes, mixed
encodings, corrupt, truncated, encrypted and zip-bomb workbooks, PDF, Word, unknown headers,
huge field, 10,000 columns) are part of the corpus, with the cases added here.
"""

from __future__ import annotations

import csv
import io
import json
import random
import shutil
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from tests.backends import Base, data_dir
from tests.cli.test_import_bad_input import CASES as BROKEN_FILES
from tests.helpers import CAF_HEADER, caf_line, csv_text, write_xlsx
from tests.process._run import assert_clean_failure, exploc, query

pytestmark = pytest.mark.slow

TEN_MB = 10 * 2**20
GOOD = caf_line("H-0", "9990", "DUPONT", "Jean")
# (expected code, words expected in the message (code 3) or in the reject lines (code 5))
Expected = tuple[int, list[str]]


def _caf(path: Path, lines: list[str], encoding: str = "utf-8") -> Path:
    path.write_bytes(csv_text(CAF_HEADER, lines).encode(encoding))
    return path


def _bytes(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _zip_with(path: Path, sheet_xml: str) -> Path:
    """A real workbook whose first sheet's XML is replaced."""
    source = write_xlsx(path.with_suffix(".ok.xlsx"), {"F": [CAF_HEADER.split(";"), GOOD.split(";")]})
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name in original.namelist():
            data = sheet_xml.encode() if name == "xl/worksheets/sheet1.xml" else original.read(name)
            target.writestr(name, data)
    source.unlink()
    return path


def _unknown_zip_version(path: Path) -> Path:
    """One byte: the version needed to extract, in the central directory (zipfile refuses it)."""
    data = bytearray(write_xlsx(path.with_suffix(".ok.xlsx"), {"F": [CAF_HEADER.split(";")]}).read_bytes())
    path.with_suffix(".ok.xlsx").unlink()
    data[data.find(b"PK\x01\x02") + 6] = 0xFF
    return _bytes(path, bytes(data))


LAUGHS = (
    '<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
    + "".join(f'<!ENTITY {chr(98 + i)} "{("&" + chr(97 + i) + ";") * 10}">' for i in range(8))
    + ']><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    '<row r="1"><c r="A1" t="inlineStr"><is><t>&i;</t></is></c></row></sheetData></worksheet>'
)


def _wide_xlsx(path: Path) -> Path:
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Large")
    sheet.append([f"colonne {i}" for i in range(10_000)])
    workbook.save(path)
    return path


def _random_text_bytes(path: Path) -> Path:
    generator = random.Random(8)
    path.write_bytes(bytes(generator.randrange(1, 256) for _ in range(50_000)))
    return path


FORMULAS = ['=HYPERLINK("http://x")', "+33 1 23", "-1+2", "@SOMME(A1)", "=1+1"]

# name → (builder writing the file in a folder, expected code, expected words)
NEW_CASES: dict[str, tuple[Callable[[Path], Path], int, list[str]]] = {
    "champ_10_mo": (
        lambda d: _caf(d / "champ10mo.csv", [GOOD, 'H-2;"' + "x" * TEN_MB + '"']),
        3,
        ["ligne 3", "un champ dépasse"],
    ),
    "ligne_10_mo_sans_guillemets": (
        lambda d: _caf(d / "ligne10mo.csv", [GOOD, "H-3;" + "y" * TEN_MB]),
        3,
        ["un champ dépasse"],
    ),
    "10000_colonnes_classeur": (lambda d: _wide_xlsx(d / "large.xlsx"), 3, ["10000 colonnes"]),
    "10000_colonnes_sur_une_ligne": (
        lambda d: _caf(d / "ligne_large.csv", [GOOD, ";".join(["z"] * 10_000)]),
        3,
        ["ligne 3", "10000 colonnes"],
    ),
    "bom_puis_windows_1252": (
        lambda d: _bytes(
            d / "bom.csv",
            b"\xef\xbb\xbf"
            + csv_text(CAF_HEADER, [GOOD]).encode()
            + caf_line("H-4", "4", "GÉRARD", "Zoé").encode("cp1252"),
        ),
        3,
        ["encodage mélangé"],
    ),
    "octets_aleatoires_sans_nul": (lambda d: _random_text_bytes(d / "bruit.csv"), 3, [" : "]),
    "xls_endommage": (
        lambda d: _bytes(d / "vieux.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00garbage" * 64),
        3,
        ["endommagé"],
    ),
    "version_zip_inconnue": (lambda d: _unknown_zip_version(d / "version.xlsx"), 3, ["endommagé"]),
    "xml_de_feuille_casse": (lambda d: _zip_with(d / "casse.xlsx", "<worksheet><sheetData><row"), 3, ["illisible"]),
    "milliard_de_rires": (lambda d: _zip_with(d / "rires.xlsx", LAUGHS), 3, ["illisible"]),
    "formules": (
        lambda d: _caf(
            d / "formules.csv",
            [caf_line(f"F-{i}", f"77{i}", formula, "Jean", adresse=formula) for i, formula in enumerate(FORMULAS)]
            + [caf_line("F-9", "779", "MARTIN", "Paul", date="=AUJOURDHUI()")],
        ),
        5,
        ["date non reconnue"],
    ),
}

HOSTILE_NAMES = ["NOM [/]", "ÉCHAP\x1b[2J", "../../etc/passwd", "INVERSÉ\u202eLIVE", "TAB\tULÉ", "SUPPR\x7fIMÉ"]
HOSTILE_FILE_NAMES = [
    "a\x1b[31mrouge.csv",
    "ligne\nnouvelle.csv",
    "sous\\..\\..\\evil.csv",
    "[bold]gras.csv",
    "\u202eslx.csv",
]
if sys.platform == "win32":  # Windows forbids control characters and takes « \\ » as a separator
    HOSTILE_FILE_NAMES = [name for name in HOSTILE_FILE_NAMES if not any(ch in name for ch in "\x1b\n\\")]


def _corpus(folder: Path, scratch: Path) -> dict[str, Expected]:
    """Write every case into ``folder``; the expectation of each file, by file name."""
    expected: dict[str, Expected] = {}
    for name, (build, fragments) in sorted(BROKEN_FILES.items()):
        workspace = scratch / name
        workspace.mkdir()

        def write(file_name: str, content: str | bytes, encoding: str = "utf-8", where: Path = workspace) -> Path:
            path = where / file_name
            path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
            return path

        built = build(write, workspace)
        target = folder / f"{name}{built.suffix}"
        shutil.copy(built, target)
        expected[target.name] = (3, fragments)
    for build, code, fragments in NEW_CASES.values():
        built = build(folder)
        expected[built.name] = (code, fragments)
    values = folder / "valeurs_hostiles.csv"
    _caf(
        values,
        [
            caf_line(f"V-{i}", f"88{i}", name, "Jean", commune="Bourg [/x]", dette=["1e308", "9" * 40][i % 2])
            for i, name in enumerate(HOSTILE_NAMES)
        ],
    )
    expected[values.name] = (0, [])
    for i, file_name in enumerate(HOSTILE_FILE_NAMES):
        _caf(folder / file_name, [caf_line(f"N-{i}", f"66{i}", "MARTIN", "Luc")])
        expected[file_name] = (0, [])
    return expected


def _no_terminal_control(text: str) -> None:
    for raw in ("\x1b", "\u202e", "\x7f", "\r"):
        assert raw not in text, (repr(raw), text[:3000])


def test_a_folder_of_hostile_files_ends_in_french_messages_and_reject_lines_only(
    tmp_path: Path, fresh_base: Base
) -> None:
    corpus = tmp_path / "depot"
    corpus.mkdir()
    scratch = tmp_path / "brouillon"
    scratch.mkdir()
    expected = _corpus(corpus, scratch)
    assert len(expected) >= 30

    # file by file (JSON report of the real run)
    base = fresh_base
    result = exploc("--base", str(base), "importer", "--json", str(corpus), timeout=600)
    assert_clean_failure(result, 3)
    report = {Path(f["fichier"]).name: f for f in json.loads(result.stdout)["fichiers"]}
    assert set(report) == set(expected)
    lots = {sha: (lot_id, imported) for lot_id, sha, imported in query(base, "SELECT id, sha256, importees FROM lot")}
    rejets = data_dir(base) / "rejets"
    for name, (code, fragments) in expected.items():
        file = report[name]
        assert file["code"] == code, (name, file)
        if code == 3:  # refused whole: a French message, nothing in the base
            assert file["lot"] is None and file["sha256"] not in lots, name
            said = f"{file['message']} {file['conseil'] or ''}"
            for fragment in fragments:
                assert fragment in said, (name, fragment, said)
            continue
        lot_id, imported = lots[file["sha256"]]
        stored = query(base, "SELECT COUNT(*) FROM signalement WHERE lot_id = ?", lot_id)[0][0]
        assert stored == imported == file["importees"] and file["importees"] + file["rejetees"] == file["lignes_lues"]
        if code == 5:
            assert all(any(f in r["motif"] for f in fragments) for r in file["rejets"]), file["rejets"]
            rejects_file = Path(file["fichier_rejets"])
            assert rejects_file.parent == rejets  # no path taken from the file's name
    for written in rejets.iterdir():  # names made safe: no separator, no control character
        assert written.is_file() and not any(ch in written.name for ch in "\\\x1b\n\u202e"), written.name
    if isinstance(base, Path):
        assert query(base, "PRAGMA integrity_check") == [("ok",)]

    # as a secretary sees it, the next night: French on the terminal, nothing that drives it
    screen = exploc("--base", str(base), "importer", str(corpus), timeout=600)
    assert_clean_failure(screen, 3)
    _no_terminal_control(screen.stdout + screen.stderr)
    assert "[bold]gras.csv" in screen.stdout
    assert sys.platform == "win32" or "a\\x1b[31mrouge.csv" in screen.stdout

    # partner values are stored as they came, and never become formulas on the way out
    raw = " ".join(row[0] for row in query(base, "SELECT brut FROM signalement WHERE reference LIKE 'F-%'"))
    assert all(json.dumps(formula, ensure_ascii=False)[1:-1] in raw for formula in FORMULAS)
    rejects_rows = list(
        csv.reader(io.StringIO(Path(report["formules.csv"]["fichier_rejets"]).read_text("utf-8-sig")), delimiter=";")
    )
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rejects_rows for cell in row)
    export = tmp_path / "signalements.csv"
    assert exploc("--base", str(base), "exporter", "signalements", "--sortie", str(export)).returncode == 0
    exported = export.read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK(" in exported  # the address kept as text, quoted for the spreadsheet
    for row in csv.reader(io.StringIO(exported), delimiter=";"):
        assert all(not cell.startswith(("=", "+", "-", "@")) for cell in row), row

    # hostile names display as text: no crash on Rich markup, no escape sequence on the terminal
    for query_name in ("ÉCHAP", "INVERSÉ"):
        found = exploc("--base", str(base), "menages", "chercher", query_name)
        assert found.returncode == 0, (query_name, found.stderr)
        _no_terminal_control(found.stdout + found.stderr)
    listing = exploc("--base", str(base), "menages", "lister", "--commune", "bourg")
    assert listing.returncode == 0, listing.stderr
    _no_terminal_control(listing.stdout + listing.stderr)
    assert "[/X]" in exploc("--base", str(base), "menages", "chercher", "NOM").stdout  # Rich markup shown as text
