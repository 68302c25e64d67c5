"""Purged households still count in a diagnostic: their monthly counts replace their rows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest

from exploc_cli.config import Settings
from exploc_cli.diagnostics.compute import compute
from exploc_cli.diagnostics.fold import Period, PeriodCounts
from exploc_cli.diagnostics.purged import whole_months
from exploc_cli.diagnostics.territories import Territories
from exploc_cli.store.db import open_store, resolve_location
from tests.cli.test_menages_parcours import three_households
from tests.conftest import Invoke
from tests.helpers import scalar


def _counts(base: Path, period: Period, level: str) -> PeriodCounts:
    engine = open_store(resolve_location(str(base)))
    try:
        with engine.connect() as connection:
            computed = compute(
                connection, [period], Territories(level), horizon=date.today(), alerts=Settings().alertes
            )
    finally:
        engine.dispose()
    return computed.counts[0]


@pytest.mark.parametrize("level", ["commune", "unite"])
def test_a_purge_leaves_the_monthly_counts_of_a_diagnostic_as_they_were(
    exploc: Invoke, write_file: Callable[..., Path], base: Path, level: str
) -> None:
    numbers = three_households(exploc, write_file, base)
    assert exploc("affecter").exit_code == 0
    # whole months, from well before B's CQL (400 days ago) to last month
    today = date.today()
    period = Period(date(today.year - 3, 1, 1), today.replace(day=1) - timedelta(days=1))
    before = _counts(base, period, level)
    day = (today + timedelta(days=3 * 365 - 200)).strftime("%d/%m/%Y")
    assert exploc("purger", "--date", day, "--oui").exit_code == 0
    assert scalar(base, "SELECT COUNT(*) FROM menage WHERE id = ?", numbers["B"]) == 0
    after = _counts(base, period, level)
    assert after.signalements == before.signalements and sum(before.signalements.values()) > 0
    assert after.entries == before.entries and after.entries_month == before.entries_month
    assert after.entries_parc == before.entries_parc
    assert ("cql", "prive") in after.entries_parc


def test_only_whole_months_are_taken() -> None:
    assert whole_months(Period(date(2025, 1, 1), date(2025, 12, 31))) == ("2025-01", "2025-12")
    assert whole_months(Period(date(2025, 1, 15), date(2025, 3, 10))) == ("2025-02", "2025-02")
    assert whole_months(Period(date(2025, 1, 15), date(2025, 2, 10))) is None
    assert whole_months(Period(date(2024, 12, 2), date(2025, 2, 28))) == ("2025-01", "2025-02")
