"""Concurrency: while a large import holds the base's write lock, a secretary's dossier, an
extraction and a diagnostic (real processes) wait for it instead of failing with « database is
locked », and no reader ever sees half a file.

The design measured in benchmarks/RESULTS.md (« Imports et accès simultanés »): every writer
takes SQLite's write lock with BEGIN IMMEDIATE and waits up to ``[base] attente_verrou_secondes``
(600 s by default, sized to the longest import plus its linkage); an import is one transaction
per file, so a reader sees a file entirely or not at all (WAL). A command that must wait says
so on stderr; one that waits longer than the configured time stops with code 6 and a French
message, having written nothing.
"""

from __future__ import annotations

import csv
import json
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from exploc_cli.synthetic import generate_bulk
from tests.backends import Base, write_lock, write_lock_held
from tests.process._run import assert_clean_failure, exploc, query, spawn

pytestmark = pytest.mark.slow

BIG_FILE_ROWS = 15_000
WAIT_NOTICE = "La base est occupée par un autre traitement"

# The commands run while the import holds the lock: each writes a file, then its journal entry.
# A new nominative command joins the test with one line here.
CONCURRENT: dict[str, Callable[[Path], list[str]]] = {
    "dossier": lambda out: ["seances", "dossier", "1", "--sortie", str(out / "dossier.docx")],
    "extraction": lambda out: [
        "extraire", "--sortie", str(out / "extraction.csv"), "--motif", "Test de concurrence", "--colonnes", "complet"
    ],
    "diagnostic": lambda out: ["diagnostic", "--sortie", str(out / "diagnostic.xlsx")],
}  # fmt: skip


def _extracted(path: Path) -> int:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return sum(1 for _ in csv.reader(handle, delimiter=";")) - 1


def _watch_lots(base: Base, stop: threading.Event, seen: list[subprocess.CompletedProcess[str]]) -> None:
    """``exploc lots lister`` again and again, as a second secretary would, until ``stop``."""
    while not stop.is_set():
        seen.append(exploc("--base", str(base), "lots", "lister", "--json"))
        stop.wait(0.5)


def _sample_lots(base: Base, stop: threading.Event, samples: list[tuple[bool, list[tuple[int, int, int]]]]) -> None:
    """Every 0.1 s, as a third-party reader: is the lock held, and each batch's announced and stored rows."""
    sql = "SELECT l.id, l.importees, (SELECT COUNT(*) FROM signalement s WHERE s.lot_id = l.id) FROM lot l"
    while not stop.is_set():
        held = write_lock_held(base)
        samples.append((held, [tuple(row) for row in query(base, sql)]))
        stop.wait(0.1)


def _prepare(tmp_path: Path, base: Base) -> Path:
    """Ménages in ``base`` and a session of ten of them; a large huissier file to import."""
    generate_bulk(tmp_path / "depot", 600, seed=3, workers=1)
    assert exploc("--base", str(base), "-q", "importer", str(tmp_path / "depot")).returncode == 0
    created = exploc("--base", str(base), "seances", "creer", "--date", "15/12/2099", "--instance", "CCAPEX centrale")
    assert created.returncode == 0, created.stderr
    added = exploc("--base", str(base), "seances", "ajouter", "1", "--dette-min", "2000", "--limite", "10")
    assert added.returncode == 0, added.stderr
    big = tmp_path / "gros"
    generate_bulk(big, 0, seed=5, huissier_lines=BIG_FILE_ROWS, workers=1)
    return big / "huissier.csv"


