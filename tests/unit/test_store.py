"""The store: migrations match the models, pragmas, and the location of the base."""

from __future__ import annotations

import stat
import time
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text
from sqlmodel import SQLModel

from exploc_cli.errors import RightsError, StoreBusyError
from exploc_cli.store import models  # noqa: F401
from exploc_cli.store.db import (
    MIGRATIONS_DIR,
    SCHEMA_HEAD,
    create_store_engine,
    initialise_store,
    resolve_location,
    write_transaction,
)


def test_the_schema_head_constant_is_the_newest_migration() -> None:
    from alembic.script import ScriptDirectory

    assert ScriptDirectory(str(MIGRATIONS_DIR)).get_current_head() == SCHEMA_HEAD


def test_migrations_build_exactly_the_schema_of_the_models(new_base) -> None:
    location = resolve_location(str(new_base("vide", initialised=False)))
    initialise_store(location)
    engine = create_store_engine(location)
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), SQLModel.metadata)
    engine.dispose()
    assert differences == []


@pytest.mark.sqlite_only("pragmas de la connexion SQLite et droits du fichier")
def test_connections_enforce_foreign_keys_and_use_wal(tmp_path: Path) -> None:
    location = resolve_location(str(tmp_path / "b.sqlite"))
    initialise_store(location)
    engine = create_store_engine(location, busy_timeout_s=12)
    with engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA busy_timeout").scalar() == 12000
    engine.dispose()
    assert stat.S_IMODE(location.sqlite_path.stat().st_mode) == 0o600  # type: ignore[union-attr]


def test_resolve_location_accepts_paths_and_urls(tmp_path: Path) -> None:
    path = resolve_location(str(tmp_path / "x.sqlite"))
    assert path.sqlite_path == tmp_path / "x.sqlite" and path.url == f"sqlite:///{tmp_path / 'x.sqlite'}"
    url = resolve_location("postgresql+psycopg://ccapex:secret@serveur/exploc")
    assert url.sqlite_path is None and "secret" not in url.display
    assert resolve_location(f"sqlite:///{tmp_path}/y.sqlite").sqlite_path == tmp_path / "y.sqlite"


def test_one_writer_at_a_time_and_a_wait_longer_than_configured_is_busy(new_base) -> None:
    location = resolve_location(str(new_base()))
    holder, waiter = create_store_engine(location), create_store_engine(location, busy_timeout_s=0.5)
    try:
        with write_transaction(holder) as connection:
            connection.execute(text("INSERT INTO parametre (cle, valeur) VALUES ('essai', '1')"))
            started = time.monotonic()
            with pytest.raises(StoreBusyError, match="occupée par un autre traitement"):
                with write_transaction(waiter) as other:
                    other.execute(text("INSERT INTO parametre (cle, valeur) VALUES ('autre', '2')"))
            assert 0.4 < time.monotonic() - started < 10
        with write_transaction(waiter) as other:  # the lock is free again
            assert other.execute(text("SELECT COUNT(*) FROM parametre WHERE cle = 'essai'")).scalar() == 1
    finally:
        holder.dispose()
        waiter.dispose()


@pytest.mark.sqlite_only("droits d'un fichier SQLite")
def test_a_write_to_a_read_only_sqlite_file_is_refused_in_french(tmp_path: Path) -> None:
    """The tests run as root, whom file modes do not stop: SQLite's query_only gives the same
    refusal (SQLITE_READONLY) as a file or folder without the write right."""
    location = resolve_location(str(tmp_path / "b.sqlite"))
    initialise_store(location)
    engine = create_store_engine(location)
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("PRAGMA query_only = ON")
            assert connection.execute(text("SELECT COUNT(*) FROM menage")).scalar_one() == 0  # reads work
            with pytest.raises(RightsError) as refused:
                connection.execute(text("INSERT INTO parametre (cle, valeur) VALUES ('x', 'y')"))
            assert "est en lecture seule pour ce compte" in str(refused.value)
            assert "code de sortie 7" in refused.value.hint
            connection.rollback()
            assert connection.execute(text("SELECT COUNT(*) FROM parametre WHERE cle = 'x'")).scalar_one() == 0
    finally:
        engine.dispose()
