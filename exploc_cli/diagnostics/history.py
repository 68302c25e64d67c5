"""What the base keeps about the past besides the dated events, for the alerts « as they stood » at
the end of a period: the assignments' history, the commission's préconisations with the day their
follow-up was recorded, and the day each file was imported.

Small queries (one row per assignment, per préconisation, per file), read once before the fold.
Days are ISO strings (``2025-03-14``), compared as strings like the events' dates in ``fold``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, text

from ..affectation.records import AFFECTE

_NEVER = "9999-12-31"


def day_of(value: Any) -> str | None:
    """« 2025-03-14 » from a stored date or timestamp (a string on SQLite, a date on PostgreSQL)."""
    return str(value)[:10] if value is not None else None


@dataclass(frozen=True)
class AlertHistory:
    """The past of each ménage (merged ménages under the one that absorbed them).

    ``earlier``: the assignments that are no longer current, each as (day decided, a social service
    is named), oldest first (only the ménages that have some: the current one is in ``FoldContext``);
    ``recommendations``: its préconisations, each as (day of the séance, day its follow-up was
    recorded, or ``_NEVER`` while it is still to do); ``lots``: the day each file was imported.
    """

    earlier: Mapping[int, tuple[tuple[str, bool], ...]] = field(default_factory=dict)
    recommendations: Mapping[int, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    lots: Mapping[int, str] = field(default_factory=dict)

    def assigned_on(self, menage: int, day: str, current: tuple[str | None, bool]) -> bool:
        """Whether the assignment in force on ``day`` names a social service: the last one decided by
        that day, the current one (``current``: its day and whether it names a service) counting as
        the last one decided, as ``exploc menages afficher`` reads it today."""
        serves = False
        for decided, names in self.earlier.get(menage, ()):
            if decided <= day:
                serves = names
        since, names = current
        return names if since is not None and since <= day else serves

    def open_since(self, menage: int, day: str) -> str | None:
        """The earliest séance, held by ``day``, whose préconisations were still to do that day."""
        since: str | None = None
        for held, done in self.recommendations.get(menage, ()):
            if held <= day < done and (since is None or held < since):
                since = held
        return since


def alert_history(connection: Connection, redirects: Mapping[int, int]) -> AlertHistory:
    return AlertHistory(
        earlier=_earlier_assignments(connection, redirects),
        recommendations=_recommendations(connection, redirects),
        lots={
            int(lot): day
            for lot, started in connection.execute(text("SELECT id, debut FROM lot"))
            if (day := day_of(started)) is not None
        },
    )


def _earlier_assignments(
    connection: Connection, redirects: Mapping[int, int]
) -> dict[int, tuple[tuple[str, bool], ...]]:
    """The assignments that are no longer current (few: one per change of service), by ménage."""
    found: dict[int, list[tuple[str, int, bool]]] = {}
    query = text("SELECT menage_id, statut, horodatage, id FROM affectation WHERE courante = :no")
    for menage, statut, stamp, number in connection.execute(query, {"no": False}):
        decided = day_of(stamp)
        if decided is not None:
            found.setdefault(redirects.get(int(menage), int(menage)), []).append(
                (decided, int(number), statut == AFFECTE)
            )
    return {menage: tuple((day, names) for day, _, names in sorted(rows)) for menage, rows in found.items()}


def _recommendations(connection: Connection, redirects: Mapping[int, int]) -> dict[int, tuple[tuple[str, str], ...]]:
    found: dict[int, list[tuple[str, str]]] = {}
    query = text(
        "SELECT p.menage_id, s.date_seance, p.statut, p.statut_le FROM preconisation p "
        "JOIN inscription i ON i.id = p.inscription_id JOIN seance s ON s.id = i.seance_id"
    )
    for menage, held, statut, changed in connection.execute(query):
        day = day_of(held)
        if day is None:
            continue
        # done, not done or obsolete: open until its follow-up was recorded (a follow-up of unknown
        # date closes it on the séance's day: it never counts as open)
        done = _NEVER if statut == "a_faire" else (day_of(changed) or day)
        found.setdefault(redirects.get(int(menage), int(menage)), []).append((day, done))
    return {menage: tuple(rows) for menage, rows in found.items()}
