"""Matching keys of the sectorisation: service types, communes, streets and house-number ranges.

The same keys are computed when the table is imported (stored in ``commune_cle``/``voie_cle``)
and when an address is looked up, so that « r. des lilas » finds « Rue des Lilas » and
« BOURG SUR SARRE » finds « Bourg-sur-Sarre ».
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from ..normalize._address_words import PARTICLES_KEY
from ..normalize.addresses import normalize_commune, parse_address
from ..normalize.dates import format_date_fr
from ..normalize.identifiers import normalize_insee
from ..normalize.text import clean_spaces, fold, fold_compact

# Stored code → how the user writes it.
SERVICE_TYPES: dict[str, str] = {
    "caf": "CAF",
    "msa": "MSA",
    "departement": "Département",
    "bailleur": "bailleur",
    "ccas": "CCAS",
    "association": "association",
    "autre": "autre",
}
_TYPE_SPELLINGS: dict[str, str] = {
    "CAF": "caf",
    "CAISSE D ALLOCATIONS FAMILIALES": "caf",
    "MSA": "msa",
    "MUTUALITE SOCIALE AGRICOLE": "msa",
    "DEPARTEMENT": "departement",
    "CD": "departement",
    "CONSEIL DEPARTEMENTAL": "departement",
    "CONSEIL GENERAL": "departement",
    "BAILLEUR": "bailleur",
    "BAILLEUR SOCIAL": "bailleur",
    "BAILLEURS": "bailleur",
    "CCAS": "ccas",
    "CIAS": "ccas",
    "ASSOCIATION": "association",
    "ASSO": "association",
    "AUTRE": "autre",
    "AUTRES": "autre",
}
_KEY_WORDS = {"ST": "SAINT", "STE": "SAINTE"}
_LEADING_NUMBER = re.compile(r"^\s*(\d{1,6})")


def service_type_code(text: str) -> str | None:
    """« Département », « CD », « caf », « Bailleur social »… → the stored code; None if unknown."""
    folded = fold(text)
    if folded.lower() in SERVICE_TYPES:
        return folded.lower()
    return _TYPE_SPELLINGS.get(folded)


def service_type_label(code: str) -> str:
    return SERVICE_TYPES.get(code, code)


@lru_cache(maxsize=16384)
def commune_key(name: str) -> str:
    """« St Ours lès Bourg », « SAINT-OURS-LES-BOURG » → ``SAINTOURSLESBOURG``."""
    try:
        return fold_compact(normalize_commune(name))
    except ValueError:
        return fold_compact(name)


@lru_cache(maxsize=16384)
def insee_key(code: str | None) -> str | None:
    """A normalised code INSEE (« 1110 » → « 01110 »), None when absent or invalid."""
    if not code or not code.strip():
        return None
    try:
        return normalize_insee(code)
    except ValueError:
        return None


@lru_cache(maxsize=65536)
def street_parts(text: str) -> tuple[str, int | None]:
    """The street's matching key and the house number written before it, if any.

    « r. des lilas » and « Rue des Lilas » both give ``RUE LILAS``; « 12 bis av. Foch » gives
    (``AVENUE FOCH``, 12).
    """
    address = parse_address(text)
    words = [_KEY_WORDS.get(w, w) for w in fold(address.voie or text).split() if w not in PARTICLES_KEY]
    return " ".join(words), house_number(address.numero)


def street_key(text: str) -> str:
    return street_parts(text)[0]


def house_number(text: str | None) -> int | None:
    """« 12 », « 12 bis », « 12B » → 12; None when there is no leading number."""
    if not text:
        return None
    match = _LEADING_NUMBER.match(text)
    return int(match[1]) if match else None


@dataclass(frozen=True, slots=True)
class NumberRange:
    """House numbers of a street sector: bounds (None: open) and side (``pair``/``impair``/None)."""

    low: int | None = None
    high: int | None = None
    parity: str | None = None

    @property
    def whole_street(self) -> bool:
        return self.low is None and self.high is None and self.parity is None

    def contains(self, number: int) -> bool:
        if self.low is not None and number < self.low:
            return False
        if self.high is not None and number > self.high:
            return False
        if self.parity is not None and (number % 2 == 0) != (self.parity == "pair"):
            return False
        return True

    def overlaps(self, other: NumberRange) -> bool:
        """Whether one house number could belong to both ranges."""
        if self.parity and other.parity and self.parity != other.parity:
            return False
        low = max(self.low or 0, other.low or 0)
        high = min(x for x in (self.high, other.high, 10**9) if x is not None)
        return low <= high

    def refines(self, other: NumberRange) -> bool:
        """Whether every number of ``self`` is in ``other`` and the ranges differ (the narrower one wins)."""
        inside = (
            (other.low is None or (self.low is not None and self.low >= other.low))
            and (other.high is None or (self.high is not None and self.high <= other.high))
            and (other.parity is None or self.parity == other.parity)
        )
        return inside and self != other

    @property
    def label(self) -> str:
        """« n° 1 à 99 », « n° pairs 2 à 98 », « n° impairs », « n° 100 et plus », « » for the whole street."""
        side = {"pair": " pairs", "impair": " impairs"}.get(self.parity or "", "")
        if self.low is not None and self.high is not None:
            bounds = f" {self.low}" if self.low == self.high else f" {self.low} à {self.high}"
        elif self.low is not None:
            bounds = f" {self.low} et plus"
        elif self.high is not None:
            bounds = f" jusqu'au {self.high}"
        else:
            bounds = ""
        return f"n°{side}{bounds}" if side or bounds else ""

    @property
    def span(self) -> int:
        """How many numbers the range holds (a narrower range is the more specific sector)."""
        width = (self.high if self.high is not None else 10**6) - (self.low or 0)
        return width // 2 if self.parity else width


def valid_on(day: date, start: date | None, end: date | None) -> bool:
    return (start is None or start <= day) and (end is None or day <= end)


def periods_overlap(a: tuple[date | None, date | None], b: tuple[date | None, date | None]) -> bool:
    start = max(a[0] or date.min, b[0] or date.min)
    end = min(a[1] or date.max, b[1] or date.max)
    return start <= end


def period_label(start: date | None, end: date | None) -> str:
    """« du 01/01/2024 au 31/12/2025 », « depuis le 01/01/2024 », « jusqu'au 31/12/2025 », « »."""
    if start and end:
        return f"du {format_date_fr(start)} au {format_date_fr(end)}"
    if start:
        return f"depuis le {format_date_fr(start)}"
    if end:
        return f"jusqu'au {format_date_fr(end)}"
    return ""


