"""``exploc extraire`` and ``exploc journal``: minimal, audited, protected extractions."""

from __future__ import annotations

import csv
import io
import json
import stat
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from exploc_cli.protect import decrypt_office_bytes
from tests.cli.test_menages_parcours import HUISSIER_HEADER, _import, huissier_line, three_households
from tests.cli.test_seances import _create
from tests.conftest import Invoke
from tests.helpers import CAF_HEADER, caf_line, rows


def _sheet(path: Path, name: str = "Extraction") -> list[list[object]]:
    return [list(r) for r in openpyxl.load_workbook(path)[name].iter_rows(values_only=True)]


def test_an_extraction_carries_its_profile_its_about_sheet_and_a_journal_entry(
    exploc: Invoke, write_file: Callable[..., Path], base: Path, tmp_path: Path
) -> None:
    numbers = three_households(exploc, write_file, base)
    out = tmp_path / "bailleur.xlsx"
    missing = exploc("extraire", "--sortie", str(out), "--bailleur", "Logis du Val")
    assert missing.exit_code == 2 and "--motif" in missing.output and not out.exists()
    result = exploc(
        "extraire", "--sortie", str(out), "--bailleur", "Logis du Val", "--colonnes", "bailleur",
        "--motif", "Locataires en procédure", "--json",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["lignes"] == 1
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    data = _sheet(out)
    assert data[0] == [
        "Ménage", "Nom(s)", "Prénom(s)", "Adresse", "Code postal", "Commune", "N° de logement", "Étape actuelle",
        "Date de l'étape", "Dernière dette", "Date de la dette", "Date d'échéance", "Prochaine échéance",
    ]  # fmt: skip
    assert data[1][:6] == [numbers["A"], "LEFEVRE", "Eloise", "12 Rue Victor Hugo", "01000", "BOURG-SUR-SARRE"]
    assert data[1][9] == 3000  # a number, shown in euros
    book = openpyxl.load_workbook(out)
    sheet = book["Extraction"]
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref and sheet["J2"].number_format.endswith('"€"')
    about = {r[0]: r[1] for r in _sheet(out, "À propos")}
    assert about["Motif"] == "Locataires en procédure" and about["Ménages"] == "1"
    assert "bailleur = Logis du Val" in about["Filtres"] and "secret professionnel" in about["Confidentialité"]
    # the journal: when, who, command, filters, motif, count, path, SHA-256 — no name
    listed = json.loads(exploc("journal", "--action", "extraction", "--json").stdout)
    assert len(listed) == 1
    entry = listed[0]
    assert entry["motif"] == "Locataires en procédure" and entry["lignes"] == 1
    assert entry["filtres"]["bailleur"] == "Logis du Val" and len(entry["sha256"]) == 64
    assert entry["chemin"] == str(out.resolve()) and entry["commande"].startswith("exploc")
    assert "LEFEVRE" not in json.dumps(listed)
    assert "extraction" in exploc("journal").stdout


def test_no_partner_value_becomes_a_formula(
    exploc: Invoke, write_file: Callable[..., Path], base: Path, tmp_path: Path
) -> None:
    _import(exploc, write_file, "caf.csv", CAF_HEADER, [
        caf_line("S-X", "0555555", '=HYPERLINK("http://x","y")', "+Jean", adresse="@rue du Piège"),
    ])  # fmt: skip
    _import(exploc, write_file, "actes.csv", HUISSIER_HEADER, [
        huissier_line("D-X", "Commandement de payer", -10, "M. Paul MARTIN", dette="900,00",
                      bailleur='=HYPERLINK("http://x","y")'),
    ])  # fmt: skip
    xlsx, csv_path = tmp_path / "x.xlsx", tmp_path / "x.csv"
    for path in (xlsx, csv_path):
        result = exploc("extraire", "--sortie", str(path), "--colonnes", "complet", "--motif", "contrôle")
        assert result.exit_code == 0, result.output
    with zipfile.ZipFile(xlsx) as archive:
        assert "<f>" not in archive.read("xl/worksheets/sheet1.xml").decode()  # no formula anywhere
    cells = [c for row in _sheet(xlsx) for c in row if isinstance(c, str)]
    assert '\'=HYPERLINK("http://x","y")' in cells  # the bailleur's name, as the partner wrote it
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cells)
    text = csv_path.read_bytes()
    assert text.startswith(b"\xef\xbb\xbf")
    table = list(csv.reader(io.StringIO(text.decode("utf-8-sig")), delimiter=";"))
    assert any('\'=HYPERLINK("http://x","y")' in r for r in table[1:])
    assert not any(c.startswith(("=", "+", "-", "@")) for r in table for c in r)


def test_encrypted_pseudonymised_and_filtered_extractions(
    exploc: Invoke, write_file: Callable[..., Path], base: Path, tmp_path: Path
) -> None:
    numbers = three_households(exploc, write_file, base)
    secret = tmp_path / "mdp.txt"
    secret.write_text("motdepasse-ccapex\n", encoding="utf-8")
    locked = tmp_path / "chiffre.xlsx"
    result = exploc(
        "extraire", "--sortie", str(locked), "--motif", "envoi", "--chiffrer", "--mot-de-passe-fichier", str(secret)
    )
    assert result.exit_code == 0, result.output
    with pytest.raises(zipfile.BadZipFile):
        openpyxl.load_workbook(locked)
    clear = openpyxl.load_workbook(io.BytesIO(decrypt_office_bytes(locked.read_bytes(), "motdepasse-ccapex")))
    assert clear["Extraction"].max_row == 1 + 3
    assert json.loads(rows(base, "SELECT details FROM journal WHERE action = 'extraction'")[0]["details"])["chiffre"]

    # pseudonyms: stable from one extraction to the next, no name, no street, no number
    first, second = tmp_path / "p1.csv", tmp_path / "p2.csv"
    for path in (first, second):
        assert (
            exploc(
                "extraire", "--sortie", str(path), "--pseudonymiser", "--colonnes", "complet", "--motif", "étude"
            ).exit_code
            == 0
        )
    one = list(csv.reader(io.StringIO(first.read_text(encoding="utf-8-sig")), delimiter=";"))
    two = list(csv.reader(io.StringIO(second.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert one == two and one[0][0] == "Pseudonyme" and "Nom(s)" not in one[0] and "Adresse" not in one[0]
    assert "Année de naissance" in one[0] and "Ménage" not in one[0]
    assert len({r[0] for r in one[1:]}) == 3 and all(r[0].startswith("M-") for r in one[1:])
    flat = first.read_text(encoding="utf-8-sig")
    assert "LEFEVRE" not in flat and "Victor Hugo" not in flat and "0123456" not in flat

    # the session's households only
    seance = _create(exploc)
    assert exploc("seances", "ajouter", str(seance), str(numbers["B"])).exit_code == 0
    session = tmp_path / "seance.xlsx"
    assert exploc("extraire", "--sortie", str(session), "--seance", str(seance), "--motif", "membres").exit_code == 0
    assert [r[0] for r in _sheet(session)[1:]] == [numbers["B"]]
    # a wrong profile, a wrong format: French errors, nothing written
    bad = exploc("extraire", "--sortie", str(tmp_path / "y.xlsx"), "--colonnes", "mairie", "--motif", "x")
    assert bad.exit_code == 3 and "Profils possibles" in bad.output and not (tmp_path / "y.xlsx").exists()
    odt = exploc("extraire", "--sortie", str(tmp_path / "y.ods"), "--motif", "x")
    assert odt.exit_code == 3 and "non pris en charge" in odt.output
