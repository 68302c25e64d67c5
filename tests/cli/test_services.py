"""``exploc services``: importing the sectorisation table (all errors at once, nothing written) and listing it."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import Invoke
from tests.helpers import rows, scalar, writing

HEADER = (
    "Code service;Service;Type service;Code unité;Unité;Type unité;Code INSEE;Commune;Voie;Numéros;Valide du;Valide au"
)
CENTRE = "DEP01;Département du Val-de-Sarre;Département;MDS-C;MDS Centre;MDS"
NORD = "DEP01;Département du Val-de-Sarre;Département;MDS-N;MDS Nord;MDS"
BOURG = "01110;Bourg-sur-Sarre"
TABLES = ("service_social", "unite", "secteur")


def _sample(samples: Path) -> str:
    return str(samples / "referentiel" / "sectorisation.csv")


def _content(base: Path) -> dict[str, list[dict[str, Any]]]:
    return {table: rows(base, f"SELECT * FROM {table} ORDER BY 1") for table in TABLES}


def scalar_rows(base: Path, query: str) -> list[tuple[Any, ...]]:
    return [tuple(r.values()) for r in rows(base, query)]


def _journal(base: Path) -> list[dict[str, Any]]:
    return rows(base, "SELECT * FROM journal WHERE action = 'import_sectorisation' ORDER BY id")


def test_import_the_sample_table(exploc: Invoke, base: Path, samples: Path) -> None:
    result = exploc("services", "importer", _sample(samples))
    assert result.exit_code == 0, result.output
    assert "5 service(s), 5 unité(s), 40 commune(s), 6 voie(s) sectorisée(s) à part" in result.output
    assert "(CSV UTF-8 avec BOM, séparateur point-virgule, 50 ligne(s))" in result.output
    counts = {table: scalar(base, f"SELECT COUNT(*) FROM {table}") for table in TABLES}
    assert counts == {"service_social": 5, "unite": 5, "secteur": 46}
    types = dict(scalar_rows(base, "SELECT code, type FROM service_social"))
    assert types == {"DEP01": "departement", "CAF01": "caf", "CCAS-BSS": "ccas", "ASSO-RL": "association",
                     "SH-AS": "bailleur"}  # fmt: skip
    street = rows(base, "SELECT * FROM secteur WHERE voie = 'Rue Pasteur'")[0]
    assert (street["unite_code"], street["parite"], street["voie_cle"]) == ("MDS-N", "pair", "RUE PASTEUR")
    assert (street["ligne"], street["valide_du"], street["commune_cle"]) == (18, "2016-01-01", "BOURGSURSARRE")


def test_reimporting_the_same_table_changes_nothing_and_is_journalled(
    exploc: Invoke, base: Path, samples: Path
) -> None:
    assert exploc("services", "importer", _sample(samples)).exit_code == 0
    before = _content(base)
    again = exploc("services", "importer", "--json", _sample(samples))
    assert again.exit_code == 0, again.output
    report = json.loads(again.stdout)
    assert report["inchangee"] is True and report["secteurs"] == 46 and report["communes"] == 40
    assert _content(base) == before
    journal = _journal(base)
    assert len(journal) == 2
    entry = journal[0]
    assert entry["commande"].startswith("exploc services importer") and entry["nb_lignes"] == 50
    assert entry["chemin"].endswith("sectorisation.csv") and len(entry["sha256"]) == 64
    details = json.loads(entry["details"])
    assert details == {"lignes": 50, "services": 5, "unites": 5, "communes": 40, "voies": 6, "secteurs": 46,
                       "inchangee": False}  # fmt: skip


def test_a_new_table_replaces_the_old_one_and_assignments_keep_their_codes(
    exploc: Invoke, base: Path, samples: Path, write_file: Callable[..., Path]
) -> None:
    assert exploc("services", "importer", _sample(samples)).exit_code == 0
    with writing(base) as connection:
        connection.execute("INSERT INTO menage (id, cree_le, statut) VALUES (1, '2026-01-01 00:00:00', 'ouvert')")
        connection.execute(
            "INSERT INTO affectation (menage_id, statut, service_code, unite_code, origine, horodatage, utilisateur, "
            "courante) VALUES (1, 'affecte', 'DEP01', 'MDS-S', 'regle', '2026-01-01 00:00:00', 'test', TRUE)"
        )
    table = write_file("nouvelle.csv", "\r\n".join([HEADER, f"{CENTRE};{BOURG};;;01/01/2027;"]) + "\r\n", "utf-8-sig")
    result = exploc("services", "importer", str(table))
    assert result.exit_code == 0, result.output
    assert "1 service(s), 1 unité(s), 1 commune(s), 0 voie(s)" in result.output
    assert scalar(base, "SELECT COUNT(*) FROM secteur") == 1
    assert scalar(base, "SELECT unite_code FROM affectation") == "MDS-S"


def test_list_services_units_and_communes(exploc: Invoke, samples: Path) -> None:
    empty = exploc("services", "lister")
    assert empty.exit_code == 0 and "Aucune sectorisation" in empty.output
    assert exploc("services", "importer", _sample(samples)).exit_code == 0
    result = exploc("services", "lister")
    assert result.exit_code == 0, result.output
    for text in ("Département du Val-de-Sarre (DEP01)", "MDS Nord (MDS-N)", "voie(s)", "CAF - Service social (CAF01)",
                 "Sarre Habitat - Accompagnement social", "depuis le 01/01/2016"):  # fmt: skip
        assert text in result.output, text
    listing = json.loads(exploc("services", "lister", "--json").stdout)
    assert [s["code"] for s in listing] == ["ASSO-RL", "CAF01", "CCAS-BSS", "DEP01", "SH-AS"]
    departement = listing[3]
    assert [u["code"] for u in departement["unites"]] == ["MDS-C", "MDS-E", "MDS-N", "MDS-O", "MDS-S"]
    nord = departement["unites"][2]["secteurs"]
    assert {"commune": "Bourg-sur-Sarre (01110)", "code_insee": "01110", "voie": "Avenue Jacques Prévert",
            "numeros": "n° 1 à 99", "valide_du": "2016-01-01", "valide_au": None} in nord  # fmt: skip


BAD_TABLES: dict[str, tuple[list[str], list[str]]] = {
    "colonne manquante": (
        ["Code service;Service;Code unité;Unité;Code INSEE;Commune", "DEP01;Département;MDS-C;MDS Centre;01110;Bourg"],
        ["ligne 1 (en-tête)", "colonne(s) obligatoire(s) manquante(s) : « Type service »"],
    ),
    "type inconnu": (
        [HEADER, f"{CENTRE};{BOURG}", "CAF01;CAF - Service social;Mairie"],
        ["ligne 3, colonne « Type service » : type de service inconnu « Mairie »"],
    ),
    "date invalide": (
        [HEADER, f"{CENTRE};{BOURG};;;31/02/2024;"],
        ["ligne 2, colonne « Valide du » : date invalide « 31/02/2024 »"],
    ),
    "fin avant début": (
        [HEADER, f"{CENTRE};{BOURG};;;01/01/2026;31/12/2025"],
        ["ligne 2, colonne « Valide au » : la fin de validité précède son début"],
    ),
    "unité de deux services": (
        [HEADER, f"{CENTRE};{BOURG}", "CAF01;CAF - Service social;CAF;MDS-C;MDS Centre;MDS;01205;Montbrévin"],
        ["ligne 3, colonne « Code unité » : l'unité MDS-C est rattachée au service DEP01 ligne 2 et au service "
         "CAF01 ici"],
    ),
    "commune couverte deux fois": (
        [HEADER, f"{CENTRE};{BOURG};;;01/01/2016;", f"{NORD};01110;BOURG SUR SARRE;;;01/01/2020;"],
        ["ligne 3, colonne « Commune » : la commune BOURG SUR SARRE (01110) est couverte à la fois par les unités "
         "MDS-C (ligne 2) et MDS-N du service Département du Val-de-Sarre", "sans voie qui les distingue"],
    ),
    "numéros qui se chevauchent": (
        [HEADER, f"{CENTRE};{BOURG};Rue des Lilas;1-99", f"{NORD};{BOURG};r. des lilas;51-151"],
        ["ligne 3, colonne « Numéros » : la voie « r. des lilas » à Bourg-sur-Sarre (01110) est couverte à la "
         "fois par les unités MDS-C (ligne 2) et MDS-N"],
    ),
    "numéros illisibles": (
        [HEADER, f"{CENTRE};{BOURG};Rue des Lilas;côté gauche"],
        ["ligne 2, colonne « Numéros » : numéros illisibles « côté gauche »"],
    ),
    "numéros sans voie": (
        [HEADER, f"{CENTRE};{BOURG};;1-99"],
        ["ligne 2, colonne « Numéros » : des numéros sans voie"],
    ),
    "code INSEE invalide": (
        [HEADER, f"{CENTRE};ABCDE;Bourg-sur-Sarre"],
        ["ligne 2, colonne « Code INSEE » : code INSEE invalide « ABCDE »"],
    ),
    "commune sans unité": (
        [HEADER, f"DEP01;Département du Val-de-Sarre;Département;;;;{BOURG}"],
        ["ligne 2, colonne « Code unité » : commune sans unité"],
    ),
    "unité sans commune": (
        [HEADER, f"{CENTRE};;"],
        ["ligne 2, colonne « Commune » : l'unité MDS-C ne couvre aucune commune"],
    ),
    "unité sans code": (
        [HEADER, f"DEP01;Département du Val-de-Sarre;Département;;MDS Centre;MDS;{BOURG}"],
        ["ligne 2, colonne « Code unité » : l'unité « MDS Centre » n'a pas de code"],
    ),
    "code service manquant": (
        [HEADER, ";CAF - Service social;CAF"],
        ["ligne 2, colonne « Code service » : code du service manquant"],
    ),
    "deux noms pour un service": (
        [HEADER, f"{CENTRE};{BOURG}", "DEP01;Conseil départemental;Département;MDS-N;MDS Nord;MDS;01205;Montbrévin"],
        ["ligne 3, colonne « Service » : le service DEP01 s'appelle « Département du Val-de-Sarre » ligne 2 et "
         "« Conseil départemental » ici"],
    ),
    "service sans nom": (
        [HEADER, "CAF01;;CAF"],
        ["ligne 2, colonne « Service » : le service CAF01 n'a de nom sur aucune ligne"],
    ),
    "colonne en double": (
        [HEADER + ";Ville", f"{CENTRE};{BOURG};;;;;Bourg"],
        ["ligne 1 (en-tête) : les colonnes « Commune » et « Ville » désignent toutes deux « Commune »"],
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(BAD_TABLES))
def test_a_bad_table_is_refused_whole_with_the_row_and_column(
    case: str, exploc: Invoke, base: Path, samples: Path, write_file: Callable[..., Path]
) -> None:
    assert exploc("services", "importer", _sample(samples)).exit_code == 0
    before = _content(base)
    lines, fragments = BAD_TABLES[case]
    path = write_file("secteurs_errones.csv", "\r\n".join(lines) + "\r\n", "cp1252")
    result = exploc("services", "importer", str(path))
    assert result.exit_code == 3, result.output
    assert "Traceback" not in result.output
    assert f"{path} : " in result.stderr and "rien n'a été importé" in result.stderr
    for fragment in fragments:
        assert fragment in result.stderr, result.stderr
    assert _content(base) == before
    assert len(_journal(base)) == 1


def test_every_error_is_reported_at_once(exploc: Invoke, base: Path, write_file: Callable[..., Path]) -> None:
    path = write_file("secteurs.csv", "\r\n".join([
        "Sectorisation du Val-de-Sarre",  # a title row above the header
        HEADER,
        f"{CENTRE};{BOURG};;;01/13/2024;",
        "CAF01;CAF - Service social;Mairie",
        f"{NORD};01205;Montbrévin;Rue Pasteur;abc",
    ]) + "\r\n")  # fmt: skip
    result = exploc("services", "importer", str(path))
    assert result.exit_code == 3
    assert "3 erreur(s) dans le tableau de sectorisation, rien n'a été importé" in result.stderr
    for fragment in (
        "ligne 3, colonne « Valide du »",
        "ligne 4, colonne « Type service »",
        "ligne 5, colonne « Numéros »",
    ):
        assert fragment in result.stderr
    assert all(scalar(base, f"SELECT COUNT(*) FROM {table}") == 0 for table in TABLES)
    assert _journal(base) == []


def test_a_missing_file_is_refused(exploc: Invoke, tmp_path: Path) -> None:
    result = exploc("services", "importer", str(tmp_path / "absent.csv"))
    assert result.exit_code == 3 and "absent.csv : fichier introuvable" in result.stderr
