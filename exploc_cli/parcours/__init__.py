"""Parcours of a ménage: its timeline of dated events, the legal deadlines they trigger, and alerts.

- ``timeline``: events in date order with their stage, source and amounts; debt history;
  procedure episodes and the current stage; household summary and addresses.
- ``deadlines`` with the rules of ``delais.toml`` (data, with legal references and validity dates).
- ``alerts``: signaux d'alerte, thresholds from the ``[alertes]`` section of the configuration.
- ``service``: ``load_parcours`` (one ménage) and ``summarise_all`` (every ménage, streamed).
"""

from __future__ import annotations

from .alerts import ALERT_LABELS, Alert, compute_alerts
from .datemath import add_months
from .deadlines import Echeance, deadlines, next_deadline
from .episodes import Episode
from .household import AddressSpan, Household, SocialFollowUp
from .records import EventRecord, MenageRecord, NoteRecord, SignalementRecord
from .rules import DEFAULT_RULES_PATH, DeadlineFileError, DeadlineRule, DeadlineRules, load_deadline_rules
from .service import MenageSummary, Parcours, load_parcours, summarise, summarise_all
from .timeline import DebtPoint, Timeline, TimelineEvent, build_timeline

__all__ = [
    "ALERT_LABELS",
    "DEFAULT_RULES_PATH",
    "AddressSpan",
    "Alert",
    "DeadlineFileError",
    "DeadlineRule",
    "DeadlineRules",
    "DebtPoint",
    "Echeance",
    "Episode",
    "EventRecord",
    "Household",
    "MenageRecord",
    "MenageSummary",
    "NoteRecord",
    "Parcours",
    "SignalementRecord",
    "SocialFollowUp",
    "Timeline",
    "TimelineEvent",
    "add_months",
    "build_timeline",
    "compute_alerts",
    "deadlines",
    "load_deadline_rules",
    "load_parcours",
    "next_deadline",
    "summarise",
    "summarise_all",
]
