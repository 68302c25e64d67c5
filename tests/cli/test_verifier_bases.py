"""``exploc verifier`` on an old, a missing and a foreign base: problems in the report (code 4), not crashes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from commands.app import app
from exploc_cli.store.db import SCHEMA_HEAD

BASES = Path(__file__).resolve().parents[1] / "data" / "bases"


def _problems(runner: CliRunner, base: Path | str) -> dict[str, str]:
    result = runner.invoke(app, ["--base", str(base), "verifier", "--json"])
    assert result.exit_code == 4, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    report = json.loads(result.stdout)
    return {c["controle"]: c["detail"] for c in report["controles"] if not c["ok"]}


@pytest.mark.sqlite_only("bases SQLite d'anciens schémas, fichier absent ou étranger")
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


def test_a_server_that_does_not_answer_is_a_problem_not_a_crash(runner: CliRunner) -> None:
    problems = _problems(runner, "postgresql+psycopg://exploc:secret@127.0.0.1:1/exploc")
    assert problems["serveur"].startswith("serveur injoignable") and "schema" not in problems
    assert "secret" not in json.dumps(problems)


@pytest.mark.postgresql_only("connexion au serveur et schéma d'une base PostgreSQL")
def test_verifier_checks_the_server_connection_and_the_schema(runner: CliRunner, new_base) -> None:
    empty = new_base("vide", initialised=False)
    assert _problems(runner, empty) == {"schema": "base vide : aucun schéma, attendu " + SCHEMA_HEAD + " (exploc init)"}
    ready = new_base("prete")
    result = runner.invoke(app, ["--base", str(ready), "verifier", "--json"])
    assert result.exit_code == 0, result.output
    checks = {c["controle"]: c for c in json.loads(result.stdout)["controles"]}
    assert checks["serveur"]["ok"] and "serveur PostgreSQL" in checks["serveur"]["detail"]
    assert checks["schema"]["detail"] == f"schéma {SCHEMA_HEAD} à jour"
