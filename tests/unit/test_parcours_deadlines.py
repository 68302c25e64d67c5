"""Deadline rules (delais.toml): the shipped file, its validation, and each rule's computation."""

from __future__ import annotations

from datetime import date
from itertools import count
from pathlib import Path

import pytest

from exploc_cli.parcours import (
    DEFAULT_RULES_PATH,
    DeadlineFileError,
    Echeance,
    EventRecord,
    MenageRecord,
    SignalementRecord,
    Timeline,
    build_timeline,
    deadlines,
    load_deadline_rules,
    next_deadline,
)

TODAY = date(2026, 3, 1)
_ids = count(1)


def sig(source: str, code: str, day: date, **fields: object) -> tuple[SignalementRecord, list[EventRecord]]:
    extra = fields.pop("extra", ())
    valeur = fields.pop("valeur", None)
    assert valeur is None or isinstance(valeur, str)
    record = SignalementRecord(id=next(_ids), source=source, **fields)  # type: ignore[arg-type]
    events = [EventRecord(next(_ids), record.id, code, day, True, valeur)]
    for item in extra:  # type: ignore[attr-defined]
        events.append(EventRecord(next(_ids), record.id, item[0], item[1], False, item[2] if len(item) > 2 else None))
    return record, events


def timeline(*rows: tuple[SignalementRecord, list[EventRecord]], today: date = TODAY) -> Timeline:
    return build_timeline(
        MenageRecord(1), [r for r, _ in rows], [e for _, es in rows for e in es], today=today, episode_gap_months=12
    )


def only(echeances: list[Echeance], prefix: str) -> Echeance:
    (found,) = [e for e in echeances if e.code.startswith(prefix)]
    return found


# --- the shipped file -----------------------------------------------------------------------


def test_the_shipped_file_loads_and_every_rule_cites_its_legal_basis() -> None:
    rules = load_deadline_rules()
    assert load_deadline_rules(DEFAULT_RULES_PATH) == rules
    assert {r.evenement for r in rules.regle} >= {"cdp", "audience", "cql", "requisition_cfp"}
    for rule in rules.regle:
        assert rule.reference and ("art." in rule.reference), rule.code
    (winter,) = rules.treve
    assert (winter.debut.key, winter.fin.key) == ((11, 1), (3, 31)) and "L412-6" in winter.reference


def test_the_rules_file_travels_as_package_data() -> None:
    text = (Path(__file__).resolve().parents[2] / "pyproject.toml").read_text(encoding="utf-8")
    assert '"**/*.toml"' in text and DEFAULT_RULES_PATH.parent.name == "parcours"


# --- commandement de payer ------------------------------------------------------------------


def test_cdp_gives_six_weeks_for_a_lease_signed_from_29_july_2023() -> None:
    e = only(
        deadlines(timeline(sig("huissier", "cdp", date(2026, 1, 15), date_bail=date(2023, 7, 29))), TODAY), "fin_cdp"
    )
    assert (e.code, e.date, e.assumed, e.note) == ("fin_cdp", date(2026, 2, 26), False, None)
    assert "art. 24 I" in e.reference and e.trigger_code == "cdp" and e.trigger_date == date(2026, 1, 15)
    assert e.passed


def test_cdp_keeps_two_months_for_an_older_lease() -> None:
    e = only(
        deadlines(timeline(sig("huissier", "cdp", date(2026, 1, 15), date_bail=date(2023, 7, 28))), TODAY), "fin_cdp"
    )
    assert (e.code, e.date) == ("fin_cdp_bail_ancien", date(2026, 3, 15))
    assert "24-70.002" in e.reference and not e.passed


def test_cdp_with_an_unknown_lease_date_uses_the_default_rule_and_says_so() -> None:
    e = only(deadlines(timeline(sig("huissier", "cdp", date(2026, 1, 15))), TODAY), "fin_cdp")
    assert (e.code, e.date, e.assumed) == ("fin_cdp", date(2026, 2, 26), True)
    assert e.note is not None and "Date du bail inconnue" in e.note and "2 mois" in e.note


