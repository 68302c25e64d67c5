"""``exploc demo``: the main job on the bundled sample data, in its own base."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import openpyxl
from docx import Document

from commands.app import app


def test_demo_imports_every_sample_file_and_exports_in_its_own_folder(runner, tmp_path, isolated_user_folders) -> None:
    folder = tmp_path / "demo"
    result = runner.invoke(app, ["demo", "--sortie", str(folder), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    files = [f for imported in report["imports"] for f in imported["fichiers"]]
    assert {f["source"] for f in files} == {"caf", "huissier", "bailleur", "prefecture", "suivi"}
    assert all(f["statut"] in ("importe", "importe_avec_rejets") for f in files)
    assert sum(f["rejetees"] for f in files) == 4  # the rows the generator planted for rejection
    assert any(f["deja_presentes"] > 0 for f in files)  # December's CAF file repeats November's rows
    assert report["export"]["lignes"] == sum(report["signalements_par_source"].values()) > 500
    assert stat.S_IMODE((folder / "signalements.csv").stat().st_mode) == 0o600
    assert not (isolated_user_folders / "data" / "exploc").exists()  # the user's own base is untouched
    parcours = report["parcours"]
    assert parcours["menages"] == sum(parcours["par_etape"].values()) > 100
    assert parcours["par_etape"]["cql"] > 0 and parcours["par_alerte"]["dette_elevee"] > 0
    assert isinstance(parcours["menage_exemple"], int)
    workbook = folder / "menages.xlsx"
    assert parcours["export"]["lignes"] == parcours["menages"]
    assert stat.S_IMODE(workbook.stat().st_mode) == 0o600
    assert sum(1 for _ in openpyxl.load_workbook(workbook).active.iter_rows()) == parcours["menages"] + 1
    # a session of the CCAPEX with its ordre du jour, its dossier (one fiche per household) and its sheet
    session = report["seance"]
    assert len(session["menages"]) == 12
    assert [Path(f).name for f in session["fichiers"]] == [
        "seance_ordre_du_jour.docx", "seance_dossier.docx", "seance_feuille_decisions.xlsx",
    ]  # fmt: skip
    assert all(stat.S_IMODE(Path(f).stat().st_mode) == 0o600 for f in session["fichiers"])
    fiches = [p.text for p in Document(folder / "seance_dossier.docx").paragraphs if p.text.startswith("Fiche n° ")]
    assert fiches == [f"Fiche n° {rank} — ménage n° {m}" for rank, m in enumerate(session["menages"], start=1)]
    extraction = report["extraction"]
    assert extraction["lignes"] > 0 and extraction["profil"] == "service-social"
    assert stat.S_IMODE((folder / "extraction_service_social.xlsx").stat().st_mode) == 0o600
    extracted = openpyxl.load_workbook(folder / "extraction_service_social.xlsx")
    assert extracted["Extraction"].max_row == extraction["lignes"] + 1 and "À propos" in extracted.sheetnames
    sheet = openpyxl.load_workbook(folder / "seance_feuille_decisions.xlsx")["Décisions"]
    assert [row[2] for row in sheet.iter_rows(min_row=2, values_only=True)] == session["menages"]
    # the territorial diagnostic of 2025: a workbook with native charts and a Word report, owner-only
    diagnostic = report["diagnostic"]
    assert [Path(f).name for f in diagnostic["fichiers"]] == ["diagnostic.xlsx", "diagnostic.docx"]
    assert diagnostic["menages"] > 100 and diagnostic["tableaux"] > 15 and diagnostic["cellules_masquees"] > 0
    assert all(stat.S_IMODE(Path(f).stat().st_mode) == 0o600 for f in diagnostic["fichiers"])
    book = openpyxl.load_workbook(folder / "diagnostic.xlsx")
    assert book.sheetnames[0] == "Synthèse" and book.sheetnames[-1] == "Méthode"
    assert sum(len(sheet._charts) for sheet in book.worksheets) >= 8
    assert len(Document(folder / "diagnostic.docx").inline_shapes) >= 5


def test_demo_assigns_households_with_the_shipped_rules_and_the_sample_sectorisation(runner, tmp_path) -> None:
    folder = tmp_path / "demo"
    result = runner.invoke(app, ["demo", "--sortie", str(folder), "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert report["sectorisation"]["services"] >= 3 and report["sectorisation"]["unites"] >= 2
    assigned = report["affectation"]
    assert assigned["regles"].startswith("charte-2023") and not assigned["simulation"]
    assert assigned["menages_examines"] > 100
    per_service = {(row["service"], row["unite"]): row["menages"] for row in assigned["par_service"]}
    assert sum(per_service.values()) == assigned["menages_examines"]
    assert per_service[("CAF - Service social", "")] > 0
    assert sum(n for (service, unit), n in per_service.items() if service.startswith("Département") and unit) > 0
    assert per_service.get(("à trier", ""), 0) == assigned["a_trier"] < assigned["menages_examines"]
    workbook = openpyxl.load_workbook(folder / "menages.xlsx").active
    header = [cell.value for cell in next(workbook.iter_rows(max_row=1))]
    services = {row[header.index("service")] for row in workbook.iter_rows(min_row=2, values_only=True)}
    assert {"CAF - Service social", "à trier"} <= services


def test_demo_runs_again_from_scratch_and_prints_a_french_summary(runner, tmp_path) -> None:
    folder = tmp_path / "demo"
    first = runner.invoke(app, ["demo", "--sortie", str(folder)])
    second = runner.invoke(app, ["demo", "--sortie", str(folder)])
    assert first.exit_code == second.exit_code == 0
    assert "déjà importé" not in second.stdout
    for expected in (
        "Import des fichiers des partenaires",
        "Contenu de la base",
        "Commandement de payer",
        "Affectation aux services sociaux",
        "Ménages par service et unité",
        "Parcours des ménages",
        "aucun acte de procédure",
        "dette_elevee",
        "Le parcours le plus riche (exploc menages afficher ",
        "Étape actuelle :",
        "Prochaine échéance :",
        "signalement(s) exporté(s)",
        "ménage(s) exporté(s) dans",
        "Séance de la CCAPEX",
        "seance_dossier.docx",
        "Extraction nominative",
        "Diagnostic territorial de 2025",
        "diagnostic.docx",
    ):
        assert expected in second.stdout
