"""``exploc diagnostic`` and ``exploc bilan`` end to end, on the hand-computed data set of
``tests/diagnostics_data.py`` (and on households imported from partner files)."""

from __future__ import annotations

import json
import stat
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
from docx import Document

from exploc_cli.diagnostics.indicators import ALERTS
from tests.cli.test_menages_parcours import three_households
from tests.conftest import Invoke
from tests.diagnostics_data import FIRST, SECRETS, build_households
from tests.helpers import execute

YEAR = ("--du", "01/01/2025", "--au", "31/12/2025")
SHEETS = [
    "Synthèse", "Signalements", "Étapes", "Flux et délais", "Accompagnement", "Parc et dette", "Force publique",
    "Commission", "Alertes", "Méthode",
]  # fmt: skip


def _xml_text(path: Path) -> str:
    """Every XML part of an .xlsx or .docx, concatenated (what a curious reader could unzip)."""
    with zipfile.ZipFile(path) as archive:
        return "\n".join(
            archive.read(name).decode("utf-8", errors="replace")
            for name in archive.namelist()
            if name.endswith((".xml", ".rels"))
        )


def _rows(sheet: object) -> list[list[object]]:
    return [list(row) for row in sheet.iter_rows(values_only=True)]  # type: ignore[attr-defined]


def _table(sheet: object, title: str) -> list[list[object]]:
    """The rows of the table titled ``title`` (its header first), up to the next empty row."""
    rows = _rows(sheet)
    start = max(index for index, row in enumerate(rows) if row[0] == title)  # a table's title comes last
    found = []
    for row in rows[start + 1 :]:
        if row[0] is None:
            break
        found.append(row)
    return found


def test_the_workbook_has_one_sheet_per_family_with_native_charts_and_a_method_sheet(
    exploc: Invoke, base: Path, tmp_path: Path
) -> None:
    build_households(base)
    out = tmp_path / "diagnostic.xlsx"
    result = exploc("diagnostic", "--sortie", str(out), *YEAR, "--seuil-secret", "3", "--territoire", "departement",
                    "--json")  # fmt: skip
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["menages"] == 7 and report["territoire"] == "departement" and report["seuil_secret"] == 3
    assert report["periode"] == {"du": "2025-01-01", "au": "2025-12-31"} and report["comparaison"] is None
    figures = {f["indicateur"]: f["valeur"] for f in report["chiffres_cles"]}
    # 4 CDP, one a month: the month table hides their total, so every table that shows it does
    assert figures["Ménages concernés"] == "7" and figures["Commandement de payer"] == "secret"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == SHEETS
    charts = {name: len(book[name]._charts) for name in SHEETS}
    # a chart whose values are all masked is left out; the others are there
    assert all(charts[name] >= 1 for name in ("Synthèse", "Signalements", "Étapes", "Flux et délais", "Alertes"))
    assert sum(charts.values()) >= 8 and charts["Méthode"] == 0
    assert type(book["Étapes"]._charts[0]).__name__ == "LineChart"  # months as lines
    assert type(book["Synthèse"]._charts[0]).__name__ == "BarChart"  # stages as bars
    key = _table(book["Synthèse"], "Chiffres clés")
    assert key[0][:2] == ["Indicateur", "Période"]
    values = {row[0]: row[1] for row in key[1:]}
    assert values["Ménages concernés"] == 7 and values["Signalements reçus"] == 17
    assert values["Assignation"] == "secret" and values["Dette médiane (dernière dette déclarée)"] == 3000
    assert values["Ménages examinés en commission"] == 3 and values["Expulsion effective"] == 0
    stages = _table(book["Étapes"], "Ménages entrant à chaque étape, par mois")
    header, total = stages[0], stages[-1]
    assert total[0] == "Total" and total[header.index("Commandement de payer")] == "secret"
    # two judgments in two months: « < 3 » + « < 3 » = « < 3 » would say 1 and 1, so the total is « secret »
    assert total[header.index("Impayé constitué")] == 0 and total[header.index("Jugement")] == "secret"
    january = stages[1]
    assert january[0] == "01/2025" and january[header.index("Commandement de payer")] == "< 3"  # 1 household
    flows = _table(book["Flux et délais"], "Passages d'une étape à la suivante")
    assert flows[0][:4] == ["Étapes", "Passés", "Pas (encore) passés", "Entrés"]
    assert flows[1][:4] == ["CDP → Assignation", "< 3", "< 3", "secret"]  # 2 + 2 = 4 would say « 2 and 2 »
    method = {row[0]: row[1] for row in _rows(book["Méthode"]) if row[0]}
    assert method["Seuil du secret statistique"] == "3" and method["Territoire"] == "Département"
    assert "Passages d'une étape à la suivante" in method and "Délais entre étapes" in method
    # every alert counted is a column of the Alertes sheet and is defined in the method
    labels = list(ALERTS.values())
    assert [row[1 : len(labels) + 1] for row in _rows(book["Alertes"]) if row[1] == labels[0]] == [labels]
    assert all(method.get(f"Alerte : {label}") for label in ALERTS.values())
    notes = " ".join(str(row[1]) for row in _rows(book["Méthode"]) if row[1])
    assert "Ce que la protection couvre : chaque tableau avec ses totaux" in notes
    assert "Ce qu'elle ne couvre pas" in notes and "« < 3 »" in notes


