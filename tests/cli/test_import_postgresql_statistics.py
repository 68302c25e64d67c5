"""A first import into an empty PostgreSQL base: the server's statistics count the rows the
import's own transaction wrote, so that its lookups of fingerprints use the index on both columns
instead of reading the whole table each time (a file of 200,000 rows took 480 s, then 20 s)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import text

from exploc_cli.store.bulk import ANALYZE_FROM, PlannerStatistics
from tests.backends import Base, engine_for
from tests.conftest import Invoke
from tests.helpers import CAF_HEADER, caf_line, csv_text

pytestmark = pytest.mark.postgresql_only("statistiques du planificateur de PostgreSQL")


def test_a_first_import_tells_the_planner_how_many_rows_it_wrote(
    exploc: Invoke, base: Base, write_file: Callable[..., Path]
) -> None:
    rows = ANALYZE_FROM * 3
    lines = [caf_line(f"R-{n}", f"{1000000 + n}", f"NOM{n}", "Jean", date="15/10/2025") for n in range(rows)]
    caf = write_file("caf.csv", csv_text(CAF_HEADER, lines), "cp1252")
    result = exploc("importer", "--sans-liaison", str(caf))
    assert result.exit_code == 0, result.output

    engine = engine_for(base)
    try:
        with engine.connect() as connection:
            known = connection.execute(
                text("SELECT reltuples FROM pg_class WHERE oid = 'signalement'::regclass")
            ).scalar_one()
            # analysed inside the file's transaction (autovacuum never saw it uncommitted)
            assert known >= ANALYZE_FROM * 2, known
            plan = "\n".join(
                connection.execute(
                    text("EXPLAIN SELECT empreinte FROM signalement WHERE source = 'caf' AND empreinte = ANY(:e)"),
                    {"e": [b"x" * 32] * 500},
                ).scalars()
            )
    finally:
        engine.dispose()
    assert "empreinte = ANY" in plan.split("Index Cond:")[-1], plan  # both columns searched in the index


class _Recorder:
    def __init__(self) -> None:
        self.statements: list[str] = []

    def exec_driver_sql(self, statement: str) -> None:
        self.statements.append(statement)


def test_the_statistics_are_refreshed_as_the_rows_written_double() -> None:
    """Whatever the table held before: a second file of another source is as unknown to the
    planner as the first one was (its source has no statistics yet)."""
    recorder = _Recorder()
    statistics = PlannerStatistics(recorder)  # type: ignore[arg-type]
    seen = []
    for count in (3_000, 3_000, 5_000, 2_000, 10_000, 100, 20_000):
        statistics.wrote(count)
        seen.append(len(recorder.statements))
    assert seen == [0, 1, 1, 2, 2, 2, 3]  # at 6,000 rows, 13,000 (≥ 12,000), 43,100 (≥ 26,000)
    assert recorder.statements[0] == "ANALYZE signalement, evenement"
    nightly = _Recorder()
    PlannerStatistics(nightly).wrote(ANALYZE_FROM - 1)  # type: ignore[arg-type]
    assert nightly.statements == []
