"""Deciding one ménage's service: the first rule that applies, explained rule by rule.

A rule that tests an attribute nobody reported neither applies nor fails: the ménage goes
« à trier » (a human looks), since choosing the next rule would be a guess.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from .conditions import show
from .facts import MenageFacts
from .records import A_TRIER, AFFECTE, destination_label
from .rules import Rule, RuleSet, Target
from .sectorisation import Sectorisation, ServiceInfo, UniteInfo


@dataclass(frozen=True, slots=True)
class Step:
    """What one rule did for the ménage, in French."""

    rule_id: str
    status: str  # applique | non | inconnu | hors_periode
    detail: str


@dataclass(frozen=True, slots=True)
class Outcome:
    statut: str  # affecte | a_trier
    rule_id: str | None
    reason: str  # French: why this service, or why « à trier »
    service_code: str | None = None
    service_libelle: str | None = None
    unite_code: str | None = None
    unite_libelle: str | None = None
    referent: str | None = None
    partenaire: str | None = None
    steps: tuple[Step, ...] = field(default=(), compare=False)

    @property
    def destination(self) -> tuple[object, ...]:
        """What a change of assignment compares (not the wording of the reason)."""
        return (self.statut, self.service_code, self.service_libelle, self.unite_code, self.partenaire, self.rule_id)

    @property
    def label(self) -> str:
        return destination_label(self.statut, self.service_code, self.service_libelle, self.unite_libelle)


def decide(facts: MenageFacts, rules: RuleSet, sectors: Sectorisation, day: date) -> Outcome:
    """The service, unit and partner of ``facts``'s ménage under ``rules`` on ``day``, explained rule by rule."""
    return Decider(rules, sectors, day).decide(facts, explain=True)


class Decider:
    """Decides ménage after ménage under one rule set, sectorisation and day.

    What does not depend on the ménage is worked out once: the rules in force that day, and
    each target that does not depend on the address (a service, a type of service, the service
    that follows the ménage). Without ``explain``, only the deciding rule's wording is written.
    """

    def __init__(self, rules: RuleSet, sectors: Sectorisation, day: date) -> None:
        self.rules, self.sectors, self.day = rules, sectors, day
        self._in_force = tuple(rule for rule in rules.rules if rule.valid_on(day))
        self._partners = tuple(rule for rule in rules.partners if rule.valid_on(day))
        self._resolved: dict[tuple[object, ...], Outcome] = {}
        self._tests = {
            id(rule): tuple((c.attribute, c.predicate()) for c in rule.conditions)
            for rule in (*self._in_force, *self._partners)
        }
        # equal outcomes shared: thousands of ménages go to the same place for the same reason
        self._interned: dict[Outcome, Outcome] = {}
        # a département with rules of its own: its ménages are decided by them
        self._by_departement = {code: Decider(own, sectors, day) for code, own in rules.by_departement.items()}

    def decide(self, facts: MenageFacts, *, explain: bool = False) -> Outcome:
        own = self._by_departement.get(facts.departement) if facts.departement is not None else None
        if own is not None:
            return own.decide(facts, explain=explain)
        steps: list[Step] = []
        for rule in self.rules.rules if explain else self._in_force:
            if explain:
                step = evaluate(rule, facts, self.day)
                steps.append(step)
                status = step.status
            else:
                status = self._status(rule, facts)
            if status == "inconnu":
                detail = (steps[-1] if explain else evaluate(rule, facts, self.day)).detail
                return self._shared(
                    Outcome(A_TRIER, rule.id, f"règle « {rule.id} » : {detail}", steps=tuple(steps)), explain
                )
            if status != "applique":
                continue
            outcome = self._resolve(rule, facts)
            partners = self._partners_of(rule, facts)
            return self._shared(
                Outcome(
                    outcome.statut, rule.id, outcome.reason, outcome.service_code, outcome.service_libelle,
                    outcome.unite_code, outcome.unite_libelle, outcome.referent, partners, tuple(steps),
                ),
                explain,
            )  # fmt: skip
        return Outcome(A_TRIER, None, "aucune règle ne s'applique à ce ménage", steps=tuple(steps))

    def _shared(self, outcome: Outcome, explain: bool) -> Outcome:
        """One object for equal outcomes (not for explained ones: their steps differ)."""
        return outcome if explain else self._interned.setdefault(outcome, outcome)

    def _status(self, rule: Rule, facts: MenageFacts) -> str:
        """``evaluate``'s status without its wording, for a rule in force."""
        unknown = False
        values = facts.values
        for attribute, test in self._tests[id(rule)]:
            result = test(values.get(attribute))
            if result is False:
                return "non"
            if result is None:
                unknown = True
        return "inconnu" if unknown else "applique"

    def _resolve(self, rule: Rule, facts: MenageFacts) -> Outcome:
        if rule.target.unit == "secteur":  # by address: the sectorisation memoises its places
            return _resolve(rule, facts, self.sectors, self.day)
        follow_up = facts.follow_up if rule.target.kind == "suivi" else None
        departement = facts.departement if rule.target.kind == "type" else None
        key = (
            rule.id,
            follow_up.service if follow_up else None,
            follow_up.referent if follow_up else None,
            departement,
        )
        found = self._resolved.get(key)
        if found is None:
            found = self._resolved[key] = _resolve(rule, facts, self.sectors, self.day)
        return found

    def _partners_of(self, rule: Rule, facts: MenageFacts) -> str | None:
        targets = [rule.partner]
        targets += [p.target for p in self._partners if self._status(p, facts) == "applique"]
        names = dict.fromkeys(filter(None, (_partner(t, facts, self.sectors, self.day) for t in targets)))
        return " ; ".join(names) or None


