"""The charte's yearly objectives, for the annual report: a small TOML file kept by the secretariat
(``objectifs_charte.toml`` in the configuration folder, or ``exploc bilan --objectifs FICHIER``)::

    [[objectif]]
    indicateur = "expulsions"     # see OBJECTIVES
    cible = 150
    sens = "au_plus"              # au_plus (a ceiling) or au_moins (a floor)
    libelle = "Moins de 150 expulsions effectives par an"   # optional
    annee = 2025                  # optional: only for that year

Rates (``part_connus_avant_assignation``, ``taux_realisation_preconisations``) take a percentage.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..config import format_validation_errors
from ..errors import ConfigError
from .indicators import CHAIN_LABELS
from .model import Headline

OBJECTIVES_FILE = "objectifs_charte.toml"
# objective code -> the headline figure it is measured on
OBJECTIVES: Mapping[str, str] = {
    "commandements": CHAIN_LABELS["cdp"],
    "assignations": CHAIN_LABELS["assignation"],
    "decisions": CHAIN_LABELS["jugement"],
    "cql": CHAIN_LABELS["cql"],
    "demandes_concours": CHAIN_LABELS["requisition_cfp"],
    "concours_accordes": "Concours de la force publique accordés",
    "expulsions": CHAIN_LABELS["pv_expulsion"],
    "part_connus_avant_assignation": "Part des ménages assignés connus d'un service social avant l'assignation",
    "menages_examines": "Ménages examinés en commission",
    "taux_realisation_preconisations": "Taux de réalisation des préconisations",
}


class _Objective(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    indicateur: Literal[
        "commandements", "assignations", "decisions", "cql", "demandes_concours", "concours_accordes",
        "expulsions", "part_connus_avant_assignation", "menages_examines", "taux_realisation_preconisations",
    ]  # fmt: skip
    cible: float = Field(ge=0)
    sens: Literal["au_plus", "au_moins"]
    libelle: str | None = None
    annee: int | None = None


class _File(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    objectif: list[_Objective] = Field(default_factory=list)


@dataclass(frozen=True)
class Objective:
    indicator: str
    target: float
    direction: str
    label: str
    year: int | None


@dataclass(frozen=True)
class ObjectiveResult:
    label: str
    target: str
    achieved: str
    verdict: str


def default_objectives_path(config_dir: Path | None) -> Path | None:
    return config_dir / OBJECTIVES_FILE if config_dir is not None else None


def load_objectives(path: Path) -> list[Objective]:
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except OSError as err:
        raise ConfigError(f"Fichier d'objectifs illisible : {path} ({err.strerror}).") from None
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{path} : fichier TOML invalide ({err}).") from None
    try:
        parsed = _File.model_validate(data)
    except ValidationError as err:
        raise ConfigError(
            f"{path} : objectifs invalides :\n{format_validation_errors(err)}",
            f"Indicateurs possibles : {', '.join(OBJECTIVES)} ; sens : au_plus ou au_moins.",
        ) from None
    return [
        Objective(o.indicateur, o.cible, o.sens, o.libelle or OBJECTIVES[o.indicateur], o.annee)
        for o in parsed.objectif
    ]


def _is_rate(indicator: str) -> bool:
    return indicator in ("part_connus_avant_assignation", "taux_realisation_preconisations")


def measure(objectives: Sequence[Objective], headlines: Sequence[Headline], year: int) -> list[ObjectiveResult]:
    """Each objective of ``year`` against the year's (protected) headline figure."""
    by_label = {headline.label: headline.value for headline in headlines}
    results = []
    for objective in objectives:
        if objective.year is not None and objective.year != year:
            continue
        value = by_label[OBJECTIVES[objective.indicator]]
        rate = _is_rate(objective.indicator)
        sign = "≤" if objective.direction == "au_plus" else "≥"
        target = f"{sign} {objective.target:g}" + ("\u00a0%" if rate else "")
        if value.masked or value.number is None:
            verdict = "non mesurable (valeur masquée ou absente)"
        else:
            achieved = value.number * 100 if rate else value.number
            met = achieved <= objective.target if objective.direction == "au_plus" else achieved >= objective.target
            verdict = "atteint" if met else "non atteint"
        results.append(ObjectiveResult(objective.label, target, value.text(), verdict))
    return results
