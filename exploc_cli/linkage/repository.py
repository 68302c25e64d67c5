"""What the linkage reads from and writes to the store (records, keys, links, decisions, ménages)."""

from __future__ import annotations

import zlib
from collections.abc import Collection, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, text

from ..errors import NotFoundError
from ..store.bulk import sync_id_sequence
from ..store.driver import driver_sql, execute_many, set_by_id, upsert_many
from .cluster import Clustering, Edge, Numbering
from .compare import LINK_THRESHOLD
from .keys import LinkRecord, record_from_row

_CHUNK = 500
_STREAMED = {"stream_results": True, "max_row_buffer": 10_000}
_RECORD_QUERY = (
    "SELECT s.id, s.source, s.reference, s.bailleur, s.nom, s.nom_naissance, s.prenoms, s.date_naissance, s.nom2, "
    "s.nom_naissance2, s.prenoms2, s.numero, s.suffixe, s.voie, s.complement, s.code_postal, s.commune, "
    "s.numero_allocataire, s.menage_id, e.date, s.loyer, s.charges, s.loyer_charges FROM signalement s "
    "JOIN evenement e ON e.signalement_id = s.id AND e.principal = ?"
)


def many(connection: Connection, sql: str, rows: Sequence[tuple[Any, ...]]) -> None:
    """``sql`` for each of ``rows`` through the driver (``?`` placeholders): the linkage writes rows
    by the hundred thousand, and SQLAlchemy's per-row parameter handling would cost more than the
    base (``store.driver.execute_many``: COPY for plain inserts on PostgreSQL)."""
    execute_many(connection, sql, rows)


def rows_of(connection: Connection, sql: str, parameters: Sequence[Any] = ()) -> Iterator[tuple[Any, ...]]:
    """Plain tuples from a query with ``?`` placeholders, streamed (on PostgreSQL through a cursor of
    the server: psycopg's ordinary cursor would hold the whole result, 2.4 GB for a region's
    diagnostic)."""
    if connection.dialect.name == "sqlite":
        cursor = connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        try:
            cursor.execute(sql, tuple(parameters))
            while batch := cursor.fetchmany(10_000):
                yield from batch
        finally:
            cursor.close()
    else:
        result = connection.exec_driver_sql(driver_sql(connection, sql), tuple(parameters), execution_options=_STREAMED)
        yield from (tuple(row) for row in result)


def grouped_by_first(rows: Iterable[Sequence[Any]]) -> Iterator[tuple[int, list[Sequence[Any]]]]:
    """Consecutive rows sharing their first column (a ménage number), as (number, rows)."""
    key: int | None = None
    group: list[Sequence[Any]] = []
    for row in rows:
        if row[0] != key:
            if group and key is not None:
                yield key, group
            key, group = row[0], []
        group.append(row)
    if group and key is not None:
        yield key, group


def key_hash(key: str) -> int:
    """A signed 64-bit hash of a blocking key (what ``cle_liaison`` stores): two CRC-32, stable
    across processes and machines (a collision only brings one more candidate to compare)."""
    data = key.encode("utf-8")
    value = zlib.crc32(data) << 32 | zlib.crc32(data, 0x9E3779B9)
    return value - (1 << 64) if value >= 1 << 63 else value


def _chunks(values: Collection[int]) -> Iterator[list[int]]:
    ordered = sorted(values)
    for start in range(0, len(ordered), _CHUNK):
        yield ordered[start : start + _CHUNK]


def _in(column: str, values: list[int]) -> tuple[str, dict[str, int]]:
    names = [f"v{i}" for i in range(len(values))]
    return f"{column} IN ({', '.join(':' + n for n in names)})", dict(zip(names, values, strict=True))


def load_records(
    connection: Connection, ids: Collection[int] | None = None
) -> tuple[dict[int, LinkRecord], dict[int, int | None]]:
    """Comparison records (all, or those of ``ids``) and the ménage each belongs to now."""
    records: dict[int, LinkRecord] = {}
    previous: dict[int, int | None] = {}

    def take(rows: Iterable[tuple[Any, ...]]) -> None:
        for row in rows:
            records[row[0]] = record_from_row(row)
            previous[row[0]] = row[18]

    if ids is None:
        take(rows_of(connection, _RECORD_QUERY, (True,)))
    else:
        for chunk in _chunks(ids):
            marks = ", ".join("?" * len(chunk))
            take(rows_of(connection, f"{_RECORD_QUERY} WHERE s.id IN ({marks})", (True, *chunk)))
    return records, previous


