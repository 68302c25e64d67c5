"""Fast path of names.py: the general parser's answer, cached per shape of name.

The general parser reads the words of a name only through their key, tier and case class, and copies
their text to the result. So when every word is plain (letters, inner hyphens or apostrophes, a final
dot: tokenize() then keeps each word as it is), the result of a name is the result of any other name
whose words have the same "signature". A plan is the general parser's result on placeholder words
whose text is their position; it is cached per sequence of signatures and filled with the real words'
display forms. Anything else (comma, digit, "&", parentheses...) is left to the general parser.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from operator import attrgetter
from typing import Final

from ._name_tokens import CIVILITIES, CONNECTORS, COUPLE_WORDS, MARKERS, WIDOW, Tok, tok
from .text import upper_fr

__all__ = [
    "FastWord",
    "Field",
    "NamesPlan",
    "PersonPlan",
    "fast_fields",
    "fast_words",
    "names_plan",
]

# Every key the general parser looks up in a table; other words differ only by tier and class.
_SPECIAL: Final = tuple(sorted({*CIVILITIES, *COUPLE_WORDS, *CONNECTORS, *WIDOW, *MARKERS}))
_SPECIAL_ID: Final = {key: i for i, key in enumerate(_SPECIAL)}
_CLASSES: Final = {"C": 0, "L": 1, "P": 2, "O": 3}
_CIV_CODES: Final = ("M", "MME", None)
# A word that tokenize() keeps as it is, but for a final dot: letters, inner hyphens and apostrophes.
# A text made of such words is left alone by tokenize() (no "&", " - ", "' ", "M.DUPONT"...).
_PLAIN = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*\.?")
_EDGE = "-'.,"

# Positions of the words of one part: a single position, several, or None for an absent part.
Field = int | tuple[int, ...] | None
PersonPlan = tuple[str | None, Field, Field, Field]  # civilité, nom, nom de naissance, prénoms
NamesPlan = tuple[PersonPlan, PersonPlan | None, bool]  # titulaire, second, ordre incertain


class FastWord:
    """One plain word of a name: its token, signature and display forms in both roles."""

    __slots__ = ("civ", "civ_sig", "key", "nom", "prenom", "sig", "tok")

    def __init__(self, t: Tok) -> None:
        self.tok = t
        self.key = t.key
        special = _SPECIAL_ID.get(t.key, -1)
        self.sig = (special + 1) << 5 | (t.tier + 1) << 2 | _CLASSES[t.cls]  # plain: below 32
        # A civility in first place is read for its code only ("M", "MME" or None for a title).
        self.civ = CIVILITIES.get(t.key)
        self.civ_sig = -1 - _CIV_CODES.index(self.civ) if t.key in CIVILITIES else self.sig
        self.nom = upper_fr(t.text)  # upper_fr and title act word by word: joins commute
        self.prenom = t.text.title()


@lru_cache(maxsize=32768)
def _fast_word(raw: str) -> FastWord | None:
    """Describe one whitespace-separated word, or None when tokenize() could treat it otherwise."""
    if _PLAIN.fullmatch(raw) is None:
        return None
    word = raw.strip(_EDGE)
    if len(word) == 1 and raw.startswith(word + "."):
        word += "."  # keep the dot of an initial, as tokenize() does
    return FastWord(tok(word))


def fast_words(text: str) -> list[FastWord] | None:
    """The words of text, each as tokenize() reads it; None if one of them is not plain."""
    words = list(map(_fast_word, text.split()))
    return None if None in words else words  # type: ignore[return-value]


_SIG: Final = attrgetter("sig")
_MAX_PLANS: Final = 8192
_PLANS: dict[tuple[int, ...], NamesPlan | None] = {}
_UNKNOWN: Final[NamesPlan] = ((None, None, None, None), None, False)


def names_plan(words: list[FastWord], parse: Callable[[tuple[Tok, ...]], NamesPlan | None]) -> NamesPlan | None:
    """The plan of words, from parse() on placeholders the first time; None: use the general path."""
    sig = tuple(map(_SIG, words))
    if words[0].civ_sig < 0:
        sig = (words[0].civ_sig,) + sig[1:]
    plan = _PLANS.get(sig, _UNKNOWN)
    if plan is _UNKNOWN:
        plan = parse(tuple([Tok(str(i), w.key, w.tok.tier, w.tok.cls) for i, w in enumerate(words)]))
        if len(_PLANS) < _MAX_PLANS:
            _PLANS[sig] = plan
    return plan


def fast_fields(nom: str, prenom: str) -> tuple[str, str] | None:
    """(nom, prénoms) of plain Nom and Prénom columns with no special word; else None."""
    noms = fast_words(nom)
    prenoms = fast_words(prenom)
    if not noms or not prenoms:
        return None
    if max(map(_SIG, noms)) >= 32 or max(map(_SIG, prenoms)) >= 32:
        return None  # a civility, couple word, connector or marker
    n = len(prenoms)
    if len(noms) > n:  # the prénoms repeated in the Nom column ("DUPONT Jean" next to "Jean")
        keys = [w.key for w in prenoms]
        if [w.key for w in noms[-n:]] == keys:
            del noms[-n:]
        elif [w.key for w in noms[:n]] == keys:
            del noms[:n]
    return " ".join([w.nom for w in noms]), " ".join([w.prenom for w in prenoms])
