"""The signaux d'alerte of one household as they stood on a given day: the rules of ``parcours.alerts``
(``exploc menages afficher``) evaluated on the diagnostic's rows, with that day for today.

What the base keeps of the past is used as it stood that day: the events dated by then (and the
audiences already fixed, from the files imported by then), the closure and reopening, the
assignment in force (``history.AlertHistory``) and the préconisations still to do.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from ..config import AlertSettings
from ..normalize.vocabulary import EVENT_RANK
from ..parcours.alerts import UNKNOWN_SOCIAL_STAGES
from .deadlines_at import DeadlineClock, Known
from .history import AlertHistory
from .stream import DETTE, E_CODE, E_DAY, E_PRINCIPAL, E_RANK, E_SID, E_VALEUR, LOT, LOYER, Event, Facts

_CFP_CODES = ("requisition_cfp", "decision_cfp")
_REPORT_MAX_RANK = EVENT_RANK["cql"]
_PROCEDURE_MIN_RANK = EVENT_RANK["saisine"]
_ENDING_DECISIONS = frozenset({"rejet", "radiation"})


@dataclass(frozen=True)
class AlertRules:
    """What the alerts need besides the household: thresholds, deadline rules, the base's past."""

    settings: AlertSettings
    clock: DeadlineClock
    history: AlertHistory
    horizon: str  # the data date


def alerts_at(facts: Facts, high: str, rules: AlertRules) -> list[str]:
    """The codes of the household's alerts on day ``high``, in the order of ``parcours.alerts``."""
    closed = facts.closed
    reopened = closed is not None and _reopened(facts.events, closed, high)
    if closed is not None and closed <= high and not reopened:
        return []  # closed by then, and not reported again since
    events, numbers = facts.events, facts.numbers
    current = 0
    top: dict[int, int] = {}
    stage: dict[int, str] = {}
    ended: set[int] = set()
    count = 0
    for event, number in zip(events, numbers, strict=False):
        day, rank, code = event[E_DAY], event[E_RANK], event[E_CODE]
        if day > high:
            break
        count += 1
        if rank:
            current = number
            if rank >= top.get(number, 0):
                top[number], stage[number] = rank, code
            if code == "pv_expulsion" or (code == "jugement" and event[E_VALEUR] in _ENDING_DECISIONS):
                ended.add(number)
    found: list[str] = []
    if current and current not in ended:
        known = events[:count]
        followed = (facts.suivi_start is not None and facts.suivi_start <= high) or rules.history.assigned_on(
            facts.menage, high, facts.assignment
        )
        if stage[current] in UNKNOWN_SOCIAL_STAGES and not followed:
            found.append("inconnu_social")
        found.extend(_debt_alerts(facts, known, numbers, current, rules.settings))
        if _cfp_without_report(known, numbers, current):
            found.append("cfp_sans_signalement")
        if rules.clock.due_soon(facts, current, high, _known_on(facts, high, rules)):
            found.append("echeance_proche")
        since = rules.history.open_since(facts.menage, high)
        if since is not None and any(event[E_RANK] and event[E_DAY] > since for event in known):
            found.append("acte_apres_preconisation")
    if current >= 2 and any(top.get(n, 0) >= _PROCEDURE_MIN_RANK for n in range(1, current)):
        found.append("recidive")
    if reopened:
        found.append("rouvert")
    return found


def _debt_alerts(
    facts: Facts, known: Sequence[Event], numbers: Sequence[int], current: int, settings: AlertSettings
) -> list[str]:
    signalements = facts.signalements
    own = [
        (event[E_DAY], signalements[event[E_SID]][DETTE], signalements[event[E_SID]][LOYER])
        for event, number in zip(known, numbers, strict=False)
        if number == current and event[E_PRINCIPAL] and signalements[event[E_SID]][DETTE] is not None
    ]
    if not own:
        return []
    found = []
    _, last, loyer = own[-1]
    monthly = loyer or facts.rent
    if last > settings.dette_montant * 100 or (monthly and last / monthly > settings.dette_mois_loyer):
        found.append("dette_elevee")
    by_day = {day: amount for day, amount, _ in own}
    if len(by_day) >= 2:
        before, after = list(by_day.values())[-2:]
        if after - before > 0 and after - before >= settings.hausse_dette_min * 100:
            found.append("dette_hausse")
    return found


def _cfp_without_report(known: Sequence[Event], numbers: Sequence[int], current: int) -> bool:
    mine = (event for event, number in zip(known, numbers, strict=False) if number == current)
    cfp = next((event for event in mine if event[E_CODE] in _CFP_CODES), None)
    return cfp is not None and not any(
        0 < event[E_RANK] <= _REPORT_MAX_RANK and event[E_DAY] <= cfp[E_DAY] for event in known
    )


def _known_on(facts: Facts, high: str, rules: AlertRules) -> Known:
    """Whether an event was known on day ``high``: dated by then, or in a file imported by then."""
    if high >= rules.horizon:
        return lambda event: True
    lots = rules.history.lots
    signalements = facts.signalements

    def known(event: Event) -> bool:
        return event[E_DAY] <= high or lots.get(signalements[event[E_SID]][LOT], "9999") <= high

    return known


def _reopened(events: Sequence[Event], closed: str, high: str) -> bool:
    """Closed by day ``high`` and reported again after its closure (``parcours.alerts``' « rouvert »):
    a signalement's main event dated after the closure, by day ``high``."""
    return closed <= high and any(event[E_PRINCIPAL] and closed < event[E_DAY] <= high for event in events)
