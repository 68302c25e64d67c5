"""Opening the store: URL resolution, SQLite pragmas, explicit transactions, migrations."""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import ExceptionContext, make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError

from ..errors import RightsError, StoreBusyError, StoreError, StoreNotInitialised
from ..paths import create_private_file, default_base_path, ensure_private_dir, user_data_dir
from .denied import install_rights_translation

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# The newest migration. Every command compares the base with it; Alembic itself is imported
# only by ``exploc init`` (it costs 0.2 s at start-up). A test keeps this equal to the head.
SCHEMA_HEAD = "0010"
# A write transaction held or waited for longer than this is written to the technical log, so
# that ``[base] attente_verrou_secondes`` can be sized to the longest one (benchmarks/).
SLOW_LOCK_SECONDS = 2.0
# How long a write waits for another process's write: longer than the longest single write
# transaction (a million-row file: 225 s to import, then 389 s to link, on two busy cores —
# benchmarks/RESULTS.md, « Imports et accès simultanés »). ``[base] attente_verrou_secondes``.
DEFAULT_BUSY_TIMEOUT_S = 1200.0
# SQLite's busy handler retries at most every 100 ms: a pause this long between two write
# transactions of an import lets every waiting process take its turn (a journal entry).
WRITER_TURN_SECONDS = 0.3
SQLITE_BUSY = 5
SQLITE_READONLY = 8
_PG_READS_ISOLATION = "REPEATABLE READ"
_PG_WRITES_ISOLATION = "READ COMMITTED"
PG_LOCK_NOT_AVAILABLE = "55P03"
# PostgreSQL has no database-wide write lock: every write transaction takes this advisory lock
# (« exploc » + 1), so that writers follow each other as on SQLite — the import and the linkage
# number signalements and ménages themselves (MAX(id) + 1) inside their transaction.
PG_WRITE_LOCK_KEY = 0x6578706C6F630001

logger = logging.getLogger("exploc.base")


@dataclass(frozen=True)
class StoreLocation:
    """Where the base is: an SQLAlchemy URL, and the SQLite file when it is one."""

    url: str
    sqlite_path: Path | None

    @property
    def display(self) -> str:
        if self.sqlite_path is not None:
            return str(self.sqlite_path)
        return make_url(self.url).render_as_string(hide_password=True)

    @property
    def data_dir(self) -> Path:
        """Folder for files that belong with this base (rejects, import lock)."""
        if self.sqlite_path is not None:
            return self.sqlite_path.parent
        return user_data_dir()

    @property
    def is_sqlite(self) -> bool:
        return self.url.startswith("sqlite")


def resolve_location(base: str | None) -> StoreLocation:
    """Turn ``--base`` (a path, an SQLAlchemy URL or nothing) into a location."""
    if not base:
        path = default_base_path()
        return StoreLocation(f"sqlite:///{path}", path)
    if "://" in base:
        try:
            url = make_url(base)
        except ArgumentError:
            raise StoreError(f"URL de base invalide : {base}") from None
        if url.get_backend_name() == "sqlite":
            database = url.database
            if database and database != ":memory:":
                return StoreLocation(base, Path(database).resolve())
            return StoreLocation(base, None)
        return StoreLocation(base, None)
    path = Path(base).expanduser().resolve()
    return StoreLocation(f"sqlite:///{path}", path)


def create_store_engine(location: StoreLocation, *, busy_timeout_s: float = DEFAULT_BUSY_TIMEOUT_S) -> Engine:
    """An engine with foreign keys on, WAL, a busy timeout and explicit BEGIN for SQLite.

    ``hide_parameters``: an error's text never carries the values of its statement (names,
    addresses), even in a ``--debug`` traceback.
    """
    if not location.is_sqlite:
        # REPEATABLE READ: a command that reads in several statements (a list, an extraction, a
        # dossier, a diagnostic) sees one state of the base, as on SQLite; writers switch to READ
        # COMMITTED under their lock (write_transaction)
        engine = create_engine(
            location.url, pool_pre_ping=True, hide_parameters=True, isolation_level=_PG_READS_ISOLATION
        )
        engine.update_execution_options(exploc_busy_timeout_s=busy_timeout_s)
        _install_busy_translation(engine, busy_timeout_s)
        install_rights_translation(engine)  # a role without a right: French refusal, exit code 7
        return engine
    engine = create_engine(
        location.url,
        connect_args={"timeout": busy_timeout_s, "check_same_thread": False},
        hide_parameters=True,
    )
    _install_sqlite_hooks(engine, busy_timeout_ms=int(busy_timeout_s * 1000))
    _install_busy_translation(engine, busy_timeout_s)
    _install_read_only_translation(engine, location.display)
    return engine