def affected_records(connection: Connection, lot_id: int) -> set[int]:
    """The other signalements of the ménages that hold rows of batch ``lot_id``."""
    return {
        int(i)
        for (i,) in rows_of(
            connection,
            "SELECT s.id FROM signalement s WHERE s.lot_id <> ? AND s.menage_id IN "
            "(SELECT DISTINCT menage_id FROM signalement WHERE lot_id = ? AND menage_id IS NOT NULL)",
            (lot_id, lot_id),
        )
    }


def unlinked_ids(connection: Connection) -> set[int]:
    return set(connection.execute(text("SELECT id FROM signalement WHERE menage_id IS NULL")).scalars())


def candidates_by_keys(connection: Connection, hashes: Collection[int]) -> dict[int, set[int]]:
    """Stored records under each key hash."""
    found: dict[int, set[int]] = {}
    ordered = sorted(hashes)
    for start in range(0, len(ordered), _CHUNK):
        chunk = ordered[start : start + _CHUNK]
        marks = ", ".join("?" * len(chunk))
        for key, record in rows_of(
            connection, f"SELECT cle, signalement_id FROM cle_liaison WHERE cle IN ({marks})", chunk
        ):
            found.setdefault(key, set()).add(record)
    return found


_BULK_INDEXES = {
    "ix_cle_liaison_cle": "cle_liaison (cle)",
    "ix_cle_liaison_signalement_id": "cle_liaison (signalement_id)",
    "ix_lien_b": "lien (b)",
    "ix_rattachement_menage_id": "rattachement (menage_id)",
    "ix_signalement_menage_id": "signalement (menage_id)",
}


@contextmanager
def bulk_writes(connection: Connection) -> Iterator[None]:
    """Write a whole grouping at once: the indexes are built after the rows (SQLite), several times faster."""
    if connection.dialect.name != "sqlite":
        yield
        return
    for name in _BULK_INDEXES:
        connection.execute(text(f"DROP INDEX IF EXISTS {name}"))
    yield
    for name, target in _BULK_INDEXES.items():
        connection.execute(text(f"CREATE INDEX {name} ON {target}"))


def save_keys(connection: Connection, keys: Mapping[int, Iterable[int]]) -> None:
    many(
        connection,
        "INSERT INTO cle_liaison (cle, signalement_id) VALUES (?, ?)",
        [(key, record) for record, hashes in keys.items() for key in hashes],
    )


def linked_component(connection: Connection, seeds: Collection[int]) -> set[int]:
    """Every record reachable from ``seeds`` through stored links that can merge, or « fusionner » decisions."""
    region = set(seeds)
    frontier = set(seeds)
    while frontier:
        found: set[int] = set()
        for chunk in _chunks(frontier):
            a_clause, params = _in("a", chunk)
            b_clause = a_clause.replace("a IN", "b IN")
            found.update(
                value
                for row in connection.execute(
                    text(f"SELECT a, b FROM lien WHERE score >= :seuil AND ({a_clause} OR {b_clause})"),
                    {"seuil": LINK_THRESHOLD, **params},
                )
                for value in row
            )
            found.update(
                value
                for row in connection.execute(
                    text(f"SELECT a, b FROM contrainte WHERE type = 'lier' AND ({a_clause} OR {b_clause})"), params
                )
                for value in row
            )
        frontier = found - region
        region |= frontier
    return region


def stored_edges(connection: Connection, ids: Collection[int]) -> list[Edge]:
    """The stored links whose two ends are in ``ids``."""
    edges: list[Edge] = []
    for chunk in _chunks(ids):
        clause, params = _in("a", chunk)
        for a, b, score, detail in connection.execute(
            text(f"SELECT a, b, score, detail FROM lien WHERE {clause}"), params
        ):
            if b in ids:
                edges.append(Edge(a, b, score, detail or "", _method(detail)))
    return edges


