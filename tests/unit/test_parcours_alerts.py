"""Signaux d'alerte: each alert, its evidence, its thresholds from the [alertes] configuration section."""

from __future__ import annotations

from datetime import date
from itertools import count
from pathlib import Path

import pytest

from exploc_cli.config import AlertSettings, Settings, load_settings
from exploc_cli.errors import ConfigError
from exploc_cli.parcours import (
    ALERT_LABELS,
    Alert,
    EventRecord,
    MenageRecord,
    SignalementRecord,
    build_timeline,
    compute_alerts,
    deadlines,
)

TODAY = date(2026, 3, 1)
_ids = count(1)
Row = tuple[SignalementRecord, list[EventRecord]]


def sig(source: str, code: str, day: date, **fields: object) -> Row:
    extra = fields.pop("extra", ())
    valeur = fields.pop("valeur", None)
    assert valeur is None or isinstance(valeur, str)
    record = SignalementRecord(id=next(_ids), source=source, **fields)  # type: ignore[arg-type]
    events = [EventRecord(next(_ids), record.id, code, day, True, valeur)]
    for item in extra:  # type: ignore[attr-defined]
        events.append(EventRecord(next(_ids), record.id, item[0], item[1], False, item[2] if len(item) > 2 else None))
    return record, events


def alerts(
    *rows: Row,
    settings: AlertSettings | None = None,
    menage: MenageRecord | None = None,
    assigned: bool = False,
    today: date = TODAY,
) -> dict[str, Alert]:
    settings = settings or AlertSettings()
    t = build_timeline(
        menage or MenageRecord(1),
        [r for r, _ in rows],
        [e for _, es in rows for e in es],
        today=today,
        episode_gap_months=settings.reprise_mois,
    )
    found = compute_alerts(t, deadlines(t, today), settings, assigned=assigned)
    for alert in found:
        assert alert.code.isascii() and alert.label == ALERT_LABELS[alert.code] and alert.evidence
    return {alert.code: alert for alert in found}


# --- configuration --------------------------------------------------------------------------


def test_alert_thresholds_have_defaults_and_french_keys(tmp_path: Path) -> None:
    defaults = Settings().alertes
    assert (defaults.dette_mois_loyer, defaults.dette_montant, defaults.echeance_jours) == (6, 5000, 30)
    assert (defaults.hausse_dette_min, defaults.reprise_mois) == (100, 12)
    path = tmp_path / "exploc.toml"
    path.write_text("[alertes]\ndette_mois_loyer = 3.5\ndette_montant = 2000\nreprise_mois = 18\n", encoding="utf-8")
    loaded = load_settings(path, required=True).alertes
    assert (loaded.dette_mois_loyer, loaded.dette_montant, loaded.reprise_mois, loaded.echeance_jours) == (
        3.5,
        2000,
        18,
        30,
    )


