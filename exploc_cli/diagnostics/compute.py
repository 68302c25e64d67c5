"""Read the base once for a diagnostic: one streamed query over every event with its signalement
(``stream``), sorted by ménage, folded household by household (``fold``), plus small queries for
merges, assignments, closures, the commission's sessions and what the alerts read of the past
(``history``). Nothing is computed from the per-household parcours summaries (``summarise_all``),
ten times slower.

The sort is SQLite's own (``ORDER BY +menage_id`` reads the events in table order and sorts, instead
of following the ménage index into random pages: measured 2 s instead of 4 s for 700,000 events).
On a large base a forked worker folds half of the ménages (benchmarks/diagnostic_bench.py: about
15 s for 1,000,000 signalements on two cores).
"""

from __future__ import annotations

import multiprocessing
from collections import Counter
from collections.abc import Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, Engine, text

from ..config import AlertSettings
from ..forking import can_fork
from ..linkage.repository import follow_merges, rows_of
from .fold import FoldContext, Period, PeriodCounts, fold_household
from .history import alert_history, day_of
from .purged import add_purged
from .stream import COLUMNS as _COLUMNS
from .stream import DEPARTEMENT, MENAGE
from .territories import UNASSIGNED, Territories, assignment_label

_CHUNK = 500
PARALLEL_FROM = 100_000  # signalements: below, starting a second process costs more than it saves


@dataclass(frozen=True)
class Computed:
    """The counters of each period, and what the base holds besides."""

    periods: tuple[Period, ...]
    counts: tuple[PeriodCounts, ...]
    households: int  # households read (merged ones counted once)
    unlinked: int  # signalements not yet grouped into a household (left out)
    merged: int  # merged ménage numbers followed to the one that absorbed them
    purged: int = 0  # rows of purged households' monthly counts added
    departement: str | None = None  # the only département counted (None: all)


def compute(
    connection: Connection,
    periods: Sequence[Period],
    territories: Territories,
    *,
    horizon: date,
    alerts: AlertSettings,
    parallel_from: int = PARALLEL_FROM,
    departement: str | None = None,
) -> Computed:
    """Every counter of the diagnostic, for each of ``periods``.

    Where the system can fork and the base is large (``parallel_from`` signalements, SQLite), a
    forked worker folds the upper half of the ménage numbers with its own connection while this
    process folds the lower half; the counters are then added up (the same result either way).

    ``departement``: only the signalements of that département are counted (each procedure where
    it happened), and in the commission's tables only the ménages that belong to it.
    """
    global _shared
    redirects = merge_redirects(connection)
    decided: dict[int, str] = {}
    assignments = current_assignments(connection, redirects, decided)
    territories.assignments = {menage: assignment_label(*value[3:]) for menage, value in assignments.items()}
    context = FoldContext(
        periods=tuple(periods),
        horizon=horizon.isoformat(),
        alerts=alerts,
        closed=closures(connection),
        assignments={menage: (*value[:3], decided.get(menage)) for menage, value in assignments.items()},
        unassigned=(UNASSIGNED, "", False, None),
        history=alert_history(connection, redirects),
    )
    sessions = [_inscriptions(connection, period, redirects, departement) for period in periods]
    job = _Job(connection.engine, context, territories, redirects,
               frozenset(menage for inscriptions in sessions for menage, _ in inscriptions), departement)  # fmt: skip
    split = _split_point(connection, parallel_from)
    if split is None:
        part = _fold(connection, job, None, None)
    else:
        _shared = job
        try:
            with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("fork")) as pool:
                second = pool.submit(_fold_shared, split)
                part = _fold(connection, job, None, split)
                part.add(second.result(), territories)
        finally:
            _shared = None
    for period, acc, inscriptions in zip(periods, part.counts, sessions, strict=True):
        _commission(connection, period, acc, inscriptions, part.territory_of, territories, departement)
    purged = add_purged(connection, periods, part.counts, territories, departement)
    unlinked_sql = "SELECT COUNT(*) FROM signalement WHERE menage_id IS NULL" + (
        " AND departement = :d" if departement else ""
    )
    unlinked = int(connection.execute(text(unlinked_sql), {"d": departement}).scalar() or 0)
    return Computed(tuple(periods), tuple(part.counts), part.households, unlinked, len(redirects), purged, departement)


@dataclass(frozen=True)
class _Job:
    engine: Engine
    context: FoldContext
    territories: Territories
    redirects: dict[int, int]
    wanted: frozenset[int]  # ménages whose territory the commission's tables need
    departement: str | None = None  # only its signalements are folded


