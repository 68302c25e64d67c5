"""Bulk writing of signalements and events: batches, duplicate checks, no ORM objects per row.

On SQLite the rows go through the driver's ``executemany`` (about 3× faster than SQLAlchemy's
parameter processing). Signalement ids are assigned here, which is safe because an import
holds the write lock (BEGIN IMMEDIATE) and the import lock for its whole transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any, Protocol

from sqlalchemy import Connection, func, insert, select

from .models import Evenement, Signalement

SIGNALEMENT_TABLE = Signalement.__table__  # type: ignore[attr-defined]
EVENEMENT_TABLE = Evenement.__table__  # type: ignore[attr-defined]
SIGNALEMENT_COLUMNS: tuple[str, ...] = tuple(c.name for c in SIGNALEMENT_TABLE.columns if c.name != "id")
_EVENT_COLUMNS = ("signalement_id", "code", "date", "principal", "valeur")
_DATE_COLUMNS = frozenset(c.name for c in SIGNALEMENT_TABLE.columns if c.type.python_type is date)
_LOOKUP_CHUNK = 500


class PendingRow(Protocol):
    values: dict[str, Any]
    events: list[tuple[str, date, bool, str | None]]
    fingerprint: bytes
    raw: str
    warnings_json: str | None


def existing_fingerprints(connection: Connection, source: str, fingerprints: Sequence[bytes]) -> set[bytes]:
    """Which of ``fingerprints`` the source already holds."""
    found: set[bytes] = set()
    column = SIGNALEMENT_TABLE.c.empreinte
    for start in range(0, len(fingerprints), _LOOKUP_CHUNK):
        chunk = list(fingerprints[start:start + _LOOKUP_CHUNK])
        query = select(column).where(SIGNALEMENT_TABLE.c.source == source, column.in_(chunk))
        found.update(bytes(v) for v in connection.execute(query).scalars())
    return found


class SignalementWriter:
    """Inserts batches of normalised rows of one lot in the caller's transaction."""

    def __init__(self, connection: Connection, lot_id: int) -> None:
        self.connection = connection
        self.lot_id = lot_id
        self.sqlite = connection.dialect.name == "sqlite"
        current = connection.execute(select(func.max(SIGNALEMENT_TABLE.c.id))).scalar()
        self.next_id = (current or 0) + 1

    def insert(self, rows: Iterable[PendingRow]) -> int:
        signalements: list[tuple[Any, ...]] = []
        events: list[tuple[Any, ...]] = []
        for row in rows:
            identifier = self.next_id
            self.next_id += 1
            values = row.values
            values["lot_id"] = self.lot_id
            values["empreinte"] = row.fingerprint
            values["brut"] = row.raw
            values["avertissements"] = row.warnings_json
            signalements.append((identifier, *(values.get(c) for c in SIGNALEMENT_COLUMNS)))
            for code, when, principal, value in row.events:
                events.append((identifier, code, when, principal, value))
        if not signalements:
            return 0
        if self.sqlite:
            self._sqlite_insert(signalements, events)
        else:
            self._generic_insert(signalements, events)
        return len(signalements)

    def _sqlite_insert(self, signalements: list[tuple[Any, ...]], events: list[tuple[Any, ...]]) -> None:
        date_positions = [i + 1 for i, c in enumerate(SIGNALEMENT_COLUMNS) if c in _DATE_COLUMNS]
        if date_positions:
            signalements = [_iso_dates(row, date_positions) for row in signalements]
        columns = ("id", *SIGNALEMENT_COLUMNS)
        cursor = self.connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.executemany(
                f"INSERT INTO signalement ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
                signalements,
            )
            cursor.executemany(
                f"INSERT INTO evenement ({', '.join(_EVENT_COLUMNS)}) VALUES (?, ?, ?, ?, ?)",
                [(s, c, d.isoformat(), p, v) for s, c, d, p, v in events],
            )
        finally:
            cursor.close()

    def _generic_insert(self, signalements: list[tuple[Any, ...]], events: list[tuple[Any, ...]]) -> None:
        columns = ("id", *SIGNALEMENT_COLUMNS)
        self.connection.execute(insert(SIGNALEMENT_TABLE), [dict(zip(columns, row, strict=True)) for row in signalements])
        if events:
            self.connection.execute(insert(EVENEMENT_TABLE),
                                    [dict(zip(_EVENT_COLUMNS, row, strict=True)) for row in events])


def _iso_dates(row: tuple[Any, ...], positions: list[int]) -> tuple[Any, ...]:
    if all(row[p] is None for p in positions):
        return row
    values = list(row)
    for position in positions:
        if values[position] is not None:
            values[position] = values[position].isoformat()
    return tuple(values)


__all__ = ["SignalementWriter", "existing_fingerprints", "SIGNALEMENT_COLUMNS"]
