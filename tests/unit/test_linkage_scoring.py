"""Scoring pairs in a second process gives exactly the edges scored here; the strongest-first
order of the clustering is ``Edge.key``'s."""

from __future__ import annotations

import random
from concurrent.futures import ProcessPoolExecutor
from datetime import date
from typing import Any

import pytest

from exploc_cli.forking import can_fork
from exploc_cli.linkage import scoring
from exploc_cli.linkage.cluster import Edge, _strongest_first
from exploc_cli.linkage.compare import REVIEW_THRESHOLD
from exploc_cli.linkage.keys import LinkRecord, make_record


def _records(count: int) -> dict[int, LinkRecord]:
    draw = random.Random(7)
    surnames = ["MARTIN", "DUPONT", "NGUYEN", "DIALLO", "LEFEBVRE"]
    firstnames = ["Marie", "Jean", "Aïcha", "Paul"]
    records = {}
    for record_id in range(1, count + 1):
        records[record_id] = make_record(
            {
                "id": record_id,
                "date_evenement": date(2025, draw.randint(1, 12), 1),
                "nom": draw.choice(surnames),
                "prenoms": draw.choice(firstnames),
                "date_naissance": draw.choice([None, date(1980, 5, 17)]),
                "voie": draw.choice(["Rue Victor Hugo", "Avenue Jean Jaurès"]),
                "numero": str(draw.randint(1, 3)),
                "code_postal": "01000",
                "commune": "BOURG",
                "numero_allocataire": draw.choice([None, "1234567", "7654321"]),
                "source": "caf",
            }
        )
    return records


@pytest.mark.skipif(not can_fork(), reason="needs fork and two cores (the Windows path is the other one)")
def test_a_forked_worker_scores_the_same_edges_in_the_same_order(monkeypatch: pytest.MonkeyPatch) -> None:
    submitted: list[object] = []

    class Spy(ProcessPoolExecutor):
        def submit(self, *args: Any, **kwargs: Any) -> Any:
            submitted.append(args[0])
            return super().submit(*args, **kwargs)

    monkeypatch.setattr(scoring, "ProcessPoolExecutor", Spy)
    records = _records(120)
    numbers = {rid: hash(r.signature) for rid, r in records.items()}
    pairs = [(x, y) for x in records for y in records if x < y]
    alone = scoring.score_pairs(records, pairs, numbers, parallel_from=len(pairs) + 1)
    shared = scoring.score_pairs(records, pairs, numbers, parallel_from=1)
    assert submitted == [scoring._score_shared]  # the second half was scored in the worker
    assert shared == alone
    assert any(e.method == "identique" for e in alone) and any(e.method == "score" for e in alone)
    assert all(e.score >= REVIEW_THRESHOLD for e in alone)
    assert scoring._shared is None  # nothing left behind for a later fork


def test_strongest_first_is_the_edge_key_order() -> None:
    draw = random.Random(3)
    edges = [
        Edge(a, b, draw.choice([11.0, 16.5, 20.0, 100.0, 3.0]), "")
        for a, b in {tuple(sorted(draw.sample(range(1, 400), 2))) for _ in range(2_000)}
    ]
    edges.append(Edge(9, 5, 20.0, ""))  # written the other way round
    expected = sorted((e for e in edges if e.score >= REVIEW_THRESHOLD), key=lambda e: e.key)
    assert _strongest_first(edges) == expected
