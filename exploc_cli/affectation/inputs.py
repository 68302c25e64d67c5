"""Reading the facts of every open ménage, as fast as the rules in force allow.

Rules that test only what the partners reported (allocataire, children, stock, commune,
follow-up…) need one pass over the signalements: each value is the latest reported one, taken
as ``parcours.household`` takes it. Rules that test the procedure stage, the debt or the alerts
need each ménage's parcours (timeline, deadlines, alerts): several times slower.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection, text

from ..config import Settings
from ..linkage.keys import stored_date
from ..linkage.repository import rows_of
from ..parcours import Household, SocialFollowUp, load_parcours, summarise_all
from ..parcours.household import FIELD_GROUPS
from .facts import MenageFacts, build_facts, facts_from_parcours, facts_from_summary
from .rules import RuleSet

PARCOURS_ATTRIBUTES = frozenset({"etape", "dette", "alertes"})

# The household fields the rules and targets read, each group taken together from the latest
# signalement that gives its first field, exactly as parcours.household does.
_HEADS = frozenset(
    {"nom", "nom2", "numero_allocataire", "enfants", "situation_familiale", "montant_aide", "parc", "bailleur",
     "commune", "voie"}
)  # fmt: skip
_GROUPS = tuple(group for group in FIELD_GROUPS if group[0] in _HEADS)
_COLUMNS = ("menage_id", "id", "source", *(name for group in _GROUPS for name in group), "service", "referent")
_AT = {name: index for index, name in enumerate(_COLUMNS)}
_DATE = len(_COLUMNS)  # the main event's date, appended to each row


def needs_parcours(rules: RuleSet) -> bool:
    return any(c.attribute in PARCOURS_ATTRIBUTES for r in (*rules.rules, *rules.partners) for c in r.conditions)


def open_menages_facts(
    connection: Connection,
    day: date,
    settings: Settings,
    rules: RuleSet,
    assigned: frozenset[int],
    *,
    only: int | None = None,
) -> Iterator[MenageFacts]:
    """The facts of every open ménage (or of ménage ``only``), by number (``assigned``: ménages a
    service was assigned)."""
    if needs_parcours(rules):
        if only is not None:
            parcours = load_parcours(connection, only, day, settings, assigned=only in assigned)
            if parcours.timeline.statut == "ouvert":
                yield facts_from_parcours(parcours, day)
            return
        for summary in summarise_all(connection, day, settings, assigned=assigned):
            if summary.statut == "ouvert":
                yield facts_from_summary(summary, day)
        return
    yield from _reported_facts(connection, day, only)


def _reported_facts(connection: Connection, day: date, only: int | None) -> Iterator[MenageFacts]:
    ends = {
        int(sid): stored_date(value)
        for sid, value in connection.execute(
            text("SELECT signalement_id, date FROM evenement WHERE code = 'fin_suivi'")
        )
    }
    open_ids = {int(i) for (i,) in connection.execute(text("SELECT id FROM menage WHERE statut = 'ouvert'"))}
    columns = ", ".join(f"s.{c}" for c in _COLUMNS)
    which = "s.menage_id = ?" if only is not None else "s.menage_id IS NOT NULL"
    # plain driver rows, fetched by thousands: a département's base holds a million of them
    rows = rows_of(
        connection,
        f"SELECT {columns}, e.date FROM signalement s JOIN evenement e ON e.signalement_id = s.id "
        f"AND e.principal = ? WHERE {which} ORDER BY s.menage_id",
        (True,) if only is None else (True, only),
    )
    group: list[Sequence[Any]] = []
    current: int | None = None
    for row in rows:
        if row[0] != current:
            if group and current in open_ids:
                yield _facts(current, group, ends, day)
            current, group = row[0], []
        group.append(row)
    if group and current in open_ids:
        yield _facts(current, group, ends, day)


def _facts(menage_id: int, rows: list[Sequence[Any]], ends: dict[int, date | None], day: date) -> MenageFacts:
    rows.sort(key=lambda r: (stored_date(r[_DATE]) or date.min, r[_AT["id"]]))
    values: dict[str, Any] = {}
    for fields in _GROUPS:
        head = _AT[fields[0]]
        for row in reversed(rows):
            if row[head] is not None:
                for name in fields:
                    values[name] = row[_AT[name]]
                break
    at_id = _AT["id"]
    follow_ups = tuple(
        SocialFollowUp(r[_AT["service"]], r[_AT["referent"]], stored_date(r[_DATE]), ends.get(r[at_id]), r[at_id])
        for r in rows
        if r[_AT["source"]] == "suivi"
    )
    household = Household(**values, sources=tuple(sorted({r[_AT["source"]] for r in rows})), signalements=len(rows))
    ordered = tuple(sorted(follow_ups, key=lambda f: (f.start or date.min, f.signalement_id)))
    return build_facts(menage_id, household, ordered, day)
