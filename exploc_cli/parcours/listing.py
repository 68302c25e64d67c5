"""Selecting ménages with the shared filter vocabulary, on their one-line summaries.

For a ménage, ``--etape`` is its current stage, ``--alerte`` one of its alerts, ``--commune``,
``--departement``, ``--bailleur`` and ``--parc`` its latest known values, ``--dette-min``/``--dette-max`` its last
debt, ``--du``/``--au`` the date of its last event, ``--statut`` ouvert or clos, ``--service`` its
current assignment.

Not imported by ``parcours/__init__`` (``filters`` reads the alert codes from ``parcours``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection

from ..affectation.records import check_service_filter
from ..config import Settings
from ..filters import Filters
from .alerts import ALERT_LABELS
from .service import MenageSummary
from .summary_cache import summaries


@dataclass(frozen=True)
class MenageListing:
    """The ménages a listing shows (at most ``limit``) and how many matched in all."""

    menages: tuple[MenageSummary, ...]
    total: int


def matches(summary: MenageSummary, filters: Filters) -> bool:
    """Whether a ménage's summary passes every filter that is set."""
    if filters.statut is not None and summary.statut != filters.statut:
        return False
    if filters.etape is not None and summary.stage != filters.etape:
        return False
    if filters.alerte is not None and filters.alerte not in summary.alerts:
        return False
    if filters.parc is not None and summary.parc != filters.parc:
        return False
    if filters.departement is not None and summary.departement != filters.departement:
        return False
    if not filters.matches_commune(summary.commune, summary.code_postal, summary.code_insee):
        return False
    if not filters.matches_bailleur(summary.bailleur):
        return False
    if not filters.matches_service(summary.affectation):
        return False
    if not _within(summary.dette, filters.dette_min, filters.dette_max):
        return False
    return _within(summary.last_event_date, filters.du, filters.au)


def _within(value: int | date | None, low: Any, high: Any) -> bool:
    if low is None and high is None:
        return True
    if value is None:
        return False
    return (low is None or value >= low) and (high is None or value <= high)


def select_menages(
    connection: Connection, today: date, settings: Settings, filters: Filters
) -> Iterator[MenageSummary]:
    """The summaries of the ménages that pass ``filters``, by ménage number (streamed); an
    unknown ``--service`` is refused before anything is read."""
    check_service_filter(connection, filters.service)
    return (s for s in summaries(connection, today, settings) if matches(s, filters))


def list_menages(
    connection: Connection, today: date, settings: Settings, filters: Filters, *, limit: int | None = None
) -> MenageListing:
    """The first ``limit`` matching ménages (all without a limit) and the number that match."""
    shown: list[MenageSummary] = []
    total = 0
    for summary in select_menages(connection, today, settings, filters):
        total += 1
        if limit is None or len(shown) < limit:
            shown.append(summary)
    return MenageListing(tuple(shown), total)


def euros_value(centimes: int | None) -> float | None:
    """An amount in euros as a JSON number (2 decimals), from centimes."""
    return None if centimes is None else round(centimes / 100, 2)


def iso(day: date | None) -> str | None:
    return day.isoformat() if day else None


def alert_labels(codes: Iterable[str]) -> list[str]:
    return [ALERT_LABELS.get(code, code) for code in codes]


def summary_to_json(summary: MenageSummary) -> dict[str, Any]:
    """One ménage of a listing, as JSON (dates ISO, amounts in euros)."""
    return {
        "menage": summary.menage_id,
        "statut": summary.statut,
        "rouvert": summary.reopened,
        "nom": summary.nom,
        "prenoms": summary.prenoms,
        "nom2": summary.nom2,
        "prenoms2": summary.prenoms2,
        "commune": summary.commune,
        "code_postal": summary.code_postal,
        "code_insee": summary.code_insee,
        "departement": summary.departement,
        "parc": summary.parc,
        "bailleur": summary.bailleur,
        "etape": summary.stage,
        "etape_libelle": summary.stage_label,
        "date_etape": iso(summary.stage_date),
        "dette": euros_value(summary.dette),
        "date_dette": iso(summary.dette_date),
        "dernier_evenement": iso(summary.last_event_date),
        "alertes": list(summary.alerts),
        "service": summary.affectation.service_column if summary.affectation else None,
        "unite": (summary.affectation.unit_column or None) if summary.affectation else None,
        "prochaine_echeance": (
            {
                "date": iso(summary.next_deadline),
                "code": summary.next_deadline_code,
                "libelle": summary.next_deadline_label,
            }
            if summary.next_deadline
            else None
        ),
        "episodes": summary.episodes,
    }
