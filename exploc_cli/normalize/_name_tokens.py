"""Tokens of a person's name and the choice of which of them are prénoms (used by names.py)."""

from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources
from typing import NamedTuple

from .text import fold_compact, fold_nocache

CIVILITIES: dict[str, str | None] = {
    "M": "M", "MR": "M", "MONSIEUR": "M", "MSR": "M", "MM": "M", "MESSIEURS": "M",
    "MME": "MME", "MMES": "MME", "MADAME": "MME", "MESDAMES": "MME", "MDME": "MME",
    "MLLE": "MME", "MELLE": "MME", "MLE": "MME", "MADEMOISELLE": "MME", "MRS": "MME",
    # Titles carry no civility: they are dropped.
    "DR": None, "DOCTEUR": None, "PR": None, "PROFESSEUR": None, "ME": None, "MAITRE": None,
}  # fmt: skip
COUPLE_WORDS: dict[str, tuple[str, ...]] = {
    "EPOUX": ("M", "MME"), "CONSORTS": (), "FAMILLE": (), "FAM": (),
}  # fmt: skip
WIDOW = frozenset({"VEUVE", "VVE"})
CONNECTORS = frozenset({"ET", "OU"})
# "X épouse Y": Y is the nom d'usage, X the birth name. "X née Y": X is the nom d'usage.
EPOUSE, NEE = "epouse", "nee"
MARKERS: dict[str, str] = {
    "EPOUSE": EPOUSE, "EP": EPOUSE, "EPSE": EPOUSE, "VEUVE": EPOUSE, "VVE": EPOUSE,
    "NEE": NEE, "NE": NEE,
}  # fmt: skip
PARTICLES = frozenset(
    "DE DU DES DEL DELLA DELA LA LE LES L D DA DAS DOS DI VAN VON DER DEN TER TEN VANDER VANDEN "
    "BEN BENT BOU BIN IBN EL AL AIT OULD MAC MC".split()
)
# First names that are also frequent surnames: weak evidence either way (tier 1).
_TIER1 = frozenset(
    "MARTIN BERNARD ROBERT RICHARD LAURENT SIMON DAVID BERTRAND VINCENT ANDRE FRANCOIS GAUTHIER "
    "GAUTIER ROBIN CLEMENT HENRY HENRI MATHIEU DENIS NOEL GERARD COLIN ROGER RENAUD BENOIT HUBERT "
    "ADAM CHARLES DANIEL GERMAIN REMY REMI JACOB GILBERT ARNAUD HERVE LUCAS ETIENNE ANTOINE GUY "
    "LEON LEONARD MAURICE RAYMOND FERNAND BLAISE PASCAL PRINCE MORGAN AUBIN AUGUSTIN BASILE FIRMIN "
    "GREGOIRE HUGUES LAZARE MARIN SAID ALI BRAHIM HASSAN SALAH KACI MOUSSA ISSA YOUSSEF AMARA "
    "DIDIER ROLAND LUC ARMAND EMILE FELIX GASTON MARCEL JULES GABRIEL SAMUEL".split()
)
# Mostly first names, but real surnames too (tier 2). Every other listed first name is tier 3.
_TIER2 = frozenset(
    "JEAN PIERRE PAUL LOUIS MARC JULIEN NICOLAS THOMAS OLIVIER PHILIPPE ALEXANDRE MICHEL "
    "GUILLAUME MARIE JOSEPH VICTOR XAVIER GILLES YVES FLORENT VALENTIN ALBERT MOHAMED AHMED OMAR "
    "GEORGES CLAUDE RENE".split()
)
_WEIGHT = (0.0, 0.5, 1.0, 2.0)  # indexed by tier

_EDGE = "-'.,"
_TRANSLATE = str.maketrans(
    {
        **{c: "'" for c in "\u2019\u02bc\u2018`\u00b4"},
        **{c: "-" for c in "\u2010\u2011\u2013\u2014"},
        **{c: " " for c in '()[]{}"«»;:*_!?<>=|\\'},
        **{c: " ET " for c in "&+/"},
    }
)
_HYPHENS = re.compile(r"\s*-\s*")
_CIV_GLUE = re.compile(r"^(M|MR|MME|MLLE|MELLE)\.(?=\w)", re.IGNORECASE)
_HAS_LETTER = re.compile(r"[^\W\d_]")
_SPECIAL = re.compile(r"[^\w .'-]")


class Tok(NamedTuple):
    """One word of a name with what the parser needs to know about it."""

    text: str  # as written (apostrophes and hyphens normalised)
    key: str  # fold_compact(text), for the civility / marker / particle tables
    tier: int  # -1 particle, 0 unknown, 1 weak, 2 medium, 3 strong first name
    cls: str  # "C" capitals word, "L" word with lowercase, "P" particle not in capitals, "O" other


def _load_prenoms() -> frozenset[str]:
    text = resources.files(__package__).joinpath("prenoms.txt").read_text(encoding="utf-8")
    return frozenset(fold_compact(ln) for ln in text.splitlines() if ln.strip() and ln[0] != "#")


PRENOMS = _load_prenoms()


def _part_tier(part: str) -> int:
    if part not in PRENOMS:
        return 0
    if part in _TIER1:
        return 1
    return 2 if part in _TIER2 else 3


@lru_cache(maxsize=32768)
def tok(text: str) -> Tok:
    """Describe one word (cached: first names and common surnames repeat a lot)."""
    parts = fold_nocache(text).split()
    key = "".join(parts)
    if key in PARTICLES:
        tier = -1
    elif len(key) == 1:
        tier = 2  # an initial ("J.")
    else:
        tier = min((_part_tier(p) for p in parts), default=0)
    if text.isupper() and len(text.strip(_EDGE)) >= 2:
        cls = "C"
    elif tier < 0:
        cls = "P"
    else:
        cls = "L" if any(c.islower() for c in text) else "O"
    return Tok(text, key, tier, cls)


