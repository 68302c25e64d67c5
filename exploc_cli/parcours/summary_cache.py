"""Ménage summaries kept in the base between commands, so that an extraction recomputes only what changed.

Summarising a ménage (timeline, deadlines, alerts) costs ~0.3 ms: 30 s for a département's
100,000 ménages, on every extraction. A summary only changes when the ménage's rows change or
when the day reaches one of its dates (``validity.valid_until``). So each summary computed is kept
(table ``resume_menage``) with the day it was computed, the first day it may differ and a key
(settings, deadline rules, format): a later command on a day within that span, with the same key,
reads it instead of recomputing it.

Correctness does not depend on the code that changes the data: the base's triggers (migration
0008) delete a ménage's summary with every change to its signalements, events, ménage row or
assignments, and all summaries with every change to the commission's préconisations.

Summaries are written back by the command that read the ménages, inside the read transaction it
computed them in: SQLite refuses that write when anything was committed since the transaction's
snapshot (and it is then skipped, without waiting), so a summary computed from rows that have
since changed is never stored. PostgreSQL has the same triggers (migration 0010) and checks a
change generation instead of a snapshot (``summary_pg``).
"""

from __future__ import annotations

import functools
import hashlib
import json
import sqlite3
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, fields
from datetime import date
from pathlib import Path
from typing import IO, Any

from sqlalchemy import Connection, Engine, text

from .. import __version__
from ..affectation.records import Assignment, MenageRange, iter_current_assignments
from ..config import Settings
from ..linkage.repository import rows_of
from ..store.db import is_busy_error
from . import summary_pg
from .household import Household, SocialFollowUp
from .recommendations import open_recommendations
from .rules import DeadlineRules, load_deadline_rules
from .service import MenageSummary, SummaryJob, raw_groups

FORMAT = 1  # raise when the encoding or the meaning of a summary changes
_WRITE_CHUNK = 2_000
BATCH = 1_000  # ménages per batch (a range of consecutive numbers)
_NOT_STORED = frozenset({"household", "follow_ups", "affectation", "valable_jusqu_au"})
_SUMMARY_FIELDS = tuple(f for f in fields(MenageSummary) if f.name not in _NOT_STORED)
_NAMES = tuple(f.name for f in _SUMMARY_FIELDS)


def _kinds(cls: Any, names: Sequence[str] | None = None) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """Positions of the date fields and of the tuple fields (annotations are strings here)."""
    chosen = [f for f in fields(cls) if names is None or f.name in names]
    dates = tuple(i for i, f in enumerate(chosen) if str(f.type).startswith("date"))
    tuples = tuple(i for i, f in enumerate(chosen) if str(f.type).startswith("tuple"))
    return dates, tuples


_SUMMARY_KINDS = _kinds(MenageSummary, _NAMES)
_HOUSEHOLD_KINDS = _kinds(Household)
_FOLLOW_UP_KINDS = _kinds(SocialFollowUp)


