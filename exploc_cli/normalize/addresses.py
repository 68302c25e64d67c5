"""Postal addresses: numéro, suffixe, voie, complément, code postal and commune.

Partners write "12 bis rue X", "12, R. X", "Appt 4, 12 avenue X", "Bât C Appt 19 - 3 rue des Lilas",
"Cité Jardin 63, rue des Bleuets", "55 rue Lebreton 59000 LILLE" or several lines. parse_address
never raises: what it cannot place goes to the complément, so nothing written by the partner is lost.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache

from ._address_fast import fast_parts
from ._address_parts import (
    LETTER,
    PUNCT,
    SEGMENTS,
    SPLITTERS,
    Voie,
    Words,
    bare_number,
    complement_text,
    has_letters,
    is_complement_start,
    numbers_next_street,
    parse_voie,
    place_voie_start,
    take_cp_commune,
    voie_start,
)
from ._address_words import F_PLACE, NUMERO_PREFIX, PARTICLES_KEY, street_at, word
from .text import clean_spaces, fold, upper_fr

__all__ = [
    "Address",
    "address_key",
    "format_address",
    "normalize_commune",
    "normalize_postcode",
    "parse_address",
]


@dataclass(frozen=True, slots=True)
class Address:
    """A parsed address; every part is None when absent."""

    numero: str | None
    suffixe: str | None
    voie: str | None
    complement: str | None
    code_postal: str | None
    commune: str | None


_new = object.__new__
_SETTERS = tuple(Address.__dict__[f].__set__ for f in Address.__slots__)


def _address(
    numero: str | None,
    suffixe: str | None,
    voie: str | None,
    complement: str | None,
    code_postal: str | None,
    commune: str | None,
) -> Address:
    """Address(...) built without the frozen dataclass's __init__ (twice as fast)."""
    a: Address = _new(Address)
    set_numero, set_suffixe, set_voie, set_complement, set_code_postal, set_commune = _SETTERS
    set_numero(a, numero)
    set_suffixe(a, suffixe)
    set_voie(a, voie)
    set_complement(a, complement)
    set_code_postal(a, code_postal)
    set_commune(a, commune)
    return a


# --- code postal and commune -----------------------------------------------------------------

_POSTCODE = re.compile(r"^(?:F-?)?(\d{1,2}) ?(\d{3})(?:\.0+)?$")


@lru_cache(maxsize=8192)
def normalize_postcode(s: str) -> str:
    """Return a 5-digit code postal: "1000" → "01000", "59 000" → "59000", "59000.0" → "59000"."""
    text = clean_spaces(s).upper()
    match = _POSTCODE.match(text)
    if match is None or (code := f"{match[1]}{match[2]}".zfill(5)).startswith("00"):
        raise ValueError(f"code postal invalide : « {clean_spaces(s)} »")
    return code


_CEDEX = re.compile(r"\s*\bCEDEX\b(?:\s*\d{1,3})?\s*")
_ARRONDISSEMENT = re.compile(r"\s+(\d{1,2})\s*(?:ER|ERE|E|EME|ÈME)?(?:\s+ARR(?:ONDISSEMENT)?\.?)?$")
_SAINT = re.compile(r"\b(ST|STE)\b\.?")
_ARTICLES = frozenset({"LE", "LA", "LES"})