def test_dossier_extraction_and_diagnostic_wait_for_a_large_import_and_never_see_half_of_it(
    tmp_path: Path, fresh_base: Base
) -> None:
    base = fresh_base
    big = _prepare(tmp_path, base)
    alone = tmp_path / "seul"
    alone.mkdir()
    solo = exploc("--base", str(base), *CONCURRENT["extraction"](alone))
    assert solo.returncode == 0, solo.stderr
    before = _extracted(alone / "extraction.csv")
    journal_before = query(base, "SELECT COUNT(*) FROM journal")[0][0]
    lots_before = query(base, "SELECT COUNT(*) FROM lot")[0][0]

    stop, seen, samples = threading.Event(), [], []
    sampler = threading.Thread(target=_sample_lots, args=(base, stop, samples), daemon=True)
    sampler.start()
    import_log = (tmp_path / "import.err").open("w+", encoding="utf-8")
    importer = spawn("--base", str(base), "importer", str(big), stderr=import_log)
    deadline = time.monotonic() + 120
    while not write_lock_held(base):
        assert importer.poll() is None and time.monotonic() < deadline, "l'import n'a jamais pris le verrou"
        time.sleep(0.05)

    out = tmp_path / "pendant"
    out.mkdir()
    logs = {name: (tmp_path / f"{name}.err").open("w+", encoding="utf-8") for name in CONCURRENT}
    others = {name: spawn("--base", str(base), *args(out), stderr=logs[name]) for name, args in CONCURRENT.items()}
    watcher = threading.Thread(target=_watch_lots, args=(base, stop, seen), daemon=True)
    watcher.start()
    codes = {name: process.wait(timeout=600) for name, process in others.items()}
    assert importer.wait(timeout=600) == 0
    stop.set()
    watcher.join()
    sampler.join()

    waited = []
    for name, log in logs.items():
        log.seek(0)
        stderr = log.read()
        assert codes[name] == 0, (name, stderr)
        assert "locked" not in stderr and "Traceback" not in stderr, (name, stderr)
        waited += [name] if WAIT_NOTICE in stderr else []
    # they had to wait (one of them may have come in the pause the import leaves between its
    # file and its linkage, when the lock is free on purpose)
    assert len(waited) >= len(CONCURRENT) - 1, ("le test ne prouve rien : personne n'a attendu", waited)

    # the extraction saw the base before the file or after it, never in between
    after_import = exploc("--base", str(base), *CONCURRENT["extraction"](alone))
    assert after_import.returncode == 0
    after = _extracted(alone / "extraction.csv")
    assert after > before
    assert _extracted(out / "extraction.csv") in (before, after)
    # a reader sampling every 0.1 s saw each batch whole, or not at all, also while the import
    # held the lock; so did each ``exploc lots lister`` run meanwhile
    for _held, lots in samples:
        assert all(announced == stored for _, announced, stored in lots), lots
    assert sum(1 for held, lots in samples if held and len(lots) == lots_before) >= 3, "aucune lecture pendant l'import"
    assert len(seen) >= 2
    listings = []
    for listing in seen:
        assert listing.returncode == 0 and "locked" not in listing.stderr, listing.stderr
        listings.append(json.loads(listing.stdout))
    for lots in listings:
        for lot in lots:
            assert lot["signalements_en_base"] == lot["importees"] and lot["statut"] == "importe", lot
    # every nominative document is in the journal
    journaled = {
        Path(chemin).name
        for (chemin,) in query(base, "SELECT chemin FROM journal WHERE id > ?", journal_before)
        if chemin
    }
    assert {path.name for path in out.iterdir()} <= journaled
    assert len(list(out.iterdir())) == len(CONCURRENT)
    if isinstance(base, Path):
        assert query(base, "PRAGMA integrity_check") == [("ok",)]


def test_a_write_that_waits_longer_than_configured_stops_with_code_6_and_writes_nothing(
    tmp_path: Path, fresh_base: Base
) -> None:
    base = fresh_base
    generate_bulk(tmp_path / "depot", 150, seed=6, workers=1)
    assert exploc("--base", str(base), "-q", "importer", str(tmp_path / "depot")).returncode == 0
    assert exploc("--base", str(base), "-q", "seances", "creer", "--date", "15/12/2099").returncode == 0
    assert exploc("--base", str(base), "-q", "seances", "ajouter", "1", "1", "2", "3").returncode == 0
    config = tmp_path / "exploc.toml"
    config.write_text("[base]\nattente_verrou_secondes = 0.3\n", encoding="utf-8")
    counts = "SELECT (SELECT COUNT(*) FROM seance), (SELECT COUNT(*) FROM journal), (SELECT COUNT(*) FROM parametre)"
    before = query(base, counts)
    with write_lock(base):  # another process in the middle of a long write
        impatient = ("--base", str(base), "--config", str(config))
        session = exploc(*impatient, "seances", "creer", "--date", "16/12/2099")
        extraction = exploc(
            *impatient, "extraire", "--sortie", str(tmp_path / "e.csv"), "--motif", "m", "--pseudonymiser"
        )
        dossier = exploc(*impatient, "seances", "dossier", "1", "--sortie", str(tmp_path / "dossier.docx"))
    for result in (session, extraction, dossier):
        assert_clean_failure(result, 6)
        assert WAIT_NOTICE in result.stderr and "attente_verrou_secondes" in result.stderr
    # nothing written: no session, no pseudonym key, no journal entry, and no document left
    # without its journal entry (the dossier was written, then removed when its entry could not be)
    assert query(base, counts) == before
    assert not (tmp_path / "e.csv").exists() and not (tmp_path / "dossier.docx").exists()
