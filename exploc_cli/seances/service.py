"""Creating sessions and putting ménages on their ordre du jour (write side, journaled)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, Engine, delete, func, insert, select, update

from .. import audit
from ..config import Settings
from ..errors import ExplocError
from ..linkage.repository import resolve_menage
from ..parcours.service import load_parcours
from ..store.db import write_transaction
from .records import INSCRIPTION, PRECONISATION, SEANCE, SeanceRecord, get_seance, inscriptions_of
from .selection import Candidate, Criteria, motif_for, select_candidates

CENTRALE = "CCAPEX centrale"
_LOCALE = re.compile(r"^\s*(?:ccapex\s+)?locale\s+(?P<nom>\S.*?)\s*$", re.IGNORECASE)
_CENTRALE = re.compile(r"^\s*(?:ccapex\s+)?centrale\s*$", re.IGNORECASE)
_HEURE = re.compile(r"^\s*(?P<h>[01]?\d|2[0-3])\s*(?:h|:)\s*(?P<m>[0-5]\d)?\s*$", re.IGNORECASE)


def parse_instance(text: str) -> str:
    """« CCAPEX centrale » or « CCAPEX locale <nom> » (décret 2026-83), whatever the case."""
    if _CENTRALE.match(text):
        return CENTRALE
    found = _LOCALE.match(text)
    if found:
        return f"CCAPEX locale {found['nom']}"
    raise ExplocError(
        f"Instance inconnue : « {text} ».",
        "Écrivez « CCAPEX centrale » ou « CCAPEX locale <nom> » (ex. « CCAPEX locale Bresse »).",
    )


def parse_heure(text: str) -> str:
    """« 14:00 » from « 14h », « 14 h 30 », « 14:30 »."""
    found = _HEURE.match(text)
    if not found:
        raise ExplocError(f"Heure illisible : « {text} » (ex. 14:00 ou 14h30).")
    return f"{int(found['h']):02d}:{found['m'] or '00'}"


def create_seance(
    engine: Engine, day: date, instance: str, *, lieu: str | None, heure: str | None, command_line: str
) -> SeanceRecord:
    name = parse_instance(instance)
    hour = parse_heure(heure) if heure else None
    with write_transaction(engine) as connection:
        seance_id = connection.execute(
            insert(SEANCE).returning(SEANCE.c.id),
            {
                "date_seance": day,
                "instance": name,
                "lieu": (lieu or "").strip() or None,
                "heure": hour,
                "cree_le": datetime.now(UTC),
                "cree_par": audit.who(connection),
            },
        ).scalar_one()
        audit.record(
            connection,
            audit.AuditEntry("seance_creer", command_line, details={"seance": seance_id, "date": day.isoformat()}),
        )
        return get_seance(connection, seance_id)


@dataclass
class AddReport:
    seance: SeanceRecord
    added: list[tuple[int, int, str]] = field(default_factory=list)  # (rang, ménage, motif)
    already: list[int] = field(default_factory=list)
    redirected: dict[int, int] = field(default_factory=dict)  # typed number -> ménage holding it now
    simulation: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "seance": self.seance.id,
            "simulation": self.simulation,
            "ajoutes": [{"rang": r, "menage": m, "motif": motif} for r, m, motif in self.added],
            "deja_inscrits": self.already,
            "numeros_fusionnes": {str(k): v for k, v in self.redirected.items()},
        }


def add_menages(
    engine: Engine,
    seance_id: int,
    numbers: Sequence[int],
    criteria: Criteria | None,
    *,
    motif: str | None,
    today: date,
    settings: Settings,
    command_line: str,
    simulation: bool = False,
) -> AddReport:
    """Add ménages by number and/or by criteria, each with its motif d'inscription, in one transaction."""
    if motif is not None and not motif.strip():
        raise ExplocError("Le motif d'inscription est vide.")
    with _connection(engine, read_only=simulation) as connection:
        seance = get_seance(connection, seance_id)
        report = AddReport(seance, simulation=simulation)
        wanted: list[tuple[int, str]] = []
        by_hand = _by_hand(connection, numbers, report, today, settings)
        wanted.extend((menage, motif or default) for menage, default in by_hand)
        if criteria is not None and criteria.any:
            candidates: list[Candidate] = select_candidates(
                connection, seance.date, today, settings, criteria, seance_id=seance.id
            )
            wanted.extend((c.summary.menage_id, motif or c.motif) for c in candidates)
        present = {i.menage_id for i in inscriptions_of(connection, seance.id)}
        rang = connection.execute(
            select(func.coalesce(func.max(INSCRIPTION.c.rang), 0)).where(INSCRIPTION.c.seance_id == seance.id)
        ).scalar_one()
        now, user = datetime.now(UTC), audit.who(connection)
        for menage, why in wanted:
            if menage in present:
                if menage not in report.already:
                    report.already.append(menage)
                continue
            present.add(menage)
            rang += 1
            report.added.append((rang, menage, why.strip()))
        if simulation:
            return report
        if report.added:
            connection.execute(
                insert(INSCRIPTION),
                [
                    {
                        "seance_id": seance.id, "menage_id": m, "rang": r, "motif": why, "ajoute_le": now,
                        "ajoute_par": user,
                    }
                    for r, m, why in report.added
                ],
            )  # fmt: skip
        audit.record(
            connection,
            audit.AuditEntry(
                "seance_ajouter",
                command_line,
                filtres=_criteria_json(criteria),
                motif=motif,
                nb_lignes=len(report.added),
                details={"seance": seance.id, "menages": [m for _, m, _ in report.added]},
            ),
        )
        return report


