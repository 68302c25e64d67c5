"""``exploc purger``: households kept no longer than needed (RGPD, art. 5-1-e).

A household goes when its parcours closed — or saw no event at all — longer ago than the
retention period (``[conservation] annees``, 3 years by default): its signalements, events,
assignments, notes and session records are deleted (``deletion``), each signalement leaving a
tombstone so that no re-import or restore brings it back. Before that, what it counted for in the
diagnostics is added to anonymous monthly counts (``agregat_purge``: signalements by source and
event, households entering each stage, by commune and parc), so that a diagnostic over several
years stays possible. The journal keeps the numbers of households and signalements, no ménage
number.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, Engine, text

from .. import audit
from ..diagnostics.compute import current_assignments
from ..diagnostics.territories import UNASSIGNED, assignment_label
from ..linkage.keys import stored_date
from ..linkage.repository import grouped_by_first, rows_of
from ..normalize.vocabulary import EVENT_RANK
from ..store.db import write_transaction
from .deletion import chunks, delete_menages

_CHUNK = 500
# month, indicator, source, code, INSEE code, commune, unit, parc
AggregateKey = tuple[str, str, str, str, str, str, str, str]
_RANK = dict(EVENT_RANK)


@dataclass(frozen=True)
class PurgeReport:
    cutoff: date
    years: int
    menages: int  # households (merged numbers not counted)
    numbers: int  # ménage numbers removed, merged ones included
    signalements: int
    aggregates: int  # monthly counts added to or updated
    simulation: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "avant_le": self.cutoff.isoformat(),
            "conservation_annees": self.years,
            "menages": self.menages,
            "numeros_de_menage": self.numbers,
            "signalements": self.signalements,
            "agregats": self.aggregates,
            "simulation": self.simulation,
        }


def cutoff_for(today: date, years: int) -> date:
    """The same day ``years`` years earlier (28 February for a 29 February)."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:
        return today.replace(year=today.year - years, day=28)


def purge(engine: Engine, today: date, years: int, *, simulation: bool = False, command_line: str = "") -> PurgeReport:
    cutoff = cutoff_for(today, years)
    with write_transaction(engine) as connection:
        households = expired_households(connection, cutoff)
        numbers = _with_merged(connection, households)
        signalements = _count(connection, numbers)
        if simulation:
            return PurgeReport(cutoff, years, len(households), len(numbers), signalements, 0, True)
        counts = _contributions(connection, numbers)
        _add_aggregates(connection, counts)
        deleted = delete_menages(connection, numbers, "purge")
        audit.record(
            connection,
            audit.AuditEntry(
                action="purge",
                commande=command_line,
                nb_lignes=len(households),
                details={
                    "avant_le": cutoff.isoformat(),
                    "conservation_annees": years,
                    "menages": len(households),
                    "signalements": deleted.signalements,
                    "agregats": len(counts),
                },
            ),
        )
    return PurgeReport(cutoff, years, len(households), len(numbers), deleted.signalements, len(counts), False)


def expired_households(connection: Connection, cutoff: date) -> list[int]:
    """Households closed before ``cutoff``, or whose last event (or creation, without any) is older."""
    last_event = {
        int(menage): stored_date(day)
        for menage, day in rows_of(
            connection,
            "SELECT s.menage_id, MAX(e.date) FROM signalement s JOIN evenement e ON e.signalement_id = s.id "
            "WHERE s.menage_id IS NOT NULL GROUP BY s.menage_id",
        )
    }
    expired = []
    for menage, statut, closed, created in rows_of(
        connection, "SELECT id, statut, clos_le, cree_le FROM menage WHERE statut IN ('ouvert', 'clos') ORDER BY id"
    ):
        closed_on = stored_date(closed)
        if statut == "clos" and closed_on is not None:
            if closed_on < cutoff:
                expired.append(int(menage))
            continue
        last = last_event.get(int(menage)) or stored_date(created)
        if last is not None and last < cutoff:
            expired.append(int(menage))
    return expired


def _with_merged(connection: Connection, households: Sequence[int]) -> list[int]:
    """The households and every ménage number merged into them (directly or not)."""
    children: dict[int, list[int]] = {}
    for child, parent in rows_of(connection, "SELECT id, fusionne_dans FROM menage WHERE statut = 'fusionne'"):
        if parent is not None:
            children.setdefault(int(parent), []).append(int(child))
    found = set(households)
    pending = list(households)
    while pending:
        for child in children.get(pending.pop(), ()):
            if child not in found:
                found.add(child)
                pending.append(child)
    return sorted(found)


def _count(connection: Connection, numbers: Sequence[int]) -> int:
    total = 0
    for chunk in chunks(numbers):
        sql = f"SELECT COUNT(*) FROM signalement WHERE menage_id IN ({', '.join('?' * len(chunk))})"
        total += int(next(iter(rows_of(connection, sql, chunk)))[0])
    return total


def _contributions(connection: Connection, numbers: Sequence[int]) -> Counter[AggregateKey]:
    """What these ménages count for in a diagnostic (``diagnostics.fold``): signalements by month,
    source and main event; households entering each stage, once a month. Each household at its
    place — the commune of its last signalement, its current unit — and its parc; never by household."""
    units = {menage: assignment_label(*value[3:]) for menage, value in current_assignments(connection, {}).items()}
    counts: Counter[AggregateKey] = Counter()
    for chunk in chunks(numbers):
        marks = ", ".join("?" * len(chunk))
        sql = (
            "SELECT s.menage_id, s.source, e.code, e.date, e.principal, s.code_insee, s.commune, s.parc "
            f"FROM signalement s JOIN evenement e ON e.signalement_id = s.id WHERE s.menage_id IN ({marks}) "
            "ORDER BY s.menage_id, e.date, e.id"
        )
        for menage, rows in grouped_by_first(rows_of(connection, sql, chunk)):
            insee, commune, parc = "", "", ""
            for row in rows:  # the latest place and parc known
                if row[5] or row[6]:
                    insee, commune = row[5] or "", row[6] or ""
                parc = row[7] or parc
            place = (insee, commune, units.get(int(menage), UNASSIGNED), parc)
            entered: set[tuple[str, str]] = set()
            for _, source, code, day, principal, *_ in rows:
                month = str(day)[:7]
                if principal:
                    counts[(month, "signalements", source, code, *place)] += 1
                if _RANK.get(code, 0) > 0 and (month, code) not in entered:
                    entered.add((month, code))
                    counts[(month, "entrees", "", code, *place)] += 1
    return counts


def _add_aggregates(connection: Connection, counts: Counter[AggregateKey]) -> None:
    rows = [
        {"mois": m, "indicateur": i, "source": s, "code": c, "insee": z, "commune": t, "unite": u, "parc": p, "n": n}
        for (m, i, s, c, z, t, u, p), n in counts.items()
    ]
    for start in range(0, len(rows), _CHUNK):
        connection.execute(
            text(
                "INSERT INTO agregat_purge (mois, indicateur, source, code, code_insee, commune, unite, parc, nombre) "
                "VALUES (:mois, :indicateur, :source, :code, :insee, :commune, :unite, :parc, :n) "
                "ON CONFLICT (mois, indicateur, source, code, code_insee, commune, unite, parc) "
                "DO UPDATE SET nombre = agregat_purge.nombre + excluded.nombre"
            ),
            rows[start : start + _CHUNK],
        )
