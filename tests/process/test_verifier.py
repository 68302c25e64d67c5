"""``exploc verifier`` (real processes): the base (integrity, schema version, access rights), the
configuration, the rules and the Word templates, reported in French, every problem at once;
code 4 when it finds one, never a traceback.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import sys
from pathlib import Path

import pytest

from exploc_cli.affectation.rules import DEFAULT_RULES_PATH
from exploc_cli.seances.referentiel import DEFAULT_REFERENTIEL_PATH
from tests.process._run import assert_clean_failure, exploc

pytestmark = pytest.mark.slow

BASES = Path(__file__).resolve().parents[1] / "data" / "bases"
POSIX = sys.platform != "win32"


def _problems(result_stdout: str) -> dict[str, str]:
    report = json.loads(result_stdout)
    return {c["controle"]: c["detail"] for c in report["controles"] if not c["ok"]}


def _corrupt_an_index(base: Path) -> None:
    """Overwrite the root page of an index with garbage: tables still read, integrity does not hold."""
    with sqlite3.connect(base) as connection:
        connection.execute("PRAGMA journal_mode = DELETE")
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
        (root,) = connection.execute(
            "SELECT rootpage FROM sqlite_master WHERE type = 'index' AND name = 'ix_signalement_menage_id'"
        ).fetchone()
    with base.open("r+b") as handle:
        handle.seek((root - 1) * page_size + 8)
        handle.write(b"\xff\x00exploc" * 40)


def test_a_healthy_installation_passes_every_check(
    tmp_path: Path, isolated_user_folders: Path, backend: str, request: pytest.FixtureRequest
) -> None:
    checks = ["configuration", "droits_configuration", "schema", "regles_affectation", "delais",
              "referentiel_seances", "modele dossier_seance"]  # fmt: skip
    if backend == "postgresql":  # the base named by EXPLOC_BASE, empty before exploc init
        base = {"EXPLOC_BASE": str(request.getfixturevalue("new_base")("serveur", initialised=False))}
        checks.append("serveur")
    else:
        base = {}
        checks += ["integrite", "references", "droits"]
    assert exploc("init", **base).returncode == 0
    result = exploc("verifier", **base)
    assert result.returncode == 0, result.stdout
    for check in checks:
        assert f"OK  {check} : " in result.stdout, check
    assert "Aucun problème trouvé." in result.stdout and "Traceback" not in result.stderr


@pytest.mark.sqlite_only("une base SQLite abîmée (page d'index écrasée) et les droits de son fichier")
def test_every_problem_is_reported_at_once_in_french_with_code_4(tmp_path: Path) -> None:
    base = tmp_path / "base" / "exploc.sqlite"
    base.parent.mkdir(mode=0o700)
    shutil.copy(BASES / f"schema_{sorted(p.stem for p in BASES.glob('schema_*'))[-1][7:]}.sqlite", base)
    assert exploc("--base", str(base), "-q", "init").returncode == 0  # up to date, full of data
    _corrupt_an_index(base)
    base.chmod(0o644)
    folder = tmp_path / "conf"
    folder.mkdir(mode=0o755)
    config = folder / "exploc.toml"
    config.write_text('[base]\nattente_verrou_seconde = 10\n[import]\nmax_colonnes = "beaucoup"\n', encoding="utf-8")
    rules = DEFAULT_RULES_PATH.read_text(encoding="utf-8").replace(
        "valide_du = 2023-01-01", "valide_du = 2023-13-01", 1
    )
    (folder / "regles_affectation.toml").write_text(rules, encoding="utf-8")
    (folder / "referentiel_seances.toml").write_text(
        DEFAULT_REFERENTIEL_PATH.read_text(encoding="utf-8") + "\n[inconnu]\nx = 1\n", encoding="utf-8"
    )

    result = exploc("--base", str(base), "--config", str(config), "verifier", "--json")
    assert_clean_failure(result, 4)
    problems = _problems(result.stdout)
    assert "base.attente_verrou_seconde : clé inconnue" in problems["configuration"]
    assert "import.max_colonnes : nombre entier attendu" in problems["configuration"]
    assert "regles_affectation.toml" in problems["regles_affectation"]
    assert "referentiel_seances.toml" in problems["referentiel_seances"]
    assert "integrite" in problems
    if POSIX:
        assert "chmod 700" in problems["droits_configuration"]
        assert "lisible par d'autres comptes (644) : chmod 600" in problems["droits"]
    assert "schema" not in problems  # the schema is up to date: not reported
    text = exploc("--base", str(base), "--config", str(config), "verifier")
    assert_clean_failure(text, 4)
    assert "PROBLÈME  integrite : " in text.stdout and "problème(s) trouvé(s)." in text.stdout
