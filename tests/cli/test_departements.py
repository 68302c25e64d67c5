"""A regional base: every signalement and ménage carries its département; lists, extractions,
exports, assignment and the diagnostic accept ``--departement``; rules and sectorisation are per
département. Through the CLI, on either backend.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from exploc_cli.normalize.departements import departement_of, parse_departement
from tests.cli.test_menages_parcours import _import
from tests.conftest import Invoke
from tests.helpers import CAF_HEADER, caf_line, csv_text, rows, scalar

SECTORISATION = (
    "Code service;Service;Type service;Département;Code unité;Unité;Type unité;Code INSEE;Commune;Voie;Numéros;"
    "Valide du;Valide au\n"
    "CAF93;CAF de la Seine-Saint-Denis;CAF;93;;;;;;;;01/01/2020;\n"
    "CAF94;CAF du Val-de-Marne;CAF;94;;;;;;;;01/01/2020;\n"
    # no « Département » written: deduced from the communes its units cover
    "DEP93;Département de la Seine-Saint-Denis;Département;;MDS-BOB;MDS Bobigny;MDS;93008;Bobigny;;;01/01/2020;\n"
    "DEP94;Département du Val-de-Marne;Département;;EDS-CRE;EDS Créteil;EDS;94028;Créteil;;;01/01/2020;\n"
)


@pytest.mark.parametrize(
    ("insee", "postcode", "expected"),
    [
        ("93008", "93000", "93"),
        (None, "93000", "93"),
        ("2A004", "20000", "2A"),
        (None, "20090", "2A"),
        (None, "20200", "2B"),
        ("97411", "97400", "974"),
        (None, "97600", "976"),
        (None, "98000", None),  # Monaco
        (None, "97500", None),  # Saint-Pierre-et-Miquelon: a collectivity, not a département
        ("ABCDE", "94000", "94"),  # an unreadable code INSEE: the postcode tells
        (None, "9400", None),
        (None, None, None),
    ],
)
def test_departement_of_an_address(insee: str | None, postcode: str | None, expected: str | None) -> None:
    assert departement_of(insee, postcode) == expected


def test_a_departement_typed_by_a_user() -> None:
    assert [parse_departement(t) for t in ("93", "1", "2a", " 974 ", "seine-saint-denis", "Val-d'Oise")] == [
        "93", "01", "2A", "974", "93", "95",
    ]  # fmt: skip
    assert parse_departement("99") is None and parse_departement("Atlantide") is None


def _region(exploc: Invoke, write_file: Callable[..., Path], base: Path) -> dict[str, int]:
    """Three households: A in Bobigny (93), B in Créteil (94), C moved from Bobigny to Créteil."""
    _import(exploc, write_file, "caf.csv", CAF_HEADER, [
        caf_line("S-A", "1000001", "AUBERT", "Anne", date="10/01/2025", adresse="3 rue de Paris", cp="93000",
                 commune="Bobigny"),
        caf_line("S-B", "1000002", "BRUNEL", "Basile", date="12/01/2025", adresse="5 rue du Port", cp="94000",
                 commune="Créteil"),
        caf_line("S-C", "1000003", "CARON", "Claire", date="15/01/2025", adresse="8 rue Neuve", cp="93000",
                 commune="Bobigny", naissance="01/01/1970"),
    ])  # fmt: skip
    # C moved: the CAF reports her again (same allocataire) at her new address in Créteil
    _import(exploc, write_file, "caf_juin.csv", CAF_HEADER, [
        caf_line("D-C", "1000003", "CARON", "Claire", date="15/06/2025", adresse="14 avenue du Général de Gaulle",
                 cp="94000", commune="Créteil", naissance="01/01/1970"),
    ])  # fmt: skip
    numbers = {
        key: int(scalar(base, "SELECT menage_id FROM signalement WHERE reference = ?", reference))
        for key, reference in (("A", "S-A"), ("B", "S-B"), ("C", "S-C"))
    }
    assert len(set(numbers.values())) == 3
    assert scalar(base, "SELECT menage_id FROM signalement WHERE reference = ?", "D-C") == numbers["C"]
    return numbers


def test_each_signalement_and_menage_carries_its_departement(
    exploc: Invoke, write_file: Callable[..., Path], base: Path
) -> None:
    numbers = _region(exploc, write_file, base)
    by_reference = {
        r["reference"]: r["departement"] for r in rows(base, "SELECT reference, departement FROM signalement")
    }
    assert by_reference == {"S-A": "93", "S-B": "94", "S-C": "93", "D-C": "94"}
    stored = {r["id"]: r["departement"] for r in rows(base, "SELECT id, departement FROM menage")}
    # the household that moved belongs to the département of its latest address
    assert stored == {numbers["A"]: "93", numbers["B"]: "94", numbers["C"]: "94"}
    listed = json.loads(exploc("menages", "lister", "--json").stdout)
    assert {m["menage"]: m["departement"] for m in listed} == stored  # the summary says the same


def test_filters_accept_a_departement_everywhere(
    exploc: Invoke, write_file: Callable[..., Path], base: Path, tmp_path: Path
) -> None:
    numbers = _region(exploc, write_file, base)
    listed = exploc("menages", "lister", "--departement", "94", "--json")
    assert listed.exit_code == 0, listed.output
    assert sorted(m["menage"] for m in json.loads(listed.stdout)) == sorted([numbers["B"], numbers["C"]])
    named = exploc("menages", "lister", "--departement", "Seine-Saint-Denis", "--json")
    assert [m["menage"] for m in json.loads(named.stdout)] == [numbers["A"]]

    export = tmp_path / "signalements_93.csv"
    done = exploc("exporter", "signalements", "--sortie", str(export), "--departement", "93")
    assert done.exit_code == 0, done.output
    with export.open(encoding="utf-8-sig", newline="") as handle:
        exported = list(csv.DictReader(handle, delimiter=";"))
    # each signalement where it happened: C's first report is in 93, her ménage now in 94
    assert sorted(r["reference"] for r in exported) == ["S-A", "S-C"]
    assert {r["departement"] for r in exported} == {"93"}

    sheet = tmp_path / "extraction_94.xlsx"
    extracted = exploc("extraire", "--sortie", str(sheet), "--departement", "94", "--colonnes", "complet",
                       "--motif", "Commission du Val-de-Marne")  # fmt: skip
    assert extracted.exit_code == 0, extracted.output
    table = list(openpyxl.load_workbook(sheet).active.iter_rows(values_only=True))
    column = table[0].index("Département")
    assert sorted((r[0], r[column]) for r in table[1:]) == sorted([(numbers["B"], "94"), (numbers["C"], "94")])
    journal = rows(base, "SELECT filtres FROM journal WHERE action = 'extraction'")
    assert json.loads(journal[-1]["filtres"])["departement"] == "94"

    unknown = exploc("menages", "lister", "--departement", "99")
    assert unknown.exit_code != 0 and "Département inconnu" in unknown.output and "« 99 »" in unknown.output


def test_an_import_gives_its_departement_to_rows_without_codes(
    exploc: Invoke, write_file: Callable[..., Path], base: Path
) -> None:
    header = "Référence acte;Type d'acte;Date acte;Locataire;Adresse;Bailleur;Montant dette"
    line = "D-Z;Commandement de payer;01/03/2025;M. Zoé ZÉBU;2 rue Haute;Logis du Val;900,00"
    path = write_file("sans_cp.csv", csv_text(header, [line]))
    refused = exploc("importer", str(path), "--departement", "Atlantide")
    assert refused.exit_code != 0 and "Département inconnu" in refused.output
    assert scalar(base, "SELECT COUNT(*) FROM signalement") == 0
    done = exploc("importer", str(path), "--departement", "2b")
    assert done.exit_code == 0, done.output
    assert scalar(base, "SELECT departement FROM signalement WHERE reference = ?", "D-Z") == "2B"


def test_assignment_follows_each_departement_services_and_rules(
    exploc: Invoke, write_file: Callable[..., Path], base: Path
) -> None:
    numbers = _region(exploc, write_file, base)
    sectorisation = write_file("sectorisation.csv", SECTORISATION)
    assert exploc("services", "importer", str(sectorisation)).exit_code == 0
    assert rows(base, "SELECT code, departement FROM service_social ORDER BY code")[:2] == [
        {"code": "CAF93", "departement": "93"}, {"code": "CAF94", "departement": "94"},
    ]  # fmt: skip
    done = exploc("affecter", "--json")
    assert done.exit_code == 0, done.output
    places = {c["menage"]: c["apres"] for c in json.loads(done.stdout)["changements"]}
    # allocataires with a child: « the » CAF is the one of their département
    assert places == {
        numbers["A"]: "CAF de la Seine-Saint-Denis",
        numbers["B"]: "CAF du Val-de-Marne",
        numbers["C"]: "CAF du Val-de-Marne",
    }

    # the Val-de-Marne writes rules of its own: its ménages follow them, the others the common ones
    copied = exploc("regles", "copier", "--departement", "94")
    assert copied.exit_code == 0, copied.output
    own = Path(copied.output.split("Règles copiées : ")[1].split("\n")[0].strip())
    assert own.name == "regles_affectation_94.toml" and own.exists()
    text = own.read_text(encoding="utf-8")
    own.write_text(
        text.replace('version = "charte-2023"', 'version = "charte-94"').replace(
            'si = { allocataire = true, enfants_a_charge = { au_moins = 1 } }\nservice = { type = "caf" }',
            "si = { allocataire = true, enfants_a_charge = { au_moins = 1 } }\n"
            'service = { type = "departement", unite = "secteur" }',
        ),
        encoding="utf-8",
    )
    checked = json.loads(exploc("regles", "verifier", "--json").stdout)
    assert checked["departements"]["94"]["version"].startswith("charte-94")
    only = exploc("affecter", "--departement", "94", "--json")
    assert only.exit_code == 0, only.output
    report = json.loads(only.stdout)
    assert report["menages_examines"] == 2 and "94 : charte-94" in report["regles"]
    moved = {c["menage"]: c["apres"] for c in report["changements"]}
    assert moved == {
        numbers["B"]: "EDS Créteil (Département du Val-de-Marne)",
        numbers["C"]: "EDS Créteil (Département du Val-de-Marne)",
    }
    explained = json.loads(exploc("regles", "expliquer", str(numbers["C"]), "--json").stdout)
    assert explained["departement"] == "94" and explained["regles_du_departement"].endswith(
        "regles_affectation_94.toml"
    )
    kept = json.loads(exploc("regles", "expliquer", str(numbers["A"]), "--json").stdout)
    assert kept["regles_du_departement"] is None and kept["resultat"] == "CAF de la Seine-Saint-Denis"
    # each assignment records the version of the rules that decided it, not the list of every file
    versions = {
        r["menage_id"]: r["version_regles"]
        for r in rows(base, "SELECT menage_id, version_regles FROM affectation WHERE courante")
    }
    assert versions[numbers["B"]].startswith("charte-94 (") and ";" not in versions[numbers["B"]]
    assert versions[numbers["A"]].startswith("charte-2023 (") and ";" not in versions[numbers["A"]]
    shown = json.loads(exploc("menages", "afficher", str(numbers["B"]), "--json").stdout)
    assert shown["affectations"][-1]["version_regles"] == versions[numbers["B"]]


def test_a_sectorisation_service_serves_one_departement(write_file: Callable[..., Path], exploc: Invoke) -> None:
    bad = SECTORISATION + "CAF93;CAF de la Seine-Saint-Denis;CAF;94;;;;;;;;01/01/2020;\n"
    refused = exploc("services", "importer", str(write_file("secto.csv", bad)))
    assert refused.exit_code != 0
    assert "le service CAF93 sert le département 93" in refused.output


def test_the_diagnostic_counts_one_departement(
    exploc: Invoke, write_file: Callable[..., Path], base: Path, tmp_path: Path
) -> None:
    _region(exploc, write_file, base)
    counts = {}
    for scope in ("93", "94", None):
        out = tmp_path / f"diagnostic_{scope}.xlsx"
        extra = ["--departement", scope] if scope else []
        done = exploc("diagnostic", "--sortie", str(out), "--du", "01/01/2024", "--au", "31/12/2026", *extra, "--json")
        assert done.exit_code == 0, done.output
        counts[scope] = json.loads(done.stdout)
    # 93: A, and C's first report; 94: B and C's second; the region: the three households
    assert (counts["93"]["menages"], counts["94"]["menages"], counts[None]["menages"]) == (2, 2, 3)
    method = openpyxl.load_workbook(tmp_path / "diagnostic_93.xlsx")["Méthode"].iter_rows(values_only=True)
    texts = [v for row in method for v in row if isinstance(v, str)]
    assert any(v.startswith("Périmètre : département 93 — Seine-Saint-Denis") for v in texts)
