"""The synthetic partner files: determinism, formats, legal delays, noise, bulk streaming."""

from __future__ import annotations

import csv
import io
import re
import tomllib
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path

import openpyxl  # type: ignore[import-untyped,unused-ignore]
import pytest

from exploc_cli.synthetic import generate_bulk, generate_sample
from exploc_cli.synthetic.cli import main
from exploc_cli.synthetic.households import Menage
from exploc_cli.synthetic.parcours import add_months, in_treve
from exploc_cli.synthetic.population import simulate_population
from exploc_cli.synthetic.report import FileCount, GenerationReport
from exploc_cli.synthetic.sample import make_homonyms
from exploc_cli.synthetic.sample_files import SampleContext
from exploc_cli.synthetic.territory import build_territory

LAYOUTS = Path(__file__).resolve().parents[2] / "exploc_cli" / "importers" / "layouts.toml"
CSV_FILES = (
    "caf_signalements_2025-11.csv",
    "caf_signalements_2025-12.csv",
    "huissier_actes_2025.csv",
    "prefecture_cfp_2025.csv",
    "profils/huissier_etude_dupuis.csv",
    "referentiel/communes.csv",
    "referentiel/sectorisation.csv",
)
XLSX_FILES = (
    "huissier_actes_2026-T1.xlsx",
    "bailleur_saisines_2025.xlsx",
    "suivi_services_sociaux.xlsx",
    "profils/bailleur_logis_du_val.xlsx",
)
Sample = tuple[Path, GenerationReport, Path]  # folder, report, ground truth
EXPLOC_EVENT_CODES = {
    "impaye",
    "signalement_caf",
    "saisine",
    "cdp",
    "assignation",
    "audience",
    "jugement",
    "cql",
    "requisition_cfp",
    "decision_cfp",
    "pv_tentative",
    "pv_expulsion",
}


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Sample:
    base = tmp_path_factory.mktemp("echantillon")
    truth = base / "verite.csv"
    report = generate_sample(base / "sample", ground_truth=truth)
    return base / "sample", report, truth


def _lines(path: Path, encoding: str, delimiter: str = ";") -> list[list[str]]:
    with path.open(encoding=encoding, newline="") as handle:
        return list(csv.reader(handle, delimiter=delimiter))


def _cells(path: Path) -> dict[str, list[tuple[object, ...]]]:
    book = openpyxl.load_workbook(path)
    return {ws.title: [tuple(row) for row in ws.iter_rows(values_only=True)] for ws in book}


def _aliases(source: str) -> dict[str, list[str]]:
    champs = tomllib.loads(LAYOUTS.read_text(encoding="utf-8"))["sources"][source]["champs"]
    return {str(field): list(spec["entetes"]) for field, spec in champs.items()}


# ------------------------------------------------------------------------ determinism


