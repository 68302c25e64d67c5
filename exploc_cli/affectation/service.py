"""Assigning ménages: every open ménage by the rules (or a simulation of it), one by hand, explanations."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, Engine

from .. import audit
from ..config import Settings
from ..errors import ExplocError
from ..linkage.repository import resolve_menage
from ..store.db import write_transaction
from . import repository
from .batch import Change, decide_all
from .engine import Outcome, Step, decide
from .facts import MenageFacts
from .inputs import display_names, open_menages_facts
from .records import A_TRIER_LABEL, AFFECTE, Assignment, history
from .rules import RuleSet
from .sectorisation import Sectorisation, UniteInfo

# The changes of a run whose households are named in the report (a screen shows fewer; the
# JSON gives every change, by number).
NAMED_CHANGES = 200


@dataclass
class AssignReport:
    simulation: bool
    rules: str  # the rule set's label
    day: date
    examined: int = 0
    manual_kept: int = 0
    changes: list[Change] = field(default_factory=list)
    to_sort: int = 0  # « à trier » after this run
    # (service, unit) → (ménages, assigned this month)
    table: dict[tuple[str, str], tuple[int, int]] = field(default_factory=dict)
    seconds: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "simulation": self.simulation,
            "regles": self.rules,
            "date": self.day.isoformat(),
            "menages_examines": self.examined,
            "decisions_manuelles_conservees": self.manual_kept,
            "changements": [
                {"menage": c.menage_id, "avant": c.before, "apres": c.after, "regle": c.rule_id, "motif": c.reason}
                for c in self.changes
            ],
            "a_trier": self.to_sort,
            "par_service": [
                {"service": s, "unite": u, "menages": n, "nouveaux_ce_mois": new}
                for (s, u), (n, new) in sorted(self.table.items())
            ],
            "secondes": round(self.seconds, 2),
        }


def assign_all(
    engine: Engine,
    rules: RuleSet,
    settings: Settings,
    *,
    day: date,
    simulation: bool,
    command_line: str = "",
    now: datetime | None = None,
    departement: str | None = None,
) -> AssignReport:
    """Assign every open ménage by ``rules`` (manual decisions are never overridden).

    Only ménages whose destination changes get a new assignment; with ``simulation`` nothing is
    written and the report says who would move from where to where.
    """
    started = datetime.now(UTC)
    now = now or started
    report = AssignReport(simulation, rules.label, day)
    # a simulation only reads: it never waits for, nor holds, the write lock
    with engine.connect() if simulation else write_transaction(engine) as connection:
        sectors = Sectorisation.load(connection)
        decided = decide_all(connection, engine, rules, sectors, settings, day=day, now=now, departement=departement)
        report.examined, report.manual_kept = decided.examined, decided.manual_kept
        report.changes = decided.changes
        _name_first_changes(connection, report)
        if not simulation and decided.new:
            repository.record(
                connection, [(m, outcome) for m, outcome, _, _, _ in decided.new], origin="regle",
                version=rules.label_for(None), motif=None, now=now, user=audit.who(connection),
                replacing=[m for m, _, _, before, _ in decided.new if before is not None],
                versions={m: rules.label_for(dep) for m, _, _, _, dep in decided.new if dep in rules.by_departement},
            )  # fmt: skip
        report.to_sort = sum(n for (service, _, _), n in decided.places.items() if service == A_TRIER_LABEL)
        report.table = _table(decided.places)
        report.seconds = (datetime.now(UTC) - started).total_seconds()
        if not simulation:
            audit.record(
                connection,
                audit.AuditEntry(
                    action="affectation",
                    commande=command_line,
                    nb_lignes=len(decided.new),
                    details={
                        "regles": rules.label,
                        "examines": report.examined,
                        "a_trier": report.to_sort,
                        **({"departement": departement} if departement else {}),
                    },  # fmt: skip
                ),
            )
    return report


def _name_first_changes(connection: Connection, report: AssignReport) -> None:
    unnamed = [c.menage_id for c in report.changes[:NAMED_CHANGES] if not c.name]
    if unnamed:
        names = display_names(connection, unnamed)
        report.changes[:NAMED_CHANGES] = [
            replace(c, name=c.name or names.get(c.menage_id, "")) for c in report.changes[:NAMED_CHANGES]
        ]


def _table(places: Counter[tuple[str, str, bool]]) -> dict[tuple[str, str], tuple[int, int]]:
    counts: Counter[tuple[str, str]] = Counter()
    fresh: Counter[tuple[str, str]] = Counter()
    for (service, unit, new), count in places.items():
        counts[service, unit] += count
        fresh[service, unit] += count if new else 0
    return {key: (counts[key], fresh[key]) for key in counts}


def assign_manually(
    engine: Engine, menage: int, service: str, motif: str, *, day: date, command_line: str = ""
) -> tuple[int, Outcome]:
    """Record a human decision: ``service`` (a service or unit code, or its name) for ``menage``."""
    if not motif.strip():
        raise ExplocError('Le motif est obligatoire (--motif "…").')
    with write_transaction(engine) as connection:
        number = resolve_menage(connection, menage)
        sectors = Sectorisation.load(connection)
        found = sectors.service(service.strip()) or sectors.find(service, day)
        if found is None:
            known = ", ".join(s.code for s in sectors.services) or "aucun (exploc services importer)"
            raise ExplocError(f"Service « {service} » inconnu de la sectorisation.", hint=f"Services connus : {known}.")
        if isinstance(found, UniteInfo):
            parent = sectors.service(found.service_code)
            outcome = Outcome(
                AFFECTE, None, f"décision manuelle : {motif.strip()}", found.service_code,
                parent.nom if parent else None, found.code, found.nom,
            )  # fmt: skip
        else:
            outcome = Outcome(AFFECTE, None, f"décision manuelle : {motif.strip()}", found.code, found.nom)
        repository.record(
            connection,
            [(number, outcome)],
            origin="manuel",
            version=None,
            motif=motif.strip(),
            now=datetime.now(UTC),
            user=audit.who(connection),
        )
        audit.record(
            connection,
            audit.AuditEntry(
                action="affectation_manuelle",
                commande=command_line,
                nb_lignes=1,
                motif=motif.strip(),
                details={"menage": number, "service": outcome.service_code, "unite": outcome.unite_code},
            ),
        )
    return number, outcome


@dataclass(frozen=True, slots=True)
class Explanation:
    menage_id: int
    facts: MenageFacts
    outcome: Outcome
    steps: tuple[Step, ...]
    current: Assignment | None


def explain(engine: Engine, menage: int, rules: RuleSet, settings: Settings, *, day: date) -> Explanation:
    """Which rule fires for ``menage`` and why each earlier one did not; its current assignment."""
    with engine.connect() as connection:
        number = resolve_menage(connection, menage)
        sectors = Sectorisation.load(connection)
        past = history(connection, number)
        current = past[-1] if past and past[-1].courante else None
        assigned = frozenset({number}) if current is not None and current.statut == AFFECTE else frozenset()
        facts = next(iter(open_menages_facts(connection, day, settings, rules, assigned, only=number)), None)
    if facts is None:
        raise ExplocError(f"Le ménage {number} n'est pas ouvert : il n'est pas affecté (parcours clos ou vide).")
    outcome = decide(facts, rules, sectors, day)
    return Explanation(number, facts, outcome, outcome.steps, current)