def cache_key(settings: Settings, rules: DeadlineRules) -> str:
    """What a stored summary must have been computed with to be used: exploc's code, the format,
    the alert settings and the deadline rules."""
    digest = hashlib.sha256()
    for part in (_code_fingerprint(), str(FORMAT), settings.alertes.model_dump_json(), rules.model_dump_json()):
        digest.update(part.encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()[:32]


@functools.cache
def _code_fingerprint() -> str:
    """exploc's version and a digest of its source (8 ms): a summary computed by other code is
    not used, even between two versions that carry the same number."""
    digest = hashlib.sha256(__version__.encode("utf-8"))
    package = Path(__file__).resolve().parent.parent
    for path in sorted(package.rglob("*.py")):
        digest.update(path.relative_to(package).as_posix().encode("utf-8"))
        digest.update(path.read_bytes())
    return digest.hexdigest()


def enabled(connection: Connection) -> bool:
    return connection.dialect.name in ("sqlite", "postgresql")


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def _row(obj: Any, names: Sequence[str]) -> list[Any]:
    return [_plain(getattr(obj, name)) for name in names]


def _typed(values: list[Any], kinds: tuple[tuple[int, ...], tuple[int, ...]]) -> list[Any]:
    dates, tuples = kinds
    for position in dates:
        if values[position] is not None:
            values[position] = date.fromisoformat(values[position])
    for position in tuples:
        values[position] = tuple(values[position])
    return values


_HOUSEHOLD_NAMES = tuple(f.name for f in fields(Household))
_FOLLOW_UP_NAMES = tuple(f.name for f in fields(SocialFollowUp))


def encode(summary: MenageSummary) -> str:
    """The summary as compact JSON (without its assignment, read afresh each time)."""
    household = _row(summary.household, _HOUSEHOLD_NAMES) if summary.household is not None else None
    follow_ups = [_row(f, _FOLLOW_UP_NAMES) for f in summary.follow_ups]
    return json.dumps([_row(summary, _NAMES), household, follow_ups], ensure_ascii=False, separators=(",", ":"))


def decode(text: str, affectation: Assignment | None, valable_jusqu_au: date | None = None) -> MenageSummary:
    values, household, follow_ups = json.loads(text)
    return MenageSummary(
        **dict(zip(_NAMES, _typed(values, _SUMMARY_KINDS), strict=True)),
        household=Household(*_typed(household, _HOUSEHOLD_KINDS)) if household is not None else None,
        follow_ups=tuple(SocialFollowUp(*_typed(f, _FOLLOW_UP_KINDS)) for f in follow_ups),
        affectation=affectation,
        valable_jusqu_au=valable_jusqu_au,
    )


@dataclass(frozen=True)
class Computed:
    """A summary computed now, to store: its ménage, validity and encoding."""

    menage_id: int
    valable_jusqu_au: date | None
    contenu: str


def range_summaries(
    connection: Connection, job: SummaryJob, key: str | None, menages: MenageRange
) -> Iterator[tuple[MenageSummary, Computed | None]]:
    """Each ménage « ouvert » or « clos » of ``menages``, by number: its stored summary when valid
    for ``job.today`` under ``key``, else computed now (with what to store; ``key`` None: no store)."""
    if key is None:
        for group in raw_groups(connection, menages):
            yield job.summarise(group), None
        return
    today = job.today.isoformat()
    condition, bounds = menages.sql("r.menage_id")
    kept = {
        int(menage): (text, stored_until)
        for menage, text, stored_until in rows_of(
            connection,
            "SELECT r.menage_id, r.contenu, r.valable_jusqu_au FROM resume_menage r "
            "WHERE r.cle = ? AND r.calcule_le <= ? AND (r.valable_jusqu_au IS NULL OR r.valable_jusqu_au > ?)"
            f"{condition}",
            (key, today, today, *bounds),
        )
    }
    condition, bounds = menages.sql("id")
    numbers = [
        int(row[0])
        for row in rows_of(
            connection, f"SELECT id FROM menage WHERE statut IN ('ouvert', 'clos'){condition} ORDER BY id", bounds
        )
    ]
    stale = [menage for menage in numbers if menage not in kept]
    fresh: dict[int, MenageSummary] = {}
    if stale:
        only = stale if len(stale) < len(numbers) else None
        for group in raw_groups(connection, menages, only):
            summary = job.summarise(group)
            fresh[summary.menage_id] = summary
    assignments = {a.menage_id: a for a in iter_current_assignments(connection, menages)} if kept else {}
    for menage in numbers:
        if menage in fresh:
            summary = fresh[menage]
            yield summary, Computed(menage, summary.valable_jusqu_au, encode(summary))
        elif menage in kept:
            text, stored_until = kept[menage]
            until = _day(stored_until)
            yield decode(text, assignments.get(menage), until), None


def _day(value: date | str | None) -> date | None:
    """A stored day: text on SQLite, a date on PostgreSQL."""
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(value) if value else None


def ranges(connection: Connection, size: int = BATCH) -> Iterator[MenageRange]:
    """Consecutive ménage numbers, ``size`` ménages at a time (the batches of ``range_summaries``)."""
    ids = connection.execute(text("SELECT id FROM menage WHERE statut IN ('ouvert', 'clos') ORDER BY id"))
    first: int | None = None
    count = 0
    last = 0
    for (menage_id,) in ids:
        if first is None:
            first = menage_id
        last = menage_id
        count += 1
        if count == size:
            yield MenageRange(first, last)
            first, count = None, 0
    if first is not None:
        yield MenageRange(first, last)


def summaries(connection: Connection, today: date, settings: Settings) -> Iterator[MenageSummary]:
    """Every ménage « ouvert » or « clos », by number: the kept summaries valid today, the others
    computed (not kept: the caller's transaction may be writing)."""
    rules = load_deadline_rules()
    key = cache_key(settings, rules) if enabled(connection) else None
    job = SummaryJob(today, settings, rules, None, open_recommendations(connection))
    for menages in list(ranges(connection)):
        for summary, _ in range_summaries(connection, job, key, menages):
            yield summary


class Spool:
    """Summaries computed during a read, waiting to be stored at its end: in a private temporary
    file (deleted when closed), so that memory does not grow with their number."""

    def __init__(self) -> None:
        self._file: IO[str] | None = None
        self.count = 0
        self._generation: str | None = None

    def begin(self, connection: Connection) -> None:
        """Note the state of the base before the read's first statement (PostgreSQL's change
        generation; SQLite's snapshot is the read transaction itself)."""
        if connection.dialect.name == "postgresql":
            self._generation = summary_pg.generation(connection)

    def add(self, computed: Computed) -> None:
        if self._file is None:
            self._file = tempfile.TemporaryFile("w+", encoding="utf-8")  # noqa: SIM115  # closed by close()
        until = computed.valable_jusqu_au.isoformat() if computed.valable_jusqu_au else ""
        self._file.write(f"{computed.menage_id}\t{until}\t{computed.contenu}\n")
        self.count += 1

    def _entries(self) -> Iterator[tuple[int, str | None, str]]:
        if self._file is None:
            return
        self._file.seek(0)
        for line in self._file:
            menage, until, contenu = line.rstrip("\n").split("\t", 2)
            yield int(menage), until or None, contenu

    def store(self, connection: Connection, key: str, today: date) -> bool:
        """Write the spooled summaries in ``connection``'s read transaction and commit; False (and
        nothing written) when another process wrote since that transaction's snapshot or is writing."""
        if not self.count:
            return True
        if connection.dialect.name != "sqlite":
            return summary_pg.store(connection, self._entries(), key, today, self._generation)
        raw: Any = connection.connection.driver_connection
        before = int(raw.execute("PRAGMA busy_timeout").fetchone()[0])
        raw.execute("PRAGMA busy_timeout = 0")  # never wait: a writer means the snapshot is stale
        cursor = raw.cursor()
        try:
            batch: list[tuple[Any, ...]] = []
            for menage, until, contenu in self._entries():
                batch.append((menage, key, today.isoformat(), until, contenu))
                if len(batch) >= _WRITE_CHUNK:
                    cursor.executemany(_INSERT, batch)
                    batch = []
            if batch:
                cursor.executemany(_INSERT, batch)
            connection.commit()
            return True
        except sqlite3.OperationalError as error:
            if not is_busy_error(error):
                raise
            connection.rollback()
            return False
        finally:
            cursor.close()
            raw.execute(f"PRAGMA busy_timeout = {before}")

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None


_INSERT = (
    "INSERT OR REPLACE INTO resume_menage (menage_id, cle, calcule_le, valable_jusqu_au, contenu) "
    "VALUES (?, ?, ?, ?, ?)"
)


def refresh(engine: Engine, today: date, settings: Settings) -> int:
    """Compute and keep the summaries missing or expired for ``today`` (after an import: the
    first extraction of the day then reads them all); how many were computed (0 when not kept,
    or when another process wrote meanwhile and they were dropped)."""
    rules = load_deadline_rules()
    with engine.connect() as connection:
        if not enabled(connection):
            return 0
        key = cache_key(settings, rules)
        spool = Spool()
        spool.begin(connection)
        day = today.isoformat()
        stale = [int(row[0]) for row in rows_of(connection, _STALE, (key, day, day))]
        if not stale:
            return 0
        job = SummaryJob(today, settings, rules, None, open_recommendations(connection))
        try:
            for start in range(0, len(stale), _REFRESH_CHUNK):
                chunk = stale[start : start + _REFRESH_CHUNK]
                for group in raw_groups(connection, MenageRange(chunk[0], chunk[-1]), chunk):
                    summary = job.summarise(group)
                    spool.add(Computed(summary.menage_id, summary.valable_jusqu_au, encode(summary)))
            return spool.count if spool.store(connection, key, today) else 0
        finally:
            spool.close()


_REFRESH_CHUNK = 1_000
_STALE = (
    "SELECT m.id FROM menage m LEFT JOIN resume_menage r ON r.menage_id = m.id AND r.cle = ? "
    "AND r.calcule_le <= ? AND (r.valable_jusqu_au IS NULL OR r.valable_jusqu_au > ?) "
    "WHERE m.statut IN ('ouvert', 'clos') AND r.menage_id IS NULL ORDER BY m.id"
)
