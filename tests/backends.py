"""The base the tests run on: an SQLite file (the default) or a PostgreSQL database (``--postgresql``).

On PostgreSQL, the server named by ``EXPLOC_TEST_POSTGRESQL`` (an URL whose role may create
databases) receives one migrated template database per session. A test's base is a database of
a small pool, emptied after the test that used it (its rows deleted, its sequences restarted:
a few milliseconds, where ``DROP DATABASE`` waits for a checkpoint, seconds on a busy disk), or a
copy of the template (``CREATE DATABASE … TEMPLATE …``) when the pool is empty. A database whose
schema a test changed (a trigger, a function, no schema at all) is dropped instead.
"""

from __future__ import annotations

import itertools
import os
import queue
import secrets
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

ENV_URL = "EXPLOC_TEST_POSTGRESQL"

# What a test gets as its base: the SQLite file, or the PostgreSQL URL.
Base = Path | str

# What a test may have changed besides rows: the objects of the schema and the schema revision.
_SHAPE = text(
    "SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
    "        WHERE n.nspname = 'public'), "
    "(SELECT count(*) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid "
    "        JOIN pg_namespace n ON n.oid = c.relnamespace "
    "        WHERE n.nspname = 'public' AND a.attnum > 0 AND NOT a.attisdropped), "
    "(SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE n.nspname = 'public'), "
    "(SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal), "
    "(SELECT string_agg(version_num, ',') FROM alembic_version)"
)
_OTHER_SESSIONS = text(
    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
)


