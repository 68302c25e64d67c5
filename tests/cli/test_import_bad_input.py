"""Files that cannot be read as a whole: a French message, exit code 3, no traceback, nothing written."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from msoffcrypto.format.ooxml import OOXMLFile

from tests.helpers import CAF_HEADER, caf_line, counts, csv_text, write_xlsx

GOOD_ROW = caf_line("S-1", "1", "DUPONT", "Jean")


def _assert_refused(result, *fragments: str) -> None:
    assert result.exit_code == 3, result.output
    assert "Traceback" not in result.output
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr


def _encrypted_xlsx(tmp_path: Path) -> Path:
    plain = write_xlsx(tmp_path / "plain.xlsx", {"Feuille": [CAF_HEADER.split(";"), GOOD_ROW.split(";")]})
    target = tmp_path / "protege.xlsx"
    with plain.open("rb") as source, target.open("wb") as out:
        office = OOXMLFile(source)
        office.encrypt("secret", out)
    return target


def _zip_bomb(tmp_path: Path) -> Path:
    path = tmp_path / "bombe.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            block = b"\0" * (1 << 20)
            for _ in range(128):  # 128 MB of zeros compress to about 128 KB
                sheet.write(block)
    return path


CASES = {
    "vide": (lambda w, t: w("vide.csv", b""), ["le fichier est vide"]),
    "binaire": (lambda w, t: w("binaire.csv", bytes(range(256)) * 40), ["octets nuls"]),
    "nul": (
        lambda w, t: w("nul.csv", csv_text(CAF_HEADER, [GOOD_ROW]).encode() + b"S-2;\x00;X\r\n"),
        ["octets nuls (ligne 3)"],
    ),
    "encodages_melanges": (
        lambda w, t: w(
            "mixte.csv",
            csv_text(CAF_HEADER, [caf_line("S-1", "1", "LEFÈVRE", "Jean")]).encode("utf-8")
            + caf_line("S-2", "2", "GÉRARD", "Zoé").encode("cp1252")
            + b"\r\n",
        ),
        ["encodage mélangé", "UTF-8 (ligne 1)", "autre encodage (ligne 3)"],
    ),
    "xlsx_corrompu": (lambda w, t: w("corrompu.xlsx", b"PK\x03\x04\x14\x00garbage" * 10), ["endommagé"]),
    "xlsx_tronque": (
        lambda w, t: w("tronque.xlsx", write_xlsx(t / "ok.xlsx", {"F": [CAF_HEADER.split(";")]}).read_bytes()[:900]),
        ["endommagé"],
    ),
    "xlsx_mot_de_passe": (lambda w, t: _encrypted_xlsx(t), ["protégé par un mot de passe"]),
    "bombe_zip": (lambda w, t: _zip_bomb(t), ["classeur anormal", "Refusé par prudence"]),
    "pdf": (lambda w, t: w("courrier.csv", b"%PDF-1.7\n%...."), ["document PDF"]),
    "en_tetes_inconnus": (
        lambda w, t: w("inconnu.csv", "Colonne A;Colonne B;Colonne C\n1;2;3\n"),
        ["aucune disposition connue", "« Colonne A »", "--profil"],
    ),
    "colonnes_manquantes": (
        lambda w, t: w("manque.csv", "Référence acte;Type d'acte;Locataire\nA1;CDP;DUPONT Jean\n"),
        [
            "colonnes obligatoires manquantes pour la source « huissier »",
            "« Date acte »",
            "En-têtes trouvés : « Référence acte », « Type d'acte », « Locataire »",
        ],
    ),
    "champ_enorme": (
        lambda w, t: w("enorme.csv", csv_text(CAF_HEADER, [GOOD_ROW]) + 'S-2;"' + "x" * 200_000 + '"\r\n'),
        ["ligne 3", "un champ dépasse"],
    ),
    "trop_de_colonnes": (
        lambda w, t: w("large.csv", ";".join(f"c{i}" for i in range(10_000)) + "\n"),
        ["10000 colonnes"],
    ),
    "document_word": (lambda w, t: _word(t), ["document Word"]),
}


def _word(tmp_path: Path) -> Path:
    path = tmp_path / "lettre.xlsx"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<document/>")
    path.write_bytes(buffer.getvalue())
    return path


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_files_are_refused_in_french_with_nothing_written(case: str, exploc, base, write_file, tmp_path) -> None:
    build, fragments = CASES[case]
    path = build(write_file, tmp_path)
    result = exploc("importer", str(path))
    _assert_refused(result, path.name, *fragments)
    assert counts(base) == {"lot": 0, "signalement": 0, "evenement": 0}


def test_a_missing_path_is_refused(exploc, base, tmp_path) -> None:
    result = exploc("importer", str(tmp_path / "absent.csv"))
    _assert_refused(result, "fichier introuvable")


def test_a_wrong_forced_encoding_in_a_profile_is_a_french_error(exploc, base, write_file, tmp_path) -> None:
    data = write_file("caf.csv", csv_text(CAF_HEADER, [caf_line("S-1", "1", "LEFÈVRE", "Jean")]), "cp1252")
    profile = tmp_path / "p.toml"
    profile.write_text('[profil]\nsource = "caf"\nencodage = "utf-8"\n', encoding="utf-8")
    result = exploc("importer", "--profil", str(profile), str(data))
    _assert_refused(result, "encodage")
    assert counts(base)["signalement"] == 0


def test_usage_errors_exit_with_code_2(exploc, base) -> None:
    assert exploc("importer").exit_code == 2
    assert exploc("importer", "--inconnue", "x").exit_code == 2
