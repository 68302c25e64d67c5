"""exploc_cli.normalize.dates: French and ISO dates, two-digit years, Excel serials."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exploc_cli.normalize.dates import format_date_fr, parse_date

TODAY = date(2026, 3, 15)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("31/12/2025", date(2025, 12, 31)),
        ("31/12/25", date(2025, 12, 31)),
        ("1/2/2025", date(2025, 2, 1)),
        ("01/02/2025", date(2025, 2, 1)),
        ("2025-12-31", date(2025, 12, 31)),
        ("2025-12-31 00:00:00", date(2025, 12, 31)),
        ("2025-12-31T10:00:00", date(2025, 12, 31)),
        ("2025-12-31T10:00:00.123", date(2025, 12, 31)),
        ("2025-12-31T10:00:00+01:00", date(2025, 12, 31)),
        ("2025/12/31", date(2025, 12, 31)),
        ("31.12.2025", date(2025, 12, 31)),
        ("31-12-2025", date(2025, 12, 31)),
        ("31 12 2025", date(2025, 12, 31)),
        ("31/12/2025 14:30", date(2025, 12, 31)),
        ("31122025", date(2025, 12, 31)),
        ("45657", date(2024, 12, 31)),
        ("45657.0", date(2024, 12, 31)),
        ("45658", date(2025, 1, 1)),
        ("20000", date(1954, 10, 3)),
        ("  31/12/2025 ", date(2025, 12, 31)),
        ("12 mars 2024", date(2024, 3, 12)),
        ("1er janvier 2025", date(2025, 1, 1)),
        ("15 févr. 2023", date(2023, 2, 15)),
        ("29/02/2024", date(2024, 2, 29)),
        # Two-digit years: up to (2026 % 100) + 1 = 27 → 20yy, above → 19yy.
        ("01/01/00", date(2000, 1, 1)),
        ("01/01/26", date(2026, 1, 1)),
        ("01/01/27", date(2027, 1, 1)),
        ("01/01/28", date(1928, 1, 1)),
        ("01/01/85", date(1985, 1, 1)),
        ("01/01/99", date(1999, 1, 1)),
    ],
)
def test_parse_date(raw: str, expected: date) -> None:
    assert parse_date(raw, today=TODAY) == expected


def test_two_digit_year_follows_today() -> None:
    assert parse_date("01/01/30", today=date(2029, 1, 1)) == date(2030, 1, 1)
    assert parse_date("01/01/30", today=date(2020, 1, 1)) == date(1930, 1, 1)


def test_default_today_is_used() -> None:
    pivot = date.today().year % 100 + 1
    assert parse_date(f"01/01/{pivot:02d}").year == 2000 + pivot


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("31/02/1980", "date invalide : « 31/02/1980 » (ce jour n'existe pas)"),
        ("00/01/1980", "date invalide : « 00/01/1980 » (ce jour n'existe pas)"),
        ("29/02/2023", "date invalide : « 29/02/2023 » (ce jour n'existe pas)"),
        ("31/13/1980", "date invalide : « 31/13/1980 » (le mois 13 n'existe pas)"),
        ("2025-00-10", "date invalide : « 2025-00-10 » (le mois 0 n'existe pas)"),
        ("01/01/0195", "date invalide : « 01/01/0195 » (année 0195 improbable)"),
        ("bientôt", "date non reconnue : « bientôt »"),
        ("12345", "date non reconnue : « 12345 »"),
        ("99999", "date non reconnue : « 99999 »"),
        ("31/12", "date non reconnue : « 31/12 »"),
        ("2025-12-31Z", "date non reconnue : « 2025-12-31Z »"),
        ("", "date vide"),
        ("   ", "date vide"),
    ],
)
def test_parse_date_errors(raw: str, message: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_date(raw, today=TODAY)
    assert str(info.value) == message


def test_format_date_fr() -> None:
    assert format_date_fr(date(2025, 12, 31)) == "31/12/2025"
    assert format_date_fr(date(2025, 1, 2)) == "02/01/2025"


_DATES = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))


@given(_DATES)
def test_french_round_trip(d: date) -> None:
    assert parse_date(format_date_fr(d)) == d


@given(_DATES)
def test_iso_round_trip(d: date) -> None:
    assert parse_date(d.isoformat()) == d
    assert parse_date(f"{d.isoformat()} 00:00:00") == d


@given(st.dates(min_value=date(1954, 10, 3), max_value=date(2119, 1, 10)))
def test_excel_serial_round_trip(d: date) -> None:
    serial = (d - date(1899, 12, 30)).days
    assert parse_date(str(serial)) == d
    assert parse_date(f"{serial}.0") == d


@given(st.text())
def test_only_value_error(raw: str) -> None:
    try:
        parse_date(raw)
    except ValueError as err:
        assert str(err)
