"""Property-based fuzzing (hypothesis) of the readers and of the whole import of one file.

Whatever the bytes, the readers give rows of strings or a French ``SourceFileError`` naming the
file; a damaged workbook too. Whatever the cells under a known layout's headers, an import
ends with code 0, 3 or 5 and never raises: every row read is imported, a duplicate or a reject
with a French reason, and a refused file writes nothing to the base.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine

from exploc_cli.errors import SourceFileError
from exploc_cli.importers.readers import ReadLimits, read_sheets, sniff_format
from exploc_cli.importers.report import INPUT, OK, PARTIAL
from exploc_cli.importers.service import ImportOptions, import_file
from exploc_cli.store.db import create_store_engine, resolve_location
from exploc_cli.synthetic import generate_bulk
from tests.helpers import CAF_HEADER, caf_line, scalar, write_xlsx

LIMITS = ReadLimits(max_columns=60, max_field_length=2_000)
FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])

PLAUSIBLE = [
    "", " ", "DUPONT", "Jean-Marie", "M. et Mme DUPONT Jean", "12/03/1980", "31/02/2025", "2025-12-31", "45678",
    "1 234,56 €", "-12,5", "1e308", "NaN", "01000", "2A004", "97411", "CDP", "commandement de payer", "cql",
    "oui", "non", "public", "=1+1", "@SOMME(A1)", "\x1b[2J", "[/]", "\u202e", "../../etc/passwd", "ŒUVRE Cœur",
    "x" * 300, "0" * 40, "12 bis rue de l'Église 01000 Bourg", "Total",
]  # fmt: skip
cell = st.one_of(st.sampled_from(PLAUSIBLE), st.text(max_size=40), st.text(st.characters(codec="cp1252"), max_size=20))


def _read_all(path: Path) -> int:
    """Read every row of every sheet; the number of rows (or a SourceFileError)."""
    fmt = sniff_format(path, path.name)
    count = 0
    for sheet in read_sheets(path, path.name, fmt, LIMITS):
        for _number, cells in sheet.rows:
            assert all(isinstance(value, str) for value in cells)
            count += 1
    return count


def _read_or_refuse(path: Path) -> None:
    try:
        _read_all(path)
    except SourceFileError as err:
        event("refusé")
        assert str(err).startswith(f"{path.name} : ") and len(str(err)) > len(path.name) + 4
    else:
        event("lu")


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


@FUZZ
@given(data=st.binary(max_size=3000))
def test_any_bytes_named_csv_are_read_as_text_rows_or_refused_in_french(folder: Path, data: bytes) -> None:
    path = folder / "octets.csv"
    path.write_bytes(data)
    _read_or_refuse(path)


@FUZZ
@given(
    lines=st.lists(st.lists(cell, max_size=14), max_size=12),
    delimiter=st.sampled_from([";", ",", "\t", "|"]),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
    tail=st.binary(max_size=8),
)
def test_any_delimited_text_in_any_encoding_is_read_or_refused(
    folder: Path, lines: list[list[str]], delimiter: str, encoding: str, tail: bytes
) -> None:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(lines)
    path = folder / "texte.csv"
    path.write_bytes(buffer.getvalue().encode(encoding, errors="replace") + tail)
    _read_or_refuse(path)


@pytest.fixture(scope="module")
def workbook_bytes(folder: Path) -> bytes:
    rows = [CAF_HEADER.split(";")] + [caf_line(f"S-{i}", str(i), "DUPONT", "Jean").split(";") for i in range(5)]
    return write_xlsx(folder / "modele.xlsx", {"Signalements": rows}).read_bytes()


@FUZZ
@given(
    cut=st.one_of(st.none(), st.integers(min_value=0, max_value=6000)),
    flips=st.lists(
        st.tuples(st.integers(min_value=0, max_value=6000), st.integers(min_value=1, max_value=255)), max_size=6
    ),
    insert=st.tuples(st.integers(min_value=0, max_value=6000), st.binary(max_size=40)),
)
def test_a_damaged_workbook_is_read_or_refused_in_french(
    folder: Path, workbook_bytes: bytes, cut: int | None, flips: list[tuple[int, int]], insert: tuple[int, bytes]
) -> None:
    data = bytearray(workbook_bytes[:cut] if cut is not None else workbook_bytes)
    for position, mask in flips:
        if position < len(data):
            data[position] ^= mask
    at, extra = insert
    data[at:at] = extra
    path = folder / "abime.xlsx"
    path.write_bytes(bytes(data))
    _read_or_refuse(path)


@pytest.fixture(scope="module")
def store(folder: Path, make_base) -> Iterator[tuple[Engine, Path | str]]:
    path = make_base(folder / "base")
    location = resolve_location(str(path))
    engine = create_store_engine(location)
    yield engine, path
    engine.dispose()


def _counts(path: Path | str) -> tuple[int, int]:
    return scalar(path, "SELECT COUNT(*) FROM lot"), scalar(path, "SELECT COUNT(*) FROM signalement")


@pytest.fixture(scope="module")
def partner_rows(folder: Path) -> dict[str, tuple[list[str], list[list[str]]]]:
    """Header and rows of each reference-layout file of the synthetic département."""
    generate_bulk(folder / "modeles", 40, seed=4, workers=1)
    files = {}
    for path in sorted((folder / "modeles").glob("*.csv")):
        with path.open(encoding="utf-8-sig", newline="") as handle:
            header, *rows = list(csv.reader(handle, delimiter=";"))
        files[path.stem] = (header, rows[:50])
    return files


edit = st.tuples(st.integers(min_value=0, max_value=40), st.integers(min_value=0, max_value=30), cell)


@FUZZ
@given(
    choice=st.integers(min_value=0, max_value=3),
    edits=st.lists(edit, max_size=25),
    keep=st.integers(min_value=0, max_value=12),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252"]),
    delimiter=st.sampled_from([";", ",", "\t"]),
)
def test_importing_partner_rows_with_hostile_cells_ends_in_code_0_3_or_5_and_never_raises(
    folder: Path,
    store: tuple[Engine, Path],
    partner_rows: dict[str, tuple[list[str], list[list[str]]]],
    choice: int,
    edits: list[tuple[int, int, str]],
    keep: int,
    encoding: str,
    delimiter: str,
) -> None:
    engine, base = store
    source = sorted(partner_rows)[choice % len(partner_rows)]
    header, reference = partner_rows[source]
    rows = [list(row) for row in reference[:keep]]
    for row_index, column, value in edits:  # hostile values in real rows, and ragged rows
        if rows:
            row = rows[row_index % len(rows)]
            if column < len(row):
                row[column] = value
            else:
                row.append(value)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    path = folder / f"{source}_abime.csv"
    path.write_bytes(buffer.getvalue().encode(encoding, errors="replace"))
    lots, signalements = _counts(base)

    report = import_file(engine, path, ImportOptions(rejects_dir=folder / "rejets", link=False))

    after_lots, after_signalements = _counts(base)
    event(f"code {report.exit_code}" + (" avec des lignes importées" if report.imported else ""))
    assert report.exit_code in (OK, INPUT, PARTIAL), report
    if report.exit_code == INPUT:
        assert report.message and report.message.startswith(str(path)), report
        assert (after_lots, after_signalements) == (lots, signalements)
        return
    assert report.imported + report.duplicates + report.rejected == report.read, report
    if report.status != "deja_importe":
        assert after_signalements - signalements == report.imported
    for anomaly in report.reject_preview:  # a reason in French, the row as the user numbers it
        assert anomaly.reason.strip() and anomaly.row >= 2, anomaly
