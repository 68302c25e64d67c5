"""Address vocabulary (street types, complément words) and display casing, for addresses.py."""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import NamedTuple

from .text import fold_nocache

_TYPES: dict[str, tuple[str, ...]] = {
    "Rue": ("R", "RUE"),
    "Avenue": ("AV", "AVE", "AVEN", "AVENUE"),
    "Boulevard": ("BD", "BLD", "BLVD", "BVD", "BOUL", "BOULEVARD"),
    "Chemin": ("CH", "CHE", "CHEM", "CHEMIN"),
    "Place": ("PL", "PLACE"),
    "Impasse": ("IMP", "IMPASSE"),
    "Allée": ("ALL", "ALLEE"),
    "Route": ("RTE", "ROUTE"),
    "Square": ("SQ", "SQUARE"),
    "Cours": ("CRS", "COURS"),
    "Quai": ("QU", "QUAI"),
    "Passage": ("PASS", "PASSAGE"),
    "Faubourg": ("FG", "FBG", "FAUB", "FAUBOURG"),
    "Cité": ("CITE",),
    "Lotissement": ("LOT", "LOTISSEMENT"),
    "Hameau": ("HAM", "HAMEAU"),
    "Sentier": ("SENT", "SENTIER"),
    "Rond-Point": ("RPT", "RDPT", "RONDPOINT"),
    "Esplanade": ("ESP", "ESPL", "ESPLANADE"),
    "Promenade": ("PROM", "PROMENADE"),
    "Lieu-dit": ("LD", "LIEUDIT"),
    "Chaussée": ("CHS", "CHAUSSEE"),
    "Voie": ("VOIE",),
    "Villa": ("VILLA",),
    "Parvis": ("PARVIS",),
    "Mail": ("MAIL",),
    "Ruelle": ("RLE", "RUELLE"),
    "Sente": ("SENTE",),
    "Venelle": ("VENELLE",),
    "Traverse": ("TRAV", "TRAVERSE"),
    "Carrefour": ("CARR", "CARREFOUR"),
    "Montée": ("MTE", "MONTEE"),
    "Domaine": ("DOM", "DOMAINE"),
    "Clos": ("CLOS",),
    "Quartier": ("QUART", "QUARTIER"),
}
_STREET_TYPES = {key: display for display, keys in _TYPES.items() for key in keys}
# Types that name a place rather than a street: before "12 rue X" in the same segment, or before a
# segment "rue X" as in "Quartier des Tanneurs 12, rue X", they are a complément (like "Résidence").
PLACE_TYPES = frozenset({"Cité", "Lotissement", "Hameau", "Lieu-dit", "Domaine", "Clos", "Quartier", "Villa"})
_PLACE_KEYS = frozenset(key for display in PLACE_TYPES for key in _TYPES[display])

# Complément words and their canonical spelling. "Résidence" is a complément, not a street.
_COMPLEMENTS: dict[str, tuple[str, ...]] = {
    "Appt": ("APPT", "APP", "APT", "APPART", "APPARTEMENT", "APPARTEMENTS"),
    "Logement": ("LOGT", "LGT", "LOGEMENT"),
    "Bât": ("BAT", "BT", "BATI", "BATIMENT"),
    "Escalier": ("ESC", "ESCAL", "ESCALIER"),
    "Étage": ("ETG", "ETAGE"),
    "Résidence": ("RES", "RESID", "RESIDENCE"),
    "Immeuble": ("IMM", "IMMEUBLE"),
    "Entrée": ("ENTREE",),
    "Porte": ("PTE", "PORTE"),
    "Chez": ("CHEZ",),
    "BP": ("BP",),
    "CS": ("CS",),
    "RDC": ("RDC",),
}
COMPLEMENT_WORDS = {key: canon for canon, keys in _COMPLEMENTS.items() for key in keys}
# Words that end a street name when they follow it ("3 rue des Lilas Appt 4").
STRONG_COMPLEMENT = frozenset(COMPLEMENT_WORDS) - {"PORTE", "PTE", "ENTREE", "CHEZ", "RDC"}

