"""``exploc menages afficher``, ``exploc menages lister`` and ``exploc exporter menages``.

Dates are relative to today: the parcours, its deadlines and its alerts are computed on the day
the command runs.
"""

from __future__ import annotations

import csv
import hashlib
import json
import stat
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import openpyxl

from tests.conftest import Invoke
from tests.helpers import CAF_HEADER, caf_line, csv_text, rows, scalar

HUISSIER_HEADER = (
    "Référence acte;Type d'acte;Date acte;Locataire;Adresse;Code postal;Commune;Bailleur;Loyer mensuel;"
    "Montant dette;Type bailleur;Date du bail;Charges;Date audience;Décision"
)


def day(offset: int) -> date:
    return date.today() + timedelta(days=offset)


def fr(offset: int) -> str:
    return f"{day(offset):%d/%m/%Y}"


def huissier_line(
    reference: str,
    acte: str,
    when: int,
    locataire: str,
    *,
    dette: str,
    adresse: str = "12 rue Victor Hugo",
    cp: str = "01000",
    commune: str = "Bourg-sur-Sarre",
    bailleur: str = "Logis du Val",
    type_bailleur: str = "PM",
    audience: int | None = None,
) -> str:
    return ";".join(
        [reference, acte, fr(when), locataire, adresse, cp, commune, bailleur, "500,00", dette, type_bailleur,
         "01/02/2015", "50,00", fr(audience) if audience is not None else "", ""]
    )  # fmt: skip


def _import(exploc: Invoke, write_file: Callable[..., Path], name: str, header: str, lines: list[str]) -> None:
    result = exploc("importer", str(write_file(name, csv_text(header, lines))))
    assert result.exit_code == 0, result.output


def _menage(base: Path, reference: str) -> int:
    return int(scalar(base, "SELECT menage_id FROM signalement WHERE reference = ?", reference))


def three_households(exploc: Invoke, write_file: Callable[..., Path], base: Path) -> dict[str, int]:
    """A: CAF report, CDP, assignation with a hearing ahead (Bourg-sur-Sarre, Logis du Val);
    B: a CQL long ago, private landlord (Oyonnax); C: a CAF report only, then closed (Bourg-sur-Sarre)."""
    _import(exploc, write_file, "caf.csv", CAF_HEADER, [
        caf_line("S-A", "0123456", "LEFÈVRE", "Éloïse", dette="1 000,00", date=fr(-150), naissance="02/05/1975"),
        caf_line("S-C", "0999999", "DURAND", "Sophie", dette="400,00", date=fr(-30), adresse="8 rue Haute"),
    ])  # fmt: skip
    _import(exploc, write_file, "actes.csv", HUISSIER_HEADER, [
        huissier_line("D-A", "Commandement de payer", -120, "Mme Eloise LEFEVRE", dette="2 500,00"),
        huissier_line("D-A", "Assignation", -20, "Mme Eloise LEFEVRE", dette="3 000,00", audience=60),
        huissier_line("D-B", "Commandement de quitter les lieux", -400, "M. Paul MARTIN", dette="8 000,00",
                      adresse="3 rue Neuve", cp="01100", commune="Oyonnax", bailleur="M. Jean ROUX", type_bailleur="PP"),
    ])  # fmt: skip
    numbers = {key: _menage(base, reference) for key, reference in (("A", "S-A"), ("B", "D-B"), ("C", "S-C"))}
    assert len(set(numbers.values())) == 3 and _menage(base, "D-A") == numbers["A"]
    closed = exploc("menages", "clore", str(numbers["C"]), "--motif", "relogement", "--le", fr(-10))
    assert closed.exit_code == 0, closed.output
    return numbers


