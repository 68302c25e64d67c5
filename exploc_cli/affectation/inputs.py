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
from ..linkage.repository import rows_of
from ..parcours import Household, SocialFollowUp, load_parcours, summarise_all
from ..parcours.household import FIELD_GROUPS
from .facts import MenageFacts, facts_from_parcours, facts_from_summary, facts_from_values
from .records import MenageRange
from .rules import RuleSet

PARCOURS_ATTRIBUTES = frozenset({"etape", "dette", "alertes"})

# The household fields the rules and targets read, each group taken together from the latest
# signalement that gives its first field, exactly as parcours.household does. The names are
# not read here (``display_names`` gives them for the ménages a report shows): only ``nom2``,
# which says that a second person lives there.
_READ = frozenset(
    {"nom2", "numero_allocataire", "organisme", "enfants", "situation_familiale", "montant_aide", "parc", "bailleur",
     "commune", "code_postal", "code_insee", "voie", "numero"}
)  # fmt: skip
_GROUPS = tuple(
    tuple(name for name in group if name in _READ) for group in FIELD_GROUPS if group[0] in _READ
)  # fmt: skip
_COLUMNS = ("menage_id", "id", "source", *(name for group in _GROUPS for name in group), "service", "referent")
_AT = {name: index for index, name in enumerate(_COLUMNS)}
_DATE = len(_COLUMNS)  # the main event's date, appended to each row
_NAME_COLUMNS = ("menage_id", "nom", "civilite", "nom_naissance", "prenoms", "nom2", "civilite2", "prenoms2")
# signalements in the order parcours.household reads them: by the main event's date (unknown
# dates first), then as imported
_CHRONOLOGICAL = "ORDER BY s.menage_id, e.date NULLS FIRST, s.id"


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
    ends = _FollowUpEnds(connection)
    open_ids = {int(i) for (i,) in rows_of(connection, "SELECT id FROM menage WHERE statut = ?", ("ouvert",))}
    # plain driver rows, fetched by thousands: a département's base holds a million of them
    sql = _chronological_sql(_COLUMNS, only is not None)
    parameters: tuple[Any, ...] = (True,) if only is None else (True, only)
    if menages is not None:
        condition, bounds = menages.sql("+s.menage_id")
        sql = sql.replace(" ORDER BY", f"{condition} ORDER BY")
        parameters += bounds
    rows = rows_of(connection, sql, parameters)
    for menage_id, group in _by_menage(rows):
        if menage_id in open_ids:
            yield _facts(menage_id, group, ends, day)


def display_names(connection: Connection, menages: Collection[int]) -> dict[int, str]:
    """« DUPONT Jean et MARTIN Léa » for each of ``menages``, as their parcours shows it."""
    names: dict[int, str] = {}
    wanted = sorted(menages)
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        sql = _chronological_sql(_NAME_COLUMNS, False).replace(
            "s.menage_id IS NOT NULL", f"s.menage_id IN ({', '.join('?' * len(chunk))})"
        )
        for menage_id, rows in _by_menage(rows_of(connection, sql, (True, *chunk))):
            values: dict[str, Any] = {}
            for group in (_NAME_COLUMNS[1:5], _NAME_COLUMNS[5:]):
                latest = next((r for r in reversed(rows) if r[_NAME_COLUMNS.index(group[0])] is not None), None)
                if latest is not None:
                    values.update((name, latest[_NAME_COLUMNS.index(name)]) for name in group)
            names[menage_id] = Household(**values).display_name
    return names


def _chronological_sql(columns: Sequence[str], one: bool) -> str:
    which = "s.menage_id = ?" if one else "s.menage_id IS NOT NULL"
    selected = ", ".join(f"s.{c}" for c in columns)
    return (
        f"SELECT {selected}, e.date FROM signalement s JOIN evenement e ON e.signalement_id = s.id "
        f"AND e.principal = ? WHERE {which} {_CHRONOLOGICAL}"
    )


def _by_menage(rows: Iterator[tuple[Any, ...]]) -> Iterator[tuple[int, list[tuple[Any, ...]]]]:
    """Consecutive rows of one ménage (its number in the first column)."""
    group: list[tuple[Any, ...]] = []
    current: int | None = None
    for row in rows:
        if row[0] != current:
            if group and current is not None:
                yield current, group
            current, group = row[0], []
        group.append(row)
    if group and current is not None:
        yield current, group


class _FollowUpEnds:
    """The end of a follow-up (its « fin_suivi » event), looked up for the few ``suivi`` rows."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def __call__(self, signalement_id: int) -> date | None:
        sql = "SELECT date FROM evenement WHERE signalement_id = ? AND code = ? ORDER BY id DESC"
        found = next(rows_of(self._connection, sql, (signalement_id, "fin_suivi")), None)
        return stored_date(found[0]) if found else None


def _facts(menage_id: int, rows: list[tuple[Any, ...]], ends: _FollowUpEnds, day: date) -> MenageFacts:
    """``rows``: the ménage's signalements, oldest first."""
    values: dict[str, Any] = {}
    for fields in _GROUPS:
        head = _AT[fields[0]]
        for row in reversed(rows):
            if row[head] is not None:
                for name in fields:
                    values[name] = row[_AT[name]]
                break
    at_id, at_source = _AT["id"], _AT["source"]
    follow_ups = tuple(
        SocialFollowUp(r[_AT["service"]], r[_AT["referent"]], stored_date(r[_DATE]), ends(r[at_id]), r[at_id])
        for r in rows
        if r[at_source] == "suivi"
    )
    if len(follow_ups) > 1:
        follow_ups = tuple(sorted(follow_ups, key=lambda f: (f.start or date.min, f.signalement_id)))
    return facts_from_values(menage_id, values, {r[at_source] for r in rows}, follow_ups, day)
