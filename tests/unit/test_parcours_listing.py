"""Selecting ménages with the shared filters, and the owner-only, formula-proof .xlsx writer."""

from __future__ import annotations

import stat
from dataclasses import replace
from datetime import date
from pathlib import Path

import openpyxl
import pytest

from exploc_cli.errors import ExplocError
from exploc_cli.filters import Filters
from exploc_cli.outputs import XlsxColumn, write_private_xlsx
from exploc_cli.parcours import MenageSummary
from exploc_cli.parcours.listing import matches, summary_to_json

SUMMARY = MenageSummary(
    menage_id=7, statut="ouvert", nom="LEFÈVRE", prenoms="Éloïse", nom2=None, prenoms2=None,
    commune="SAINT-ANDRÉ-LEZ-LILLE", code_insee="59527", parc="prive", bailleur="Société Logis du Val",
    stage="cql", stage_label="Commandement de quitter les lieux", stage_date=date(2026, 1, 12), dette=300000,
    dette_date=date(2026, 1, 12), last_event_date=date(2026, 1, 12), alerts=("inconnu_social", "dette_hausse"),
    next_deadline=date(2026, 4, 1), next_deadline_code="fin_delai_cql", next_deadline_label="Fin du délai",
    episodes=1, reopened=False, code_postal="59350",
)  # fmt: skip


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(), True),
        (Filters(etape="cql"), True),
        (Filters(etape="cdp"), False),
        (Filters(alerte="dette_hausse"), True),
        (Filters(alerte="dette_elevee"), False),
        (Filters(commune="St André lez Lille"), True),
        (Filters(commune="59350"), True),
        (Filters(commune="59527"), True),
        (Filters(commune="Lille"), False),
        (Filters(bailleur="logis du VAL"), True),
        (Filters(bailleur="sarre"), False),
        (Filters(parc="prive"), True),
        (Filters(parc="public"), False),
        (Filters(dette_min=300000, dette_max=300000), True),  # bounds included
        (Filters(dette_min=300001), False),
        (Filters(dette_max=299999), False),
        (Filters(du=date(2026, 1, 12), au=date(2026, 1, 12)), True),
        (Filters(du=date(2026, 1, 13)), False),
        (Filters(statut="ouvert"), True),
        (Filters(statut="clos"), False),
    ],
)
def test_a_summary_passes_the_filters_that_describe_it(filters: Filters, expected: bool) -> None:
    assert matches(SUMMARY, filters) is expected


def test_unknown_values_are_excluded_by_a_range_and_never_match_a_value() -> None:
    bare = replace(SUMMARY, dette=None, last_event_date=None, commune=None, code_postal=None, code_insee=None)
    assert not matches(bare, Filters(dette_max=100))
    assert not matches(bare, Filters(au=date(2030, 1, 1)))
    assert not matches(bare, Filters(commune="Lille"))
    assert matches(bare, Filters(etape="cql"))


def test_filters_refuse_unknown_codes_and_empty_ranges_in_french() -> None:
    with pytest.raises(ExplocError, match="Alerte inconnue") as raised:
        Filters(alerte="dette")
    assert "inconnu_social" in (raised.value.hint or "") and "rouvert" in (raised.value.hint or "")
    with pytest.raises(ExplocError, match="Statut inconnu"):
        Filters(statut="ferme")
    with pytest.raises(ExplocError, match="--dette-min"):
        Filters(dette_min=500, dette_max=100)


def test_a_summary_in_json_has_iso_dates_and_amounts_in_euros() -> None:
    shown = summary_to_json(SUMMARY)
    assert (shown["dette"], shown["date_dette"]) == (3000.0, "2026-01-12")
    assert shown["prochaine_echeance"] == {"date": "2026-04-01", "code": "fin_delai_cql", "libelle": "Fin du délai"}
    assert shown["alertes"] == ["inconnu_social", "dette_hausse"]


def test_the_xlsx_writer_is_owner_only_typed_and_formula_proof(tmp_path: Path) -> None:
    columns = (XlsxColumn("nom"), XlsxColumn("dette", "euros"), XlsxColumn("le", "date"), XlsxColumn("n", "number"))
    target = tmp_path / "private" / "t.xlsx"
    count = write_private_xlsx(
        target,
        columns,
        [["=1+1", 123456, date(2026, 2, 3), 4], ["-2", None, None, None], ["@A1", 0, date(2026, 1, 1), 0]],
        sheet="Test",
    )
    assert count == 3 and stat.S_IMODE(target.stat().st_mode) == 0o600
    sheet = openpyxl.load_workbook(target)["Test"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == "A1:D4" and sheet["A1"].font.b
    assert [sheet.cell(row, 1).value for row in (2, 3, 4)] == ["'=1+1", "'-2", "'@A1"]
    assert all(sheet.cell(row, 1).data_type == "s" for row in (2, 3, 4))
    assert sheet["B2"].value == 1234.56 and "€" in sheet["B2"].number_format and sheet["B4"].value == 0
    assert sheet["C2"].is_date and sheet["C2"].value.date() == date(2026, 2, 3)
    assert sheet["B3"].value is None and sheet["D2"].value == 4
    assert list(tmp_path.joinpath("private").iterdir()) == [target]  # no temporary file left behind