def test_no_name_address_reference_or_household_number_in_any_part_of_the_files(
    exploc: Invoke, base: Path, tmp_path: Path
) -> None:
    build_households(base)
    for name in ("d.xlsx", "d.docx"):
        out = tmp_path / name
        result = exploc("diagnostic", "--sortie", str(out), *YEAR, "--comparer-du", "01/01/2024",
                        "--comparer-au", "31/12/2024")  # fmt: skip
        assert result.exit_code == 0, result.output
        text = _xml_text(out)
        assert "BOURG-SUR-SARRE" in text  # the territories are there…
        for secret in SECRETS:  # …but no name, address, reference, allocataire or household number
            assert secret not in text, (name, secret)
    bilan = tmp_path / "bilan.docx"
    assert exploc("bilan", "--annee", "2025", "--sortie", str(bilan)).exit_code == 0
    assert not any(secret in _xml_text(bilan) for secret in SECRETS)
    journal = json.loads(exploc("journal", "--json").stdout)
    entries = [e for e in journal if e["action"] in ("diagnostic", "bilan")]
    assert [e["action"] for e in entries] == ["diagnostic", "diagnostic", "bilan"]
    assert entries[0]["filtres"] == {
        "du": "2025-01-01", "au": "2025-12-31", "territoire": "commune", "seuil_secret": 5,
        "comparer_du": "2024-01-01", "comparer_au": "2024-12-31",
    }  # fmt: skip
    assert entries[0]["lignes"] == 7 and len(entries[0]["sha256"]) == 64
    assert not any(secret in json.dumps(entries) for secret in SECRETS)


def test_the_word_report_has_headline_figures_charts_tables_and_the_method(
    exploc: Invoke, base: Path, tmp_path: Path
) -> None:
    build_households(base)
    out = tmp_path / "diagnostic.docx"
    result = exploc("diagnostic", "--sortie", str(out), *YEAR, "--seuil-secret", "3", "--comparer-du", "01/01/2024",
                    "--comparer-au", "31/12/2024", "--territoire", "departement")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "Diagnostic du 01/01/2025 au 31/12/2025" in result.stdout
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    document = Document(out)
    paragraphs = [p.text for p in document.paragraphs]
    assert "Diagnostic territorial de la prévention des expulsions locatives" in paragraphs
    assert any("comparée à la période du 01/01/2024 au 31/12/2024" in p for p in paragraphs)
    assert {"Chiffres clés", "Flux et délais entre les étapes", "Méthode", "Définition des indicateurs"} <= set(
        paragraphs
    )
    assert any(p.startswith("Ce qu'elle ne couvre pas") for p in paragraphs)
    assert len(document.inline_shapes) >= 5  # the charts, as images
    key = [[cell.text for cell in row.cells] for row in document.tables[0].rows]
    assert key[0] == ["Indicateur", "Période", "Comparaison", "Évolution"]
    assert key[1][:3] == ["Ménages concernés", "7", "< 3"]  # 2024: H3's CDP only
    flows = next(t for t in document.tables if t.rows[0].cells[0].text == "Étapes")
    assert [cell.text for cell in flows.rows[0].cells] == [
        "Étapes", "Passés", "Pas (encore) passés", "Entrés", "Taux de passage", "Délai médian", "Délai, 9e décile",
    ]  # fmt: skip
    widths = [cell.width for cell in flows.rows[1].cells]
    assert widths[0] > widths[1] and len(set(widths[1:])) == 1  # widened to the page by exploc
    # the eight alerts do not fit one table of the page: two tables show them all, each is defined
    headers = [[cell.text for cell in table.rows[0].cells] for table in document.tables]
    assert [h[1:] for h in headers if set(h[1:]) <= set(ALERTS.values())] == [
        list(ALERTS.values())[:4],
        list(ALERTS.values())[4:],
    ]
    assert "Ménages en alerte à la fin de la période (suite)" in paragraphs
    assert all(any(p.startswith(f"Alerte : {label}") for p in paragraphs) for label in ALERTS.values())


