"""Alerts counted by the diagnostic agree with the parcours' own (``exploc menages afficher``)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from exploc_cli.config import Settings
from exploc_cli.diagnostics.compute import compute
from exploc_cli.diagnostics.fold import Period, PeriodCounts
from exploc_cli.diagnostics.territories import Territories
from exploc_cli.store.db import open_store, resolve_location
from tests.cli.test_menages_parcours import three_households
from tests.conftest import Invoke
from tests.helpers import CAF_HEADER, caf_line, csv_text


def _counts(base: Path, period: Period) -> PeriodCounts:
    engine = open_store(resolve_location(str(base)))
    try:
        with engine.connect() as connection:
            territories = Territories("departement")
            computed = compute(connection, [period], territories, horizon=date.today(), alerts=Settings().alertes)
    finally:
        engine.dispose()
    return computed.counts[0]


def _alert_codes(exploc: Invoke, menage: int) -> list[str]:
    result = exploc("menages", "afficher", str(menage), "--json")
    assert result.exit_code == 0, result.output
    return [alert["code"] for alert in json.loads(result.stdout)["alertes"]]


def test_a_closed_household_reported_again_counts_as_reopened(
    exploc: Invoke, write_file: Callable[..., Path], base: Path
) -> None:
    numbers = three_households(exploc, write_file, base)  # C: closed 10 days ago
    today = date.today()
    period = Period(today - timedelta(days=365), today)
    assert sum(n for (code, _), n in _counts(base, period).alerts.items() if code == "rouvert") == 0
    again = (today - timedelta(days=3)).strftime("%d/%m/%Y")
    line = caf_line("S-C2", "0999999", "DURAND", "Sophie", dette="900,00", date=again, adresse="8 rue Haute")
    assert exploc("importer", str(write_file("caf2.csv", csv_text(CAF_HEADER, [line])))).exit_code == 0
    assert "rouvert" in _alert_codes(exploc, numbers["C"])
    after = _counts(base, period)
    assert sum(n for (code, _), n in after.alerts.items() if code == "rouvert") == 1
    # as the period stood before the new report, it was not reopened yet
    before = _counts(base, Period(today - timedelta(days=365), today - timedelta(days=5)))
    assert sum(n for (code, _), n in before.alerts.items() if code == "rouvert") == 0