def test_same_seed_gives_identical_files(tmp_path: Path, sample: Sample) -> None:
    first, _, _ = sample
    second = tmp_path / "again"
    generate_sample(second)
    for name in CSV_FILES + ("LISEZMOI.md", "profils/huissier_etude_dupuis.toml"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name
    for name in XLSX_FILES:
        assert _cells(first / name) == _cells(second / name), name


def test_another_seed_gives_other_files(tmp_path: Path, sample: Sample) -> None:
    first, _, _ = sample
    generate_sample(tmp_path / "other", seed=7)
    for name in CSV_FILES[:5]:
        assert (first / name).read_bytes() != (tmp_path / "other" / name).read_bytes(), name
    assert (first / "referentiel/communes.csv").read_bytes() == (
        tmp_path / "other" / "referentiel/communes.csv"
    ).read_bytes()  # the map is fixed


def test_reference_date_bounds_the_simulation() -> None:
    menages = simulate_population(300, 11, build_territory(), date(2025, 6, 30))
    assert max(e.date for m in menages for e in m.evenements) <= date(2025, 6, 30)


# ------------------------------------------------------------------ encodings, headers


def test_encodings_and_line_ends(sample: Sample) -> None:
    folder, _, _ = sample
    nov = (folder / "caf_signalements_2025-11.csv").read_bytes()
    assert nov.startswith("Référence signalement;".encode("cp1252"))
    assert b"\xa0" in nov  # NBSP thousands separator, one byte in cp1252
    assert "€".encode("cp1252") in nov
    assert nov.count(b"\r\n") == nov.count(b"\n")
    with pytest.raises(UnicodeDecodeError):
        nov.decode("utf-8")
    dec = (folder / "caf_signalements_2025-12.csv").read_bytes()
    assert dec.startswith(b"\xef\xbb\xbf") and b"\r\n" not in dec
    dec.decode("utf-8")
    huissier = (folder / "huissier_actes_2025.csv").read_bytes()
    assert not huissier.startswith(b"\xef\xbb\xbf")
    huissier.decode("utf-8")
    prefecture = (folder / "prefecture_cfp_2025.csv").read_text(encoding="utf-8")
    assert prefecture.splitlines()[0].count("\t") == 7
    dupuis = (folder / "profils/huissier_etude_dupuis.csv").read_bytes()
    assert dupuis.startswith("N° affaire;".encode("cp1252"))
    assert (folder / "referentiel/communes.csv").read_bytes().startswith(b"\xef\xbb\xbf")


def test_csv_headers_are_exactly_the_layouts(sample: Sample) -> None:
    folder, _, _ = sample
    assert _lines(folder / "caf_signalements_2025-11.csv", "cp1252")[0][:12] == [
        "Référence signalement",
        "N° allocataire",
        "Nom",
        "Prénom",
        "Date de naissance",
        "Adresse",
        "Code postal",
        "Commune",
        "Nb enfants",
        "Montant AL/APL",
        "Montant dette",
        "Date signalement",
    ]
    assert _lines(folder / "caf_signalements_2025-12.csv", "utf-8-sig")[0][:12] == [
        "Réf. signalement",
        "Numéro allocataire",
        "Nom",
        "Prénom",
        "Né(e) le",
        "Adresse",
        "CP",
        "Ville",
        "Nombre d'enfants à charge",
        "Montant aide mensuel",
        "Montant impayé",
        "Date signalement",
    ]
    assert _lines(folder / "huissier_actes_2025.csv", "utf-8")[0][:10] == [
        "Référence acte",
        "Type d'acte",
        "Date acte",
        "Locataire",
        "Adresse",
        "Code postal",
        "Commune",
        "Bailleur",
        "Loyer mensuel",
        "Montant dette",
    ]
    assert _lines(folder / "prefecture_cfp_2025.csv", "utf-8", "\t")[0] == [
        "N° dossier",
        "Nom",
        "Adresse",
        "Date réquisition",
        "Décision",
        "Date décision",
        "Date expulsion",
        "Parc",
    ]
    assert _lines(folder / "profils/huissier_etude_dupuis.csv", "cp1252")[0] == [
        "N° affaire",
        "Nature de l'acte",
        "Signifié le",
        "Débiteur principal",
        "Domicile",
        "CP",
        "Localité",
        "Créancier",
        "Loyer",
        "Principal dû",
    ]
    assert _lines(folder / "referentiel/communes.csv", "utf-8-sig")[0] == [
        "code_insee",
        "code_postal",
        "commune",
        "epci",
    ]


def test_xlsx_layouts(sample: Sample) -> None:
    folder, _, _ = sample
    t1 = _cells(folder / "huissier_actes_2026-T1.xlsx")["Actes T1 2026"]
    assert str(t1[0][0]).startswith("Étude Maître") and all(v is None for v in t1[1])
    assert t1[2][:5] == ("Réf. étude", "Type acte", "Date signification", "Nom", "Prénom")
    book = openpyxl.load_workbook(folder / "huissier_actes_2026-T1.xlsx")
    assert [str(r) for r in book.active.merged_cells.ranges] == ["A1:O1"]
    bailleur = _cells(folder / "bailleur_saisines_2025.xlsx")
    assert list(bailleur) == ["Lisez-moi", "Saisines"]
    assert bailleur["Saisines"][1][:12] == (
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
    )
    suivi = _cells(folder / "suivi_services_sociaux.xlsx")["Suivis"]
    assert suivi[0] == (
        "Service",
        "Référent",
        "Nom",
        "Prénom",
        "Date de naissance",
        "Adresse",
        "Code postal",
        "Commune",
        "Date début suivi",
        "Date fin suivi",
    )
    logis = _cells(folder / "profils/bailleur_logis_du_val.xlsx")
    assert list(logis) == ["Synthèse", "Extraction CCAPEX"]
    assert logis["Extraction CCAPEX"][1][:3] == ("Organisme HLM", "Contrat", "Locataire principal (nom)")


def test_reference_files_use_headers_the_layouts_accept(sample: Sample) -> None:
    folder, _, _ = sample
    headers: dict[str, list[object]] = {
        "caf": [
            *_lines(folder / "caf_signalements_2025-11.csv", "cp1252")[0],
            *_lines(folder / "caf_signalements_2025-12.csv", "utf-8-sig")[0],
        ],
        "huissier": [
            *_lines(folder / "huissier_actes_2025.csv", "utf-8")[0],
            *_cells(folder / "huissier_actes_2026-T1.xlsx")["Actes T1 2026"][2],
        ],
        "bailleur": list(_cells(folder / "bailleur_saisines_2025.xlsx")["Saisines"][1]),
        "prefecture": [*_lines(folder / "prefecture_cfp_2025.csv", "utf-8", "\t")[0]],
        "suivi": list(_cells(folder / "suivi_services_sociaux.xlsx")["Suivis"][0]),
    }
    for source, found in headers.items():
        known = {h for spellings in _aliases(source).values() for h in spellings}
        assert set(found) <= known, (source, set(found) - known)


def test_profiles_match_layouts_and_files(sample: Sample) -> None:
    folder, _, _ = sample
    dupuis = tomllib.loads((folder / "profils/huissier_etude_dupuis.toml").read_text("utf-8"))
    assert dupuis["profil"]["source"] == "huissier"
    assert set(dupuis["colonnes"]) <= set(_aliases("huissier"))
    header = _lines(folder / "profils/huissier_etude_dupuis.csv", "cp1252")[0]
    assert list(dupuis["colonnes"].values()) == header
    assert set(dupuis["valeurs"]["type_acte"].values()) <= EXPLOC_EVENT_CODES
    used = {row[1] for row in _lines(folder / "profils/huissier_etude_dupuis.csv", "cp1252")[1:]}
    assert used <= set(dupuis["valeurs"]["type_acte"])
    logis = tomllib.loads((folder / "profils/bailleur_logis_du_val.toml").read_text("utf-8"))
    assert logis["profil"]["source"] == "bailleur" and logis["profil"]["ligne_entete"] == 2
    assert set(logis["colonnes"]) <= set(_aliases("bailleur"))
    sheet = _cells(folder / "profils/bailleur_logis_du_val.xlsx")[logis["profil"]["feuille"]]
    assert list(logis["colonnes"].values()) == list(sheet[logis["profil"]["ligne_entete"] - 1])


def test_communes_are_fictional_and_coded_01(sample: Sample) -> None:
    folder, report, _ = sample
    rows = _lines(folder / "referentiel/communes.csv", "utf-8-sig")[1:]
    assert len(rows) == report.rows("referentiel/communes.csv") == 40
    assert all(r[0].startswith("01") and len(r[0]) == 5 and r[1].startswith("01") for r in rows)
    assert len({r[0] for r in rows}) == 40
    readme = (folder / "LISEZMOI.md").read_text("utf-8")
    assert "fictif" in readme and "python -m exploc_cli.synthetic --sortie sample_data" in readme


# --------------------------------------------------------------------- legal delays


def _check_episode(menage: Menage, episode: int) -> None:
    events: dict[str, list[date]] = {}
    for event in menage.evenements:
        if event.episode == episode:
            events.setdefault(event.code, []).append(event.date)
    lease = menage.logements[next(e.logement for e in menage.evenements if e.episode == episode)].date_bail
    public = menage.logements[next(e.logement for e in menage.evenements if e.episode == episode)].parc == "public"
    for assignation in events.get("assignation", []):
        cdp = max(d for d in events["cdp"] if d <= assignation)
        delay = add_months(cdp, 2) if lease < date(2023, 7, 29) else cdp + timedelta(weeks=6)
        assert assignation >= delay, menage.ident
        if public and "saisine" in events:
            assert assignation >= add_months(min(events["saisine"]), 2), menage.ident
        if public:
            assert "saisine" in events or "signalement_caf" in events, menage.ident
    for audience in events.get("audience", []):
        assert audience >= min(events["assignation"]) + timedelta(days=42), menage.ident
    for code in ("pv_expulsion", "pv_tentative"):
        for day in events.get(code, []):
            assert not in_treve(day), (menage.ident, code, day)
            assert day >= add_months(max(events["cql"]), 2), menage.ident


def test_simulated_parcours_respect_legal_delays() -> None:
    menages = simulate_population(3000, 99, build_territory())
    stages = Counter(code for m in menages for code in {e.code for e in m.evenements})
    for menage in menages:
        for episode in {e.episode for e in menage.evenements if e.episode}:
            _check_episode(menage, episode)
        assert [e.date for e in menage.evenements] == sorted(e.date for e in menage.evenements)
    # Orders of magnitude (DOMAIN.md §5): each stage is rarer than the one before.
    assert stages["cdp"] > stages["assignation"] > stages["cql"] > stages["requisition_cfp"]
    assert stages["requisition_cfp"] > stages["pv_expulsion"] > 0
    assert sum(1 for m in menages if len({e.episode for e in m.evenements} - {0}) > 1) > 0


# ---------------------------------------------------------------------------- noise


def test_noise_kinds_are_present(sample: Sample) -> None:
    _, report, _ = sample
    for kind in (
        "accents_supprimes",
        "faute_de_frappe",
        "nom_prenom_inverses",
        "nom_marital",
        "nom_epouse",
        "nom_nee",
        "nom_de_naissance",
        "adresse_variante",
        "cp_sans_zero",
        "allocataire_sans_zero",
        "conjoint_nomme",
        "date_naissance_absente",
        "homonymes",
        "prenom_avant_nom",
        "acte_par_cotitulaire",
        "caf_ligne_repetee",
        "caf_dette_actualisee",
        "demenagement",
        "ligne_total",
        "champ_multiligne",
        "champ_avec_point_virgule",
    ):
        assert report.noise_count(kind) > 0, kind


def test_noise_is_visible_in_the_files(sample: Sample) -> None:
    folder, _, _ = sample
    nov = _lines(folder / "caf_signalements_2025-11.csv", "cp1252")[1:]
    assert any(len(row[6]) == 4 for row in nov)  # postcode without its leading zero
    assert any(len(row[1]) < 7 for row in nov)  # allocataire number without its zero
    assert any(row[4] == "31/02/1980" for row in nov)
    acts = (folder / "huissier_actes_2025.csv").read_text("utf-8")
    assert " épouse " in acts or " ép. " in acts
    assert " née " in acts
    assert any(civ in acts for civ in (";M. et Mme ", ";Monsieur et Madame "))
    assert "Bât " in acts and "Appt " in acts
    assert re.search(r"\d+ bis ", acts) and re.search(r"\d+(B|BIS) ", acts)


def test_december_repeats_and_updates_november(sample: Sample) -> None:
    folder, _, _ = sample
    nov = _lines(folder / "caf_signalements_2025-11.csv", "cp1252")[1:]
    dec = _lines(folder / "caf_signalements_2025-12.csv", "utf-8-sig")[1:]
    identical = {tuple(r) for r in nov} & {tuple(r) for r in dec}
    assert 0.35 * len(nov) <= len(identical) <= 0.7 * len(nov)
    nov_debt = {r[0]: r[10] for r in nov}
    updated = [r for r in dec if r[0] in nov_debt and tuple(r) not in identical]
    assert updated and all(r[10] != nov_debt[r[0]] for r in updated)
    assert [r for r in dec if r[0] not in nov_debt]  # new signalements in December


def test_quoted_fields_and_xlsx_quirks(sample: Sample) -> None:
    folder, report, _ = sample
    rows = _lines(folder / "huissier_actes_2025.csv", "utf-8")[1:]
    assert len(rows) == report.rows("huissier_actes_2025.csv")
    assert any(";" in field for row in rows for field in row)
    assert any("\n" in field for row in rows for field in row)
    t1 = _cells(folder / "huissier_actes_2026-T1.xlsx")["Actes T1 2026"]
    data = t1[3 : 3 + report.rows("huissier_actes_2026-T1.xlsx")]
    kinds = {type(row[2]) for row in data}
    assert {datetime, int, str} <= kinds  # date cells, Excel serials, text dates
    assert t1[3 + len(data)][0] == "Total"
    book = openpyxl.load_workbook(folder / "huissier_actes_2026-T1.xlsx")
    assert book.active.max_row > 4 + len(data)  # formatted empty rows after the Total line
    saisines = _cells(folder / "bailleur_saisines_2025.xlsx")["Saisines"]
    assert sum(1 for row in saisines[2:] if row[4] is None) > len(saisines) // 2
    assert any(isinstance(row[7], int) for row in saisines[2:])  # postcode turned number


def test_rows_meant_for_rejection(sample: Sample) -> None:
    folder, report, _ = sample
    motifs = {(r.fichier, r.motif) for r in report.expected_rejects}
    assert len(report.expected_rejects) == 4
    nov = _lines(folder / "caf_signalements_2025-11.csv", "cp1252")
    acts = _lines(folder / "huissier_actes_2025.csv", "utf-8")
    saisines = _cells(folder / "bailleur_saisines_2025.xlsx")["Saisines"]
    for reject in report.expected_rejects:
        if reject.fichier == "caf_signalements_2025-11.csv":
            assert nov[reject.ligne][2:4] == ["", ""]
        elif reject.fichier == "bailleur_saisines_2025.xlsx":
            assert saisines[1 + reject.ligne][11] is None
        elif "bientôt" in reject.motif:
            assert acts[reject.ligne][2] == "bientôt"
        else:
            assert acts[reject.ligne][3] == ""
    assert ("huissier_actes_2025.csv", "aucun nom de locataire") in motifs


def test_homonym_pairs_are_different_households_in_the_files(sample: Sample) -> None:
    _, _, truth = sample
    menages = simulate_population(400, 2026, build_territory())
    ctx = SampleContext(Path("."), 2026, menages)
    make_homonyms(ctx)
    in_files = {row[2] for row in _lines(truth, "utf-8")[1:]}
    by_key: dict[tuple[str, str], set[str]] = {}
    for menage in menages:
        key = (menage.titulaire.nom_usage, menage.logements[0].commune.code_insee)
        by_key.setdefault(key, set()).add(menage.ident)
    pairs = [ids for (name, _), ids in by_key.items() if name in ("MARTIN", "BERNARD") and len(ids & in_files) >= 2]
    assert pairs
    streets = Counter(
        (m.titulaire.nom_usage, m.logements[0].rue) for m in menages if m.titulaire.nom_usage in ("MARTIN", "BERNARD")
    )
    assert max(streets.values()) >= 2  # same surname, same street, different households


# ----------------------------------------------------------------------- ground truth


def test_ground_truth_covers_every_row(sample: Sample) -> None:
    _, report, truth = sample
    rows = _lines(truth, "utf-8")
    assert rows[0] == ["fichier", "ligne", "menage_vrai", "personne"]
    per_file: dict[str, list[int]] = {}
    for fichier, ligne, menage, personne in rows[1:]:
        per_file.setdefault(fichier, []).append(int(ligne))
        assert menage.startswith("M") and personne in ("titulaire", "conjoint", "")
    for entry in report.files:
        if entry.fichier.startswith("referentiel/"):
            continue
        assert per_file[entry.fichier] == list(range(1, entry.lignes + 1)), entry.fichier
    assert any(r[3] == "conjoint" for r in rows[1:])
    events = truth.with_name("verite_evenements.csv")
    assert _lines(events, "utf-8")[0][:4] == ["menage_vrai", "episode", "evenement", "date"]


def test_sample_size(sample: Sample) -> None:
    _, report, _ = sample
    assert report.total_rows >= 400  # several hundred rows across the sources
    assert all(f.lignes > 5 for f in report.files)


# ------------------------------------------------------------------------ bulk mode


def test_bulk_streams_large_files(tmp_path: Path) -> None:
    report = generate_bulk(tmp_path, 20_000, seed=5)
    assert report.total_rows >= 3 * 20_000
    for entry in report.files:
        with (tmp_path / entry.fichier).open(encoding="utf-8", newline="") as handle:
            assert sum(1 for _ in csv.reader(handle, delimiter=";")) == entry.lignes + 1
    assert not (tmp_path / ".exploc-parties").exists()
    header = (tmp_path / "huissier.csv").read_text("utf-8").split("\n", 1)[0]
    assert header.startswith("Référence acte;Type d'acte;Date acte;Locataire")


def test_bulk_does_not_depend_on_processes(tmp_path: Path) -> None:
    one = generate_bulk(tmp_path / "un", 2_500, seed=3, workers=1, ground_truth=tmp_path / "v1.csv")
    two = generate_bulk(tmp_path / "deux", 2_500, seed=3, workers=2, ground_truth=tmp_path / "v2.csv")
    assert one.files == two.files
    for entry in one.files:
        assert (tmp_path / "un" / entry.fichier).read_bytes() == (tmp_path / "deux" / entry.fichier).read_bytes()
    assert (tmp_path / "v1.csv").read_bytes() == (tmp_path / "v2.csv").read_bytes()
    truth = _lines(tmp_path / "v1.csv", "utf-8")[1:]
    assert len(truth) == one.total_rows


def test_bulk_exact_huissier_lines(tmp_path: Path) -> None:
    report = generate_bulk(tmp_path, 0, seed=1, huissier_lines=5_000, workers=2, ground_truth=tmp_path / "v.csv")
    assert report.files == (FileCount("huissier.csv", 5_000),)
    text = (tmp_path / "huissier.csv").read_text("utf-8")
    assert len(list(csv.reader(io.StringIO(text), delimiter=";"))) == 5_001
    assert len(_lines(tmp_path / "v.csv", "utf-8")) == 5_001


# ------------------------------------------------------------------------------ CLI


def test_cli_writes_sample_and_reports(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--sortie", str(tmp_path / "s"), "--menages", "120", "--graine", "4"]) == 0
    out = capsys.readouterr().out
    assert "caf_signalements_2025-11.csv" in out and "lignes" in out
    assert (tmp_path / "s" / "LISEZMOI.md").exists()


def test_cli_rejects_bad_arguments(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["--sortie", str(tmp_path), "--menages", "zéro"])
    assert exit_info.value.code == 2
    assert "nombre entier attendu" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["--sortie", str(tmp_path), "--huissier-lignes", "10"])
    blocker = tmp_path / "fichier"
    blocker.write_text("x")
    assert main(["--sortie", str(blocker / "dessous")]) == 3
    assert "Erreur" in capsys.readouterr().err
