"""Linking signalements into ménages: from scratch, or incrementally after an import.

Incremental linking finds the stored records that share a blocking key with the new rows,
scores those pairs, then relinks exactly the connected sets of records (through links that
can merge and « fusionner » decisions) that the new rows touch. Pair scores do not depend on
the rest of the data, so this gives the grouping a full relink gives; a test checks it.
"""

from __future__ import annotations

import gc
import time
from collections import defaultdict
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, text

from .. import audit
from ..store.db import write_transaction
from . import repository
from .cluster import Clustering, Edge, assign_numbers, cluster
from .compare import LINK_THRESHOLD, score_pair
from .keys import MAX_BLOCK, LinkRecord, blocking_keys, clear_caches
from .scoring import IDENTICAL_LABEL, score_pairs


@dataclass
class LinkReport:
    full: bool
    records: int = 0  # signalements (re)linked
    new_records: int = 0
    menages_created: int = 0
    menages_merged: int = 0
    pairs_scored: int = 0
    to_review: int = 0
    reopened: int = 0
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "complet": self.full,
            "signalements": self.records,
            "nouveaux_signalements": self.new_records,
            "menages_crees": self.menages_created,
            "menages_fusionnes": self.menages_merged,
            "paires_comparees": self.pairs_scored,
            "paires_a_verifier": self.to_review,
            "parcours_rouverts": self.reopened,
            "secondes": round(self.seconds, 2),
        }


def link_households(engine: Engine, *, full: bool = False, command_line: str = "") -> LinkReport:
    """Group every signalement not yet in a ménage (or all of them with ``full``, or when most of
    them are new: the same grouping, found faster)."""
    started = time.perf_counter()
    full = full or _mostly_new(engine)
    report = LinkReport(full)
    with _no_cyclic_gc(), write_transaction(engine, check_foreign_keys=not full) as connection:
        if full:
            _link_all(connection, report)
        else:
            _link_new(connection, report)
        report.seconds = time.perf_counter() - started
        if report.records:
            audit.record(
                connection,
                audit.AuditEntry(
                    action="liaison", commande=command_line, nb_lignes=report.records, details=report.to_json()
                ),
            )
    return report


def _mostly_new(engine: Engine) -> bool:
    """Are most signalements waiting for their ménage (a first import)? Relinking everything then
    takes a quarter of the time and half the memory of the incremental path (90,000 households:
    36 s and 1.2 GB instead of 140 s and 2.3 GB, ``benchmarks/run.py``), which pays off for a few
    rows among many."""
    with engine.connect() as connection:
        waiting, total = connection.execute(text("SELECT COUNT(*) - COUNT(menage_id), COUNT(*) FROM signalement")).one()
    return bool(total) and waiting * 2 > total and total >= MOSTLY_NEW_FROM


MOSTLY_NEW_FROM = 1_000  # signalements: below, either path is quick


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Pause Python's cycle collector: a full relink allocates millions of small tuples and no
    cycles, and the collector's repeated passes over them cost a third of the time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def relink_records(connection: Connection, seeds: Collection[int], report: LinkReport) -> None:
    """Relink the connected sets of records holding ``seeds`` (after a decision or a cancelled batch)."""
    region = repository.linked_component(connection, seeds)
    records, previous = repository.load_records(connection, region)
    edges = repository.stored_edges(connection, records)
    _cluster_and_apply(connection, records, previous, edges, report)


def _link_all(connection: Connection, report: LinkReport) -> None:
    records, previous = repository.load_records(connection)
    report.new_records = sum(1 for number in previous.values() if number is None)
    for table in ("cle_liaison", "lien", "rattachement"):
        connection.execute(text(f"DELETE FROM {table}"))  # noqa: S608 (fixed names)
    must, cannot = repository.constraints(connection, records)
    numbers = _signature_numbers(records)
    groups = _signature_groups(numbers, {x for pair in (*must, *cannot) for x in pair})
    # Rows with the same signature compare alike: one of them stands for all (keys, blocks).
    keys = {members[0]: blocking_keys(records[members[0]]) for members in groups}
    pairs = {(members[0], other) for members in groups for other in members[1:]}
    pairs.update(_block_pairs(keys))
    edges = _edges(records, pairs, report, numbers)
    with repository.bulk_writes(connection):
        repository.save_keys(connection, {rid: {repository.key_hash(k) for k in found} for rid, found in keys.items()})
        repository.save_edges(connection, edges, {})
        _cluster_and_apply(connection, records, previous, edges, report, must=must, cannot=cannot, fresh=True)
    _reopen(connection, previous, report)  # after the indexes are back
    repository.mark_empty(connection)
    clear_caches()


def _link_new(connection: Connection, report: LinkReport) -> None:
    new_ids = repository.unlinked_ids(connection)
    if not new_ids:
        return
    report.new_records = len(new_ids)
    new_records, _ = repository.load_records(connection, new_ids)
    keys = {record.id: blocking_keys(record) for record in new_records.values()}
    hashes = {record_id: {repository.key_hash(k) for k in found} for record_id, found in keys.items()}
    stored = repository.candidates_by_keys(connection, {h for found in hashes.values() for h in found})
    candidates = {c for found in stored.values() for c in found}
    repository.save_keys(connection, hashes)
    others, _ = repository.load_records(connection, candidates - new_ids)
    pool = {**others, **new_records}
    pairs = _incremental_pairs(new_records, hashes, stored)
    new_edges = _edges(pool, pairs, report, _signature_numbers(pool))
    repository.save_edges(connection, new_edges, {})
    seeds = set(new_ids) | {x for e in new_edges if e.score >= LINK_THRESHOLD for x in (e.a, e.b)}
    region = repository.linked_component(connection, seeds)
    records, previous = repository.load_records(connection, region)
    edges = repository.stored_edges(connection, records)
    _cluster_and_apply(connection, records, previous, edges, report)


