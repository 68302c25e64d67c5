"""Fast path of addresses.py for the usual shapes of an address.

It handles "[complément segments,] [12[,]] [bis] type nom [complément] [, segments]" and a single
segment "complément 12 [bis] type nom [complément]" ("Bât C Appt 4 12 rue X", "Résidence X 12 rue
Y"), with or without a trailing code postal and commune, and gives exactly what the general parser
(addresses._parse_general) gives; for any other shape it returns None and the caller runs the
general parser. Why the shapes agree with the general parser's ranking of street positions
(addresses._voie_candidates):

- a segment led by a word that is neither a number, a street type, "rond" nor "N°" ("Appt 4",
  "Résidence X") or made of a bare number ("12", "12 bis") never offers a position of rank 0, so
  the first other segment, when it starts with "[numéro [suffixe]] type", holds the street;
- alone, a segment led by a complément word offers one position, voie_start()'s; led by another
  such word, a numbered position (rank 1) comes before the segment's own start (rank 3);
- a segment led by a place ("Cité X 5 rue Y", place_voie_start()) offers only its inner street, at
  rank 1, as one led by "Résidence"; a segment ending with a house number before a segment led by a
  street type ("Cité X 63, rue Y", numbers_next_street()) offers none: its number is the street's.

Each word's facts are looked up once (Word.flags and display forms, cached by word()), and the
segments between separators are cached ("Appt 4" and "12 rue X" repeat across addresses).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache, reduce
from operator import attrgetter, or_
from typing import Final, NamedTuple

from ._address_parts import (
    SEGMENTS,
    SPLITTERS,
    complement_text,
    house_number_at,
    place_voie_start,
    voie_start,
)
from ._address_words import (
    F_ALPHA_START,
    F_ARRONDISSEMENT,
    F_BOX,
    F_DIGIT,
    F_DIGITS2,
    F_DIGITS3,
    F_DIGITS5,
    F_DISTRICT,
    F_ETAGE,
    F_FLOOR,
    F_NUMERO,
    F_PAIR,
    F_PARTICLE,
    F_PLACE,
    F_PUNCT,
    F_STRONG,
    F_SUFFIX,
    SUFFIXES,
    Word,
    word,
)

__all__ = ["Parts", "fast_parts"]

# numéro, suffixe, voie, complément, code postal and commune (the last two as written).
Parts = tuple[str | None, str | None, str, str | None, str | None, str | None]
_Street = tuple[str | None, str | None, str, int]  # numéro, suffixe, voie, end of the street name

_FLAGS: Final = attrgetter("flags")
_CASED: Final = attrgetter("cased")
_SHOWN_NEXT: Final = attrgetter("shown_next")


def _street(ws: Sequence[Word], s: int, flags: int) -> _Street | None:
    """parse_voie(ws[s:]) when ws[s:] starts with "numéro [suffixe] type" or "type"; else None."""
    n = len(ws)
    number = ws[s].number
    k = s
    numero: str | None = None
    suffixe: str | None = None
    if number is not None:
        numero, suffixe = number
        k += 1
        if k < n and ws[k].flags & F_SUFFIX:
            if suffixe is not None:
                return None  # "12B bis rue X": the general parser keeps "bis" in the street name
            suffixe = SUFFIXES[ws[k].key]
            k += 1
        if k >= n:
            return None
    street = ws[k].street
    if street is None:
        return None
    cut = n
    if flags & (F_STRONG | F_FLOOR):  # the first complément word not after a particle ends the name
        for j in range(k + 1, n):
            f = ws[j].flags
            if (f & F_STRONG or (f & F_FLOOR and j + 1 < n and ws[j + 1].flags & F_ETAGE)) and not (
                ws[j - 1].flags & F_PARTICLE
            ):
                cut = j
                break
    # display_case() of the name words after the type, as parse_voie() writes it: the type alone, or
    # the type, a space and the name (tokens hold no space, nor do their cased forms).
    voie = f"{street} {' '.join(map(_CASED, ws[k + 1 : cut]))}" if k + 1 < cut else street
    return numero, suffixe, voie, cut


def _complement(words: Sequence[Word], flags: int) -> str | None:
    """complement_text(words), or None without words; flags: a superset of the words' flags."""
    if not words:
        return None
    if flags & (F_FLOOR | F_NUMERO):
        return complement_text(list(words))  # "3e étage", "Appt n° 4"
    return " ".join([words[0].shown, *map(_SHOWN_NEXT, words[1:])])


# What a segment can be for the general parser when it looks for the street.
_COMPLEMENT = 0  # "Appt 4", "Résidence X", "Cité X 5 rue Y": no street at rank 0 (see voie_start)
_NUMBER = 1  # "12", "12 bis" alone: the numéro of a street written after it
_STREET = 2  # "12 [bis] rue X [complément]", "rue X": the street at rank 0, position 0
_OTHER = 3  # anything else: the general parser decides


