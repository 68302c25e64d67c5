"""« Échéance légale proche » as it stood on a given day: the rules of ``parcours.deadlines`` (the
deadline rules of ``delais.toml``) and of ``parcours.alerts._deadline_soon``, on the diagnostic's rows.

On day ``d``, the events known are those dated by ``d`` and those dated later (an audience already
fixed) whose file was imported by ``d``; the acts that make a deadline moot count once they are dated
by ``d``. A deadline of the current episode still ahead on ``d`` (not before it) and not made moot
raises the alert when it falls within ``[alertes] echeance_jours`` days of ``d``, both days included
(``exploc menages afficher``'s rule, with ``d`` for today).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from itertools import chain
from typing import Any

from ..parcours.datemath import shift
from ..parcours.rules import DeadlineRule, DeadlineRules, load_deadline_rules
from .stream import (
    BAILLEUR,
    DATE_BAIL,
    E_CODE,
    E_DAY,
    E_PRINCIPAL,
    E_SID,
    E_VALEUR,
    PARC,
    SOURCE,
    TYPE_BAILLEUR,
    Event,
    Facts,
)

# the signalement column a condition of ``si`` reads (``valeur`` is the event's)
_FIELDS = {"date_bail": DATE_BAIL, "parc": PARC, "type_bailleur": TYPE_BAILLEUR, "source": SOURCE}
# a household's value is taken from the latest signalement giving the group's first field
# (``parcours.household.FIELD_GROUPS``: the landlord's type goes with the landlord)
_GROUP_HEAD = {"type_bailleur": BAILLEUR}

Known = Callable[[Event], bool]


class DeadlineClock:
    """The deadline rules, grouped as ``parcours.deadlines`` applies them, with each deadline's day
    cached by rule and triggering day (a forked worker keeps its own cache)."""

    def __init__(self, window_days: int, rules: DeadlineRules | None = None) -> None:
        self.rules = rules or load_deadline_rules()
        self.window = window_days
        grouped: dict[str, dict[str, list[DeadlineRule]]] = {}
        for rule in self.rules.regle:  # file order: in a group, the first rule that applies wins
            grouped.setdefault(rule.evenement, {}).setdefault(rule.groupe or rule.code, []).append(rule)
        self.groups = {code: tuple((g, tuple(r)) for g, r in groups.items()) for code, groups in grouped.items()}
        self._days: dict[tuple[str, str], str] = {}

    def day(self, rule: DeadlineRule, trigger: str) -> str:
        """The deadline's day for an event on ``trigger`` (delay, then the trêve's postponement)."""
        key = (rule.code, trigger)
        found = self._days.get(key)
        if found is None:
            delay = rule.delai
            day = shift(date.fromisoformat(trigger), days=delay.jours, weeks=delay.semaines, months=delay.mois,
                        backwards=rule.sens == "avant")  # fmt: skip
            period = self.rules.winter_break_on(day) if rule.treve == "reporter" else None
            if period is not None:
                day = period.end_of(day) + timedelta(days=1)
            found = self._days[key] = day.isoformat()
        return found

    def due_soon(self, facts: Facts, current: int, high: str, known: Known) -> bool:
        """Whether a deadline of episode ``current``, pending on day ``high``, falls within the window."""
        last = (date.fromisoformat(high) + timedelta(days=self.window)).isoformat()
        seen: set[tuple[str, str]] = set()
        household: _Household | None = None
        for event, number in zip(chain(facts.events, facts.forecasts), facts.numbers, strict=True):
            groups = self.groups.get(event[E_CODE])
            if groups is None or number != current or not known(event):
                continue
            trigger = event[E_DAY]
            when = date.fromisoformat(trigger)
            for group, rules in groups:
                if (group, trigger) in seen:
                    continue
                valid = [(rule, self.day(rule, trigger)) for rule in rules if rule.valid_on(when)]
                if not any(high <= day <= last for _, day in valid):
                    seen.add((group, trigger))  # whichever rule applies, its deadline is outside the window
                    continue
                for rule, day in valid:
                    if household is None:
                        household = _Household(facts, high, known)
                    if not _conditions_hold(rule, event, facts, household):
                        continue
                    seen.add((group, trigger))
                    if high <= day <= last and not _lifted(rule, event, number, day, facts, high):
                        return True
                    break
        return False


class _Household:
    """The household's latest known value of a field on day ``high``, read only when a triggering
    signalement does not give it (``parcours.deadlines._field_value``)."""

    def __init__(self, facts: Facts, high: str, known: Known) -> None:
        dated: dict[int, str] = {}
        main: set[int] = set()
        for event in chain(facts.events, facts.forecasts):  # a signalement's date: its main event's, else its first
            sid = event[E_SID]
            if event[E_PRINCIPAL] and sid not in main:
                dated[sid] = event[E_DAY]
                main.add(sid)
            elif sid not in main and (sid not in dated or event[E_DAY] < dated[sid]):
                dated[sid] = event[E_DAY]
        first = {event[E_SID]: event for event in chain(reversed(facts.forecasts), reversed(facts.events))}
        self.latest_first = [
            facts.signalements[sid]
            for sid in sorted(facts.signalements, key=lambda s: (dated.get(s, ""), s), reverse=True)
            if sid in first and known(first[sid])
        ]

    def value(self, name: str) -> Any:
        column = _FIELDS[name]
        head = _GROUP_HEAD.get(name, column)
        row = next((row for row in self.latest_first if row[head]), None)
        return row[column] if row is not None else None


def _value(name: str, event: Event, facts: Facts, household: _Household) -> Any:
    if name == "valeur":
        return event[E_VALEUR]
    row = facts.signalements[event[E_SID]]
    value = row[_FIELDS[name]] if name == "source" else row[_FIELDS[name]] or household.value(name)
    if name == "date_bail" and value is not None:
        return date.fromisoformat(value)
    return value


def _conditions_hold(rule: DeadlineRule, event: Event, facts: Facts, household: _Household) -> bool:
    for name, condition in rule.si.items():
        value = _value(name, event, facts, household)
        if value is None:
            if rule.si_inconnu != "appliquer":
                return False
        elif not condition.holds(value):
            return False
    return True


def _lifted(rule: DeadlineRule, trigger: Event, number: int, day: str, facts: Facts, high: str) -> bool:
    """An act of the same episode, dated by ``high`` between the trigger and the deadline, makes it moot."""
    if not rule.levee_par:
        return False
    low, top = min(trigger[E_DAY], day), max(trigger[E_DAY], day)
    for event, episode in zip(facts.events, facts.numbers, strict=False):  # forecasts have not happened
        if episode != number or event[E_DAY] > high or not low <= event[E_DAY] <= top:
            continue
        for lifting in rule.levee_par:
            if lifting.evenement == event[E_CODE] and (
                lifting.valeur is None or (event[E_VALEUR] is not None and lifting.valeur.holds(event[E_VALEUR]))
            ):
                return True
    return False