def _method(detail: str | None) -> str:
    if detail and detail.startswith("identique"):
        return "identique"
    return "score"


def save_edges(connection: Connection, edges: Iterable[Edge], statut_of: Mapping[tuple[int, int], str]) -> None:
    rows = []
    span = 1
    for edge in edges:
        a, b = (edge.a, edge.b) if edge.a < edge.b else (edge.b, edge.a)
        rows.append((a, b, edge.score, statut_of.get((a, b), "lien") if statut_of else "lien", edge.detail or None))
        span = b + 1 if b >= span else span
    rows.sort(key=lambda row: row[0] * span + row[1])  # in key order: each page written once
    upsert_many(connection, "lien", ("a", "b", "score", "statut", "detail"), ("a", "b"), rows)


def mark_review(connection: Connection, ids: Collection[int], review: Iterable[Edge], *, fresh: bool) -> None:
    """The links of the region a human should look at are ``review`` (the others are plain links).

    ``fresh``: the region's links were all just written as plain links.
    """
    if not fresh:
        many(connection, "UPDATE lien SET statut = 'lien' WHERE a = ? AND statut = 'a_verifier'", [(i,) for i in ids])
    many(
        connection,
        "UPDATE lien SET statut = 'a_verifier' WHERE a = ? AND b = ?",
        [(min(e.a, e.b), max(e.a, e.b)) for e in review],
    )


def constraints(connection: Connection, ids: Collection[int]) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Human decisions binding records of ``ids``: (lier pairs, separer pairs)."""
    must: set[tuple[int, int]] = set()
    cannot: set[tuple[int, int]] = set()
    if len(ids) > 10 * _CHUNK:  # a full relink: read them all at once
        for a, b, kind in rows_of(connection, "SELECT a, b, type FROM contrainte"):
            if a in ids and b in ids:
                (must if kind == "lier" else cannot).add((min(a, b), max(a, b)))
        return sorted(must), sorted(cannot)
    for chunk in _chunks(ids):
        a_clause, params = _in("a", chunk)
        b_clause = a_clause.replace("a IN", "b IN")
        for a, b, kind in connection.execute(
            text(f"SELECT a, b, type FROM contrainte WHERE {a_clause} OR {b_clause}"), params
        ):
            if a in ids and b in ids:
                (must if kind == "lier" else cannot).add((min(a, b), max(a, b)))
    return sorted(must), sorted(cannot)


def clear_region(connection: Connection, ids: Collection[int]) -> None:
    """Forget the review status of the region's links before they are written again."""
    many(connection, "DELETE FROM rattachement WHERE signalement_id = ?", [(i,) for i in ids])


