"""What the assignment writes to the store: new current assignments, the previous ones kept as history."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from datetime import datetime

from sqlalchemy import Connection, text

from ..linkage.repository import many
from .engine import Outcome
from .records import A_TRIER, COLUMNS


def record(
    connection: Connection,
    outcomes: Iterable[tuple[int, Outcome]],
    *,
    origin: str,
    version: str | None,
    motif: str | None,
    now: datetime,
    user: str,
    replacing: Collection[int] | None = None,
    versions: Mapping[int, str] | None = None,
) -> int:
    """Write new current assignments (the previous ones stay, as history). Returns how many.

    ``version``: of the rules that decided; ``versions``: that of some ménages, when it differs
    (a département with rules of its own).

    ``replacing``: the ménages that have a current assignment (when the caller knows; by default
    every ménage of ``outcomes`` is looked at).
    """
    stamp = _stamp(connection, now)
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
            versions.get(menage_id, version) if versions else version,
            motif if motif is not None else (outcome.reason if outcome.statut == A_TRIER else None),
            outcome.reason,
            stamp,
            user,
            True,
        )  # fmt: skip
        for menage_id, outcome in outcomes
    ]
    retire(connection, [row[0] for row in rows] if replacing is None else replacing)
    many(
        connection,
        f"INSERT INTO affectation ({', '.join(COLUMNS)}, courante) VALUES ({', '.join('?' * (len(COLUMNS) + 1))})",
        rows,
    )
    return len(rows)


def retire(connection: Connection, menages: Collection[int]) -> None:
    """The current assignments of ``menages`` become history (on PostgreSQL in one statement:
    its statement triggers then fire once, ``store.driver``)."""
    if connection.dialect.name == "postgresql" and len(menages) > 1:
        connection.exec_driver_sql(
            "UPDATE affectation SET courante = false WHERE courante AND menage_id = ANY(%s::integer[])",
            (sorted(menages),),
        )
        return
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
