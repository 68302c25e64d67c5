"""Importing partner files: one transaction per file, duplicates ignored, rejects reported.

Only this module opens transactions for an import. A folder imports every supported file
in it not imported before (by SHA-256), oldest first; the import lock keeps two imports
from overlapping.
"""

from __future__ import annotations

import logging
import shutil
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from itertools import chain, islice
from pathlib import Path

from sqlalchemy import Engine, select

from ..errors import SourceFileError
from ..linkage.service import link_households
from ..outputs import sha256_of
from ..paths import ensure_private_dir, restrict_to_owner
from ..store.db import StoreLocation, let_waiting_writers_in, write_transaction
from ..store.lock import store_import_lock
from ..store.models import Lot, Signalement
from .layouts import load_layouts, resolve_source_name
from .mapping import HEADER_SEARCH_ROWS, HeaderMatch, best_header, describe_missing, explain_detection
from .profiles import Profile
from .readers import SUPPORTED_SUFFIXES, FileFormat, ReadLimits, Sheet, read_sheets, sniff_format
from .rejects import RejectsFile
from .report import INPUT, OK, PARTIAL, FileReport, ImportReport
from .rows import RowNormaliser
from .sinks import DryRunSink, Sink, StoreSink

logger = logging.getLogger("exploc.import")
LOT_TABLE = Lot.__table__  # type: ignore[attr-defined]
SIGNALEMENT_TABLE = Signalement.__table__  # type: ignore[attr-defined]
BATCH_SIZE = 2000

ProgressCallback = Callable[[str, float], None]


@dataclass(frozen=True)
class ImportOptions:
    source: str | None = None
    profile: Profile | None = None
    strict: bool = False
    dry_run: bool = False
    archive_dir: Path | None = None
    command_line: str = ""
    allocataire_width: int = 7
    limits: ReadLimits = field(default_factory=ReadLimits)
    rejects_dir: Path | None = None
    today: date | None = None
    link: bool = True  # group the new rows into ménages once the files are in
    departement: str | None = None  # of the rows whose code INSEE and postcode tell none


class _StrictAbort(Exception):
    """Raised inside the transaction to roll back a strict import that met a reject."""


