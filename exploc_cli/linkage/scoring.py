"""Scoring the candidate pairs: in this process, or shared with a second one on a full relink.

A full relink scores most of a million pairs, which is a third of its time. Where the system can
fork (Linux, macOS), the pairs are split with one forked worker that inherits the records
without copying them; elsewhere (Windows) or for small batches, everything is scored here. Both
give the same edges in the same order: the scores do not depend on who computes them.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor

from ..forking import can_fork
from .cluster import Edge
from .compare import REVIEW_THRESHOLD, score_pair
from .keys import LinkRecord

IDENTICAL = 100.0  # two rows that show exactly the same people, keys and address
IDENTICAL_LABEL = "identique : mêmes personnes, mêmes clés, même adresse"
PARALLEL_FROM = 100_000  # pairs: below, starting a process costs more than it saves

Scored = tuple[int, int, float]  # (a, b, score), or (a, b, _SAME) for identical rows
_SAME = -1.0  # never a kept score (those are at or above the review threshold)

# What the forked worker reads: set just before the fork, inherited by it, cleared after.
_shared: tuple[dict[int, LinkRecord], Sequence[tuple[int, int]], dict[int, int]] | None = None


def score_pairs(
    records: dict[int, LinkRecord],
    pairs: Sequence[tuple[int, int]],
    numbers: dict[int, int],
    *,
    parallel_from: int = PARALLEL_FROM,
) -> list[Edge]:
    """The links of ``pairs`` worth keeping (at or above the review threshold).

    ``numbers``: each record's signature number; two records with the same one are identical.
    """
    global _shared
    if len(pairs) < parallel_from or not can_fork():
        return _as_edges(_score_slice(records, pairs, numbers, 0, len(pairs)))
    half = len(pairs) // 2
    _shared = (records, pairs, numbers)
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
            second = pool.submit(_score_shared, half, len(pairs))
            first = _score_slice(records, pairs, numbers, 0, half)
            return _as_edges(first) + _as_edges(second.result())
    finally:
        _shared = None


def _score_shared(start: int, stop: int) -> list[Scored]:
    assert _shared is not None, "the worker is forked after the pairs are shared"
    records, pairs, numbers = _shared
    return _score_slice(records, pairs, numbers, start, stop)


def _score_slice(
    records: dict[int, LinkRecord], pairs: Sequence[tuple[int, int]], numbers: dict[int, int], start: int, stop: int
) -> list[Scored]:
    kept: list[Scored] = []
    for index in range(start, stop):
        x, y = pairs[index]
        if numbers[x] == numbers[y]:
            kept.append((x, y, _SAME))
            continue
        total = score_pair(records[x], records[y]).total
        if total >= REVIEW_THRESHOLD:
            kept.append((x, y, total))
    return kept


def _as_edges(scored: list[Scored]) -> list[Edge]:
    # the evidence of a scored link is described again when shown (exploc menages expliquer)
    return [
        Edge(x, y, IDENTICAL, IDENTICAL_LABEL, "identique") if score == _SAME else Edge(x, y, score, "")
        for x, y, score in scored
    ]