_LOWER = ("DE", "DES", "DU", "LA", "LE", "LES", "AUX", "AU", "EN", "SUR", "SOUS", "ET", "A", "LEZ")
PARTICLES_KEY = frozenset((*_LOWER, "D", "L"))
_LOWER_WORDS = frozenset((*_LOWER, "À", "LÈS"))
_ROMAN = re.compile(r"^(?=[IVX]{2,})X{0,3}(?:IX|IV|V?I{0,3})$")
_PIECES = re.compile(r"([-'\u2019])")


_NUMBER = re.compile(r"^(\d{1,5})(?:\s*[-/]\s*(\d{1,5}))?(BIS|TER|QUATER|[A-Z])?$")
SUFFIXES = {"BIS": "BIS", "TER": "TER", "QUATER": "QUATER", **{c: c for c in "ABCDEFGH"}}
NUMERO_PREFIX = frozenset({"N", "NO", "NUM", "NUMERO"})
_FLOOR = re.compile(r"^(\d{1,2}) ?(?:E|EME|ÈME|ER|ERE|ÈRE)$", re.IGNORECASE)
_LETTER = re.compile(r"[^\W\d_]")
_PAIR_FIRST = frozenset({"ROND", "RD", "LIEU"})  # "rond point", "lieu dit" in two words


class Word(NamedTuple):
    """One word of an address with what the parser needs to know about it."""

    text: str
    key: str  # folded, no spaces or dots ("Bât." → "BAT")
    number: tuple[str, str | None] | None  # "12B" → ("12", "B"); "12-14" → ("12-14", None)
    street: str | None  # street type display form ("BD" → "Boulevard")
    complement: str | None  # canonical complément word ("APT" → "Appt")
    floor: int | None  # "3e" → 3 (before "étage")
    letters: bool  # holds at least one letter
    # For the fast path (_address_fast.py): what the general parser would look up, precomputed.
    flags: int  # F_* bits
    cased: str  # display_case() form inside a street name, after its first word
    shown: str  # complément form, first word of the complément ("bat" → "Bât")
    shown_next: str  # complément form after another word ("c" → "C")


def _number(text: str) -> tuple[str, str | None] | None:
    match = _NUMBER.match(text.upper().rstrip(".,"))
    if match is None:
        return None
    numero = match[1] if match[2] is None else f"{match[1]}-{match[2]}"
    return numero, (SUFFIXES.get(match[3], match[3]) if match[3] else None)


# Flags of Word.flags: the key is in a table, or the text has a given shape.
F_SUFFIX, F_STRONG, F_PARTICLE, F_NUMERO, F_ETAGE, F_FLOOR, F_PAIR, F_PUNCT = (1 << i for i in range(8))
F_DIGITS2, F_DIGITS3, F_DIGITS5 = 1 << 8, 1 << 9, 1 << 10  # the pieces of a code postal
# What take_cp_commune() reads of a commune's words: first letter, "ARR", "15E", a digit; "BP".
F_ALPHA_START, F_ARRONDISSEMENT, F_DISTRICT, F_DIGIT, F_BOX = (1 << i for i in range(11, 16))
F_PLACE = 1 << 16  # a type of PLACE_TYPES ("Cité", "Quartier")
PUNCT = "-–—,.;:/'\"()[]*_+&#"  # a word made only of these is dropped
DISTRICT = re.compile(r"^\d{1,3}(?:E|EME|ÈME|ER)?$", re.IGNORECASE)


def has_digit(w: str) -> bool:
    return any(c.isdigit() for c in w) if not w.isalpha() else False


_DIGITS = {2: F_DIGITS2, 3: F_DIGITS3, 5: F_DIGITS5}


def _key_flags() -> dict[str, int]:
    tables = (
        (SUFFIXES, F_SUFFIX),
        (STRONG_COMPLEMENT, F_STRONG),
        (PARTICLES_KEY, F_PARTICLE),
        (NUMERO_PREFIX, F_NUMERO),
        ({"ETAGE"}, F_ETAGE),
        (_PAIR_FIRST, F_PAIR),
        (_PLACE_KEYS, F_PLACE),
    )
    flags: dict[str, int] = {}
    for table, flag in tables:
        for key in table:
            flags[key] = flags.get(key, 0) | flag
    return flags


