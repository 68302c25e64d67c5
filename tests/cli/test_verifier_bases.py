"""``exploc verifier`` on an old, a missing and a foreign base: problems in the report (code 4), not crashes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from typer.testing import CliRunner

from commands.app import app
from exploc_cli.store.db import SCHEMA_HEAD

BASES = Path(__file__).resolve().parents[1] / "data" / "bases"


def _problems(runner: CliRunner, base: Path) -> dict[str, str]:
    result = runner.invoke(app, ["--base", str(base), "verifier", "--json"])
    assert result.exit_code == 4, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    report = json.loads(result.stdout)
    return {c["controle"]: c["detail"] for c in report["controles"] if not c["ok"]}


def test_an_old_a_missing_and_a_foreign_base_are_problems_not_crashes(runner: CliRunner, tmp_path: Path) -> None:
    old = tmp_path / "ancienne.sqlite"
    shutil.copy(BASES / "schema_0001.sqlite", old)
    old.chmod(0o600)
    assert _problems(runner, old)["schema"] == f"schéma 0001, attendu {SCHEMA_HEAD} (exploc init)"

    assert "n'existe pas (exploc init)" in _problems(runner, tmp_path / "absente.sqlite")["base"]

    foreign = tmp_path / "tableur.sqlite"
    foreign.write_bytes(b"Ceci n'est pas une base SQLite. " * 200)
    foreign.chmod(0o600)
    problems = _problems(runner, foreign)
    assert problems["schema"] == "base illisible ou endommagée : file is not a database"
    assert problems["integrite"].startswith("base illisible ou endommagée")
