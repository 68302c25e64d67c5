"""``exploc demo``: the whole mission, end to end, on the bundled fictional département: import,
sectorisation and assignment by the shipped rules, parcours, exports, a CCAPEX session and its documents,
a nominative extraction and the territorial diagnostic.

It works in its own base inside the chosen folder and never touches the user's base.
"""

from __future__ import annotations

import shutil
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, distinct, func, select

from .affectation.rules import DEFAULT_RULES_PATH, load_rules
from .affectation.sectorisation_import import ImportSummary, import_sectorisation
from .affectation.service import AssignReport, assign_all
from .config import Settings
from .exports.menages import export_menages
from .exports.signalements import ExportReport, export_signalements
from .extractions.service import ExtractionReport, ExtractionRequest, extract
from .filters import Filters
from .importers.profiles import load_profile
from .importers.report import ImportReport
from .importers.service import ImportOptions, import_paths
from .parcours import Parcours, load_parcours, summarise_all
from .resources import sample_data_dir
from .seances.selection import Criteria
from .seances.service import add_menages, create_seance
from .store.db import initialise_store, open_store, resolve_location
from .store.models import Evenement, Signalement
from .store.queries import events_by_code, signalements_by_source

BASE_NAME = "exploc.sqlite"
EXTRACTION = "extraction_service_social.xlsx"
SESSION_FILES = ("seance_ordre_du_jour.docx", "seance_dossier.docx", "seance_feuille_decisions.xlsx")
MENAGES_EXPORT = "menages.xlsx"
DIAGNOSTIC_FILES = ("diagnostic.xlsx", "diagnostic.docx")
S = Signalement.__table__  # type: ignore[attr-defined]
E = Evenement.__table__  # type: ignore[attr-defined]


@dataclass
class ParcoursOverview:
    """The parcours step of the demo: ménages by current stage, alerts, and one rich parcours."""

    menages: int
    by_stage: dict[str | None, int]
    by_alert: dict[str, int]
    example: Parcours | None
    export: ExportReport

    def to_json(self) -> dict[str, Any]:
        return {
            "menages": self.menages,
            "par_etape": {stage or "aucune": count for stage, count in self.by_stage.items()},
            "par_alerte": self.by_alert,
            "menage_exemple": self.example.menage_id if self.example else None,
            "export": self.export.to_json(),
        }


@dataclass
class SessionStep:
    """The session step of the demo: a session, its ordre du jour, dossier and decision sheet."""

    seance: int
    title: str
    menages: list[int]
    files: list[Path]

    def to_json(self) -> dict[str, Any]:
        return {
            "seance": self.seance,
            "titre": self.title,
            "menages": self.menages,
            "fichiers": [str(p) for p in self.files],
        }


@dataclass
class DiagnosticStep:
    """The diagnostic step of the demo: the year 2025 by unit, as a workbook and a Word report."""

    files: list[Path]
    households: int
    tables: int
    masked: int

    def to_json(self) -> dict[str, Any]:
        return {
            "fichiers": [str(p) for p in self.files],
            "menages": self.households,
            "tableaux": self.tables,
            "cellules_masquees": self.masked,
        }


@dataclass
class DemoReport:
    folder: Path
    base: Path
    imports: list[ImportReport]
    export: ExportReport
    by_source: dict[str, int]
    by_event: dict[str, int]
    parcours: ParcoursOverview
    sectorisation: ImportSummary
    affectation: AssignReport
    seance: SessionStep
    extraction: ExtractionReport
    diagnostic: DiagnosticStep

    def to_json(self) -> dict[str, Any]:
        return {
            "dossier": str(self.folder),
            "base": str(self.base),
            "imports": [r.to_json() for r in self.imports],
            "export": self.export.to_json(),
            "signalements_par_source": self.by_source,
            "evenements_par_type": self.by_event,
            "parcours": self.parcours.to_json(),
            "sectorisation": self.sectorisation.to_json(),
            "affectation": self.affectation.to_json(),
            "seance": self.seance.to_json(),
            "extraction": self.extraction.to_json(),
            "diagnostic": self.diagnostic.to_json(),
        }