def test_afficher_shows_the_timeline_stage_deadline_and_alerts(
    exploc: Invoke, write_file: Callable[..., Path], base: Path
) -> None:
    numbers = three_households(exploc, write_file, base)
    a = numbers["A"]
    assert exploc("menages", "noter", str(a), "Rendez-vous CCAS le 12/01").exit_code == 0
    result = exploc("menages", "afficher", str(a), "--json")
    assert result.exit_code == 0, result.output
    shown = json.loads(result.stdout)
    assert shown["menage"] == a and shown["fusionne_depuis"] is None
    # the latest report names her: the huissier's spelling, the CAF's birth date and number
    assert (shown["identite"]["nom"], shown["identite"]["date_naissance"]) == ("LEFEVRE", "1975-05-02")
    assert shown["identite"]["numero_allocataire"] == "0123456"
    assert shown["logement"]["bailleur"] == "Logis du Val" and shown["logement"]["loyer"] == 500.0
    assert shown["adresses"][0]["commune"] == "BOURG-SUR-SARRE"
    (episode,) = shown["episodes"]
    events = [(e["date"], e["code"], e["source"]) for e in episode["evenements"]]
    assert events == [
        (day(-150).isoformat(), "signalement_caf", "caf"),
        (day(-120).isoformat(), "cdp", "huissier"),
        (day(-20).isoformat(), "assignation", "huissier"),
        (day(60).isoformat(), "audience", "huissier"),
    ]
    assert episode["evenements"][-1]["a_venir"] is True
    assert [d["dette"] for d in shown["dettes"]] == [1000.0, 2500.0, 3000.0]
    assert shown["etape_actuelle"] == {"code": "assignation", "libelle": "Assignation", "date": day(-20).isoformat()}
    deadline = shown["prochaine_echeance"]
    assert deadline["code"] == "notification_prefet" and deadline["date"] == day(60 - 42).isoformat()
    assert "art. 24 III" in deadline["reference"] and deadline["declencheur"]["code"] == "audience"
    alerts = {alert["code"]: alert for alert in shown["alertes"]}
    assert set(alerts) == {"dette_hausse", "echeance_proche"}
    assert alerts["dette_hausse"]["details"]["hausse"] == 500.0 and "+500,00" in alerts["dette_hausse"]["preuve"]
    assert [n["texte"] for n in shown["notes"]] == ["Rendez-vous CCAS le 12/01"]
    assert shown["statut"] == {
        "statut": "ouvert", "clos_le": None, "motif_cloture": None, "motif_cloture_libelle": None,
        "rouvert": False, "rouvert_le": None,
    }  # fmt: skip

    text = exploc("menages", "afficher", str(a)).stdout
    positions = [text.index(label) for label in ("Signalement CAF/MSA", "Commandement de payer", "Audience (à venir)")]
    assert positions == sorted(positions)
    for expected in (
        "Mme LEFEVRE Eloise, né(e) le 02/05/1975",
        "Logis du Val (personne morale)",
        "Étape actuelle : Assignation",
        f"Prochaine échéance : {fr(18)}",
        "Loi n° 89-462 du 6 juillet 1989, art. 24 III",
        "Dette en hausse",
        "Rendez-vous CCAS le 12/01",
        "1\u00a0000,00\u00a0€ (" + fr(-150) + ")",  # the debt line
    ):
        assert expected in text, expected


def test_afficher_a_closed_a_merged_and_an_unknown_menage(
    exploc: Invoke, write_file: Callable[..., Path], base: Path
) -> None:
    numbers = three_households(exploc, write_file, base)
    closed = json.loads(exploc("menages", "afficher", str(numbers["C"]), "--json").stdout)
    assert closed["statut"]["statut"] == "clos" and closed["statut"]["clos_le"] == day(-10).isoformat()
    assert closed["statut"]["motif_cloture_libelle"] == "relogement" and closed["alertes"] == []
    assert f"clos le {fr(-10)} (motif : relogement)" in exploc("menages", "afficher", str(numbers["C"])).stdout
    _import(exploc, write_file, "caf2.csv", CAF_HEADER, [
        caf_line("S-C2", "0999999", "DURAND", "Sophie", dette="900,00", date=fr(-5), adresse="8 rue Haute"),
    ])  # fmt: skip
    reopened = json.loads(exploc("menages", "afficher", str(numbers["C"]), "--json").stdout)
    assert reopened["statut"]["statut"] == "ouvert" and reopened["statut"]["rouvert_le"] == day(-5).isoformat()
    assert "rouvert" in [alert["code"] for alert in reopened["alertes"]]
    assert (
        f"rouvert le {fr(-5)}, après avoir été clos le {fr(-10)}"
        in exploc("menages", "afficher", str(numbers["C"])).stdout
    )
    older, newer = sorted((numbers["A"], numbers["B"]))
    assert exploc("menages", "fusionner", str(older), str(newer)).exit_code == 0
    merged = json.loads(exploc("menages", "afficher", str(newer), "--json").stdout)
    assert (merged["menage"], merged["fusionne_depuis"]) == (older, newer)
    assert f"Le ménage n° {newer} a été réuni au ménage n° {older}" in exploc("menages", "afficher", str(newer)).stdout
    missing = exploc("menages", "afficher", "999")
    assert missing.exit_code == 3 and "introuvable" in missing.stderr


