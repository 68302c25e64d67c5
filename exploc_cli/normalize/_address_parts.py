"""The general address parser's work on words: street, complément, code postal (for addresses.py)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import NamedTuple

from ._address_words import (
    DISTRICT,
    NUMERO_PREFIX,
    PARTICLES_KEY,
    PLACE_TYPES,
    PUNCT,
    STRONG_COMPLEMENT,
    SUFFIXES,
    Word,
    display_case,
    has_digit,
    street_at,
    word,
)

__all__ = [
    "LETTER",
    "PUNCT",
    "SEGMENTS",
    "SPLITTERS",
    "Voie",
    "Words",
    "bare_number",
    "complement_text",
    "has_letters",
    "house_number_at",
    "is_complement_start",
    "numbers_next_street",
    "parse_voie",
    "place_voie_start",
    "take_cp_commune",
    "voie_start",
]

SEGMENTS = re.compile(r"\s*[,;\n]\s*|\s+-\s+")

Words = list[Word]


class Voie(NamedTuple):
    numero: str | None
    suffixe: str | None
    voie: str | None
    after: tuple[Word, ...]  # words after the street name that belong to the complément


def is_complement_start(words: Words, i: int) -> bool:
    w = words[i]
    if w.key in STRONG_COMPLEMENT:
        return True
    return w.floor is not None and i + 1 < len(words) and words[i + 1].key == "ETAGE"


def voie_start(words: Sequence[Word]) -> int | None:
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


def place_voie_start(words: Sequence[Word]) -> int | None:
    """Where "12 rue X" starts in "Quartier des Tanneurs 12 rue X", "Cité Jardin 5 bis allée Y".

    A place type (PLACE_TYPES) with a name, then "[N°] numéro [suffixe]" and a street type that is
    not a place type: the place is a complément, like "Résidence X" before "12 rue Y". None for
    any other segment ("Cité Jardin", "2 cité Jardin", "Cité 5 rue X").
    """
    typed = street_at(words, 0)
    if typed is None or typed[0] not in PLACE_TYPES:
        return None
    start = voie_start(words)
    if start is None or start <= typed[1]:
        return None
    j = start + (2 if words[start].number is None else 1)  # after "[N°] numéro"
    if j < len(words) and words[j].key in SUFFIXES:
        j += 1
    inner = street_at(words, j)
    return start if inner is not None and inner[0] not in PLACE_TYPES else None


def house_number_at(words: Sequence[Word]) -> int | None:
    """Where a trailing "numéro [suffixe]" starts: "Bât E Appt 80 131", "Cité Jardin 63 bis".

    Not a number that a complément word or "N°" names ("Appt 38", "Esc 3", "N° 12"), nor one
    right after a street type ("Lot 12"), nor a floor ("2e"), nor in a segment led by a number.
    """
    i = len(words) - 1
    if i < 1 or words[0].number is not None:
        return None
    number = words[i].number
    if number is None:
        if words[i].key not in SUFFIXES:
            return None
        i -= 1  # "12 bis"
        number = words[i].number
        if i < 1 or number is None or number[1] is not None:
            return None
    before = words[i - 1]
    if words[i].floor is not None or before.complement is not None or before.street is not None:
        return None
    return None if before.key in NUMERO_PREFIX else i


def numbers_next_street(segments: Sequence[Sequence[Word]], idx: int) -> int | None:
    """house_number_at(segments[idx]) when the next segment starts with a street type.

    "Quartier des Tanneurs 131, impasse du Stade": 131 is the street's numéro and the rest of the
    segment a complément. Not before a place with its own street ("Cité Y 5 rue Z").
    """
    if idx + 1 >= len(segments) or street_at(segments[idx + 1], 0) is None:
        return None
    cut = house_number_at(segments[idx])
    return cut if cut is not None and place_voie_start(segments[idx + 1]) is None else None


def parse_voie(words: Words) -> Voie:
    """Parse "[N°] 12 [bis] [type] nom [complément]"."""
    i = 1 if len(words) > 1 and words[0].key in NUMERO_PREFIX and words[1].number else 0
    numero = suffixe = None
    number = words[i].number if i < len(words) else None
    if number is not None:
        numero, suffixe = number
        i += 1
        if i < len(words) and suffixe is None and words[i].key in SUFFIXES:
            key = words[i].key
            end = i + 1 >= len(words) or is_complement_start(words, i + 1)
            if len(key) > 1 or end or street_at(words, i + 1) is not None:
                suffixe, i = SUFFIXES[key], i + 1
    rest = words[i:]
    cut = len(rest)
    for j in range(len(rest)):
        if is_complement_start(rest, j) and (j == 0 or rest[j - 1].key not in PARTICLES_KEY):
            cut = j
            break
    name = rest[:cut]
    typed = street_at(name, 0)
    if typed is None:
        voie = display_case([w.text for w in name]) if name else None
    else:
        tail = display_case([w.text for w in name[typed[1] :]], after_type=True)
        voie = f"{typed[0]} {tail}".strip()
    return Voie(numero, suffixe, voie or None, tuple(rest[cut:]))


def _floor_before_etage(words: Words, i: int) -> bool:
    """True on "3e" of "3e étage" (not of "3e Étage 4", already in canonical order)."""
    if words[i].floor is None or i + 1 >= len(words) or words[i + 1].key != "ETAGE":
        return False
    return i + 2 >= len(words) or words[i + 2].number is None


def complement_text(words: Words) -> str:
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
        # Not "Appt 49 124 bis rue X": there, "49" is the number of the flat.
        return i - 1 if i < 2 or word(ws[i - 2]).complement is None else None
    return None


def take_cp_commune(segments: list[list[str]]) -> tuple[str | None, str | None]:
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
    if len(segments) > 1 and not any(has_digit(w) for w in last):
        before = segments[-2]
        if len(before) <= 2 and _cp_at(before, len(before) - 1) == 0:
            segments.pop()
            segments.pop()
            return "".join(before), " ".join(last)
    return None, None


def _commune_like(tail: list[str]) -> bool:
    """Looks like a commune: "LILLE", "LILLE CEDEX 9", "PARIS 15E"; not "rue X" nor "4 rue"."""
    first = word(tail[0])
    if not tail[0][:1].isalpha() or first.street is not None or first.complement is not None:
        return False
    words = list(tail)
    if len(words) > 1 and words[-1].upper().rstrip(".") in ("ARRONDISSEMENT", "ARR"):
        words.pop()
    if len(words) > 1 and DISTRICT.match(words[-1]):
        words.pop()  # "CEDEX 9", "PARIS 15E"
    return not any(has_digit(w) for w in words)


def bare_number(words: Words) -> tuple[str, str | None] | None:
    """A number alone in a segment, "12" or "12 bis" ("12, R. Victor Hugo")."""
    number = words[0].number if 0 < len(words) <= 2 else None
    if number is None or len(words) == 1:
        return number
    key = words[1].key
    return (number[0], SUFFIXES[key]) if key in SUFFIXES and number[1] is None else None


def has_letters(words: Words) -> bool:
    return any(w.letters for w in words)


LETTER = re.compile(r"[^\W\d_]")
SPLITTERS = re.compile(r"[,;\n\r]| - ")
