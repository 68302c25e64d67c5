"""exploc_cli.normalize.identifiers: identifiers kept as text, small integers and yes/no values."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exploc_cli.normalize.identifiers import (
    normalize_allocataire,
    normalize_identifier,
    normalize_insee,
    parse_bool_fr,
    parse_int,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("123456.0", "123456"),
        ("123456.00", "123456"),
        ("  00123 ", "00123"),
        ("AB 12\u00a0 34", "AB 12 34"),
        ("SIG-2025-0001", "SIG-2025-0001"),
        ("12.5", "12.5"),
        ("", ""),
        ("0012.0", "0012"),
    ],
)
def test_normalize_identifier(raw: str, expected: str) -> None:
    assert normalize_identifier(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1234567", "1234567"),
        ("12345", "0012345"),
        ("0012345", "0012345"),
        ("12 345", "0012345"),
        ("12.345", "0012345"),
        ("12-345", "0012345"),
        ("12345.0", "0012345"),
        ("123456789", "123456789"),
        (" 7 ", "0000007"),
    ],
)
def test_normalize_allocataire(raw: str, expected: str) -> None:
    assert normalize_allocataire(raw) == expected


def test_normalize_allocataire_width() -> None:
    assert normalize_allocataire("12345", width=8) == "00012345"
    assert normalize_allocataire("12345", width=0) == "12345"


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("12A45", "numéro allocataire invalide : « 12A45 » (chiffres seulement)"),
        ("ABC", "numéro allocataire invalide : « ABC » (chiffres seulement)"),
        ("", "numéro allocataire vide"),
        (" - ", "numéro allocataire vide"),
        ("١٢٣", "numéro allocataire invalide : « ١٢٣ » (chiffres seulement)"),
    ],
)
def test_normalize_allocataire_rejects(raw: str, message: str) -> None:
    with pytest.raises(ValueError) as info:
        normalize_allocataire(raw)
    assert str(info.value) == message


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("59350", "59350"), ("1053", "01053"), ("01053", "01053"), ("2A004", "2A004"),
     ("2b004", "2B004"), (" 2A 004 ", "2A004"), ("59350.0", "59350"), ("97411", "97411")],
)  # fmt: skip
def test_normalize_insee(raw: str, expected: str) -> None:
    assert normalize_insee(raw) == expected


@pytest.mark.parametrize("raw", ["", "123", "593500", "2C004", "ABCDE", "00123", "2A0045"])
def test_normalize_insee_rejects(raw: str) -> None:
    with pytest.raises(ValueError) as info:
        normalize_insee(raw)
    assert str(info.value) == f"code INSEE invalide : « {raw.strip()} »"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("", None), ("  ", None), ("2", 2), ("2.0", 2), (" 3 ", 3), ("0", 0), ("12", 12),
     ("1 000", 1000), ("+4", 4), ("2,0", 2)],
)  # fmt: skip
def test_parse_int(raw: str, expected: int | None) -> None:
    assert parse_int(raw) == expected


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("-1", "nombre négatif non accepté : « -1 »"),
        ("- 2", "nombre négatif non accepté : « - 2 »"),
        ("2.5", "nombre entier invalide : « 2.5 »"),
        ("deux", "nombre entier invalide : « deux »"),
        ("²", "nombre entier invalide : « ² »"),
    ],
)
def test_parse_int_rejects(raw: str, message: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_int(raw)
    assert str(info.value) == message


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("O", True), ("o", True), ("Oui", True), ("OUI", True), ("Y", True), ("yes", True),
     ("1", True), ("1.0", True), ("X", True), ("x", True), ("Vrai", True), ("True", True),
     ("N", False), ("Non", False), ("no", False), ("0", False), ("0.0", False),
     ("Faux", False), ("False", False), ("", None), ("  ", None)],
)  # fmt: skip
def test_parse_bool_fr(raw: str, expected: bool | None) -> None:
    assert parse_bool_fr(raw) is expected


@pytest.mark.parametrize("raw", ["peut-être", "2", "oui non"])
def test_parse_bool_fr_rejects(raw: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_bool_fr(raw)
    assert str(info.value) == f"valeur oui/non invalide : « {raw} »"


@given(st.text(alphabet="0123456789 .-", max_size=15))
def test_normalize_allocataire_idempotent_and_keeps_digits(raw: str) -> None:
    try:
        once = normalize_allocataire(raw)
    except ValueError:
        return
    assert once.isdigit() and len(once) >= 7
    assert normalize_allocataire(once) == once
    digits = "".join(c for c in re.sub(r"^(\d+)\.0+$", r"\1", raw.strip()) if c.isdigit())
    assert once.lstrip("0") == digits.lstrip("0")


@given(st.text())
def test_normalize_identifier_idempotent(raw: str) -> None:
    once = normalize_identifier(raw)
    assert normalize_identifier(once) == once


@given(st.from_regex(r"(?:[0-9]{4,5}|2[ABab][0-9]{3})", fullmatch=True))
def test_normalize_insee_shape(raw: str) -> None:
    try:
        code = normalize_insee(raw)
    except ValueError:
        return
    assert len(code) == 5
    assert normalize_insee(code) == code


@given(st.integers(min_value=0, max_value=10**9))
def test_parse_int_round_trip(n: int) -> None:
    assert parse_int(str(n)) == n
    assert parse_int(f"{n}.0") == n


@given(st.text())
def test_only_value_errors(raw: str) -> None:
    for fn in (normalize_allocataire, normalize_insee, parse_int, parse_bool_fr):
        try:
            fn(raw)
        except ValueError as err:
            assert str(err)
