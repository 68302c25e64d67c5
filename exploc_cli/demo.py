"""``exploc demo``: the whole mission, end to end, on the bundled fictional département.

It works in its own base inside the chosen folder and never touches the user's base.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .exports.signalements import ExportReport, export_signalements
from .filters import Filters
from .importers.profiles import load_profile
from .importers.report import ImportReport
from .importers.service import ImportOptions, import_paths
from .resources import sample_data_dir
from .store.db import initialise_store, open_store, resolve_location
from .store.queries import events_by_code, signalements_by_source

BASE_NAME = "exploc.sqlite"


@dataclass
class DemoReport:
    folder: Path
    base: Path
    imports: list[ImportReport]
    export: ExportReport
    by_source: dict[str, int]
    by_event: dict[str, int]

    def to_json(self) -> dict[str, Any]:
        return {
            "dossier": str(self.folder),
            "base": str(self.base),
            "imports": [r.to_json() for r in self.imports],
            "export": self.export.to_json(),
            "signalements_par_source": self.by_source,
            "evenements_par_type": self.by_event,
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
        export = export_signalements(engine, folder / "signalements.csv", Filters(), command_line=command_line)
        return DemoReport(
            folder, folder / BASE_NAME, imports, export, signalements_by_source(engine), events_by_code(engine)
        )
    finally:
        engine.dispose()


def _clean_previous_run(folder: Path) -> None:
    """Remove only what an earlier demo wrote, never anything else of the folder."""
    for name in (BASE_NAME, BASE_NAME + "-wal", BASE_NAME + "-shm", "signalements.csv"):
        (folder / name).unlink(missing_ok=True)
    rejects = folder / "rejets"
    if rejects.is_dir():
        for file in rejects.glob("*_rejets.csv"):
            file.unlink()
    shutil.rmtree(folder / "__pycache__", ignore_errors=True)
