"""One household's contribution to the diagnostic's counters, from its rows (signalements joined to
their events), for one or two periods at once.

The rows come from one streamed query (``compute``): this module never touches the base. Dates are
ISO strings (``2025-03-14``), compared as strings and turned into dates only where a delay or the
episodes need them. Counters are plain ``Counter``s keyed by tuples, summed into tables later.
"""

from __future__ import annotations

import bisect
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property, lru_cache
from typing import Any

from ..config import AlertSettings
from ..normalize.vocabulary import EVENT_RANK
from ..parcours.episodes import split_episodes
from .alerts_at import AlertRules, alerts_at
from .deadlines_at import DeadlineClock
from .history import AlertHistory
from .indicators import CHAIN, JUGEMENT_VALUES, PAIRS, debt_band
from .stream import (
    CODE,
    COMMUNE,
    DAY,
    DETTE,
    EID,
    INSEE,
    LOYER,
    PARC,
    PRINCIPAL,
    SID,
    SOURCE,
    VALEUR,
    Event,
    Facts,
)

_RANK = dict(EVENT_RANK)


@lru_cache(maxsize=20_000)
def as_date(day: str) -> date:
    return date.fromisoformat(day)


@lru_cache(maxsize=20_000)
def ordinal(day: str) -> int:
    return date.fromisoformat(day).toordinal()


@dataclass(frozen=True)
class Period:
    """A period of the diagnostic, both days included."""

    du: date
    au: date

    @property
    def bounds(self) -> tuple[str, str]:
        return self.du.isoformat(), self.au.isoformat()

    def months(self) -> list[str]:
        """« 2025-01 », « 2025-02 »… every month the period touches."""
        found, year, month = [], self.du.year, self.du.month
        while (year, month) <= (self.au.year, self.au.month):
            found.append(f"{year:04d}-{month:02d}")
            year, month = (year + 1, 1) if month == 12 else (year, month + 1)
        return found


@dataclass
class PeriodCounts:
    """Every counter of one period (territory keys from ``Territories``)."""

    signalements: Counter[tuple[str, str, str]] = field(default_factory=Counter)  # source, month, stage
    entries: Counter[tuple[str, str]] = field(default_factory=Counter)  # stage, territory
    entries_month: Counter[tuple[str, str]] = field(default_factory=Counter)  # stage, month
    entries_parc: Counter[tuple[str, str]] = field(default_factory=Counter)  # stage, parc
    jugements: Counter[tuple[str, str]] = field(default_factory=Counter)  # sens, territory
    flows: Counter[tuple[int, str, bool]] = field(default_factory=Counter)  # pair, territory, passed
    delays: dict[int, list[int]] = field(default_factory=dict)  # pair -> days
    known: Counter[tuple[str, bool]] = field(default_factory=Counter)  # territory, known before assignation
    concerned: Counter[str] = field(default_factory=Counter)  # territory
    services: Counter[tuple[str, str, str]] = field(default_factory=Counter)  # service, unit, parc
    debt_bands: Counter[tuple[int, str]] = field(default_factory=Counter)  # band, territory
    debts: dict[str, list[int]] = field(default_factory=dict)  # territory -> centimes
    cfp: Counter[tuple[str, str]] = field(default_factory=Counter)  # column, territory
    alerts: Counter[tuple[str, str]] = field(default_factory=Counter)  # alert, territory
    # the commission (filled from the session tables)
    seances: int = 0
    examined: Counter[str] = field(default_factory=Counter)  # territory
    avis: Counter[str] = field(default_factory=Counter)  # avis code ("" when none recorded)
    preconisations: Counter[tuple[str, str]] = field(default_factory=Counter)  # destinataire, statut

    def add(self, other: PeriodCounts) -> None:
        """Add the counters of ``other`` (another range of ménages) to these."""
        for name in (
            "signalements",
            "entries",
            "entries_month",
            "entries_parc",
            "jugements",
            "flows",
            "known",
            "concerned",
            "services",
            "debt_bands",
            "cfp",
            "alerts",
            "examined",
            "avis",
            "preconisations",
        ):
            getattr(self, name).update(getattr(other, name))  # fmt: skip
        for pair, days in other.delays.items():
            self.delays.setdefault(pair, []).extend(days)
        for territory, amounts in other.debts.items():
            self.debts.setdefault(territory, []).extend(amounts)
        self.seances += other.seances