@lru_cache(maxsize=16384)
def tokenize(text: str) -> tuple[Tok, ...]:
    """Split a cleaned name into words; "&", "+" and "/" become the connector "ET"."""
    if _SPECIAL.search(text):
        text = text.translate(_TRANSLATE)
    if "-" in text:
        text = _HYPHENS.sub("-", text)
    if "' " in text:
        text = text.replace("' ", "'")
    if "." in text[:6]:
        glued = _CIV_GLUE.match(text)  # "M.DUPONT"
        if glued:
            text = f"{text[: glued.end()]} {text[glued.end() :]}"
    out: list[Tok] = []
    for raw in text.split():
        word = raw.strip(_EDGE)
        if not word.isalpha() and not _HAS_LETTER.search(word):
            continue
        if len(word) == 1 and raw.startswith(word + "."):
            word += "."  # keep the dot of an initial
        out.append(tok(word))
    return tuple(out)


# --- which words are prénoms ----------------------------------------------------------------


def _surname_ok(toks: tuple[Tok, ...], start: int, end: int) -> bool:
    """The words left for the surname exist and do not end with a particle ("DE")."""
    last = len(toks) - 1 if end < len(toks) else start - 1
    return last >= 0 and toks[last].tier >= 0


def _by_case(toks: tuple[Tok, ...], boundary: int | None) -> tuple[int, int] | None:
    """With mixed case, the non-capital words are the prénoms, if they form one edge block."""
    classes = [t.cls for t in toks]
    if "C" not in classes or "L" not in classes or "O" in classes:
        return None
    n = len(classes)
    start = classes.index("L")
    end = n - classes[::-1].index("L")
    if "C" in classes[start:end] or not (start == 0 or end == n or end == boundary):
        return None
    return (start, end) if _surname_ok(toks, start, end) else None


@lru_cache(maxsize=256)
def _candidates(n: int, boundary: int | None) -> tuple[tuple[int, int, float], ...]:
    """Possible prénom blocks (start, end, bias) that do not straddle an "épouse"/"née" marker."""
    b = boundary
    out: list[tuple[int, int, float]] = []
    for k in range(1, n):
        if b is None or n - k >= b:
            out.append((n - k, n, 0.5))  # NOM Prénom, the most common order in exports
        if b is None or k <= b:
            out.append((0, k, 0.0))
        if b is not None and 0 < b - k and b < n:
            out.append((b - k, b, 0.25))  # "DURAND Sophie née MARTIN"
    return tuple(out)


def _by_list(toks: tuple[Tok, ...], boundary: int | None) -> tuple[int, int, bool] | None:
    """Score every possible prénom block with the first-name list: (start, end, uncertain)."""
    if len(toks) == 2 and boundary is None:
        return _by_list_pair(toks[0].tier, toks[1].tier)
    tiers = [t.tier for t in toks]
    weights = [_WEIGHT[t] if t > 0 else 0.0 for t in tiers]
    total = sum(weights)
    best: dict[bool, tuple[float, float, int, int]] = {}
    for start, end, bias in _candidates(len(toks), boundary):
        if min(tiers[start:end]) <= 0 or not _surname_ok(toks, start, end):
            continue
        # Known first names count for the block and against the surname left over.
        score = (bias + 2 * sum(weights[start:end]) - total, bias, start, end)
        prefix = start == 0
        if prefix not in best or score > best[prefix]:
            best[prefix] = score
    if not best:
        return None
    winner = max(best.values())
    rival = best.get(winner[2] != 0)
    uncertain = rival is not None and winner[0] - rival[0] < 2.0
    # "Marie Claire": when the surname left is itself a common first name, say so.
    left = [t for i, t in enumerate(tiers) if not winner[2] <= i < winner[3] and t >= 0]
    return winner[2], winner[3], uncertain or all(t >= 2 for t in left)


def _by_list_pair(first: int, second: int) -> tuple[int, int, bool] | None:
    """_by_list for the most common case, two words: same scores, computed directly."""
    w1, w2 = _WEIGHT[max(first, 0)], _WEIGHT[max(second, 0)]
    no_score = float("-inf")
    suffix = 0.5 + w2 - w1 if second > 0 and first >= 0 else no_score  # NOM Prénom
    prefix = w1 - w2 if first > 0 and second >= 0 else no_score  # Prénom NOM
    if suffix == prefix == no_score:
        return None
    if suffix >= prefix:
        return 1, 2, suffix - prefix < 2.0 or first >= 2
    return 0, 1, prefix - suffix < 2.0 or second >= 2


def choose_prenoms(toks: tuple[Tok, ...], boundary: int | None, allow_fallback: bool) -> tuple[int, int, bool]:
    """Return (start, end, uncertain) of the prénom block; start == end when there is none.

    Capitals decide first ("Jean DUPONT"), then the first-name list; without either, the last word
    is taken as the prénom ("NOM Prénom") when allow_fallback, and the order is flagged uncertain.
    """
    if len(toks) < 2:
        return 0, 0, False
    by_case = _by_case(toks, boundary)
    if by_case is not None:
        return by_case[0], by_case[1], False
    by_list = _by_list(toks, boundary)
    if by_list is not None:
        start, end, uncertain = by_list
        # Without the fallback (a Nom column), only a clear first name may be split off.
        if allow_fallback or not (uncertain or min(t.tier for t in toks[start:end]) < 2):
            return by_list
        return 0, 0, False
    n = len(toks)
    if allow_fallback and _surname_ok(toks, n - 1, n):
        return n - 1, n, True
    return 0, 0, False
