"""Postal addresses: numéro, suffixe, voie, complément, code postal and commune.

Partners write "12 bis rue X", "12, R. X", "Appt 4, 12 avenue X", "Bât C Appt 19 - 3 rue des Lilas",
"55 rue Lebreton 59000 LILLE" or several lines. parse_address never raises: what it cannot place
goes to the complément, so nothing written by the partner is lost.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from ._address_words import (
    NUMERO_PREFIX,
    PARTICLES_KEY,
    STRONG_COMPLEMENT,
    SUFFIXES,
    Word,
    display_case,
    street_at,
    word,
)
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

_SEGMENTS = re.compile(r"\s*[,;\n]\s*|\s+-\s+")

Words = list[Word]


class _Voie(NamedTuple):
    numero: str | None
    suffixe: str | None
    voie: str | None
    after: tuple[Word, ...]  # words after the street name that belong to the complément


def _is_complement_start(words: Words, i: int) -> bool:
    w = words[i]
    if w.key in STRONG_COMPLEMENT:
        return True
    return w.floor is not None and i + 1 < len(words) and words[i + 1].key == "ETAGE"


def _voie_start(words: Words) -> int | None:
    """Index where "[N°] numéro [suffixe] type nom" starts inside a segment, or None."""
    after_complement = words[0].complement is not None
    for i, w in enumerate(words):
        if w.number is not None and not (i > 0 and words[i - 1].complement is not None):
            j = i + 1
            if j < len(words) and words[j].key in SUFFIXES:
                j += 1
            if street_at(words, j) is not None:
                return i - 1 if i > 0 and words[i - 1].key in NUMERO_PREFIX else i
        elif after_complement and 0 < i < len(words) - 1 and w.street is not None:
            # "Bât C rue des Lilas"; not "Résidence Le Clos" (after a particle).
            if words[i - 1].key not in PARTICLES_KEY:
                return i
    return None


def _parse_voie(words: Words) -> _Voie:
    """Parse "[N°] 12 [bis] [type] nom [complément]"."""
    i = 1 if len(words) > 1 and words[0].key in NUMERO_PREFIX and words[1].number else 0
    numero = suffixe = None
    number = words[i].number if i < len(words) else None
    if number is not None:
        numero, suffixe = number
        i += 1
        if i < len(words) and suffixe is None and words[i].key in SUFFIXES:
            key = words[i].key
            end = i + 1 >= len(words) or _is_complement_start(words, i + 1)
            if len(key) > 1 or end or street_at(words, i + 1) is not None:
                suffixe, i = SUFFIXES[key], i + 1
    rest = words[i:]
    cut = len(rest)
    for j in range(len(rest)):
        if _is_complement_start(rest, j) and (j == 0 or rest[j - 1].key not in PARTICLES_KEY):
            cut = j
            break
    name = rest[:cut]
    typed = street_at(name, 0)
    if typed is None:
        voie = display_case([w.text for w in name]) if name else None
    else:
        tail = display_case([w.text for w in name[typed[1] :]], after_type=True)
        voie = f"{typed[0]} {tail}".strip()
    return _Voie(numero, suffixe, voie or None, tuple(rest[cut:]))


def _floor_before_etage(words: Words, i: int) -> bool:
    """True on "3e" of "3e étage" (not of "3e Étage 4", already in canonical order)."""
    if words[i].floor is None or i + 1 >= len(words) or words[i + 1].key != "ETAGE":
        return False
    return i + 2 >= len(words) or words[i + 2].number is None


def _complement(words: Words) -> str:
    """Canonical complément words: "bat. c appt n° 19" → "Bât C Appt 19", "3e étage" → "Étage 3"."""
    out: list[str] = []
    skip = False
    for i, w in enumerate(words):
        if skip:
            skip = False
        elif _floor_before_etage(words, i):
            out.append(f"Étage {w.floor}")
            skip = True
        elif w.complement is not None:
            out.append(w.complement)
        elif len(w.text) == 1 and out:
            out.append(w.text.upper())  # "bât c" → "Bât C"
        elif not (w.key in NUMERO_PREFIX and out and i + 1 < len(words) and words[i + 1].number):
            out.append(w.text)  # ("Appt n° 4" → "Appt 4")
    return " ".join(out)


def _cp_at(ws: list[str], i: int) -> int | None:
    """Start index of a code postal ending at ws[i] ("59000" or "59 000"), or None."""
    w = ws[i]
    if len(w) == 5 and w.isdigit():
        return i
    if len(w) == 3 and w.isdigit() and i > 0 and len(ws[i - 1]) == 2 and ws[i - 1].isdigit():
        return i - 1
    return None


def _take_cp_commune(segments: list[list[str]]) -> tuple[str | None, str | None]:
    """Remove a trailing "59000 LILLE" (or a "59000" segment then "LILLE") from the segments."""
    if not segments:
        return None, None
    last = segments[-1]
    for i in range(len(last) - 1, max(len(last) - 8, -1), -1):
        start = _cp_at(last, i)
        if start is None:
            continue
        tail = last[i + 1 :]
        if tail and not _commune_like(tail):
            continue  # "12345 rue ...": not a code postal followed by a commune
        if not tail and start > 0 and last[start - 1].upper().rstrip(".") in ("BP", "CS"):
            return None, None  # "BP 12345"
        cp = "".join(last[start : i + 1])
        del last[start:]
        if not last:
            segments.pop()
        return cp, " ".join(tail) or None
    if len(segments) > 1 and not any(_has_digit(w) for w in last):
        before = segments[-2]
        if len(before) <= 2 and _cp_at(before, len(before) - 1) == 0:
            segments.pop()
            segments.pop()
            return "".join(before), " ".join(last)
    return None, None


_DISTRICT = re.compile(r"^\d{1,3}(?:E|EME|ÈME|ER)?$", re.IGNORECASE)


def _commune_like(tail: list[str]) -> bool:
    """Looks like a commune: "LILLE", "LILLE CEDEX 9", "PARIS 15E"; not "rue X" nor "4 rue"."""
    first = word(tail[0])
    if not tail[0][:1].isalpha() or first.street is not None or first.complement is not None:
        return False
    words = list(tail)
    if len(words) > 1 and words[-1].upper().rstrip(".") in ("ARRONDISSEMENT", "ARR"):
        words.pop()
    if len(words) > 1 and _DISTRICT.match(words[-1]):
        words.pop()  # "CEDEX 9", "PARIS 15E"
    return not any(_has_digit(w) for w in words)


def _has_digit(w: str) -> bool:
    return any(c.isdigit() for c in w) if not w.isalpha() else False


def _or_none(normalize: Callable[[str], str], value: str | None) -> str | None:
    """Normalise a code postal or commune found in the text; None when it is not valid."""
    if not value:
        return None
    try:
        return normalize(value)
    except ValueError:
        return None


def _bare_number(words: Words) -> tuple[str, str | None] | None:
    """A number alone in a segment, "12" or "12 bis" ("12, R. Victor Hugo")."""
    number = words[0].number if 0 < len(words) <= 2 else None
    if number is None or len(words) == 1:
        return number
    key = words[1].key
    return (number[0], SUFFIXES[key]) if key in SUFFIXES and number[1] is None else None


def _has_letters(words: Words) -> bool:
    return any(w.letters for w in words)


def _voie_candidates(segments: list[Words]) -> list[tuple[int, int]]:
    """Where the street may start, best first, as (segment, word) positions."""
    ranked: list[list[tuple[int, int]]] = [[], [], [], [], []]
    for idx, words in enumerate(segments):
        leads_complement = (
            words[0].complement is not None
            or _is_complement_start(words, 0)
            or (words[0].number is not None and len(words) > 1 and _is_complement_start(words, 1))
        )
        start = _voie_start(words)
        if not leads_complement and street_at(words, 0) is not None:
            ranked[0].append((idx, 0))  # "rue X", "12 rue X"
        elif start == 0 or (start == 1 and words[0].key in NUMERO_PREFIX):
            ranked[0].append((idx, start))
        elif start is not None:
            # "Résidence X 5 allée des Roses" before "Bât C rue des Lilas" (no number).
            ranked[1 if words[start].number is not None else 4].append((idx, start))
        if leads_complement or _bare_number(words) is not None or not _has_letters(words):
            continue
        ranked[2 if words[0].number is not None else 3].append((idx, 0))  # "12 Grande Rue"
    return [position for rank in ranked for position in rank]


def _find_voie(seg_words: list[Words]) -> tuple[int, int, _Voie]:
    for idx, start in _voie_candidates(seg_words):
        found = _parse_voie(seg_words[idx][start:])
        if found.voie is not None and _LETTER.search(found.voie):
            return idx, start, found
    return -1, 0, _Voie(None, None, None, ())


@lru_cache(maxsize=32768)
def _parse_text(text: str) -> Address:
    raw = _SEGMENTS.split(text.replace("\r", "\n")) if _SPLITTERS.search(text) else (text,)
    segments = [ws for ws in ([t for t in s.split() if t.strip(_PUNCT)] for s in raw) if ws]
    cp, commune = _take_cp_commune(segments)
    seg_words = [[word(t) for t in ws] for ws in segments]
    voie_idx, start, found = _find_voie(seg_words)
    complement: Words = []
    pending: tuple[str, str | None] | None = None
    for idx, words in enumerate(seg_words):
        if idx == voie_idx:
            complement.extend(words[:start])
            complement.extend(found.after)
        elif idx < voie_idx and _bare_number(words) is not None:
            pending = _bare_number(words)  # "12, R. Victor Hugo"
        else:
            complement.extend(words)
    if pending is not None and found.numero is None:
        found = _Voie(pending[0], pending[1], found.voie, found.after)
    return Address(
        found.numero,
        found.suffixe,
        found.voie,
        _complement(complement) if complement else None,
        _or_none(normalize_postcode, cp),
        _or_none(normalize_commune, commune),
    )


_LETTER = re.compile(r"[^\W\d_]")
_PUNCT = "-–—,.;:/'\"()[]*_+&#"
_SPLITTERS = re.compile(r"[,;\n\r]| - ")


def parse_address(text: str, code_postal: str | None = None, commune: str | None = None) -> Address:
    """Parse an address; explicit code_postal and commune win over those found in the text."""
    return _parse_with(text or "", code_postal or "", commune or "")


@lru_cache(maxsize=32768)
def _parse_with(text: str, code_postal: str, commune: str) -> Address:
    parsed = _parse_numbered(text.strip())
    cp = _or_none(normalize_postcode, code_postal) if code_postal.strip() else parsed.code_postal
    town = _or_none(normalize_commune, commune) if commune.strip() else parsed.commune
    if cp == parsed.code_postal and town == parsed.commune:
        return parsed
    return Address(parsed.numero, parsed.suffixe, parsed.voie, parsed.complement, cp, town)


_TAIL_OK = re.compile(r"^\D*(?:\s\d{5}\s\D*)?$")


def _parse_numbered(text: str) -> Address:
    """Parse "12 rue X" as "1 rue X" so that every number in a street shares one cached parse."""
    head, sep, tail = text.partition(" ")
    if sep and head.isdigit() and len(head) <= 4 and head.isascii() and _TAIL_OK.match(tail):
        template = _parse_text(f"1 {tail}")
        if template.numero == "1":
            return Address(
                head,
                template.suffixe,
                template.voie,
                template.complement,
                template.code_postal,
                template.commune,
            )
    return _parse_text(text)


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