def test_the_lease_date_may_come_from_another_signalement_of_the_household() -> None:
    rows = (
        sig("huissier", "cdp", date(2026, 1, 15)),
        sig("bailleur", "saisine", date(2025, 12, 1), date_bail=date(2019, 3, 1)),
    )
    e = only(deadlines(timeline(*rows), TODAY), "fin_cdp")
    assert e.code == "fin_cdp_bail_ancien" and not e.assumed


def test_a_cdp_served_before_the_reform_gets_two_months_whatever_the_lease_validity_dates() -> None:
    e = only(deadlines(timeline(sig("huissier", "cdp", date(2023, 5, 31))), TODAY), "fin_cdp")
    assert (e.code, e.date, e.assumed) == ("fin_cdp_avant_reforme", date(2023, 7, 31), False)


def test_calendar_months_clamp_to_the_end_of_february() -> None:
    e = only(
        deadlines(timeline(sig("huissier", "cdp", date(2025, 12, 31), date_bail=date(2020, 1, 1))), TODAY), "fin_cdp"
    )
    assert e.date == date(2026, 2, 28)


# --- assignation and audience ---------------------------------------------------------------


def test_the_prefet_must_be_notified_six_weeks_before_the_audience() -> None:
    rows = sig("huissier", "assignation", date(2026, 1, 20), extra=[("audience", date(2026, 4, 2))])
    e = only(deadlines(timeline(rows), TODAY), "notification_prefet")
    assert (e.code, e.date, e.passed) == ("notification_prefet", date(2026, 2, 19), True)
    assert "24 III" in e.reference and e.note is not None and "42 jours" in e.note


def test_before_the_reform_the_prefet_was_notified_two_months_before() -> None:
    rows = sig("huissier", "assignation", date(2023, 3, 1), extra=[("audience", date(2023, 6, 15))])
    e = only(deadlines(timeline(rows, today=date(2023, 4, 1)), date(2023, 4, 1)), "notification_prefet")
    assert (e.code, e.date, e.passed) == ("notification_prefet_avant_reforme", date(2023, 4, 15), False)


def test_a_saisine_forbids_the_assignation_for_two_months_until_one_is_served() -> None:
    e = only(deadlines(timeline(sig("bailleur", "saisine", date(2026, 1, 10))), TODAY), "assignation_possible")
    assert (e.date, e.pending) == (date(2026, 3, 10), True)
    rows = (sig("bailleur", "saisine", date(2026, 1, 10)), sig("huissier", "assignation", date(2026, 2, 20)))
    lifted = only(deadlines(timeline(*rows), TODAY), "assignation_possible")
    assert lifted.lifted and not lifted.pending and "Sans objet" in (lifted.note or "")


# --- commandement de quitter les lieux and trêve hivernale ----------------------------------


def test_cql_opens_two_months_before_any_expulsion() -> None:
    e = only(deadlines(timeline(sig("huissier", "cql", date(2025, 6, 10))), TODAY), "fin_delai_cql")
    assert (e.date, e.postponed_from) == (date(2025, 8, 10), None)
    assert "L412-1" in e.reference


def test_an_expulsion_deadline_in_the_winter_break_is_pushed_to_1_april() -> None:
    e = only(deadlines(timeline(sig("huissier", "cql", date(2025, 10, 15))), TODAY), "fin_delai_cql")
    assert (e.date, e.postponed_from, e.passed) == (date(2026, 4, 1), date(2025, 12, 15), False)
    assert (
        e.note is not None and "trêve hivernale" in e.note and "reportée au 01/04/2026" in e.note and "L412-6" in e.note
    )


def test_the_last_day_before_the_winter_break_is_not_pushed() -> None:
    e = only(deadlines(timeline(sig("huissier", "cql", date(2025, 8, 31))), TODAY), "fin_delai_cql")
    assert (e.date, e.postponed_from) == (date(2025, 10, 31), None)


# --- concours de la force publique ----------------------------------------------------------