@lru_cache(maxsize=8192)
def normalize_commune(s: str) -> str:
    """Commune in capitals as INSEE writes it: "St André lez Lille" → "SAINT-ANDRÉ-LEZ-LILLE"."""
    text = clean_spaces(upper_fr(s))
    text = _CEDEX.sub(" ", text).strip()
    if not any(c.isalpha() for c in text):
        raise ValueError(f"commune invalide : « {clean_spaces(s)} »")
    suffix = ""
    arrondissement = _ARRONDISSEMENT.search(text)
    if arrondissement and text[: arrondissement.start()].strip():
        number = int(arrondissement[1])
        suffix = f" {number}{'ER' if number == 1 else 'E'} ARRONDISSEMENT"
        text = text[: arrondissement.start()]
    text = _SAINT.sub(lambda m: "SAINT" if m[1] == "ST" else "SAINTE", text)
    words = [w for w in re.split(r"[\s-]+", text.replace("'", "' ")) if w]
    # A lost apostrophe: "VILLENEUVE D ASCQ" → "VILLENEUVE-D'ASCQ", "L ISLE ADAM" → "L'ISLE-ADAM".
    words = [w + "'" if w in ("D", "L") and i < len(words) - 1 else w for i, w in enumerate(words)]
    head = ""
    if len(words) > 1 and words[0] in _ARTICLES:
        head, words = words[0] + " ", words[1:]
    body = "-".join(words).replace("'-", "'")
    return (head + body).strip("-' ") + suffix


# --- address text ----------------------------------------------------------------------------


def _or_none(normalize: Callable[[str], str], value: str | None) -> str | None:
    """Normalise a code postal or commune found in the text; None when it is not valid."""
    if not value:
        return None
    try:
        return normalize(value)
    except ValueError:
        return None


def _voie_candidates(segments: list[Words], cuts: list[int | None]) -> list[tuple[int, int]]:
    """Where the street may start, best first, as (segment, word) positions.

    cuts: numbers_next_street() of each segment; such a segment ("Cité Jardin 63" before "rue X")
    holds no street.
    """
    ranked: list[list[tuple[int, int]]] = [[], [], [], [], []]
    for idx, words in enumerate(segments):
        if cuts[idx] is not None:
            continue
        if words[0].flags & F_PLACE and (place := place_voie_start(words)) is not None:
            ranked[1].append((idx, place))  # "Quartier X 5 rue Y", as "Résidence X 5 rue Y"
            continue
        leads_complement = (
            words[0].complement is not None
            or is_complement_start(words, 0)
            or (words[0].number is not None and len(words) > 1 and is_complement_start(words, 1))
        )
        start = voie_start(words)
        if not leads_complement and street_at(words, 0) is not None:
            ranked[0].append((idx, 0))  # "rue X", "12 rue X"
        elif start == 0 or (start == 1 and words[0].key in NUMERO_PREFIX):
            ranked[0].append((idx, start))
        elif start is not None:
            # "Résidence X 5 allée des Roses" before "Bât C rue des Lilas" (no number).
            ranked[1 if words[start].number is not None else 4].append((idx, start))
        if leads_complement or bare_number(words) is not None or not has_letters(words):
            continue
        ranked[2 if words[0].number is not None else 3].append((idx, 0))  # "12 Grande Rue"
    return [position for rank in ranked for position in rank]


def _find_voie(seg_words: list[Words], cuts: list[int | None]) -> tuple[int, int, Voie]:
    for idx, start in _voie_candidates(seg_words, cuts):
        found = parse_voie(seg_words[idx][start:])
        if found.voie is not None and LETTER.search(found.voie):
            return idx, start, found
    return -1, 0, Voie(None, None, None, ())


# numéro, suffixe, voie, complément, code postal and commune (normalised) of an address text.
_Parts = tuple[str | None, str | None, str | None, str | None, str | None, str | None]


def _text_parts(text: str) -> _Parts:
    """The parts of a stripped text: by the fast path for the usual shapes, else the general parser."""
    fast = fast_parts(text)
    if fast is None:
        a = _parse_general(text)
        return a.numero, a.suffixe, a.voie, a.complement, a.code_postal, a.commune
    numero, suffixe, voie, complement, cp, commune = fast
    return (
        numero,
        suffixe,
        voie,
        complement,
        _or_none(normalize_postcode, cp) if cp else None,
        _or_none(normalize_commune, commune) if commune else None,
    )


