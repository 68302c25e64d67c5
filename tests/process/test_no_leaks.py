"""No leaks: after a secretariat's day in real processes (umask 022, as on most systems), every
file exploc wrote is readable by its owner only (0600) and every folder it created is 0700;
the technical log and the audit journal hold no name nor note; a bug shows no traceback, and
``--debug`` shows one without local variables nor the values of its SQL statement.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from exploc_cli.resources import sample_data_dir
from tests.backends import Base
from tests.helpers import execute, scalar, tuples
from tests.process._run import ROOT, command, environment

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes (Windows relies on the profile's access rights)"),
]

SECRET = "SECRETNAME"
# PostgreSQL's version of the defect: an integrity error (as SQLite's RAISE(ABORT)) on every note
PG_BREAKDOWN = (
    "CREATE FUNCTION panne() RETURNS trigger LANGUAGE plpgsql AS "
    "$$ BEGIN RAISE EXCEPTION 'panne' USING ERRCODE = 'check_violation'; END $$"
)


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    """``exploc ARGS…`` in a process whose umask lets group and others read new files by default."""
    return subprocess.run(
        command(*args),
        cwd=ROOT,
        env=environment(),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        preexec_fn=lambda: os.umask(0o022),  # POSIX only (the test is skipped on Windows)
    )


def _ok(*args: str) -> subprocess.CompletedProcess[str]:
    result = _run(*args)
    assert result.returncode in (0, 5), (args, result.stdout[-2000:], result.stderr[-2000:])
    return result


def _modes(root: Path) -> list[tuple[Path, int]]:
    return [(path, stat.S_IMODE(path.stat().st_mode)) for path in [root, *root.rglob("*")]]


def test_a_day_of_work_leaves_private_files_logs_without_personal_data_and_bugs_without_tracebacks(
    tmp_path: Path, isolated_user_folders: Path, backend: str, request: pytest.FixtureRequest
) -> None:
    data, config, logs = (isolated_user_folders / "data" / "exploc", isolated_user_folders / "config" / "exploc",
                          isolated_user_folders / "state" / "exploc" / "log")  # fmt: skip
    base: Base = data / "exploc.sqlite"  # the default base, or the server's given by EXPLOC_BASE
    if backend == "postgresql":
        base = str(request.getfixturevalue("new_base")("jour", initialised=False))
        request.getfixturevalue("monkeypatch").setenv("EXPLOC_BASE", base)
    _ok("regles", "copier")  # before anything else: creates the configuration folder
    _ok("init")
    depot = tmp_path / "depot"
    depot.mkdir()
    for path in sample_data_dir().iterdir():
        if path.is_file() and path.suffix in (".csv", ".xlsx"):
            shutil.copy(path, depot / path.name)
    out = tmp_path / "sorties"
    archives = tmp_path / "archives"
    _ok("importer", "--archiver", str(archives), str(depot))
    out.mkdir()
    export = out / "signalements.csv"
    export.write_text("ancien contenu", encoding="utf-8")
    export.chmod(0o644)  # an old file readable by all: the export makes it private
    _ok("exporter", "signalements", "--sortie", str(export))
    _ok("seances", "creer", "--date", "15/12/2099", "--instance", "CCAPEX centrale")
    _ok("seances", "ajouter", "1", "--dette-min", "1000", "--limite", "5")
    _ok("seances", "dossier", "1", "--sortie", str(out / "nouveau" / "dossier.docx"))
    _ok("extraire", "--sortie", str(out / "extraction.xlsx"), "--motif", "Services sociaux")
    _ok("diagnostic", "--sortie", str(out / "diagnostic.xlsx"))
    _ok("menages", "noter", "1", f"Mme {SECRET} est hospitalisée")

    # every file 0600, every folder exploc created 0700 (the output folder « sorties » is the test's);
    # the configuration folder 0700, its exploc.toml 0600 (it may hold a server's password)
    for root in (data, config, logs, archives, out / "nouveau"):
        for path, mode in _modes(root):
            if path.is_dir() or root != config or path.name == "exploc.toml":
                expected = 0o700 if path.is_dir() else 0o600
                assert mode & 0o077 == 0, f"{path} : {mode:o}, attendu {expected:o}"
    for path, mode in _modes(out):
        if path.is_file():
            assert mode == 0o600, f"{path} : {mode:o}"
    assert {p.name for p in (data / "rejets").iterdir()}, "le test suppose des rejets"

    # no name, no address, no note in the technical log nor in the audit journal
    values = tuples(base, "SELECT nom, prenoms, voie FROM signalement")
    # every surname and first name (as stored, case-sensitive), every street
    words = {
        w for nom, prenoms, _ in values for value in (nom, prenoms) if value for w in re.findall(r"[^\W\d_]{4,}", value)
    }
    words |= {voie for _, _, voie in values if voie and len(voie) >= 8}
    assert len(words) > 100 and SECRET not in words
    words.add(SECRET)
    log_text = "\n".join(p.read_text(encoding="utf-8") for p in logs.glob("exploc.log*"))
    assert "importees=" in log_text
    journal = _ok("journal", "--json").stdout
    assert len(json.loads(journal)) > 5
    for text, where in ((log_text, "journal technique"), (journal, "journal d'audit")):
        found = sorted(w for w in words if re.search(rf"\b{re.escape(w)}\b", text))
        assert not found, f"{where} : {found[:10]}"

    # a bug: no traceback, no data; --debug: a traceback without local variables nor SQL values
    # a defect: every note insert fails
    if backend == "postgresql":
        execute(base, PG_BREAKDOWN)
        execute(base, "CREATE TRIGGER panne BEFORE INSERT ON note FOR EACH ROW EXECUTE FUNCTION panne()")
    else:
        execute(base, "CREATE TRIGGER panne BEFORE INSERT ON note BEGIN SELECT RAISE(ABORT, 'panne'); END")
    plain = _run("menages", "noter", "2", f"Mme {SECRET} est hospitalisée")
    debug = _run("--debug", "menages", "noter", "2", f"Mme {SECRET} est hospitalisée")
    for result in (plain, debug):
        assert result.returncode == 1
        assert "Erreur inattendue (IntegrityError, exploc_cli/" in result.stderr
        assert SECRET not in result.stdout + result.stderr
        assert "locals" not in result.stderr and "texte = " not in result.stderr
    assert "Traceback" not in plain.stderr and "--debug" in plain.stderr
    assert "Traceback (most recent call last)" in debug.stderr and "INSERT INTO note" in debug.stderr
    log_text = "\n".join(p.read_text(encoding="utf-8") for p in logs.glob("exploc.log*"))
    assert "erreur inattendue type=IntegrityError" in log_text and SECRET not in log_text
    assert scalar(base, "SELECT COUNT(*) FROM note") == 1  # the first note only