def test_no_answer_two_months_after_the_requisition_is_a_tacit_refusal() -> None:
    e = only(deadlines(timeline(sig("prefecture", "requisition_cfp", date(2026, 1, 10))), TODAY), "refus_implicite_cfp")
    assert (e.date, e.pending) == (date(2026, 3, 10), True) and "R153-1" in e.reference


def test_a_decision_before_the_tacit_refusal_makes_it_moot_but_not_one_still_pending() -> None:
    decided = sig(
        "prefecture", "requisition_cfp", date(2026, 1, 10), extra=[("decision_cfp", date(2026, 2, 2), "accorde")]
    )
    e = only(deadlines(timeline(decided), TODAY), "refus_implicite_cfp")
    assert e.lifted and e.note is not None and "02/02/2026" in e.note
    pending = sig(
        "prefecture", "requisition_cfp", date(2026, 1, 10), extra=[("decision_cfp", date(2026, 2, 2), "en_cours")]
    )
    assert not only(deadlines(timeline(pending), TODAY), "refus_implicite_cfp").lifted


# --- next deadline --------------------------------------------------------------------------


def test_next_deadline_is_the_earliest_pending_one() -> None:
    rows = (
        sig("huissier", "cql", date(2025, 10, 15)),  # pushed to 01/04/2026
        sig("prefecture", "requisition_cfp", date(2026, 1, 10)),  # 10/03/2026
        sig("huissier", "cdp", date(2025, 1, 10)),  # long passed
    )
    t = timeline(*rows)
    found = deadlines(t, TODAY)
    assert [e.date for e in found] == sorted(e.date for e in found)
    upcoming = next_deadline(found)
    assert upcoming is not None and (upcoming.code, upcoming.date) == ("refus_implicite_cfp", date(2026, 3, 10))
    assert next_deadline(found, episode=99) is None
    assert next_deadline([e for e in found if e.code != "refus_implicite_cfp"]).date == date(2026, 4, 1)  # type: ignore[union-attr]


def test_a_deadline_on_today_is_not_passed() -> None:
    e = only(deadlines(timeline(sig("prefecture", "requisition_cfp", date(2026, 1, 1))), TODAY), "refus_implicite_cfp")
    assert e.date == TODAY and not e.passed


# --- custom files: validity dates, groups, validation ---------------------------------------

RULE = """
[[regle]]
code = "{code}"
libelle = "Essai"
evenement = "cql"
delai = {{ mois = 1 }}
reference = "Art. 1"
{extra}
"""


def write_rules(tmp_path: Path, *rules: str, head: str = "version = 1\n") -> Path:
    path = tmp_path / "delais.toml"
    path.write_text(head + "".join(rules), encoding="utf-8")
    return path


def test_validity_dates_select_the_rule_in_force_on_the_trigger_date(tmp_path: Path) -> None:
    path = write_rules(
        tmp_path,
        RULE.format(code="ancien", extra='groupe = "g"\nvalide_au = 2025-12-31'),
        RULE.format(code="nouveau", extra='groupe = "g"\nvalide_du = 2026-01-01'),
    )
    rules = load_deadline_rules(path)
    old = deadlines(timeline(sig("huissier", "cql", date(2025, 12, 31))), TODAY, rules)
    new = deadlines(timeline(sig("huissier", "cql", date(2026, 1, 1))), TODAY, rules)
    assert [e.code for e in old] == ["ancien"] and [e.code for e in new] == ["nouveau"]


def test_in_a_group_the_first_applicable_rule_wins(tmp_path: Path) -> None:
    path = write_rules(
        tmp_path,
        RULE.format(code="prive", extra='groupe = "g"\nsi = { parc = { egal = "prive" } }'),
        RULE.format(code="tous", extra='groupe = "g"'),
        RULE.format(code="hors_groupe", extra='si = { type_bailleur = { dans = ["pp", "sci_familiale"] } }'),
    )
    rules = load_deadline_rules(path)
    private = deadlines(
        timeline(sig("huissier", "cql", date(2026, 1, 5), parc="prive", type_bailleur="pp")), TODAY, rules
    )
    public = deadlines(timeline(sig("huissier", "cql", date(2026, 1, 5), parc="public")), TODAY, rules)
    assert sorted(e.code for e in private) == ["hors_groupe", "prive"]
    assert [e.code for e in public] == ["tous"]


