"""Deciding every open ménage's assignment: in this process, or shared with a forked second one.

A département's base holds some 200,000 open ménages; reading their facts is most of the time
of ``exploc affecter``. Where the system can fork (Linux, macOS) and the rules need no parcours,
the ménages are split in two ranges of numbers and a forked worker decides the second range with
its own connection to the base, inheriting the current assignments without copying them;
elsewhere (Windows, a single core, PostgreSQL, a small base) everything is decided here. Both
give the same decisions in the same order: a decision depends only on the ménage.
"""

from __future__ import annotations

import multiprocessing
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Connection, Engine, text

from ..config import Settings
from ..forking import can_fork
from .engine import Decider, Outcome
from .inputs import needs_parcours, open_menages_facts
from .records import A_TRIER, A_TRIER_LABEL, AFFECTE, Assignment, MenageRange, current_assignments
from .rules import RuleSet
from .sectorisation import Sectorisation

PARALLEL_FROM = 50_000  # open ménages: below, starting a process costs more than it saves


@dataclass(frozen=True, slots=True)
class Change:
    menage_id: int
    name: str  # the household's name (filled for the first changes of a report only)
    before: str | None  # None: never assigned
    after: str
    rule_id: str | None
    reason: str


@dataclass
class Decided:
    """What deciding a range of ménages found (small to send between processes: equal outcomes
    are one object, and the changes are worded by ``changes``)."""

    examined: int = 0
    manual_kept: int = 0
    # to write: (ménage, outcome, name, current assignment's label or None when never assigned,
    # the ménage's département: its rules' version is recorded)
    new: list[tuple[int, Outcome, str, str | None, str | None]] = field(default_factory=list)
    # (service, unit, assigned this month) → ménages, after this run
    places: Counter[tuple[str, str, bool]] = field(default_factory=Counter)

    def extend(self, other: Decided) -> None:
        self.examined += other.examined
        self.manual_kept += other.manual_kept
        self.new += other.new
        self.places.update(other.places)

    @property
    def changes(self) -> list[Change]:
        """Who moves from where to where."""
        return [
            Change(menage_id, name, before, outcome.label, outcome.rule_id, outcome.reason)
            for menage_id, outcome, name, before, _ in self.new
        ]


@dataclass(frozen=True)
class _Job:
    engine: Engine
    rules: RuleSet
    sectors: Sectorisation
    settings: Settings
    day: date
    now: datetime
    departement: str | None = None  # only the ménages of this département


# What the forked worker reads: set just before the fork, inherited by it, cleared after.
_shared: _Job | None = None


def decide_all(
    connection: Connection,
    engine: Engine,
    rules: RuleSet,
    sectors: Sectorisation,
    settings: Settings,
    *,
    day: date,
    now: datetime,
    parallel_from: int = PARALLEL_FROM,
    departement: str | None = None,
) -> Decided:
    """Every open ménage decided against its current assignment (manual decisions kept), in
    ménage order. ``connection`` reads this process's share; a forked worker opens its own from
    ``engine`` and reads the current assignments of its share itself.
    """
    global _shared
    job = _Job(engine, rules, sectors, settings, day, now, departement)
    split = _split_point(connection, rules, parallel_from)
    if split is None:
        return _decide(connection, job, None)
    _shared = job
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
            second = pool.submit(_decide_shared, MenageRange(split, None))
            decided = _decide(connection, job, MenageRange(None, split - 1))
            decided.extend(second.result())
            return decided
    finally:
        _shared = None


def _split_point(connection: Connection, rules: RuleSet, parallel_from: int) -> int | None:
    """The first ménage number of the worker's half, or None to decide everything here."""
    if needs_parcours(rules) or connection.dialect.name != "sqlite" or not can_fork():
        return None
    count = connection.execute(text("SELECT COUNT(*) FROM menage WHERE statut = 'ouvert'")).scalar_one()
    if count < parallel_from:
        return None
    # halves of equal work: as many signalements on each side (older ménages have more of them)
    reports = connection.execute(text("SELECT COUNT(*) FROM signalement WHERE menage_id IS NOT NULL")).scalar_one()
    middle = connection.execute(
        text("SELECT menage_id FROM signalement WHERE menage_id IS NOT NULL ORDER BY menage_id LIMIT 1 OFFSET :half"),
        {"half": reports // 2},
    ).scalar_one()
    return int(middle)


def _decide_shared(menages: MenageRange) -> Decided:
    assert _shared is not None, "the worker is forked after the job is shared"
    engine = _shared.engine
    engine.dispose(close=False)  # the parent's pooled connections are not this process's to use
    with engine.connect() as connection:
        return _decide(connection, _shared, menages)


def _decide(connection: Connection, job: _Job, menages: MenageRange | None) -> Decided:
    decided = Decided()
    decider = Decider(job.rules, job.sectors, job.day)
    current = current_assignments(connection, menages)
    labels: dict[str, str] = {}  # one string per label: the worker's answer stays small
    assigned = frozenset(m for m, a in current.items() if a.statut == AFFECTE)
    for facts in open_menages_facts(connection, job.day, job.settings, job.rules, assigned, menages=menages):
        if job.departement is not None and facts.departement != job.departement:
            continue
        decided.examined += 1
        before = current.get(facts.menage_id)
        if before is not None and before.manual:
            decided.manual_kept += 1
            decided.places[(*_where(before), _this_month(before.horodatage, job.now))] += 1
            continue
        outcome = decider.decide(facts)
        if before is not None and before.destination == outcome.destination:
            decided.places[(*_where(before), _this_month(before.horodatage, job.now))] += 1
            continue
        label = labels.setdefault(before.label, before.label) if before is not None else None
        decided.new.append((facts.menage_id, outcome, facts.name, label, facts.departement))
        decided.places[(*_where(outcome), True)] += 1
    return decided


def _where(assignment: Assignment | Outcome) -> tuple[str, str]:
    """(service, unit) for the table per service and unit."""
    if assignment.statut == A_TRIER:
        return A_TRIER_LABEL, ""
    return assignment.service_libelle or assignment.service_code or "?", assignment.unite_libelle or ""


def _this_month(stamp: datetime, now: datetime) -> bool:
    return (stamp.year, stamp.month) == (now.year, now.month)
