"""``exporter signalements`` (the contract), ``lots lister`` and ``lots annuler``."""

from __future__ import annotations

import csv
import hashlib
import json
import stat

from tests.helpers import CAF_HEADER, caf_line, counts, csv_text, execute, rows
from tests.process.test_no_leaks import PG_BREAKDOWN


def _import(exploc, write_file, name: str, lines: list[str]) -> None:
    result = exploc("importer", str(write_file(name, csv_text(CAF_HEADER, lines))))
    assert result.exit_code == 0, result.output


def _read_export(path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel opens it as is
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def test_export_keeps_the_contract_columns_and_is_owner_only_and_journalled(exploc, base, write_file, tmp_path) -> None:
    _import(
        exploc,
        write_file,
        "caf.csv",
        [
            caf_line("S-1", "0012345", "DUPONT", "Jean", date="15/11/2025", cp="1000"),
            caf_line("S-2", "2", "MARTIN", "Luc", date="02/12/2025"),
        ],
    )
    target = tmp_path / "sorties" / "signalements.csv"
    result = exploc("exporter", "signalements", "--sortie", str(target), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["lignes"] == 2
    header = target.read_text(encoding="utf-8-sig").splitlines()[0].split(";")
    assert header[:8] == ["source", "reference", "type", "date", "nom", "prenom", "menage", "service"]
    exported = _read_export(target)
    assert [(r["source"], r["reference"], r["type"], r["date"], r["nom"], r["prenom"]) for r in exported] == [
        ("caf", "S-1", "signalement_caf", "15/11/2025", "DUPONT", "Jean"),
        ("caf", "S-2", "signalement_caf", "02/12/2025", "MARTIN", "Luc"),
    ]
    assert exported[0]["numero_allocataire"] == "0012345" and exported[0]["code_postal"] == "01000"
    # two households, numbered in the order of their first report
    assert [r["menage"] for r in exported] == ["1", "2"] and exported[0]["service"] == ""
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    (entry,) = rows(base, "SELECT * FROM journal WHERE action = 'export_signalements'")
    assert entry["nb_lignes"] == 2 and entry["chemin"] == str(target)
    assert entry["sha256"] == hashlib.sha256(target.read_bytes()).hexdigest()
    assert entry["utilisateur"] and "exporter signalements" in entry["commande"]


def test_partner_text_cannot_become_a_formula(exploc, base, write_file, tmp_path) -> None:
    _import(
        exploc,
        write_file,
        "caf.csv",
        [caf_line('=HYPERLINK("http://x")', "1", "=1+1", "@SUM(A1)", adresse="+33 rue X", commune="-Bourg")],
    )
    target = tmp_path / "s.csv"
    assert exploc("exporter", "signalements", "--sortie", str(target)).exit_code == 0
    (row,) = _read_export(target)
    assert row["reference"] == '\'=HYPERLINK("http://x")'
    dangerous = {k: v for k, v in row.items() if v.startswith(("=", "+", "-", "@", "\t", "\r"))}
    assert dangerous == {}


def test_export_filters_share_the_common_vocabulary(exploc, base, write_file, tmp_path) -> None:
    _import(
        exploc,
        write_file,
        "caf.csv",
        [
            caf_line("S-1", "1", "DUPONT", "Jean", date="15/11/2025", dette="500", commune="Bourg-sur-Sarre"),
            caf_line("S-2", "2", "MARTIN", "Luc", date="02/12/2025", dette="3 000", commune="Oyonnax", cp="01100"),
        ],
    )
    target = tmp_path / "f.csv"

    def exported(*filters: str) -> list[str]:
        result = exploc("exporter", "signalements", "--sortie", str(target), *filters)
        assert result.exit_code == 0, result.output
        return [r["reference"] for r in _read_export(target)]

    assert exported("--du", "01/12/2025") == ["S-2"]
    assert exported("--au", "30/11/2025") == ["S-1"]
    assert exported("--dette-min", "1 000") == ["S-2"]
    assert exported("--commune", "Oyonnax") == ["S-2"]
    assert exported("--commune", "01100") == ["S-2"]
    assert exported("--etape", "signalement_caf") == ["S-1", "S-2"]
    assert exported("--etape", "cql") == []
    bad = exploc("exporter", "signalements", "--sortie", str(target), "--du", "32/13/2025")
    assert bad.exit_code == 2 and "JJ/MM/AAAA" in bad.output
    unknown = exploc("exporter", "signalements", "--sortie", str(target), "--etape", "expulsion-sauvage")
    assert unknown.exit_code == 3 and "Étape inconnue" in unknown.stderr


def test_lots_lister_and_annuler(exploc, base, write_file) -> None:
    _import(exploc, write_file, "a.csv", [caf_line("S-1", "1", "DUPONT", "Jean")])
    _import(exploc, write_file, "b.csv", [caf_line("S-2", "2", "MARTIN", "Luc"), caf_line("S-3", "3", "PETIT", "Anne")])
    listed = json.loads(exploc("lots", "lister", "--json").stdout)
    assert [(lot["lot"], lot["fichier"], lot["importees"]) for lot in listed] == [(2, "b.csv", 2), (1, "a.csv", 1)]
    human = exploc("lots", "lister")
    assert "b.csv" in human.stdout and "importé" in human.stdout
    cancelled = exploc("lots", "annuler", "2", "--json")
    assert cancelled.exit_code == 0
    assert json.loads(cancelled.stdout) == {"lot": 2, "fichier": "b.csv", "signalements_supprimes": 2}
    assert counts(base) == {"lot": 2, "signalement": 1, "evenement": 1}
    assert rows(base, "SELECT statut FROM lot ORDER BY id") == [{"statut": "importe"}, {"statut": "annule"}]
    (entry,) = rows(base, "SELECT * FROM journal WHERE action = 'annulation_lot'")
    assert entry["nb_lignes"] == 2 and "DUPONT" not in (entry["details"] or "")
    again = exploc("lots", "annuler", "2")
    assert again.exit_code == 3 and "déjà annulé" in again.stderr
    missing = exploc("lots", "annuler", "99")
    assert missing.exit_code == 3 and "n'existe pas" in missing.stderr
    reimported = exploc(
        "importer",
        str(
            write_file(
                "b.csv",
                csv_text(CAF_HEADER, [caf_line("S-2", "2", "MARTIN", "Luc"), caf_line("S-3", "3", "PETIT", "Anne")]),
            )
        ),
    )
    assert reimported.exit_code == 0 and counts(base)["signalement"] == 3


def test_an_export_whose_journal_entry_fails_is_removed(exploc, base, backend, write_file, tmp_path) -> None:
    _import(exploc, write_file, "caf.csv", [caf_line("S-1", "1", "DUPONT", "Jean")])
    if backend == "postgresql":  # a defect: every journal entry fails
        execute(base, PG_BREAKDOWN)
        execute(base, "CREATE TRIGGER panne BEFORE INSERT ON journal FOR EACH ROW EXECUTE FUNCTION panne()")
    else:
        execute(base, "CREATE TRIGGER panne BEFORE INSERT ON journal BEGIN SELECT RAISE(ABORT, 'panne'); END")
    target = tmp_path / "signalements.csv"
    result = exploc("exporter", "signalements", "--sortie", str(target))
    assert result.exit_code != 0
    assert not target.exists()  # no nominative file without its journal entry
