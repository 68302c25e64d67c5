"""Signaux d'alerte of a parcours, each with the evidence (dates, amounts) that raised it.

Thresholds come from the ``[alertes]`` section of the configuration. Stages are event codes in
procedure order (DOMAIN.md §1); the alert on households unknown to social services follows seed 003
(households still unknown at the CQL stage) and DOMAIN.md §4.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

from ..config import AlertSettings
from ..normalize.amounts import format_centimes_fr
from ..normalize.dates import format_date_fr
from .deadlines import Echeance, next_deadline
from .episodes import stage_rank
from .recommendations import OpenRecommendations
from .timeline import DebtPoint, Timeline

# Stages at which a household nobody follows must be flagged: CQL, then the CFP request and
# decision, and a failed expulsion attempt (the expulsion itself ends the episode).
UNKNOWN_SOCIAL_STAGES = frozenset({"cql", "requisition_cfp", "decision_cfp", "pv_tentative"})
_CFP_CODES = ("requisition_cfp", "decision_cfp")
_REPORT_MAX_RANK = stage_rank("cql")  # a "report" before the CFP: impayé to CQL
_PROCEDURE_MIN_RANK = stage_rank("saisine")  # an "earlier procedure": saisine, CDP or later

Detail = date | int | float | str | None

ALERT_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "inconnu_social": "Ménage inconnu des services sociaux au stade du CQL ou du concours de la force publique",
        "dette_elevee": "Dette élevée",
        "dette_hausse": "Dette en hausse",
        "cfp_sans_signalement": "Demande de concours de la force publique sans signalement antérieur",
        "echeance_proche": "Échéance légale proche",
        "recidive": "Nouvel impayé après une procédure antérieure",
        "rouvert": "Ménage clos à nouveau signalé",
        "acte_apres_preconisation": "Nouvel acte de procédure malgré des préconisations en cours",
    }
)


@dataclass(frozen=True, slots=True)
class Alert:
    """One signal d'alerte: a short ASCII code, its French label, and the evidence."""

    code: str
    label: str
    evidence: str
    details: Mapping[str, Detail] = field(default_factory=dict)


def euros(centimes: int) -> str:
    """« 1 234,56 € » (no-break spaces)."""
    return f"{format_centimes_fr(centimes)}\u00a0€"


def _alert(code: str, evidence: str, **details: Detail) -> Alert:
    return Alert(code, ALERT_LABELS[code], evidence, MappingProxyType(details))


def compute_alerts(
    timeline: Timeline,
    echeances: Sequence[Echeance],
    settings: AlertSettings,
    *,
    assigned: bool = False,
    recommendations: OpenRecommendations | None = None,
) -> list[Alert]:
    """Every alert the parcours raises, in a fixed order (``assigned``: a social service was assigned;
    ``recommendations``: the commission's préconisations still to do).

    A closed ménage that nothing reopened raises none; when the current episode has ended
    (expulsion, claim dismissed), only the alerts about the parcours as a whole remain.
    """
    if timeline.statut == "clos" and not timeline.reopened:
        return []
    checks: list[Callable[[], Alert | None]] = [lambda: _relapse(timeline), lambda: _reopened(timeline)]
    episode = timeline.current_episode
    if episode is None or episode.closed_because is None:
        checks[:0] = [
            lambda: _unknown_to_social_services(timeline, assigned),
            lambda: _high_debt(timeline, settings),
            lambda: _rising_debt(timeline, settings),
            lambda: _cfp_without_report(timeline),
            lambda: _deadline_soon(timeline, echeances, settings),
            lambda: _act_after_recommendations(timeline, recommendations),
        ]
    return [alert for check in checks if (alert := check()) is not None]


def _unknown_to_social_services(timeline: Timeline, assigned: bool) -> Alert | None:
    episode = timeline.current_episode
    if episode is None or episode.stage not in UNKNOWN_SOCIAL_STAGES or episode.stage_date is None:
        return None
    if timeline.known_to_social_services or assigned:
        return None
    return _alert(
        "inconnu_social",
        f"Étape atteinte : {(episode.stage_label or '').lower()} le {format_date_fr(episode.stage_date)} ; "
        "aucun suivi social connu (source « suivi ») ni service affecté.",
        etape=episode.stage,
        date=episode.stage_date,
    )


def _current_debts(timeline: Timeline) -> tuple[DebtPoint, ...]:
    episode = timeline.current_episode
    return timeline.debts_of_episode(episode.number) if episode else timeline.debts


def _high_debt(timeline: Timeline, settings: AlertSettings) -> Alert | None:
    debts = [point for point in _current_debts(timeline) if point.date <= timeline.today]
    if not debts:
        return None
    last = debts[-1]
    rent = last.loyer or timeline.household.rent
    months = last.dette / rent if rent else None
    over_amount = last.dette > settings.dette_montant * 100
    over_months = months is not None and months > settings.dette_mois_loyer
    if not (over_amount or over_months):
        return None
    if months is not None and rent is not None:
        rent_text = f"soit {months:.1f}".replace(".", ",") + f" mois de loyer (loyer {euros(rent)})"
    else:
        rent_text = "loyer inconnu"
    evidence = (
        f"Dette de {euros(last.dette)} au {format_date_fr(last.date)} ({last.source}), {rent_text} ; "
        f"seuils : {settings.dette_mois_loyer:g} mois de loyer ou {euros(settings.dette_montant * 100)}."
    )
    return _alert(
        "dette_elevee",
        evidence,
        dette=last.dette,
        date=last.date,
        source=last.source,
        loyer=rent,
        mois_de_loyer=round(months, 2) if months is not None else None,
    )


