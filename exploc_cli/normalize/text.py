"""Low-level text helpers: whitespace cleaning and accent-insensitive matching keys."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

__all__ = ["clean_spaces", "fold", "fold_compact", "fold_nocache", "normalize_header", "upper_fr"]

# Ligatures that NFKD does not decompose (Œ, Æ) or that upper() would expand anyway (ß).
_LIGATURES = str.maketrans(
    {
        "Œ": "OE",
        "œ": "OE",
        "Æ": "AE",
        "æ": "AE",
        "ß": "SS",
        "ẞ": "SS",
        "Ø": "O",
        "ø": "O",
        "Đ": "D",
        "đ": "D",
        "Ł": "L",
        "ł": "L",
        "Ħ": "H",
        "ħ": "H",
        "ı": "I",
    }
)
# Everything that is not a letter or a digit separates words in a matching key.
_NON_WORD = re.compile(r"[\W_]+")
_ASCII_NON_WORD = re.compile(r"[^A-Z0-9]+")

# Header normalisation: "N°", "Nº" before folding ("°" would vanish, "º" would become "O").
_NUMERO_SIGN = re.compile(r"\b[Nn]\s*[°º]")
_NUMERO_WORD = re.compile(r"\b(?:N O|NO|NUM|NUMERO)\b|^N(?= \S)")


def clean_spaces(s: str) -> str:
    """Strip and collapse every kind of whitespace (NBSP, narrow NBSP, tabs, line breaks)."""
    # str.split() without argument splits on all Unicode whitespace, NBSP and U+202F included.
    return " ".join(s.split())


def _fold_once(s: str) -> str:
    text = unicodedata.normalize("NFKD", s.translate(_LIGATURES))
    text = "".join(c for c in text if not unicodedata.category(c).startswith("M"))
    text = text.upper().translate(_LIGATURES)
    return _NON_WORD.sub(" ", text).strip()


@lru_cache(maxsize=65536)
def fold(s: str) -> str:
    """Uppercase, accent- and punctuation-free matching key: "Cœur-d'Éloïse" → "COEUR D ELOISE"."""
    return fold_nocache(s)


def fold_nocache(s: str) -> str:
    """fold() without its cache, for callers that cache a larger result themselves."""
    if s.isascii():
        return _ASCII_NON_WORD.sub(" ", s.upper()).strip()
    folded = _fold_once(s)
    # upper() and NFKD may each produce characters the other would change: iterate to a fixed
    # point so that fold is idempotent on any input (only exotic scripts loop more than once).
    for _ in range(4):
        if folded.isascii():
            break
        again = _fold_once(folded)
        if again == folded:
            break
        folded = again
    return folded


@lru_cache(maxsize=65536)
def fold_compact(s: str) -> str:
    """Return fold(s) without any space ("Le Gall" and "LEGALL" give the same key)."""
    return fold(s).replace(" ", "")


@lru_cache(maxsize=4096)
def normalize_header(s: str) -> str:
    """Return a column-header matching key: "N° allocataire " → "NUMERO ALLOCATAIRE"."""
    text = _NUMERO_SIGN.sub(" NUMERO ", s)
    return _NUMERO_WORD.sub("NUMERO", fold(text))


def upper_fr(s: str) -> str:
    """Uppercase keeping accents, with typographic apostrophes turned into "'"."""
    return s.replace("\u2019", "'").replace("\u02bc", "'").replace("`", "'").upper()
