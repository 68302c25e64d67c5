"""Dates as partners write them: 31/12/2025, 31/12/25, 2025-12-31, 31.12.2025, Excel serials."""

from __future__ import annotations

import re
from datetime import date, timedelta
from functools import lru_cache

from .text import clean_spaces, fold

__all__ = ["format_date_fr", "parse_date"]

_DMY = re.compile(
    r"^(\d{1,2})[/.\- ](\d{1,2})[/.\- ](\d{4}|\d{2})"
    r"(?:[ T]\d{1,2}[:h]\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
_ISO = re.compile(
    r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})"
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?$"
)
_COMPACT = re.compile(r"^(\d{2})(\d{2})(\d{4})$")
_SERIAL = re.compile(r"^(\d{5})(?:[.,]\d+)?$")
_TEXTUAL = re.compile(r"^(\d{1,2})(?:ER)? ([A-Z]+) (\d{4})$")
_MONTHS = {
    "JANVIER": 1, "JANV": 1, "JAN": 1, "FEVRIER": 2, "FEVR": 2, "FEV": 2, "MARS": 3, "MAR": 3,
    "AVRIL": 4, "AVR": 4, "MAI": 5, "JUIN": 6, "JUILLET": 7, "JUIL": 7, "AOUT": 8,
    "SEPTEMBRE": 9, "SEPT": 9, "SEP": 9, "OCTOBRE": 10, "OCT": 10, "NOVEMBRE": 11, "NOV": 11,
    "DECEMBRE": 12, "DEC": 12,
}  # fmt: skip
_EXCEL_EPOCH = date(1899, 12, 30)  # 1900 date system, after Excel's fictitious 29/02/1900
_SERIAL_RANGE = (20000, 80000)  # 1954-10-03 .. 2119-01-10
_YEAR_RANGE = (1850, 2200)


def _build(text: str, year: int, month: int, day: int) -> date:
    if not 1 <= month <= 12:
        raise ValueError(f"date invalide : « {text} » (le mois {month} n'existe pas)")
    if not _YEAR_RANGE[0] <= year <= _YEAR_RANGE[1]:
        raise ValueError(f"date invalide : « {text} » (année {year:04d} improbable)")
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"date invalide : « {text} » (ce jour n'existe pas)") from None


def _two_digit_year(yy: int, pivot: int | None) -> int:
    if pivot is None:
        pivot = date.today().year % 100 + 1
    return 2000 + yy if yy <= pivot else 1900 + yy


@lru_cache(maxsize=16384)
def _parse_date(value: str, pivot: int | None) -> date:
    text = clean_spaces(value)
    if not text:
        raise ValueError("date vide")
    match = _DMY.match(text)
    if match is not None:
        day, month, year = int(match[1]), int(match[2]), int(match[3])
        if len(match[3]) == 2:
            year = _two_digit_year(year, pivot)
        return _build(text, year, month, day)
    match = _ISO.match(text)
    if match is not None:
        return _build(text, int(match[1]), int(match[2]), int(match[3]))
    match = _SERIAL.match(text)
    if match is not None and _SERIAL_RANGE[0] <= int(match[1]) <= _SERIAL_RANGE[1]:
        return _EXCEL_EPOCH + timedelta(days=int(match[1]))
    match = _COMPACT.match(text)
    if match is not None:
        return _build(text, int(match[3]), int(match[2]), int(match[1]))
    match = _TEXTUAL.match(fold(text))
    if match is not None and match[2] in _MONTHS:
        return _build(text, int(match[3]), _MONTHS[match[2]], int(match[1]))
    raise ValueError(f"date non reconnue : « {text} »")


def parse_date(value: str, *, today: date | None = None) -> date:
    """Parse a French or ISO date, or an Excel serial number; ValueError with a French reason.

    Two-digit years up to (today's year % 100) + 1 are 20yy, the others 19yy.
    """
    return _parse_date(value, None if today is None else today.year % 100 + 1)


MONTHS_FR = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
             "novembre", "décembre")  # fmt: skip
_DAYS_FR = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


def format_long_date_fr(d: date) -> str:
    """« lundi 15 décembre 2025 » (« 1er » for the first of the month)."""
    return f"{_DAYS_FR[d.weekday()]} {'1er' if d.day == 1 else d.day} {MONTHS_FR[d.month - 1]} {d.year}"


def format_date_fr(d: date) -> str:
    """Format a date as "31/12/2025"."""
    return f"{d.day:02d}/{d.month:02d}/{d.year:04d}"