def test_misspelt_or_invalid_alert_keys_are_all_reported(tmp_path: Path) -> None:
    path = tmp_path / "exploc.toml"
    path.write_text('[alertes]\ndette_mois = 3\nreprise_mois = 0\necheance_jours = "trente"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_settings(path, required=True)
    message = str(caught.value)
    assert "alertes.dette_mois : clé inconnue" in message
    assert "alertes.reprise_mois : valeur trop petite" in message
    assert "alertes.echeance_jours : nombre entier attendu" in message


# --- inconnu_social -------------------------------------------------------------------------


def test_a_household_unknown_to_social_services_at_the_cql_stage_is_flagged() -> None:
    rows = (
        sig("huissier", "jugement", date(2025, 6, 1), valeur="resiliation"),
        sig("huissier", "cql", date(2025, 9, 1)),
    )
    alert = alerts(*rows)["inconnu_social"]
    assert "commandement de quitter les lieux le 01/09/2025" in alert.evidence
    assert alert.details["etape"] == "cql" and alert.details["date"] == date(2025, 9, 1)
    assert "inconnu_social" in alerts(sig("prefecture", "requisition_cfp", date(2026, 1, 5)))


def test_a_follow_up_or_an_assignment_makes_the_household_known() -> None:
    cql = sig("huissier", "cql", date(2025, 9, 1))
    assert "inconnu_social" not in alerts(cql, sig("suivi", "debut_suivi", date(2024, 1, 1), service="CCAS"))
    assert "inconnu_social" not in alerts(cql, assigned=True)


def test_earlier_stages_do_not_raise_the_unknown_alert() -> None:
    assert "inconnu_social" not in alerts(sig("huissier", "assignation", date(2025, 9, 1)))
    future_cql = sig("huissier", "cql", date(2026, 5, 1))
    assert "inconnu_social" not in alerts(sig("huissier", "jugement", date(2026, 1, 5)), future_cql)


# --- dette_elevee ---------------------------------------------------------------------------


def test_a_debt_above_n_months_of_rent_is_flagged_with_its_evidence() -> None:
    alert = alerts(sig("huissier", "cdp", date(2026, 1, 10), dette=310000, loyer=50000))["dette_elevee"]
    assert alert.details["mois_de_loyer"] == 6.2 and alert.details["dette"] == 310000
    assert "3\u00a0100,00\u00a0€ au 10/01/2026 (huissier)" in alert.evidence and "6,2 mois de loyer" in alert.evidence
    assert "dette_elevee" not in alerts(sig("huissier", "cdp", date(2026, 1, 10), dette=300000, loyer=50000))


def test_a_debt_above_the_amount_is_flagged_even_without_a_known_rent() -> None:
    alert = alerts(sig("caf", "signalement_caf", date(2026, 1, 10), dette=500100))["dette_elevee"]
    assert "loyer inconnu" in alert.evidence and alert.details["loyer"] is None
    assert "dette_elevee" not in alerts(sig("caf", "signalement_caf", date(2026, 1, 10), dette=500000))


def test_debt_thresholds_come_from_the_configuration() -> None:
    row = sig("huissier", "cdp", date(2026, 1, 10), dette=160000, loyer=50000)
    assert "dette_elevee" not in alerts(row)
    assert "dette_elevee" in alerts(row, settings=AlertSettings(dette_mois_loyer=3))
    assert "dette_elevee" in alerts(row, settings=AlertSettings(dette_montant=1500))


def test_the_rent_may_come_from_another_signalement() -> None:
    rows = (
        sig("bailleur", "saisine", date(2025, 6, 1), loyer=40000),
        sig("caf", "signalement_caf", date(2026, 1, 10), dette=300000),
    )
    assert alerts(*rows)["dette_elevee"].details["loyer"] == 40000


# --- dette_hausse ---------------------------------------------------------------------------


def test_a_rising_debt_between_two_reports_is_flagged() -> None:
    rows = (
        sig("caf", "signalement_caf", date(2025, 11, 15), dette=100000),
        sig("caf", "signalement_caf", date(2025, 12, 15), dette=130000),
    )
    alert = alerts(*rows)["dette_hausse"]
    assert alert.details["hausse"] == 30000 and alert.details["date_avant"] == date(2025, 11, 15)
    assert (
        "de 1\u00a0000,00\u00a0€ le 15/11/2025 (caf) à 1\u00a0300,00\u00a0€ le 15/12/2025 (caf) : +300,00\u00a0€"
        in alert.evidence
    )


def test_a_small_rise_or_a_fall_is_not_flagged() -> None:
    small = (
        sig("caf", "signalement_caf", date(2025, 11, 15), dette=100000),
        sig("caf", "signalement_caf", date(2025, 12, 15), dette=105000),
    )
    assert "dette_hausse" not in alerts(*small)
    assert "dette_hausse" in alerts(*small, settings=AlertSettings(hausse_dette_min=0))
    fall = (
        sig("caf", "signalement_caf", date(2025, 11, 15), dette=130000),
        sig("caf", "signalement_caf", date(2025, 12, 15), dette=100000),
    )
    assert "dette_hausse" not in alerts(*fall)


# --- cfp_sans_signalement -------------------------------------------------------------------


def test_a_cfp_request_with_no_earlier_report_is_flagged() -> None:
    alert = alerts(sig("prefecture", "requisition_cfp", date(2026, 1, 5)))["cfp_sans_signalement"]
    assert "05/01/2026 (prefecture)" in alert.evidence
    with_cql = (sig("huissier", "cql", date(2025, 6, 1)), sig("prefecture", "requisition_cfp", date(2026, 1, 5)))
    assert "cfp_sans_signalement" not in alerts(*with_cql)


def test_a_report_in_an_earlier_episode_still_counts() -> None:
    menage = MenageRecord(1, statut="ouvert", clos_le=date(2025, 8, 1))
    rows = (sig("huissier", "cql", date(2025, 6, 1)), sig("prefecture", "requisition_cfp", date(2026, 1, 5)))
    assert "cfp_sans_signalement" not in alerts(*rows, menage=menage)


# --- echeance_proche ------------------------------------------------------------------------


def test_a_deadline_within_n_days_is_flagged() -> None:
    rows = (sig("huissier", "cql", date(2025, 6, 1)), sig("prefecture", "requisition_cfp", date(2026, 1, 20)))
    alert = alerts(*rows)["echeance_proche"]
    assert alert.details == {
        "echeance": "refus_implicite_cfp",
        "date": date(2026, 3, 20),
        "jours": 19,
        "hypothese": False,
    }
    assert "dans 19 jours" in alert.evidence and "R153-1" in alert.evidence
    assert "echeance_proche" not in alerts(*rows, settings=AlertSettings(echeance_jours=15))


def test_an_assumed_deadline_says_so_in_the_alert() -> None:
    alert = alerts(sig("huissier", "cdp", date(2026, 2, 1)))["echeance_proche"]
    assert alert.details["hypothese"] is True and "Date du bail inconnue" in alert.evidence


# --- recidive and rouvert -------------------------------------------------------------------


def test_new_arrears_after_an_earlier_procedure_are_flagged() -> None:
    rows = (
        sig("huissier", "cdp", date(2022, 3, 1)),
        sig("huissier", "assignation", date(2022, 6, 1)),
        sig("caf", "signalement_caf", date(2025, 10, 1)),
    )
    alert = alerts(*rows)["recidive"]
    assert "Épisode précédent du 01/03/2022 au 01/06/2022 (étape atteinte : assignation)" in alert.evidence
    assert "nouvel épisode depuis le 01/10/2025" in alert.evidence and alert.details["episode_precedent"] == 1
    assert "recidive" not in alerts(*rows[:2])


def test_an_earlier_episode_without_procedure_is_not_a_relapse() -> None:
    rows = (sig("caf", "impaye", date(2022, 3, 1)), sig("caf", "signalement_caf", date(2025, 10, 1)))
    assert "recidive" not in alerts(*rows)


def test_a_closed_household_reported_again_is_flagged_and_a_quiet_one_raises_nothing() -> None:
    closed = MenageRecord(1, statut="clos", clos_le=date(2025, 6, 30))
    later = (sig("huissier", "cdp", date(2025, 3, 1), dette=900000), sig("caf", "signalement_caf", date(2025, 10, 2)))
    found = alerts(*later, menage=closed)
    assert found["rouvert"].evidence == "Ménage clos le 30/06/2025 ; nouveau signalement le 02/10/2025."
    assert "recidive" in found
    assert alerts(later[0], menage=closed) == {}


def test_an_ended_episode_raises_no_alert_on_its_debt() -> None:
    rows = (
        sig("huissier", "cql", date(2024, 10, 1), dette=900000, loyer=50000),
        sig("huissier", "pv_expulsion", date(2025, 5, 20), dette=990000),
    )
    assert alerts(*rows) == {}