def _rising_debt(timeline: Timeline, settings: AlertSettings) -> Alert | None:
    by_day: dict[date, DebtPoint] = {}
    for point in _current_debts(timeline):
        if point.date <= timeline.today:
            by_day[point.date] = point  # the last report of a day stands for it
    if len(by_day) < 2:
        return None
    before, after = list(by_day.values())[-2:]
    rise = after.dette - before.dette
    if rise <= 0 or rise < settings.hausse_dette_min * 100:
        return None
    evidence = (
        f"Dette passée de {euros(before.dette)} le {format_date_fr(before.date)} ({before.source}) "
        f"à {euros(after.dette)} le {format_date_fr(after.date)} ({after.source}) : +{euros(rise)}."
    )
    return _alert(
        "dette_hausse",
        evidence,
        dette_avant=before.dette,
        date_avant=before.date,
        dette_apres=after.dette,
        date_apres=after.date,
        hausse=rise,
    )


def _cfp_without_report(timeline: Timeline) -> Alert | None:
    episode = timeline.current_episode
    if episode is None:
        return None
    cfp = next((e for e in timeline.events_of_episode(episode.number) if e.code in _CFP_CODES and not e.future), None)
    if cfp is None:
        return None
    # Any earlier report counts, even in an earlier episode: the alert is about a household the
    # CCAPEX first hears of through the préfecture.
    if any(0 < stage_rank(e.code) <= _REPORT_MAX_RANK and e.date <= cfp.date for e in timeline.events):
        return None
    return _alert(
        "cfp_sans_signalement",
        f"{cfp.label} le {format_date_fr(cfp.date)} ({cfp.source}) sans impayé, saisine, commandement, "
        "assignation, jugement ni CQL connu auparavant.",
        date=cfp.date,
        source=cfp.source,
    )


def _deadline_soon(timeline: Timeline, echeances: Sequence[Echeance], settings: AlertSettings) -> Alert | None:
    episode = timeline.current_episode
    upcoming = next_deadline(echeances, episode.number if episode else None)
    if upcoming is None:
        return None
    days = (upcoming.date - timeline.today).days
    if not 0 <= days <= settings.echeance_jours:
        return None
    when = "aujourd'hui" if days == 0 else "demain" if days == 1 else f"dans {days} jours"
    evidence = f"{upcoming.label} : le {format_date_fr(upcoming.date)}, {when} ({upcoming.reference})."
    if upcoming.assumed and upcoming.notes:
        evidence += f" {upcoming.notes[0]}"
    return _alert(
        "echeance_proche",
        evidence,
        echeance=upcoming.code,
        date=upcoming.date,
        jours=days,
        hypothese=upcoming.assumed,
    )


def _relapse(timeline: Timeline) -> Alert | None:
    if len(timeline.episodes) < 2:
        return None
    current = timeline.episodes[-1]
    if current.start > timeline.today:
        return None
    earlier = [e for e in timeline.episodes[:-1] if e.stage and stage_rank(e.stage) >= _PROCEDURE_MIN_RANK]
    if not earlier:
        return None
    previous = earlier[-1]
    ended = f", {previous.closed_because}" if previous.closed_because else ""
    evidence = (
        f"Épisode précédent du {format_date_fr(previous.start)} au {format_date_fr(previous.end)} "
        f"(étape atteinte : {(previous.stage_label or '').lower()}{ended}) ; nouvel épisode depuis le "
        f"{format_date_fr(current.start)} ({current.opened_because})."
    )
    return _alert(
        "recidive",
        evidence,
        episode_precedent=previous.number,
        fin_precedent=previous.end,
        debut_nouvel_episode=current.start,
    )


def _reopened(timeline: Timeline) -> Alert | None:
    if timeline.reopened_on is None or timeline.clos_le is None:
        return None
    return _alert(
        "rouvert",
        f"Ménage clos le {format_date_fr(timeline.clos_le)} ; nouveau signalement le "
        f"{format_date_fr(timeline.reopened_on)}.",
        clos_le=timeline.clos_le,
        signale_le=timeline.reopened_on,
    )


def _act_after_recommendations(timeline: Timeline, recommendations: OpenRecommendations | None) -> Alert | None:
    if recommendations is None:
        return None
    acts = [e for e in timeline.events if not e.future and stage_rank(e.code) > 0 and e.date > recommendations.since]
    if not acts:
        return None
    act = acts[-1]
    return _alert(
        "acte_apres_preconisation",
        f"{act.label} le {format_date_fr(act.date)} ({act.source}) après la séance du "
        f"{format_date_fr(recommendations.since)} : {recommendations.count} préconisation(s) encore à faire.",
        date=act.date,
        acte=act.code,
        seance=recommendations.since,
        preconisations=recommendations.count,
    )