def test_a_comparison_adds_the_evolution(exploc: Invoke, base: Path, tmp_path: Path) -> None:
    build_households(base)
    out = tmp_path / "c.xlsx"
    result = exploc("diagnostic", "--sortie", str(out), "--du", "01/01/2025", "--au", "31/12/2025",
                    "--comparer-du", "01/01/2024", "--comparer-au", "31/12/2024", "--seuil-secret", "3",
                    "--territoire", "departement")  # fmt: skip
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    assert "Évolution" in book.sheetnames and len(book["Évolution"]._charts) == 1
    key = _table(book["Synthèse"], "Chiffres clés")
    assert key[0][:4] == ["Indicateur", "Période", "Comparaison", "Évolution"]
    # 2024: H3's CDP (and nothing else in the procedure chain); 2025's total is masked (see above)
    figures = {row[0]: row[1:4] for row in key[1:]}
    assert figures["Commandement de payer"] == ["secret", "< 3", "secret"]
    assert figures["Ménages concernés"] == [7, "< 3", "secret"]


def test_territories_by_commune_unit_and_epci(exploc: Invoke, base: Path, tmp_path: Path) -> None:
    build_households(base)
    execute(
        base,
        "INSERT INTO affectation (menage_id, statut, service_code, service_libelle, unite_code, unite_libelle, "
        "origine, horodatage, utilisateur, courante) VALUES (?, 'affecte', 'DEP01', 'Département', 'MDS-C', "
        "'MDS Centre', 'regle', '2026-01-01 00:00:00', 'test', TRUE)",
        FIRST + 1,
    )
    table = tmp_path / "epci.csv"
    table.write_text("code_insee;commune;epci\n01110;Bourg-sur-Sarre;CA de Bourg\n01320;Port-Aubrel;CC de Port\n",
                     encoding="utf-8-sig")  # fmt: skip
    labels = {}
    for level, extra in (("commune", []), ("unite", []), ("epci", ["--table-epci", str(table)])):
        out = tmp_path / f"{level}.xlsx"
        result = exploc("diagnostic", "--sortie", str(out), *YEAR, "--territoire", level, *extra)
        assert result.exit_code == 0, result.output
        rows = _table(openpyxl.load_workbook(out)["Synthèse"], "Ménages concernés")
        labels[level] = [row[0] for row in rows[1:]]
    assert labels["commune"] == ["BOURG-SUR-SARRE", "PORT-AUBREL", "Commune inconnue", "Total"]
    assert labels["unite"] == ["MDS Centre", "Sans affectation", "Total"]
    assert labels["epci"] == ["CA de Bourg", "CC de Port", "Commune absente de la table des EPCI", "Total"]


