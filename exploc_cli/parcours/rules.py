"""The deadline rules file (``delais.toml``): schema, validation with every error in French, loading.

Legal delays change (loi n° 2023-668 shortened several), so none of them is written in code: each
rule is data, with its legal reference and the dates between which it applies.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from datetime import date
from functools import cached_property, lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator
from pydantic_core import ErrorDetails

from ..config import _french_reason
from ..errors import ExplocError
from ..normalize.dates import MONTHS_FR, format_date_fr
from ..normalize.vocabulary import EVENT_LABELS
from .datemath import in_yearly_period, yearly_period_end

DEFAULT_RULES_PATH = Path(__file__).resolve().parent / "delais.toml"

# Fields a rule's conditions (``si``) may test, and whether they hold dates or codes.
DATE_FIELDS = frozenset({"date_bail"})
TEXT_FIELDS = frozenset({"parc", "type_bailleur", "valeur", "source"})
_DATE_OPERATORS = ("avant", "a_partir_du")
_TEXT_OPERATORS = ("egal", "dans")


class DeadlineFileError(ExplocError):
    """The deadline rules file cannot be read or is invalid."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class MonthDay(_Model):
    """A day of the year: ``{ mois = 11, jour = 1 }``."""

    mois: int = Field(ge=1, le=12)
    jour: int = Field(ge=1, le=31)

    @model_validator(mode="after")
    def _exists(self) -> MonthDay:
        if self.jour > (29, 31, 30)[0 if self.mois == 2 else 2 if self.mois in (4, 6, 9, 11) else 1]:
            raise ValueError(f"le {self.jour}/{self.mois:02d} n'existe pas")
        return self

    @property
    def key(self) -> tuple[int, int]:
        return (self.mois, self.jour)


class Delay(_Model):
    """A delay made of calendar months, weeks and days: ``{ semaines = 6 }``, ``{ mois = 2 }``."""

    mois: int = Field(default=0, ge=0)
    semaines: int = Field(default=0, ge=0)
    jours: int = Field(default=0, ge=0)

    @model_validator(mode="after")
    def _not_empty(self) -> Delay:
        if not (self.mois or self.semaines or self.jours):
            raise ValueError("délai vide : indiquez des mois, des semaines ou des jours")
        return self

    @property
    def label(self) -> str:
        parts = [(self.mois, "mois", "mois"), (self.semaines, "semaine", "semaines"), (self.jours, "jour", "jours")]
        return " et ".join(f"{n} {one if n == 1 else many}" for n, one, many in parts if n)


class Condition(_Model):
    """One test on a field: ``{ avant = 2023-07-29 }``, ``{ a_partir_du = … }``, ``{ egal = "prive" }``,
    ``{ dans = ["pp", "sci_familiale"] }``."""

    avant: date | None = None
    a_partir_du: date | None = None
    egal: str | None = None
    dans: tuple[str, ...] | None = None

    @model_validator(mode="after")
    def _one_operator(self) -> Condition:
        if len(self.operators) != 1:
            raise ValueError("indiquez exactement un opérateur : avant, a_partir_du, egal ou dans")
        return self

    @property
    def operators(self) -> list[str]:
        return [name for name in (*_DATE_OPERATORS, *_TEXT_OPERATORS) if getattr(self, name) is not None]

    def holds(self, value: date | str) -> bool:
        """Whether ``value`` (known) satisfies the condition."""
        if self.avant is not None:
            return isinstance(value, date) and value < self.avant
        if self.a_partir_du is not None:
            return isinstance(value, date) and value >= self.a_partir_du
        if self.egal is not None:
            return value == self.egal
        return value in (self.dans or ())


class Lifting(_Model):
    """An event that makes the deadline moot when it comes before it (a decision before the tacit refusal)."""

    evenement: str
    valeur: Condition | None = None

    @field_validator("evenement")
    @classmethod
    def _known_event(cls, code: str) -> str:
        return _known_event_code(code)


def _known_event_code(code: str) -> str:
    if code not in EVENT_LABELS:
        raise ValueError(f"événement inconnu « {code} » (attendu : {', '.join(sorted(EVENT_LABELS))})")
    return code


class _Dated(_Model):
    valide_du: date | None = None
    valide_au: date | None = None

    @model_validator(mode="after")
    def _ordered(self) -> _Dated:
        if self.valide_du and self.valide_au and self.valide_du > self.valide_au:
            raise ValueError(
                f"valide_du ({format_date_fr(self.valide_du)}) est postérieur à valide_au "
                f"({format_date_fr(self.valide_au)})"
            )
        return self

    def valid_on(self, day: date) -> bool:
        """Whether the rule is in force on ``day`` (both bounds included)."""
        return (self.valide_du is None or self.valide_du <= day) and (self.valide_au is None or day <= self.valide_au)


class WinterBreak(_Dated):
    """The trêve hivernale: no forced expulsion between two days of the year."""

    libelle: str = Field(min_length=1)
    debut: MonthDay
    fin: MonthDay
    reference: str = Field(min_length=1)

    def contains(self, day: date) -> bool:
        return in_yearly_period(day, self.debut.key, self.fin.key)

    def end_of(self, day: date) -> date:
        """Last day of the trêve that contains ``day``."""
        return yearly_period_end(day, self.debut.key, self.fin.key)

    @property
    def period_label(self) -> str:
        return f"du {_day_month(self.debut)} au {_day_month(self.fin)}"


def _day_month(day: MonthDay) -> str:
    return f"{'1er' if day.jour == 1 else day.jour} {MONTHS_FR[day.mois - 1]}"


