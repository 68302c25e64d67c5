"""Upgrades: a base made by an earlier version of exploc, full of data, is upgraded in place by
``exploc init`` (the Alembic migrations) and keeps every row and every value.

The bases are in ``tests/data/bases/`` (``schema_<revision>.sqlite``), made by the exploc of
that time from the fictional sample data (see ``tests/data/README.md``). A test requires a base
at the revision just before the newest, so that every new migration is tried on real data.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from alembic.script import ScriptDirectory

from exploc_cli.store.db import MIGRATIONS_DIR, SCHEMA_HEAD
from tests.process._run import exploc, query

pytestmark = pytest.mark.slow

BASES = Path(__file__).resolve().parents[1] / "data" / "bases"
FIXTURES = sorted(BASES.glob("schema_*.sqlite"))
# A migration that changes stored values on purpose declares it here: (table, column) -> why.
TRANSFORMED: dict[tuple[str, str], str] = {}
# Tables that are caches: a migration that writes the rows they were computed from empties them
# (the triggers of 0008 drop a kept summary whenever its rows change; the next command recomputes it).
# table -> (the last migration that may empty it, why): a base made at that revision or later keeps it.
CACHES = {"resume_menage": ("0009", "0009 gives every signalement and ménage its département")}


def _dump(base: Path) -> dict[str, dict[Any, dict[str, Any]]]:
    """Every row of every table, by primary key (rowid when there is none)."""
    connection = sqlite3.connect(base)
    connection.row_factory = sqlite3.Row
    try:
        tables = [r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        dump: dict[str, dict[Any, dict[str, Any]]] = {}
        for table in tables:
            keys = [c[1] for c in connection.execute(f"PRAGMA table_info('{table}')") if c[5]]
            key_sql = ", ".join(keys) if keys else "rowid"
            rows = connection.execute(f"SELECT {key_sql} AS cle__, * FROM '{table}'").fetchall()  # noqa: S608
            dump[table] = {tuple(row[k] for k in keys) if keys else row["cle__"]: dict(row) for row in rows}
        return dump
    finally:
        connection.close()


def test_a_base_of_the_revision_before_the_newest_is_kept_for_the_next_migration() -> None:
    scripts = ScriptDirectory(str(MIGRATIONS_DIR))
    head = scripts.get_revision(SCHEMA_HEAD)
    assert head is not None and head.down_revision is not None
    previous = head.down_revision
    assert BASES / f"schema_{previous}.sqlite" in FIXTURES, (
        f"Ajoutez tests/data/bases/schema_{previous}.sqlite (voir tests/data/README.md) : "
        "chaque migration est essayée sur une base remplie à la révision précédente."
    )
    for fixture in FIXTURES:
        revision = fixture.stem.removeprefix("schema_")
        assert scripts.get_revision(revision) is not None, fixture.name
        assert query(fixture, "SELECT version_num FROM alembic_version") == [(revision,)]


@pytest.mark.sqlite_only("bases SQLite faites par les versions précédentes (tests/data/bases)")
@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda p: p.stem)
def test_an_old_base_upgrades_in_place_through_exploc_init_and_keeps_every_row(fixture: Path, tmp_path: Path) -> None:
    revision = fixture.stem.removeprefix("schema_")
    base = tmp_path / "base" / "exploc.sqlite"
    base.parent.mkdir(mode=0o700)
    shutil.copy(fixture, base)
    base.chmod(0o600)
    before = _dump(base)
    assert sum(len(rows) for table, rows in before.items() if table != "alembic_version") > 1000

    stale = exploc("--base", str(base), "lots", "lister")
    assert stale.returncode == 3 and f"doit être mise à jour (schéma {revision})" in stale.stderr
    assert "exploc init" in stale.stderr

    upgraded = exploc("--base", str(base), "init", "--json")
    assert upgraded.returncode == 0, upgraded.stderr
    report = json.loads(upgraded.stdout)
    assert (report["revision_avant"], report["revision"]) == (revision, SCHEMA_HEAD)

    after = _dump(base)
    for table, rows in before.items():
        if table == "alembic_version" or (table in CACHES and revision < CACHES[table][0]):
            continue
        assert table in after, f"table {table} disparue"
        assert set(after[table]) >= set(rows), f"{table} : {len(set(rows) - set(after[table]))} ligne(s) perdue(s)"
        for key, row in rows.items():
            kept = after[table][key]
            for column, value in row.items():
                if column == "cle__" or (table, column) in TRANSFORMED:
                    continue
                assert column in kept, f"colonne {table}.{column} disparue"
                assert kept[column] == value, (table, key, column, value, kept[column])
    assert query(base, "PRAGMA integrity_check") == [("ok",)]
    assert query(base, "PRAGMA foreign_key_check") == []

    # the upgraded base works: checked by exploc verifier, and read back whole
    checked = exploc("--base", str(base), "verifier", "--json")
    assert checked.returncode == 0, checked.stdout
    export = tmp_path / "signalements.csv"
    exported = exploc("--base", str(base), "exporter", "signalements", "--sortie", str(export))
    assert exported.returncode == 0, exported.stderr
    assert f"{len(before['signalement'])} signalement(s) exporté(s)" in exported.stdout


@pytest.mark.sqlite_only("base SQLite faite par la version précédente (tests/data/bases)")
def test_the_upgrade_to_0009_gives_each_signalement_and_menage_its_departement(tmp_path: Path) -> None:
    base = tmp_path / "base" / "exploc.sqlite"
    base.parent.mkdir(mode=0o700)
    shutil.copy(BASES / "schema_0008.sqlite", base)
    base.chmod(0o600)
    assert exploc("--base", str(base), "init").returncode == 0
    # the sample département's postcodes are all 01xxx
    by_code = dict(query(base, "SELECT departement, COUNT(*) FROM signalement GROUP BY departement"))
    with_place = query(base, "SELECT COUNT(*) FROM signalement WHERE code_postal IS NOT NULL OR code_insee IS NOT NULL")
    assert by_code.get("01") == with_place[0][0] > 400
    assert set(by_code) <= {"01", None}
    # each ménage with an address: that of its latest one
    assert query(base, "SELECT COUNT(*) FROM menage WHERE departement IS NULL AND statut IN ('ouvert', 'clos') "
                       "AND EXISTS (SELECT 1 FROM signalement s WHERE s.menage_id = menage.id "
                       "AND s.commune IS NOT NULL)") == [(0,)]  # fmt: skip
    assert query(base, "SELECT COUNT(*) FROM menage WHERE departement = '01'")[0][0] > 150