def apply(
    connection: Connection, clustering: Clustering, numbering: Numbering, now: datetime, *, everything: bool = False
) -> tuple[int, int]:
    """Write the grouping: new ménages, each signalement's ménage and evidence; merged ménages marked.

    Returns (new ménages, merged ménages). New ménage numbers are assigned here, which is safe
    because linking runs in a write transaction (BEGIN IMMEDIATE on SQLite). ``everything``: the
    grouping holds every signalement (a full relink), whose ménage is then set in one statement.
    """
    next_number = int(connection.execute(text("SELECT COALESCE(MAX(id), 0) FROM menage")).scalar_one()) + 1
    numbers: list[int] = []
    created: list[tuple[int, str]] = []
    stamp = now.strftime("%Y-%m-%d %H:%M:%S.%f") if connection.dialect.name == "sqlite" else now
    for number in numbering.numbers:
        if number is None:
            number = next_number
            next_number += 1
            created.append((number, stamp))  # type: ignore[arg-type]
        numbers.append(number)
    many(connection, "INSERT INTO menage (id, cree_le, statut) VALUES (?, ?, 'ouvert')", created)
    if created:
        sync_id_sequence(connection, "menage")
    updates: list[tuple[int, int]] = []  # (ménage, signalement)
    touched: set[int] = set(numbering.absorbed) | set(numbering.absorbed.values())
    evidence: list[tuple[Any, ...]] = []
    parent = clustering.parent
    for members_, number in zip(clustering.clusters, numbers, strict=True):
        for record in members_:
            if not everything:
                updates.append((number, record))
                touched.add(number)
            edge = parent.get(record)
            if edge is None:
                evidence.append((record, number, "premier", None, None, None))
            else:
                evidence.append(
                    (
                        record,
                        number,
                        edge.method,
                        edge.b if edge.a == record else edge.a,
                        None if edge.score == float("inf") else edge.score,
                        edge.detail or None,
                    )
                )
    # in id order: each page of the tables is then written once (measured: twice as fast)
    updates.sort(key=_second)
    evidence.sort(key=_first)
    many(
        connection,
        "INSERT INTO rattachement (signalement_id, menage_id, methode, lie_a, score, detail) VALUES (?, ?, ?, ?, ?, ?)",
        evidence,
    )
    if everything and connection.dialect.name != "sqlite":  # a join: 8.6 s per row lookup for 381,205 rows
        connection.execute(
            text(
                "UPDATE signalement s SET menage_id = r.menage_id FROM rattachement r "
                "WHERE r.signalement_id = s.id AND s.menage_id IS DISTINCT FROM r.menage_id"
            )
        )
        connection.execute(
            text(
                "UPDATE signalement SET menage_id = NULL WHERE menage_id IS NOT NULL AND NOT EXISTS "
                "(SELECT 1 FROM rattachement r WHERE r.signalement_id = signalement.id)"
            )
        )
    elif everything:  # measured: 1.3 s instead of 2.9 s for 636,598 rows
        connection.execute(
            text(
                "UPDATE signalement SET menage_id = "
                "(SELECT r.menage_id FROM rattachement r WHERE r.signalement_id = signalement.id)"
            )
        )
    else:
        set_by_id(connection, "signalement", "menage_id", updates)
    for old, survivor in numbering.absorbed.items():
        connection.execute(
            text("UPDATE menage SET statut = 'fusionne', fusionne_dans = :survivor WHERE id = :old"),
            {"survivor": survivor, "old": old},
        )
        connection.execute(
            text("UPDATE note SET menage_id = :survivor WHERE menage_id = :old"), {"survivor": survivor, "old": old}
        )
        from ..affectation.repository import fold_merged  # the assignment's history follows the merge

        fold_merged(connection, old, survivor)
    from ..menages.departements import refresh_menage_departements  # the département follows the members

    refresh_menage_departements(connection, None if everything else touched)
    return len(created), len(numbering.absorbed)


def _first(row: tuple[Any, ...]) -> Any:
    return row[0]


def _second(row: tuple[Any, ...]) -> Any:
    return row[1]


def mark_empty(connection: Connection) -> int:
    """Ménages left without any signalement (their rows were cancelled): kept as « vide »."""
    result = connection.execute(
        text(
            "UPDATE menage SET statut = 'vide' WHERE statut IN ('ouvert', 'clos') "
            "AND NOT EXISTS (SELECT 1 FROM signalement s WHERE s.menage_id = menage.id)"
        )
    )
    return int(result.rowcount or 0)


def follow_merges(merged_into: Mapping[int, int], number: int) -> int:
    """The ménage ``number`` leads to through ``merged_into`` (merged ménage -> absorbing one), cycles cut."""
    current, seen = number, {number}
    while current in merged_into and merged_into[current] not in seen:
        current = merged_into[current]
        seen.add(current)
    return current


def resolve_menage(connection: Connection, number: int) -> int:
    """The ménage a number designates now (a merged ménage leads to the one it merged into)."""
    seen: set[int] = set()
    current = number
    while True:
        row = connection.execute(
            text("SELECT statut, fusionne_dans FROM menage WHERE id = :id"), {"id": current}
        ).first()
        if row is None:
            raise NotFoundError(f"Ménage {number} introuvable.", "Voir exploc menages lister ou chercher.")
        if row.statut != "fusionne" or row.fusionne_dans is None or current in seen:
            return current
        seen.add(current)
        current = int(row.fusionne_dans)
