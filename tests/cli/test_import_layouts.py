"""Every layout variant of LAYOUTS.md, read with no configuration, end to end through the CLI."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

from tests.helpers import CAF_HEADER, caf_line, counts, csv_text, rows, write_xlsx


def test_caf_cp1252_semicolon_crlf_with_nbsp_amounts_and_lost_leading_zeros(exploc, base, write_file) -> None:
    text = csv_text(
        CAF_HEADER,
        [
            caf_line("S-1", "123456", "DUPONT", "Jean", dette="1\u00a0234,56 €", cp="1000", commune="Bourg-sur-Sarre"),
            caf_line("S-2", "0234567", "Mme MARTIN épouse DURAND", "Sophie", dette="850", naissance=""),
        ],
    )
    path = write_file("caf.csv", text, "cp1252")
    result = exploc("importer", str(path))
    assert result.exit_code == 0, result.output
    assert "source « caf » reconnue" in result.output
    assert "Windows-1252" in result.output and "point-virgule" in result.output
    first, second = rows(base, "SELECT * FROM signalement ORDER BY id")
    assert (first["dette"], first["montant_aide"]) == (123456, 20000)
    assert (first["code_postal"], first["numero_allocataire"]) == ("01000", "0123456")
    assert (first["nom"], first["prenoms"], first["date_naissance"]) == ("DUPONT", "Jean", "1980-03-12")
    assert (second["civilite"], second["nom"], second["nom_naissance"]) == ("MME", "DURAND", "MARTIN")
    assert json.loads(first["brut"])[1] == "123456"  # the raw value is kept as read
    events = rows(base, "SELECT code, date, principal FROM evenement ORDER BY id")
    assert events == [
        {"code": "signalement_caf", "date": "2025-11-15", "principal": 1},
        {"code": "signalement_caf", "date": "2025-11-15", "principal": 1},
    ]


def test_caf_utf8_bom_lf_with_header_aliases(exploc, base, write_file) -> None:
    header = (
        "Réf. signalement;Numéro allocataire;NOM;prénom ;Né(e) le;Adresse;CP;Ville;"
        "Nombre d'enfants à charge;Montant aide mensuel;Montant impayé;Date signalement"
    )
    path = write_file(
        "caf.csv", "\ufeff" + csv_text(header, [caf_line("S-9", "99", "Lefèvre", "Éloïse")], newline="\n")
    )
    result = exploc("importer", str(path))
    assert result.exit_code == 0, result.output
    assert "UTF-8 avec BOM" in result.output
    (row,) = rows(base, "SELECT nom, prenoms, numero_allocataire, enfants FROM signalement")
    assert row == {"nom": "LEFÈVRE", "prenoms": "Éloïse", "numero_allocataire": "0000099", "enfants": 1}


def test_huissier_single_name_field_act_spellings_and_audience(exploc, base, write_file) -> None:
    header = "Référence acte;Type d'acte;Date acte;Locataire;Adresse;Code postal;Commune;Bailleur;Loyer mensuel;Montant dette;Date audience;Décision;Type bailleur"
    lines = [
        'A1;CDP;02/01/2025;M. DUPONT Jean;"12, R. Victor Hugo";01000;Bourg;SCI Les Tilleuls;650.00;2300.50;;;SCI familiale',
        'A2;Assignation en résiliation de bail;01/03/2025;Jean Dupont;"12 rue Victor Hugo";01000;Bourg;SCI Les Tilleuls;650;3100;14/05/2025;;PP',
        'A3;Signification de jugement;20/06/2025;DUPONT Jean;"Bât C Appt 19 - 12 rue Victor Hugo; entrée B";01000;Bourg;SCI;650;3900;;Résiliation du bail;PP',
        'A4;Commandement de quitter les lieux;01/08/2025;"M. et Mme DUPONT Jean et Marie";"12 rue Victor Hugo\nRésidence Les Lilas";01000;Bourg;SCI;650;4500;;;PP',
    ]
    path = write_file("actes.csv", csv_text(header, lines, newline="\n"))
    result = exploc("importer", str(path))
    assert result.exit_code == 0, result.output
    assert "source « huissier »" in result.output
    events = rows(
        base,
        "SELECT s.reference, e.code, e.date, e.principal, e.valeur FROM evenement e "
        "JOIN signalement s ON s.id = e.signalement_id ORDER BY e.id",
    )
    assert [(e["reference"], e["code"], e["principal"]) for e in events] == [
        ("A1", "cdp", 1),
        ("A2", "assignation", 1),
        ("A2", "audience", 0),
        ("A3", "jugement", 1),
        ("A4", "cql", 1),
    ]
    assert events[2]["date"] == "2025-05-14"
    assert events[3]["valeur"] == "resiliation"
    people = rows(
        base, "SELECT nom, prenoms, nom2, prenoms2, parc, loyer, dette, complement FROM signalement ORDER BY id"
    )
    assert {(p["nom"], p["prenoms"]) for p in people} == {("DUPONT", "Jean")}
    assert (people[3]["nom2"], people[3]["prenoms2"]) == ("DUPONT", "Marie")
    assert people[0]["parc"] == "prive" and people[0]["loyer"] == 65000 and people[0]["dette"] == 230050


def test_prefecture_tab_separated_with_postcode_and_commune_in_the_address(exploc, base, write_file) -> None:
    header = "N° dossier\tNom\tAdresse\tDate réquisition\tDécision\tDate décision\tDate expulsion\tParc"
    lines = [
        "CFP-1\tMme Awa N'DIAYE\t55 rue Lebreton 01000 BOURG-SUR-SARRE\t03/02/2025\tAccordé avec délai\t10/04/2025\t12/06/2025\tPrivé",
        "CFP-2\tM. Karim BEN SAID\t4 place du Marché 01100 OYONNAX\t2025-03-01\tEn cours d'instruction\t\t\tPublic",
    ]
    path = write_file("cfp.csv", csv_text(header, lines, newline="\n"))
    result = exploc("importer", str(path))
    assert result.exit_code == 0, result.output
    assert "tabulation" in result.output
    first = rows(base, "SELECT * FROM signalement ORDER BY id")[0]
    assert (first["code_postal"], first["commune"], first["numero"], first["voie"]) == (
        "01000",
        "BOURG-SUR-SARRE",
        "55",
        "Rue Lebreton",
    )
    assert (first["nom"], first["prenoms"], first["parc"], first["decision"]) == ("N'DIAYE", "Awa", "prive", "accorde")
    events = rows(base, "SELECT code, date, valeur FROM evenement WHERE signalement_id = 1 ORDER BY id")
    assert events == [
        {"code": "requisition_cfp", "date": "2025-02-03", "valeur": None},
        {"code": "decision_cfp", "date": "2025-04-10", "valeur": "accorde"},
        {"code": "pv_expulsion", "date": "2025-06-12", "valeur": None},
    ]


def test_xlsx_title_rows_merged_cells_several_sheets_date_forms_total_line(exploc, base, tmp_path: Path) -> None:
    header = [
        "Bailleur",
        "Référence locataire",
        "Nom",
        "Prénom",
        "Date de naissance",
        "Adresse",
        "N° logement",
        "Code postal",
        "Commune",
        "Loyer + charges",
        "Dette",
        "Date saisine",
        "Date assignation prévue",
    ]
    data = [
        [
            "Sarre Habitat",
            "L-001",
            "MARTIN",
            "Luc",
            None,
            "3 allée des Roses",
            "B12",
            1000,
            "Bourg",
            612.4,
            2450.0,
            date(2025, 9, 15),
            None,
        ],
        [
            "Sarre Habitat",
            "L-002",
            "BERNARD",
            "Anne",
            "",
            "Résidence Les Tilleuls 5 allée des Roses",
            "C3",
            "01000",
            "Bourg",
            "580,00",
            3200,
            45914,
            "01/02/2026",
        ],
        [
            "Sarre Habitat",
            "L-003",
            "PETIT",
            "Marc",
            datetime(1975, 4, 2),
            "8 rue Neuve",
            "D1",
            1000,
            "Bourg",
            500,
            900,
            "30/09/2025",
            None,
        ],
        ["Total", None, None, None, None, None, None, None, None, None, 6550, None, None],
        [],
        [],
    ]
    path = write_xlsx(
        tmp_path / "saisines.xlsx",
        {
            "Lisez-moi": [["Export des saisines CCAPEX"], ["Ne pas modifier"]],
            "Saisines": [["Saisines de la CCAPEX — 3e trimestre 2025"], [], header, *data],
        },
        merges={"Saisines": ["A1:F1"]},
    )
    result = exploc("importer", str(path))
    assert result.exit_code == 0, result.output
    assert "classeur Excel (.xlsx)" in result.output
    assert "3 lue(s), 3 importée(s)" in result.output  # the Total line and empty rows are not data
    saved = rows(
        base,
        "SELECT reference, ligne, feuille, code_postal, loyer_charges, dette, parc, date_naissance FROM signalement ORDER BY id",
    )
    assert [s["ligne"] for s in saved] == [4, 5, 6]  # row numbers as Excel shows them
    assert {s["feuille"] for s in saved} == {"Saisines"}
    assert [s["code_postal"] for s in saved] == ["01000"] * 3
    assert [s["loyer_charges"] for s in saved] == [61240, 58000, 50000]
    assert saved[2]["date_naissance"] == "1975-04-02" and all(s["parc"] == "public" for s in saved)
    dates = rows(base, "SELECT code, date FROM evenement ORDER BY id")
    assert dates == [
        {"code": "saisine", "date": "2025-09-15"},
        {"code": "saisine", "date": "2025-09-14"},
        {"code": "assignation_prevue", "date": "2026-02-01"},
        {"code": "saisine", "date": "2025-09-30"},
    ]
    assert counts(base)["lot"] == 1


def test_suivi_source_is_recognised(exploc, base, write_file) -> None:
    header = "Service;Référent;Nom;Prénom;Date de naissance;Adresse;Code postal;Commune;Date début suivi;Date fin suivi"
    path = write_file(
        "suivi.csv",
        csv_text(header, ["MDS Nord;Mme Roux;DUPONT;Jean;12/03/1980;12 rue Victor Hugo;01000;Bourg;05/01/2024;"]),
    )
    result = exploc("importer", str(path))
    assert result.exit_code == 0, result.output
    assert "source « suivi »" in result.output
    assert rows(base, "SELECT service, referent FROM signalement") == [{"service": "MDS Nord", "referent": "Mme Roux"}]
    assert rows(base, "SELECT code FROM evenement") == [{"code": "debut_suivi"}]


def test_xls_and_ods_workbooks(exploc, base) -> None:
    data = Path(__file__).resolve().parent.parent / "data"
    for name in ("caf_ancien.xls", "caf_libreoffice.ods"):
        result = exploc("importer", str(data / name))
        assert result.exit_code == 0, result.output
    saved = rows(base, "SELECT reference, numero_allocataire, dette FROM signalement ORDER BY id")
    assert [s["reference"] for s in saved] == ["X-1", "X-2", "O-1", "O-2"]
    assert saved[0]["numero_allocataire"] == "0012345" and saved[0]["dette"] == 123456


def test_forced_source_and_unknown_source(exploc, base, write_file) -> None:
    path = write_file("caf.csv", csv_text(CAF_HEADER, [caf_line("S-1", "1", "DUPONT", "Jean")]))
    refused = exploc("importer", str(path), "--source", "huissier")
    assert refused.exit_code == 3
    assert "colonnes obligatoires manquantes pour la source « huissier »" in refused.output
    unknown = exploc("importer", str(path), "--source", "notaire")
    assert unknown.exit_code == 3 and "Source inconnue" in unknown.output
    accepted = exploc("importer", str(path), "--source", "CAF")
    assert accepted.exit_code == 0 and "demandée (--source)" in accepted.output
