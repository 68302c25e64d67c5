"""Deciding every ménage: the forked worker and the fast decider give exactly the explained decisions."""

from __future__ import annotations

import json
import sqlite3
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from commands.app import app
from exploc_cli.affectation import batch
from exploc_cli.affectation.engine import Decider, decide
from exploc_cli.affectation.inputs import open_menages_facts
from exploc_cli.affectation.records import MenageRange
from exploc_cli.affectation.rules import DEFAULT_RULES_PATH, load_rules
from exploc_cli.affectation.sectorisation import Sectorisation
from exploc_cli.config import Settings
from exploc_cli.forking import can_fork
from exploc_cli.store.db import open_store, resolve_location

DAY = date(2026, 3, 31)


@pytest.fixture(scope="module")
def sample_base(tmp_path_factory: pytest.TempPathFactory, make_base) -> Path | str:
    samples = Path(__file__).resolve().parents[2] / "sample_data"
    base = make_base(tmp_path_factory.mktemp("lot"))
    runner = CliRunner()
    files = [str(p) for p in sorted(samples.glob("*.csv")) + sorted(samples.glob("*.xlsx"))]
    assert runner.invoke(app, ["--base", str(base), "-q", "importer", *files]).exit_code in (0, 5)
    sectorisation = samples / "referentiel" / "sectorisation.csv"
    assert runner.invoke(app, ["--base", str(base), "-q", "services", "importer", str(sectorisation)]).exit_code == 0
    # a manual decision, to be kept by whichever process decides its ménage
    assert (
        runner.invoke(app, ["--base", str(base), "-q", "menages", "affecter", "3", "CAF01", "--motif", "m"]).exit_code
        == 0
    )
    return base


def test_the_fast_decider_decides_as_the_explained_one(sample_base: Path) -> None:
    rules = load_rules(DEFAULT_RULES_PATH)
    engine = open_store(resolve_location(str(sample_base)))
    with engine.connect() as connection:
        sectors = Sectorisation.load(connection)
        facts = list(open_menages_facts(connection, DAY, Settings(), rules, frozenset()))
    engine.dispose()
    decider = Decider(rules, sectors, DAY)
    fast = [decider.decide(f) for f in facts]
    explained = [decide(f, rules, sectors, DAY) for f in facts]
    assert fast == explained and [o.reason for o in fast] == [o.reason for o in explained]
    assert all(not o.steps for o in fast) and all(o.steps for o in explained)
    assert {o.statut for o in fast} == {"affecte", "a_trier"} and len({o.unite_code for o in fast}) > 3
    assert decider.decide(facts[0]) is decider.decide(facts[0])  # equal outcomes are one object


@pytest.mark.skipif(not can_fork(), reason="needs fork and two cores (the Windows path is the other one)")
@pytest.mark.sqlite_only("les processus forkés de l'affectation ne servent que sur SQLite")
def test_a_forked_worker_decides_the_second_half_exactly_as_one_process(
    sample_base: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    submitted: list[tuple[object, object]] = []

    class Spy(ProcessPoolExecutor):
        def submit(self, *args: Any, **kwargs: Any) -> Any:
            submitted.append((args[0], args[1]))
            return super().submit(*args, **kwargs)

    monkeypatch.setattr(batch, "ProcessPoolExecutor", Spy)
    rules = load_rules(DEFAULT_RULES_PATH)
    engine = open_store(resolve_location(str(sample_base)))
    now = datetime(2026, 3, 31, tzinfo=UTC)
    with engine.connect() as connection:
        sectors = Sectorisation.load(connection)
        common = {"day": DAY, "now": now}
        alone = batch.decide_all(connection, engine, rules, sectors, Settings(), parallel_from=10**9, **common)
        assert submitted == []
        shared = batch.decide_all(connection, engine, rules, sectors, Settings(), parallel_from=1, **common)
    engine.dispose()
    assert len(submitted) == 1 and submitted[0][0] is batch._decide_shared
    second_half = submitted[0][1]
    assert isinstance(second_half, MenageRange) and second_half.first and second_half.last is None
    assert shared.new == alone.new and shared.places == alone.places
    assert (shared.examined, shared.manual_kept) == (alone.examined, alone.manual_kept) == (alone.examined, 1)
    assert any(m >= second_half.first for m, *_ in shared.new)  # the worker's half is there
    assert alone.examined > 100 and batch._shared is None  # nothing left behind for a later fork

    # once applied (on a copy), each process finds its ménages' current assignments: nothing to change
    copy = tmp_path / "copie.sqlite"
    with sqlite3.connect(sample_base) as source, sqlite3.connect(copy) as target:
        source.backup(target)
    assert CliRunner().invoke(app, ["--base", str(copy), "-q", "affecter", "--date", "31/03/2026"]).exit_code == 0
    engine = open_store(resolve_location(str(copy)))
    with engine.connect() as connection:
        again = batch.decide_all(connection, engine, rules, sectors, Settings(), parallel_from=1, **common)
    engine.dispose()
    assert again.new == [] and again.places.total() == alone.places.total() and again.manual_kept == 1
    assert len(submitted) == 2


def test_range_of_menages_reads_only_its_numbers(sample_base: Path) -> None:
    rules = load_rules(DEFAULT_RULES_PATH)
    engine = open_store(resolve_location(str(sample_base)))
    with engine.connect() as connection:
        every = [f.menage_id for f in open_menages_facts(connection, DAY, Settings(), rules, frozenset())]
        middle = every[len(every) // 2]
        low = [f.menage_id for f in open_menages_facts(
            connection, DAY, Settings(), rules, frozenset(), menages=MenageRange(None, middle - 1))]  # fmt: skip
        high = [f.menage_id for f in open_menages_facts(
            connection, DAY, Settings(), rules, frozenset(), menages=MenageRange(middle, None))]  # fmt: skip
    engine.dispose()
    assert low + high == every and low and high and max(low) < middle <= min(high)


def test_the_screen_shows_the_first_changes_and_the_json_all_of_them(sample_base: Path) -> None:
    runner = CliRunner()
    plan = runner.invoke(app, ["--base", str(sample_base), "affecter", "--simulation", "--json"])
    assert plan.exit_code == 0, plan.output
    changes = json.loads(plan.stdout)["changements"]
    assert len(changes) > 100
    shown = runner.invoke(app, ["--base", str(sample_base), "affecter", "--simulation"])
    assert shown.exit_code == 0, shown.output
    assert f"… et {len(changes) - 50} autre(s) changement(s) : la liste complète avec --json." in shown.stdout
    first, hidden = changes[0]["menage"], changes[60]["menage"]
    lines = shown.stdout.splitlines()
    assert any(line.strip("│ ").startswith(f"{first} ") for line in lines)
    assert not any(line.strip("│ ").startswith(f"{hidden} ") for line in lines)
