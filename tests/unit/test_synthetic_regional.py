"""The synthetic region: several départements with their own codes and names, moves between them,
the regional sectorisation, and the single département left as it was."""

from __future__ import annotations

import csv
import hashlib
from collections import defaultdict
from datetime import date
from pathlib import Path

import pytest

from exploc_cli.affectation.sectorisation import Sectorisation
from exploc_cli.affectation.sectorisation_import import import_sectorisation
from exploc_cli.store.db import open_store, resolve_location
from exploc_cli.synthetic import generate_bulk
from exploc_cli.synthetic.bulk import REGION_COMMUNES, REGION_SECTORISATION
from exploc_cli.synthetic.cli import main
from exploc_cli.synthetic.region import HOMONYMS, REGION_CODES, build_region, fold
from exploc_cli.synthetic.sectorisation import HEADER, REGIONAL_HEADER, sectorisation_rows
from exploc_cli.synthetic.territory import build_territory

MENAGES = 3000
PARTNER_FILES = ("caf.csv", "huissier.csv", "bailleur.csv", "prefecture.csv")
# The single département's files (400 households, seed 2026) as written before the region
# existed: update them only when the generator changes on purpose.
PINNED = {
    "caf.csv": "0bc528f1c66cef3e",
    "huissier.csv": "0e3ef901af339096",
    "bailleur.csv": "90d90a79d989cf0f",
    "prefecture.csv": "8cb9c31cd0bf1a28",
    "verite.csv": "d5386df389abfb40",
}


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


@pytest.fixture(scope="module")
def region(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("region")
    generate_bulk(folder / "donnees", MENAGES, seed=9, ground_truth=folder / "verite.csv", workers=2, departements=3)
    return folder


def test_the_region_codes_are_those_of_ile_de_france() -> None:
    assert REGION_CODES == ("75", "77", "78", "91", "92", "93", "94", "95")
    territory = build_region(8)
    assert [d.code for d in territory.departements] == list(REGION_CODES)
    for departement in territory.departements:
        communes = territory.communes_of(departement.code)
        assert len(communes) == 40
        for commune in communes:
            assert commune.code_insee[:2] == commune.code_postal[:2] == departement.code
            assert len(commune.code_insee) == len(commune.code_postal) == 5
        assert len({c.code_insee for c in communes}) == 40
    assert len({d.nom for d in territory.departements}) == 8


def test_commune_names_repeat_only_as_deliberate_homonyms() -> None:
    territory = build_region(8)
    by_name: dict[str, set[str]] = defaultdict(set)
    for commune in territory.communes:
        by_name[fold(commune.nom)].add(commune.departement)
    repeated = {name: codes for name, codes in by_name.items() if len(codes) > 1}
    assert repeated == {
        fold("Saint-Gervin"): {REGION_CODES[0], REGION_CODES[1]},
        fold("Laverrière"): {REGION_CODES[0], REGION_CODES[2]},
    }
    assert set(HOMONYMS.values()) == {"Saint-Gervin", "Laverrière"}
    # The same structure in every copy: the large city first, then the same weights.
    for code in REGION_CODES:
        assert [c.poids for c in territory.communes_of(code)] == [c.poids for c in build_territory().communes]
    assert territory.communes_of("93")[0].nom == "Bourg-sur-Aubrette"


def test_more_than_eight_departements_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(ValueError, match="entre 1 et 8"):
        generate_bulk(tmp_path, 10, departements=9)
    with pytest.raises(SystemExit):
        main(["--format", "csv", "--sortie", str(tmp_path), "--departements", "9"])
    assert "Île-de-France" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["--sortie", str(tmp_path), "--departements", "2"])  # the sample has one département
    assert "--departements" in capsys.readouterr().err


def test_the_files_spread_households_over_the_departements(region: Path) -> None:
    data = region / "donnees"
    territory = build_region(3)
    communes = {c.code_insee: c for c in territory.communes}
    caf = _rows(data / "caf.csv")
    assert list(caf[0])[-1] == "Code INSEE"
    seen = defaultdict(int)
    for row in caf:
        commune = communes[row["Code INSEE"]]  # every INSEE code is one of the region's
        assert row["Code postal"] == commune.code_postal  # the postcode of the same département
        seen[commune.departement] += 1
    assert set(seen) == {"75", "77", "78"}
    assert min(seen.values()) > len(caf) / 5  # about a third each
    postcodes = {c.code_postal for c in territory.communes}
    for name in ("huissier.csv", "bailleur.csv"):
        rows = _rows(data / name)
        assert {r["Code postal"] for r in rows} <= postcodes
        assert {r["Code postal"][:2] for r in rows} == {"75", "77", "78"}


