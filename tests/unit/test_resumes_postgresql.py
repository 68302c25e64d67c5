"""Migration 0010 on a PostgreSQL base that holds data: the triggers that drop kept summaries and
the change generation come (and go with a downgrade) without touching any other row."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, text
from sqlmodel import SQLModel

from exploc_cli.store import models  # noqa: F401 - the tables
from exploc_cli.store.db import MIGRATIONS_DIR, create_store_engine, resolve_location
from tests.conftest import Base, Invoke
from tests.helpers import scalar

pytestmark = pytest.mark.postgresql_only("déclencheurs PL/pgSQL de la migration 0010")

_TRIGGERS = text(
    "SELECT count(*) FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
    "WHERE NOT t.tgisinternal AND t.tgname LIKE 'resume\\_%'"
)


def _migrate(base: Base, to: str, how: Callable[[Config, str], None]) -> None:
    engine = create_store_engine(resolve_location(str(base)))
    try:
        with engine.connect() as connection, connection.begin():
            config = Config()
            config.set_main_option("script_location", str(MIGRATIONS_DIR))
            config.attributes["connection"] = connection
            how(config, to)
    finally:
        engine.dispose()


def _triggers(base: Base) -> int:
    engine = create_store_engine(resolve_location(str(base)))
    try:
        with engine.connect() as connection:
            return int(_count(connection))
    finally:
        engine.dispose()


def _count(connection: Connection) -> int:
    return int(connection.execute(_TRIGGERS).scalar_one())


def counts(base: Base) -> dict[str, int]:
    return {t.name: int(scalar(base, f"SELECT COUNT(*) FROM {t.name}")) for t in SQLModel.metadata.sorted_tables}


def test_0010_comes_and_goes_on_a_base_with_data(exploc: Invoke, base: Base, samples: Path, tmp_path: Path) -> None:
    assert exploc("importer", str(samples)).exit_code in (0, 5)
    # signalement, evenement, affectation and preconisation: 3 each; menage, inscription and seance: 2 each
    assert _triggers(base) == 18
    assert scalar(base, "SELECT COUNT(*) FROM resume_menage") > 100  # the import kept them

    _migrate(base, "0009", command.downgrade)
    assert _triggers(base) == 0
    assert scalar(base, "SELECT COUNT(*) FROM parametre WHERE cle = 'resume_generation'") == 0
    before = counts(base)
    _migrate(base, "head", command.upgrade)
    assert _triggers(base) == 18
    assert scalar(base, "SELECT valeur FROM parametre WHERE cle = 'resume_generation'") == "1"
    after = counts(base)
    assert after.pop("resume_menage") == 0  # none kept across the upgrade: computed again
    before.pop("resume_menage")
    assert after.pop("parametre") == before.pop("parametre") + 1
    assert after == before

    out = tmp_path / "x.csv"
    assert exploc("extraire", "--sortie", str(out), "--motif", "Contrôle").exit_code == 0
    assert scalar(base, "SELECT COUNT(*) FROM resume_menage") > 100
    # a change through the base, whatever made it, drops the summary of its ménage
    menage = scalar(base, "SELECT MIN(menage_id) FROM signalement")
    engine = create_store_engine(resolve_location(str(base)))
    try:
        with engine.begin() as connection:
            connection.execute(text("UPDATE evenement SET valeur = valeur WHERE signalement_id IN "
                                    "(SELECT id FROM signalement WHERE menage_id = :m)"), {"m": menage})  # fmt: skip
    finally:
        engine.dispose()
    assert scalar(base, "SELECT COUNT(*) FROM resume_menage WHERE menage_id = ?", menage) == 0
