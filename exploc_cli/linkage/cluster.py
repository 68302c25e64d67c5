"""Grouping records into households, and keeping household numbers stable.

Clustering is greedy and deterministic: human « fusionner » decisions first, then links from
the strongest down (ties broken by record ids), each merge refused when a human decision keeps
the two sides apart or when the two sides carry different numéros allocataires (a household
has one; a number re-keyed by a partner with one keystroke wrong is still that number). Since
only links above the review threshold can merge records, the result for a connected set of
linked records depends on nothing outside it: the incremental path relinks just the sets a new
row touches and finds what a full relink finds.
"""

from __future__ import annotations

from collections import defaultdict, deque
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

from .compare import LINK_THRESHOLD, REVIEW_THRESHOLD, one_keystroke


class Edge(NamedTuple):  # a tuple: a full relink builds hundreds of thousands
    a: int
    b: int
    score: float
    detail: str
    method: str = "score"  # score | cle | identique | decision

    @property
    def key(self) -> tuple[float, int, int]:
        """Strongest first, then by record ids: the order every grouping follows."""
        a, b = self.a, self.b
        return (-self.score, a, b) if a < b else (-self.score, b, a)


@dataclass
class Clustering:
    clusters: list[list[int]]  # record ids, each cluster sorted by (first date, id)
    parent: dict[int, Edge | None]  # the link that tied each record in (None for the first)
    review: list[Edge] = field(default_factory=list)  # pairs a human should look at
    refused: list[Edge] = field(default_factory=list)  # links above the threshold a rule refused


class _Groups:
    """Union-find whose groups also know their size, allocataires and forbidden partners.

    Sets exist only where there is something to hold (most records carry no decision, many no
    allocataire): a full relink creates groups by the hundred thousand.
    """

    def __init__(
        self, ids: Iterable[int], allocataires: Mapping[int, str | None], cannot: Mapping[int, set[int]]
    ) -> None:
        self.root = {i: i for i in ids}
        self.size = dict.fromkeys(self.root, 1)
        self.allocataires: dict[int, set[str]] = {i: {a} for i, a in allocataires.items() if a and i in self.root}
        self.forbidden: dict[int, set[int]] = {i: set(found) for i, found in cannot.items() if found}
        # members are followed only when a « séparer » decision needs them
        self.members: dict[int, set[int]] | None = {i: {i} for i in self.root} if self.forbidden else None

    def find(self, i: int) -> int:
        root = self.root
        while root[i] != i:
            root[i] = root[root[i]]
            i = root[i]
        return i

    def refusal(self, x: int, y: int) -> str | None:
        """Why groups ``x`` and ``y`` (roots) must not merge, or None."""
        if self.members is not None:
            kept = self.forbidden.get(x)
            if kept and kept & self.members[y]:
                return "décision de séparer"
        ax, ay = self.allocataires.get(x), self.allocataires.get(y)
        if ax and ay and not ax & ay and not any(one_keystroke(i, j) for i in ax for j in ay):
            return "numéros allocataires différents"
        return None

    def merge(self, x: int, y: int) -> None:
        if self.size[x] < self.size[y]:
            x, y = y, x
        self.root[y] = x
        self.size[x] += self.size.pop(y)
        _move(self.allocataires, y, x)
        _move(self.forbidden, y, x)
        if self.members is not None:
            _move(self.members, y, x)


def _move(table: dict[int, set[Any]], source: int, target: int) -> None:
    """Fold group ``source``'s set into group ``target``'s."""
    taken = table.pop(source, None)
    if taken:
        if target in table:
            table[target] |= taken
        else:
            table[target] = taken


def cluster(
    order: Mapping[int, tuple[date, int]],
    edges: Iterable[Edge],
    *,
    must: Iterable[tuple[int, int]] = (),
    cannot: Iterable[tuple[int, int]] = (),
    allocataires: Mapping[int, str | None] | None = None,
) -> Clustering:
    """Group the records of ``order`` (id → (first date, id)) along ``edges``."""
    forbidden: dict[int, set[int]] = defaultdict(set)
    for x, y in cannot:
        forbidden[x].add(y)
        forbidden[y].add(x)
    groups = _Groups(order, allocataires or {}, forbidden)
    used: list[Edge] = []
    review: list[Edge] = []
    refused: list[Edge] = []
    decided = [Edge(x, y, float("inf"), "décision de fusionner", "decision") for x, y in sorted(must)]
    for edge in decided:
        x, y = groups.find(edge.a), groups.find(edge.b)
        if x != y:
            groups.merge(x, y)
            used.append(edge)
    for edge in _strongest_first(edges):
        x, y = groups.find(edge.a), groups.find(edge.b)
        if x == y:
            continue
        refusal = groups.refusal(x, y)
        if edge.score < LINK_THRESHOLD:
            if refusal != "décision de séparer":  # a human already said: two households
                review.append(edge)
            continue
        if refusal is not None:
            refused.append(edge)
            continue
        groups.merge(x, y)
        used.append(edge)
    clusters = _collect(groups, order)
    parent = _spanning_tree(clusters, used)
    pending = [e for e in review + refused if _still_open(groups, e)]
    return Clustering(clusters, parent, _one_per_pair(pending, groups), refused)