@dataclass
class _Part:
    """What folding a range of ménages found (sent back by the worker)."""

    counts: list[PeriodCounts]
    territory_of: dict[int, str]
    households: int
    spellings: dict[str, Counter[str]]

    def add(self, other: _Part, territories: Territories) -> None:
        for mine, theirs in zip(self.counts, other.counts, strict=True):
            mine.add(theirs)
        self.territory_of.update(other.territory_of)
        self.households += other.households
        territories.add_spellings(other.spellings)


# What the forked worker reads: set just before the fork, inherited by it, cleared after.
_shared: _Job | None = None


def _fold_shared(first: int) -> _Part:
    assert _shared is not None, "the worker is forked after the job is shared"
    engine = _shared.engine
    engine.dispose(close=False)  # the parent's pooled connections are not this process's to use
    with engine.connect() as connection:
        return _fold(connection, _shared, first, None)


def _fold(connection: Connection, job: _Job, first: int | None, end: int | None) -> _Part:
    """Fold the ménages numbered from ``first`` (included) to ``end`` (excluded)."""
    counts = [PeriodCounts() for _ in job.context.periods]
    territory_of: dict[int, str] = {}
    households = 0
    for menage, rows in _households(connection, job.redirects, first, end):
        if job.departement is not None:
            rows = [row for row in rows if row[DEPARTEMENT] == job.departement]
            if not rows:
                continue
        key = fold_household(menage, job.territories, rows, job.context, counts)
        households += 1
        if menage in job.wanted:
            territory_of[menage] = key
    return _Part(counts, territory_of, households, job.territories.spellings if first is not None else {})