def evaluate(rule: Rule, facts: MenageFacts, day: date) -> Step:
    """Whether ``rule`` applies to the ménage, with the condition that decided it, in French."""
    if not rule.valid_on(day):
        return Step(rule.id, "hors_periode", f"règle hors de sa période de validité ({rule.period_label()})")
    unknown = []
    for condition in rule.conditions:
        actual = facts.values.get(condition.attribute)
        result = condition.test(actual)
        if result is False:
            return Step(rule.id, "non", f"{condition.label()} : non ({_actual(actual)})")
        if result is None:
            unknown.append(condition)
    if unknown:
        return Step(
            rule.id, "inconnu", "information inconnue pour ce ménage : " + " ; ".join(c.label() for c in unknown)
        )
    tested = " et ".join(c.label() for c in rule.conditions) or "sans condition"
    return Step(rule.id, "applique", f"s'applique : {tested}")


def _actual(value: object) -> str:
    if isinstance(value, frozenset):
        return "alertes : " + (", ".join(sorted(value)) or "aucune")
    return f"valeur : {show(value)}"


def _resolve(rule: Rule, facts: MenageFacts, sectors: Sectorisation, day: date) -> Outcome:
    """The rule's target made concrete: a service of the sectorisation and, if asked, its unit."""
    target = rule.target
    why = f"règle « {rule.id} » ({rule.description})"
    referent = None
    unit: UniteInfo | None = None
    service: ServiceInfo | None
    if target.kind == "suivi":
        follow_up = facts.follow_up
        if follow_up is None or not follow_up.service:
            return Outcome(A_TRIER, rule.id, f"{why} : le service qui suit le ménage n'est pas nommé")
        referent = follow_up.referent
        found = sectors.find(follow_up.service, day)
        if isinstance(found, UniteInfo):
            unit, service = found, sectors.service(found.service_code)
        else:
            service = found
        if service is None:  # a service the sectorisation does not list: keep its name as written
            return Outcome(
                AFFECTE, rule.id, f"{why} : suivi par « {follow_up.service} »",
                service_libelle=follow_up.service, referent=referent,
            )  # fmt: skip
        why += f" : suivi par « {follow_up.service} »"
    elif target.kind == "type":
        assert target.value is not None
        candidates = sectors.services_of_type(target.value, day, facts.departement)
        if len(candidates) != 1:
            problem = "aucun service" if not candidates else f"{len(candidates)} services"
            where = f" pour le département {facts.departement}" if facts.departement else ""
            if len(candidates) > 1 and facts.departement is None:
                where = " et le département du ménage est inconnu"
            return Outcome(
                A_TRIER, rule.id,
                f"{why} : {problem} de type « {target.value} »{where} dans la sectorisation (exploc services lister)",
            )  # fmt: skip
        service = candidates[0]
    else:
        assert target.value is not None
        service = sectors.service(target.value)
        if service is None:
            missing = f"service « {target.value} » absent de la sectorisation (exploc services importer)"
            return Outcome(A_TRIER, rule.id, f"{why} : {missing}")
    if unit is None and target.unit is not None:
        unit, where = _unit(target, service, facts, sectors, day)
        if unit is None:
            return Outcome(A_TRIER, rule.id, f"{why} : {where}", service_code=service.code, service_libelle=service.nom)
        why += f" ; {where}"
    return Outcome(
        AFFECTE, rule.id, why, service.code, service.nom,
        unit.code if unit else None, unit.nom if unit else None, referent,
    )  # fmt: skip


def _unit(
    target: Target, service: ServiceInfo, facts: MenageFacts, sectors: Sectorisation, day: date
) -> tuple[UniteInfo | None, str]:
    if target.unit == "secteur":
        return sectors.unit_for(
            service_code=service.code,
            code_insee=facts.code_insee,
            commune=facts.commune,
            voie=facts.voie,
            numero=facts.numero,
            day=day,
        )
    assert target.unit is not None
    found = sectors.find(target.unit, day)
    if isinstance(found, UniteInfo):
        return found, f"unité {found.nom}"
    return None, f"unité « {target.unit} » absente de la sectorisation"


def _partner(target: Target | None, facts: MenageFacts, sectors: Sectorisation, day: date) -> str | None:
    """A complementary partner's name (the household's bailleur, or a service)."""
    if target is None:
        return None
    if target.kind == "bailleur":
        return facts.bailleur
    if target.kind == "suivi":
        return facts.follow_up.service if facts.follow_up else None
    if target.kind == "type":
        assert target.value is not None
        found = sectors.services_of_type(target.value, day, facts.departement)
        return found[0].nom if len(found) == 1 else None
    assert target.value is not None
    service = sectors.service(target.value)
    return service.nom if service else target.value