_KEY_FLAGS = _key_flags()  # the flags a key gives, looked up once
_BARE_FLAGS = {"ARRONDISSEMENT": F_ARRONDISSEMENT, "ARR": F_ARRONDISSEMENT, "BP": F_BOX, "CS": F_BOX}


def _flags(text: str, key: str, floor: bool) -> int:
    flags = _KEY_FLAGS.get(key, 0) | (F_FLOOR if floor else 0)
    if text.isalpha():  # no digit nor punctuation: the usual word
        return flags | F_ALPHA_START | _BARE_FLAGS.get(text.upper(), 0)
    return (
        flags
        | (_DIGITS.get(len(text), 0) if text.isdigit() else 0)
        | (F_PUNCT if not text.strip(PUNCT) else 0)
        | (F_ALPHA_START if text[:1].isalpha() else 0)
        | _BARE_FLAGS.get(text.upper().rstrip("."), 0)
        | (F_DISTRICT if DISTRICT.match(text) else 0)
        | (F_DIGIT if has_digit(text) else 0)
    )


@lru_cache(maxsize=65536)
def word(text: str) -> Word:
    """Describe one address word (cached: street words repeat a lot)."""
    key = fold_nocache(text).replace(" ", "")  # fold_compact(), without filling its cache
    number = _number(text) if text[:1].isdigit() else None
    floor = _FLOOR.match(text) if text[:1].isdigit() else None
    complement = COMPLEMENT_WORDS.get(key)
    street = _STREET_TYPES.get(key)
    flags = _flags(text, key, floor is not None)
    return Word(
        text,
        key,
        number,
        street,
        complement,
        int(floor[1]) if floor else None,
        text.isalpha() or _LETTER.search(text) is not None,
        flags,
        _case_word(text, False),
        text if complement is None else complement,
        (text.upper() if len(text) == 1 else text) if complement is None else complement,
    )


def street_at(words: Sequence[Word], i: int) -> tuple[str, int] | None:
    """The street type starting at words[i] (display form, number of words), if any."""
    if i >= len(words):
        return None
    if words[i].key in _PAIR_FIRST and i + 1 < len(words):
        double = _STREET_TYPES.get(words[i].key + words[i + 1].key)
        if double is not None:
            return double, 2
    single = words[i].street
    return (single, 1) if single is not None else None


def _case_piece(piece: str, first: bool) -> str:
    if not piece or piece in "-'\u2019":
        return piece
    if not (piece.isupper() or piece.islower()):
        return piece  # already mixed case, as the partner wrote it ("McDonald")
    upper = piece.upper()
    if len(upper) <= 7 and _ROMAN.match(upper):
        return upper
    if not first and upper in _LOWER_WORDS:
        return piece.lower()
    if piece[0].isdigit():
        return piece.lower()  # "1ER" → "1er"
    return piece[0].upper() + piece[1:].lower()


@lru_cache(maxsize=32768)
def _case_word(word: str, first: bool) -> str:
    if "-" not in word and "'" not in word and "\u2019" not in word:
        return _case_piece(word, first)
    pieces = _PIECES.split(word)
    out: list[str] = []
    for i, piece in enumerate(pieces):
        nxt = pieces[i + 1] if i + 1 < len(pieces) else ""
        if nxt in ("'", "\u2019") and piece.upper() in ("D", "L") and not (first and i == 0):
            out.append(piece.lower())  # "de l'Église", "rue d'Artois"
        else:
            out.append(_case_piece(piece, first and i == 0))
    return "".join(out).replace("\u2019", "'")


def display_case(words: list[str] | tuple[str, ...], after_type: bool = False) -> str:
    """Display-case a street name: "DE LA REPUBLIQUE" → "de la Republique" after a street type."""
    return " ".join(_case_word(w, i == 0 and not after_type) for i, w in enumerate(words))
