"""Every ménage's summary turned into a row, with a forked second process sharing the work.

Summarising a ménage (reading it, its timeline, deadlines and alerts) costs ~0.3 ms: a
département's 100,000 ménages take 30 s in one process, too long for an extraction. Here the
ménages are cut into batches of consecutive numbers; a forked worker reads and summarises a
batch whenever it has room, this process does the others, and the rows come out in ménage order.
At most a few batches are in flight, so memory does not grow with the base. Each batch reads the
summaries kept in the base (``summary_cache``) and computes only the others, which are stored at
the end when nothing was committed meanwhile.

Both processes read the same state of the base: the worker opens its read transaction while this
process holds SQLite's write lock (for a few milliseconds, only if no one else is writing), so
no commit can fall between the two snapshots. When the lock is taken (an import is running), the
base is PostgreSQL, the system cannot fork (Windows), there is one core, or the base is small,
everything is done here, in one read transaction: the rows are the same, in the same order. On
PostgreSQL that transaction is REPEATABLE READ, one snapshot too (``store.db``).
"""

from __future__ import annotations

import multiprocessing
import queue
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any, Generic, TypeVar

from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import OperationalError

from ..affectation.records import MenageRange
from ..config import Settings
from ..errors import LockBusyError
from ..forking import can_fork
from ..store.db import is_busy_error
from .recommendations import open_recommendations
from .rules import load_deadline_rules
from .service import MenageSummary, SummaryJob
from .summary_cache import Computed, Spool, cache_key, enabled, range_summaries, ranges

T = TypeVar("T")

PARALLEL_FROM = 20_000  # ménages: below, a second process costs more than it saves
BATCH = 1_000  # ménages per batch
LOCK_WAIT_MS = 200  # waiting longer for the write lock: someone is writing, do everything here
IN_FLIGHT = 3  # batches the worker may hold (sent, not yet read back)
MAX_PENDING = 8  # batches done or sent, not yet given out: beyond, wait for the worker
_POLL_S = 1.0


@dataclass(frozen=True)
class _Work(Generic[T]):
    engine: Engine
    job: SummaryJob
    convert: Callable[[MenageSummary], T | None]
    key: str | None  # of the stored summaries (None: none kept)

    def run(self, connection: Connection, menages: MenageRange) -> tuple[list[T], list[Computed]]:
        """The converted rows of a batch, and the summaries computed (not read) to store."""
        rows = []
        computed = []
        for summary, fresh in range_summaries(connection, self.job, self.key, menages):
            row = self.convert(summary)
            if row is not None:
                rows.append(row)
            if fresh is not None:
                computed.append(fresh)
        return rows, computed


# What the forked worker runs: set just before the fork, inherited by it (never pickled).
_shared: _Work[Any] | None = None


def summarised_rows(
    engine: Engine,
    today: date,
    settings: Settings,
    convert: Callable[[MenageSummary], T | None],
    *,
    parallel_from: int = PARALLEL_FROM,
) -> Iterator[T]:
    """``convert(summary)`` for every ménage « ouvert » or « clos », by ménage number, skipping
    the ménages it turns into None (a filter). ``convert`` must give plain, picklable values."""
    rules = load_deadline_rules()
    lock = _write_lock(engine) if can_fork() else None
    spool = Spool()
    with engine.connect() as connection:
        try:  # this process's snapshot starts here, under the lock when there is one
            spool.begin(connection)
            parallel = lock is not None and _count(connection) >= parallel_from
            key = cache_key(settings, rules) if enabled(connection) else None
            job = SummaryJob(today, settings, rules, None, open_recommendations(connection))
            work = _Work(engine, job, convert, key)
            worker = _start_worker(work) if parallel else None
        finally:
            if lock is not None:
                lock.close()  # rolls back: nothing was written
        try:
            if worker is None:
                for menages in list(ranges(connection, BATCH)):
                    rows, computed = work.run(connection, menages)
                    for fresh in computed:
                        spool.add(fresh)
                    yield from rows
            else:
                process, inbox, outbox = worker
                try:
                    yield from _ordered(connection, work, ranges(connection, BATCH), inbox, outbox, process, spool)
                finally:
                    if process.is_alive():
                        process.terminate()
                    process.join()
                    inbox.close()
                    outbox.close()
            if key is not None:
                spool.store(connection, key, today)  # skipped when the base changed meanwhile
        finally:
            spool.close()


_Channels = tuple[
    multiprocessing.process.BaseProcess,
    "multiprocessing.Queue[MenageRange | None]",
    "multiprocessing.Queue[tuple[bool, Any]]",
]


