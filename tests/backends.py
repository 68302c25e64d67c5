"""The base the tests run on: an SQLite file (the default) or a PostgreSQL database (``--postgresql``).

On PostgreSQL, the server named by ``EXPLOC_TEST_POSTGRESQL`` (an URL whose role may create
databases) receives one migrated template database per session; every test's base is a copy of
it (``CREATE DATABASE … TEMPLATE …``, ~0.1 s, instead of running the migrations each time),
dropped after the test by a background thread so that the next test does not wait for it.
"""

from __future__ import annotations

import itertools
import os
import queue
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


class PostgresServer:
    """Scratch databases on the test server: a migrated template, then one copy per test."""

    def __init__(self, url: str) -> None:
        self.url = make_url(url)
        self.prefix = f"exploc_test_{os.getpid()}"
        self.template: str | None = None
        self._counter = itertools.count(1)
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

    def create(self, *, initialised: bool = True) -> str:
        """A new database (a copy of the migrated template, or empty); returns its URL."""
        name = f"{self.prefix}_{next(self._counter)}"
        if not initialised:
            self._execute(f'CREATE DATABASE "{name}" TEMPLATE template0')
            return self.url_of(name)
        if self.template is None:
            self.template = f"{self.prefix}_modele"
            self._execute(f'CREATE DATABASE "{self.template}" TEMPLATE template0')
            from exploc_cli.store.db import initialise_store, resolve_location

            initialise_store(resolve_location(self.url_of(self.template)))
        self._execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.template}"')
        return self.url_of(name)

    def drop_later(self, url: str) -> None:
        """Drop the database of ``url`` in the background (its connections are closed by force)."""
        database = make_url(url).database
        if database and database.startswith(self.prefix):
            self._doomed.put(database)

    def _drop_loop(self) -> None:
        while (name := self._doomed.get()) is not None:
            try:
                self._execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            except Exception:  # noqa: BLE001 - cleanup of a scratch database: the session goes on
                pass
            finally:
                self._doomed.task_done()

    def close(self) -> None:
        """Drop what is left (the template last), then stop the background thread."""
        self._doomed.join()
        if self.template is not None:
            self._doomed.put(self.template)
            self._doomed.join()
        with self._admin.connect() as connection:
            leftovers = connection.execute(
                text("SELECT datname FROM pg_database WHERE datname LIKE :prefix"), {"prefix": f"{self.prefix}_%"}
            ).scalars()
            for name in list(leftovers):
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
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
