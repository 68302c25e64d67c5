"""Until when a ménage's summary computed on a given day stays the same, if nothing is imported.

A summary depends on the day only through comparisons of « today » with dates of the ménage's
own data: an event or a debt dated ahead does not count yet (``date <= today``), a deadline has
passed (``date < today``), a deadline is near (``0 <= date - today <= N days``), an episode has
started. Each such comparison can only change on one of these dates (or the day after a
deadline, or N days before it), so the summary computed on ``today`` is the one of every day
before the first of them still ahead. ``tests/unit/test_summary_cache.py`` checks it day by day.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, timedelta

from .deadlines import Echeance
from .timeline import Timeline

_DAY = timedelta(days=1)


def valid_until(timeline: Timeline, echeances: Sequence[Echeance], today: date, near_days: int) -> date | None:
    """The first day after ``today`` whose summary may differ (None: no date ahead changes it)."""
    ahead = [day for day in _thresholds(timeline, echeances, near_days) if day is not None and day > today]
    return min(ahead) if ahead else None


def _thresholds(timeline: Timeline, echeances: Sequence[Echeance], near_days: int) -> Iterable[date | None]:
    yield timeline.clos_le
    yield timeline.reopened_on
    yield from (event.date for event in timeline.events)
    yield from (point.date for point in timeline.debts)
    for episode in timeline.episodes:
        yield episode.start
        yield episode.end
        yield episode.stage_date
    for follow_up in timeline.follow_ups:
        yield follow_up.start
        yield follow_up.end
    near = timedelta(days=near_days)
    for echeance in echeances:
        yield echeance.date - near  # « échéance proche » from this day
        yield echeance.date
        yield echeance.date + _DAY  # passed from this day
        yield echeance.postponed_from