def test_wrong_options_are_explained_in_french_and_nothing_is_written(
    exploc: Invoke, base: Path, tmp_path: Path
) -> None:
    build_households(base)
    out = tmp_path / "x.xlsx"
    cases = [
        (["--territoire", "region"], "territoire inconnu « region »"),
        (["--territoire", "epci"], "Le découpage par EPCI demande une table"),
        (["--seuil-secret", "2"], "Seuil du secret statistique invalide : 2"),
        (["--du", "01/02/2025", "--au", "01/01/2025"], "La période est vide"),
        (["--comparer-du", "01/01/2024"], "indiquez les deux bornes"),
    ]
    for arguments, message in cases:
        result = exploc("diagnostic", "--sortie", str(out), *arguments)
        assert result.exit_code == 3, (arguments, result.output)
        assert message in result.output, result.output
    pdf = exploc("diagnostic", "--sortie", str(tmp_path / "x.pdf"))
    assert pdf.exit_code == 3 and "Format de sortie non pris en charge" in pdf.output
    assert exploc("diagnostic", "--sortie", str(out), "--du", "31/02/2025").exit_code == 2
    assert not out.exists() and not (tmp_path / "x.pdf").exists()
    assert exploc("bilan", "--annee", "2025", "--sortie", str(tmp_path / "b.xlsx")).exit_code == 3
    assert exploc("bilan", "--annee", "1999", "--sortie", str(tmp_path / "b.docx")).exit_code == 3


def test_the_annual_report_measures_the_charte_objectives(
    exploc: Invoke, base: Path, tmp_path: Path, write_file: Callable[..., Path]
) -> None:
    build_households(base)
    objectives = write_file(
        "objectifs.toml",
        '[[objectif]]\nindicateur = "expulsions"\ncible = 10\nsens = "au_plus"\n\n'
        '[[objectif]]\nindicateur = "menages_examines"\ncible = 5\nsens = "au_moins"\nlibelle = "Examiner plus"\n\n'
        '[[objectif]]\nindicateur = "commandements"\ncible = 5\nsens = "au_moins"\n\n'
        '[[objectif]]\nindicateur = "cql"\ncible = 1\nsens = "au_plus"\nannee = 2024\n',
    )
    out = tmp_path / "bilan.docx"
    result = exploc("bilan", "--annee", "2025", "--sortie", str(out), "--objectifs", str(objectives),
                    "--seuil-secret", "3", "--territoire", "departement", "--json")  # fmt: skip
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["comparaison"] == {"du": "2024-01-01", "au": "2024-12-31"}
    document = Document(out)
    paragraphs = [p.text for p in document.paragraphs]
    assert "Bilan annuel d'activité 2025" in paragraphs and "Séances tenues en 2025\u00a0: 1." in paragraphs
    rows = next(
        [[c.text for c in r.cells] for r in t.rows] for t in document.tables if t.rows[0].cells[0].text == "Objectif"
    )
    assert rows[1:] == [
        ["Expulsion effective", "≤ 10", "0", "atteint"],
        ["Examiner plus", "≥ 5", "3", "non atteint"],
        ["Commandement de payer", "≥ 5", "secret", "non mesurable (valeur masquée ou absente)"],
    ]  # the 2024 objective is left out
    avis = next(
        [[c.text for c in r.cells] for r in t.rows] for t in document.tables if t.rows[0].cells[0].text == "Avis"
    )
    assert [row[0] for row in avis[1:]] == [
        "Avis avec préconisations", "Avis favorable au maintien dans les lieux", "Pas encore d'avis", "Total",
    ]  # fmt: skip
    broken = write_file("faux.toml", '[[objectif]]\nindicateur = "expulsion"\ncible = 10\nsens = "au_plus"\n')
    failed = exploc("bilan", "--annee", "2025", "--sortie", str(tmp_path / "b2.docx"), "--objectifs", str(broken))
    assert failed.exit_code == 3 and "objectifs invalides" in failed.output and "indicateur" in failed.output


def test_a_diagnostic_of_imported_partner_files_names_nobody(
    exploc: Invoke, base: Path, tmp_path: Path, write_file: Callable[..., Path]
) -> None:
    three_households(exploc, write_file, base)
    out = tmp_path / "d.docx"
    result = exploc("diagnostic", "--sortie", str(out))  # the last twelve months, by commune
    assert result.exit_code == 0, result.output
    text = _xml_text(out)
    for secret in ("LEFEVRE", "LEFÈVRE", "Eloise", "Éloïse", "MARTIN", "DURAND", "Victor Hugo", "rue Neuve",
                   "0123456", "0999999", "S-A", "D-A", "ROUX"):  # fmt: skip
        assert secret not in text, secret