class PostgresServer:
    """Scratch databases on the test server: a migrated template, then a pool of emptied copies."""

    def __init__(self, url: str) -> None:
        self.url = make_url(url)
        self.prefix = f"exploc_test_{os.getpid()}_{secrets.token_hex(3)}"  # apart from other runs
        self.template: str | None = None
        self._counter = itertools.count(1)
        self._free: list[str] = []
        self._shape: tuple[Any, ...] | None = None
        self._emptying = ""
        self._admin: Engine = create_engine(self.url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
        self._doomed: queue.Queue[str | None] = queue.Queue()
        self._dropper = threading.Thread(target=self._drop_loop, name="pg-drop", daemon=True)
        self._dropper.start()

    def check(self) -> str:
        """The server's version (raises when it cannot be reached)."""
        with self._admin.connect() as connection:
            return str(connection.execute(text("SHOW server_version")).scalar())

    def url_of(self, database: str) -> str:
        return self.url.set(database=database).render_as_string(hide_password=False)

    def _execute(self, sql: str) -> None:
        with self._admin.connect() as connection:
            connection.execute(text(sql))

    def _connect(self, database: str) -> Engine:
        return create_engine(self.url_of(database), isolation_level="AUTOCOMMIT", poolclass=NullPool)

    def create(self, *, initialised: bool = True) -> str:
        """A migrated, empty database (or one without any schema); returns its URL."""
        if initialised and self._free:
            return self.url_of(self._free.pop())
        name = f"{self.prefix}_{next(self._counter)}"
        if not initialised:
            self._execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
            return self.url_of(name)
        if self.template is None:
            self._make_template()
        self._execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
        return self.url_of(name)

    def _make_template(self) -> None:
        from sqlmodel import SQLModel

        from exploc_cli.store import models  # noqa: F401 - the tables, for their order
        from exploc_cli.store.db import initialise_store, resolve_location

        template = f"{self.prefix}_modele"
        self._execute(f'CREATE DATABASE "{template}" TEMPLATE template0')
        initialise_store(resolve_location(self.url_of(template)))
        engine = self._connect(template)
        try:
            with engine.connect() as connection:
                self._shape = tuple(connection.execute(_SHAPE).one())
                sequences = connection.execute(
                    text("SELECT relname FROM pg_class WHERE relkind = 'S' AND relnamespace = 'public'::regnamespace")
                ).scalars()
                restarts = [f"ALTER SEQUENCE {name} RESTART" for name in sequences]
        finally:
            engine.dispose()
        deletes = [f"DELETE FROM {table.name}" for table in reversed(SQLModel.metadata.sorted_tables)]
        self._emptying = "; ".join([*deletes, *restarts])  # one implicit transaction
        self.template = template

    def release(self, url: str) -> None:
        """A test is done with the database of ``url``: emptied back into the pool, or dropped."""
        database = make_url(url).database
        if not database or not database.startswith(self.prefix):
            return
        if self._shape is not None and self._emptied(database):
            self._free.append(database)
        else:
            self._doomed.put(database)

    def _emptied(self, database: str) -> bool:
        engine = self._connect(database)
        try:
            with engine.connect() as connection:
                connection.execute(_OTHER_SESSIONS)  # a test's engine left open, a lock held
                if tuple(connection.execute(_SHAPE).one()) != self._shape:
                    return False
                connection.exec_driver_sql(self._emptying)
                return True
        except Exception:  # noqa: BLE001 - no schema at all, a dropped table…: the database goes
            return False
        finally:
            engine.dispose()

    def _drop_loop(self) -> None:
        while (name := self._doomed.get()) is not None:
            try:
                self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            except Exception:  # noqa: BLE001 - cleanup of a scratch database: the session goes on
                pass
            finally:
                self._doomed.task_done()

    def close(self) -> None:
        """Drop every database of the session (the template last), then stop the background thread."""
        for name in self._free:
            self._doomed.put(name)
        self._free.clear()
        self._doomed.join()
        if self.template is not None:
            self._doomed.put(self.template)
            self._doomed.join()
        with self._admin.connect() as connection:
            leftovers = connection.execute(
                text("SELECT datname FROM pg_database WHERE datname LIKE :prefix"), {"prefix": f"{self.prefix}_%"}
            ).scalars()
            for name in list(leftovers):
                try:
                    connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
                except Exception:  # noqa: BLE001 - cleanup of a scratch database
                    pass
        self._doomed.put(None)
        self._dropper.join(timeout=30)
        self._admin.dispose()


def url_of(base: Base) -> str:
    """The SQLAlchemy URL of a test base (an SQLite path or a PostgreSQL URL)."""
    if isinstance(base, Path):
        return f"sqlite:///{base}"
    return base


def is_postgresql(base: Base) -> bool:
    return isinstance(base, str) and base.startswith("postgresql")


def engine_for(base: Base, **options: Any) -> Engine:
    """An engine without a pool (nothing stays open after the statement)."""
    return create_engine(url_of(base), poolclass=NullPool, **options)


def data_dir(base: Base) -> Path:
    """Where exploc writes the files that go with a base (rejects, import lock)."""
    from exploc_cli.store.db import resolve_location

    return resolve_location(str(base)).data_dir


def write_lock_held(base: Base) -> bool:
    """Would a writer have to wait now? (takes and releases the write lock at once when it is free)"""
    from exploc_cli.store.db import PG_WRITE_LOCK_KEY

    engine = engine_for(base, **({} if is_postgresql(base) else {"connect_args": {"timeout": 0}}))
    try:
        with engine.connect() as connection:
            if is_postgresql(base):
                taken = connection.execute(text("SELECT pg_try_advisory_xact_lock(:k)"), {"k": PG_WRITE_LOCK_KEY})
                return not taken.scalar()
            raw: Any = connection.connection.driver_connection
            raw.isolation_level = None
            try:
                raw.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as err:
                if "locked" in str(err):
                    return True
                raise
            raw.execute("ROLLBACK")
            return False
    finally:
        engine.dispose()


@contextmanager
def write_lock(base: Base) -> Iterator[None]:
    """Hold the base's write lock, as another process in the middle of a long write would."""
    from exploc_cli.store.db import PG_WRITE_LOCK_KEY

    engine = engine_for(base)
    try:
        with engine.connect() as connection:
            if is_postgresql(base):
                with connection.begin():
                    connection.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": PG_WRITE_LOCK_KEY})
                    yield
                return
            raw: Any = connection.connection.driver_connection
            raw.isolation_level = None
            raw.execute("BEGIN IMMEDIATE")
            try:
                yield
            finally:
                raw.execute("ROLLBACK")
    finally:
        engine.dispose()