@dataclass(frozen=True)
class FoldContext:
    """What every household's fold needs besides its rows."""

    periods: Sequence[Period]
    horizon: str  # the data date: later events are forecasts, not facts
    alerts: AlertSettings
    closed: Mapping[int, date]  # ménage -> clos_le
    # ménage -> (service, unit, a service is assigned, the day it was decided) of its current assignment
    assignments: Mapping[int, tuple[str, str, bool, str | None]]
    unassigned: tuple[str, str, bool, str | None] = ("Sans affectation", "", False, None)
    history: AlertHistory = field(default_factory=AlertHistory)  # assignments, préconisations, imports

    @cached_property
    def bounds(self) -> tuple[tuple[str, str], ...]:
        return tuple((p.bounds[0], min(p.bounds[1], self.horizon)) for p in self.periods)

    @cached_property
    def horizon_date(self) -> date:
        return date.fromisoformat(self.horizon)

    @cached_property
    def alert_rules(self) -> AlertRules:
        return AlertRules(self.alerts, DeadlineClock(self.alerts.echeance_jours), self.history, self.horizon)


def fold_household(
    menage_id: int, territory: Any, rows: Sequence[Sequence[Any]], context: FoldContext, counts: Sequence[PeriodCounts]
) -> str:
    """Add household ``menage_id`` to ``counts`` (one per period); return its territory key.

    ``territory``: a ``Territories`` (its ``of(menage, insee, commune)`` gives the key). Events dated
    after the data date (an audience already fixed) are forecasts: left out of the counts, only the
    alerts' deadlines read them.
    """
    horizon = context.horizon
    rank_of = _RANK.get
    events = [
        (row[DAY], rank_of(row[CODE], 0), row[SID], row[EID], row[CODE], row[VALEUR], row[PRINCIPAL])
        for row in rows
        if row[DAY] <= horizon
    ]
    events.sort()
    signalements: dict[int, Sequence[Any]] = {row[SID]: row for row in rows}  # the same values on each row
    main: dict[int, tuple[str, str]] = {}
    by_principal: set[int] = set()
    started: dict[int, str] = {}
    stage_days: dict[str, list[str]] = {}
    values: dict[str, list[tuple[str, str | None]]] = {}
    debts: list[tuple[str, int]] = []
    for day, rank, sid, _, code, valeur, principal in events:
        if principal and sid not in by_principal:
            main[sid] = (day, code)
            by_principal.add(sid)
            if signalements[sid][DETTE] is not None:
                debts.append((day, signalements[sid][DETTE]))
        elif sid not in main:
            main[sid] = (day, code)
        if rank:
            days = stage_days.get(code)
            if days is None:
                stage_days[code] = [day]
            elif days[-1] != day:
                days.append(day)
            if code == "jugement" or code == "decision_cfp":
                values.setdefault(code, []).append((day, valeur))
        elif code == "debut_suivi":
            started.setdefault(sid, day)
    # the latest signalement (by its main date) that gives a commune, a parc, a rent
    where, parc, rent, suivi_start = None, None, None, None
    where_at = parc_at = rent_at = ("", 0)
    for sid, row in signalements.items():
        at = (main[sid][0], sid) if sid in main else ("", sid)
        if (row[INSEE] or row[COMMUNE]) and at > where_at:
            where, where_at = row, at
        if row[PARC] and at > parc_at:
            parc, parc_at = row[PARC], at
        if row[LOYER] and at > rent_at:
            rent, rent_at = row[LOYER], at
        if row[SOURCE] == "suivi":
            start = started.get(sid) or at[0]
            if start and (suivi_start is None or start < suivi_start):
                suivi_start = start
    key = territory.of(menage_id, where[INSEE] if where else None, where[COMMUNE] if where else None)
    parc = parc or "inconnu"
    service = context.assignments.get(menage_id, context.unassigned)
    facts: Facts | None = None
    for (low, high), acc in zip(context.bounds, counts, strict=True):
        for sid, (day, code) in main.items():
            if low <= day <= high:
                acc.signalements[(signalements[sid][SOURCE], day[:7], code)] += 1
        firsts: dict[str, str] = {}
        for code, days in stage_days.items():
            index = bisect.bisect_left(days, low)
            if index < len(days) and days[index] <= high:
                first = firsts[code] = days[index]
                acc.entries[(code, key)] += 1
                acc.entries_month[(code, first[:7])] += 1
                acc.entries_parc[(code, parc)] += 1
        if not firsts:
            continue
        acc.concerned[key] += 1
        acc.services[(service[0], service[1], parc)] += 1
        _flows(firsts, stage_days, key, acc)
        if "assignation" in firsts:
            acc.known[(key, suivi_start is not None and suivi_start <= firsts["assignation"])] += 1
        _decisions(values, low, high, firsts, key, acc)
        last_debt = next((amount for day, amount in reversed(debts) if low <= day <= high), None)
        if last_debt is not None:
            acc.debt_bands[(debt_band(last_debt), key)] += 1
            acc.debts.setdefault(key, []).append(last_debt)
        if facts is None:
            facts = _facts(menage_id, rows, events, signalements, rent, suivi_start, service, context)
        for alert in alerts_at(facts, high, context.alert_rules):
            acc.alerts[(alert, key)] += 1
    return str(key)