_NUMBER_WORDS = frozenset(
    {"A", "AU", "DU", "DE", "DES", "LE", "LES", "COTE", "N", "NO", "NUMERO", "NUMEROS", "INCLUS", "ET", "SEULEMENT"}
)
_FROM_WORDS = frozenset({"PLUS", "PARTIR", "DELA", "SUIVANTS", "AUDELA"})
_UNTIL_WORDS = frozenset({"JUSQU", "JUSQUE", "JUSQUA", "MOINS"})


def parse_numbers(text: str) -> NumberRange:
    """« 1-99 », « 1 à 99 », « du 2 au 98 pairs », « impairs », « 100 et plus », « jusqu'au 50 », « 12 »."""
    raw = text.replace("≥", " PLUS ").replace(">=", " PLUS ").replace("+", " PLUS ").replace("≤", " MOINS ")
    tokens = fold(raw.replace("<=", " MOINS ")).split()
    numbers = [int(t) for t in tokens if t.isdigit()]
    words = {t for t in tokens if not t.isdigit()}
    parities = {
        p for w, p in (("PAIR", "pair"), ("PAIRS", "pair"), ("IMPAIR", "impair"), ("IMPAIRS", "impair")) if w in words
    }
    unknown = words - _NUMBER_WORDS - _FROM_WORDS - _UNTIL_WORDS - {"PAIR", "PAIRS", "IMPAIR", "IMPAIRS"}
    expected = "attendu : 1-99, 2-98 pairs, impairs, 100 et plus, jusqu'au 50"
    if unknown or len(parities) > 1 or len(numbers) > 2:
        raise ValueError(f"numéros illisibles « {clean_spaces(text)} » ({expected}).")
    parity = parities.pop() if parities else None
    if not numbers:
        if parity is None:
            raise ValueError(f"numéros illisibles « {clean_spaces(text)} » ({expected}).")
        return NumberRange(None, None, parity)
    if len(numbers) == 2:
        low, high = numbers
        if low > high:
            raise ValueError(f"numéros « {clean_spaces(text)} » : le premier dépasse le second.")
        return NumberRange(low, high, parity)
    if words & _FROM_WORDS:
        return NumberRange(numbers[0], None, parity)
    if words & _UNTIL_WORDS:
        return NumberRange(None, numbers[0], parity)
    return NumberRange(numbers[0], numbers[0], parity)
