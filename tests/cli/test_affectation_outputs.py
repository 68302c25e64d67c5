"""What the assignment changes elsewhere: export columns, the parcours' history, the « inconnu_social » alert."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path

from openpyxl import load_workbook

from tests.cli.test_affecter import HUISSIER_HEADER, _menage, _setup
from tests.conftest import Invoke
from tests.helpers import csv_text, scalar


def _csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def test_exports_fill_service_and_unite_with_a_trier_for_the_undecided(
    exploc: Invoke, write_file: Callable[..., Path], base: Path, tmp_path: Path
) -> None:
    _setup(exploc, write_file)
    before = tmp_path / "avant.csv"
    assert exploc("exporter", "signalements", "--sortie", str(before)).exit_code == 0
    assert {r["service"] for r in _csv(before)} == {""}  # never assigned: empty, not a guess

    assert exploc("affecter").exit_code == 0
    signalements = tmp_path / "signalements.csv"
    result = exploc("exporter", "signalements", "--sortie", str(signalements))
    assert result.exit_code == 0, result.output
    by_reference = {r["reference"]: (r["service"], r["unite"]) for r in _csv(signalements)}
    assert by_reference == {
        "S1": ("CAF - Service social", ""),
        "S2": ("Département", "MDS Nord"),
        "H1": ("à trier", ""),
    }
    header = next(csv.reader(signalements.open(encoding="utf-8-sig"), delimiter=";"))
    assert header[:9] == ["source", "reference", "type", "date", "nom", "prenom", "menage", "service", "unite"]

    menages = tmp_path / "menages.xlsx"
    assert exploc("exporter", "menages", "--sortie", str(menages)).exit_code == 0
    sheet = load_workbook(menages, read_only=True).active
    assert sheet is not None
    table = [list(row) for row in sheet.iter_rows(values_only=True)]
    columns = table[0]
    service, unit = columns.index("service"), columns.index("unite")
    by_menage = {row[0]: (row[service], row[unit]) for row in table[1:]}
    assert by_menage[_menage(base, "S2")] == ("Département", "MDS Nord")
    assert by_menage[_menage(base, "H1")] == ("à trier", None)


def test_afficher_shows_the_assignment_history_rule_then_manual(
    exploc: Invoke, write_file: Callable[..., Path], base: Path
) -> None:
    _setup(exploc, write_file)
    durand = _menage(base, "S2")
    shown = exploc("menages", "afficher", str(durand))
    assert "jamais affecté" in shown.output
    assert exploc("affecter").exit_code == 0
    assert exploc("menages", "affecter", str(durand), "CAF01", "--motif", "Famille connue de la CAF").exit_code == 0

    shown = exploc("menages", "afficher", str(durand))
    assert shown.exit_code == 0, shown.output
    text = " ".join(shown.output.split())
    assert "Affectation aux services sociaux" in text
    assert "MDS Nord (Département) — règle" in text
    assert "CAF - Service social — décision manuelle" in text and "Famille connue de la CAF — en vigueur" in text

    document = json.loads(exploc("menages", "afficher", str(durand), "--json").output)
    history = document["affectations"]
    assert [(a["unite"], a["origine"], a["courante"]) for a in history] == [
        ("MDS-N", "regle", False),
        (None, "manuel", True),
    ]
    assert history[0]["regle"] and history[0]["version_regles"].startswith("charte-2023")
    assert history[1]["motif"] == "Famille connue de la CAF"


def test_inconnu_social_is_lifted_once_a_service_is_assigned(
    exploc: Invoke, write_file: Callable[..., Path], base: Path
) -> None:
    _setup(exploc, write_file)
    cql = csv_text(
        HUISSIER_HEADER,
        ["H9;Commandement de quitter les lieux;02/03/2026;M. Karim BENALI;3 rue des Lilas;"
         "01000;Bourg-sur-Sarre;Logis du Val;2 400,00"],
    )  # fmt: skip
    assert exploc("importer", str(write_file("cql.csv", cql))).exit_code == 0
    benali = _menage(base, "H1")
    assert _menage(base, "H9") == benali

    def alerts() -> list[str]:
        document = json.loads(exploc("menages", "afficher", str(benali), "--json").output)
        return [a["code"] for a in document["alertes"]]

    def listed() -> bool:
        listing = json.loads(exploc("menages", "lister", "--alerte", "inconnu_social", "--json").output)
        return benali in {m["menage"] for m in listing}

    assert "inconnu_social" in alerts() and listed()
    assert exploc("affecter").exit_code == 0  # allocataire unknown: « à trier » is no service
    assert "inconnu_social" in alerts() and listed()
    assert exploc("menages", "affecter", str(benali), "MDS-C", "--motif", "CQL : visite à domicile").exit_code == 0
    assert "inconnu_social" not in alerts() and not listed()


def test_service_filter_selects_by_code_name_unit_to_sort_or_never_assigned(
    exploc: Invoke, write_file: Callable[..., Path], base: Path, tmp_path: Path
) -> None:
    _setup(exploc, write_file)
    martin, durand, benali = (_menage(base, r) for r in ("S1", "S2", "H1"))

    def listed(service: str) -> set[int]:
        result = exploc("menages", "lister", "--service", service, "--json")
        assert result.exit_code == 0, result.output
        return {m["menage"] for m in json.loads(result.output)}

    assert listed("aucun") == {martin, durand, benali} and listed("a-trier") == set()
    assert exploc("affecter").exit_code == 0
    assert listed("aucun") == set()
    assert listed("CAF01") == listed("caf") == {martin}  # by code, or by a part of the name
    assert listed("MDS-N") == listed("mds nord") == listed("Département") == {durand}
    assert listed("à trier") == listed("A_TRIER") == {benali}
    assert listed("MDS-C") == set()
    shown = {m["menage"]: (m["service"], m["unite"]) for m in json.loads(exploc("menages", "lister", "--json").output)}
    assert shown[durand] == ("Département", "MDS Nord") and shown[benali] == ("à trier", None)

    extraction = tmp_path / "caf.csv"
    result = exploc("exporter", "signalements", "--sortie", str(extraction), "--service", "CAF01")
    assert result.exit_code == 0, result.output
    assert [r["reference"] for r in _csv(extraction)] == ["S1"]
    to_sort = tmp_path / "a_trier.csv"
    assert exploc("exporter", "menages", "--sortie", str(to_sort), "--service", "a-trier").exit_code == 0
    assert [int(r["menage"]) for r in _csv(to_sort)] == [benali]
    journal = json.loads(scalar(base, "SELECT filtres FROM journal WHERE action = 'export_menages'"))
    assert journal == {"service": "a-trier"}


def test_an_unknown_service_is_refused_in_french_and_nothing_is_written(
    exploc: Invoke, write_file: Callable[..., Path], base: Path, tmp_path: Path
) -> None:
    _setup(exploc, write_file)
    listing = exploc("menages", "lister", "--service", "CAF1")
    assert listing.exit_code == 3
    text = " ".join(listing.output.split())
    assert "--service « CAF1 » : aucun service ni aucune unité ne porte ce code ou ce nom" in text
    assert "CAF01" in text and "MDS-N" in text
    for kind in ("signalements", "menages"):
        target = tmp_path / f"{kind}.csv"
        refused = exploc("exporter", kind, "--sortie", str(target), "--service", "MDS-X")
        assert refused.exit_code == 3 and "MDS-X" in refused.output
        assert not target.exists()
    assert scalar(base, "SELECT COUNT(*) FROM journal WHERE action LIKE 'export%'") == 0
    # part of a name is enough, accents and case aside
    assert exploc("menages", "lister", "--service", "departement").exit_code == 0