def _start_worker(work: _Work[Any]) -> _Channels:
    """The worker, forked and holding its read transaction (opened while the lock is held)."""
    global _shared
    context = multiprocessing.get_context("fork")
    inbox: multiprocessing.Queue[MenageRange | None] = context.Queue(maxsize=IN_FLIGHT)
    outbox: multiprocessing.Queue[tuple[bool, Any]] = context.Queue()
    _shared = work
    try:
        process = context.Process(target=_serve, args=(inbox, outbox), name="exploc-resumes", daemon=True)
        process.start()
    finally:
        _shared = None
    _result(outbox, process, wait=True)  # « ready »: its snapshot is taken
    return process, inbox, outbox


def _write_lock(engine: Engine) -> Connection | None:
    """A connection holding SQLite's write lock, or None when someone else is writing (or not SQLite)."""
    if engine.dialect.name != "sqlite":
        return None
    connection = engine.connect()
    raw: Any = connection.connection.driver_connection
    before = int(raw.execute("PRAGMA busy_timeout").fetchone()[0])
    raw.execute(f"PRAGMA busy_timeout = {LOCK_WAIT_MS}")
    try:
        connection.execution_options(sqlite_begin="IMMEDIATE").begin()
    except (LockBusyError, OperationalError) as error:
        connection.close()
        if isinstance(error, LockBusyError) or (error.orig is not None and is_busy_error(error.orig)):
            return None
        raise
    finally:
        raw.execute(f"PRAGMA busy_timeout = {before}")
    return connection


def _ordered(
    connection: Connection,
    work: _Work[T],
    ranges: Iterator[MenageRange],
    inbox: multiprocessing.Queue[MenageRange | None],
    outbox: multiprocessing.Queue[tuple[bool, Any]],
    worker: multiprocessing.process.BaseProcess,
    spool: Spool,
) -> Iterator[T]:
    """The batches' rows in order: a batch goes to the worker when it has room, else is done here
    (the summaries computed, from either process, go to ``spool``)."""

    def taken(result: tuple[list[T], list[Computed]] | None) -> list[T]:
        if result is None:
            return []
        rows, computed = result
        for fresh in computed:
            spool.add(fresh)
        return rows

    pending: deque[list[T] | None] = deque()  # None: the worker's, not read back yet
    sent = 0
    for menages in list(ranges):  # a few hundred ranges, read before any batch
        while pending:  # whatever is ready at the front, without waiting
            if pending[0] is not None:
                yield from pending.popleft() or ()
                continue
            result = _result(outbox, worker, wait=len(pending) > MAX_PENDING)
            if result is None:
                break
            pending.popleft()
            sent -= 1
            yield from taken(result)
        if sent < IN_FLIGHT:
            inbox.put(menages)
            pending.append(None)
            sent += 1
        else:
            pending.append(taken(work.run(connection, menages)))
    inbox.put(None)
    while pending:
        rows = pending.popleft()
        yield from rows if rows is not None else taken(_result(outbox, worker, wait=True))


def _result(
    outbox: multiprocessing.Queue[tuple[bool, Any]], worker: multiprocessing.process.BaseProcess, *, wait: bool
) -> Any:
    """The worker's next batch of rows (None when not ready and not ``wait``)."""
    while True:
        try:
            ok, value = outbox.get(timeout=_POLL_S) if wait else outbox.get_nowait()
        except queue.Empty:
            if not worker.is_alive():
                raise RuntimeError(
                    f"le processus de calcul des résumés s'est arrêté (code {worker.exitcode})"
                ) from None
            if not wait:
                return None
            continue
        if not ok:
            raise RuntimeError(f"le processus de calcul des résumés a échoué : {value}")
        return value


def _serve(inbox: multiprocessing.Queue[MenageRange | None], outbox: multiprocessing.Queue[tuple[bool, Any]]) -> None:
    work = _shared
    assert work is not None, "the worker is forked after the work is shared"
    try:
        work.engine.dispose(close=False)  # the parent's pooled connections are not this process's to use
        with work.engine.connect() as connection:
            connection.execute(text("SELECT 1 FROM menage LIMIT 1"))  # the snapshot, while the parent holds the lock
            outbox.put((True, None))
            while (menages := inbox.get()) is not None:
                outbox.put((True, work.run(connection, menages)))
    except Exception as error:  # reported to the reading process, which stops
        outbox.put((False, f"{type(error).__name__}: {error}"))


def _count(connection: Connection) -> int:
    return int(connection.execute(text("SELECT COUNT(*) FROM menage WHERE statut IN ('ouvert', 'clos')")).scalar_one())
