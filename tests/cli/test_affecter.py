"""``exploc affecter``, ``exploc menages affecter`` and ``exploc regles``: assignment by rules, through the CLI."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from tests.conftest import Invoke
from tests.helpers import CAF_HEADER, caf_line, csv_text, rows, scalar

SECTORISATION = (
    "Code service;Service;Type service;Code unité;Unité;Type unité;Code INSEE;Commune;Voie;Numéros;Valide du\r\n"
    "DEP01;Département;Département;MDS-C;MDS Centre;MDS;;Bourg-sur-Sarre;;;01/01/2016\r\n"
    "DEP01;Département;Département;MDS-N;MDS Nord;MDS;;Bourg-sur-Sarre;Rue Pasteur;;01/01/2016\r\n"
    "CAF01;CAF - Service social;CAF;;;;;;;;\r\n"
)
HUISSIER_HEADER = "Référence acte;Type d'acte;Date acte;Locataire;Adresse;Code postal;Commune;Bailleur;Montant dette"

ALL_TO_CAF = """
version = "essai"
[[regle]]
id = "tout-caf"
description = "Tout à la CAF"
reference = "essai"
service = "CAF01"
"""


def _setup(exploc: Invoke, write_file: Callable[..., Path]) -> None:
    caf = [
        caf_line("S1", "1111111", "MARTIN", "Julie", enfants="2"),
        caf_line("S2", "2222222", "DURAND", "Paul", enfants="0", adresse="8 rue Pasteur"),
    ]
    for name, content in (
        ("sectorisation.csv", SECTORISATION),
        ("caf.csv", csv_text(CAF_HEADER, caf)),
        (
            "huissier.csv",
            csv_text(
                HUISSIER_HEADER,
                [
                    "H1;Commandement de payer;10/01/2026;M. Karim BENALI;3 rue des Lilas;"
                    "01000;Bourg-sur-Sarre;Logis du Val;1 500,00"
                ],
            ),  # fmt: skip
        ),
    ):
        path = write_file(name, content)
        command = ("services", "importer") if name.startswith("secto") else ("importer",)
        result = exploc(*command, str(path))
        assert result.exit_code == 0, result.output


def _menage(base: Path, reference: str) -> int:
    return int(scalar(base, "SELECT menage_id FROM signalement WHERE reference = ?", reference))


def test_simulation_writes_nothing_then_affecter_records_service_unit_rule_and_version(
    exploc: Invoke, write_file: Callable[..., Path], base: Path
) -> None:
    _setup(exploc, write_file)
    simulated = exploc("affecter", "--simulation", "--json")
    assert simulated.exit_code == 0, simulated.output
    plan = json.loads(simulated.output)
    assert scalar(base, "SELECT COUNT(*) FROM affectation") == 0
    by_menage = {c["menage"]: c for c in plan["changements"]}
    assert by_menage[_menage(base, "S1")]["apres"] == "CAF - Service social"
    assert by_menage[_menage(base, "S2")]["apres"] == "MDS Nord (Département)"  # rue Pasteur: its own sector
    assert by_menage[_menage(base, "H1")]["apres"] == "à trier"  # allocataire unknown: no guess
    assert plan["a_trier"] == 1

    applied = json.loads(exploc("affecter", "--json").output)
    assert applied["changements"] == plan["changements"]
    stored = {r["menage_id"]: r for r in rows(base, "SELECT * FROM affectation WHERE courante")}
    caf = stored[_menage(base, "S1")]
    assert (caf["service_code"], caf["regle_id"], caf["origine"]) == ("CAF01", "caf-avec-enfants", "regle")
    assert caf["version_regles"].startswith("charte-2023 (")
    assert stored[_menage(base, "S2")]["unite_code"] == "MDS-N"
    assert stored[_menage(base, "H1")]["statut"] == "a_trier"
    assert "allocataire" in stored[_menage(base, "H1")]["motif"]
    assert scalar(base, "SELECT COUNT(*) FROM journal WHERE action = 'affectation'") == 1

    again = json.loads(exploc("affecter", "--json").output)
    assert again["changements"] == []  # nothing changed: no new row
    assert scalar(base, "SELECT COUNT(*) FROM affectation") == 3
    table = {(t["service"], t["unite"]): t["menages"] for t in again["par_service"]}
    assert table[("CAF - Service social", "")] == 1 and table[("Département", "MDS Nord")] == 1


def test_a_manual_decision_survives_a_rule_change_and_the_simulation_shows_who_moves(
    exploc: Invoke, write_file: Callable[..., Path], base: Path
) -> None:
    _setup(exploc, write_file)
    assert exploc("affecter").exit_code == 0
    durand, benali = _menage(base, "S2"), _menage(base, "H1")
    manual = exploc("menages", "affecter", str(benali), "MDS-C", "--motif", "Connu de l'assistante de secteur")
    assert manual.exit_code == 0, manual.output
    assert "MDS Centre" in manual.output
    rules = write_file("regles.toml", ALL_TO_CAF)
    plan = json.loads(exploc("affecter", "--regles", str(rules), "--simulation", "--json").output)
    moves = {c["menage"]: (c["avant"], c["apres"]) for c in plan["changements"]}
    assert moves[durand] == ("MDS Nord (Département)", "CAF - Service social")
    assert benali not in moves and plan["decisions_manuelles_conservees"] == 1
    assert exploc("affecter", "--regles", str(rules)).exit_code == 0
    current = {r["menage_id"]: r for r in rows(base, "SELECT * FROM affectation WHERE courante")}
    assert current[benali]["origine"] == "manuel" and current[benali]["unite_code"] == "MDS-C"
    assert current[durand]["service_code"] == "CAF01"
    history = rows(base, "SELECT unite_code, courante FROM affectation WHERE menage_id = ? ORDER BY id", durand)
    assert [(h["unite_code"], h["courante"]) for h in history] == [("MDS-N", 0), (None, 1)]


def test_manual_assignment_needs_a_known_service_and_a_motif(
    exploc: Invoke, write_file: Callable[..., Path], base: Path
) -> None:
    _setup(exploc, write_file)
    unknown = exploc("menages", "affecter", str(_menage(base, "S1")), "MDS-XYZ", "--motif", "essai")
    assert unknown.exit_code == 3
    assert "MDS-XYZ" in unknown.output and "CAF01" in unknown.output
    empty = exploc("menages", "affecter", str(_menage(base, "S1")), "CAF01", "--motif", " ")
    assert empty.exit_code == 3 and "motif" in empty.output
    assert scalar(base, "SELECT COUNT(*) FROM affectation") == 0


def test_regles_expliquer_says_which_rule_fired_and_why_the_others_did_not(
    exploc: Invoke, write_file: Callable[..., Path], base: Path
) -> None:
    _setup(exploc, write_file)
    result = exploc("regles", "expliquer", str(_menage(base, "S2")))
    assert result.exit_code == 0, result.output
    assert "suivi-en-cours : déjà suivi par un service social = oui : non" in result.output
    assert "caf-avec-enfants : enfants à charge ≥ 1 : non (valeur : 0)" in result.output
    assert "Résultat : MDS Nord (Département)" in result.output and "Rue Pasteur" in result.output
    unknown = json.loads(exploc("regles", "expliquer", str(_menage(base, "H1")), "--json").output)
    assert unknown["resultat"] == "à trier" and unknown["etapes"][-1]["statut"] == "inconnu"


def test_regles_verifier_lists_every_error_with_its_line(exploc: Invoke, write_file: Callable[..., Path]) -> None:
    assert exploc("regles", "verifier").exit_code == 0
    broken = write_file(
        "regles.toml",
        'version = "x"\n'
        "[[regle]]\n"
        'id = "a"\n'
        'description = "d"\n'
        'reference = "r"\n'
        'si = { allocataire = "oui", enfants = 1 }\n'
        'service = { type = "prefecture" }\n'
        "[[regle]]\n"
        'id = "a"\n'
        'description = "d"\n'
        'reference = "r"\n'
        "si = { dette = { au_mois = 5000 } }\n"
        'valide_du = "2026-01-01"\n'
        'service = "CAF01"\n',
    )
    result = exploc("regles", "verifier", str(broken))
    assert result.exit_code == 3
    out = result.output
    assert "ligne 6, règle « a » : « allocataire » : true ou false attendu" in out
    assert "ligne 6, règle « a » : condition sur « enfants » inconnue" in out
    assert "ligne 7, règle « a » : « service » : type « prefecture » inconnu" in out
    assert "ligne 12, règle « a » : « dette » : opérateur « au_mois » inconnu" in out
    assert "ligne 13, règle « a » : « valide_du » : date attendue sans guillemets" in out
    syntax = write_file("syntaxe.toml", 'version = "x"\n[[regle]]\nid = "a\n')
    bad = exploc("regles", "verifier", str(syntax))
    assert bad.exit_code == 3 and "ligne 3" in bad.output and "syntaxe TOML invalide" in bad.output


def test_regles_tester_runs_the_shipped_cases_and_fails_on_a_wrong_expectation(
    exploc: Invoke, write_file: Callable[..., Path], samples: Path
) -> None:
    shipped = exploc("regles", "tester")
    assert shipped.exit_code == 0, shipped.output
    assert "11 cas réussi(s) sur 11" in shipped.output
    table = samples / "referentiel" / "sectorisation.csv"
    cases = write_file(
        "cas.toml",
        f'sectorisation = "{table.as_posix()}"\n'
        "[[cas]]\n"
        'nom = "faux"\n'
        "menage = { allocataire = true, enfants_a_charge = 3 }\n"
        'attendu = { service = "DEP01" }\n',
    )
    failed = exploc("regles", "tester", str(cases))
    assert failed.exit_code == 1
    assert "[ÉCHEC] faux" in failed.output and "service : attendu DEP01, obtenu CAF01" in failed.output


def test_regles_copier_puts_the_rules_in_force_in_the_configuration_folder(exploc: Invoke) -> None:
    copied = exploc("regles", "copier")
    assert copied.exit_code == 0, copied.output
    path = Path(copied.output.split("Règles copiées : ")[1].split("\n")[0].strip())
    assert path.name == "regles_affectation.toml" and path.exists()
    assert str(path) in exploc("regles", "verifier").output.replace("\n", "")
    assert exploc("regles", "copier").exit_code == 3  # never overwritten
