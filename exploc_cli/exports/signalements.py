"""``exploc exporter signalements``: every stored signalement, one CSV row each.

The first eight columns are a contract kept across versions:
``source;reference;type;date;nom;prenom;menage;service``. ``service`` and ``unite`` give the
current assignment of the signalement's ménage (``exploc affecter``; « à trier » when the rules
could not decide, empty when never assigned). The last, ``alertes``, gives the alert codes of
the signalement's ménage (computed on its parcours, « ; » between codes).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, Select, and_, func, or_, select

from .. import audit
from ..affectation.records import Assignment, check_service_filter, current_assignments
from ..config import Settings
from ..filters import Filters
from ..normalize.amounts import format_centimes_fr
from ..normalize.dates import format_date_fr
from ..outputs import neutralise, sha256_of, write_private_csv
from ..parcours.summary_cache import summaries
from ..store.models import Evenement, Lot, Signalement

S = Signalement.__table__  # type: ignore[attr-defined]
E = Evenement.__table__  # type: ignore[attr-defined]
L = Lot.__table__  # type: ignore[attr-defined]

CONTRACT_COLUMNS = ("source", "reference", "type", "date", "nom", "prenom", "menage", "service")
EXTRA_COLUMNS = (
    "unite",
    "civilite",
    "nom_naissance",
    "date_naissance",
    "second_nom",
    "second_prenom",
    "adresse",
    "code_postal",
    "commune",
    "code_insee",
    "departement",
    "bailleur",
    "parc",
    "loyer",
    "dette",
    "numero_allocataire",
    "enfants",
    "decision",
    "lot",
    "fichier",
    "ligne",
    "alertes",
)
HEADER = CONTRACT_COLUMNS + EXTRA_COLUMNS


@dataclass(frozen=True)
class ExportReport:
    path: Path
    rows: int
    sha256: str

    def to_json(self) -> dict[str, Any]:
        return {"fichier": str(self.path), "lignes": self.rows, "sha256": self.sha256}


def export_signalements(
    engine: Engine,
    destination: Path,
    filters: Filters,
    *,
    command_line: str = "",
    today: date | None = None,
    settings: Settings | None = None,
) -> ExportReport:
    """Write the CSV (owner-only, formula-proof) and journal the extraction.

    ``today`` and ``settings`` (its ``[alertes]`` thresholds) serve the ``alertes`` column and ``--alerte``.
    """
    with engine.connect() as connection:
        check_service_filter(connection, filters.service)
        alerts = alerts_by_menage(connection, today or date.today(), settings or Settings())
        assignments = current_assignments(connection)
        result = connection.execution_options(yield_per=5000).execute(_query(filters))
        wanted = filters.alerte
        selected = (
            r
            for r in result
            if (wanted is None or wanted in alerts.get(r.menage_id, ()))
            and filters.matches_service(assignments.get(r.menage_id))
        )
        count = write_private_csv(destination, HEADER, (_row(r, alerts, assignments) for r in selected))
    digest = sha256_of(destination)
    audit.record_file(  # no such file without its journal entry
        engine,
        audit.AuditEntry(
            action="export_signalements",
            commande=command_line,
            filtres=filters.to_json(),
            nb_lignes=count,
            chemin=str(destination.resolve()),
            sha256=digest,
        ),
        destination,
    )
    return ExportReport(destination, count, digest)


def _query(filters: Filters) -> Select[Any]:
    main = and_(E.c.signalement_id == S.c.id, E.c.principal.is_(True))
    query = (
        select(S, E.c.code.label("type_evenement"), E.c.date.label("date_evenement"), L.c.fichier.label("fichier_lot"))
        .join(E, main)
        .join(L, L.c.id == S.c.lot_id)
        .order_by(S.c.id)
    )
    if filters.source:
        query = query.where(S.c.source == filters.source)
    if filters.etape:
        query = query.where(E.c.code == filters.etape)
    if filters.du:
        query = query.where(E.c.date >= filters.du)
    if filters.au:
        query = query.where(E.c.date <= filters.au)
    if filters.commune:
        query = query.where(_commune_clause(filters))
    if filters.bailleur:
        query = query.where(func.lower(S.c.bailleur).contains(filters.bailleur.lower()))
    if filters.parc:
        query = query.where(S.c.parc == filters.parc)
    if filters.departement:
        query = query.where(S.c.departement == filters.departement)
    if filters.dette_min is not None:
        query = query.where(S.c.dette >= filters.dette_min)
    if filters.dette_max is not None:
        query = query.where(S.c.dette <= filters.dette_max)
    return query


def alerts_by_menage(connection: Connection, today: date, settings: Settings) -> dict[int, tuple[str, ...]]:
    """The alert codes of every ménage that has some (ménages without alerts are left out)."""
    return {s.menage_id: s.alerts for s in summaries(connection, today, settings) if s.alerts}


def _row(r: Any, alerts: Mapping[int, tuple[str, ...]], assignments: Mapping[int, Assignment]) -> list[str]:
    assignment = assignments.get(r.menage_id) if r.menage_id is not None else None
    return [
        r.source,
        _text(r.reference),
        r.type_evenement,
        format_date_fr(r.date_evenement),
        _text(r.nom),
        _text(r.prenoms),
        "" if r.menage_id is None else str(r.menage_id),
        _text(assignment.service_column) if assignment else "",
        _text(assignment.unit_column) if assignment else "",
        _text(r.civilite),
        _text(r.nom_naissance),
        format_date_fr(r.date_naissance) if r.date_naissance else "",
        _text(r.nom2),
        _text(r.prenoms2),
        _text(_address(r)),
        _text(r.code_postal),
        _text(r.commune),
        _text(r.code_insee),
        _text(r.departement),
        _text(r.bailleur),
        _text(r.parc),
        _money(r.loyer),
        _money(r.dette),
        _text(r.numero_allocataire),
        "" if r.enfants is None else str(r.enfants),
        _text(r.decision),
        str(r.lot_id),
        _text(r.fichier_lot),
        str(r.ligne),
        " ; ".join(alerts.get(r.menage_id, ())) if r.menage_id is not None else "",
    ]


def _address(r: Any) -> str:
    parts = [" ".join(p for p in (r.numero, r.suffixe and r.suffixe.lower(), r.voie) if p)]
    if r.complement:
        parts.append(r.complement)
    text = ", ".join(p for p in parts if p)
    return text or (r.adresse_brute or "")


def _text(value: str | None) -> str:
    return neutralise(value) if value else ""


def _money(value: int | None) -> str:
    return "" if value is None else format_centimes_fr(value)


def _commune_clause(filters: Filters) -> Any:
    """A commune given by its name, its code postal or its code INSEE (see ``Filters.matches_commune``)."""
    code = filters.commune_code
    if code is not None:
        return or_(S.c.code_insee == code, S.c.code_postal == code)
    return S.c.commune == filters.commune_name
