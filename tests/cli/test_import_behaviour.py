"""Import semantics: duplicates, rejects, strict, simulation, lock, folders, archive, profiles, JSON."""

from __future__ import annotations

import csv
import json
import os
import stat
from pathlib import Path

from commands.app import app
from exploc_cli.store.db import resolve_location
from exploc_cli.store.lock import store_import_lock
from tests.backends import data_dir
from tests.helpers import CAF_HEADER, caf_line, counts, csv_text, rows, scalar


def _caf(write_file, name: str, lines: list[str], encoding: str = "utf-8") -> Path:
    return write_file(name, csv_text(CAF_HEADER, lines), encoding)


def test_reimporting_a_file_adds_nothing(exploc, base, write_file) -> None:
    path = _caf(write_file, "caf.csv", [caf_line("S-1", "1", "DUPONT", "Jean"), caf_line("S-2", "2", "MARTIN", "Luc")])
    assert exploc("importer", str(path)).exit_code == 0
    before = counts(base)
    again = exploc("importer", str(path))
    assert again.exit_code == 0
    assert "déjà importé" in again.output and "(lot 1)" in again.output
    assert counts(base) == before


def test_a_monthly_file_repeating_rows_adds_only_new_rows_and_new_observations(exploc, base, write_file) -> None:
    november = _caf(
        write_file,
        "caf_11.csv",
        [caf_line("S-1", "1", "DUPONT", "Jean", dette="1 000,00"), caf_line("S-2", "2", "MARTIN", "Luc")],
    )
    december = write_file(
        "caf_12.csv",
        "\ufeff"
        + csv_text(
            CAF_HEADER,
            [
                caf_line("S-1", "1", "DUPONT", "Jean", dette="1 000,00"),  # same values: a duplicate
                caf_line("S-2", "2", " MARTIN ", "Luc"),  # only whitespace differs: a duplicate
                caf_line("S-1", "1", "DUPONT", "Jean", dette="1 450,00", date="15/12/2025"),  # a new observation
                caf_line("S-3", "3", "PETIT", "Anne"),
            ],
        ),
    )
    assert exploc("importer", str(november)).exit_code == 0
    result = exploc("--quiet", "importer", "--json", str(december))
    assert result.exit_code == 0
    (file,) = json.loads(result.stdout)["fichiers"]
    assert (file["lignes_lues"], file["importees"], file["deja_presentes"], file["rejetees"]) == (4, 2, 2, 0)
    assert [r["dette"] for r in rows(base, "SELECT dette FROM signalement WHERE reference = 'S-1' ORDER BY id")] == [
        100000,
        145000,
    ]


def test_duplicate_rows_inside_one_file_count_once(exploc, base, write_file) -> None:
    line = caf_line("S-1", "1", "DUPONT", "Jean")
    path = _caf(write_file, "caf.csv", [line, line, line])
    result = exploc("importer", "--json", str(path))
    (file,) = json.loads(result.stdout)["fichiers"]
    assert (file["importees"], file["deja_presentes"]) == (1, 2)


def test_rejects_are_reported_with_file_row_column_value_and_valid_rows_import(exploc, base, write_file) -> None:
    path = _caf(
        write_file,
        "caf.csv",
        [
            caf_line("S-1", "1", "DUPONT", "Jean", naissance="31/02/1980"),
            caf_line(
                "S-2",
                "2",
                "",
                "",
            ),
            caf_line("S-3", "3", "PETIT", "Anne", date="bientôt"),
            caf_line("S-4", "4", "ROUX", "Paul", date=""),
            caf_line("S-5", "5", "BLANC", "Lise", date="12/12/2099"),
        ],
    )
    result = exploc("importer", str(path))
    assert result.exit_code == 5
    assert "ligne 3, colonne « Nom »" in result.stdout
    assert "ligne 4, colonne « Date signalement », valeur « bientôt »" in result.stdout
    assert result.stderr == ""  # rejects are part of the report, not errors
    kept = rows(base, "SELECT reference, date_naissance, brut, avertissements FROM signalement")
    assert [k["reference"] for k in kept] == ["S-1"]
    assert kept[0]["date_naissance"] is None and "31/02/1980" in kept[0]["brut"]
    assert "ce jour n'existe pas" in json.loads(kept[0]["avertissements"])[0]["motif"]
    rejects_files = list((data_dir(base) / "rejets").glob("*_rejets.csv"))
    assert len(rejects_files) == 1
    assert stat.S_IMODE(rejects_files[0].stat().st_mode) == 0o600
    with rejects_files[0].open(encoding="utf-8-sig", newline="") as handle:
        lines = list(csv.DictReader(handle, delimiter=";"))
    assert [(r["ligne"], r["gravite"]) for r in lines] == [
        ("2", "avertissement"),
        ("3", "rejet"),
        ("4", "rejet"),
        ("5", "rejet"),
        ("6", "rejet"),
    ]
    assert lines[4]["motif"] == "date dans le futur" and lines[0]["fichier"] == "caf.csv"
    assert str(rejects_files[0]) in result.stdout
    lot = rows(base, "SELECT lignes_lues, importees, rejetees, avertissements FROM lot")[0]
    assert lot == {"lignes_lues": 5, "importees": 1, "rejetees": 4, "avertissements": 1}


