"""What a rule may test: a closed set of ménage attributes and of operators, evaluated in three
values (true, false, unknown) — an attribute nobody reported is unknown, never guessed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import Enum
from types import MappingProxyType
from typing import Any

from ..normalize.text import fold
from ..normalize.vocabulary import EVENT_LABELS, EVENT_RANK, PARCS
from ..parcours.alerts import ALERT_LABELS


class Kind(Enum):
    BOOL = "oui ou non"
    NUMBER = "nombre"
    CHOICE = "valeur d'une liste"
    TEXT = "texte"
    SET = "liste de codes"


@dataclass(frozen=True, slots=True)
class Attribute:
    name: str
    label: str  # French, for explanations
    kind: Kind
    choices: tuple[str, ...] = ()  # allowed values of a CHOICE or SET attribute


_STAGES = tuple(code for code, rank in EVENT_RANK.items() if rank > 0)

ATTRIBUTES: Mapping[str, Attribute] = MappingProxyType(
    {
        a.name: a
        for a in (
            Attribute("deja_suivi", "déjà suivi par un service social", Kind.BOOL),
            Attribute("allocataire", "allocataire (CAF ou MSA)", Kind.BOOL),
            Attribute("enfants_a_charge", "enfants à charge", Kind.NUMBER),
            Attribute("personne_seule", "personne seule", Kind.BOOL),
            Attribute("parc", "parc", Kind.CHOICE, tuple(sorted(PARCS))),
            Attribute("etape", "étape de la procédure", Kind.CHOICE, _STAGES),
            Attribute("dette", "dette (euros)", Kind.NUMBER),
            Attribute("commune", "commune", Kind.TEXT),
            Attribute("code_insee", "code INSEE", Kind.TEXT),
            Attribute("code_postal", "code postal", Kind.TEXT),
            Attribute("departement", "département", Kind.TEXT),
            Attribute("bailleur", "bailleur", Kind.TEXT),
            Attribute("alertes", "alertes", Kind.SET, tuple(ALERT_LABELS)),
        )
    }
)

# Operator → (the kinds it applies to, its French form in explanations)
OPERATORS: Mapping[str, tuple[frozenset[Kind], str]] = MappingProxyType(
    {
        "egal": (frozenset({Kind.BOOL, Kind.NUMBER, Kind.CHOICE, Kind.TEXT}), "="),
        "different": (frozenset({Kind.BOOL, Kind.NUMBER, Kind.CHOICE, Kind.TEXT}), "≠"),
        "parmi": (frozenset({Kind.NUMBER, Kind.CHOICE, Kind.TEXT}), "parmi"),
        "hors": (frozenset({Kind.NUMBER, Kind.CHOICE, Kind.TEXT}), "hors de"),
        "au_moins": (frozenset({Kind.NUMBER}), "≥"),
        "au_plus": (frozenset({Kind.NUMBER}), "≤"),
        "connu": (frozenset({Kind.BOOL, Kind.NUMBER, Kind.CHOICE, Kind.TEXT}), "connu"),
        "contient": (frozenset({Kind.SET}), "contient"),
        "ne_contient_pas": (frozenset({Kind.SET}), "ne contient pas"),
    }
)

Value = bool | int | float | str | frozenset[str] | None


@dataclass(frozen=True, slots=True)
class Condition:
    attribute: str
    operator: str
    value: object  # bool, number, text, or a tuple of them (parmi / hors)
    line: int | None = None

    def label(self) -> str:
        """« enfants à charge ≥ 1 », « allocataire = oui », « parc parmi public, prive »."""
        attribute = ATTRIBUTES[self.attribute]
        if self.operator == "connu":
            return f"{attribute.label} {'connu' if self.value else 'inconnu'}"
        return f"{attribute.label} {OPERATORS[self.operator][1]} {show(self.value)}"

    def predicate(self) -> Callable[[Value], bool | None]:
        """``test`` as a plain function, shortened for the common operators (called per ménage)."""
        expected: Any = self.value
        if self.operator == "connu" or ATTRIBUTES[self.attribute].kind in (Kind.SET, Kind.TEXT):
            return self.test
        if self.operator == "egal":
            return lambda actual: None if actual is None else actual == expected
        if self.operator == "au_moins":
            return lambda actual: None if actual is None else actual >= expected
        if self.operator == "au_plus":
            return lambda actual: None if actual is None else actual <= expected
        return self.test

    def test(self, actual: Value) -> bool | None:
        """True or False, or None when the attribute is unknown for this ménage."""
        if self.operator == "connu":
            return (actual is not None) == self.value
        if actual is None:
            return None
        kind = ATTRIBUTES[self.attribute].kind
        if kind is Kind.SET:
            assert isinstance(actual, frozenset)
            return (self.value in actual) == (self.operator == "contient")
        if kind is Kind.TEXT:
            actual = fold(str(actual))
        expected = self.value
        if self.operator == "egal":
            return bool(actual == expected)
        if self.operator == "different":
            return bool(actual != expected)
        if self.operator == "parmi":
            return actual in expected  # type: ignore[operator]
        if self.operator == "hors":
            return actual not in expected  # type: ignore[operator]
        if self.operator == "au_moins":
            return bool(actual >= expected)  # type: ignore[operator]
        return bool(actual <= expected)  # type: ignore[operator]  # au_plus


def show(value: object) -> str:
    """A value as a secretary writes it."""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, tuple | list | frozenset):
        return ", ".join(show(v) for v in value)
    if isinstance(value, str) and value in EVENT_LABELS:
        return f"{value} ({EVENT_LABELS[value]})"
    return str(value)


def parse_condition(attribute: str, raw: object, line: int | None) -> tuple[Condition | None, list[str]]:
    """A condition from its TOML form (``allocataire = true``, ``dette = { au_moins = 5000 }``), or errors."""
    found = ATTRIBUTES.get(attribute)
    if found is None:
        return None, [f"condition sur « {attribute} » inconnue (possibles : {', '.join(ATTRIBUTES)})"]
    if isinstance(raw, dict):
        if len(raw) != 1:
            return None, [f"« {attribute} » : un seul opérateur par condition (trouvé : {', '.join(raw) or 'aucun'})"]
        operator, value = next(iter(raw.items()))
    else:
        operator, value = ("contient" if found.kind is Kind.SET else "egal"), raw
    if operator not in OPERATORS:
        return None, [f"« {attribute} » : opérateur « {operator} » inconnu (possibles : {', '.join(OPERATORS)})"]
    kinds, _ = OPERATORS[operator]
    if found.kind not in kinds:
        usable = ", ".join(name for name, (k, _) in OPERATORS.items() if found.kind in k)
        return None, [f"« {attribute} » ({found.kind.value}) : l'opérateur « {operator} » ne s'applique pas ici "
                      f"(possibles : {usable})"]  # fmt: skip
    if operator == "connu":
        if not isinstance(value, bool):
            return None, [f"« {attribute} » : connu = true ou connu = false attendu"]
        return Condition(attribute, operator, value, line), []
    values = value if operator in ("parmi", "hors") else [value]
    if operator in ("parmi", "hors") and (not isinstance(value, list) or not value):
        return None, [f'« {attribute} » : « {operator} » attend une liste non vide, par exemple ["a", "b"]']
    checked: list[object] = []
    errors: list[str] = []
    for item in values:
        ok, problem = _check_value(found, item)
        if problem:
            errors.append(f"« {attribute} » : {problem}")
        else:
            checked.append(ok)
    if errors:
        return None, errors
    stored: object = tuple(checked) if operator in ("parmi", "hors") else checked[0]
    return Condition(attribute, operator, stored, line), []


def _check_value(attribute: Attribute, value: object) -> tuple[object, str | None]:
    kind = attribute.kind
    if kind is Kind.BOOL:
        if isinstance(value, bool):
            return value, None
        return None, f"true ou false attendu (trouvé : {value!r})"
    if kind is Kind.NUMBER:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return value, None
        return None, f"nombre attendu (trouvé : {value!r})"
    if not isinstance(value, str):
        return None, f"texte attendu entre guillemets (trouvé : {value!r})"
    if kind in (Kind.CHOICE, Kind.SET):
        code = value.strip().lower()
        if code not in attribute.choices:
            return None, f"valeur « {value} » inconnue (possibles : {', '.join(attribute.choices)})"
        return code, None
    return fold(value), None