def _flows(firsts: dict[str, str], stage_days: dict[str, list[str]], key: str, acc: PeriodCounts) -> None:
    for index, (start, end) in enumerate(PAIRS):
        entered = firsts.get(start)
        if entered is None:
            continue
        later = stage_days.get(end, ())
        position = bisect.bisect_left(later, entered)
        passed = position < len(later)
        acc.flows[(index, key, passed)] += 1
        if passed:
            acc.delays.setdefault(index, []).append(ordinal(later[position]) - ordinal(entered))


def _decisions(
    values: dict[str, list[tuple[str, str | None]]], low: str, high: str, firsts: dict[str, str], key: str,
    acc: PeriodCounts,
) -> None:  # fmt: skip
    if "jugement" in firsts:
        sens = next(v for d, v in reversed(values["jugement"]) if low <= d <= high)
        acc.jugements[(sens if sens is not None and sens in JUGEMENT_VALUES else "inconnu", key)] += 1
    if "requisition_cfp" in firsts:
        acc.cfp[("demande", key)] += 1
    if "decision_cfp" in firsts:
        last = next(v for d, v in reversed(values["decision_cfp"]) if low <= d <= high)
        acc.cfp[(last if last in ("accorde", "refuse") else "autre_decision", key)] += 1
    if "pv_tentative" in firsts:
        acc.cfp[("tentative", key)] += 1
    if "pv_expulsion" in firsts:
        acc.cfp[("expulsion", key)] += 1


def _facts(
    menage_id: int, rows: Sequence[Sequence[Any]], events: list[Event], signalements: dict[int, Sequence[Any]],
    rent: int | None, suivi_start: str | None, service: tuple[str, str, bool, str | None], context: FoldContext,
) -> Facts:  # fmt: skip
    """What the alerts read of the household (its episodes are cut once, for every period)."""
    horizon = context.horizon
    forecasts: list[Event] = []
    if len(events) < len(rows):
        rank_of = _RANK.get
        forecasts = sorted(
            (row[DAY], rank_of(row[CODE], 0), row[SID], row[EID], row[CODE], row[VALEUR], row[PRINCIPAL])
            for row in rows
            if row[DAY] > horizon
        )
    closed = context.closed.get(menage_id)
    numbers, _ = split_episodes(
        [(as_date(e[0]), e[4], e[5]) for e in (*events, *forecasts)],
        today=context.horizon_date,
        clos_le=closed,
        gap_months=context.alerts.reprise_mois,
    )
    return Facts(menage_id, events, forecasts, numbers, signalements, rent, suivi_start,
                 closed.isoformat() if closed else None, (service[3], service[2]))  # fmt: skip


__all__ = ["CHAIN", "FoldContext", "Period", "PeriodCounts", "fold_household"]