class Segment(NamedTuple):
    """What the fast path needs to know of one segment."""

    words: tuple[Word, ...]
    flags: int  # union of the words' flags
    role: int
    number: tuple[str, str | None] | None  # _NUMBER; or the house number that ends the segment
    street: _Street | None  # _STREET
    house: int | None  # house_number_at(words): "Cité Jardin 63", maybe the numéro of the next segment


def _house(ws: tuple[Word, ...]) -> tuple[tuple[str, str | None] | None, int | None]:
    """The house number ending ws and where it starts (house_number_at), or (None, None)."""
    cut = house_number_at(ws) if ws[-1].flags & (F_DIGIT | F_SUFFIX) else None
    if cut is None:
        return None, None
    number = ws[cut].number
    assert number is not None
    return (number if cut == len(ws) - 1 else (number[0], SUFFIXES[ws[-1].key])), cut


def _segment(ws: tuple[Word, ...]) -> Segment:
    flags = reduce(or_, map(_FLAGS, ws))
    first = ws[0]
    number = first.number
    if number is None and first.street is None and not first.flags & (F_PAIR | F_NUMERO):
        return _led(ws, flags, _COMPLEMENT)
    if number is not None and len(ws) == 1:
        return Segment(ws, flags, _NUMBER, number, None, None)  # "12, R. Victor Hugo"
    if number is not None and len(ws) == 2 and ws[1].flags & F_SUFFIX and number[1] is None:
        return Segment(ws, flags, _NUMBER, (number[0], SUFFIXES[ws[1].key]), None, None)  # "12 bis, R. X"
    if first.flags & F_PLACE and place_voie_start(ws) is not None:
        return _led(ws, flags, _COMPLEMENT)  # "Cité Jardin 5 rue X", as "Résidence X 5 rue Y"
    street = _street(ws, 0, flags)
    return _led(ws, flags, _OTHER if street is None else _STREET, street)


def _led(ws: tuple[Word, ...], flags: int, role: int, street: _Street | None = None) -> Segment:
    """A segment not made of a number alone, with the house number that may end it."""
    house, cut = _house(ws)
    return Segment(ws, flags, role, house, street, cut)


@lru_cache(maxsize=16384)
def _cached_segment(part: str) -> Segment | None:
    """The segment of one part of a text split at its separators (they repeat: "Appt 4")."""
    ws = tuple(map(word, part.split()))
    return _segment(ws) if ws else None


def _segments(text: str) -> list[Segment]:
    """The non-empty segments of text, as the general parser splits it.

    Splitting at every literal " - " and "," gives the general parser's segments once its
    punctuation words are dropped: a spaced "-" it splits at but not this is kept as a word, and
    the caller then leaves the text to the general parser (as for any punctuation word).
    """
    if "\n" in text or "\r" in text or ";" in text:
        parts = SEGMENTS.split(text.replace("\r", "\n"))
    else:
        parts = text.replace(" - ", ",").split(",")
    return list(filter(None, map(_cached_segment, parts)))


def _commune_like(tail: Sequence[Word]) -> bool:
    """_commune_like() on words: "LILLE", "LILLE CEDEX 9", "PARIS 15E"; not "rue X" nor "4 rue"."""
    first = tail[0]
    if not first.flags & F_ALPHA_START or first.street is not None or first.complement is not None:
        return False
    end = len(tail)
    if end > 1 and tail[end - 1].flags & F_ARRONDISSEMENT:
        end -= 1
    if end > 1 and tail[end - 1].flags & F_DISTRICT:
        end -= 1
    return not reduce(or_, map(_FLAGS, tail[:end])) & F_DIGIT


_Code = tuple[str | None, str | None, int]  # code postal, commune, words kept in the segment


def _code_in(ws: Sequence[Word]) -> _Code | None:
    """take_cp_commune() on the last segment's words; None when it finds nothing there."""
    n = len(ws)
    for i in range(n - 1, max(n - 8, -1), -1):
        f = ws[i].flags
        if f & F_DIGITS5:  # _cp_at(): "59000", "59 000" (not "Appt 49 124")
            start = i
        elif f & F_DIGITS3 and i > 0 and ws[i - 1].flags & F_DIGITS2 and (i < 2 or ws[i - 2].complement is None):
            start = i - 1
        else:
            continue
        tail = ws[i + 1 :]
        if tail and not _commune_like(tail):
            continue  # "12345 rue ...": not a code postal followed by a commune
        if not tail and start > 0 and ws[start - 1].flags & F_BOX:
            return None, None, n  # "BP 12345"
        return "".join([w.text for w in ws[start : i + 1]]), " ".join([w.text for w in tail]) or None, start
    return None