def run_demo(folder: Path, *, command_line: str = "exploc demo") -> DemoReport:
    """Rebuild the demo base in ``folder`` from ``sample_data/`` and run the main job on it."""
    folder = folder.resolve()
    folder.mkdir(parents=True, exist_ok=True)
    _clean_previous_run(folder)
    location = resolve_location(str(folder / BASE_NAME))
    initialise_store(location)
    engine = open_store(location)
    try:
        samples = sample_data_dir()
        options = ImportOptions(command_line=command_line)
        imports = [import_paths(engine, location, [samples], options)]
        for profile_path in sorted((samples / "profils").glob("*.toml")):
            data = [p for p in profile_path.parent.glob(profile_path.stem + ".*") if p.suffix != ".toml"]
            if data:
                profiled = ImportOptions(command_line=command_line, profile=load_profile(profile_path))
                imports.append(import_paths(engine, location, data, profiled))
        today, settings = date.today(), Settings()  # the demo never reads the user's configuration
        # the shipped rules and the sample sectorisation, never the user's rules file
        sectorisation = import_sectorisation(engine, samples / "referentiel" / "sectorisation.csv", command_line)
        assignment = assign_all(
            engine, load_rules(DEFAULT_RULES_PATH), settings, day=today, simulation=False, command_line=command_line
        )
        export = export_signalements(
            engine, folder / "signalements.csv", Filters(), command_line=command_line, today=today, settings=settings
        )
        with engine.connect() as connection:
            stages: Counter[str | None] = Counter()
            alerts: Counter[str] = Counter()
            for summary in summarise_all(connection, today, settings):
                stages[summary.stage] += 1
                alerts.update(summary.alerts)
            richest = _richest_menage(connection)
            example = load_parcours(connection, richest, today, settings) if richest is not None else None
        menages = export_menages(
            engine, folder / MENAGES_EXPORT, Filters(), today=today, settings=settings, command_line=command_line
        )
        overview = ParcoursOverview(sum(stages.values()), dict(stages), dict(alerts), example, menages)
        session = _session_step(engine, folder, settings, today, command_line)
        extraction = extract(
            engine,
            folder / EXTRACTION,
            ExtractionRequest(Filters(alerte="inconnu_social"), "Démonstration : ménages sans suivi social connu"),
            today=today,
            settings=settings,
            command_line=command_line,
        )
        diagnostic = _diagnostic_step(engine, folder, settings, today, command_line)
        return DemoReport(
            folder,
            folder / BASE_NAME,
            imports,
            export,
            signalements_by_source(engine),
            events_by_code(engine),
            overview,
            sectorisation,
            assignment,
            session,
            extraction,
            diagnostic,
        )
    finally:
        engine.dispose()


def _session_step(engine: Engine, folder: Path, settings: Settings, today: date, command_line: str) -> SessionStep:
    """A session in two weeks with the twelve most advanced procedures over 3,000 € of debt, its
    ordre du jour and dossier (the shipped Word templates) and its decision sheet."""
    from .documents.session_docs import generate_document
    from .seances.documents_sheet import write_sheet

    seance = create_seance(
        engine, today + timedelta(days=14), "CCAPEX centrale", lieu="Préfecture, salle 2", heure="14:00",
        command_line=command_line,
    )  # fmt: skip
    criteria = Criteria(Filters(dette_min=300_000), limite=12)
    added = add_menages(
        engine, seance.id, [], criteria, motif=None, today=today, settings=settings, command_line=command_line
    )
    files = [folder / name for name in SESSION_FILES]
    for kind, path in zip(("ordre_du_jour", "dossier_seance"), files, strict=False):
        generate_document(
            engine, seance.id, kind, path, settings, config_dir=None, today=today, command_line=command_line
        )
    write_sheet(engine, seance.id, files[2], settings, config_dir=None, today=today, command_line=command_line)
    return SessionStep(seance.id, seance.title, [menage for _, menage, _ in added.added], files)


def _diagnostic_step(
    engine: Engine, folder: Path, settings: Settings, today: date, command_line: str
) -> DiagnosticStep:
    """The territorial diagnostic of 2025 (the year the sample files cover) by unit, .xlsx and .docx."""
    from .diagnostics.service import DiagnosticRequest, run_diagnostic

    request = DiagnosticRequest(du=date(2025, 1, 1), au=date(2025, 12, 31), level="unite")
    reports = [
        run_diagnostic(
            engine, folder / name, request, today=today, settings=settings, config_dir=None, command_line=command_line
        )
        for name in DIAGNOSTIC_FILES
    ]
    diagnostic = reports[0].diagnostic
    return DiagnosticStep([r.path for r in reports], diagnostic.households, diagnostic.tables, sum(diagnostic.masked))


def _richest_menage(connection: Connection) -> int | None:
    """The ménage with the richest parcours: most kinds of events, then sources, then events."""
    query = (
        select(S.c.menage_id)
        .select_from(S.join(E, E.c.signalement_id == S.c.id))
        .where(S.c.menage_id.is_not(None))
        .group_by(S.c.menage_id)
        .order_by(
            func.count(distinct(E.c.code)).desc(),
            func.count(distinct(S.c.source)).desc(),
            func.count().desc(),
            S.c.menage_id,
        )
        .limit(1)
    )
    found = connection.execute(query).scalar()
    return int(found) if found is not None else None


def _clean_previous_run(folder: Path) -> None:
    """Remove only what an earlier demo wrote, never anything else of the folder."""
    for name in (
        BASE_NAME,
        BASE_NAME + "-wal",
        BASE_NAME + "-shm",
        "signalements.csv",
        MENAGES_EXPORT,
        EXTRACTION,
        *SESSION_FILES,
        *DIAGNOSTIC_FILES,
    ):
        (folder / name).unlink(missing_ok=True)
    rejects = folder / "rejets"
    if rejects.is_dir():
        for file in rejects.glob("*_rejets.csv"):
            file.unlink()
    shutil.rmtree(folder / "__pycache__", ignore_errors=True)
