"""``exploc purger``: households closed or quiet for longer than the retention period go; counts stay."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from typer.testing import CliRunner

from commands.app import app
from tests.cli.test_menages_parcours import three_households
from tests.conftest import Invoke
from tests.helpers import rows, scalar


def _when(days_from_today: int) -> str:
    return (date.today() + timedelta(days=days_from_today)).strftime("%d/%m/%Y")


def test_a_quiet_household_is_purged_its_counts_kept_and_a_reimport_does_not_bring_it_back(
    exploc: Invoke, write_file: Callable[..., Path], base: Path, tmp_path: Path
) -> None:
    numbers = three_households(exploc, write_file, base)
    b = numbers["B"]  # a CQL 400 days ago, nothing since
    b_events = rows(
        base,
        "SELECT s.source, e.code, e.date FROM evenement e JOIN signalement s ON s.id = e.signalement_id "
        "WHERE s.menage_id = ?",
        b,
    )
    before = scalar(base, "SELECT COUNT(*) FROM menage")
    # three years after « today − 200 days »: B (400 days) is past it; A (a hearing ahead) and C (closed 10 days ago) are not
    day = _when(3 * 365 - 200)

    preview = exploc("purger", "--simulation", "--date", day, "--json")
    assert preview.exit_code == 0, preview.output
    assert json.loads(preview.stdout)["menages"] == 1 and scalar(base, "SELECT COUNT(*) FROM menage") == before
    assert scalar(base, "SELECT COUNT(*) FROM agregat_purge") == 0

    result = exploc("purger", "--date", day, "--oui", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["menages"] == 1 and report["signalements"] == 1 and report["conservation_annees"] == 3
    assert scalar(base, "SELECT COUNT(*) FROM menage WHERE id = ?", b) == 0
    assert scalar(base, "SELECT COUNT(*) FROM signalement WHERE nom LIKE '%MARTIN%'") == 0
    for key in ("A", "C"):
        assert scalar(base, "SELECT COUNT(*) FROM menage WHERE id = ?", numbers[key]) == 1
    assert scalar(base, "SELECT COUNT(*) FROM signalement_efface WHERE raison = 'purge'") == 1

    # what B counted for survives as anonymous monthly counts
    kept = rows(base, "SELECT * FROM agregat_purge ORDER BY indicateur, code")
    assert sum(r["nombre"] for r in kept if r["indicateur"] == "signalements") == len(b_events)
    cql_month = next(e["date"][:7] for e in b_events if e["code"] == "cql")
    assert [
        (r["mois"], r["code"], r["nombre"]) for r in kept if r["indicateur"] == "entrees" and r["code"] == "cql"
    ] == [(cql_month, "cql", 1)]
    assert {r["parc"] for r in kept} <= {"prive", "public", ""}
    assert "MARTIN" not in json.dumps(kept)

    entry = rows(base, "SELECT * FROM journal WHERE action = 'purge'")[0]
    details = json.loads(entry["details"])
    assert details["menages"] == 1 and str(b) not in entry["commande"]
    assert "MARTIN" not in json.dumps(entry)

    # the same file again: the purged rows stay out; a second purge finds nothing more
    again = exploc("importer", str(tmp_path / "fichiers" / "actes.csv"))
    assert again.exit_code == 0, again.output
    assert scalar(base, "SELECT COUNT(*) FROM signalement WHERE nom LIKE '%MARTIN%'") == 0
    second = exploc("purger", "--date", day, "--oui", "--json")
    assert json.loads(second.stdout)["menages"] == 0


def test_the_retention_period_comes_from_the_configuration(
    exploc: Invoke, write_file: Callable[..., Path], base: Path, tmp_path: Path
) -> None:
    three_households(exploc, write_file, base)
    config = tmp_path / "exploc.toml"
    config.write_text("[conservation]\nannees = 1\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["--base", str(base), "--config", str(config), "purger", "--simulation", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    # one year back from today: only B (400 days) is older
    assert report["conservation_annees"] == 1 and report["menages"] == 1
    default = exploc("purger", "--simulation", "--json")
    assert json.loads(default.stdout)["menages"] == 0  # three years: nobody yet


def test_a_refused_confirmation_purges_nothing(exploc: Invoke, write_file: Callable[..., Path], base: Path) -> None:
    three_households(exploc, write_file, base)
    before = scalar(base, "SELECT COUNT(*) FROM signalement")
    result = CliRunner().invoke(app, ["--base", str(base), "purger", "--date", _when(3 * 365)], input="n\n")
    assert result.exit_code == 1 and "abandonnée" in result.output
    assert scalar(base, "SELECT COUNT(*) FROM signalement") == before
