"""The commission's préconisations still « à faire » for each ménage, as the alerts need them.

A new procedural act on a household with open recommendations raises an alert (the follow-up of
seed 004 A 4.1.2): the commission asked for something and the procedure went on regardless.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, text

from ..linkage.keys import stored_date
from ..linkage.repository import follow_merges

_QUERY = (
    "SELECT p.menage_id, MIN(s.date_seance), COUNT(*) FROM preconisation p "
    "JOIN inscription i ON i.id = p.inscription_id JOIN seance s ON s.id = i.seance_id "
    "WHERE p.statut = 'a_faire' {where} GROUP BY p.menage_id"
)


@dataclass(frozen=True, slots=True)
class OpenRecommendations:
    """The earliest session whose préconisations are still to do, and how many are."""

    since: date
    count: int


def open_recommendations(
    connection: Connection, menage_ids: tuple[int, ...] | None = None
) -> dict[int, OpenRecommendations]:
    """By ménage number now (those of merged ménages count for the one that absorbed them).

    One query when no préconisation is open (the usual case between sessions); merged ménages
    are then followed for the few that have some.
    """
    where = ""
    if menage_ids is not None:
        if not menage_ids:
            return {}
        where = f"AND p.menage_id IN ({', '.join(str(int(m)) for m in menage_ids)})"
    rows = [
        (int(m), stored_date(since), int(count))
        for m, since, count in connection.execute(text(_QUERY.format(where=where)))
    ]
    redirects = _redirects(connection, {menage for menage, _, _ in rows})
    found: dict[int, OpenRecommendations] = {}
    for menage, day, count in rows:
        if day is None:
            continue
        current = redirects.get(menage, menage)
        before = found.get(current)
        found[current] = OpenRecommendations(
            min(day, before.since) if before else day, count + (before.count if before else 0)
        )
    return found


def _redirects(connection: Connection, menages: set[int]) -> dict[int, int]:
    """Each merged ménage among ``menages`` -> the ménage that holds it now."""
    parent: dict[int, int] = {}
    pending = set(menages)
    while pending:
        chunk = ", ".join(str(m) for m in sorted(pending))
        found = connection.execute(
            text(
                f"SELECT id, fusionne_dans FROM menage WHERE id IN ({chunk}) "
                "AND statut = 'fusionne' AND fusionne_dans IS NOT NULL"
            )
        ).all()
        pending = set()
        for child, into in found:
            parent[int(child)] = int(into)
            if int(into) not in parent:
                pending.add(int(into))
    return {start: end for start in menages if (end := follow_merges(parent, start)) != start}
