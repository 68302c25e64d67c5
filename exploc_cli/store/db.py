"""Opening the store: URL resolution, SQLite pragmas, explicit transactions, migrations."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError, OperationalError

from ..errors import StoreError, StoreNotInitialised
from ..paths import create_private_file, default_base_path, ensure_private_dir, user_data_dir

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
# The newest migration. Every command compares the base with it; Alembic itself is imported
# only by ``exploc init`` (it costs 0.2 s at start-up). A test keeps this equal to the head.
SCHEMA_HEAD = "0007"


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


def create_store_engine(location: StoreLocation, *, busy_timeout_s: float = 600.0) -> Engine:
    """An engine with foreign keys on, WAL, a busy timeout and explicit BEGIN for SQLite."""
    if not location.is_sqlite:
        return create_engine(location.url, pool_pre_ping=True)
    engine = create_engine(
        location.url,
        connect_args={"timeout": busy_timeout_s, "check_same_thread": False},
    )
    _install_sqlite_hooks(engine, busy_timeout_ms=int(busy_timeout_s * 1000))
    return engine


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
    """A transaction that takes the write lock at once (BEGIN IMMEDIATE on SQLite).

    ``check_foreign_keys=False`` is for bulk rewrites that are consistent by construction (a
    full relink): SQLite's per-row checks double the cost of updating 600,000 rows.
    """
    with engine.connect() as connection:
        relax = not check_foreign_keys and connection.dialect.name == "sqlite"
        raw = connection.connection.driver_connection
        if relax:
            raw.execute("PRAGMA foreign_keys = OFF")  # type: ignore[union-attr]  # outside any transaction
        try:
            connection = connection.execution_options(sqlite_begin="IMMEDIATE")
            with connection.begin():
                yield connection
        finally:
            if relax:
                raw.execute("PRAGMA foreign_keys = ON")  # type: ignore[union-attr]


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


def initialise_store(location: StoreLocation, *, busy_timeout_s: float = 600.0) -> tuple[str | None, str]:
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
        with engine.begin() as connection:
            _upgrade(connection)
        return before, head_revision()
    except OperationalError as err:
        raise StoreError(f"Impossible d'ouvrir la base {location.display} : {err.orig}") from None
    finally:
        engine.dispose()


def _upgrade(connection: Connection) -> None:
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    config.attributes["connection"] = connection
    command.upgrade(config, "head")


def open_store(location: StoreLocation, *, busy_timeout_s: float = 600.0) -> Engine:
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
