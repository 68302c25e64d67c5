"""exploc_cli.normalize.amounts: euros in, integer centimes out."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exploc_cli.normalize.amounts import MAX_CENTIMES, format_centimes_fr, parse_amount_centimes


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("", None),
        ("   ", None),
        ("0", 0),
        ("1234", 123400),
        ("1 234,56", 123456),
        ("1 234,56 €", 123456),
        ("1\u00a0234,56", 123456),
        ("1\u202f234,56", 123456),
        ("1\u2009234,56 €", 123456),
        ("1234.56", 123456),
        ("1234,56", 123456),
        ("1.234,56", 123456),
        ("1,234.56", 123456),
        ("1'234.56", 123456),
        ("€ 1 234", 123400),
        ("€1234", 123400),
        ("1234€", 123400),
        ("1234 EUR", 123400),
        ("1 234,56 euros", 123456),
        ("1234,5", 123450),
        ("-150,00", -15000),
        ("- 150,00 €", -15000),
        ("(150,00)", -15000),
        ("150,00-", -15000),
        ("+150", 15000),
        ("1234.0", 123400),
        ("1234.00", 123400),
        ("1 234 567,89", 123456789),
        ("1.234.567,89", 123456789),
        ("1,234,567.89", 123456789),
        ("1.234", 123400),  # a dot then three digits is a thousands separator
        ("12,345", 1235),  # a lone comma is always the French decimal comma
        ("0,125", 13),  # rounded half up to the centime
        ("0,124", 12),
        ("0.005", 1),
        ("2,675", 268),
        ("1.5E+3", 150000),
        (" 42 ", 4200),
    ],
)
def test_parse_amount_centimes(raw: str, expected: int | None) -> None:
    assert parse_amount_centimes(raw) == expected


@pytest.mark.parametrize("raw", ["abc", "12 34", "1.234.56", "1,2,3", "--5", "€", "-", "1 2345", "12a", "1..2"])
def test_parse_amount_rejects(raw: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_amount_centimes(raw)
    assert str(info.value) == f"montant invalide : « {raw.strip()} »"


@pytest.mark.parametrize(
    ("centimes", "expected"),
    [
        (123456, "1\u00a0234,56"),
        (0, "0,00"),
        (5, "0,05"),
        (100, "1,00"),
        (-15000, "-150,00"),
        (123456789, "1\u00a0234\u00a0567,89"),
    ],
)
def test_format_centimes_fr(centimes: int, expected: str) -> None:
    assert format_centimes_fr(centimes) == expected


@given(st.integers(min_value=-MAX_CENTIMES, max_value=MAX_CENTIMES))
def test_round_trip(centimes: int) -> None:
    assert parse_amount_centimes(format_centimes_fr(centimes)) == centimes


@given(st.integers(min_value=MAX_CENTIMES + 1), st.booleans())
def test_amounts_too_large_to_be_real_are_refused_in_french(centimes: int, negative: bool) -> None:
    value = format_centimes_fr(-centimes if negative else centimes)
    with pytest.raises(ValueError, match="montant invalide.*plus de dix milliards"):
        parse_amount_centimes(value)
    for hostile in ("1e308", "9" * 30, "1E20 €"):
        with pytest.raises(ValueError, match="montant invalide"):
            parse_amount_centimes(hostile)


@given(st.integers(min_value=-(10**12), max_value=10**12))
def test_plain_decimal_strings(centimes: int) -> None:
    sign = "-" if centimes < 0 else ""
    euros, cents = divmod(abs(centimes), 100)
    assert parse_amount_centimes(f"{sign}{euros}.{cents:02d}") == centimes
    assert parse_amount_centimes(f"{sign}{euros},{cents:02d} €") == centimes


@given(st.text())
def test_only_value_error(raw: str) -> None:
    try:
        parse_amount_centimes(raw)
    except ValueError as err:
        assert str(err).startswith("montant invalide")
