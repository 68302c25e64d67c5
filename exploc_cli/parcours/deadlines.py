"""Legal deadlines (échéances) of a parcours, computed from its events and the rules of ``delais.toml``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from ..normalize.dates import format_date_fr
from .datemath import shift
from .rules import DeadlineRule, DeadlineRules, Lifting, load_deadline_rules
from .timeline import Timeline, TimelineEvent


@dataclass(slots=True)
class Echeance:
    """A computed deadline: its date, what it means, its legal basis and the event it comes from.

    Not frozen, for speed (see ``records``): treat as read-only.
    """

    code: str
    label: str
    date: date
    reference: str
    trigger_code: str
    trigger_label: str
    trigger_date: dt.date
    signalement_id: int
    episode: int
    passed: bool
    lifted: bool = False
    postponed_from: dt.date | None = None
    assumed: bool = False
    notes: tuple[str, ...] = ()

    @property
    def note(self) -> str | None:
        """Every remark on this deadline (assumption, trêve, moot), in one French sentence or more."""
        return " ".join(self.notes) if self.notes else None

    @property
    def pending(self) -> bool:
        """Still ahead and not made moot by a later event."""
        return not self.passed and not self.lifted


def deadlines(timeline: Timeline, today: date, rules: DeadlineRules | None = None) -> list[Echeance]:
    """Every deadline the timeline's events trigger, by date (one per rule group and triggering date)."""
    rules = rules or load_deadline_rules()
    by_trigger = rules.by_trigger
    found: dict[tuple[str, date], Echeance] = {}
    for event in timeline.events:
        for rule in by_trigger.get(event.code, ()):
            key = (rule.groupe or rule.code, event.date)
            if key in found or not rule.valid_on(event.date):
                continue
            applies, assumed = _conditions_hold(rule, event, timeline)
            if applies:
                found[key] = _echeance(rule, event, timeline, today, rules, assumed=assumed)
    return sorted(found.values(), key=lambda e: (e.date, e.code, e.trigger_date))


def next_deadline(echeances: Sequence[Echeance], episode: int | None = None) -> Echeance | None:
    """The earliest pending deadline (of ``episode`` when given)."""
    pending = [e for e in echeances if e.pending and (episode is None or e.episode == episode)]
    return min(pending, key=lambda e: (e.date, e.code)) if pending else None


def _field_value(name: str, event: TimelineEvent, timeline: Timeline) -> date | str | None:
    """The value a condition tests: the triggering row's, else the household's latest known one."""
    if name == "valeur":
        return event.value
    if name == "source":
        return event.source
    signalement = timeline.signalements.get(event.signalement_id)
    value: date | str | None = getattr(signalement, name, None) if signalement else None
    if value is None:
        value = getattr(timeline.household, name, None)
    return value


def _conditions_hold(rule: DeadlineRule, event: TimelineEvent, timeline: Timeline) -> tuple[bool, bool]:
    """(the rule applies, it applies only because a tested field is unknown)."""
    assumed = False
    for name, condition in rule.si.items():
        value = _field_value(name, event, timeline)
        if value is None:
            if rule.si_inconnu != "appliquer":
                return False, False
            assumed = True
        elif not condition.holds(value):
            return False, False
    return True, assumed


def _echeance(
    rule: DeadlineRule, event: TimelineEvent, timeline: Timeline, today: date, rules: DeadlineRules, *, assumed: bool
) -> Echeance:
    delay = rule.delai
    day = shift(event.date, days=delay.jours, weeks=delay.semaines, months=delay.mois, backwards=rule.sens == "avant")
    notes: list[str] = []
    if assumed and rule.note_si_inconnu:
        notes.append(rule.note_si_inconnu)
    postponed_from = None
    period = rules.winter_break_on(day) if rule.treve == "reporter" else None
    if period is not None:
        postponed_from, day = day, period.end_of(day) + timedelta(days=1)
        notes.append(
            f"L'échéance du {format_date_fr(postponed_from)} tombe pendant la {period.libelle.lower()} "
            f"({period.period_label}) : reportée au {format_date_fr(day)} ({period.reference})."
        )
    lifting = _lifting_event(rule.levee_par, event, day, timeline)
    if lifting is not None:
        notes.append(f"Sans objet : {lifting.label.lower()} le {format_date_fr(lifting.date)}.")
    if rule.note:
        notes.append(rule.note)
    return Echeance(
        code=rule.code,
        label=rule.libelle,
        date=day,
        reference=rule.reference,
        trigger_code=event.code,
        trigger_label=event.label,
        trigger_date=event.date,
        signalement_id=event.signalement_id,
        episode=event.episode,
        passed=day < today,
        lifted=lifting is not None,
        postponed_from=postponed_from,
        assumed=assumed,
        notes=tuple(notes),
    )


def _lifting_event(
    liftings: Sequence[Lifting], trigger: TimelineEvent, day: date, timeline: Timeline
) -> TimelineEvent | None:
    """The first event of the same episode, between the trigger and the deadline, that makes it moot."""
    if not liftings:
        return None
    low, high = min(trigger.date, day), max(trigger.date, day)
    for event in timeline.events:
        if event.episode != trigger.episode or event.future or not low <= event.date <= high:
            continue
        for lifting in liftings:
            if lifting.evenement != event.code:
                continue
            if lifting.valeur is None or (event.value is not None and lifting.valeur.holds(event.value)):
                return event
    return None
