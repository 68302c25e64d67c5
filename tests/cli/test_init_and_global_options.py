"""``init``, ``verifier``, the global options and where things live."""

from __future__ import annotations

import json
import sqlite3
import stat
from pathlib import Path

import pytest

from commands.app import app
from exploc_cli import __version__
from tests.helpers import scalar


@pytest.mark.sqlite_only("la base par défaut est un fichier SQLite : droits, WAL, emplacement")
def test_init_creates_an_owner_only_base_in_wal_mode_and_a_config(runner, tmp_path, isolated_user_folders) -> None:
    result = runner.invoke(app, ["init", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    base = isolated_user_folders / "data" / "exploc" / "exploc.sqlite"
    assert report["base"] == str(base) and report["revision_avant"] is None
    assert stat.S_IMODE(base.stat().st_mode) == 0o600
    assert stat.S_IMODE(base.parent.stat().st_mode) == 0o700
    config = isolated_user_folders / "config" / "exploc" / "exploc.toml"
    assert config.exists() and report["configuration_creee"] is True
    with sqlite3.connect(base) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"lot", "signalement", "evenement", "journal", "alembic_version"} <= tables
    second = runner.invoke(app, ["init"])
    assert second.exit_code == 0 and "déjà à jour" in second.stdout


@pytest.mark.postgresql_only("init sur une base PostgreSQL vide, par l'option ou EXPLOC_BASE")
def test_init_on_an_empty_server_base_then_commands_through_exploc_base(runner, new_base, monkeypatch) -> None:
    url = new_base("vide", initialised=False)
    before = runner.invoke(app, ["--base", url, "lots", "lister"])
    assert before.exit_code == 3 and "n'est pas initialisée" in before.stderr and "exploc init" in before.stderr
    result = runner.invoke(app, ["--base", url, "init", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["revision_avant"] is None
    assert scalar(url, "SELECT COUNT(*) FROM alembic_version") == 1
    monkeypatch.setenv("EXPLOC_BASE", url)
    second = runner.invoke(app, ["init"])
    assert second.exit_code == 0 and "déjà à jour" in second.stdout
    listed = runner.invoke(app, ["lots", "lister", "--json"])
    assert listed.exit_code == 0 and json.loads(listed.stdout) == []


@pytest.mark.sqlite_only("emplacement des fichiers SQLite selon l'option, EXPLOC_BASE et la configuration")
def test_base_option_environment_and_config_precedence(runner, tmp_path, monkeypatch) -> None:
    from_env = tmp_path / "env.sqlite"
    monkeypatch.setenv("EXPLOC_BASE", str(from_env))
    assert runner.invoke(app, ["init"]).exit_code == 0
    assert from_env.exists()
    from_option = tmp_path / "option.sqlite"
    assert runner.invoke(app, ["--base", str(from_option), "init"]).exit_code == 0
    assert from_option.exists()
    monkeypatch.delenv("EXPLOC_BASE")
    config = tmp_path / "exploc.toml"
    from_config = tmp_path / "config.sqlite"
    config.write_text(f'[base]\nchemin = "{from_config}"\n', encoding="utf-8")
    assert runner.invoke(app, ["--config", str(config), "init"]).exit_code == 0
    assert from_config.exists()


def test_a_misspelt_configuration_key_is_reported_with_its_path(runner, tmp_path) -> None:
    config = tmp_path / "exploc.toml"
    config.write_text('[base]\nchemn = "x"\n[import]\nlargeur_allocataire = "sept"\n', encoding="utf-8")
    result = runner.invoke(app, ["--config", str(config), "--base", str(tmp_path / "b.sqlite"), "init"])
    assert result.exit_code == 3
    assert "base.chemn : clé inconnue" in result.stderr
    assert "import.largeur_allocataire : nombre entier attendu" in result.stderr
    missing = runner.invoke(app, ["--config", str(tmp_path / "absent.toml"), "init"])
    assert missing.exit_code == 3 and "introuvable" in missing.stderr


@pytest.mark.sqlite_only("un fichier de base absent")
def test_commands_on_a_missing_base_say_how_to_create_it(runner, tmp_path) -> None:
    result = runner.invoke(app, ["--base", str(tmp_path / "absent.sqlite"), "lots", "lister"])
    assert result.exit_code == 3
    assert "n'existe pas" in result.stderr and "exploc init" in result.stderr


def test_verifier_reports_a_healthy_base_and_problems_with_code_4(exploc, base) -> None:
    healthy = exploc("verifier", "--json")
    assert healthy.exit_code == 0, healthy.output
    assert json.loads(healthy.stdout)["ok"] is True
    if not isinstance(base, Path):
        return  # the file's rights: SQLite only
    base.chmod(0o644)
    problem = exploc("verifier")
    assert problem.exit_code == 4 and "lisible par d'autres comptes" in problem.stdout


def test_version_and_french_help(runner) -> None:
    version = runner.invoke(app, ["--version"])
    assert version.exit_code == 0 and version.stdout.strip() == f"exploc {__version__}"
    top = runner.invoke(app, ["--help"])
    assert top.exit_code == 0
    for command in ("importer", "exporter", "lots", "init", "verifier", "demo"):
        assert command in top.stdout
    assert "Base à utiliser" in top.stdout