class DeadlineRule(_Dated):
    """One legal deadline computed from a triggering event of the parcours."""

    code: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    libelle: str = Field(min_length=1)
    groupe: str | None = None
    evenement: str
    delai: Delay
    sens: Literal["apres", "avant"] = "apres"
    reference: str = Field(min_length=1)
    si: dict[str, Condition] = Field(default_factory=dict)
    si_inconnu: Literal["ignorer", "appliquer"] = "ignorer"
    note_si_inconnu: str | None = None
    note: str | None = None
    treve: Literal["ignorer", "reporter"] = "ignorer"
    levee_par: tuple[Lifting, ...] = ()

    @field_validator("evenement")
    @classmethod
    def _known_event(cls, code: str) -> str:
        return _known_event_code(code)

    @field_validator("si")
    @classmethod
    def _known_fields(cls, conditions: dict[str, Condition]) -> dict[str, Condition]:
        problems = []
        for name, condition in conditions.items():
            operator = condition.operators[0]
            if name not in DATE_FIELDS | TEXT_FIELDS:
                allowed = ", ".join(sorted(DATE_FIELDS | TEXT_FIELDS))
                problems.append(f"champ inconnu « {name} » (attendu : {allowed})")
            elif name in DATE_FIELDS and operator not in _DATE_OPERATORS:
                problems.append(f"« {name} » est une date : utilisez avant ou a_partir_du")
            elif name in TEXT_FIELDS and operator not in _TEXT_OPERATORS:
                problems.append(f"« {name} » est un code : utilisez egal ou dans")
        if problems:
            raise ValueError(" ; ".join(problems))
        return conditions

    @model_validator(mode="after")
    def _note_when_assumed(self) -> DeadlineRule:
        if self.si_inconnu == "appliquer" and not self.note_si_inconnu:
            raise ValueError("si_inconnu = « appliquer » demande une note_si_inconnu qui le dise à l'utilisateur")
        return self


class DeadlineRules(_Model):
    """The whole file: the trêve hivernale periods and the rules, in file order."""

    version: Literal[1]
    treve: tuple[WinterBreak, ...] = ()
    regle: tuple[DeadlineRule, ...] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_codes(self) -> DeadlineRules:
        seen: set[str] = set()
        doubles: set[str] = set()
        for rule in self.regle:
            (doubles if rule.code in seen else seen).add(rule.code)
        if doubles:
            raise ValueError(f"codes de règle en double : {', '.join(sorted(doubles))}")
        return self

    @cached_property
    def by_trigger(self) -> Mapping[str, tuple[DeadlineRule, ...]]:
        """The rules of each triggering event code, in file order."""
        grouped: dict[str, list[DeadlineRule]] = {}
        for rule in self.regle:
            grouped.setdefault(rule.evenement, []).append(rule)
        return MappingProxyType({code: tuple(rules) for code, rules in grouped.items()})

    def winter_break_on(self, day: date) -> WinterBreak | None:
        """The trêve in force that contains ``day``, if any."""
        for period in self.treve:
            if period.valid_on(day) and period.contains(day):
                return period
        return None


def load_deadline_rules(path: Path | None = None) -> DeadlineRules:
    """Read and validate a deadline rules file (the shipped ``delais.toml`` by default)."""
    if path is None:
        return _default_rules()
    return _load(path)


@lru_cache(maxsize=1)
def _default_rules() -> DeadlineRules:
    return _load(DEFAULT_RULES_PATH)


def _load(path: Path) -> DeadlineRules:
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise DeadlineFileError(f"Fichier des délais introuvable : {path}") from None
    except tomllib.TOMLDecodeError as err:
        raise DeadlineFileError(f"{path} : fichier TOML invalide ({err}).") from None
    except OSError as err:
        raise DeadlineFileError(f"{path} : lecture impossible ({err.strerror}).") from None
    try:
        return DeadlineRules.model_validate(data)
    except ValidationError as err:
        # Pydantic also calls a list "too short" when its items were all invalid: only an empty one is.
        problems = [p for p in err.errors() if p["type"] != "too_short" or not p.get("input")]
        lines = "\n".join(f"  - {_where(p['loc'], data)} : {_reason(p)}" for p in problems)
        raise DeadlineFileError(
            f"{path} : fichier des délais invalide :\n{lines}",
            hint="Chaque règle [[regle]] demande code, libelle, evenement, delai et reference.",
        ) from None


def _where(loc: tuple[int | str, ...], data: Mapping[str, Any]) -> str:
    """« règle n° 2 (fin_cdp) › delai » from pydantic's ('regle', 1, 'delai')."""
    if len(loc) >= 2 and loc[0] in ("regle", "treve") and isinstance(loc[1], int):
        items = data.get(str(loc[0]))
        item = items[loc[1]] if isinstance(items, list) and loc[1] < len(items) else None
        code = item.get("code") if isinstance(item, dict) else None
        head = f"{'règle' if loc[0] == 'regle' else 'trêve'} n° {loc[1] + 1}" + (f" ({code})" if code else "")
        rest = [str(part) for part in loc[2:]]
        return " › ".join([head, *rest])
    return " › ".join(str(part) for part in loc) or "(racine)"


def _reason(problem: ErrorDetails) -> str:
    if problem["type"] == "value_error":
        return str(problem.get("ctx", {}).get("error", problem["msg"]))
    if problem["type"] == "literal_error":
        return f"valeur non autorisée (attendu : {problem.get('ctx', {}).get('expected', '?')})"
    if problem["type"] == "string_pattern_mismatch":
        return "code en minuscules sans accent ni espace attendu (lettres, chiffres, _)"
    if problem["type"] == "too_short":
        return "au moins une règle attendue"
    return _french_reason(problem["type"], problem["msg"])