def _take_code(segments: list[Segment]) -> tuple[str | None, str | None]:
    """take_cp_commune() on segments (changed in place): the code postal and commune found."""
    last = segments[-1]
    code = _code_in(last.words)
    if code is not None:
        cp, commune, kept = code
        if kept == 0:
            segments.pop()
        elif kept < len(last.words):
            segments[-1] = _segment(last.words[:kept])
        return cp, commune
    if len(segments) > 1 and not last.flags & F_DIGIT:  # "59000" then "LILLE"
        before = segments[-2].words
        if (len(before) == 1 and before[0].flags & F_DIGITS5) or (
            len(before) == 2 and before[1].flags & F_DIGITS3 and before[0].flags & F_DIGITS2
        ):
            del segments[-2:]
            return "".join([w.text for w in before]), " ".join([w.text for w in last.words])
    return None, None


def _lone(ws: tuple[Word, ...], flags: int, cp: str | None, commune: str | None) -> Parts | None:
    """The parts of a text made of a single segment (flags: a superset of its words' flags)."""
    first = ws[0]
    start = 0
    if first.number is None and first.street is None and not first.flags & (F_PAIR | F_NUMERO):
        inner = voie_start(ws)  # "Bât C Appt 4 12 rue X", "Résidence X 12 rue Y": inside
        if inner is None or (first.complement is None and ws[inner].number is None):
            return None  # no street, or "Les Lilas rue X" (the general parser prefers "Les Lilas...")
        start = inner
    elif first.flags & F_PLACE:
        start = place_voie_start(ws) or 0  # "Quartier X 5 rue Y" (never 0: the place has a name)
    street = _street(ws, start, flags)
    if street is None:
        return None
    numero, suffixe, voie, cut = street
    return numero, suffixe, voie, _complement(ws[:start] + ws[cut:] if start else ws[cut:], flags), cp, commune


def _lone_text(text: str) -> Parts | None:
    """fast_parts() of a text without separators."""
    ws = tuple(map(word, text.split()))
    if not ws:
        return None
    flags = reduce(or_, map(_FLAGS, ws))
    if flags & F_PUNCT:
        return None  # the general parser drops punctuation words first
    cp = commune = None
    if flags & F_DIGITS5 or (flags & F_DIGITS3 and flags & F_DIGITS2):  # maybe a code postal
        code = _code_in(ws)
        if code is not None:
            cp, commune, kept = code
            if kept == 0:
                return None
            ws = ws[:kept]
    return _lone(ws, flags, cp, commune)


def fast_parts(text: str) -> Parts | None:
    """The parts of a stripped address text, or None when the general parser must read it."""
    if SPLITTERS.search(text) is None:  # one segment, as for the general parser
        return _lone_text(text)
    segments = _segments(text)
    if not segments:
        return None
    flags = reduce(or_, map(_FLAGS, segments))
    if flags & F_PUNCT:
        return None  # the general parser drops punctuation words first
    cp = commune = None
    if flags & F_DIGITS5 or (flags & F_DIGITS3 and flags & F_DIGITS2):  # maybe a code postal
        cp, commune = _take_code(segments)
        if not segments:
            return None
    if len(segments) == 1:
        return _lone(segments[0].words, segments[0].flags, cp, commune)
    pending: tuple[str, str | None] | None = None
    last = len(segments) - 1
    for idx, seg in enumerate(segments):
        role = seg.role
        if seg.house is not None and idx < last:
            # numbers_next_street(): "Cité Jardin 63, rue X"; not before "Cité Y 5 rue Z".
            first = segments[idx + 1].words[0]
            if first.street is not None and segments[idx + 1].role == _STREET:
                pending = seg.number
                continue
            if first.flags & F_PAIR:
                return None  # maybe "rond point", "lieu dit": the general parser reads them
        if role == _NUMBER:
            pending = seg.number
        elif role == _STREET:
            assert seg.street is not None
            numero, suffixe, voie, cut = seg.street
            if pending is not None and numero is None:
                numero, suffixe = pending
            return numero, suffixe, voie, _joined(segments, idx, flags), cp, commune
        elif role != _COMPLEMENT:
            return None
    return None


def _joined(segments: list[Segment], street: int, flags: int) -> str | None:
    """The complément: the words of the segments before the street (but numbers), after its name,
    then of the segments after it."""
    words: list[Word] = []
    for idx, seg in enumerate(segments):
        if idx == street:
            assert seg.street is not None
            words += seg.words[seg.street[3] :]
        elif idx > street:
            words += seg.words
        elif seg.role != _NUMBER:
            # A complément, or a segment ending with a house number before a street type: the
            # number is the street's when the street is the very next segment ("Bât E 131, rue X").
            cut = seg.house if idx == street - 1 and segments[street].words[0].street is not None else None
            words += seg.words if cut is None else seg.words[:cut]
    return _complement(words, flags)