def test_a_winter_break_applies_only_while_in_force(tmp_path: Path) -> None:
    head = (
        'version = 1\n[[treve]]\nlibelle = "Trêve hivernale"\ndebut = { mois = 11, jour = 1 }\n'
        'fin = { mois = 3, jour = 15 }\nreference = "Ancien art."\nvalide_au = 2014-03-26\n'
    )
    path = write_rules(tmp_path, RULE.format(code="cql", extra='treve = "reporter"'), head=head)
    rules = load_deadline_rules(path)
    early = deadlines(timeline(sig("huissier", "cql", date(2013, 2, 1))), TODAY, rules)[0]
    late = deadlines(timeline(sig("huissier", "cql", date(2025, 2, 1))), TODAY, rules)[0]
    assert early.date == date(2013, 3, 16) and early.postponed_from == date(2013, 3, 1)
    assert late.date == date(2025, 3, 1) and late.postponed_from is None


def test_an_invalid_file_reports_every_problem_in_french(tmp_path: Path) -> None:
    path = write_rules(
        tmp_path,
        RULE.format(code="a", extra="couleur = 3"),
        RULE.format(code="b", extra="delai = { jours = 0 }").replace("delai = { mois = 1 }\n", ""),
        RULE.format(code="c", extra="valide_du = 2026-01-01\nvalide_au = 2025-01-01"),
        RULE.format(code="d", extra='si_inconnu = "appliquer"\nsi = { date_bail = { avant = 2023-07-29 } }'),
        RULE.format(code="e", extra='si = { loyer = { egal = "1" }, date_bail = { egal = "x" } }'),
        RULE.format(code="f", extra="").replace('"cql"', '"cqll"'),
        RULE.format(code="a", extra=""),
        RULE.format(code="Mauvais Code", extra='sens = "pendant"'),
    )
    with pytest.raises(DeadlineFileError) as caught:
        load_deadline_rules(path)
    message = str(caught.value)
    for expected in (
        "règle n° 1 (a) › couleur : clé inconnue",
        "règle n° 2 (b) › delai : délai vide",
        "règle n° 3 (c) : valide_du (01/01/2026) est postérieur à valide_au (01/01/2025)",
        "règle n° 4 (d) : si_inconnu = « appliquer » demande une note_si_inconnu",
        "champ inconnu « loyer »",
        "« date_bail » est une date : utilisez avant ou a_partir_du",
        "règle n° 6 (f) › evenement : événement inconnu « cqll »",
        "règle n° 8 (Mauvais Code) › code : code en minuscules",
        "règle n° 8 (Mauvais Code) › sens : valeur non autorisée",
    ):
        assert expected in message, expected
    assert str(path) in message and "au moins une règle" not in message


def test_duplicate_codes_are_refused(tmp_path: Path) -> None:
    path = write_rules(tmp_path, RULE.format(code="a", extra=""), RULE.format(code="a", extra=""))
    with pytest.raises(DeadlineFileError, match="codes de règle en double : a"):
        load_deadline_rules(path)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("version = 1\n[[regle]\n", "fichier TOML invalide"),
        ("version = 2\n", "version : valeur non autorisée"),
        ("version = 1\nregle = []\n", "au moins une règle"),
        (
            'version = 1\n[[treve]]\nlibelle = "T"\ndebut = { mois = 2, jour = 30 }\nfin = { mois = 3, jour = 1 }\n'
            'reference = "x"\n' + RULE.format(code="a", extra=""),
            "le 30/02 n'existe pas",
        ),
    ],
)
def test_broken_files_are_explained(tmp_path: Path, content: str, expected: str) -> None:
    path = tmp_path / "delais.toml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(DeadlineFileError, match=expected):
        load_deadline_rules(path)


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(DeadlineFileError, match="Fichier des délais introuvable"):
        load_deadline_rules(tmp_path / "absent.toml")
