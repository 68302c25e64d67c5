"""Properties of import and export on generated values (hypothesis)."""

from __future__ import annotations

import csv
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from commands.app import app
from tests.backends import Base
from tests.helpers import CAF_HEADER, caf_line, csv_text, scalar

allocataire = st.text(alphabet="0123456789", min_size=1, max_size=7)
postcode = st.sampled_from(["01000", "01100", "09000", "1000", "97400", "20000"])


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(numbers=st.lists(allocataire, min_size=1, max_size=5, unique=True), cp=postcode)
def test_identifiers_keep_their_leading_zeros_through_import_and_export(
    numbers, cp, runner, tmp_path_factory, new_base
) -> None:
    folder = tmp_path_factory.mktemp("prop")
    base = new_base("b")
    lines = [caf_line(f"R-{n}", n, "DUPONT", "Jean", cp=cp) for n in numbers]
    source = folder / "caf.csv"
    source.write_text(csv_text(CAF_HEADER, lines), encoding="utf-8")
    assert runner.invoke(app, ["--base", str(base), "importer", str(source)]).exit_code == 0
    target = folder / "export.csv"
    assert runner.invoke(app, ["--base", str(base), "exporter", "signalements", "--sortie", str(target)]).exit_code == 0
    with Path(target).open(encoding="utf-8-sig", newline="") as handle:
        exported = list(csv.DictReader(handle, delimiter=";"))
    assert sorted(r["numero_allocataire"] for r in exported) == sorted(n.zfill(7) for n in numbers)
    assert all(len(r["code_postal"]) == 5 and r["code_postal"].isdigit() for r in exported)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(["DUPONT", "MARTIN", "N'DIAYE", "LEFÈVRE"]), st.integers(min_value=0, max_value=10_000_00)
        ),
        min_size=1,
        max_size=8,
    )
)
def test_importing_any_file_twice_or_in_two_halves_gives_the_same_rows(
    rows, runner, tmp_path_factory, new_base
) -> None:
    folder = tmp_path_factory.mktemp("idem")
    lines = [
        caf_line(f"R-{i}", str(i), name, "Luc", dette=f"{cents // 100},{cents % 100:02d}")
        for i, (name, cents) in enumerate(rows)
    ]
    whole, first, second = folder / "tout.csv", folder / "a.csv", folder / "b.csv"
    whole.write_text(csv_text(CAF_HEADER, lines), encoding="utf-8")
    first.write_text(csv_text(CAF_HEADER, lines[: len(lines) // 2]), encoding="utf-8")
    second.write_text(csv_text(CAF_HEADER, lines[len(lines) // 2 :]), encoding="utf-8")

    def import_all(base: Base, *paths: Path) -> int:
        for path in paths:
            assert runner.invoke(app, ["--base", str(base), "importer", str(path)]).exit_code == 0
        return int(scalar(base, "SELECT COUNT(*) FROM signalement"))

    expected = len(set(lines))
    assert import_all(new_base("one"), whole) == expected
    assert import_all(new_base("two"), first, second, whole) == expected
