"""``exploc exporter signalements``: every stored signalement, one CSV row each.

The first eight columns are a contract kept across versions:
``source;reference;type;date;nom;prenom;menage;service``.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Select, and_, func, or_, select

from .. import audit
from ..filters import Filters
from ..normalize.addresses import normalize_commune
from ..normalize.amounts import format_centimes_fr
from ..normalize.dates import format_date_fr
from ..outputs import neutralise, sha256_of, write_private_csv
from ..store.db import write_transaction
from ..store.models import Evenement, Lot, Signalement

S = Signalement.__table__  # type: ignore[attr-defined]
E = Evenement.__table__  # type: ignore[attr-defined]
L = Lot.__table__  # type: ignore[attr-defined]

CONTRACT_COLUMNS = ("source", "reference", "type", "date", "nom", "prenom", "menage", "service")
EXTRA_COLUMNS = (
    "civilite",
    "nom_naissance",
    "date_naissance",
    "second_nom",
    "second_prenom",
    "adresse",
    "code_postal",
    "commune",
    "code_insee",
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
)
HEADER = CONTRACT_COLUMNS + EXTRA_COLUMNS


@dataclass(frozen=True)
class ExportReport:
    path: Path
    rows: int
    sha256: str

    def to_json(self) -> dict[str, Any]:
        return {"fichier": str(self.path), "lignes": self.rows, "sha256": self.sha256}


def export_signalements(engine: Engine, destination: Path, filters: Filters, *, command_line: str = "") -> ExportReport:
    """Write the CSV (owner-only, formula-proof) and journal the extraction."""
    with engine.connect() as connection:
        result = connection.execution_options(yield_per=5000).execute(_query(filters))
        count = write_private_csv(destination, HEADER, (_row(r) for r in result))
    digest = sha256_of(destination)
    with write_transaction(engine) as connection:
        audit.record(
            connection,
            audit.AuditEntry(
                action="export_signalements",
                commande=command_line,
                filtres=filters.to_json(),
                nb_lignes=count,
                chemin=str(destination.resolve()),
                sha256=digest,
            ),
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
        query = query.where(_commune_clause(filters.commune))
    if filters.bailleur:
        query = query.where(func.lower(S.c.bailleur).contains(filters.bailleur.lower()))
    if filters.parc:
        query = query.where(S.c.parc == filters.parc)
    if filters.dette_min is not None:
        query = query.where(S.c.dette >= filters.dette_min)
    return query


def _row(r: Any) -> list[str]:
    return [
        r.source,
        _text(r.reference),
        r.type_evenement,
        format_date_fr(r.date_evenement),
        _text(r.nom),
        _text(r.prenoms),
        "" if r.menage_id is None else str(r.menage_id),
        "",
        _text(r.civilite),
        _text(r.nom_naissance),
        format_date_fr(r.date_naissance) if r.date_naissance else "",
        _text(r.nom2),
        _text(r.prenoms2),
        _text(_address(r)),
        _text(r.code_postal),
        _text(r.commune),
        _text(r.code_insee),
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


def _commune_clause(value: str) -> Any:
    """A commune given by its name, its code postal or its code INSEE."""
    cleaned = value.strip()
    if len(cleaned) == 5 and cleaned[:2].isalnum() and cleaned[2:].isdigit():
        return or_(S.c.code_insee == cleaned.upper(), S.c.code_postal == cleaned)
    try:
        name = normalize_commune(cleaned)
    except ValueError:
        name = cleaned.upper()
    return S.c.commune == name
