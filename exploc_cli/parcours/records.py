"""What the parcours reads from the store: a ménage, its signalements and their events, as plain records.

The records are built from rows of SQLAlchemy Core ``text()`` queries (see ``service``), whose
column lists are kept here next to the fields they fill, so that the two never drift apart.
They are plain (not frozen) dataclasses because ``summarise_all`` builds millions of them: a frozen
dataclass's ``__init__`` is ten times slower. Treat them as read-only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime
from typing import Any

from sqlalchemy import Boolean, Date, DateTime, Integer, String, TextualSelect, text
from sqlalchemy.types import TypeEngine


@dataclass(slots=True)
class MenageRecord:
    """A row of ``menage``."""

    id: int
    statut: str = "ouvert"
    clos_le: date | None = None
    motif_cloture: str | None = None
    fusionne_dans: int | None = None


@dataclass(slots=True)
class SignalementRecord:
    """The columns of ``signalement`` a parcours uses (identity, address, housing, amounts, follow-up)."""

    id: int
    source: str
    reference: str | None = None
    civilite: str | None = None
    nom: str | None = None
    nom_naissance: str | None = None
    prenoms: str | None = None
    date_naissance: date | None = None
    civilite2: str | None = None
    nom2: str | None = None
    prenoms2: str | None = None
    adresse_brute: str | None = None
    numero: str | None = None
    suffixe: str | None = None
    voie: str | None = None
    complement: str | None = None
    code_postal: str | None = None
    commune: str | None = None
    code_insee: str | None = None
    departement: str | None = None
    telephone: str | None = None
    bailleur: str | None = None
    type_bailleur: str | None = None
    parc: str | None = None
    numero_logement: str | None = None
    date_bail: date | None = None
    loyer: int | None = None
    charges: int | None = None
    loyer_charges: int | None = None
    dette: int | None = None
    numero_allocataire: str | None = None
    organisme: str | None = None
    montant_aide: int | None = None
    tiers_payant: bool | None = None
    enfants: int | None = None
    situation_familiale: str | None = None
    decision: str | None = None
    delais: str | None = None
    nb_mois_impayes: int | None = None
    plan_apurement: bool | None = None
    motif_cloture: str | None = None
    service: str | None = None
    referent: str | None = None

    @property
    def rent(self) -> int | None:
        """Monthly rent excluding charges when known, else rent with charges (centimes)."""
        return self.loyer if self.loyer else self.loyer_charges


@dataclass(slots=True)
class EventRecord:
    """A row of ``evenement``."""

    id: int
    signalement_id: int
    code: str
    date: date
    principal: bool = False
    valeur: str | None = None


@dataclass(frozen=True, slots=True)
class NoteRecord:
    """A dated note of the secretariat on the ménage."""

    horodatage: datetime
    utilisateur: str
    texte: str


_DATE_FIELDS = frozenset({"date_naissance", "date_bail", "clos_le", "date"})
_INT_FIELDS = frozenset({"id", "loyer", "charges", "loyer_charges", "dette", "montant_aide", "enfants",
                         "nb_mois_impayes", "signalement_id", "fusionne_dans", "menage_id"})  # fmt: skip
_BOOL_FIELDS = frozenset({"tiers_payant", "plan_apurement", "principal"})

SIGNALEMENT_COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(SignalementRecord))
EVENT_COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(EventRecord))
MENAGE_COLUMNS: tuple[str, ...] = tuple(f.name for f in fields(MenageRecord))


def _sql_type(name: str) -> TypeEngine[Any]:
    if name == "horodatage":
        return DateTime(timezone=True)
    if name in _DATE_FIELDS:
        return Date()
    if name in _INT_FIELDS:
        return Integer()
    if name in _BOOL_FIELDS:
        return Boolean()
    return String()


def typed_query(sql: str, names: Sequence[str]) -> TextualSelect:
    """A ``text()`` query whose result columns are typed, so that dates come back as ``date``
    on SQLite (stored as text) as on PostgreSQL."""
    return text(sql).columns(**{name: _sql_type(name) for name in names})
