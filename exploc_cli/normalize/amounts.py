"""Money amounts, stored as integer centimes: "1 234,56 €", "1234.56", "(150,00)"..."""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, localcontext
from functools import lru_cache

from .text import clean_spaces

__all__ = ["format_centimes_fr", "parse_amount_centimes"]

_CURRENCY = re.compile(r"€|\bEUR\b|\bEUROS?\b", re.IGNORECASE)
_INTEGER = re.compile(r"^\d+$", re.ASCII)
_SIMPLE = re.compile(r"^(\d+)([.,])(\d+)$", re.ASCII)
# Thousands groups with one consistent separator (space, apostrophe, dot or comma), then decimals.
_GROUPED = re.compile(r"^(\d{1,3})((?:([ '.,])\d{3})(?:\3\d{3})*)(?:([.,])(\d+))?$", re.ASCII)
_SCIENTIFIC = re.compile(r"^\d+(?:\.\d+)?E[+-]?\d{1,3}$", re.IGNORECASE | re.ASCII)
_CENT = Decimal("0.01")
# Beyond ten billion euros an amount is a typo or a hostile value (« 1e308 »): refused, so that
# it never overflows SQLite's 64-bit integers, even summed over a million rows.
MAX_CENTIMES = 10**12


def _invalid(value: str) -> ValueError:
    return ValueError(f"montant invalide : « {clean_spaces(value)} »")


def _digits(body: str) -> str | None:
    """Return body as a plain "1234.56" decimal string, or None if it is not an amount."""
    if _INTEGER.match(body):
        return body
    simple = _SIMPLE.match(body)
    if simple is not None:
        whole, sep, decimals = simple.groups()
        # "1.234" is a thousands separator (a spreadsheet float never ends like "12.500"),
        # "1,234" a French decimal comma.
        if sep == "." and len(decimals) == 3 and len(whole) <= 3 and whole[0] != "0":
            return whole + decimals
        return f"{whole}.{decimals}"
    grouped = _GROUPED.match(body)
    if grouped is not None:
        head, groups, thousands, dec_sep, decimals = grouped.groups()
        if dec_sep is not None and dec_sep == thousands:
            return None
        integer = head + groups.replace(thousands, "")
        return integer if decimals is None else f"{integer}.{decimals}"
    if _SCIENTIFIC.match(body):
        return body
    return None


@lru_cache(maxsize=4096)
def parse_amount_centimes(value: str) -> int | None:
    """Parse an amount in euros into centimes (round half up); None when the value is empty."""
    text = clean_spaces(value)
    if not text:
        return None
    if text.isdigit() and text.isascii() and len(text) <= 10:
        return int(text) * 100
    body = _CURRENCY.sub(" ", text) if not text[-1].isdigit() or not text[0].isdigit() else text
    body = clean_spaces(body)
    negative = False
    if body.startswith("(") and body.endswith(")"):
        negative, body = True, body[1:-1].strip()
    if body[:1] in "-+\u2212" and body:
        negative, body = negative or body[0] != "+", body[1:].strip()
    elif body.endswith("-"):
        negative, body = True, body[:-1].strip()
    digits = _digits(body) if body else None
    if digits is None:
        raise _invalid(value)
    centimes = _to_centimes(digits)
    if centimes > MAX_CENTIMES:
        raise ValueError(f"montant invalide : « {clean_spaces(value)} » (plus de dix milliards d'euros)")
    return -centimes if negative else centimes


def _to_centimes(digits: str) -> int:
    """Exact conversion of "1234.567" to centimes, rounding half up (away from zero)."""
    if "E" in digits or "e" in digits:
        with localcontext() as ctx:
            ctx.prec = len(digits) + 400
            amount = Decimal(digits).quantize(_CENT, rounding=ROUND_HALF_UP)
        return int(amount * 100)
    integer, _, decimals = digits.partition(".")
    centimes = int(integer) * 100 + int((decimals + "00")[:2])
    return centimes + 1 if decimals[2:3] >= "5" else centimes


def format_centimes_fr(c: int) -> str:
    """Format centimes as French euros without sign: 123456 → "1 234,56" (no-break space)."""
    euros, cents = divmod(abs(c), 100)
    sign = "-" if c < 0 else ""
    return f"{sign}{euros:,}".replace(",", "\u00a0") + f",{cents:02d}"
