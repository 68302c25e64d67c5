"""Cached, non-raising parsers for the columns of partner files.

Every parser here takes the raw cell text and returns the normalised value, ``None`` for an
empty cell, or an :class:`Invalid` carrying the French reason: a whole column is parsed with
``map`` and its invalid values are found afterwards, without an exception per row. Results
are cached here, since partner files repeat the same dates, communes, amounts and names; the
normalisers' own caches stay small, as a second level (caches are bounded: memory stays flat).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..normalize import addresses, amounts, dates, identifiers, names, text, vocabulary

MAX_VALUE_LENGTH = 2000


@dataclass(frozen=True)
class Invalid:
    """What a safe parser returns instead of raising (cached like any other result)."""

    value: str
    reason: str


Parser = Callable[[str], Any]
SafeParser = Callable[[str], Any]


def safe(parse: Parser, cache: int = 65536) -> SafeParser:
    """Wrap ``parse``: strip, empty → None, ValueError → :class:`Invalid`; results cached."""

    def run(raw: str) -> Any:
        value = raw.strip()
        if not value:
            return None
        if len(value) > MAX_VALUE_LENGTH:
            return Invalid(value[:50] + "…", f"valeur trop longue ({len(value)} caractères)")
        try:
            return parse(value)
        except ValueError as err:
            return Invalid(value, str(err))

    return lru_cache(maxsize=cache)(run) if cache else run


@lru_cache(maxsize=32768)
def parse_names(full: str, last: str, first: str) -> tuple[Any, ...] | Invalid:
    """The name columns of a row (holder, keys for matching, second person), cached."""
    full, last, first = full.strip(), last.strip(), first.strip()
    if not (full or last or first):
        return Invalid("", "aucun nom : la ligne ne peut pas être rattachée à un ménage")
    try:
        parsed = names.parse_full_name(full) if full and not last else names.parse_name_fields(last, first)
    except ValueError as err:
        return Invalid((full if full and not last else last) or first, str(err))
    holder, second = parsed.titulaire, parsed.second
    return (
        holder.civilite,
        holder.nom,
        holder.nom_naissance,
        holder.prenoms,
        text.fold(holder.nom) if holder.nom else None,
        text.fold(holder.prenoms) if holder.prenoms else None,
        second.civilite if second else None,
        second.nom if second else None,
        second.nom_naissance if second else None,
        second.prenoms if second else None,
    )


@lru_cache(maxsize=32768)
def parse_address_columns(raw: str, postcode: str | None, commune: str | None) -> tuple[Any, ...]:
    """(adresse brute, numéro, suffixe, voie, complément, code postal, commune), cached."""
    raw = raw.strip()
    if not raw:
        return (None,) * 7
    parsed = addresses.parse_address(raw, postcode, commune)
    return raw, parsed.numero, parsed.suffixe, parsed.voie, parsed.complement, parsed.code_postal, parsed.commune


def frozen(mapping: Mapping[str, str] | None) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(mapping.items())) if mapping else ()


@lru_cache(maxsize=32)
def act_parser(overrides: tuple[tuple[str, str], ...]) -> SafeParser:
    table = dict(overrides) or None
    return safe(lambda v: vocabulary.parse_act_type(v, overrides=table), 4096)


def _vocabulary_parser(parse: Callable[..., str], overrides: Mapping[str, str] | None) -> SafeParser:
    return safe(lambda v: parse(v, overrides=overrides), 4096)


def parser_for(kind: str, overrides: Mapping[str, str] | None, allocataire_width: int) -> SafeParser:
    if kind == "allocataire":
        return safe(lambda v: identifiers.normalize_allocataire(v, allocataire_width), 0)
    if kind in _VOCABULARY_PARSERS:
        return _vocabulary_parser(_VOCABULARY_PARSERS[kind], overrides)
    return _SAFE_PARSERS[kind]


parse_date = safe(dates.parse_date, 16384)
GROUPED_KINDS = frozenset({"name_full", "nom", "prenom", "address", "act_type"})
_SAFE_PARSERS: dict[str, SafeParser] = {
    "text": safe(text.clean_spaces, 16384),
    "identifier": safe(identifiers.normalize_identifier, 0),
    "date": parse_date,
    "amount": safe(amounts.parse_amount_centimes, 32768),
    "int": safe(identifiers.parse_int, 1024),
    "bool": safe(identifiers.parse_bool_fr, 256),
    "postcode": safe(addresses.normalize_postcode, 16384),
    "insee": safe(identifiers.normalize_insee, 16384),
    "commune": safe(addresses.normalize_commune, 16384),
}
_VOCABULARY_PARSERS: dict[str, Callable[..., str]] = {
    "decision_cfp": vocabulary.parse_decision_cfp,
    "decision_jugement": vocabulary.parse_jugement_decision,
    "parc": vocabulary.parse_parc,
    "type_bailleur": vocabulary.parse_type_bailleur,
    "organisme": vocabulary.parse_organisme,
}
