"""``exploc extraire``: a nominative extraction for a partner, minimal, audited and protected.

The ménages that pass the shared filters (and, if asked, those of a session or of a unit), with
the columns of the recipient's profile; an .xlsx carries an « À propos » sheet (filters, date,
count, motif, confidentiality notice), a CSV is UTF-8 with BOM and « ; ». Files are owner-only,
formula-proof, optionally encrypted, and every extraction is journaled — without any name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine

from .. import audit
from ..affectation.records import check_service_filter, designates
from ..config import Settings
from ..errors import ExplocError
from ..exports.menages import csv_cell, export_format
from ..filters import Filters
from ..normalize.dates import format_date_fr
from ..normalize.text import fold
from ..outputs import CellValue, XlsxColumn, sha256_of, write_private_csv, write_private_xlsx
from ..parcours.listing import matches
from ..parcours.parallel import summarised_rows
from ..parcours.service import MenageSummary
from ..protect import encrypt_office_bytes
from ..seances.records import get_seance, inscriptions_of, merge_redirects
from .columns import DEFAULT_PROFILE, Column, profile_columns
from .pseudonyms import pseudonym, pseudonym_key

NOTICE = (
    "Document confidentiel — secret professionnel (code pénal, art. 226-13). Ces données nominatives "
    "sont transmises pour le seul motif indiqué ; ne les diffusez pas au-delà des personnes qui en ont "
    "besoin, ne les conservez pas plus longtemps que nécessaire, et détruisez le fichier ensuite."
)


@dataclass(frozen=True)
class ExtractionRequest:
    filters: Filters
    motif: str
    profile: str = DEFAULT_PROFILE
    seance: int | None = None
    unite: str | None = None
    pseudonymise: bool = False
    password: str | None = None


@dataclass(frozen=True)
class ExtractionReport:
    path: Path
    rows: int
    sha256: str
    profile: str
    encrypted: bool
    pseudonymised: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "fichier": str(self.path),
            "lignes": self.rows,
            "sha256": self.sha256,
            "profil": self.profile,
            "chiffre": self.encrypted,
            "pseudonymise": self.pseudonymised,
        }


def extract(
    engine: Engine,
    destination: Path,
    request: ExtractionRequest,
    *,
    today: date,
    settings: Settings,
    command_line: str = "",
) -> ExtractionReport:
    if not request.motif.strip():
        raise ExplocError("Le motif de l'extraction est obligatoire (--motif).", 'Ex. : --motif "Suivi des CQL".')
    kind = export_format(destination)
    custom = {name: tuple(codes) for name, codes in settings.extraction.profils.items()}
    columns = profile_columns(request.profile, custom)
    key = pseudonym_key(engine) if request.pseudonymise else None
    if key is not None:
        columns = _pseudonymised_columns(columns)
    sheet_columns = [c.sheet for c in columns]
    if key is not None:
        sheet_columns = [XlsxColumn("Pseudonyme", "text", 14), *sheet_columns]
    if request.password is not None and kind != "xlsx":
        raise ExplocError("Seul un classeur .xlsx peut être protégé par un mot de passe (--chiffrer).")
    with engine.connect() as connection:
        check_service_filter(connection, request.filters.service)
        wanted = _seance_menages(connection, request.seance)
    unit = fold(request.unite) if request.unite else None
    rows = summarised_rows(engine, today, settings, _Selection(request.filters, wanted, unit, columns, key))
    if kind == "csv":
        header = [c.title for c in sheet_columns]
        count = write_private_csv(destination, header, (_csv(row, sheet_columns) for row in rows))
    else:
        password = request.password
        count = write_private_xlsx(
            destination,
            sheet_columns,
            rows,
            sheet="Extraction",
            about=lambda n: _about(request, today, n),
            encrypt=(lambda data: encrypt_office_bytes(data, password)) if password is not None else None,
        )
    digest = sha256_of(destination)
    filters = _filters_json(request)
    audit.record_file(
        engine,
        audit.AuditEntry(
            action="extraction",
            commande=command_line,
            filtres=filters,
            motif=request.motif.strip(),
            nb_lignes=count,
            chemin=str(destination.resolve()),
            sha256=digest,
            details={
                "format": kind,
                "profil": request.profile,
                "chiffre": request.password is not None,
                "pseudonymise": request.pseudonymise,
            },
        ),
        destination,
    )
    return ExtractionReport(destination, count, digest, request.profile, request.password is not None, key is not None)


def _seance_menages(connection: Connection, seance_id: int | None) -> frozenset[int] | None:
    """The ménages booked for the session (merged ones as the ménage that absorbed them)."""
    if seance_id is None:
        return None
    seance = get_seance(connection, seance_id)
    redirects = merge_redirects(connection)
    return frozenset(redirects.get(i.menage_id, i.menage_id) for i in inscriptions_of(connection, seance.id))


@dataclass(frozen=True)
class _Selection:
    """A ménage's row when it passes the filters (and is of the session, of the unit), else None."""

    filters: Filters
    wanted: frozenset[int] | None
    unit: str | None  # folded
    columns: Sequence[Column]
    key: bytes | None

    def __call__(self, summary: MenageSummary) -> list[CellValue] | None:
        if not matches(summary, self.filters):
            return None
        if self.wanted is not None and summary.menage_id not in self.wanted:
            return None
        if self.unit is not None and not _in_unit(summary, self.unit):
            return None
        return _row(summary, self.columns, self.key)


