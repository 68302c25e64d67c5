"""``exploc seances`` (sessions, ordre du jour, decision sheet) and ``exploc suivi``, end to end."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path

import openpyxl

from tests.cli.test_menages_parcours import HUISSIER_HEADER, _import, fr, huissier_line, three_households
from tests.conftest import Invoke
from tests.helpers import rows, scalar


def _create(exploc: Invoke, when: int = 10, instance: str = "CCAPEX centrale") -> int:
    result = exploc("seances", "creer", "--date", fr(when), "--instance", instance, "--heure", "14h", "--json")
    assert result.exit_code == 0, result.output
    return int(json.loads(result.stdout)["seance"])


def _agenda(exploc: Invoke, seance: int) -> list[dict[str, object]]:
    result = exploc("seances", "afficher", str(seance), "--json")
    assert result.exit_code == 0, result.output
    return list(json.loads(result.stdout)["ordre_du_jour"])


def test_a_session_gets_its_households_by_hand_and_by_criteria(
    exploc: Invoke, write_file: Callable[..., Path], base: Path
) -> None:
    numbers = three_households(exploc, write_file, base)
    seance = _create(exploc, instance="ccapex locale Bresse")
    assert rows(base, "SELECT instance, heure FROM seance") == [{"instance": "CCAPEX locale Bresse", "heure": "14:00"}]

    by_hand = exploc("seances", "ajouter", str(seance), str(numbers["A"]), "--motif", "Signalé par le bailleur")
    assert by_hand.exit_code == 0, by_hand.output
    # a simulation shows the selection and writes nothing
    preview = exploc("seances", "ajouter", str(seance), "--etape", "cql", "--simulation", "--json")
    assert preview.exit_code == 0, preview.output
    assert [a["menage"] for a in json.loads(preview.stdout)["ajoutes"]] == [numbers["B"]]
    assert scalar(base, "SELECT COUNT(*) FROM inscription") == 1
    # by criteria: every open ménage with a debt of 2,000 € or more, the most advanced stage first
    selected = exploc("seances", "ajouter", str(seance), "--dette-min", "2000", "--json")
    assert selected.exit_code == 0, selected.output
    report = json.loads(selected.stdout)
    assert [a["menage"] for a in report["ajoutes"]] == [numbers["B"]]
    assert report["deja_inscrits"] == [numbers["A"]]
    assert "commandement de quitter les lieux" in report["ajoutes"][0]["motif"].lower()

    agenda = _agenda(exploc, seance)
    assert [(a["rang"], a["menage"]) for a in agenda] == [(1, numbers["A"]), (2, numbers["B"])]
    assert agenda[0]["motif"] == "Signalé par le bailleur" and agenda[0]["titulaire"] == "Mme LEFEVRE Eloise"
    text = exploc("seances", "afficher", str(seance)).stdout
    assert "CCAPEX locale Bresse du " + fr(10) in text and "Signalé par le bailleur" in text

    listed = json.loads(exploc("seances", "lister", "--json").stdout)
    assert listed == [
        {"seance": seance, "date": (date.today() + timedelta(days=10)).isoformat(), "instance": "CCAPEX locale Bresse",
         "lieu": None, "heure": "14:00", "menages": 2, "avis": 0}
    ]  # fmt: skip
    # taking one off closes up the ranks; every step is journaled with numbers, never names
    assert exploc("seances", "retirer", str(seance), str(numbers["A"])).exit_code == 0
    assert [(a["rang"], a["menage"]) for a in _agenda(exploc, seance)] == [(1, numbers["B"])]
    actions = [r["action"] for r in rows(base, "SELECT action FROM journal WHERE action LIKE 'seance%' ORDER BY id")]
    assert actions == ["seance_creer", "seance_ajouter", "seance_ajouter", "seance_retirer"]
    assert "LEFEVRE" not in json.dumps(rows(base, "SELECT * FROM journal"), default=str)


def test_bad_session_input_is_refused_in_french(exploc: Invoke, write_file: Callable[..., Path], base: Path) -> None:
    bad_instance = exploc("seances", "creer", "--date", fr(5), "--instance", "commission du jeudi")
    assert bad_instance.exit_code == 3 and "CCAPEX locale <nom>" in bad_instance.output
    bad_date = exploc("seances", "creer", "--date", "31/02/2026")
    assert bad_date.exit_code == 2 and "JJ/MM/AAAA" in bad_date.output
    unknown = exploc("seances", "ajouter", "99", "1")
    assert unknown.exit_code == 3 and "Séance n° 99 introuvable" in unknown.output
    seance = _create(exploc)
    nothing = exploc("seances", "ajouter", str(seance))
    assert nothing.exit_code == 2 and "critères" in nothing.output
    no_menage = exploc("seances", "ajouter", str(seance), "424242")
    assert no_menage.exit_code == 3 and "424242" in no_menage.output
    assert scalar(base, "SELECT COUNT(*) FROM inscription") == 0


def _fill(path: Path, decisions: dict[int, list[object]], *, statuts: dict[int, str] | None = None) -> None:
    """Fill the Décisions sheet by ménage (values from the « Avis » column on), sorted backwards first
    (the hidden reference must keep each row with its ménage)."""
    workbook = openpyxl.load_workbook(path)
    sheet = workbook["Décisions"]
    headers = [c.value for c in sheet[1]]
    body = [list(r) for r in sheet.iter_rows(min_row=2, values_only=True)]
    body.reverse()
    for index, values in enumerate(body, start=2):
        menage = values[headers.index("Ménage")]
        for offset, value in enumerate(decisions.get(int(menage), [])):
            values[headers.index("Avis") + offset] = value
        for column, value in enumerate(values, start=1):
            sheet.cell(row=index, column=column, value=value)
    if statuts:
        suivi = workbook["Suivi"]
        for row in suivi.iter_rows(min_row=2):
            reference = row[0].value
            if reference and int(str(reference)[1:]) in statuts:
                row[8].value = statuts[int(str(reference)[1:])]
    workbook.save(path)


def test_decisions_round_trip_follow_up_and_reexamen(
    exploc: Invoke, write_file: Callable[..., Path], base: Path, tmp_path: Path
) -> None:
    numbers = three_households(exploc, write_file, base)
    a, b = numbers["A"], numbers["B"]
    seance = _create(exploc, when=-40)
    assert exploc("seances", "ajouter", str(seance), str(a), str(b)).exit_code == 0
    sheet = tmp_path / "decisions.xlsx"
    written = exploc("seances", "feuille-decisions", str(seance), "--sortie", str(sheet))
    assert written.exit_code == 0, written.output
    assert sheet.stat().st_mode & 0o777 == 0o600
    book = openpyxl.load_workbook(sheet)
    decisions = book["Décisions"]
    assert decisions.column_dimensions["A"].hidden is True
    lists = [v.formula1 for v in decisions.data_validations.dataValidation]
    assert any("Listes!$A$2" in f for f in lists) and any("Listes!$B$2" in f for f in lists)
    assert "Bailleur — Proposer un plan d'apurement" in [c.value for c in book["Listes"]["B"]]
    assert [r[2] for r in decisions.iter_rows(min_row=2, values_only=True)] == [a, b]

    due = datetime.combine(date.today() - timedelta(days=5), datetime.min.time())
    _fill(sheet, {
        a: ["Avis avec préconisations", "Plan d'apurement à proposer", datetime.combine(date.today() + timedelta(days=20), datetime.min.time()),
            "Bailleur — Proposer un plan d'apurement", "Sur 24 mois", due,
            "Locataire — Reprendre le paiement du loyer courant", None, None],
        b: ["Avis favorable au concours de la force publique", "", None],
    })  # fmt: skip
    for _ in range(2):  # reading the same sheet twice adds nothing
        saved = exploc("seances", "decisions", str(seance), "--fichier", str(sheet), "--json")
        assert saved.exit_code == 0, saved.output
        assert json.loads(saved.stdout)["avis"] == 2
    precos = rows(base, "SELECT numero, destinataire, type, texte, echeance, statut FROM preconisation ORDER BY numero")
    assert precos == [
        {"numero": 1, "destinataire": "bailleur", "type": "plan_apurement", "texte": "Sur 24 mois",
         "echeance": due.date().isoformat(), "statut": "a_faire"},
        {"numero": 2, "destinataire": "locataire", "type": "reprise_loyer", "texte": None, "echeance": None,
         "statut": "a_faire"},
    ]  # fmt: skip
    agenda = _agenda(exploc, seance)
    assert agenda[0]["avis"] == "preconisations" and agenda[1]["avis"] == "cfp_favorable"

    # suivi: the overdue préconisation, and the réexamen due within 30 days
    follow = json.loads(exploc("suivi", "--json").stdout)
    assert [(p["menage"], p["type"], p["en_retard"]) for p in follow["preconisations"]] == [(a, "plan_apurement", True)]
    assert [r["menage"] for r in follow["reexamens"]] == [a]
    assert "en retard de 5 jour(s)" in exploc("suivi").stdout

    # a new act after the session, with préconisations still to do, raises an alert
    _import(exploc, write_file, "actes2.csv", HUISSIER_HEADER, [
        huissier_line("D-A", "Jugement", -3, "Mme Eloise LEFEVRE", dette="3 200,00"),
    ])  # fmt: skip
    alerts = {x["code"]: x for x in json.loads(exploc("menages", "afficher", str(a), "--json").stdout)["alertes"]}
    assert (
        "acte_apres_preconisation" in alerts
        and "2 préconisation(s) encore à faire" in alerts["acte_apres_preconisation"]["preuve"]
    )
    listed = json.loads(exploc("menages", "lister", "--alerte", "acte_apres_preconisation", "--json").stdout)
    assert [m["menage"] for m in listed] == [a]

    # the next session proposes the réexamen, and its sheet carries the earlier préconisations to follow
    following = _create(exploc, when=25)
    proposed = json.loads(exploc("seances", "ajouter", str(following), "--selection", "reexamen", "--json").stdout)
    assert [x["menage"] for x in proposed["ajoutes"]] == [a] and "Réexamen prévu le" in proposed["ajoutes"][0]["motif"]
    second = tmp_path / "decisions2.xlsx"
    assert exploc("seances", "feuille-decisions", str(following), "--sortie", str(second)).exit_code == 0
    suivi = [r for r in openpyxl.load_workbook(second)["Suivi"].iter_rows(min_row=2, values_only=True)]
    assert [(r[1], r[8]) for r in suivi] == [(a, "À faire"), (a, "À faire")]
    first_id = int(str(suivi[0][0])[1:])
    _fill(second, {}, statuts={first_id: "Réalisée"})
    assert exploc("seances", "decisions", str(following), "--fichier", str(second)).exit_code == 0
    assert scalar(base, "SELECT statut FROM preconisation WHERE id = ?", first_id) == "realisee"
    # and by hand
    other = scalar(base, "SELECT id FROM preconisation WHERE id <> ?", first_id)
    changed = exploc("suivi", "statut", str(other), "non réalisée", "--note", "Pas de reprise")
    assert changed.exit_code == 0, changed.output
    assert scalar(base, "SELECT statut FROM preconisation WHERE id = ?", other) == "non_realisee"
    assert "acte_apres_preconisation" not in exploc("menages", "afficher", str(a), "--json").stdout


def test_a_wrong_decision_sheet_saves_nothing_and_says_where(
    exploc: Invoke, write_file: Callable[..., Path], base: Path, tmp_path: Path
) -> None:
    numbers = three_households(exploc, write_file, base)
    seance = _create(exploc, when=-5)
    assert exploc("seances", "ajouter", str(seance), str(numbers["A"]), str(numbers["B"])).exit_code == 0
    sheet = tmp_path / "decisions.xlsx"
    assert exploc("seances", "feuille-decisions", str(seance), "--sortie", str(sheet)).exit_code == 0
    _fill(sheet, {
        numbers["A"]: ["Avis très favorable", "", "31/02/2026"],
        numbers["B"]: ["Classement : situation réglée ou sans objet", "", None, "Bailleur — Repeindre la cage d'escalier"],
    })  # fmt: skip
    result = exploc("seances", "decisions", str(seance), "--fichier", str(sheet))
    assert result.exit_code == 3
    message = " ".join(result.output.split())
    assert "rien n'a été enregistré" in message
    assert "feuille « Décisions », ligne 3, colonne « Avis » : avis inconnu « Avis très favorable »" in message
    assert "colonne « Réexamen le » : date illisible « 31/02/2026 »" in message
    assert "colonne « Préconisation 1 » : préconisation inconnue" in message
    assert scalar(base, "SELECT COUNT(*) FROM inscription WHERE avis IS NOT NULL") == 0

    corrupt = tmp_path / "abime.xlsx"
    corrupt.write_bytes(sheet.read_bytes()[:500])
    broken = exploc("seances", "decisions", str(seance), "--fichier", str(corrupt))
    assert broken.exit_code == 3 and "abime.xlsx" in broken.output and "illisible" in broken.output
    other = _create(exploc, when=3)
    foreign = exploc("seances", "decisions", str(other), "--fichier", str(sheet))
    assert foreign.exit_code == 3 and "n'appartient pas à la séance" in " ".join(foreign.output.split())


def test_the_lists_follow_the_session_date_and_merged_households_follow_their_survivor(
    exploc: Invoke, write_file: Callable[..., Path], base: Path, tmp_path: Path
) -> None:
    numbers = three_households(exploc, write_file, base)
    a, b = numbers["A"], numbers["B"]
    # from 2027 the CCAPEX itself decides whether the aide au logement is kept (décret 2026-84)
    for when, expected in (("15/12/2026", False), ("11/01/2027", True)):
        created = exploc("seances", "creer", "--date", when, "--json")
        seance = json.loads(created.stdout)["seance"]
        assert exploc("seances", "ajouter", str(seance), str(a)).exit_code == 0
        sheet = tmp_path / f"s{seance}.xlsx"
        assert exploc("seances", "feuille-decisions", str(seance), "--sortie", str(sheet)).exit_code == 0
        offered = [c.value for c in openpyxl.load_workbook(sheet)["Listes"]["B"]]
        assert ("CAF / MSA — Décision de la CCAPEX : suspension de l'aide au logement" in offered) is expected
        assert ("CAF / MSA — Maintenir l'aide au logement (recommandation)" in offered) is not expected

    # a household examined in the last six months is left out by --non-examine-depuis 6
    recent = _create(exploc, when=-30)
    assert exploc("seances", "ajouter", str(recent), str(b)).exit_code == 0
    target = _create(exploc, when=20)
    proposed = exploc(
        "seances", "ajouter", str(target), "--dette-min", "100", "--non-examine-depuis", "6", "--simulation", "--json"
    )
    assert a in [x["menage"] for x in json.loads(proposed.stdout)["ajoutes"]]
    assert b not in [x["menage"] for x in json.loads(proposed.stdout)["ajoutes"]]

    # B merged into A: B's inscription shows as A, and typing B's number adds A
    merged = exploc("menages", "fusionner", str(a), str(b), "--motif", "même ménage")
    assert merged.exit_code == 0, merged.output
    survivor = min(a, b)
    assert [x["menage"] for x in _agenda(exploc, recent)] == [survivor]
    added = json.loads(exploc("seances", "ajouter", str(target), str(max(a, b)), "--json").stdout)
    assert [x["menage"] for x in added["ajoutes"]] == [survivor]
    assert added["numeros_fusionnes"] == {str(max(a, b)): survivor}


def test_a_limited_selection_is_the_head_of_the_whole_one(exploc: Invoke, samples: Path) -> None:
    """``--limite N`` keeps only the first N while reading (a region has 700,000 ménages): the same
    N, in the same order, as the whole selection cut after N."""
    assert exploc("importer", str(samples)).exit_code in (0, 5)
    seance = _create(exploc)

    def selected(*limit: str) -> list[tuple[int, str]]:
        result = exploc("seances", "ajouter", str(seance), "--dette-min", "500", *limit, "--simulation", "--json")
        assert result.exit_code == 0, result.output
        return [(a["menage"], a["motif"]) for a in json.loads(result.stdout)["ajoutes"]]

    whole = selected()
    assert len(whole) > 20
    for limit in (1, 7, 20):
        assert selected("--limite", str(limit)) == whole[:limit]