def _parse_general(text: str) -> Address:
    """Parse a stripped address text of any shape: the reference that the fast path agrees with."""
    raw = SEGMENTS.split(text.replace("\r", "\n")) if SPLITTERS.search(text) else (text,)
    segments = [ws for ws in ([t for t in s.split() if t.strip(PUNCT)] for s in raw) if ws]
    cp, commune = take_cp_commune(segments)
    seg_words = [[word(t) for t in ws] for ws in segments]
    cuts = [numbers_next_street(seg_words, idx) for idx in range(len(seg_words))]
    voie_idx, start, found = _find_voie(seg_words, cuts)
    complement: Words = []
    pending: tuple[str, str | None] | None = None
    for idx, words in enumerate(seg_words):
        cut = cuts[idx]
        if idx == voie_idx:
            complement.extend(words[:start])
            complement.extend(found.after)
        elif cut is not None and idx + 1 == voie_idx:
            complement.extend(words[:cut])  # "Bât E Appt 80 131, allée X": 131 is the numéro
            pending = bare_number(words[cut:])
        elif idx < voie_idx and bare_number(words) is not None:
            pending = bare_number(words)  # "12, R. Victor Hugo"
        else:
            complement.extend(words)
    if pending is not None and found.numero is None:
        found = Voie(pending[0], pending[1], found.voie, found.after)
    return Address(
        found.numero,
        found.suffixe,
        found.voie,
        complement_text(complement) if complement else None,
        _or_none(normalize_postcode, cp),
        _or_none(normalize_commune, commune),
    )


def parse_address(text: str, code_postal: str | None = None, commune: str | None = None) -> Address:
    """Parse an address; explicit code_postal and commune win over those found in the text."""
    return _parse_with(text or "", code_postal or "", commune or "")


@lru_cache(maxsize=4096)
def _parse_with(text: str, code_postal: str, commune: str) -> Address:
    numero, suffixe, voie, complement, cp, town = _parse_numbered(text.strip())
    if code_postal.strip():
        cp = _or_none(normalize_postcode, code_postal)
    if commune.strip():
        town = _or_none(normalize_commune, commune)
    return _address(numero, suffixe, voie, complement, cp, town)


_TAIL_OK = re.compile(r"^\D*(?:\s\d{5}\s\D*)?$")


def _parse_numbered(text: str) -> _Parts:
    """Parse "12 rue X" as "1 rue X" so that every number in a street shares one cached parse."""
    head, sep, tail = text.partition(" ")
    if sep and head.isdigit() and len(head) <= 4 and head.isascii() and _TAIL_OK.match(tail):
        template = _template(tail)
        if template[0] == "1":
            return (head, *template[1:])
    return _text_parts(text)


@lru_cache(maxsize=32768)
def _template(tail: str) -> _Parts:
    """The parts of "1 {tail}", shared by "12 {tail}", "14 {tail}"..."""
    return _text_parts(f"1 {tail}")


def format_address(a: Address) -> str:
    """One-line display form, street first so that it parses back to the same address.

    "12 bis Rue Victor Hugo, Bât C, 59000 LILLE".
    """
    number = a.numero or ""
    if a.suffixe:
        number += a.suffixe if len(a.suffixe) == 1 else f" {a.suffixe.lower()}"
    street = " ".join(p for p in (number, a.voie or "") if p)
    town = " ".join(p for p in (a.code_postal or "", a.commune or "") if p)
    return ", ".join(p for p in (street, a.complement or "", town) if p)


_KEY_WORDS = {"ST": "SAINT", "STE": "SAINTE"}
_KEY_SUFFIXES = {"B": "BIS", "T": "TER", "Q": "QUATER"}


def address_key(a: Address) -> str:
    """Folded matching key: numéro, suffixe, voie without particles, code postal."""
    voie = [_KEY_WORDS.get(w, w) for w in fold(a.voie or "").split() if w not in PARTICLES_KEY]
    suffixe = _KEY_SUFFIXES.get(a.suffixe or "", a.suffixe or "")
    parts = [a.numero or "", suffixe, *voie, a.code_postal or ""]
    return " ".join(p for p in parts if p)
