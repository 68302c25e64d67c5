"""Assignment core: three-valued conditions, rule periods, and the fast facts path agreeing with the parcours."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from typer.testing import CliRunner

from commands.app import app
from exploc_cli.affectation.conditions import Condition, parse_condition
from exploc_cli.affectation.engine import decide, evaluate
from exploc_cli.affectation.facts import MenageFacts
from exploc_cli.affectation.inputs import display_names, open_menages_facts
from exploc_cli.affectation.rules import DEFAULT_RULES_PATH, Rule, RuleSet, Target, load_rules
from exploc_cli.affectation.sectorisation import Sectorisation
from exploc_cli.config import Settings
from exploc_cli.store.db import open_store, resolve_location

LEAN = ("deja_suivi", "allocataire", "enfants_a_charge", "personne_seule", "parc", "commune", "code_insee",
        "code_postal", "bailleur")  # fmt: skip


def test_conditions_are_true_false_or_unknown() -> None:
    at_least, _ = parse_condition("enfants_a_charge", {"au_moins": 1}, 3)
    assert at_least is not None
    assert (at_least.test(2), at_least.test(0), at_least.test(None)) == (True, False, None)
    known, _ = parse_condition("allocataire", {"connu": False}, 3)
    assert known is not None and known.test(None) is True and known.test(False) is False
    commune, _ = parse_condition("commune", {"parmi": ["Bourg-sur-Sarre", "Vaumoret"]}, 3)
    assert commune is not None and commune.test("BOURG SUR SARRE") is True and commune.test("Paris") is False
    alert, _ = parse_condition("alertes", "dette_elevee", 3)
    assert alert is not None and alert.test(frozenset({"dette_elevee"})) and not alert.test(frozenset())
    _, errors = parse_condition("parc", "social", 3)
    assert errors == ["« parc » : valeur « social » inconnue (possibles : prive, public)"]


def _facts(**values: object) -> MenageFacts:
    return MenageFacts(1, {"deja_suivi": False, "alertes": frozenset(), **values}, None, None, None, None, None, None)


def test_a_rule_outside_its_period_is_skipped_and_an_unknown_attribute_sends_to_sort(tmp_path: Path) -> None:
    path = tmp_path / "r.toml"
    path.write_text(
        'version = "v"\n'
        '[[regle]]\nid = "ancienne"\ndescription = "d"\nreference = "r"\nvalide_au = 2024-12-31\nservice = "X"\n'
        '[[regle]]\nid = "dette"\ndescription = "d"\nreference = "r"\nsi = { dette = { au_moins = 5000 } }\n'
        'service = "Y"\n',
        encoding="utf-8",
    )
    rules = load_rules(path)
    step = evaluate(rules.rules[0], _facts(), date(2026, 1, 1))
    assert step.status == "hors_periode" and "31/12/2024" in step.detail
    outcome = decide(_facts(dette=None), rules, Sectorisation(), date(2026, 1, 1))
    assert outcome.statut == "a_trier" and outcome.rule_id == "dette" and "dette (euros)" in outcome.reason
    assert decide(_facts(dette=100.0), rules, Sectorisation(), date(2026, 1, 1)).reason == (
        "aucune règle ne s'applique à ce ménage"
    )


def test_the_fast_facts_path_agrees_with_the_parcours_on_the_sample_data(new_base, samples: Path) -> None:
    base = new_base()
    runner = CliRunner()
    files = [str(p) for p in sorted(samples.glob("*.csv")) + sorted(samples.glob("*.xlsx"))]
    assert runner.invoke(app, ["--base", str(base), "-q", "importer", *files]).exit_code in (0, 5)
    engine = open_store(resolve_location(str(base)))
    lean_rules = load_rules(DEFAULT_RULES_PATH)
    # a rule on the stage: the facts then come from each ménage's parcours (the slow path)
    staged = Rule("etape", "d", "r", (Condition("etape", "egal", "cql"),), Target("code", "X"))
    slow_rules = RuleSet("v", "", (staged, *lean_rules.rules), (), DEFAULT_RULES_PATH, "0")
    day = date(2026, 3, 31)
    with engine.connect() as connection:
        fast = {f.menage_id: f for f in open_menages_facts(connection, day, Settings(), lean_rules, frozenset())}
        slow = {f.menage_id: f for f in open_menages_facts(connection, day, Settings(), slow_rules, frozenset())}
        one = next(iter(fast))
        alone = list(open_menages_facts(connection, day, Settings(), lean_rules, frozenset(), only=one))
        names = display_names(connection, fast.keys())  # the fast path leaves names out
    engine.dispose()
    assert len(fast) > 100 and fast.keys() == slow.keys()
    assert alone == [fast[one]]
    assert any(f.values["deja_suivi"] for f in fast.values()) and any(f.values["allocataire"] for f in fast.values())
    for number, facts in fast.items():
        other = slow[number]
        assert {k: facts.values[k] for k in LEAN} == {k: other.values[k] for k in LEAN}, number
        assert (facts.follow_up, facts.voie, facts.numero, names[number]) == (
            other.follow_up, other.voie, other.numero, other.name
        ), number  # fmt: skip
        assert other.name and not facts.name
