"""Summaries shared with a forked worker: the same rows, in the same order, as in one process."""

from __future__ import annotations

import multiprocessing
import os
import sqlite3
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from exploc_cli.config import Settings
from exploc_cli.importers.service import ImportOptions, import_paths
from exploc_cli.parcours import parallel
from exploc_cli.parcours.service import MenageSummary
from exploc_cli.resources import sample_data_dir
from exploc_cli.store.db import initialise_store, open_store, resolve_location

TODAY = date(2026, 3, 1)
SETTINGS = Settings()

pytestmark = [
    pytest.mark.skipif(
        "fork" not in multiprocessing.get_all_start_methods() or (os.cpu_count() or 1) < 2,
        reason="le calcul partagé demande fork et deux cœurs",
    ),
    pytest.mark.sqlite_only("le calcul partagé avec un processus forké ne sert que sur SQLite"),
]


@pytest.fixture
def sample_base(tmp_path: Path) -> Iterator[tuple[Engine, Path]]:
    path = tmp_path / "b.sqlite"
    location = resolve_location(str(path))
    initialise_store(location)
    engine = open_store(location)
    import_paths(engine, location, sorted(sample_data_dir().glob("*.*")), ImportOptions())
    yield engine, path
    engine.dispose()


def _row(summary: MenageSummary) -> tuple[object, ...]:
    return (summary.menage_id, summary.nom, summary.stage, summary.dette, summary.alerts, summary.next_deadline)


def _with_pid(summary: MenageSummary) -> tuple[int, tuple[object, ...]] | None:
    if summary.menage_id % 5 == 0:
        return None  # a filter: skipped ménages leave no gap
    return os.getpid(), _row(summary)


def _forget(engine: Engine) -> None:
    """Drop the summaries kept by an earlier call: the next one computes them all."""
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM resume_menage"))


def _rows(engine: Engine, parallel_from: int) -> list[tuple[int, tuple[object, ...]]]:
    return list(parallel.summarised_rows(engine, TODAY, SETTINGS, _with_pid, parallel_from=parallel_from))


def test_the_worker_gives_the_same_rows_in_the_same_order(
    sample_base: tuple[Engine, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    engine, _ = sample_base
    alone = _rows(engine, parallel_from=10**9)
    monkeypatch.setattr(parallel, "BATCH", 3)  # many small batches: the worker and this process take turns
    _forget(engine)  # both processes compute summaries
    shared = _rows(engine, parallel_from=0)
    assert len(alone) > 20
    assert [row for _, row in shared] == [row for _, row in alone]
    assert {pid for pid, _ in alone} == {os.getpid()}
    assert os.getpid() in {pid for pid, _ in shared} and len({pid for pid, _ in shared}) == 2
    # the summaries both processes computed were kept: read back, they give the same rows
    kept = list(parallel.summarised_rows(engine, TODAY, SETTINGS, _with_pid, parallel_from=0))
    assert [row for _, row in kept] == [row for _, row in alone]
    with engine.connect() as connection:
        assert connection.execute(text("SELECT COUNT(*) FROM resume_menage")).scalar_one() > len(alone)


def test_while_someone_writes_everything_is_done_in_one_process(
    sample_base: tuple[Engine, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    engine, path = sample_base
    expected = _rows(engine, parallel_from=10**9)
    monkeypatch.setattr(parallel, "BATCH", 3)
    _forget(engine)
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # an import holding the write lock
    try:
        rows = _rows(engine, parallel_from=0)
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert rows == expected  # every row read here (one pid), in one snapshot: no worker could share it safely
    with engine.connect() as connection:  # nothing kept: the writer held the lock at the end of the read
        assert connection.execute(text("SELECT COUNT(*) FROM resume_menage")).scalar_one() == 0


def _fails_in_the_worker(summary: MenageSummary) -> tuple[object, ...]:
    if os.getpid() != PARENT:
        raise ValueError("panne simulée")
    return _row(summary)


PARENT = os.getpid()


def test_a_failing_worker_stops_the_reading_process(
    sample_base: tuple[Engine, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    engine, _ = sample_base
    monkeypatch.setattr(parallel, "BATCH", 3)
    _forget(engine)
    with pytest.raises(RuntimeError, match="panne simulée"):
        list(parallel.summarised_rows(engine, TODAY, SETTINGS, _fails_in_the_worker, parallel_from=0))
