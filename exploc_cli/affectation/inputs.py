"""Reading the facts of every open ménage, as fast as the rules in force allow.

Rules that test only what the partners reported (allocataire, children, stock, commune,
follow-up…) need one pass over the signalements: each value is the latest reported one, taken
as ``parcours.household`` takes it. Rules that test the procedure stage, the debt or the alerts
need each ménage's parcours (timeline, deadlines, alerts): several times slower.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Connection

from ..config import Settings
from ..linkage.keys import stored_date
from ..linkage.repository import grouped_by_first, rows_of
from ..parcours import Household, SocialFollowUp, load_parcours, summarise_all
from ..parcours.household import FIELD_GROUPS
from .facts import HOUSEHOLD_FIELDS, MenageFacts, facts_from_parcours, facts_from_summary, facts_from_values
from .records import MenageRange
from .rules import RuleSet

PARCOURS_ATTRIBUTES = frozenset({"etape", "dette", "alertes"})

# The household fields the rules and targets read (``HOUSEHOLD_FIELDS``), each group taken
# together from the latest signalement that gives its first field, exactly as
# parcours.household does. The names are not read here (``display_names`` gives them for the
# ménages a report shows): only ``nom2``, which says that a second person lives there.
_GROUPS = tuple(
    tuple(name for name in group if name in HOUSEHOLD_FIELDS) for group in FIELD_GROUPS if group[0] in HOUSEHOLD_FIELDS
)
_COLUMNS = ("menage_id", "id", "source", *(name for group in _GROUPS for name in group), "service", "referent")
_AT = {name: index for index, name in enumerate(_COLUMNS)}
_DATE = len(_COLUMNS)  # the main event's date, appended to each row
_NAME_GROUPS = tuple(group for group in FIELD_GROUPS if group[0] in ("nom", "nom2"))
_NAME_COLUMNS = ("menage_id", *(name for group in _NAME_GROUPS for name in group))
_NAME_AT = {name: index for index, name in enumerate(_NAME_COLUMNS)}


def needs_parcours(rules: RuleSet) -> bool:
    return any(c.attribute in PARCOURS_ATTRIBUTES for r in rules.every_rule for c in r.conditions)


def open_menages_facts(
    connection: Connection,
    day: date,
    settings: Settings,
    rules: RuleSet,
    assigned: frozenset[int],
    *,
    only: int | None = None,
    menages: MenageRange | None = None,
) -> Iterator[MenageFacts]:
    """The facts of every open ménage (or of ménage ``only``, or of the range ``menages``), by
    number (``assigned``: ménages a service was assigned). A range needs rules without parcours."""
    if needs_parcours(rules):
        if only is not None:
            parcours = load_parcours(connection, only, day, settings, assigned=only in assigned)
            if parcours.timeline.statut == "ouvert":
                yield facts_from_parcours(parcours, day)
            return
        for summary in summarise_all(connection, day, settings, assigned=assigned):
            if summary.statut == "ouvert" and (menages is None or summary.menage_id in menages):
                yield facts_from_summary(summary, day)
        return
    yield from _reported_facts(connection, day, only, menages)


def _reported_facts(
    connection: Connection, day: date, only: int | None, menages: MenageRange | None
) -> Iterator[MenageFacts]:
    open_ids = {int(i) for (i,) in rows_of(connection, "SELECT id FROM menage WHERE statut = ?", ("ouvert",))}
    condition = "s.menage_id = ?" if only is not None else "s.menage_id IS NOT NULL"
    parameters: tuple[int, ...] = (only,) if only is not None else ()
    if menages is not None:
        bounds, values = menages.sql("+s.menage_id")
        condition, parameters = condition + bounds, parameters + values
    # plain driver rows, fetched by thousands: a département's base holds a million of them
    rows = rows_of(connection, _chronological_sql(_COLUMNS, condition), (True, *parameters))
    for menage_id, group in grouped_by_first(rows):
        if menage_id in open_ids:
            yield _facts(connection, menage_id, group, day)


def display_names(connection: Connection, menages: Collection[int]) -> dict[int, str]:
    """« DUPONT Jean et MARTIN Léa » for each of ``menages``, as their parcours shows it."""
    names: dict[int, str] = {}
    wanted = sorted(menages)
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        sql = _chronological_sql(_NAME_COLUMNS, f"s.menage_id IN ({', '.join('?' * len(chunk))})")
        for menage_id, rows in grouped_by_first(rows_of(connection, sql, (True, *chunk))):
            names[menage_id] = Household(**_latest(rows, _NAME_GROUPS, _NAME_AT)).display_name
    return names


def _chronological_sql(columns: Sequence[str], condition: str) -> str:
    """The signalements that meet ``condition``, with their main event's date, in the order
    parcours.household reads them: by ménage, then that date (unknown first), then as imported."""
    selected = ", ".join(f"s.{c}" for c in columns)
    return (
        f"SELECT {selected}, e.date FROM signalement s JOIN evenement e ON e.signalement_id = s.id "
        f"AND e.principal = ? WHERE {condition} ORDER BY s.menage_id, e.date NULLS FIRST, s.id"
    )


def _latest(rows: Sequence[Sequence[Any]], groups: tuple[tuple[str, ...], ...], at: dict[str, int]) -> dict[str, Any]:
    """Each group of fields from the latest row (``rows`` oldest first) that gives its first field."""
    values: dict[str, Any] = {}
    for fields in groups:
        head = at[fields[0]]
        for row in reversed(rows):
            if row[head] is not None:
                for name in fields:
                    values[name] = row[at[name]]
                break
    return values


def _follow_up_end(connection: Connection, signalement_id: int) -> date | None:
    """The end of a follow-up (its « fin_suivi » event), looked up for the few ``suivi`` rows."""
    sql = "SELECT date FROM evenement WHERE signalement_id = ? AND code = ? ORDER BY id DESC"
    found = next(rows_of(connection, sql, (signalement_id, "fin_suivi")), None)
    return stored_date(found[0]) if found else None


def _facts(connection: Connection, menage_id: int, rows: list[Sequence[Any]], day: date) -> MenageFacts:
    """``rows``: the ménage's signalements, oldest first."""
    at_id, at_source = _AT["id"], _AT["source"]
    follow_ups = tuple(
        SocialFollowUp(
            r[_AT["service"]], r[_AT["referent"]], stored_date(r[_DATE]), _follow_up_end(connection, r[at_id]), r[at_id]
        )
        for r in rows
        if r[at_source] == "suivi"
    )
    if len(follow_ups) > 1:
        follow_ups = tuple(sorted(follow_ups, key=lambda f: (f.start or date.min, f.signalement_id)))
    values = _latest(rows, _GROUPS, _AT)
    return facts_from_values(menage_id, values, {r[at_source] for r in rows}, follow_ups, day)
