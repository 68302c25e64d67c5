"""What the assignment reads from and writes to the store: current assignments and their history."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, text

from ..linkage.repository import many, rows_of
from .engine import A_TRIER, Outcome, destination_label

_COLUMNS = (
    "menage_id", "statut", "service_code", "service_libelle", "unite_code", "unite_libelle", "referent", "partenaire",
    "origine", "regle_id", "version_regles", "motif", "explication", "horodatage", "utilisateur",
)  # fmt: skip


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

    @property
    def destination(self) -> tuple[object, ...]:
        return (self.statut, self.service_code, self.service_libelle, self.unite_code, self.partenaire, self.regle_id)

    @property
    def label(self) -> str:
        return destination_label(self.statut, self.service_code, self.service_libelle, self.unite_libelle)

    @property
    def manual(self) -> bool:
        return self.origine == "manuel"


def _assignment(row: tuple[object, ...]) -> Assignment:
    values = list(row)
    stamp = values[13]
    if isinstance(stamp, str):
        values[13] = datetime.fromisoformat(stamp)
    return Assignment(*values)  # type: ignore[arg-type]


def current_assignments(connection: Connection) -> dict[int, Assignment]:
    """Every ménage's current assignment, by ménage number."""
    sql = f"SELECT {', '.join(_COLUMNS)} FROM affectation WHERE courante = ? ORDER BY menage_id, id"
    return {int(row[0]): _assignment(row) for row in rows_of(connection, sql, (True,))}


def history(connection: Connection, menage_id: int) -> list[Assignment]:
    """Every assignment of a ménage, oldest first."""
    sql = f"SELECT {', '.join(_COLUMNS)} FROM affectation WHERE menage_id = ? ORDER BY horodatage, id"
    return [_assignment(row) for row in rows_of(connection, sql, (menage_id,))]


def record(
    connection: Connection,
    outcomes: Iterable[tuple[int, Outcome]],
    *,
    origin: str,
    version: str | None,
    motif: str | None,
    now: datetime,
    user: str,
) -> int:
    """Write new current assignments (the previous ones stay, as history). Returns how many."""
    rows = [
        (
            menage_id,
            outcome.statut,
            outcome.service_code,
            outcome.service_libelle,
            outcome.unite_code,
            outcome.unite_libelle,
            outcome.referent,
            outcome.partenaire,
            origin,
            outcome.rule_id,
            version,
            motif if motif is not None else (outcome.reason if outcome.statut == A_TRIER else None),
            outcome.reason,
            _stamp(connection, now),
            user,
            True,
        )  # fmt: skip
        for menage_id, outcome in outcomes
    ]
    retire(connection, [row[0] for row in rows])
    many(
        connection,
        f"INSERT INTO affectation ({', '.join(_COLUMNS)}, courante) VALUES ({', '.join('?' * (len(_COLUMNS) + 1))})",
        rows,
    )
    return len(rows)


def retire(connection: Connection, menages: Collection[int]) -> None:
    """The current assignments of ``menages`` become history."""
    many(
        connection,
        "UPDATE affectation SET courante = ? WHERE menage_id = ? AND courante = ?",
        [(False, m, True) for m in sorted(menages)],
    )


def fold_merged(connection: Connection, absorbed: int, survivor: int) -> None:
    """Two ménages merged: the history follows, one current assignment remains (a manual one first, else the latest)."""
    connection.execute(
        text("UPDATE affectation SET menage_id = :survivor WHERE menage_id = :old"),
        {"survivor": survivor, "old": absorbed},
    )
    kept = connection.execute(
        text(
            "SELECT id FROM affectation WHERE menage_id = :m AND courante = :t "
            "ORDER BY CASE WHEN origine = 'manuel' THEN 0 ELSE 1 END, horodatage DESC, id DESC"
        ),
        {"m": survivor, "t": True},
    ).first()
    if kept is not None:
        connection.execute(
            text("UPDATE affectation SET courante = :f WHERE menage_id = :m AND courante = :t AND id <> :keep"),
            {"f": False, "t": True, "m": survivor, "keep": kept[0]},
        )


def _stamp(connection: Connection, now: datetime) -> object:
    return now.strftime("%Y-%m-%d %H:%M:%S.%f") if connection.dialect.name == "sqlite" else now