@contextmanager
def _connection(engine: Engine, *, read_only: bool) -> Iterator[Connection]:
    """A plain connection for a simulation (nothing written), else a write transaction."""
    if read_only:
        with engine.connect() as connection:
            yield connection
    else:
        with write_transaction(engine) as connection:
            yield connection


def _by_hand(
    connection: Connection, numbers: Sequence[int], report: AddReport, today: date, settings: Settings
) -> list[tuple[int, str]]:
    """The ménages typed by hand (merged numbers lead to the survivor), with their default motif."""
    resolved: list[int] = []
    for number in numbers:
        current = resolve_menage(connection, number)
        if current != number:
            report.redirected[number] = current
        resolved.append(current)
    if not resolved:
        return []
    return [(m, motif_for(load_parcours(connection, m, today, settings))) for m in dict.fromkeys(resolved)]


def _criteria_json(criteria: Criteria | None) -> dict[str, Any] | None:
    if criteria is None or not criteria.any:
        return None
    found: dict[str, Any] = dict(criteria.filters.to_json())
    if criteria.reexamen:
        found["selection"] = "reexamen"
    if criteria.non_examine_mois is not None:
        found["non_examine_depuis_mois"] = criteria.non_examine_mois
    if criteria.limite:
        found["limite"] = criteria.limite
    return found


def remove_menage(engine: Engine, seance_id: int, menage: int, *, command_line: str) -> int:
    """Take a ménage off the ordre du jour (its avis and préconisations with it); ranks close up."""
    with write_transaction(engine) as connection:
        seance = get_seance(connection, seance_id)
        inscriptions = inscriptions_of(connection, seance.id)
        number = resolve_menage(connection, menage)
        target = next((i for i in inscriptions if i.menage_id in (menage, number)), None)
        if target is None:
            raise ExplocError(f"Le ménage n° {menage} n'est pas inscrit à la séance n° {seance.id}.")
        connection.execute(delete(PRECONISATION).where(PRECONISATION.c.inscription_id == target.id))
        connection.execute(delete(INSCRIPTION).where(INSCRIPTION.c.id == target.id))
        connection.execute(
            update(INSCRIPTION)
            .where(INSCRIPTION.c.seance_id == seance.id, INSCRIPTION.c.rang > target.rang)
            .values(rang=INSCRIPTION.c.rang - 1)
        )
        audit.record(
            connection,
            audit.AuditEntry(
                "seance_retirer", command_line, nb_lignes=1, details={"seance": seance.id, "menage": target.menage_id}
            ),
        )
        return target.menage_id