def collect_files(paths: Sequence[Path]) -> list[Path]:
    """Files named, plus the supported files of the folders named (oldest first, not recursive)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = [
                p
                for p in path.iterdir()
                if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES and not p.name.startswith((".", "~$"))
            ]
            files.extend(sorted(found, key=lambda p: (p.stat().st_mtime, p.name)))
        else:
            files.append(path)
    unique: dict[Path, None] = {}
    for file in files:
        unique.setdefault(file, None)
    return list(unique)


def import_paths(
    engine: Engine,
    location: StoreLocation,
    paths: Sequence[Path],
    options: ImportOptions,
    progress: ProgressCallback | None = None,
) -> ImportReport:
    """Import every file of ``paths``; each file is its own transaction."""
    if options.source:
        options = replace(options, source=resolve_source_name(options.source))
    files = collect_files(paths)
    rejects_dir = options.rejects_dir or location.data_dir / "rejets"
    options = replace(options, rejects_dir=rejects_dir)
    report = ImportReport([], dry_run=options.dry_run)
    with _lock_unless_dry_run(location, options.dry_run):
        _import_each(engine, files, options, report, progress)
        # Rows left unlinked by an import killed between its commit and its linkage are linked
        # by the next import, even when all its files were already imported.
        if not options.dry_run and options.link and (any(f.imported for f in report.files) or _unlinked(engine)):
            let_waiting_writers_in(engine)
            report.linkage = link_households(engine, command_line=options.command_line)
    return report


def _unlinked(engine: Engine) -> bool:
    """Does any signalement wait for its ménage? (indexed: one row read at most)"""
    query = select(SIGNALEMENT_TABLE.c.id).where(SIGNALEMENT_TABLE.c.menage_id.is_(None)).limit(1)
    with engine.connect() as connection:
        return connection.execute(query).first() is not None


def _import_each(
    engine: Engine, files: list[Path], options: ImportOptions, report: ImportReport, progress: ProgressCallback | None
) -> None:
    for index, path in enumerate(files):
        if index and report.files[-1].imported:
            let_waiting_writers_in(engine)
        file_report = import_file(engine, path, options, progress)
        report.files.append(file_report)
        logger.info(
            "%s sha256=%s statut=%s source=%s lot=%s lues=%d importees=%d deja=%d rejetees=%d code=%d",
            path.name,
            (file_report.sha256 or "-")[:16],
            file_report.status,
            file_report.source,
            file_report.lot_id,
            file_report.read,
            file_report.imported,
            file_report.duplicates,
            file_report.rejected,
            file_report.exit_code,
        )


@contextmanager
def _lock_unless_dry_run(location: StoreLocation, dry_run: bool) -> Iterator[None]:
    if dry_run:
        yield
        return
    with store_import_lock(location):
        yield


def import_file(
    engine: Engine, path: Path, options: ImportOptions, progress: ProgressCallback | None = None
) -> FileReport:
    """Import one file in one transaction; never raises for bad input (the report says why)."""
    display = str(path)
    report = FileReport(path=display, profile=options.profile.name if options.profile else None)
    try:
        if not path.is_file():
            raise SourceFileError(display, "fichier introuvable." if not path.exists() else "ce n'est pas un fichier.")
        try:
            report.sha256 = sha256_of(path)
        except OSError as err:
            raise SourceFileError(display, f"lecture impossible ({err.strerror}).") from None
        previous = _imported_lot(engine, report.sha256)
        if previous is not None:
            report.status, report.exit_code, report.lot_id = "deja_importe", OK, previous[0]
            report.previous_lot, report.source = previous[0], previous[1]
            report.message = f"déjà importé le {previous[2]:%d/%m/%Y} (lot {previous[0]}) : rien à faire."
        else:
            _run(engine, path, display, options, report, progress)
    except SourceFileError as err:
        report.status, report.exit_code, report.message, report.hint = "erreur", INPUT, str(err), err.hint
    except _StrictAbort:
        report.status, report.exit_code = "erreur", INPUT
        report.lot_id = None
        report.message = f"{display} : mode strict : {report.rejected} ligne(s) rejetée(s), rien n'a été importé."
        report.imported = 0
    if report.exit_code != INPUT and options.archive_dir is not None and not options.dry_run:
        report.archived_to = _archive(path, options.archive_dir, report)
    return report


def _imported_lot(engine: Engine, sha256: str) -> tuple[int, str, datetime] | None:
    query = (
        select(LOT_TABLE.c.id, LOT_TABLE.c.source, LOT_TABLE.c.debut)
        .where(LOT_TABLE.c.sha256 == sha256, LOT_TABLE.c.statut == "importe")
        .order_by(LOT_TABLE.c.id)
        .limit(1)
    )
    with engine.connect() as connection:
        row = connection.execute(query).first()
    if row is None:
        return None
    started = row[2].astimezone() if row[2].tzinfo else row[2]
    return int(row[0]), str(row[1]), started


def _run(
    engine: Engine,
    path: Path,
    display: str,
    options: ImportOptions,
    report: FileReport,
    progress: ProgressCallback | None,
) -> None:
    profile = options.profile
    fmt = sniff_format(
        path, display, encoding=profile.encoding if profile else None, delimiter=profile.delimiter if profile else None
    )
    report.format = fmt.description
    assert options.rejects_dir is not None
    rejects = RejectsFile(options.rejects_dir, path.name, display)
    try:
        if options.dry_run:
            with engine.connect() as connection, connection.begin() as transaction:
                sink: Sink = DryRunSink(connection)
                _read_file(path, display, fmt, options, report, rejects, sink, progress)
                transaction.rollback()  # a simulation writes nothing
            report.status = "simulation"
        else:
            with write_transaction(engine) as connection:
                sink = StoreSink(connection, path, report, fmt, options)
                _read_file(path, display, fmt, options, report, rejects, sink, progress)
                if options.strict and report.rejected:
                    raise _StrictAbort()
                sink.finish()
            report.status = "importe_avec_rejets" if report.rejected else "importe"
        report.exit_code = PARTIAL if report.rejected else OK
    finally:
        rejects.close()
        if rejects.written:
            report.rejects_path = str(rejects.path)
        report.reject_preview = list(rejects.rejects)
        report.warning_preview = list(rejects.warnings)
    if options.dry_run and options.strict and report.rejected:
        report.exit_code = INPUT


def _read_file(
    path: Path,
    display: str,
    fmt: FileFormat,
    options: ImportOptions,
    report: FileReport,
    rejects: RejectsFile,
    sink: Sink,
    progress: ProgressCallback | None,
) -> None:
    layouts = load_layouts()
    profile = options.profile
    forced = profile.source if profile else options.source
    specs = [layouts[forced]] if forced else list(layouts.values())
    failures: list[tuple[HeaderMatch | None, list[str]]] = []
    matched = False
    for sheet in read_sheets(path, display, fmt, options.limits):
        if profile and profile.sheet and sheet.name is not None and sheet.name != profile.sheet:
            continue
        head = list(islice(sheet.rows, HEADER_SEARCH_ROWS))
        match = best_header(head, specs, profile, profile.header_row if profile else None)
        if match is None or not match.complete:
            failures.append((match, _header_candidates(head, match)))
            continue
        if not matched:
            report.source = match.spec.name
            report.detection = explain_detection(match, "profil" if profile else options.source)
            specs = [match.spec]
            sink.start(match, report)
            matched = True
        if sheet.name is not None:
            report.sheets.append(sheet.name)
        rows = chain((r for r in head if r[0] > match.row_number), sheet.rows)
        _consume(rows, sheet, match, options, report, rejects, sink, progress, display)
    if not matched:
        match, found = max(failures, key=lambda f: f[0].score if f[0] else (-1, 0, 0, 0), default=(None, []))
        where = f"feuille « {profile.sheet} » introuvable ; " if profile and profile.sheet and not failures else ""
        raise SourceFileError(
            display,
            where + describe_missing(match, specs, found),
            hint="Si ce partenaire a ses propres en-têtes, décrivez-les dans un profil "
            "et importez avec --profil FICHIER.toml (voir sample_data/profils/).",
        )


def _header_candidates(head: list[tuple[int, list[str]]], match: HeaderMatch | None) -> list[str]:
    if match is not None:
        return list(match.headers)
    for _, cells in head:
        if sum(1 for c in cells if c.strip()) >= 2:
            return cells
    return []


def _consume(
    rows: Iterator[tuple[int, list[str]]],
    sheet: Sheet,
    match: HeaderMatch,
    options: ImportOptions,
    report: FileReport,
    rejects: RejectsFile,
    sink: Sink,
    progress: ProgressCallback | None,
    display: str,
) -> None:
    normaliser = RowNormaliser(
        match, allocataire_width=options.allocataire_width, today=options.today, departement=options.departement
    )
    batch: list[tuple[int, list[str]]] = []
    for number, cells in rows:
        first = next((c for c in cells if c and not c.isspace()), None)
        if first is None or first.lstrip()[:5].upper() == "TOTAL":
            continue
        batch.append((number, cells))
        if len(batch) >= BATCH_SIZE:
            _flush(normaliser, batch, sheet.name, report, rejects, sink)
            batch = []
            if progress is not None:
                progress(display, min(sheet_progress(sheet), 1.0))
    _flush(normaliser, batch, sheet.name, report, rejects, sink)
    if progress is not None:
        progress(display, 1.0)


def sheet_progress(sheet: Sheet) -> float:
    return sheet.fraction() if sheet.fraction is not None else 0.0


def _flush(
    normaliser: RowNormaliser,
    batch: list[tuple[int, list[str]]],
    sheet: str | None,
    report: FileReport,
    rejects: RejectsFile,
    sink: Sink,
) -> None:
    """Skip the rows already stored (by raw fingerprint, before normalising), then store the rest.

    A monthly file that repeats earlier rows costs little: its repeated rows are never normalised.
    """
    if not batch:
        return
    report.read += len(batch)
    fingerprints = normaliser.fingerprints(batch)
    existing = sink.existing(normaliser.spec.name, fingerprints)
    if existing:
        todo = [i for i, fingerprint in enumerate(fingerprints) if fingerprint not in existing]
        report.duplicates += len(batch) - len(todo)
        if not todo:
            return
        batch, fingerprints = [batch[i] for i in todo], [fingerprints[i] for i in todo]
    result = normaliser.normalise_batch(batch, sheet, fingerprints)
    report.rejected += len(result.rejects)
    report.warnings += len(result.warnings)
    for anomaly in sorted(result.rejects + result.warnings, key=lambda a: a.row):
        rejects.add(anomaly)
    fresh: list[int] = []
    seen: set[bytes] = set()
    for index, fingerprint in enumerate(result.fingerprints):
        if fingerprint in seen:  # the same row twice in this batch
            report.duplicates += 1
            continue
        seen.add(fingerprint)
        fresh.append(index)
    if fresh:
        sink.insert(result.keep(fresh), normaliser.columns)
    report.imported += len(fresh)


def _archive(path: Path, folder: Path, report: FileReport) -> str | None:
    try:
        ensure_private_dir(folder)  # the partners' files are nominative
        target = folder / path.name
        counter = 2
        while target.exists():
            target = folder / f"{path.stem}-{counter}{path.suffix}"
            counter += 1
        shutil.move(str(path), str(target))
        restrict_to_owner(target)
        return str(target)
    except OSError as err:
        report.hint = f"Archivage impossible ({err.strerror}) : le fichier est resté en place."
        return None
