"""A ménage's timeline: its dated events, debt history, episodes, current stage and summary.

Built from plain records (``records``), with no database access, so that ``load_parcours`` (one
ménage) and ``summarise_all`` (every ménage, streamed) share it.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType

from ..normalize.vocabulary import EVENT_LABELS, EVENT_RANK
from .episodes import Episode, split_episodes
from .household import AddressSpan, Household, SocialFollowUp, address_spans, follow_ups, summarise_household
from .records import EventRecord, MenageRecord, SignalementRecord

__all__ = [
    "AddressSpan",
    "DebtPoint",
    "Episode",
    "Household",
    "SocialFollowUp",
    "Timeline",
    "TimelineEvent",
    "VALUE_LABELS",
    "build_timeline",
]

VALUE_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "resiliation": "résiliation du bail",
        "delais": "délais de paiement",
        "rejet": "demande rejetée",
        "radiation": "radiation",
        "renvoi": "renvoi",
        "accorde": "concours accordé",
        "refuse": "concours refusé",
        "en_cours": "en cours d'instruction",
        "sursis_treve": "sursis (trêve hivernale)",
    }
)


@dataclass(slots=True)
class TimelineEvent:
    """One dated fact of the parcours. Amounts (centimes) are those of the signalement's main event.

    Not frozen, for speed (see ``records``): treat as read-only.
    """

    date: date
    code: str
    label: str
    stage: str | None
    stage_label: str | None
    source: str
    signalement_id: int
    principal: bool
    value: str | None
    value_label: str | None
    dette: int | None
    loyer: int | None
    episode: int
    future: bool


@dataclass(slots=True)
class DebtPoint:
    """The debt a signalement reported at the date of its main event (centimes). Read-only."""

    date: date
    dette: int
    source: str
    signalement_id: int
    loyer: int | None
    episode: int


@dataclass(frozen=True, slots=True)
class Timeline:
    """Everything dated about one ménage, in order."""

    menage_id: int
    today: date
    statut: str
    clos_le: date | None
    events: tuple[TimelineEvent, ...]
    debts: tuple[DebtPoint, ...]
    episodes: tuple[Episode, ...]
    household: Household
    addresses: tuple[AddressSpan, ...]
    follow_ups: tuple[SocialFollowUp, ...]
    signalements: Mapping[int, SignalementRecord]
    signalement_dates: Mapping[int, date]
    reopened_on: date | None

    @property
    def reopened(self) -> bool:
        """A closed ménage that a later signalement (dated after ``clos_le``) reopens."""
        return self.reopened_on is not None

    @property
    def current_episode(self) -> Episode | None:
        return self.episodes[-1] if self.episodes else None

    @property
    def current_stage(self) -> str | None:
        """Most advanced stage reached (date not after ``today``) in the current episode."""
        episode = self.current_episode
        return episode.stage if episode else None

    @property
    def current_stage_label(self) -> str | None:
        episode = self.current_episode
        return episode.stage_label if episode else None

    @property
    def known_to_social_services(self) -> bool:
        """At least one signalement of the ``suivi`` source (a social service follows or followed it)."""
        return bool(self.follow_ups)

    @property
    def last_event_date(self) -> date | None:
        """Date of the last event that has happened (not after ``today``)."""
        past = [event.date for event in self.events if not event.future]
        return max(past) if past else None

    @property
    def last_debt(self) -> DebtPoint | None:
        return self.debts[-1] if self.debts else None

    @property
    def known_debt(self) -> DebtPoint | None:
        """The last debt reported on or before ``today`` (a report dated ahead does not count yet)."""
        return next((p for p in reversed(self.debts) if p.date <= self.today), None)

    def debts_of_episode(self, number: int) -> tuple[DebtPoint, ...]:
        return tuple(point for point in self.debts if point.episode == number)

    def events_of_episode(self, number: int) -> tuple[TimelineEvent, ...]:
        return tuple(event for event in self.events if event.episode == number)


def _main_dates(events: Iterable[EventRecord]) -> dict[int, date]:
    """Date of each signalement: its main event's, else its earliest event's."""
    dates: dict[int, date] = {}
    main: set[int] = set()
    for event in events:
        known = dates.get(event.signalement_id)
        if event.principal and event.signalement_id not in main:
            dates[event.signalement_id] = event.date
            main.add(event.signalement_id)
        elif event.signalement_id not in main and (known is None or event.date < known):
            dates[event.signalement_id] = event.date
    return dates


def build_timeline(
    menage: MenageRecord,
    signalements: Sequence[SignalementRecord],
    events: Sequence[EventRecord],
    *,
    today: date,
    episode_gap_months: int,
    detailed: bool = True,
    available: frozenset[str] | None = None,
) -> Timeline:
    """The timeline of ``menage`` from its signalements and their events (any order).

    ``detailed=False`` leaves out the address history, which the one-line summaries do not show;
    ``available`` names the only signalement fields that were read (see ``summarise_household``).
    """
    by_id = {s.id: s for s in signalements}
    ordered = sorted(
        (e for e in events if e.signalement_id in by_id),
        key=lambda e: (e.date, EVENT_RANK.get(e.code, 0), e.signalement_id, e.id),
    )
    numbers, episodes = split_episodes(
        [(e.date, e.code, e.valeur) for e in ordered],
        today=today,
        clos_le=menage.clos_le,
        gap_months=episode_gap_months,
    )
    timeline_events = tuple(
        _timeline_event(e, by_id[e.signalement_id], n, today) for e, n in zip(ordered, numbers, strict=True)
    )
    dated = _main_dates(ordered)
    debts = _debts(timeline_events)
    chronological = sorted(signalements, key=lambda s: (dated.get(s.id, date.min), s.id))
    household = summarise_household(chronological, available=available)
    addresses = address_spans(chronological, dated) if detailed else ()
    reopened_on = None
    if menage.clos_le is not None:
        later = [day for day in dated.values() if day > menage.clos_le]
        reopened_on = min(later) if later else None
    return Timeline(
        menage_id=menage.id,
        today=today,
        statut=menage.statut,
        clos_le=menage.clos_le,
        events=timeline_events,
        debts=debts,
        episodes=tuple(episodes),
        household=household,
        addresses=addresses,
        follow_ups=follow_ups(signalements, ordered),
        signalements=MappingProxyType(by_id),
        signalement_dates=MappingProxyType(dated),
        reopened_on=reopened_on,
    )


def _timeline_event(event: EventRecord, signalement: SignalementRecord, episode: int, today: date) -> TimelineEvent:
    rank = EVENT_RANK.get(event.code, 0)
    label = EVENT_LABELS.get(event.code, event.code)
    value_label = VALUE_LABELS.get(event.valeur, event.valeur) if event.valeur else None
    return TimelineEvent(
        date=event.date,
        code=event.code,
        label=label,
        stage=event.code if rank else None,
        stage_label=label if rank else None,
        source=signalement.source,
        signalement_id=signalement.id,
        principal=event.principal,
        value=event.valeur,
        value_label=value_label,
        dette=signalement.dette if event.principal else None,
        loyer=signalement.rent if event.principal else None,
        episode=episode,
        future=event.date > today,
    )


def _debts(events: Sequence[TimelineEvent]) -> tuple[DebtPoint, ...]:
    """The debt each signalement reported, in date order (one point per signalement)."""
    points = [
        DebtPoint(e.date, e.dette, e.source, e.signalement_id, e.loyer, e.episode)
        for e in events
        if e.principal and e.dette is not None
    ]
    return tuple(points)
