"""``seances feuille-decisions``: the decision sheet of a session, written and journaled."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import Engine

from ..config import Settings
from ..documents.report import DocumentReport, journal_or_remove
from ..errors import ExplocError
from .overview import load_session
from .referentiel import load_referentiel
from .sheet_write import write_decision_sheet


def write_sheet(
    engine: Engine,
    seance_id: int,
    output: Path,
    settings: Settings,
    *,
    config_dir: Path | None,
    today: date,
    command_line: str,
) -> DocumentReport:
    with engine.connect() as connection:
        overview = load_session(connection, seance_id, today, settings)
    if not overview.lines:
        raise ExplocError(f"La séance n° {seance_id} n'a aucun ménage inscrit.")
    write_decision_sheet(output, overview, load_referentiel(config_dir))
    report = DocumentReport(
        seance_id, "feuille_decisions", [output], [line.parcours.menage_id for line in overview.lines]
    )
    journal_or_remove(engine, report, command_line)  # no decision sheet without its journal entry
    return report