def test_lister_filters_with_the_shared_vocabulary(exploc: Invoke, write_file: Callable[..., Path], base: Path) -> None:
    numbers = three_households(exploc, write_file, base)
    a, b, c = numbers["A"], numbers["B"], numbers["C"]

    def listed(*filters: str) -> list[int]:
        result = exploc("menages", "lister", *filters, "--json")
        assert result.exit_code == 0, result.output
        return [line["menage"] for line in json.loads(result.stdout)]

    assert listed() == sorted([a, b, c])
    assert listed("--etape", "assignation") == [a]
    assert listed("--etape", "CQL") == [b]
    assert listed("--alerte", "inconnu_social") == [b]
    assert listed("--alerte", "echeance_proche") == [a]
    assert listed("--commune", "Bourg-sur-Sarre") == sorted([a, c])
    assert listed("--commune", "bourg sur sarre") == sorted([a, c])
    assert listed("--commune", "01100") == [b]
    assert listed("--parc", "privé") == [b]
    assert listed("--bailleur", "logis") == [a]
    assert listed("--dette-min", "2000", "--dette-max", "5 000") == [a]
    assert listed("--dette-min", "5000") == [b]
    assert listed("--dette-max", "500") == [c]
    assert listed("--du", fr(-60)) == sorted([a, c])
    assert listed("--au", fr(-100)) == [b]
    assert listed("--du", fr(-25), "--au", fr(-15)) == [a]
    assert listed("--statut", "clos") == [c]
    assert listed("--statut", "ouvert", "--commune", "01000") == [a]
    assert len(listed("--limite", "1")) == 1

    (line,) = json.loads(exploc("menages", "lister", "--etape", "assignation", "--json").stdout)
    assert (line["dette"], line["date_dette"], line["dernier_evenement"]) == (
        3000.0,
        day(-20).isoformat(),
        day(-20).isoformat(),
    )
    assert line["alertes"] == ["dette_hausse", "echeance_proche"]
    assert line["prochaine_echeance"]["code"] == "notification_prefet"
    human = exploc("menages", "lister", "--limite", "2")
    assert "LEFEVRE Eloise" in human.stdout and "3 ménage(s) (2 affiché(s)" in human.stdout
    assert "Aucun ménage" in exploc("menages", "lister", "--etape", "pv_expulsion").stdout
    bad = exploc("menages", "lister", "--alerte", "dette")
    assert bad.exit_code == 3 and "Alerte inconnue" in bad.stderr and "inconnu_social" in bad.stderr
    assert exploc("menages", "lister", "--statut", "ferme").exit_code == 3
    assert exploc("menages", "lister", "--dette-min", "10", "--dette-max", "5").exit_code == 3


def _read_csv(path: Path) -> list[dict[str, str]]:
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle, delimiter=";"))


