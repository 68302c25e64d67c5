"""The département a ménage belongs to: that of its latest known address.

The rule is the one the ménage's summary applies to its commune (``parcours/household.py``): the
latest signalement, by the date of its main event (else its earliest event) then by number, that
names a commune gives the commune, its codes and its département. A household that moved from
Seine-Saint-Denis to the Val-de-Marne belongs to the Val-de-Marne; its earlier signalements keep
their own département (diagnostics count each procedure where it happened).

``menage.departement`` is rewritten here whenever the membership of a ménage changes (linkage,
erasure, purge): lists, extractions and assignment read it without recomputing the parcours.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterator
from typing import Any

from sqlalchemy import Connection, bindparam, text

_CHUNK = 5000
_LATEST = (
    "SELECT s.menage_id, s.id, s.departement, "
    "COALESCE(MIN(CASE WHEN e.principal THEN e.date END), MIN(e.date)) "
    "FROM signalement s LEFT JOIN evenement e ON e.signalement_id = s.id "
    "WHERE s.menage_id IS NOT NULL AND s.commune IS NOT NULL{only} "
    "GROUP BY s.menage_id, s.id, s.departement"
)


def refresh_menage_departements(connection: Connection, menages: Collection[int] | None = None) -> int:
    """Set the département of ``menages`` (all ménages when None) from their signalements, writing
    only those that changed (an unchanged row is not touched, so its kept summary stays). Returns
    how many changed."""
    wanted: dict[int, str | None] = {}
    if menages is None:
        wanted = dict(_latest(connection, None))
        current = _current(connection, None)
        wanted.update({menage: None for menage in current if menage not in wanted})
    else:
        current = {}
        for part in _chunks(sorted(set(menages))):
            wanted.update({menage: None for menage in part})
            wanted.update(_latest(connection, part))
            current.update(_current(connection, part))
    changed: dict[str | None, list[int]] = defaultdict(list)
    for menage, departement in wanted.items():
        if menage in current and current[menage] != departement:
            changed[departement].append(menage)
    update = text("UPDATE menage SET departement = :d WHERE id IN :ids").bindparams(bindparam("ids", expanding=True))
    for departement, ids in changed.items():
        for part in _chunks(ids):
            connection.execute(update, {"d": departement, "ids": part})
    return sum(len(ids) for ids in changed.values())


def _latest(connection: Connection, menages: list[int] | None) -> Iterator[tuple[int, str | None]]:
    """(ménage, département of its latest signalement naming a commune)."""
    if menages is None:
        query = text(_LATEST.format(only=""))
        parameters: dict[str, Any] = {}
    else:
        query = text(_LATEST.format(only=" AND s.menage_id IN :ids")).bindparams(bindparam("ids", expanding=True))
        parameters = {"ids": menages}
    best: dict[int, tuple[str, int, str | None]] = {}
    for menage, signalement, departement, day in connection.execute(query, parameters):
        # dates come back as text on SQLite, as dates on PostgreSQL: both compare as ISO text
        key = (str(day) if day is not None else "", int(signalement), departement)
        known = best.get(menage)
        if known is None or key[:2] > known[:2]:
            best[menage] = key
    for menage, (_, _, departement) in best.items():
        yield int(menage), departement


def _current(connection: Connection, menages: list[int] | None) -> dict[int, str | None]:
    if menages is None:
        found = connection.execute(text("SELECT id, departement FROM menage"))
    else:
        query = text("SELECT id, departement FROM menage WHERE id IN :ids").bindparams(bindparam("ids", expanding=True))
        found = connection.execute(query, {"ids": menages})
    return {int(menage): departement for menage, departement in found}


def _chunks(values: list[int]) -> Iterator[list[int]]:
    for start in range(0, len(values), _CHUNK):
        yield values[start : start + _CHUNK]