def _in_unit(summary: MenageSummary, unit: str) -> bool:
    assignment = summary.affectation
    return assignment is not None and designates(unit, assignment.unite_code, assignment.unite_libelle)


def _pseudonymised_columns(columns: Sequence[Column]) -> tuple[Column, ...]:
    """Identifying columns out; the birth date kept as its year."""
    kept: list[Column] = []
    for column in columns:
        if column.code == "date_naissance":
            kept.append(replace(column, sheet=XlsxColumn("Année de naissance", "number", 10), value=_birth_year))
        elif not column.identifying:
            kept.append(column)
    return tuple(kept)


def _birth_year(summary: MenageSummary) -> CellValue:
    born = summary.household.date_naissance if summary.household else None
    return born.year if born else None


def _row(summary: MenageSummary, columns: Sequence[Column], key: bytes | None) -> list[CellValue]:
    values = [column.value(summary) for column in columns]
    return [pseudonym(key, summary.menage_id), *values] if key is not None else values


def _csv(row: Sequence[CellValue], columns: Sequence[XlsxColumn]) -> list[str]:
    return [csv_cell(column, value) for column, value in zip(columns, row, strict=True)]


def _filters_json(request: ExtractionRequest) -> dict[str, Any]:
    found: dict[str, Any] = dict(request.filters.to_json())
    if request.seance is not None:
        found["seance"] = request.seance
    if request.unite:
        found["unite"] = request.unite
    found["colonnes"] = request.profile
    if request.pseudonymise:
        found["pseudonymiser"] = True
    return found


def _about(request: ExtractionRequest, today: date, count: int) -> list[tuple[str, str]]:
    filters = _filters_json(request)
    described = " ; ".join(f"{k} = {v}" for k, v in filters.items() if k not in ("colonnes", "pseudonymiser"))
    return [
        ("Extraction exploc", f"{datetime.now():%d/%m/%Y à %H:%M}"),
        ("Motif", request.motif.strip()),
        ("Filtres", described or "aucun (tous les ménages ouverts et clos)"),
        ("Colonnes", f"profil « {request.profile} »"),
        ("Ménages", str(count)),
        ("Données au", format_date_fr(today)),
        (
            "Pseudonymisation",
            "oui : noms, adresses exactes et numéros remplacés ou retirés" if request.pseudonymise else "non",
        ),
        ("Confidentialité", NOTICE),
    ]
