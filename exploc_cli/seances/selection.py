"""Choosing the ménages of a session by criteria: the shared filters, « due for réexamen », and
« not examined for N months ».

A ménage is *due for réexamen* at a session when the last commission that examined it set a
réexamen date (for the ménage or for one of its préconisations) on or before the session's date,
and no session since has examined it. Candidates come ordered by priority: the most advanced
procedure stage first, then the largest debt; an eviction already carried out is left out unless
``--etape`` asks for it.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import Connection

from ..config import Settings
from ..filters import Filters
from ..normalize.dates import format_date_fr
from ..parcours.alerts import ALERT_LABELS, euros
from ..parcours.datemath import add_months
from ..parcours.episodes import stage_rank
from ..parcours.listing import select_menages
from ..parcours.service import MenageSummary, Parcours
from .records import all_examens, all_preconisations, by_current_menage, merge_redirects

REEXAMEN = "reexamen"
ENDED_STAGES = frozenset({"pv_expulsion"})
SELECTIONS = (REEXAMEN,)


@dataclass(frozen=True)
class Criteria:
    """What ``seances ajouter`` selects on, besides the ménage numbers typed by hand."""

    filters: Filters
    reexamen: bool = False
    non_examine_mois: int | None = None  # leave out ménages examined within this many months
    limite: int | None = None

    @property
    def any(self) -> bool:
        return self.reexamen or self.non_examine_mois is not None or bool(self.filters.to_json())


@dataclass(frozen=True)
class Candidate:
    summary: MenageSummary
    motif: str


def due_for_reexamen(connection: Connection, session_day: date, *, exclude_seance: int | None = None) -> dict[int, str]:
    """The ménages due for réexamen at a session held on ``session_day``, with why (French)."""
    redirects = merge_redirects(connection)
    examens = by_current_menage(
        (e for e in all_examens(connection) if e.inscription.seance_id != exclude_seance), redirects
    )
    reexamen_of_precos: dict[int, date] = {}
    for preco in all_preconisations(connection):
        if preco.reexamen is not None:
            key = preco.inscription_id
            reexamen_of_precos[key] = min(preco.reexamen, reexamen_of_precos.get(key, preco.reexamen))
    due: dict[int, str] = {}
    for menage, passages in examens.items():
        held = [p for p in passages if p.seance_date <= session_day]
        if not held:
            continue
        last = held[-1]
        dates = [d for d in (last.inscription.reexamen, reexamen_of_precos.get(last.inscription.id)) if d]
        if dates and min(dates) <= session_day:
            due[menage] = (
                f"Réexamen prévu le {format_date_fr(min(dates))} "
                f"({last.seance_instance} du {format_date_fr(last.seance_date)})"
            )
    return due


def last_examined(connection: Connection, before: date, *, exclude_seance: int | None = None) -> dict[int, date]:
    """Each ménage's last session on or before ``before`` (merged ménages count for the survivor)."""
    found: dict[int, date] = {}
    grouped = by_current_menage(
        (e for e in all_examens(connection) if e.inscription.seance_id != exclude_seance), merge_redirects(connection)
    )
    for menage, passages in grouped.items():
        held = [p.seance_date for p in passages if p.seance_date <= before]
        if held:
            found[menage] = max(held)
    return found


def select_candidates(
    connection: Connection,
    session_day: date,
    today: date,
    settings: Settings,
    criteria: Criteria,
    *,
    seance_id: int | None = None,
) -> list[Candidate]:
    """The ménages the criteria select for a session, in priority order, each with its motif."""
    due = due_for_reexamen(connection, session_day, exclude_seance=seance_id) if criteria.reexamen else {}
    recent: Mapping[int, date] = {}
    horizon: date | None = None
    if criteria.non_examine_mois is not None:
        recent = last_examined(connection, session_day, exclude_seance=seance_id)
        horizon = add_months(session_day, -criteria.non_examine_mois)
    filters = criteria.filters
    if filters.statut is None and not criteria.reexamen:
        filters = replace(filters, statut="ouvert")

    def candidates() -> Iterator[Candidate]:
        for summary in select_menages(connection, today, settings, filters):
            if criteria.reexamen and summary.menage_id not in due:
                continue
            if summary.stage in ENDED_STAGES and filters.etape is None and not criteria.reexamen:
                continue  # an eviction carried out is not a case for the commission (unless asked for)
            if horizon is not None and recent.get(summary.menage_id, date.min) > horizon:
                continue
            yield Candidate(summary, due.get(summary.menage_id) or describe(criteria, summary))

    if criteria.limite:  # only the first ones are kept while the base is read (a region: 700,000 ménages)
        return heapq.nsmallest(criteria.limite, candidates(), key=_priority)
    return sorted(candidates(), key=_priority)


def _priority(candidate: Candidate) -> tuple[int, int, int]:
    """The most advanced stage first, then the largest debt, then the oldest number (no ties)."""
    summary = candidate.summary
    return (-stage_rank(summary.stage or ""), -(summary.dette or 0), summary.menage_id)


def describe(criteria: Criteria, summary: MenageSummary) -> str:
    """The motif d'inscription of a ménage selected by criteria: what it is, in the secretary's words."""
    parts = []
    if summary.stage_label:
        parts.append(f"Étape : {summary.stage_label.lower()}")
    if summary.dette:
        parts.append(f"dette de {euros(summary.dette)}")
    if criteria.filters.alerte and criteria.filters.alerte in summary.alerts:
        parts.append(f"alerte : {ALERT_LABELS[criteria.filters.alerte].lower()}")
    if criteria.non_examine_mois is not None:
        parts.append(f"non examiné depuis {criteria.non_examine_mois} mois")
    text = " ; ".join(parts) or "Sélection par critères"
    return text[0].upper() + text[1:]


def motif_for(parcours: Parcours) -> str:
    """The default motif of a ménage added by hand: its current stage and last debt."""
    episode = parcours.timeline.current_episode
    debt = parcours.timeline.known_debt
    parts = [f"Étape : {episode.stage_label.lower()}"] if episode and episode.stage_label else []
    if debt and debt.dette:
        parts.append(f"dette de {euros(debt.dette)}")
    return " ; ".join(parts) or "Inscription par le secrétariat"
