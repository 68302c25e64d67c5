"""The reference list of avis and préconisation types (``referentiel.toml``, data, date-effective).

A département may place an edited copy named ``referentiel_seances.toml`` in its configuration
folder: it then replaces the shipped list. Types carry validity dates so that, for instance, the
CCAPEX's own decision on the aide au logement (décret 2026-84) is offered from 1 January 2027 only.
"""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from ..config import format_validation_errors
from ..errors import ConfigError
from ..normalize.text import fold

DEFAULT_REFERENTIEL_PATH = Path(__file__).with_name("referentiel.toml")
OVERRIDE_NAME = "referentiel_seances.toml"

STATUTS: Mapping[str, str] = {
    "a_faire": "À faire",
    "realisee": "Réalisée",
    "non_realisee": "Non réalisée",
    "caduque": "Caduque",
}
OPEN_STATUT = "a_faire"
_CODE = r"^[a-z0-9_]+$"


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class _Typed(_Model):
    code: str = Field(pattern=_CODE)
    libelle: str = Field(min_length=1)
    valide_du: date | None = None
    valide_au: date | None = None
    reference: str | None = None

    def valid_on(self, day: date) -> bool:
        return (self.valide_du is None or self.valide_du <= day) and (self.valide_au is None or day <= self.valide_au)


class AvisType(_Typed):
    pass


class PreconisationType(_Typed):
    destinataire: str = Field(pattern=_CODE)


class Referentiel(_Model):
    version: str
    destinataires: dict[str, str]
    avis: list[AvisType] = Field(min_length=1)
    preconisations: list[PreconisationType] = Field(min_length=1)

    @model_validator(mode="after")
    def _consistent(self) -> Referentiel:
        for kind, items in (("avis", self.avis), ("preconisations", self.preconisations)):
            codes = [item.code for item in items]
            doubles = sorted({c for c in codes if codes.count(c) > 1})
            if doubles:
                raise ValueError(f"{kind} : code(s) en double : {', '.join(doubles)}")
        unknown = sorted({p.destinataire for p in self.preconisations} - set(self.destinataires))
        if unknown:
            raise ValueError(f"destinataire(s) inconnu(s) dans [[preconisations]] : {', '.join(unknown)}")
        return self

    # -- lookups -------------------------------------------------------------------------
    def avis_label(self, code: str | None) -> str:
        return next((a.libelle for a in self.avis if a.code == code), code or "")

    def preconisation(self, code: str) -> PreconisationType | None:
        return next((p for p in self.preconisations if p.code == code), None)

    def destinataire_label(self, code: str) -> str:
        return self.destinataires.get(code, code)

    def preconisation_label(self, code: str) -> str:
        """« Bailleur — Proposer un plan d'apurement »: what the drop-down list shows."""
        found = self.preconisation(code)
        if found is None:
            return code
        return f"{self.destinataire_label(found.destinataire)} — {found.libelle}"

    def avis_in_force(self, day: date) -> list[AvisType]:
        return [a for a in self.avis if a.valid_on(day)]

    def preconisations_in_force(self, day: date) -> list[PreconisationType]:
        return [p for p in self.preconisations if p.valid_on(day)]

    def find_avis(self, text: str, day: date) -> AvisType | None:
        """The avis type written as its label or its code (case and accents ignored), in force on ``day``."""
        wanted = fold(text)
        return next((a for a in self.avis_in_force(day) if wanted in (fold(a.libelle), fold(a.code))), None)

    def find_preconisation(self, text: str, day: date) -> PreconisationType | None:
        """The type written as its list label, its own label or its code, in force on ``day``."""
        wanted = fold(text)
        for item in self.preconisations_in_force(day):
            if wanted in (fold(self.preconisation_label(item.code)), fold(item.libelle), fold(item.code)):
                return item
        return None


@dataclass(frozen=True)
class _Source:
    path: Path
    mtime: float


def referentiel_path(config_dir: Path | None) -> Path:
    """The edited copy in the configuration folder when there is one, else the shipped list."""
    if config_dir is not None and (config_dir / OVERRIDE_NAME).is_file():
        return config_dir / OVERRIDE_NAME
    return DEFAULT_REFERENTIEL_PATH


def load_referentiel(config_dir: Path | None = None) -> Referentiel:
    path = referentiel_path(config_dir)
    return _load(_Source(path, path.stat().st_mtime))


@lru_cache(maxsize=4)
def _load(source: _Source) -> Referentiel:
    path = source.path
    try:
        with path.open("rb") as handle:
            data: dict[str, Any] = tomllib.load(handle)
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{path} : fichier TOML invalide ({err}).") from None
    except OSError as err:
        raise ConfigError(f"{path} : lecture impossible ({err.strerror}).") from None
    try:
        return Referentiel.model_validate(data)
    except ValidationError as err:
        raise ConfigError(
            f"{path} : référentiel des séances invalide :\n{format_validation_errors(err)}",
            hint="Chaque [[avis]] demande code et libelle ; chaque [[preconisations]] code, destinataire et libelle.",
        ) from None