def test_some_households_move_to_another_departement(region: Path) -> None:
    """The ground truth still numbers every row; a few true ménages have rows in two départements."""
    data = region / "donnees"
    truth: dict[tuple[str, int], str] = {}
    with (region / "verite.csv").open(encoding="utf-8") as handle:
        reader = csv.reader(handle, delimiter=";")
        assert next(reader) == ["fichier", "ligne", "menage_vrai", "personne"]
        for fichier, ligne, menage, _ in reader:
            truth[(fichier, int(ligne))] = menage
    departements: dict[str, set[str]] = defaultdict(set)
    rows = 0
    for name in PARTNER_FILES:
        for line, row in enumerate(_rows(data / name), 1):
            rows += 1
            if "Code postal" in row:
                departements[truth[(name, line)]].add(row["Code postal"][:2])
    assert rows == len(truth)
    moved = [m for m, codes in departements.items() if len(codes) > 1]
    assert 0 < len(moved) < 0.03 * len(departements)


def test_the_region_writes_its_referentiel(region: Path) -> None:
    data = region / "donnees"
    communes = _rows(data / REGION_COMMUNES)
    assert len(communes) == 120 and {r["code_insee"][:2] for r in communes} == {"75", "77", "78"}
    rows = _rows(data / REGION_SECTORISATION)
    assert tuple(rows[0]) == REGIONAL_HEADER
    assert all(
        r["Code service"].endswith(r["Département"]) for r in rows if r["Type service"] in ("Département", "CAF")
    )
    departements = {r["Code service"]: r["Service"] for r in rows if r["Type service"] == "Département"}
    assert departements == {
        "DEP75": "Département du Val-de-Sarre",
        "DEP77": "Département des Marches-de-Vionne",
        "DEP78": "Département de la Haute-Lisonne",
    }
    assert sorted(r["Code service"] for r in rows if r["Type service"] == "CAF") == ["CAF75", "CAF77", "CAF78"]
    for code in ("75", "77", "78"):
        covered = {r["Code INSEE"] for r in rows if r["Code service"] == f"DEP{code}"}
        assert covered == {r["code_insee"] for r in communes if r["code_insee"].startswith(code)}
        units = {r["Code unité"] for r in rows if r["Code service"] == f"DEP{code}"}
        assert units == {f"MDS-{x}-{code}" for x in "CNEOS"}
    assert sum(1 for r in rows if r["Voie"]) == 3 * 6  # each large city split by street


def test_the_regional_sectorisation_imports(region: Path, new_base) -> None:
    """The importer reads the file (whether it ignores the « Département » column or reads it)."""
    engine = open_store(resolve_location(str(new_base())))
    try:
        import_sectorisation(engine, region / "donnees" / REGION_SECTORISATION)
        with engine.connect() as connection:
            sectors = Sectorisation.load(connection)
    finally:
        engine.dispose()
    day = date(2026, 1, 1)
    assert sorted(s.code for s in sectors.services_of_type("departement", day)) == ["DEP75", "DEP77", "DEP78"]
    assert sorted(s.code for s in sectors.services_of_type("caf", day)) == ["CAF75", "CAF77", "CAF78"]
    for code in ("77110", "78222"):
        unit, _ = sectors.unit_for(
            service_code=f"DEP{code[:2]}", code_insee=code, commune=None, voie=None, numero=None, day=day
        )
        assert unit is not None and unit.code.endswith(code[:2])


def test_one_departement_is_the_val_de_sarre_unchanged(tmp_path: Path) -> None:
    """N = 1 is the default call, byte for byte, and writes no referentiel."""
    one = generate_bulk(tmp_path / "un", 700, seed=4, workers=1, ground_truth=tmp_path / "v1.csv", departements=1)
    default = generate_bulk(tmp_path / "defaut", 700, seed=4, workers=1, ground_truth=tmp_path / "v2.csv")
    assert one.files == default.files
    assert [f.fichier for f in one.files] == list(PARTNER_FILES)
    for name in PARTNER_FILES:
        assert (tmp_path / "un" / name).read_bytes() == (tmp_path / "defaut" / name).read_bytes()
    assert (tmp_path / "v1.csv").read_bytes() == (tmp_path / "v2.csv").read_bytes()
    assert not (tmp_path / "un" / "referentiel").exists()
    assert build_region(1).communes == build_territory().communes
    assert sectorisation_rows(build_region(1)) == sectorisation_rows(build_territory())
    assert len(sectorisation_rows(build_territory())[0]) == len(HEADER)
    header = (tmp_path / "un" / "caf.csv").read_text("utf-8").split("\n", 1)[0]
    assert "INSEE" not in header


def test_one_departement_files_are_pinned(tmp_path: Path) -> None:
    """The files of the single département, as the generator wrote them before the region."""
    generate_bulk(tmp_path, 400, seed=2026, workers=1, ground_truth=tmp_path / "verite.csv")
    digests = {
        name: hashlib.sha256((tmp_path / name).read_bytes()).hexdigest()[:16] for name in (*PARTNER_FILES, "verite.csv")
    }
    assert digests == PINNED
