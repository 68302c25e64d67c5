"""RGPD rights and backups: `menages effacer`, `menages donnees`, `sauvegarder`, `restaurer`."""

from __future__ import annotations

import json
import sqlite3
import stat
import sys
import threading
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from commands.app import app
from tests.cli.test_menages_parcours import three_households
from tests.cli.test_seances import _create
from tests.conftest import Invoke
from tests.helpers import CAF_HEADER, caf_line, csv_text, rows, scalar

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
file_backups = pytest.mark.sqlite_only("sauvegarder/restaurer copient le fichier SQLite (API de sauvegarde)")


def _counts(base: Path) -> dict[str, int]:
    tables = ("menage", "signalement", "evenement", "affectation", "note", "inscription", "rattachement")
    return {t: scalar(base, f"SELECT COUNT(*) FROM {t}") for t in tables}


def _eloise(base: Path) -> int:
    return int(scalar(base, "SELECT COUNT(*) FROM signalement WHERE nom LIKE 'LEF%VRE'"))


def test_an_erased_household_is_gone_and_a_reimport_does_not_bring_it_back(
    exploc: Invoke, write_file: Callable[..., Path], base: Path, tmp_path: Path
) -> None:
    numbers = three_households(exploc, write_file, base)
    a = numbers["A"]
    assert exploc("affecter").exit_code == 0
    assert exploc("menages", "noter", str(a), "Mme Lefèvre rappelle lundi").exit_code == 0
    seance = _create(exploc)
    assert exploc("seances", "ajouter", str(seance), str(a)).exit_code == 0
    dossier = tmp_path / "dossier.docx"
    assert exploc("seances", "dossier", str(seance), "--sortie", str(dossier)).exit_code == 0
    before = _counts(base)
    reports = int(scalar(base, "SELECT COUNT(*) FROM signalement WHERE menage_id = ?", a))

    missing = exploc("menages", "effacer", str(a), "--motif", "  ", "--oui")
    assert missing.exit_code == 3 and "motif" in missing.output
    refused = CliRunner().invoke(
        app, ["--base", str(base), "menages", "effacer", str(a), "--motif", "Demande du 02/11/2026"], input="n\n"
    )
    assert refused.exit_code == 1 and _counts(base) == before
    preview = exploc("menages", "effacer", str(a), "--motif", "Demande du 02/11/2026", "--simulation", "--json")
    assert preview.exit_code == 0 and _counts(base) == before
    assert json.loads(preview.stdout)["signalements"] == reports

    result = exploc("menages", "effacer", str(a), "--motif", "Demande du 02/11/2026", "--oui", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["menages"] == [a] and report["signalements"] == reports == 3
    assert report["documents_a_detruire"] == [str(dossier.resolve())]
    after = _counts(base)
    assert after["menage"] == before["menage"] - 1 and after["signalement"] == before["signalement"] - reports
    for table in ("signalement", "note", "inscription", "preconisation", "affectation", "rattachement"):
        assert scalar(base, f"SELECT COUNT(*) FROM {table} WHERE menage_id = ?", a) == 0, table
    assert after["note"] == before["note"] - 1 and after["affectation"] == before["affectation"] - 1
    assert _eloise(base) == 0
    assert scalar(base, "SELECT COUNT(*) FROM signalement_efface WHERE raison = 'effacement'") == reports
    assert exploc("menages", "afficher", str(a)).exit_code == 3
    entry = rows(base, "SELECT * FROM journal WHERE action = 'effacement'")[0]
    assert json.loads(entry["details"])["menages"] == [a] and entry["motif"] == "Demande du 02/11/2026"
    assert "LEF" not in json.dumps(entry)  # the journal names the household by its number only

    # the partners send the same files again: nothing comes back
    for name in ("caf.csv", "actes.csv"):
        again = exploc("importer", str(tmp_path / "fichiers" / name))
        assert again.exit_code == 0, again.output
    assert _eloise(base) == 0 and _counts(base) == after


def test_an_identical_row_sent_again_stays_erased(exploc: Invoke, write_file: Callable[..., Path], base: Path) -> None:
    line = caf_line("S-Z", "0555555", "ZOLA", "Émile", dette="900,00", date="10/10/2025")
    path = write_file("caf.csv", csv_text(CAF_HEADER, [line]))
    assert exploc("importer", str(path)).exit_code == 0
    menage = int(scalar(base, "SELECT menage_id FROM signalement WHERE nom = 'ZOLA'"))
    assert exploc("menages", "effacer", str(menage), "--motif", "Demande", "--oui").exit_code == 0
    result = exploc("importer", str(path), "--json")
    assert result.exit_code == 0, result.output
    assert scalar(base, "SELECT COUNT(*) FROM signalement WHERE nom = 'ZOLA'") == 0


@posix_only
def test_the_right_of_access_exports_everything_held_about_a_household(
    exploc: Invoke, write_file: Callable[..., Path], base: Path, tmp_path: Path
) -> None:
    numbers = three_households(exploc, write_file, base)
    a = numbers["A"]
    assert exploc("menages", "noter", str(a), "Appel du CCAS").exit_code == 0
    out = tmp_path / "acces.xlsx"
    result = exploc("menages", "donnees", str(a), "--sortie", str(out), "--json")
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    workbook = openpyxl.load_workbook(out)
    assert {"Ménage", "Signalements", "Événements", "Rapprochements", "Notes", "Journal", "À propos"} <= set(
        workbook.sheetnames
    )
    signalements = [list(r) for r in workbook["Signalements"].iter_rows(values_only=True)]
    header = signalements[0]
    assert len(signalements) == 1 + 3 and "brut" in header and "fichier_source" in header
    assert {r[header.index("nom")] for r in signalements[1:]} >= {"LEFÈVRE"}
    assert [r[-1] for r in list(workbook["Notes"].iter_rows(values_only=True))[1:]] == ["Appel du CCAS"]
    with zipfile.ZipFile(out) as package:  # the other households are not in it
        text = "".join(package.read(n).decode() for n in package.namelist() if n.endswith(".xml"))
    assert "MARTIN" not in text and "DURAND" not in text
    as_json = tmp_path / "acces.json"
    assert exploc("menages", "donnees", str(a), "--sortie", str(as_json)).exit_code == 0
    document = json.loads(as_json.read_text(encoding="utf-8"))
    assert document["menages"] == [a] and len(document["Événements"]) >= 4
    actions = [r["action"] for r in rows(base, "SELECT action FROM journal ORDER BY id")]
    assert actions.count("droit_acces") == 2


@posix_only
@file_backups
def test_a_backup_is_consistent_while_someone_writes_and_owner_only(
    exploc: Invoke, write_file: Callable[..., Path], base: Path, tmp_path: Path
) -> None:
    three_households(exploc, write_file, base)
    expected = _counts(base)
    writer = sqlite3.connect(base, isolation_level=None, check_same_thread=False)
    writer.execute("BEGIN IMMEDIATE")  # an import halfway: its changes not committed yet
    writer.execute("DELETE FROM evenement")
    release = threading.Timer(3.0, lambda: writer.execute("ROLLBACK"))  # then it gives up
    release.start()
    try:
        copy = tmp_path / "sauvegardes" / "copie.sqlite"
        result = exploc("sauvegarder", "--sortie", str(copy), "--json")  # the journal entry waits for it
    finally:
        release.join()
        writer.close()
    assert result.exit_code == 0, result.output
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert not Path(str(copy) + "-wal").exists()
    assert _counts(copy) == expected
    with sqlite3.connect(copy) as check:
        assert check.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert (
        json.loads(result.stdout)["sha256"]
        == rows(base, "SELECT sha256 FROM journal WHERE action = 'sauvegarde'")[0]["sha256"]
    )


@file_backups
def test_a_restore_reapplies_the_erasures_made_since_the_backup(
    exploc: Invoke, write_file: Callable[..., Path], base: Path, tmp_path: Path
) -> None:
    numbers = three_households(exploc, write_file, base)
    copy = tmp_path / "copie.sqlite"
    assert exploc("sauvegarder", "--sortie", str(copy)).exit_code == 0
    assert exploc("menages", "effacer", str(numbers["A"]), "--motif", "Demande", "--oui").exit_code == 0
    after_erasure = _counts(base)
    result = exploc("restaurer", str(copy), "--oui", "--json")
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["signalements_reeffaces"] == 3 and report["menages_retires"] == 1
    assert _eloise(base) == 0 and _counts(base) == after_erasure
    assert Path(report["base_precedente"]).exists()
    actions = [r["action"] for r in rows(base, "SELECT action FROM journal ORDER BY id")]
    assert actions[-3:] == ["sauvegarde", "effacement", "restauration"]  # entries since the copy carried over
    assert exploc("menages", "afficher", str(numbers["B"])).exit_code == 0


@file_backups
def test_a_broken_or_foreign_file_is_refused_and_the_base_untouched(
    exploc: Invoke, write_file: Callable[..., Path], base: Path, tmp_path: Path
) -> None:
    three_households(exploc, write_file, base)
    before = _counts(base)
    foreign = tmp_path / "autre.sqlite"
    with sqlite3.connect(foreign) as other:
        other.execute("CREATE TABLE t (x)")
    garbage = tmp_path / "abime.sqlite"
    garbage.write_bytes(b"SQLite format 3\x00" + b"\xff" * 5000)
    for bad, words in (
        (foreign, "pas une base exploc"),
        (garbage, "abime.sqlite"),
        (tmp_path / "absent.sqlite", "introuvable"),
    ):
        result = exploc("restaurer", str(bad), "--oui")
        assert result.exit_code == 3, result.output
        assert words in result.output
    assert _counts(base) == before


def test_server_bases_are_backed_up_by_the_server(runner: CliRunner, tmp_path: Path) -> None:
    url = "postgresql+psycopg://exploc@localhost:1/exploc"  # refused before any connection
    result = runner.invoke(app, ["--base", url, "sauvegarder", "--sortie", str(tmp_path / "x.sqlite")])
    assert result.exit_code == 3 and "pg_dump" in result.output
    restored = runner.invoke(app, ["--base", url, "restaurer", str(tmp_path / "x.sqlite")])
    assert restored.exit_code == 3 and "pg_restore" in restored.output and "Remplacer" not in restored.output


@pytest.mark.postgresql_only("sauvegarder/restaurer refusés sur une base PostgreSQL réelle")
def test_on_a_server_base_backup_and_restore_say_it_is_the_servers_job(
    exploc: Invoke, write_file: Callable[..., Path], base: str, tmp_path: Path
) -> None:
    three_households(exploc, write_file, base)
    before = _counts(base)
    saved = exploc("sauvegarder", "--sortie", str(tmp_path / "copie.sqlite"))
    assert saved.exit_code == 3, saved.output
    assert "l'affaire du serveur" in saved.stderr and "pg_dump" in saved.stderr
    assert not (tmp_path / "copie.sqlite").exists()
    (tmp_path / "copie.sqlite").write_bytes(b"")
    restored = exploc("restaurer", str(tmp_path / "copie.sqlite"), "--oui")
    assert restored.exit_code == 3 and "pg_restore" in restored.stderr
    assert _counts(base) == before
    assert scalar(base, "SELECT COUNT(*) FROM journal WHERE action IN ('sauvegarde', 'restauration')") == 0