def test_a_truncated_last_line_is_a_reject(exploc, base, write_file) -> None:
    text = csv_text(CAF_HEADER, [caf_line("S-1", "1", "DUPONT", "Jean")]) + "S-2;2;MARTIN;Luc;01/01/1970;3 ru"
    result = exploc("importer", str(write_file("caf.csv", text)))
    assert result.exit_code == 5
    assert "ligne incomplète : 6 champs au lieu de 12" in result.stdout


def test_strict_mode_aborts_the_whole_file(exploc, base, write_file) -> None:
    path = _caf(write_file, "caf.csv", [caf_line("S-1", "1", "DUPONT", "Jean"), caf_line("S-2", "2", "", "")])
    result = exploc("importer", "--strict", str(path))
    assert result.exit_code == 3
    assert "mode strict" in result.stderr and "rien n'a été importé" in result.stderr
    assert counts(base) == {"lot": 0, "signalement": 0, "evenement": 0}
    assert exploc("importer", str(path)).exit_code == 5  # without --strict the valid row imports


def test_simulation_writes_nothing_and_exits_as_the_real_run(exploc, base, write_file) -> None:
    line = caf_line("S-1", "1", "DUPONT", "Jean")
    path = _caf(write_file, "caf.csv", [line, line, caf_line("S-2", "2", "", "")])
    simulated = exploc("importer", "--simulation", "--json", str(path))
    assert simulated.exit_code == 5
    (file,) = json.loads(simulated.stdout)["fichiers"]
    assert (file["statut"], file["importees"], file["deja_presentes"], file["rejetees"]) == ("simulation", 1, 1, 1)
    assert counts(base) == {"lot": 0, "signalement": 0, "evenement": 0}
    assert scalar(base, "SELECT COUNT(*) FROM journal") == 0
    real = exploc("importer", "--json", str(path))
    assert real.exit_code == simulated.exit_code
    assert json.loads(real.stdout)["fichiers"][0]["importees"] == 1
    strict = exploc(
        "importer", "--simulation", "--strict", str(_caf(write_file, "b.csv", [caf_line("S-9", "9", "", "")]))
    )
    assert strict.exit_code == 3


def test_a_second_import_exits_at_once_with_code_6_while_the_lock_is_held(exploc, base, write_file) -> None:
    path = _caf(write_file, "caf.csv", [caf_line("S-1", "1", "DUPONT", "Jean")])
    with store_import_lock(resolve_location(str(base))):
        result = exploc("importer", str(path))
    assert result.exit_code == 6
    assert "Un autre import est en cours" in result.stderr and f"processus {os.getpid()}" in result.stderr
    assert counts(base)["signalement"] == 0
    assert exploc("importer", str(path)).exit_code == 0  # the lock is released


def test_a_folder_imports_new_files_oldest_first_archives_them_and_exits_with_the_worst_code(
    exploc, base, write_file, tmp_path
) -> None:
    first = _caf(write_file, "b_premier.csv", [caf_line("S-1", "1", "DUPONT", "Jean")])
    second = _caf(write_file, "a_second.csv", [caf_line("S-2", "2", "MARTIN", "Luc"), caf_line("S-3", "3", "", "")])
    broken = write_file("c_casse.xlsx", b"PK\x03\x04 this is not a workbook")
    ignored = write_file("notes.docx.tmp", "not a partner file")
    os.utime(first, (1_700_000_000, 1_700_000_000))
    os.utime(second, (1_700_000_100, 1_700_000_100))
    os.utime(broken, (1_700_000_200, 1_700_000_200))
    archive = tmp_path / "archives"
    result = exploc("importer", "--json", "--archiver", str(archive), str(first.parent))
    assert result.exit_code == 3  # « nothing written » for one file is worse than rejects in another
    report = json.loads(result.stdout)
    assert [Path(f["fichier"]).name for f in report["fichiers"]] == ["b_premier.csv", "a_second.csv", "c_casse.xlsx"]
    assert [f["code"] for f in report["fichiers"]] == [0, 5, 3]
    assert sorted(p.name for p in archive.iterdir()) == ["a_second.csv", "b_premier.csv"]
    assert broken.exists() and ignored.exists()  # a refused file stays for the secretary to look at
    assert [r["reference"] for r in rows(base, "SELECT reference FROM signalement ORDER BY id")] == ["S-1", "S-2"]
    # the next night: the same files dropped again are recognised by their SHA-256
    _caf(write_file, "b_premier.csv", [caf_line("S-1", "1", "DUPONT", "Jean")])
    broken.unlink()
    again = exploc("importer", "--json", str(first.parent))
    assert again.exit_code == 0
    assert [f["statut"] for f in json.loads(again.stdout)["fichiers"]] == ["deja_importe"]