def test_exporter_menages_to_csv_is_owner_only_and_journalled(
    exploc: Invoke, write_file: Callable[..., Path], base: Path, tmp_path: Path
) -> None:
    numbers = three_households(exploc, write_file, base)
    target = tmp_path / "sorties" / "menages.csv"
    result = exploc("exporter", "menages", "--sortie", str(target), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["lignes"] == 3
    exported = {int(r["menage"]): r for r in _read_csv(target)}
    row = exported[numbers["A"]]
    assert (row["noms"], row["prenoms"], row["commune"], row["bailleur"]) == (
        "LEFEVRE", "Eloise", "BOURG-SUR-SARRE", "Logis du Val",
    )  # fmt: skip
    assert (row["etape"], row["date_etape"]) == ("Assignation", fr(-20))
    assert (row["dette"], row["date_dette"]) == ("3\u00a0000,00", fr(-20))
    assert row["alertes"] == "Dette en hausse ; Échéance légale proche"
    assert row["date_echeance"] == fr(18) and row["echeance"].startswith("Date limite de notification")
    assert exported[numbers["C"]]["statut"] == "clos" and exported[numbers["B"]]["parc"] == "prive"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    (entry,) = rows(base, "SELECT * FROM journal WHERE action = 'export_menages'")
    assert entry["nb_lignes"] == 3 and entry["chemin"] == str(target)
    assert entry["sha256"] == hashlib.sha256(target.read_bytes()).hexdigest()
    assert "exporter menages" in entry["commande"] and "LEFEVRE" not in (entry["details"] or "")
    filtered = exploc("exporter", "menages", "--sortie", str(target), "--alerte", "inconnu_social")
    assert filtered.exit_code == 0 and "1 ménage(s) exporté(s)" in filtered.stdout
    assert [int(r["menage"]) for r in _read_csv(target)] == [numbers["B"]]
    (last,) = rows(base, "SELECT filtres FROM journal WHERE action = 'export_menages' ORDER BY id DESC LIMIT 1")
    assert json.loads(last["filtres"]) == {"alerte": "inconnu_social"}


def test_exporter_menages_to_xlsx_keeps_numbers_dates_and_text(
    exploc: Invoke, write_file: Callable[..., Path], base: Path, tmp_path: Path
) -> None:
    numbers = three_households(exploc, write_file, base)
    _import(exploc, write_file, "piege.csv", HUISSIER_HEADER, [
        huissier_line("D-X", "Commandement de payer", -5, "M. Hugo PIEGE", dette="100,00", adresse="9 rue Basse",
                      bailleur="=HYPERLINK(\"http://x\")"),
    ])  # fmt: skip
    target = tmp_path / "menages.xlsx"
    result = exploc("exporter", "menages", "--sortie", str(target), "--commune", "01000")
    assert result.exit_code == 0, result.output
    assert "3 ménage(s) exporté(s)" in result.stdout
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    sheet = openpyxl.load_workbook(target).active
    assert sheet.freeze_panes == "A2" and sheet["A1"].font.b
    table = [[cell for cell in row] for row in sheet.iter_rows()]
    header = [cell.value for cell in table[0]]
    assert header[:4] == ["menage", "noms", "prenoms", "commune"] and len(header) == 18
    by_number = {row[0].value: {h: cell for h, cell in zip(header, row, strict=True)} for row in table[1:]}
    a = by_number[numbers["A"]]
    assert a["dette"].value == 3000 and "€" in a["dette"].number_format
    assert a["date_etape"].is_date and a["date_etape"].value.date() == day(-20)
    assert a["date_echeance"].value.date() == day(18)
    trap = by_number[_menage(base, "D-X")]["bailleur"]
    assert trap.data_type == "s" and trap.value == '\'=HYPERLINK("http://x")'
    texts = [cell.value for row in table for cell in row if isinstance(cell.value, str)]
    assert not [t for t in texts if t.startswith(("=", "+", "-", "@"))]
    (entry,) = rows(base, "SELECT * FROM journal WHERE action = 'export_menages'")
    assert entry["nb_lignes"] == 3 and json.loads(entry["details"]) == {"format": "xlsx"}
    assert entry["sha256"] == hashlib.sha256(target.read_bytes()).hexdigest()
    other = tmp_path / "menages.ods"
    refused = exploc("exporter", "menages", "--sortie", str(other))
    assert refused.exit_code == 3 and "Format de fichier non pris en charge" in refused.stderr
    assert ".xlsx" in refused.stderr and not other.exists()


def test_exporter_signalements_gains_the_alert_codes_of_the_menage(
    exploc: Invoke, write_file: Callable[..., Path], base: Path, tmp_path: Path
) -> None:
    three_households(exploc, write_file, base)
    target = tmp_path / "signalements.csv"
    assert exploc("exporter", "signalements", "--sortie", str(target)).exit_code == 0
    header = target.read_text(encoding="utf-8-sig").splitlines()[0].split(";")
    assert header[:8] == ["source", "reference", "type", "date", "nom", "prenom", "menage", "service"]
    assert header[-2:] == ["ligne", "alertes"]
    alerts = {r["reference"] + "/" + r["type"]: r["alertes"] for r in _read_csv(target)}
    assert alerts["D-A/assignation"] == alerts["S-A/signalement_caf"] == "dette_hausse ; echeance_proche"
    assert alerts["D-B/cql"] == "inconnu_social ; dette_elevee" and alerts["S-C/signalement_caf"] == ""
    assert exploc("exporter", "signalements", "--sortie", str(target), "--alerte", "inconnu_social").exit_code == 0
    assert [r["reference"] for r in _read_csv(target)] == ["D-B"]
    assert exploc("exporter", "signalements", "--sortie", str(target), "--dette-max", "1 000").exit_code == 0
    assert sorted(r["reference"] for r in _read_csv(target)) == ["S-A", "S-C"]
