"""What the linkage reads from and writes to the store (records, keys, links, decisions, ménages)."""

from __future__ import annotations

import hashlib
from collections.abc import Collection, Iterable, Iterator, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, text

from .cluster import Clustering, Edge, Numbering
from .compare import LINK_THRESHOLD
from .keys import LinkRecord, make_record

_CHUNK = 500
_RECORD_COLUMNS = (
    "s.id, s.source, s.reference, s.bailleur, s.nom, s.nom_naissance, s.prenoms, s.date_naissance, s.nom2, "
    "s.nom_naissance2, s.prenoms2, s.numero, s.suffixe, s.voie, s.complement, s.code_postal, s.commune, "
    "s.numero_allocataire, s.menage_id, e.date AS date_evenement"
)
_RECORD_QUERY = (
    f"SELECT {_RECORD_COLUMNS} FROM signalement s "
    "JOIN evenement e ON e.signalement_id = s.id AND e.principal = :principal"
)


def key_hash(key: str) -> int:
    """A signed 64-bit hash of a blocking key (what ``cle_liaison`` stores)."""
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "big", signed=True)


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

    def take(rows: Iterable[Any]) -> None:
        for row in rows:
            mapping = row._mapping
            records[mapping["id"]] = make_record(mapping)
            previous[mapping["id"]] = mapping["menage_id"]

    if ids is None:
        take(connection.execution_options(yield_per=10_000).execute(text(_RECORD_QUERY), {"principal": True}))
    else:
        for chunk in _chunks(ids):
            clause, params = _in("s.id", chunk)
            take(connection.execute(text(f"{_RECORD_QUERY} WHERE {clause}"), {"principal": True, **params}))
    return records, previous


def unlinked_ids(connection: Connection) -> set[int]:
    return set(connection.execute(text("SELECT id FROM signalement WHERE menage_id IS NULL")).scalars())


def members(connection: Connection, menages: Collection[int]) -> set[int]:
    found: set[int] = set()
    for chunk in _chunks(menages):
        clause, params = _in("menage_id", chunk)
        found.update(connection.execute(text(f"SELECT id FROM signalement WHERE {clause}"), params).scalars())
    return found


def candidates_by_keys(connection: Connection, hashes: Collection[int]) -> dict[int, set[int]]:
    """Stored records under each key hash."""
    found: dict[int, set[int]] = {}
    ordered = sorted(hashes)
    for start in range(0, len(ordered), _CHUNK):
        chunk = ordered[start : start + _CHUNK]
        names = {f"k{i}": value for i, value in enumerate(chunk)}
        rows = connection.execute(
            text(f"SELECT cle, signalement_id FROM cle_liaison WHERE cle IN ({', '.join(':' + n for n in names)})"),
            names,
        )
        for key, record in rows:
            found.setdefault(key, set()).add(record)
    return found


def save_keys(connection: Connection, keys: Mapping[int, Iterable[int]]) -> None:
    rows = [{"cle": key, "s": record} for record, hashes in keys.items() for key in hashes]
    if rows:
        connection.execute(text("INSERT INTO cle_liaison (cle, signalement_id) VALUES (:cle, :s)"), rows)


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
    for edge in edges:
        a, b = sorted((edge.a, edge.b))
        rows.append(
            {"a": a, "b": b, "score": edge.score, "statut": statut_of.get((a, b), "lien"), "detail": edge.detail}
        )
    if rows:
        connection.execute(
            text("INSERT OR REPLACE INTO lien (a, b, score, statut, detail) VALUES (:a, :b, :score, :statut, :detail)")
            if connection.dialect.name == "sqlite"
            else text(
                "INSERT INTO lien (a, b, score, statut, detail) VALUES (:a, :b, :score, :statut, :detail) "
                "ON CONFLICT (a, b) DO UPDATE SET score = EXCLUDED.score, statut = EXCLUDED.statut, "
                "detail = EXCLUDED.detail"
            ),
            rows,
        )


def constraints(connection: Connection, ids: Collection[int]) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
    """Human decisions binding records of ``ids``: (lier pairs, separer pairs)."""
    must: set[tuple[int, int]] = set()
    cannot: set[tuple[int, int]] = set()
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
    for chunk in _chunks(ids):
        clause, params = _in("signalement_id", chunk)
        connection.execute(text(f"DELETE FROM rattachement WHERE {clause}"), params)


def apply(connection: Connection, clustering: Clustering, numbering: Numbering, now: datetime) -> tuple[int, int]:
    """Write the grouping: new ménages, each signalement's ménage and evidence; merged ménages marked.

    Returns (new ménages, merged ménages).
    """
    created = 0
    numbers: list[int] = []
    for number in numbering.numbers:
        if number is None:
            result = connection.execute(
                text("INSERT INTO menage (cree_le, statut) VALUES (:now, 'ouvert')"), {"now": now}
            )
            number = int(result.lastrowid) if result.lastrowid is not None else _last_id(connection)
            created += 1
        numbers.append(number)
    updates = []
    evidence = []
    for members_, number in zip(clustering.clusters, numbers, strict=True):
        for record in members_:
            updates.append({"m": number, "s": record})
            edge = clustering.parent.get(record)
            if edge is None:
                evidence.append(
                    {"s": record, "m": number, "methode": "premier", "lie_a": None, "score": None, "detail": None}
                )
            else:
                evidence.append(
                    {
                        "s": record,
                        "m": number,
                        "methode": edge.method,
                        "lie_a": edge.b if edge.a == record else edge.a,
                        "score": None if edge.score == float("inf") else edge.score,
                        "detail": edge.detail,
                    }
                )
    if updates:
        connection.execute(text("UPDATE signalement SET menage_id = :m WHERE id = :s"), updates)
        connection.execute(
            text(
                "INSERT INTO rattachement (signalement_id, menage_id, methode, lie_a, score, detail) "
                "VALUES (:s, :m, :methode, :lie_a, :score, :detail)"
            ),
            evidence,
        )
    for old, survivor in numbering.absorbed.items():
        connection.execute(
            text("UPDATE menage SET statut = 'fusionne', fusionne_dans = :survivor WHERE id = :old"),
            {"survivor": survivor, "old": old},
        )
        connection.execute(
            text("UPDATE note SET menage_id = :survivor WHERE menage_id = :old"), {"survivor": survivor, "old": old}
        )
    return created, len(numbering.absorbed)


def _last_id(connection: Connection) -> int:
    return int(connection.execute(text("SELECT MAX(id) FROM menage")).scalar_one())


def mark_empty(connection: Connection) -> int:
    """Ménages left without any signalement (their rows were cancelled): kept as « vide »."""
    result = connection.execute(
        text(
            "UPDATE menage SET statut = 'vide' WHERE statut IN ('ouvert', 'clos') "
            "AND NOT EXISTS (SELECT 1 FROM signalement s WHERE s.menage_id = menage.id)"
        )
    )
    return int(result.rowcount or 0)