def _split_point(connection: Connection, parallel_from: int) -> int | None:
    """The first ménage number of the worker's half, or None to fold everything here."""
    if connection.dialect.name != "sqlite" or not can_fork():
        return None
    reports = int(connection.execute(text("SELECT COUNT(*) FROM signalement WHERE menage_id IS NOT NULL")).scalar_one())
    if reports < max(parallel_from, 2):
        return None
    # halves of equal work: as many signalements on each side
    middle = connection.execute(
        text("SELECT menage_id FROM signalement WHERE menage_id IS NOT NULL ORDER BY menage_id LIMIT 1 OFFSET :half"),
        {"half": reports // 2},
    ).scalar_one()
    return int(middle)


def _households(
    connection: Connection, redirects: dict[int, int], first: int | None, end: int | None
) -> Iterator[tuple[int, list[Sequence[Any]]]]:
    """(ménage, its rows) in ménage order, for the ménages numbered from ``first`` to ``end`` (excluded);
    the rows of merged ménages go with the ménage that absorbed them."""

    def inside(menage: int) -> bool:
        return (first is None or menage >= first) and (end is None or menage < end)

    extras: dict[int, list[Sequence[Any]]] = {}
    merged = sorted(m for m, survivor in redirects.items() if inside(survivor))
    for start in range(0, len(merged), _CHUNK):
        chunk = merged[start : start + _CHUNK]
        sql = (
            f"SELECT {_COLUMNS} FROM evenement e JOIN signalement s ON s.id = e.signalement_id "
            f"WHERE s.menage_id IN ({', '.join('?' * len(chunk))})"
        )
        for row in rows_of(connection, sql, chunk):
            extras.setdefault(redirects[row[MENAGE]], []).append(row)
    # « +s.menage_id »: bounds read in table order, not through the ménage index
    bounds = "".join(f" AND +s.menage_id {op} ?" for op, value in ((">=", first), ("<", end)) if value is not None)
    sql = (
        f"SELECT {_COLUMNS} FROM evenement e JOIN signalement s ON s.id = e.signalement_id "
        f"WHERE s.menage_id IS NOT NULL{bounds} ORDER BY +s.menage_id"
    )
    current: int | None = None
    group: list[Sequence[Any]] = []
    for row in rows_of(connection, sql, [value for value in (first, end) if value is not None]):
        menage = row[MENAGE]
        if menage in redirects:
            continue
        if menage != current:
            if current is not None:
                yield current, group + extras.pop(current, [])
            current, group = menage, []
        group.append(row)
    if current is not None:
        yield current, group + extras.pop(current, [])
    yield from sorted(extras.items())


def merge_redirects(connection: Connection) -> dict[int, int]:
    """Each merged ménage's number -> the number of the ménage that holds it now."""
    direct = {
        int(menage): int(into)
        for menage, into in connection.execute(
            text("SELECT id, fusionne_dans FROM menage WHERE statut = 'fusionne' AND fusionne_dans IS NOT NULL")
        )
    }
    return {start: follow_merges(direct, start) for start in direct}


def current_assignments(
    connection: Connection, redirects: dict[int, int], decided: dict[int, str] | None = None
) -> dict[int, tuple[Any, ...]]:
    """ménage -> (service, unit, assigned, statut, service, unit) of its current assignment; the day
    each was decided goes into ``decided`` when given."""
    found: dict[int, tuple[Any, ...]] = {}
    days: dict[str, str] = {}  # one string per day, shared
    query = text(
        "SELECT menage_id, statut, service_code, service_libelle, unite_code, unite_libelle, horodatage "
        "FROM affectation WHERE courante = :yes"
    )
    for menage, statut, service_code, service, unit_code, unit, stamp in connection.execute(query, {"yes": True}):
        if decided is not None and (day := day_of(stamp)) is not None:
            decided[redirects.get(int(menage), int(menage))] = days.setdefault(day, day)
        service_label = service or service_code or ""
        unit_label = unit or unit_code or ""
        if statut == "a_trier":
            shown = ("À trier", "", False)
        else:
            shown = (service_label or UNASSIGNED, unit_label, statut == "affecte")
        found[redirects.get(int(menage), int(menage))] = (*shown, statut, service_label, unit_label)
    return found


def closures(connection: Connection) -> dict[int, date]:
    found: dict[int, date] = {}
    for menage, day in connection.execute(text("SELECT id, clos_le FROM menage WHERE clos_le IS NOT NULL")):
        found[int(menage)] = day if isinstance(day, date) else date.fromisoformat(str(day))
    return found


def _inscriptions(
    connection: Connection, period: Period, redirects: dict[int, int], departement: str | None = None
) -> list[tuple[int, str]]:
    du, au = period.bounds
    query = text(
        "SELECT i.menage_id, i.avis FROM inscription i JOIN seance s ON s.id = i.seance_id "
        "WHERE s.date_seance BETWEEN :du AND :au"
    )
    found = [
        (redirects.get(int(menage), int(menage)), avis or "")
        for menage, avis in connection.execute(query, {"du": du, "au": au})
    ]
    if departement is None:
        return found
    theirs = _menages_of(connection, departement)
    return [(menage, avis) for menage, avis in found if menage in theirs]


def _menages_of(connection: Connection, departement: str) -> frozenset[int]:
    query = text("SELECT id FROM menage WHERE departement = :d")
    return frozenset(int(menage) for (menage,) in connection.execute(query, {"d": departement}))


def _commission(
    connection: Connection,
    period: Period,
    acc: PeriodCounts,
    inscriptions: list[tuple[int, str]],
    territory_of: dict[int, str],
    territories: Territories,
    departement: str | None = None,
) -> None:
    du, au = period.bounds
    params = {"du": du, "au": au}
    if departement is None:
        acc.seances = int(
            connection.execute(
                text("SELECT COUNT(*) FROM seance WHERE date_seance BETWEEN :du AND :au"), params
            ).scalar()
            or 0
        )
    else:  # the sessions that examined at least one of its ménages
        examined = {menage for menage, _ in inscriptions}
        sessions = connection.execute(
            text(
                "SELECT DISTINCT i.seance_id, i.menage_id FROM inscription i JOIN seance s ON s.id = i.seance_id "
                "WHERE s.date_seance BETWEEN :du AND :au"
            ),
            params,
        )
        acc.seances = len({seance for seance, menage in sessions if menage in examined})
    for menage in {menage for menage, _ in inscriptions}:
        acc.examined[territory_of.get(menage) or territories.of(menage, None, None)] += 1
    for _, avis in inscriptions:
        acc.avis[avis] += 1
    query = text(
        "SELECT p.destinataire, p.statut, i.menage_id FROM preconisation p "
        "JOIN inscription i ON i.id = p.inscription_id "
        "JOIN seance s ON s.id = i.seance_id WHERE s.date_seance BETWEEN :du AND :au"
    )
    theirs = _menages_of(connection, departement) if departement is not None else None
    for destinataire, statut, menage in connection.execute(query, params):
        if theirs is None or menage in theirs:
            acc.preconisations[(destinataire, statut)] += 1
