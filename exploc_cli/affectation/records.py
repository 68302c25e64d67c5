"""Reading stored assignments: the current one of every ménage, and one ménage's history.

Kept apart from the engine and the write side so that the parcours (which shows the history
and needs to know whether a service was assigned) can read them without importing the rules.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection

from ..errors import ExplocError
from ..linkage.repository import rows_of
from ..normalize.text import fold

AFFECTE = "affecte"
A_TRIER = "a_trier"
A_TRIER_LABEL = "à trier"
# what ``--service`` accepts besides a service or unit (folded)
SERVICE_TO_SORT = frozenset({"A TRIER", "ATRIER"})
SERVICE_NONE = "AUCUN"

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
        """Whether ``wanted`` (folded) names this assignment's service or unit (see ``designates``)."""
        if self.statut == A_TRIER:
            return False
        return designates(wanted, self.service_code, self.service_libelle) or designates(
            wanted, self.unite_code, self.unite_libelle
        )

    @property
    def manual(self) -> bool:
        return self.origine == "manuel"


def designates(wanted: str, code: str | None, name: str | None) -> bool:
    """Whether ``wanted`` (folded) designates a service or unit: its code exactly, or part of its name."""
    return bool(code and wanted == fold(code)) or bool(name and wanted in fold(name))


def check_service_filter(connection: Connection, value: str | None) -> None:
    """``--service`` must designate something: « à trier », « aucun », or a service or unit of the
    sectorisation or of a current assignment. A typo would otherwise give an empty extraction."""
    if not value:
        return
    wanted = fold(value)
    if wanted in SERVICE_TO_SORT or wanted == SERVICE_NONE:
        return
    known = list(rows_of(connection, "SELECT code, nom FROM service_social UNION SELECT code, nom FROM unite"))
    known += rows_of(
        connection,
        "SELECT DISTINCT service_code, service_libelle FROM affectation WHERE courante = ? "
        "UNION SELECT DISTINCT unite_code, unite_libelle FROM affectation WHERE courante = ?",
        (True, True),
    )
    if not any(designates(wanted, code, name) for code, name in known):
        codes = sorted({code for code, _ in known if code})
        raise ExplocError(
            f"--service « {value} » : aucun service ni aucune unité ne porte ce code ou ce nom.",
            hint="Codes connus : "
            + (", ".join(codes) or "aucun (exploc services importer)")
            + " ; ou a-trier, ou aucun.",
        )


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
    # a range reads through the ménage index (« +courante »: not through the index of current
    # assignments, which would read every current one, then sort them, for each range)
    current = "+courante" if menages and connection.dialect.name == "sqlite" else "courante"
    sql = f"SELECT {', '.join(COLUMNS)} FROM affectation WHERE {current} = ?{condition} ORDER BY menage_id, id"
    return (_assignment(row) for row in rows_of(connection, sql, (True, *bounds)))


def assigned_menages(connection: Connection) -> frozenset[int]:
    """The ménages whose current assignment names a service (not « à trier »)."""
    sql = "SELECT menage_id FROM affectation WHERE courante = ? AND statut = ?"
    return frozenset(int(row[0]) for row in rows_of(connection, sql, (True, AFFECTE)))


def history(connection: Connection, menage_id: int) -> tuple[Assignment, ...]:
    """Every assignment of a ménage, oldest first (the last one is current unless it was withdrawn)."""
    sql = f"SELECT {', '.join(COLUMNS)}, courante FROM affectation WHERE menage_id = ? ORDER BY horodatage, id"
    return tuple(_assignment(row) for row in rows_of(connection, sql, (menage_id,)))
