"""Procedure episodes: a parcours loops (payment plan, then new arrears; a new procedure after a
closed one), so its dated events are cut into episodes, each with the most advanced stage reached.

A procedure event opens a new episode when:

- the previous episode ended (expulsion carried out, claim dismissed or struck out);
- the ménage was closed (``menage.clos_le``) between the previous act and this one;
- an opening act (impayé, signalement CAF, saisine, commandement de payer) comes more than
  ``gap_months`` months after the previous procedural act (the procedure restarts);
- a commandement de payer comes after an assignation or a later stage of the same episode.

Stage order is the procedure order of DOMAIN.md §1 (``EVENT_RANK``); follow-up events (début and
fin de suivi, assignation prévue) are not stages and never open an episode.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from ..normalize.dates import format_date_fr
from ..normalize.vocabulary import EVENT_LABELS, EVENT_RANK
from .datemath import add_months

OPENING_CODES = frozenset({"impaye", "signalement_caf", "saisine", "cdp"})
_ASSIGNATION_RANK = EVENT_RANK["assignation"]
_ENDINGS = {
    ("pv_expulsion", None): "expulsion effective",
    ("jugement", "rejet"): "demande rejetée par le juge",
    ("jugement", "radiation"): "affaire radiée",
}


@dataclass(frozen=True, slots=True)
class Episode:
    """One procedure episode of the parcours."""

    number: int
    start: date
    end: date
    opened_because: str
    closed_because: str | None = None
    stage: str | None = None
    stage_label: str | None = None
    stage_date: date | None = None


@dataclass(slots=True)
class _Open:
    number: int
    start: date
    last: date
    opened_because: str
    top_rank: int = 0
    stage: str | None = None
    stage_date: date | None = None
    closed_because: str | None = None
    closed_on: date | None = None
    seen: set[tuple[str, date]] | None = None

    def freeze(self) -> Episode:
        label = EVENT_LABELS.get(self.stage, self.stage) if self.stage else None
        return Episode(
            self.number,
            self.start,
            self.last,
            self.opened_because,
            self.closed_because,
            self.stage,
            label,
            self.stage_date,
        )


def stage_rank(code: str) -> int:
    """Rank of an event code in the procedure (0: not a procedure stage)."""
    return EVENT_RANK.get(code, 0)


def _ending(code: str, valeur: str | None) -> str | None:
    return _ENDINGS.get((code, None)) or _ENDINGS.get((code, valeur))


def _reason_for_new(current: _Open | None, code: str, day: date, clos_le: date | None, gap_months: int) -> str | None:
    """Why the event (``code`` on ``day``) opens a new episode, or None when it continues the current one."""
    if current is None:
        return "premier épisode"
    if current.seen is not None and (code, day) in current.seen:
        return None  # the same act reported twice
    if current.closed_on is not None and day > current.closed_on:
        return f"reprise après la fin de l'épisode précédent ({current.closed_because})"
    if clos_le is not None and current.last <= clos_le < day:
        return f"reprise après la clôture du ménage le {format_date_fr(clos_le)}"
    if code in OPENING_CODES and add_months(current.last, gap_months) < day:
        return f"reprise après plus de {gap_months} mois sans acte de procédure"
    if code == "cdp" and current.top_rank >= _ASSIGNATION_RANK:
        return "nouveau commandement de payer après une assignation"
    return None


def split_episodes(
    events: Sequence[tuple[date, str, str | None]], *, today: date, clos_le: date | None, gap_months: int
) -> tuple[list[int], list[Episode]]:
    """Episode number of each event (0 before the first procedure act) and the episodes.

    ``events`` are (date, code, valeur) in timeline order (date, then procedure rank).
    """
    numbers: list[int] = []
    episodes: list[_Open] = []
    current: _Open | None = None
    for day, code, valeur in events:
        rank = EVENT_RANK.get(code, 0)
        if rank == 0:
            numbers.append(current.number if current else 0)
            continue
        reason = _reason_for_new(current, code, day, clos_le, gap_months)
        if reason is not None:
            current = _Open(len(episodes) + 1, day, day, reason, seen=set())
            episodes.append(current)
        assert current is not None and current.seen is not None
        current.seen.add((code, day))
        current.last = max(current.last, day)
        numbers.append(current.number)
        if day <= today and (rank > current.top_rank or (rank == current.top_rank and current.stage == code)):
            current.top_rank, current.stage, current.stage_date = rank, code, day
        ending = _ending(code, valeur)
        if ending is not None and day <= today and current.closed_on is None:
            current.closed_because, current.closed_on = ending, day
    return numbers, [episode.freeze() for episode in episodes]
