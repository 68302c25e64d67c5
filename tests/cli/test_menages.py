"""``exploc menages``: linking through the CLI, decisions that survive relinking, finding and following."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from tests.conftest import Invoke
from tests.helpers import CAF_HEADER, caf_line, csv_text, rows, scalar

HUISSIER_HEADER = (
    "Référence acte;Type d'acte;Date acte;Locataire;Adresse;Code postal;Commune;Bailleur;Loyer mensuel;"
    "Montant dette;Type bailleur;Date du bail;Charges;Date audience;Décision"
)


def huissier_line(reference: str, acte: str, day: str, locataire: str, adresse: str = "12 rue Victor Hugo") -> str:
    return ";".join(
        [reference, acte, day, locataire, adresse, "01000", "Bourg-sur-Sarre", "Logis du Val", "500,00",
         "2 500,00", "PM", "01/02/2015", "50,00", "", ""]
    )  # fmt: skip


def _import(exploc: Invoke, write_file: Callable[..., Path], name: str, header: str, lines: list[str]) -> None:
    result = exploc("importer", str(write_file(name, csv_text(header, lines))))
    assert result.exit_code == 0, result.output


def _groups(base: Path) -> dict[str, int]:
    """Signalement reference → ménage number."""
    return {r["reference"]: r["menage_id"] for r in rows(base, "SELECT reference, menage_id FROM signalement")}


def test_import_links_across_sources_and_reports_it(
    exploc: Invoke, write_file: Callable[..., Path], base: Path
) -> None:
    result = exploc(
        "importer",
        str(
            write_file(
                "caf.csv",
                csv_text(
                    CAF_HEADER,
                    [
                        caf_line("S-1", "0123456", "LEFÈVRE", "Éloïse", naissance="02/05/1975"),
                        caf_line("S-2", "0999999", "MARTIN", "Paul", adresse="40 rue Victor Hugo"),
                    ],
                ),
            )
        ),
    )
    assert result.exit_code == 0, result.output
    assert "Ménages : 2 signalement(s) regroupé(s), 2 nouveau(x) ménage(s)" in result.output
    # the huissier writes her name without accents, with a civility, a month later
    _import(exploc, write_file, "cdp.csv", HUISSIER_HEADER, [
        huissier_line("D25-1", "Commandement de payer", "15/12/2025", "Mme Eloise LEFEVRE"),
    ])  # fmt: skip
    groups = _groups(base)
    assert groups["D25-1"] == groups["S-1"] == 1 and groups["S-2"] == 2
    explained = json.loads(exploc("menages", "expliquer", "1", "--json").stdout)
    methods = {s["signalement"]: s for s in explained["signalements"]}
    assert [s["methode"] for s in explained["signalements"]] == ["premier", "score"]
    linked = next(s for s in methods.values() if s["methode"] == "score")
    assert "même nom" in linked["preuves"] and "même adresse" in linked["preuves"]
    text_output = exploc("menages", "expliquer", "1").stdout
    assert "rattaché au signalement" in text_output and "preuves :" in text_output


def test_decisions_survive_a_full_relink_and_numbers_stay(
    exploc: Invoke, write_file: Callable[..., Path], base: Path
) -> None:
    _import(exploc, write_file, "caf.csv", CAF_HEADER, [
        caf_line("S-1", "0000001", "DUPONT", "Jean", date="01/10/2025"),
        caf_line("S-2", "", "DUPONT", "Jean", date="01/11/2025", naissance=""),
        caf_line("S-3", "0000003", "KOWALSKI", "Anna", date="01/12/2025", adresse="3 rue Neuve"),
    ])  # fmt: skip
    before = _groups(base)
    assert before["S-1"] == before["S-2"] == 1 and before["S-3"] == 2
    s2 = scalar(base, "SELECT id FROM signalement WHERE reference = 'S-2'")
    result = exploc("menages", "separer", "1", str(s2), "--motif", "homonyme", "--json")
    assert result.exit_code == 0, result.output
    after_split = _groups(base)
    assert after_split["S-1"] == 1 and after_split["S-2"] not in (1, 2)  # the earliest part keeps number 1
    result = exploc("menages", "fusionner", "2", str(after_split["S-2"]), "--motif", "même ménage", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["menages"] == [2]  # the older number survives
    decided = _groups(base)
    assert decided["S-2"] == decided["S-3"] == 2 and decided["S-1"] == 1
    assert exploc("menages", "lier", "--tout").exit_code == 0
    assert _groups(base) == decided
    actions = [r["action"] for r in rows(base, "SELECT action FROM journal ORDER BY id")]
    assert "menages_separation" in actions and "menages_fusion" in actions
    # the latest decision wins: separating again undoes the fusion, still after a relink
    assert exploc("menages", "separer", "2", str(s2)).exit_code == 0
    assert exploc("menages", "lier", "--tout").exit_code == 0
    final = _groups(base)
    # S-2 (November) is ménage 2's earliest report: its part keeps the number
    assert final["S-2"] == 2 and final["S-3"] not in (1, 2) and final["S-1"] == 1
    # a merged number leads to the ménage it merged into
    shown = json.loads(exploc("menages", "expliquer", str(after_split["S-2"]), "--json").stdout)
    assert shown["menage"] == 2


def test_review_queue_and_distinguer(exploc: Invoke, write_file: Callable[..., Path], base: Path) -> None:
    # the same common name and first name elsewhere in the commune, no birth date: a human decides
    _import(exploc, write_file, "cdp.csv", HUISSIER_HEADER, [
        huissier_line("D25-1", "Commandement de payer", "15/10/2025", "M. Yannis MARTIN", "3 rue Neuve"),
        huissier_line("D25-2", "Commandement de payer", "15/11/2025", "M. Yannis MARTIN", "8 rue Haute"),
    ])  # fmt: skip
    groups = _groups(base)
    assert groups["D25-1"] != groups["D25-2"]
    queue = json.loads(exploc("menages", "a-verifier", "--json").stdout)
    assert len(queue) == 1 and {queue[0]["a"]["menage"], queue[0]["b"]["menage"]} == {1, 2}
    assert "3 RUE NEUVE" in queue[0]["a"]["adresse"].upper() + queue[0]["b"]["adresse"].upper()
    listing = exploc("menages", "a-verifier").stdout
    assert "Ménages 1 et 2" in listing and "MARTIN" in listing
    assert exploc("menages", "distinguer", "1", "2", "--motif", "pas la même personne").exit_code == 0
    assert json.loads(exploc("menages", "a-verifier", "--json").stdout) == []
    assert exploc("menages", "lier", "--tout").exit_code == 0
    assert json.loads(exploc("menages", "a-verifier", "--json").stdout) == []
    assert _groups(base) == groups


def test_incremental_linking_is_what_a_full_relink_gives(
    exploc: Invoke, write_file: Callable[..., Path], base: Path, samples: Path
) -> None:
    for path in sorted(samples.glob("*.csv")):
        assert exploc("importer", str(path)).exit_code in (0, 5)  # 5: a few rows rejected on purpose
    before = rows(base, "SELECT id, menage_id FROM signalement ORDER BY id")
    assert exploc("menages", "lier", "--tout").exit_code == 0
    after = rows(base, "SELECT id, menage_id FROM signalement ORDER BY id")
    assert before == after  # the same grouping, and the same numbers


def test_chercher_noter_clore_and_reopening(exploc: Invoke, write_file: Callable[..., Path], base: Path) -> None:
    _import(exploc, write_file, "caf.csv", CAF_HEADER, [
        caf_line("S-1", "0123456", "LEFÈVRE", "Éloïse", date="01/10/2025"),
        caf_line("S-2", "0000002", "DURAND", "Paul", adresse="3 rue Neuve"),
    ])  # fmt: skip
    found = json.loads(exploc("menages", "chercher", "lefevbre", "eloise", "--json").stdout)
    assert [hit["menage"] for hit in found] == [1]  # accents, case and a typo
    assert json.loads(exploc("menages", "chercher", "Lefèvre", "--json").stdout)[0]["menage"] == 1
    assert json.loads(exploc("menages", "chercher", "inconnu", "--json").stdout) == []
    note = json.loads(exploc("menages", "noter", "1", "Rendez-vous CCAS le 12/01", "--json").stdout)
    assert note["menage"] == 1 and note["id"]
    bad = exploc("menages", "clore", "1", "--motif", "vacances")
    assert bad.exit_code != 0 and "Motif de clôture inconnu" in bad.output and "relogement" in bad.output
    assert exploc("menages", "clore", "1", "--motif", "Départ", "--le", "15/10/2025").exit_code == 0
    assert scalar(base, "SELECT statut FROM menage WHERE id = 1") == "clos"
    # a report dated after the closing reopens the parcours
    _import(exploc, write_file, "caf2.csv", CAF_HEADER, [
        caf_line("S-3", "0123456", "LEFEVRE", "Eloise", date="01/12/2025"),
    ])  # fmt: skip
    assert scalar(base, "SELECT statut FROM menage WHERE id = 1") == "ouvert"
    notes = [r["texte"] for r in rows(base, "SELECT texte FROM note WHERE menage_id = 1 ORDER BY id")]
    assert notes[0] == "Rendez-vous CCAS le 12/01" and "clos le 15/10/2025" in notes[1]
    assert notes[2].startswith("Parcours rouvert")
    missing = exploc("menages", "noter", "99", "x")
    assert missing.exit_code != 0 and "Ménage 99 introuvable" in missing.output


def test_cancelling_a_batch_relinks_the_households_it_touched(
    exploc: Invoke, write_file: Callable[..., Path], base: Path
) -> None:
    _import(exploc, write_file, "caf.csv", CAF_HEADER, [caf_line("S-1", "0123456", "DUPONT", "Jean")])
    # a bridging row: names the couple, links Jean and Marie (same dwelling, same surname)
    _import(exploc, write_file, "cdp.csv", HUISSIER_HEADER, [
        huissier_line("D25-1", "Commandement de payer", "15/12/2025", "M. et Mme DUPONT Jean et Marie"),
    ])  # fmt: skip
    assert len(set(_groups(base).values())) == 1
    lot = scalar(base, "SELECT id FROM lot WHERE fichier = 'cdp.csv'")
    assert exploc("lots", "annuler", str(lot)).exit_code == 0
    assert _groups(base) == {"S-1": 1}
    assert exploc("importer", "--sans-liaison", str(write_file("caf2.csv", csv_text(CAF_HEADER, [
        caf_line("S-9", "0999999", "ZOLA", "Emile", adresse="5 rue Haute"),
    ])))).exit_code == 0  # fmt: skip
    assert _groups(base)["S-9"] is None
    assert json.loads(exploc("menages", "lier", "--json").stdout)["nouveaux_signalements"] == 1
    assert _groups(base)["S-9"] == 2
