"""``exploc exporter menages``: one row per ménage (its parcours summarised), in CSV or in .xlsx.

The file's extension chooses the format. Both are nominative: created owner-only, written
atomically, formula-proof, and the extraction is journalled.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Literal

from sqlalchemy import Engine

from .. import audit
from ..affectation.records import check_service_filter
from ..config import Settings
from ..errors import ExplocError
from ..filters import Filters
from ..normalize.amounts import format_centimes_fr
from ..normalize.dates import format_date_fr
from ..outputs import CellValue, XlsxColumn, neutralise, sha256_of, write_private_csv, write_private_xlsx
from ..parcours.listing import alert_labels, matches
from ..parcours.parallel import summarised_rows
from ..parcours.service import MenageSummary
from .signalements import ExportReport

Format = Literal["csv", "xlsx"]
FORMATS: dict[str, Format] = {".csv": "csv", ".xlsx": "xlsx"}

COLUMNS = (
    XlsxColumn("menage", "number", 9),
    XlsxColumn("noms", "text", 24),
    XlsxColumn("prenoms", "text", 22),
    XlsxColumn("commune", "text", 22),
    XlsxColumn("code_insee", "text", 11),
    XlsxColumn("departement", "text", 12),
    XlsxColumn("parc", "text", 8),
    XlsxColumn("bailleur", "text", 24),
    XlsxColumn("etape", "text", 30),
    XlsxColumn("date_etape", "date", 12),
    XlsxColumn("dette", "euros", 13),
    XlsxColumn("date_dette", "date", 12),
    XlsxColumn("alertes", "text", 40),
    XlsxColumn("service", "text", 30),
    XlsxColumn("unite", "text", 24),
    XlsxColumn("date_echeance", "date", 13),
    XlsxColumn("echeance", "text", 50),
    XlsxColumn("statut", "text", 10),
)
HEADER = tuple(column.title for column in COLUMNS)


def export_format(path: Path) -> Format:
    """The format of ``path`` from its extension (.csv or .xlsx), or a French error."""
    found = FORMATS.get(path.suffix.lower())
    if found is None:
        shown = f"« {path.suffix} »" if path.suffix else "aucune extension"
        raise ExplocError(
            f"Format de fichier non pris en charge pour {path.name} ({shown}).",
            hint="Donnez un fichier .csv (CSV « ; » pour Excel) ou .xlsx (classeur Excel).",
        )
    return found


def export_menages(
    engine: Engine,
    destination: Path,
    filters: Filters,
    *,
    today: date,
    settings: Settings,
    command_line: str = "",
) -> ExportReport:
    """Write the ménages that pass ``filters`` (owner-only, formula-proof) and journal the extraction."""
    kind = export_format(destination)
    with engine.connect() as connection:
        check_service_filter(connection, filters.service)
    rows = summarised_rows(engine, today, settings, lambda s: menage_row(s) if matches(s, filters) else None)
    if kind == "csv":
        count = write_private_csv(destination, HEADER, (_csv_row(row) for row in rows))
    else:
        count = write_private_xlsx(destination, COLUMNS, rows, sheet="Ménages")
    digest = sha256_of(destination)
    audit.record_file(
        engine,
        audit.AuditEntry(
            action="export_menages",
            commande=command_line,
            filtres=filters.to_json(),
            nb_lignes=count,
            chemin=str(destination.resolve()),
            sha256=digest,
            details={"format": kind},
        ),
        destination,
    )
    return ExportReport(destination, count, digest)


def menage_row(summary: MenageSummary) -> list[CellValue]:
    """The row of a ménage, typed: text, dates, amounts in centimes (see ``COLUMNS``); its service
    and unit are its current assignment's (« à trier » when the rules could not decide, empty when
    never assigned)."""
    assignment = summary.affectation
    noms = [n for n in (summary.nom, summary.nom2) if n]
    prenoms = [p for p in (summary.prenoms, summary.prenoms2) if p]
    statut = summary.statut + (" (rouvert)" if summary.reopened else "")
    return [
        summary.menage_id,
        " ; ".join(noms),
        " ; ".join(prenoms),
        summary.commune,
        summary.code_insee,
        summary.departement,
        summary.parc,
        summary.bailleur,
        summary.stage_label,
        summary.stage_date,
        summary.dette,
        summary.dette_date,
        " ; ".join(alert_labels(summary.alerts)),
        assignment.service_column if assignment else None,
        assignment.unit_column if assignment else None,
        summary.next_deadline,
        summary.next_deadline_label,
        statut,
    ]


def _csv_row(row: Sequence[CellValue]) -> list[str]:
    return [csv_cell(column, value) for column, value in zip(COLUMNS, row, strict=True)]


def csv_cell(column: XlsxColumn, value: CellValue) -> str:
    """A typed value as the CSV exports write it: dates and amounts in French, text formula-proof."""
    if value is None:
        return ""
    if column.kind == "date" and isinstance(value, date):
        return format_date_fr(value)
    if column.kind == "euros" and isinstance(value, int):
        return format_centimes_fr(value)
    if isinstance(value, str):
        return neutralise(value)
    return str(value)