def _install_read_only_translation(engine: Engine, shown: str) -> None:
    """A write refused because the SQLite file (or its folder) is read-only for this account:
    the French refusal of a read-only PostgreSQL role, exit code 7, instead of a bug report."""

    @event.listens_for(engine, "handle_error")
    def _on_error(context: ExceptionContext) -> None:
        error = context.original_exception
        code = getattr(error, "sqlite_errorcode", None)
        if isinstance(error, sqlite3.OperationalError) and code is not None and code & 0xFF == SQLITE_READONLY:
            raise RightsError(
                f"La base {shown} est en lecture seule pour ce compte (droits du fichier ou de son dossier) : "
                "cette commande écrit dans la base ; elle est arrêtée et rien n'a été écrit.",
                hint="Demandez le droit d'écrire le fichier et son dossier, ou utilisez une base où ce compte "
                "peut écrire (--base ou EXPLOC_BASE) (code de sortie 7).",
            ) from None


def _install_busy_translation(engine: Engine, busy_timeout_s: float) -> None:
    """« database is locked » after the whole wait becomes a French error (exit code 6), not a bug."""

    @event.listens_for(engine, "handle_error")
    def _on_error(context: ExceptionContext) -> None:
        if is_busy_error(context.original_exception):
            raise StoreBusyError(
                f"La base est occupée par un autre traitement (un import ?) depuis plus de {busy_timeout_s:g} s : "
                "la commande est abandonnée et rien n'a été enregistré dans la base.",
                hint="Réessayez quand il sera terminé, ou allongez l'attente : "
                "[base] attente_verrou_secondes dans la configuration (code de sortie 6).",
            ) from None


def is_busy_error(error: BaseException) -> bool:
    """SQLite's SQLITE_BUSY (any extended code), or PostgreSQL's lock_not_available (the write
    lock's wait ran out, ``lock_timeout``): another connection holds the lock."""
    if getattr(error, "sqlstate", None) == PG_LOCK_NOT_AVAILABLE:
        return True
    if not isinstance(error, sqlite3.OperationalError):
        return False
    code = getattr(error, "sqlite_errorcode", None)
    if code is not None:
        return bool(code & 0xFF == SQLITE_BUSY)
    return "database is locked" in str(error)


def _install_sqlite_hooks(engine: Engine, *, busy_timeout_ms: int) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not pysqlite, decide where transactions begin (SQLAlchemy's recipe).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {busy_timeout_ms}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        # 32 MB of page cache: random-key index inserts of a large import thrash the default 2 MB
        # (measured: 33.8 → 21.4 µs per row with five indexes, 200,000 rows); with the two indexes
        # kept, 64 MB is no faster on a million rows and costs 35 MB more (benchmarks/).
        cursor.execute("PRAGMA cache_size = -32768")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        mode = connection.get_execution_options().get("sqlite_begin", "DEFERRED")
        connection.exec_driver_sql(f"BEGIN {mode}")


@contextmanager
def write_transaction(engine: Engine, *, check_foreign_keys: bool = True) -> Iterator[Connection]:
    """A transaction that takes the write lock at once (BEGIN IMMEDIATE on SQLite, an advisory
    lock on PostgreSQL): one writer at a time, the others wait for their turn.

    ``check_foreign_keys=False`` is for bulk rewrites that are consistent by construction (a
    full relink): SQLite's per-row checks double the cost of updating 600,000 rows.
    """
    with engine.connect() as connection:
        if connection.dialect.name != "sqlite":
            # the snapshot of a REPEATABLE READ transaction would be taken before the lock is granted
            connection = connection.execution_options(isolation_level=_PG_WRITES_ISOLATION)
            asked = time.monotonic()
            with connection.begin():
                _take_pg_write_lock(connection)
                granted = time.monotonic()
                yield connection
            _held_last(granted - asked, time.monotonic() - granted)
            return
        relax = not check_foreign_keys
        raw = connection.connection.driver_connection
        if relax:
            raw.execute("PRAGMA foreign_keys = OFF")  # type: ignore[union-attr]  # outside any transaction
        try:
            if _lock_wait_notice is not None:
                _announce_wait(raw)
            connection = connection.execution_options(sqlite_begin="IMMEDIATE")
            asked = time.monotonic()
            with connection.begin():
                granted = time.monotonic()
                yield connection
            _held_last(granted - asked, time.monotonic() - granted)
        finally:
            if relax:
                raw.execute("PRAGMA foreign_keys = ON")  # type: ignore[union-attr]


def _take_pg_write_lock(connection: Connection) -> None:
    """Wait for the other writers (at most the configured wait, then « occupée », code 6)."""
    timeout_s = float(connection.get_execution_options().get("exploc_busy_timeout_s", DEFAULT_BUSY_TIMEOUT_S))
    key = {"key": PG_WRITE_LOCK_KEY}
    if _lock_wait_notice is not None:
        if connection.execute(text("SELECT pg_try_advisory_xact_lock(:key)"), key).scalar():
            return
        _lock_wait_notice(timeout_s)
    connection.exec_driver_sql(f"SET LOCAL lock_timeout = {max(1, int(timeout_s * 1000))}")
    connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), key)
    connection.exec_driver_sql("SET LOCAL lock_timeout TO DEFAULT")


_lock_wait_notice: Callable[[float], None] | None = None


def on_lock_wait(notice: Callable[[float], None] | None) -> None:
    """``notice(seconds)`` is called when a write must wait for another process's (at most ``seconds``).

    The command line uses it to tell the secretary why a dossier takes long while an import runs.
    """
    global _lock_wait_notice
    _lock_wait_notice = notice


