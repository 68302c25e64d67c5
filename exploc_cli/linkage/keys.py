"""Comparison records and blocking keys: what the linkage compares, and which pairs it compares.

A signalement becomes a :class:`LinkRecord`: the persons it names (titulaire, then the second
person of « M. et Mme … » or a conjoint), each with every surname it may carry (nom d'usage,
nom de naissance), its first name and birth date; the household's strong keys (numéro
allocataire, the partner's own reference) and its address. Only pairs that share a blocking
key are compared, so the cost grows about linearly with volume.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any, NamedTuple

from ..normalize.text import fold, fold_compact
from .common import any_common, very_common_pair

# A safety net against pathological files (every row named « X »): a larger block is not
# compared pairwise. Keys are fine-grained enough that real data never reaches it (the pair of
# two very common names carries the code postal), and the cap is what keeps incremental and
# full linking equal, since a block's size depends on the data seen so far.
MAX_BLOCK = 5000


_SUFFIXES = {"B": "BIS", "T": "TER", "Q": "QUATER"}  # « 12 B » and « 12 bis » are one number


class Rent(NamedTuple):
    """The monthly rent a report states, in cents: hors charges (CAF, commissaire de justice) and
    charges comprises (the landlord's quittance, or loyer + charges when both are given)."""

    loyer: int | None
    quittance: int | None


@dataclass(frozen=True, slots=True)
class Person:
    surnames: tuple[str, ...]  # compact folded keys: nom d'usage first, then nom de naissance
    firstname: str  # compact folded first given name ("" when unknown)
    birth: date | None
    label: str  # "DURAND (née MARTIN) Sophie", for explanations


@dataclass(slots=True)  # not frozen: built by the hundred thousand, and never changed
class LinkRecord:
    id: int
    first_date: date  # the date of its main event
    persons: tuple[Person, ...]
    allocataire: str | None
    reference: str | None  # source-qualified partner reference
    address: str | None  # numéro + suffixe + voie, folded
    street: str | None
    postcode: str | None
    commune: str | None  # folded
    flat: str | None  # folded complément (bâtiment, appartement)
    rent: Rent | None = None  # what the lease says the household pays

    @property
    def signature(self) -> tuple[object, ...]:
        """Everything the comparison looks at: records with the same signature compare alike."""
        return (
            self.persons, self.allocataire, self.reference, self.address, self.postcode, self.commune, self.flat,
            self.rent,
        )  # fmt: skip


@lru_cache(maxsize=262144)
def make_person(nom: str | None, nom_naissance: str | None, prenoms: str | None, birth: date | None) -> Person | None:
    surnames = tuple(dict.fromkeys(k for k in (_compact(nom), _compact(nom_naissance)) if k))
    if not surnames:
        return None
    firstname = _first_name(prenoms or "")
    label = " ".join(
        p for p in (nom, f"(née {nom_naissance})" if nom_naissance and nom_naissance != nom else "", prenoms) if p
    )
    return Person(surnames, firstname, birth, label)


# The stored columns a record is made of, in the order ``record_from_row`` reads them.
RECORD_COLUMNS = (
    "id", "source", "reference", "bailleur", "nom", "nom_naissance", "prenoms", "date_naissance", "nom2",
    "nom_naissance2", "prenoms2", "numero", "suffixe", "voie", "complement", "code_postal", "commune",
    "numero_allocataire", "menage_id", "date_evenement", "loyer", "charges", "loyer_charges",
)  # fmt: skip


def make_record(row: dict[str, object]) -> LinkRecord:
    """A comparison record from a signalement's stored columns (and its main event's date)."""
    return record_from_row(tuple(row.get(name) for name in RECORD_COLUMNS))


def record_from_row(row: tuple[Any, ...]) -> LinkRecord:
    """A comparison record from a row of ``RECORD_COLUMNS``; rows that differ only by id and
    date (a household's monthly reports) share the work."""
    return LinkRecord(row[0], stored_date(row[19]) or date.min, *_record_body(row[1:18]), _rent(*row[20:23]))


@lru_cache(maxsize=131072)
def _record_body(
    row: tuple[Any, ...],
) -> tuple[tuple[Person, ...], str | None, str | None, str | None, str | None, str | None, str | None, str | None]:
    (source, reference, bailleur, nom, nom_naissance, prenoms, naissance, nom2, nom_naissance2, prenoms2,
     numero, suffixe, voie, complement, code_postal, commune, allocataire) = row  # fmt: skip
    persons = (
        make_person(_str(nom), _str(nom_naissance), _str(prenoms), stored_date(naissance)),
        make_person(_str(nom2), _str(nom_naissance2), _str(prenoms2), None),
    )
    address, street = _address(_str(numero), _str(suffixe), _str(voie))
    return (
        tuple(p for p in persons if p is not None),
        _str(allocataire),
        reference_key(str(source), _str(reference), _str(bailleur)),
        address,
        street,
        _str(code_postal),
        _folded(_str(commune)),
        _folded(_str(complement)),
    )


@lru_cache(maxsize=65536)
def _address(numero: str | None, suffixe: str | None, voie: str | None) -> tuple[str | None, str | None]:
    """(numéro + suffixe + voie, voie), folded; « 12 B » and « 12 bis » alike."""
    if not voie:
        return None, None
    street = fold(voie)
    number = " ".join(p for p in (numero, _SUFFIXES.get(suffixe or "", suffixe)) if p)
    return f"{number} {street}".strip(), street


def _rent(loyer: int | None, charges: int | None, loyer_charges: int | None) -> Rent | None:
    if loyer_charges is None and loyer is not None and charges is not None:
        loyer_charges = loyer + charges
    if loyer is None and loyer_charges is None:
        return None
    return Rent(loyer, loyer_charges)


def _folded(value: str | None) -> str | None:
    return fold(value) if value else None


def reference_key(source: str, reference: str | None, bailleur: str | None) -> str | None:
    """The partner's own reference, qualified so that two partners' numbers never collide.

    A social landlord's tenant reference is only unique within that landlord; a commissaire de
    justice's file number is shared by every act of one procedure (co-tenants included).
    """
    if not reference:
        return None
    if source == "bailleur":
        return f"bailleur:{fold_compact(bailleur or '')}:{reference}"
    return f"{source}:{reference}"


def blocking_keys(record: LinkRecord) -> set[str]:
    """The keys under which a record meets its candidates."""
    keys: set[str] = set()
    where = record.postcode or record.commune or ""
    if record.allocataire:
        keys.add(f"a:{record.allocataire}")
    if record.reference:
        keys.add(f"r:{record.reference}")
    dwelling = f"ad:{record.address}:{where}:" if record.address and where else None
    for person in record.persons:
        if dwelling is not None:
            # the same address and a name: a large building holds hundreds of households. By
            # surname (the conjoint, a first-name typo) or by first name (a married name on one
            # side, a surname typo), in one namespace so that swapped names meet too.
            keys.update(f"{dwelling}{surname}" for surname in person.surnames)
            if person.firstname:
                keys.add(f"{dwelling}{person.firstname}")
        for surname in person.surnames:
            if person.firstname and not very_common_pair(surname, person.firstname):
                # the name pair in either order and anywhere: swapped names, moves (only in the
                # same code postal when one name is very common: an abstention elsewhere). Two
                # very common names (MARTIN Jean) only ever link with a birth date, an address
                # or a number in common, which have keys of their own.
                first, second = sorted((surname, person.firstname))
                keys.add(f"p:{first}:{second}" + (f":{where}" if any_common(surname, person.firstname) else ""))
        if person.birth is not None:
            # a birth date with either initial: surname or first-name typos, moves
            keys.add(f"d:{person.birth.isoformat()}:{person.surnames[0][:1]}")
            if person.firstname:
                keys.add(f"d:{person.birth.isoformat()}:{person.firstname[:1]}")
    return keys


@lru_cache(maxsize=65536)
def _compact(value: str | None) -> str:
    return fold_compact(value) if value else ""


@lru_cache(maxsize=16384)
def _first_name(prenoms: str) -> str:
    """The first given name, compound names kept whole: « Jean-Pierre Marie » → JEANPIERRE."""
    words = prenoms.split()
    return fold_compact(words[0]) if words else ""


def clear_caches() -> None:
    """Forget the cached parts of records: after a full relink they hold hundreds of thousands of
    objects of no further use, whose release at the process's exit took 3 s (measured)."""
    for cached in (_record_body, make_person, _address, _iso_date):
        cached.cache_clear()


def _str(value: object) -> str | None:
    if value is None or value == "":
        return None
    return str(value)


def stored_date(value: object) -> date | None:
    """A date as the driver returns it (a ``date``, or ISO text from SQLite), or None."""
    if value is None or isinstance(value, date):
        return value
    return _iso_date(str(value)[:10])


@lru_cache(maxsize=65536)
def _iso_date(value: str) -> date:
    return date.fromisoformat(value)
