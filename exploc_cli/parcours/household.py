"""What the signalements say about the household: identity, composition, housing, addresses, follow-ups.

Each group of fields is taken from the latest signalement (by the date of its main event) that
gives it, so that a first name from one source is never paired with a surname from another.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

from ..normalize.addresses import Address, address_key, format_address
from ..normalize.text import fold
from .records import EventRecord, SignalementRecord


@dataclass(slots=True)
class Household:
    """Latest known values about the household (None when no signalement gives them).

    Not frozen, for speed (one per ménage in ``summarise_all``): treat as read-only.
    """

    civilite: str | None = None
    nom: str | None = None
    nom_naissance: str | None = None
    prenoms: str | None = None
    date_naissance: date | None = None
    civilite2: str | None = None
    nom2: str | None = None
    prenoms2: str | None = None
    telephone: str | None = None
    numero_allocataire: str | None = None
    organisme: str | None = None
    enfants: int | None = None
    situation_familiale: str | None = None
    adresse: str | None = None
    numero: str | None = None  # of the latest address (sectorisation by street)
    voie: str | None = None
    code_postal: str | None = None
    commune: str | None = None
    code_insee: str | None = None
    departement: str | None = None
    bailleur: str | None = None
    type_bailleur: str | None = None
    parc: str | None = None
    numero_logement: str | None = None
    date_bail: date | None = None
    loyer: int | None = None
    charges: int | None = None
    loyer_charges: int | None = None
    montant_aide: int | None = None
    tiers_payant: bool | None = None
    sources: tuple[str, ...] = ()
    signalements: int = 0

    @property
    def rent(self) -> int | None:
        """Monthly rent excluding charges when known, else rent with charges (centimes)."""
        return self.loyer if self.loyer else self.loyer_charges

    @property
    def street(self) -> str | None:
        """The address without its town (« 12 rue Victor Hugo, Bât C »), for a letter or a list."""
        town = " ".join(p for p in (self.code_postal, self.commune) if p)
        if self.adresse and town and self.adresse.endswith(town):
            return self.adresse[: -len(town)].rstrip(" ,") or None
        return self.adresse

    @property
    def display_name(self) -> str:
        """« NOM Prénoms », and the second person after « et » when there is one."""
        first = " ".join(p for p in (self.nom, self.prenoms) if p)
        second = " ".join(p for p in (self.nom2, self.prenoms2) if p)
        return f"{first} et {second}" if first and second else first or second


@dataclass(frozen=True, slots=True)
class AddressSpan:
    """One distinct address of the household, with the dates it was reported first and last."""

    label: str
    key: str
    code_postal: str | None
    commune: str | None
    code_insee: str | None
    first_seen: date
    last_seen: date
    sources: tuple[str, ...]
    signalements: int


@dataclass(frozen=True, slots=True)
class SocialFollowUp:
    """A follow-up by a social service (source ``suivi``)."""

    service: str | None
    referent: str | None
    start: date | None
    end: date | None
    signalement_id: int


# Fields taken together from the latest signalement that gives the first one.
FIELD_GROUPS: tuple[tuple[str, ...], ...] = (
    ("nom", "civilite", "nom_naissance", "prenoms"),
    ("nom2", "civilite2", "prenoms2"),
    ("date_naissance",),
    ("telephone",),
    ("numero_allocataire", "organisme"),
    ("enfants",),
    ("situation_familiale",),
    ("commune", "code_postal", "code_insee", "departement"),
    ("voie", "numero"),
    ("bailleur", "type_bailleur"),
    ("parc",),
    ("numero_logement",),
    ("date_bail",),
    ("loyer", "charges"),
    ("loyer_charges",),
    ("montant_aide", "tiers_payant"),
)


def summarise_household(
    chronological: Sequence[SignalementRecord], *, available: frozenset[str] | None = None
) -> Household:
    """Latest known values, from signalements in chronological order.

    ``available``: the only fields the records were read with (the others are left unknown).
    """
    groups = FIELD_GROUPS if available is None else tuple(g for g in FIELD_GROUPS if g[0] in available)
    latest_first = chronological[::-1]
    values: dict[str, Any] = {}
    for group in groups:
        head = group[0]
        for signalement in latest_first:
            if getattr(signalement, head) is not None:
                for name in group:
                    values[name] = getattr(signalement, name)
                break
    if available is None or "voie" in available or "adresse_brute" in available:
        located = next((s for s in latest_first if _has_address(s)), None)
        if located is not None:
            values["adresse"] = _address_label(located)
    sources = tuple(sorted({s.source for s in chronological}))
    return Household(**values, sources=sources, signalements=len(chronological))


def _has_address(s: SignalementRecord) -> bool:
    return bool(s.voie or s.adresse_brute)


def _address_of(s: SignalementRecord) -> Address:
    return Address(s.numero, s.suffixe, s.voie, s.complement, s.code_postal, s.commune)


def _address_label(s: SignalementRecord) -> str:
    if s.voie:
        return format_address(_address_of(s))
    return " ".join(p for p in (s.adresse_brute, s.code_postal, s.commune) if p)


def _address_key(s: SignalementRecord) -> str:
    if s.voie:
        return address_key(_address_of(s))
    return " ".join(fold(p) for p in (s.adresse_brute, s.code_postal) if p)


def address_spans(chronological: Sequence[SignalementRecord], dates: Mapping[int, date]) -> tuple[AddressSpan, ...]:
    """Every distinct address, in the order they were first reported (latest label kept)."""
    spans: dict[str, AddressSpan] = {}
    for signalement in chronological:
        day = dates.get(signalement.id)
        if day is None or not _has_address(signalement):
            continue
        key = _address_key(signalement)
        known = spans.get(key)
        if known is None:
            spans[key] = AddressSpan(
                _address_label(signalement),
                key,
                signalement.code_postal,
                signalement.commune,
                signalement.code_insee,
                day,
                day,
                (signalement.source,),
                1,
            )
            continue
        spans[key] = replace(
            known,
            label=_address_label(signalement),
            code_postal=signalement.code_postal or known.code_postal,
            commune=signalement.commune or known.commune,
            code_insee=signalement.code_insee or known.code_insee,
            first_seen=min(known.first_seen, day),
            last_seen=max(known.last_seen, day),
            sources=tuple(sorted({*known.sources, signalement.source})),
            signalements=known.signalements + 1,
        )
    return tuple(spans.values())


def follow_ups(signalements: Sequence[SignalementRecord], events: Sequence[EventRecord]) -> tuple[SocialFollowUp, ...]:
    """The social follow-ups (source ``suivi``), with their start and end dates, by start date."""
    suivis = [s for s in signalements if s.source == "suivi"]
    if not suivis:
        return ()
    starts: dict[int, date] = {}
    ends: dict[int, date] = {}
    for event in events:
        if event.code == "debut_suivi":
            starts[event.signalement_id] = event.date
        elif event.code == "fin_suivi":
            ends[event.signalement_id] = event.date
    found = [SocialFollowUp(s.service, s.referent, starts.get(s.id), ends.get(s.id), s.id) for s in suivis]
    return tuple(sorted(found, key=lambda f: (f.start or date.min, f.signalement_id)))
