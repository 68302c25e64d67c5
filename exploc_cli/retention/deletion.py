"""Deleting households for good: every row that names them, and a tombstone for each signalement.

Erasure (a household's request) and purge (the retention period) both end here. A tombstone keeps
only the source and the fingerprint of each signalement (a hash of the row, no value): the
importer takes it for a row already present, so re-importing the partner's file does not bring
the household back, and a restored backup re-applies them (``backups``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, text

from ..linkage.repository import resolve_menage, rows_of
from ..parcours.service import absorbed_menages
from ..store.driver import driver_sql

_CHUNK = 500


@dataclass(frozen=True)
class Deleted:
    menages: tuple[int, ...]
    signalements: int


def household_numbers(connection: Connection, menage_id: int) -> tuple[int, ...]:
    """The household ``menage_id`` designates today (merges followed) and every number merged into it."""
    survivor = resolve_menage(connection, menage_id)
    return tuple(sorted((survivor, *absorbed_menages(connection, survivor))))


def delete_menages(connection: Connection, menage_ids: Sequence[int], reason: str) -> Deleted:
    """Delete these ménages with everything attached to them, inside the caller's transaction."""
    now = datetime.now(UTC)
    count = 0
    for chunk in chunks(menage_ids):
        marks = ", ".join("?" * len(chunk))
        signalements = list(
            rows_of(connection, f"SELECT id, source, empreinte FROM signalement WHERE menage_id IN ({marks})", chunk)
        )
        count += len(signalements)
        _tombstones(connection, [(source, bytes(mark)) for _, source, mark in signalements], reason, now)
        ids = [int(row[0]) for row in signalements]
        for part in chunks(ids):
            sig_marks = ", ".join("?" * len(part))
            # manual linkage decisions on these rows: their constraints go (cascade), their free-text motif too
            _run(
                connection,
                f"UPDATE decision SET motif = NULL WHERE id IN (SELECT decision_id FROM contrainte "
                f"WHERE a IN ({sig_marks}) OR b IN ({sig_marks}))",
                (*part, *part),
            )
            _run(connection, f"DELETE FROM signalement WHERE id IN ({sig_marks})", part)  # events, links: cascade
        for table in ("preconisation", "inscription", "affectation", "note", "rattachement"):
            _run(connection, f"DELETE FROM {table} WHERE menage_id IN ({marks})", chunk)
        _run(connection, f"UPDATE menage SET fusionne_dans = NULL WHERE fusionne_dans IN ({marks})", chunk)
    for chunk in chunks(menage_ids):
        _run(connection, f"DELETE FROM menage WHERE id IN ({', '.join('?' * len(chunk))})", chunk)
    return Deleted(tuple(sorted(menage_ids)), count)


def _tombstones(connection: Connection, marks: Iterable[tuple[str, bytes]], reason: str, now: datetime) -> None:
    rows = [{"source": source, "empreinte": mark, "le": now, "raison": reason} for source, mark in marks]
    if rows:
        connection.execute(
            text(
                "INSERT INTO signalement_efface (source, empreinte, efface_le, raison) "
                "VALUES (:source, :empreinte, :le, :raison) ON CONFLICT (source, empreinte) DO NOTHING"
            ),
            rows,
        )


def _run(connection: Connection, sql: str, parameters: Sequence[object]) -> None:
    connection.exec_driver_sql(driver_sql(connection, sql), tuple(parameters))


def chunks(values: Sequence[int]) -> Iterable[list[int]]:
    ordered = list(values)
    for start in range(0, len(ordered), _CHUNK):
        yield ordered[start : start + _CHUNK]