def test_a_profile_maps_other_headers_and_values(exploc, base, write_file, tmp_path) -> None:
    data = write_file(
        "etude.csv",
        csv_text(
            "N° affaire;Nature de l'acte;Signifié le;Débiteur principal;Domicile;CP;Localité;Principal dû",
            [
                "2025/0001;CMD-PAYER;02/01/2025;DUPONT Jean;12 rue Hugo;1000;Bourg;1 200,00",
                "2025/0002;CMD-QL;03/01/2025;MARTIN Luc;3 rue Neuve;1000;Bourg;3 000,00",
            ],
        ),
        "cp1252",
    )
    profile = tmp_path / "etude.toml"
    profile.write_text(
        '[profil]\nnom = "Étude Dupuis"\nsource = "commissaire"\n\n[colonnes]\nreference = "N° affaire"\n'
        'type_acte = "Nature de l\'acte"\ndate_acte = "Signifié le"\nlocataire = "Débiteur principal"\n'
        'adresse = "Domicile"\ndette = "Principal dû"\ncommune = "Localité"\n\n'
        '[valeurs.type_acte]\n"CMD-PAYER" = "cdp"\n"CMD-QL" = "cql"\n',
        encoding="utf-8",
    )
    without = exploc("importer", str(data))
    assert without.exit_code == 3
    assert "--profil" in without.stderr and "« N° affaire »" in without.stderr
    result = exploc("importer", "--profil", str(profile), str(data))
    assert result.exit_code == 0, result.output
    assert "donnée par le profil « Étude Dupuis »" in result.output
    assert [r["code"] for r in rows(base, "SELECT code FROM evenement ORDER BY id")] == ["cdp", "cql"]
    assert rows(base, "SELECT profil FROM lot") == [{"profil": "Étude Dupuis"}]


def test_an_invalid_profile_lists_every_problem(exploc, base, write_file, tmp_path) -> None:
    profile = tmp_path / "faux.toml"
    profile.write_text(
        '[profil]\nsource = "huissier"\ncouleur = "bleu"\n\n[colonnes]\nrefrence = "N°"\n\n'
        '[valeurs.type_acte]\n"X" = "commandement"\n',
        encoding="utf-8",
    )
    data = write_file("x.csv", "a;b\n1;2\n")
    result = exploc("importer", "--profil", str(profile), str(data))
    assert result.exit_code == 3
    for expected in ("couleur : clé inconnue", "refrence : champ inconnu", "code « commandement » inconnu"):
        assert expected in result.stderr
    assert "Traceback" not in result.output


def test_the_sample_profiles_import_their_files(exploc, base, samples) -> None:
    for profile in sorted((samples / "profils").glob("*.toml")):
        data = [p for p in profile.parent.glob(profile.stem + ".*") if p.suffix != ".toml"]
        assert data, profile
        result = exploc("importer", "--profil", str(profile), *map(str, data))
        assert result.exit_code in (0, 5), result.output
    assert counts(base)["signalement"] > 0


def test_json_output_is_one_document_and_quiet_prints_nothing(exploc, base, write_file, runner) -> None:
    path = _caf(write_file, "caf.csv", [caf_line("S-1", "1", "DUPONT", "Jean")])
    result = exploc("importer", "--json", str(path))
    document = json.loads(result.stdout)
    assert document["code_sortie"] == 0 and document["totaux"]["importees"] == 1
    assert document["fichiers"][0]["lot"] == 1 and document["fichiers"][0]["source"] == "caf"
    quiet = runner.invoke(
        app,
        [
            "--base",
            str(base),
            "-q",
            "importer",
            str(_caf(write_file, "d.csv", [caf_line("S-2", "2", "MARTIN", "Luc")])),
        ],
    )
    assert quiet.exit_code == 0 and quiet.stdout == "" and quiet.stderr == ""


def test_the_log_file_records_the_import_without_personal_data(exploc, base, write_file, isolated_user_folders) -> None:
    path = _caf(write_file, "caf.csv", [caf_line("S-1", "1", "DUPONT", "Jean")])
    exploc("importer", str(path))
    log = isolated_user_folders / "state" / "exploc" / "log" / "exploc.log"
    text = log.read_text(encoding="utf-8")
    assert "caf.csv" in text and "importees=1" in text
    assert "DUPONT" not in text


def test_rows_resent_with_columns_reordered_or_an_extra_empty_column_are_duplicates(exploc, base, write_file) -> None:
    assert exploc("importer", str(_caf(write_file, "a.csv", [caf_line("S-1", "1", "DUPONT", "Jean")]))).exit_code == 0
    columns = CAF_HEADER.split(";")
    values = caf_line("S-1", "1", "DUPONT", "Jean").split(";")
    order = list(reversed(range(len(columns))))
    header = ";".join([columns[i] for i in order] + ["Organisme"])
    row = ";".join([values[i] for i in order] + [""])
    result = exploc("importer", "--json", str(write_file("b.csv", csv_text(header, [row]))))
    (file,) = json.loads(result.stdout)["fichiers"]
    assert (file["importees"], file["deja_presentes"]) == (0, 1)
