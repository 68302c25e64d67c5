"""Identifiers kept as text (numéro allocataire, code INSEE, références) and small scalar values."""

from __future__ import annotations

import re
from functools import lru_cache

from .text import clean_spaces, fold

__all__ = [
    "normalize_allocataire",
    "normalize_identifier",
    "normalize_insee",
    "parse_bool_fr",
    "parse_int",
]

_FLOAT_INTEGER = re.compile(r"^(\d+)\.0+$")
_ALLOCATAIRE_NOISE = re.compile(r"[\s.\-/]")
_INSEE = re.compile(r"^(?:\d{5}|2[AB]\d{3})$")
_INT = re.compile(r"^\+?(\d+)(?:[.,]0+)?$")
_TRUE = frozenset({"O", "OUI", "Y", "YES", "1", "X", "VRAI", "TRUE", "V", "T"})
_FALSE = frozenset({"N", "NON", "NO", "0", "FAUX", "FALSE", "F"})


def _drop_float_zero(text: str) -> str:
    """Undo a spreadsheet float: "123456.0" → "123456"."""
    match = _FLOAT_INTEGER.match(text)
    return match[1] if match else text


@lru_cache(maxsize=16384)
def normalize_identifier(s: str) -> str:
    """Strip and collapse spaces, drop a spreadsheet's ".0"; keep leading zeros and letters."""
    return _drop_float_zero(clean_spaces(s))


@lru_cache(maxsize=16384)
def normalize_allocataire(s: str, width: int = 7) -> str:
    """Numéro allocataire as digits, left-padded with zeros to width ("12345" → "0012345")."""
    text = clean_spaces(s)
    digits = _ALLOCATAIRE_NOISE.sub("", _drop_float_zero(text))
    if not digits:
        raise ValueError("numéro allocataire vide")
    if not digits.isdigit() or not digits.isascii():
        raise ValueError(f"numéro allocataire invalide : « {text} » (chiffres seulement)")
    return digits.zfill(width)


@lru_cache(maxsize=4096)
def normalize_insee(s: str) -> str:
    """Return a 5-character code INSEE: "1053" → "01053", "2b004" → "2B004"."""
    text = clean_spaces(s)
    code = _drop_float_zero(text.replace(" ", "")).upper()
    if code.isdigit() and len(code) == 4:
        code = "0" + code
    if not _INSEE.match(code) or code.startswith("00") or not code.isascii():
        raise ValueError(f"code INSEE invalide : « {text} »")
    return code


def parse_int(s: str) -> int | None:
    """Parse a count ("2", "2.0", " 3 "); None when empty; ValueError when negative or not whole."""
    text = clean_spaces(s)
    if not text:
        return None
    match = _INT.match(text.replace(" ", ""))
    if match is None or not text.isascii():
        if text.startswith("-") and _INT.match(text[1:].strip()):
            raise ValueError(f"nombre négatif non accepté : « {text} »")
        raise ValueError(f"nombre entier invalide : « {text} »")
    return int(match[1])


def parse_bool_fr(s: str) -> bool | None:
    """Parse O/N, Oui/Non, Y/N, 1/0, X, Vrai/Faux, True/False; None when empty."""
    key = fold(s)
    if not key:
        return None
    if key in _TRUE or key == "1 0":  # "1.0" from a spreadsheet
        return True
    if key in _FALSE or key == "0 0":
        return False
    raise ValueError(f"valeur oui/non invalide : « {clean_spaces(s)} »")
