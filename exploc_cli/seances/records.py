"""Reading sessions, their ordre du jour and the commission's decisions (read side, no writes)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Select, Subquery, func, select

from ..errors import NotFoundError
from ..linkage.repository import follow_merges
from ..store.models import Inscription, Menage, Preconisation, Seance

SEANCE = Seance.__table__  # type: ignore[attr-defined]
INSCRIPTION = Inscription.__table__  # type: ignore[attr-defined]
PRECONISATION = Preconisation.__table__  # type: ignore[attr-defined]
MENAGE = Menage.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class SeanceRecord:
    id: int
    date: date
    instance: str
    lieu: str | None
    heure: str | None
    cree_le: datetime
    cree_par: str
    nombre_menages: int = 0
    nombre_avis: int = 0

    @property
    def title(self) -> str:
        """« CCAPEX centrale du 15/12/2025 »."""
        return f"{self.instance} du {self.date:%d/%m/%Y}"


@dataclass(frozen=True, slots=True)
class InscriptionRecord:
    id: int
    seance_id: int
    menage_id: int
    rang: int
    motif: str
    ajoute_le: datetime
    ajoute_par: str
    avis: str | None
    avis_texte: str | None
    reexamen: date | None
    decide_le: datetime | None
    decide_par: str | None


@dataclass(frozen=True, slots=True)
class PreconisationRecord:
    id: int
    inscription_id: int
    menage_id: int
    numero: int
    destinataire: str
    type: str
    texte: str | None
    echeance: date | None
    statut: str
    reexamen: date | None
    cree_le: datetime
    statut_le: datetime | None
    statut_par: str | None
    statut_note: str | None
    seance_id: int = 0
    seance_date: date | None = None
    seance_instance: str = ""


_SEANCE_COLUMNS = (
    SEANCE.c.id, SEANCE.c.date_seance, SEANCE.c.instance, SEANCE.c.lieu, SEANCE.c.heure, SEANCE.c.cree_le,
    SEANCE.c.cree_par,
)  # fmt: skip


def _counts() -> Subquery:
    return (
        select(
            INSCRIPTION.c.seance_id,
            func.count().label("menages"),
            func.count(INSCRIPTION.c.avis).label("avis"),
        )
        .group_by(INSCRIPTION.c.seance_id)
        .subquery()
    )


def list_seances(
    connection: Connection, *, du: date | None = None, au: date | None = None, seance_id: int | None = None
) -> list[SeanceRecord]:
    """Every session (optionally between two dates, or just one), most recent first, with its counts."""
    counts = _counts()
    query = (
        select(*_SEANCE_COLUMNS, func.coalesce(counts.c.menages, 0), func.coalesce(counts.c.avis, 0))
        .outerjoin(counts, counts.c.seance_id == SEANCE.c.id)
        .order_by(SEANCE.c.date_seance.desc(), SEANCE.c.id.desc())
    )
    if du is not None:
        query = query.where(SEANCE.c.date_seance >= du)
    if au is not None:
        query = query.where(SEANCE.c.date_seance <= au)
    if seance_id is not None:
        query = query.where(SEANCE.c.id == seance_id)
    return [SeanceRecord(*row) for row in connection.execute(query)]


def get_seance(connection: Connection, seance_id: int) -> SeanceRecord:
    found = list_seances(connection, seance_id=seance_id)
    if not found:
        raise NotFoundError(f"Séance n° {seance_id} introuvable.", "Voir exploc seances lister.")
    return found[0]


def inscriptions_of(connection: Connection, seance_id: int) -> list[InscriptionRecord]:
    """The session's ordre du jour, by rank."""
    query = select(*INSCRIPTION.c).where(INSCRIPTION.c.seance_id == seance_id).order_by(INSCRIPTION.c.rang)
    return [InscriptionRecord(*row) for row in connection.execute(query)]


def _preconisation_query() -> Select[Any]:
    return (
        select(*PRECONISATION.c, INSCRIPTION.c.seance_id, SEANCE.c.date_seance, SEANCE.c.instance)
        .join(INSCRIPTION, INSCRIPTION.c.id == PRECONISATION.c.inscription_id)
        .join(SEANCE, SEANCE.c.id == INSCRIPTION.c.seance_id)
    )


def preconisations_of_seance(connection: Connection, seance_id: int) -> dict[int, list[PreconisationRecord]]:
    """The session's recommendations by inscription id, in their order."""
    query = _preconisation_query().where(INSCRIPTION.c.seance_id == seance_id).order_by(PRECONISATION.c.numero)
    found: dict[int, list[PreconisationRecord]] = {}
    for row in connection.execute(query):
        record = PreconisationRecord(*row)
        found.setdefault(record.inscription_id, []).append(record)
    return found


def all_preconisations(connection: Connection, *, statut: str | None = None) -> list[PreconisationRecord]:
    """Every recommendation (or those of one status), oldest session first."""
    query = _preconisation_query().order_by(
        SEANCE.c.date_seance, PRECONISATION.c.inscription_id, PRECONISATION.c.numero
    )
    if statut is not None:
        query = query.where(PRECONISATION.c.statut == statut)
    return [PreconisationRecord(*row) for row in connection.execute(query)]


@dataclass(frozen=True, slots=True)
class Examen:
    """A ménage's passage before the commission (its inscription, and the session's date and instance)."""

    inscription: InscriptionRecord
    seance_date: date
    seance_instance: str


def all_examens(connection: Connection) -> list[Examen]:
    """Every inscription with its session, oldest session first."""
    query = (
        select(*INSCRIPTION.c, SEANCE.c.date_seance, SEANCE.c.instance)
        .join(SEANCE, SEANCE.c.id == INSCRIPTION.c.seance_id)
        .order_by(SEANCE.c.date_seance, SEANCE.c.id, INSCRIPTION.c.rang)
    )
    return [Examen(InscriptionRecord(*row[:12]), row[12], row[13]) for row in connection.execute(query)]


def merge_redirects(connection: Connection) -> dict[int, int]:
    """Each merged ménage's number -> the number of the ménage that holds it now."""
    direct = {
        int(row[0]): int(row[1])
        for row in connection.execute(
            select(MENAGE.c.id, MENAGE.c.fusionne_dans).where(
                MENAGE.c.statut == "fusionne", MENAGE.c.fusionne_dans.is_not(None)
            )
        )
    }
    return {start: follow_merges(direct, start) for start in direct}


def by_current_menage(items: Iterable[Examen], redirects: Mapping[int, int]) -> dict[int, list[Examen]]:
    """Examens grouped by the ménage that holds them now (merged ménages lead to the survivor)."""
    grouped: dict[int, list[Examen]] = {}
    for item in items:
        menage = redirects.get(item.inscription.menage_id, item.inscription.menage_id)
        grouped.setdefault(menage, []).append(item)
    return grouped
