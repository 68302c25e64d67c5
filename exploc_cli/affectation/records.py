"""Reading stored assignments: the current one of every ménage, and one ménage's history.

Kept apart from the engine and the write side so that the parcours (which shows the history
and needs to know whether a service was assigned) can read them without importing the rules.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection

from ..linkage.repository import rows_of
from ..normalize.text import fold

AFFECTE = "affecte"
A_TRIER = "a_trier"
A_TRIER_LABEL = "à trier"

COLUMNS = (
    "menage_id", "statut", "service_code", "service_libelle", "unite_code", "unite_libelle", "referent", "partenaire",
    "origine", "regle_id", "version_regles", "motif", "explication", "horodatage", "utilisateur",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class MenageRange:
    """Ménage numbers from ``first`` to ``last`` (both included; None: no bound)."""

    first: int | None
    last: int | None

    def sql(self, column: str) -> tuple[str, tuple[int, ...]]:
        """« AND column >= ? AND column <= ? » (the bounds set) and its parameters; « +s.menage_id »
        reads in table order rather than through the index."""
        bounds = [(">=", self.first), ("<=", self.last)]
        kept = [(op, value) for op, value in bounds if value is not None]
        return "".join(f" AND {column} {op} ?" for op, _ in kept), tuple(value for _, value in kept)

    def __contains__(self, menage_id: int) -> bool:
        return (self.first is None or menage_id >= self.first) and (self.last is None or menage_id <= self.last)


def destination_label(statut: str, service_code: str | None, service: str | None, unit: str | None) -> str:
    """« MDS Centre (Département du Val-de-Sarre) », « CAF - Service social », or « à trier »."""
    if statut == A_TRIER:
        return A_TRIER_LABEL
    name = service or service_code or "?"
    return f"{unit} ({name})" if unit else name


@dataclass(frozen=True, slots=True)
class Assignment:
    """One stored assignment of a ménage (the current one, or one of its history)."""

    menage_id: int
    statut: str
    service_code: str | None
    service_libelle: str | None
    unite_code: str | None
    unite_libelle: str | None
    referent: str | None
    partenaire: str | None
    origine: str  # regle | manuel
    regle_id: str | None
    version_regles: str | None
    motif: str | None
    explication: str | None
    horodatage: datetime
    utilisateur: str
    courante: bool = True

    @property
    def destination(self) -> tuple[object, ...]:
        return (self.statut, self.service_code, self.service_libelle, self.unite_code, self.partenaire, self.regle_id)

    @property
    def label(self) -> str:
        return destination_label(self.statut, self.service_code, self.service_libelle, self.unite_libelle)

    @property
    def service_column(self) -> str:
        """What the exports' « service » column shows: the service's name, or « à trier »."""
        if self.statut == A_TRIER:
            return A_TRIER_LABEL
        return self.service_libelle or self.service_code or ""

    @property
    def unit_column(self) -> str:
        """What the exports' « unite » column shows (empty when the service has no territorial unit)."""
        return "" if self.statut == A_TRIER else (self.unite_libelle or self.unite_code or "")

    def matches(self, wanted: str) -> bool:
        """Whether ``wanted`` (folded) names this assignment's service or unit: exactly by code, in part by name."""
        if self.statut == A_TRIER:
            return False
        codes = {fold(c) for c in (self.service_code, self.unite_code) if c}
        names = (fold(n) for n in (self.service_libelle, self.unite_libelle) if n)
        return wanted in codes or any(wanted in name for name in names)

    @property
    def manual(self) -> bool:
        return self.origine == "manuel"


def _assignment(row: tuple[object, ...]) -> Assignment:
    values = list(row)
    stamp = values[13]
    if isinstance(stamp, str):
        values[13] = datetime.fromisoformat(stamp)
    if len(values) > len(COLUMNS):
        values[-1] = bool(values[-1])
    return Assignment(*values)  # type: ignore[arg-type]


def current_assignments(connection: Connection, menages: MenageRange | None = None) -> dict[int, Assignment]:
    """Every ménage's current assignment (or those of a range of ménages), by ménage number."""
    return {a.menage_id: a for a in iter_current_assignments(connection, menages)}


def iter_current_assignments(connection: Connection, menages: MenageRange | None = None) -> Iterator[Assignment]:
    """Every ménage's current assignment (or those of a range of ménages), streamed by ménage number."""
    condition, bounds = menages.sql("menage_id") if menages else ("", ())
    sql = f"SELECT {', '.join(COLUMNS)} FROM affectation WHERE courante = ?{condition} ORDER BY menage_id, id"
    return (_assignment(row) for row in rows_of(connection, sql, (True, *bounds)))


def assigned_menages(connection: Connection) -> frozenset[int]:
    """The ménages whose current assignment names a service (not « à trier »)."""
    sql = "SELECT menage_id FROM affectation WHERE courante = ? AND statut = ?"
    return frozenset(int(row[0]) for row in rows_of(connection, sql, (True, AFFECTE)))


def history(connection: Connection, menage_id: int) -> tuple[Assignment, ...]:
    """Every assignment of a ménage, oldest first (the last one is current unless it was withdrawn)."""
    sql = f"SELECT {', '.join(COLUMNS)}, courante FROM affectation WHERE menage_id = ? ORDER BY horodatage, id"
    return tuple(_assignment(row) for row in rows_of(connection, sql, (menage_id,)))