def _incremental_pairs(
    new: dict[int, LinkRecord], hashes: dict[int, set[int]], stored: dict[int, set[int]]
) -> set[tuple[int, int]]:
    """New × stored pairs and new × new pairs that share a key."""
    by_key: dict[int, set[int]] = defaultdict(set)
    for record_id, found in hashes.items():
        for key in found:
            by_key[key].add(record_id)
    pairs: set[tuple[int, int]] = set()
    for key, new_members in by_key.items():
        members = new_members | stored.get(key, set())
        if len(members) > MAX_BLOCK:
            continue
        for x in new_members:
            for y in members:
                if x != y:
                    pairs.add((min(x, y), max(x, y)))
    return pairs


def group_in_memory(records: dict[int, LinkRecord]) -> Clustering:
    """The grouping of ``records`` alone, without the store (benchmarks on other data sets)."""
    numbers = _signature_numbers(records)
    groups = _signature_groups(numbers, set())
    keys = {members[0]: blocking_keys(records[members[0]]) for members in groups}
    pairs = {(members[0], other) for members in groups for other in members[1:]} | _block_pairs(keys)
    edges = _edges(records, pairs, LinkReport(True), numbers)
    order = {record.id: (record.first_date, record.id) for record in records.values()}
    return cluster(order, edges, allocataires={record.id: record.allocataire for record in records.values()})


def _signature_numbers(records: dict[int, LinkRecord]) -> dict[int, int]:
    """Each record's signature as a number: records with the same number compare alike."""
    interned: dict[tuple[object, ...], int] = {}
    return {record_id: interned.setdefault(record.signature, len(interned)) for record_id, record in records.items()}


def _signature_groups(numbers: dict[int, int], bound: set[int]) -> list[list[int]]:
    """Records grouped by signature (a record a human decision binds stays on its own), sorted."""
    by_signature: dict[int, list[int]] = defaultdict(list)
    for record_id, number in numbers.items():
        by_signature[-1 - record_id if record_id in bound else number].append(record_id)
    return [sorted(members) for members in by_signature.values()]


def _block_pairs(keys: dict[int, set[str]]) -> set[tuple[int, int]]:
    """The pairs of records that share a blocking key."""
    by_key: dict[str, list[int]] = defaultdict(list)
    for record_id, found in keys.items():
        for key in found:
            by_key[key].append(record_id)
    pairs: set[tuple[int, int]] = set()
    for members in by_key.values():
        if len(members) < 2 or len(members) > MAX_BLOCK:
            continue
        members.sort()
        for i, x in enumerate(members):
            for y in members[i + 1 :]:
                pairs.add((x, y))
    return pairs


def _edges(
    records: dict[int, LinkRecord], pairs: Collection[tuple[int, int]], report: LinkReport, numbers: dict[int, int]
) -> list[Edge]:
    """The scored links of ``pairs`` worth keeping (``numbers``: the records' signature numbers)."""
    report.pairs_scored += len(pairs)
    return score_pairs(records, pairs if isinstance(pairs, list) else list(pairs), numbers)


def _cluster_and_apply(
    connection: Connection,
    records: dict[int, LinkRecord],
    previous: dict[int, int | None],
    edges: list[Edge],
    report: LinkReport,
    *,
    must: list[tuple[int, int]] | None = None,
    cannot: list[tuple[int, int]] | None = None,
    fresh: bool = False,
) -> Clustering:
    if must is None or cannot is None:
        must, cannot = repository.constraints(connection, records)
    order = {record.id: (record.first_date, record.id) for record in records.values()}
    allocataires = {record.id: record.allocataire for record in records.values()}
    result = cluster(order, edges, must=must, cannot=cannot, allocataires=allocataires)
    numbering = assign_numbers(result.clusters, previous, order)
    if not fresh:
        repository.clear_region(connection, records)
    created, merged = repository.apply(connection, result, numbering, datetime.now(UTC), everything=fresh)
    repository.mark_review(connection, records, result.review, fresh=fresh)
    if not fresh:
        _reopen(connection, previous, report)
    report.records += len(records)
    report.menages_created += created
    report.menages_merged += merged
    report.to_review += len(result.review)
    return result


def _reopen(connection: Connection, previous: dict[int, int | None], report: LinkReport) -> None:
    """Reopen the closed ménages among ``previous`` that a report dated after their closing joined."""
    from ..menages.follow import reopen_after_new_reports  # the linkage reopens; follow.py knows how

    menages = {n for n in previous.values() if n is not None}
    if menages:
        report.reopened += len(reopen_after_new_reports(connection, menages))


def describe_link(connection: Connection, a: int, b: int) -> str:
    """The evidence between two signalements, in French (described again from their stored columns)."""
    records, _ = repository.load_records(connection, [a, b])
    if a not in records or b not in records:
        return ""
    if records[a].signature == records[b].signature:
        return IDENTICAL_LABEL
    return score_pair(records[a], records[b]).describe()