def _announce_wait(raw: Any) -> None:
    """Try the write lock without waiting; if another process holds it, say we are going to wait."""
    timeout_ms = raw.execute("PRAGMA busy_timeout").fetchone()[0]
    raw.execute("PRAGMA busy_timeout = 0")
    try:
        raw.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as err:
        if not is_busy_error(err):
            raise
        if _lock_wait_notice is not None:
            _lock_wait_notice(timeout_ms / 1000)
    else:
        raw.execute("ROLLBACK")
    finally:
        raw.execute(f"PRAGMA busy_timeout = {int(timeout_ms)}")


def let_waiting_writers_in(engine: Engine) -> None:
    """After a long write transaction, give the other processes their turn before the next one.

    SQLite has no queue of writers: without this pause, an import that commits a file and at
    once opens the transaction of its linkage keeps the lock, and a secretary's dossier waits for
    both. With it, a waiting write waits for one transaction at most. After a short transaction
    (a small file), nobody waited long: no pause.
    """
    if engine.dialect.name == "sqlite" and _last_held >= SLOW_LOCK_SECONDS:
        time.sleep(WRITER_TURN_SECONDS)


_last_held = 0.0


def _held_last(waited: float, held: float) -> None:
    """Remember how long this process last held the lock; log the long waits and holds."""
    global _last_held
    _last_held = held
    if waited >= SLOW_LOCK_SECONDS or held >= SLOW_LOCK_SECONDS:
        logger.info("verrou d'ecriture attente=%.1fs tenu=%.1fs", waited, held)


def head_revision() -> str:
    return SCHEMA_HEAD


def current_revision(engine: Engine) -> str | None:
    """The schema revision recorded in the base (None for an empty base)."""
    with engine.connect() as connection:
        try:
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except DBAPIError as err:
            if "alembic_version" in str(err.orig):
                return None
            raise


def initialise_store(
    location: StoreLocation, *, busy_timeout_s: float = DEFAULT_BUSY_TIMEOUT_S
) -> tuple[str | None, str]:
    """Create the base if needed and upgrade it to the latest schema.

    Returns the revision before and after. A new SQLite file is created readable by its
    owner only, in a folder created the same way.
    """
    if location.sqlite_path is not None:
        ensure_private_dir(location.sqlite_path.parent)
        if not location.sqlite_path.exists():
            create_private_file(location.sqlite_path)
    engine = create_store_engine(location, busy_timeout_s=busy_timeout_s)
    try:
        before = current_revision(engine)
        with engine.connect() as connection:
            if connection.dialect.name != "sqlite":
                with connection.execution_options(isolation_level=_PG_WRITES_ISOLATION).begin():
                    _upgrade(connection)
            else:
                _upgrade_sqlite(connection, location)
        return before, head_revision()
    except OperationalError as err:
        raise StoreError(f"Impossible d'ouvrir la base {location.display} : {err.orig}") from None
    finally:
        engine.dispose()


def _upgrade_sqlite(connection: Connection, location: StoreLocation) -> None:
    """Migrate with foreign keys off, checked before the commit (SQLite's recipe for schema changes).

    A batch migration copies a table, drops it and renames the copy: with foreign keys on, the
    drop cascades into the rows that point at it (migration 0002 rebuilding ``signalement``
    deleted every ``evenement`` of a 0001 base).
    """
    raw = connection.connection.driver_connection
    raw.execute("PRAGMA foreign_keys = OFF")  # type: ignore[union-attr]  # outside any transaction
    try:
        with connection.execution_options(sqlite_begin="IMMEDIATE").begin():
            _upgrade(connection)
            broken = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
            if broken:
                raise StoreError(
                    f"Mise à jour de la base {location.display} annulée : {len(broken)} référence(s) "
                    f"incohérente(s) après migration (table {broken[0][0]}). La base n'a pas été modifiée."
                )
    finally:
        raw.execute("PRAGMA foreign_keys = ON")  # type: ignore[union-attr]


def _upgrade(connection: Connection) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


def open_store(location: StoreLocation, *, busy_timeout_s: float = DEFAULT_BUSY_TIMEOUT_S) -> Engine:
    """Open an existing, up-to-date base, or explain how to create or upgrade it."""
    if location.sqlite_path is not None and not location.sqlite_path.exists():
        raise StoreNotInitialised(
            f"La base {location.display} n'existe pas.",
            hint="Créez-la avec : exploc init",
        )
    engine = create_store_engine(location, busy_timeout_s=busy_timeout_s)
    try:
        revision = current_revision(engine)
    except OperationalError as err:
        engine.dispose()
        raise StoreError(f"Impossible d'ouvrir la base {location.display} : {err.orig}") from None
    if revision != head_revision():
        engine.dispose()
        if revision is None:
            raise StoreNotInitialised(f"La base {location.display} n'est pas initialisée.", hint="Lancez : exploc init")
        raise StoreNotInitialised(
            f"La base {location.display} doit être mise à jour (schéma {revision}).",
            hint="Lancez : exploc init (la mise à jour conserve les données)",
        )
    return engine