def _strongest_first(edges: Iterable[Edge]) -> list[Edge]:
    """The edges above the review threshold in ``Edge.key`` order: strongest first, then by ids.

    A full relink sorts most of a million edges: grouped by score (a few dozen values), each
    group sorted on one integer per pair, it takes a quarter of the time of sorting the keys.
    """
    by_score: dict[float, list[Edge]] = defaultdict(list)
    span = 1
    for edge in edges:
        if edge.score >= REVIEW_THRESHOLD:
            by_score[edge.score].append(edge)
            span = max(span, edge.a + 1, edge.b + 1)
    ranked: list[Edge] = []
    for score in sorted(by_score, reverse=True):
        group = by_score[score]
        group.sort(key=lambda e: e.a * span + e.b if e.a < e.b else e.b * span + e.a)
        ranked.extend(group)
    return ranked


def _still_open(groups: _Groups, edge: Edge) -> bool:
    """A pair in two groups that no human decision already keeps apart."""
    x, y = groups.find(edge.a), groups.find(edge.b)
    return x != y and groups.refusal(x, y) != "décision de séparer"


def _collect(groups: _Groups, order: Mapping[int, tuple[date, int]]) -> list[list[int]]:
    """The groups' records, each group in (first date, id) order, groups by their first record."""
    by_root: dict[int, list[int]] = defaultdict(list)
    find = groups.find
    # one sort of every record: each group then fills in order, and groups appear by their first
    for record in sorted(order, key=order.__getitem__):
        by_root[find(record)].append(record)
    return list(by_root.values())


def _spanning_tree(clusters: list[list[int]], used: list[Edge]) -> dict[int, Edge | None]:
    """For each record, the link that ties it to the cluster's first record (breadth first)."""
    adjacent: dict[int, list[Edge]] = defaultdict(list)
    for edge in used:
        adjacent[edge.a].append(edge)
        adjacent[edge.b].append(edge)
    parent: dict[int, Edge | None] = {}
    for members in clusters:
        root = members[0]
        parent[root] = None
        queue = deque([root])
        while queue:
            node = queue.popleft()
            for edge in adjacent[node]:  # ``used`` is in link order already: strongest first
                other = edge.b if edge.a == node else edge.a
                if other not in parent:
                    parent[other] = edge
                    queue.append(other)
    return parent


def _one_per_pair(edges: list[Edge], groups: _Groups) -> list[Edge]:
    """The strongest pending link between each pair of clusters."""
    best: dict[tuple[int, int], Edge] = {}
    for edge in sorted(edges, key=lambda e: e.key):
        x, y = groups.find(edge.a), groups.find(edge.b)
        best.setdefault((x, y) if x < y else (y, x), edge)
    return sorted(best.values(), key=lambda e: e.key)


@dataclass
class Numbering:
    numbers: list[int | None]  # per cluster: the ménage number it keeps (None: a new ménage)
    absorbed: dict[int, int]  # old number → the older number it merged into


def assign_numbers(
    clusters: list[list[int]], previous: Mapping[int, int | None], order: Mapping[int, tuple[date, int]]
) -> Numbering:
    """Stable numbers: the older number survives a merge; a split part keeps it where its earliest record is."""
    where = {record: index for index, members in enumerate(clusters) for record in members}
    records_of: dict[int, list[int]] = defaultdict(list)
    for record, number in previous.items():
        if number is not None and record in where:
            records_of[number].append(record)
    numbers: list[int | None] = [None] * len(clusters)
    absorbed: dict[int, int] = {}
    for number in sorted(records_of):
        earliest = min(records_of[number], key=lambda r: order[r])
        target = where[earliest]
        current = numbers[target]
        if current is None:
            numbers[target] = number
        else:
            absorbed[number] = current
    return Numbering(numbers, absorbed)
