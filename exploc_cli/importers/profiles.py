"""Mapping profiles: a partner whose headers or vocabularies differ, described in TOML.

A profile names the source, optionally forces reading options (encoding, delimiter, sheet,
header row), maps exploc fields to the partner's headers, and maps the partner's values to
exploc's codes. Every problem in a profile is reported at once, with its key.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..normalize.text import fold, normalize_header
from ..normalize.vocabulary import EVENT_LABELS
from .encoding import DELIMITERS
from .layouts import VOCABULARY_KINDS, SourceSpec, load_layouts, resolve_source_name

_PROFILE_KEYS = {"nom", "source", "description", "encodage", "separateur", "feuille", "ligne_entete"}
_VOCABULARY_CODES: dict[str, frozenset[str]] = {
    "act_type": frozenset(EVENT_LABELS),
    "decision_cfp": frozenset({"accorde", "refuse", "en_cours", "sursis_treve"}),
    "decision_jugement": frozenset({"resiliation", "delais", "rejet", "radiation", "renvoi"}),
    "parc": frozenset({"public", "prive"}),
    "type_bailleur": frozenset({"pp", "sci_familiale", "pm"}),
    "organisme": frozenset({"caf", "msa"}),
}


@dataclass(frozen=True)
class Profile:
    name: str
    path: Path
    source: str
    description: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    header_row: int | None = None
    columns: dict[str, frozenset[str]] = field(default_factory=dict)  # field → normalised headers
    column_labels: dict[str, tuple[str, ...]] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)  # field → folded value → code

    @property
    def spec(self) -> SourceSpec:
        return load_layouts()[self.source]


def load_profile(path: Path) -> Profile:
    """Read and validate a profile, reporting every problem together."""
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise ConfigError(f"Profil introuvable : {path}") from None
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{path} : profil TOML invalide ({err}).") from None
    problems: list[str] = []
    header = data.get("profil")
    if not isinstance(header, dict):
        raise ConfigError(f"{path} : la table [profil] est obligatoire (nom, source).")
    for key in sorted(set(header) - _PROFILE_KEYS):
        problems.append(f"[profil] {key} : clé inconnue (clés possibles : {', '.join(sorted(_PROFILE_KEYS))})")
    for key in sorted(set(data) - {"profil", "colonnes", "valeurs"}):
        problems.append(f"[{key}] : table inconnue (tables possibles : profil, colonnes, valeurs)")
    source = _profile_source(header, problems)
    spec = load_layouts().get(source or "")
    columns, labels = _profile_columns(data.get("colonnes", {}), spec, problems)
    values = _profile_values(data.get("valeurs", {}), spec, problems)
    delimiter = _profile_delimiter(header.get("separateur"), problems)
    header_row = header.get("ligne_entete")
    if header_row is not None and (not isinstance(header_row, int) or header_row < 1):
        problems.append("[profil] ligne_entete : nombre entier ≥ 1 attendu")
    if problems or spec is None:
        raise ConfigError(f"{path} : profil invalide :\n" + "\n".join(f"  - {p}" for p in problems))
    return Profile(
        name=str(header.get("nom") or path.stem),
        path=path,
        source=spec.name,
        description=header.get("description"),
        encoding=header.get("encodage"),
        delimiter=delimiter,
        sheet=header.get("feuille"),
        header_row=header_row,
        columns=columns,
        column_labels=labels,
        values=values,
    )


def _profile_source(header: dict[str, Any], problems: list[str]) -> str | None:
    raw = header.get("source")
    if not isinstance(raw, str):
        problems.append("[profil] source : obligatoire (caf, huissier, bailleur, prefecture ou suivi)")
        return None
    try:
        return resolve_source_name(raw)
    except Exception as err:  # noqa: BLE001 - ExplocError, reported with the others
        problems.append(f"[profil] source : {err}")
        return None


def _profile_columns(
    raw: Any, spec: SourceSpec | None, problems: list[str]
) -> tuple[dict[str, frozenset[str]], dict[str, tuple[str, ...]]]:
    columns: dict[str, frozenset[str]] = {}
    labels: dict[str, tuple[str, ...]] = {}
    if not isinstance(raw, dict):
        problems.append('[colonnes] : table attendue (champ = "En-tête")')
        return columns, labels
    for key, value in raw.items():
        if spec is not None and key not in spec.fields:
            problems.append(
                f"[colonnes] {key} : champ inconnu pour la source {spec.name}"
                f" (champs possibles : {', '.join(spec.fields)})"
            )
            continue
        names = [value] if isinstance(value, str) else value
        if not isinstance(names, list) or not names or not all(isinstance(n, str) and n.strip() for n in names):
            problems.append(f"[colonnes] {key} : un en-tête (texte) ou une liste d'en-têtes attendu")
            continue
        columns[key] = frozenset(normalize_header(n) for n in names)
        labels[key] = tuple(names)
    return columns, labels


def _profile_values(raw: Any, spec: SourceSpec | None, problems: list[str]) -> dict[str, dict[str, str]]:
    values: dict[str, dict[str, str]] = {}
    if not isinstance(raw, dict):
        problems.append("[valeurs] : table attendue")
        return values
    for key, mapping in raw.items():
        field_spec = spec.fields.get(key) if spec is not None else None
        if spec is not None and (field_spec is None or field_spec.kind not in VOCABULARY_KINDS):
            codable = [n for n, f in spec.fields.items() if f.kind in VOCABULARY_KINDS]
            problems.append(f"[valeurs.{key}] : ce champ n'a pas de vocabulaire (possibles : {', '.join(codable)})")
            continue
        if not isinstance(mapping, dict):
            problems.append(f'[valeurs.{key}] : table attendue ("valeur du fichier" = "code")')
            continue
        allowed = _VOCABULARY_CODES[field_spec.kind] if field_spec is not None else frozenset()
        converted = {}
        for source_value, code in mapping.items():
            if not isinstance(code, str) or (allowed and code not in allowed):
                problems.append(
                    f"[valeurs.{key}] « {source_value} » : code « {code} » inconnu"
                    f" (codes possibles : {', '.join(sorted(allowed))})"
                )
                continue
            converted[fold(source_value)] = code
        values[key] = converted
    return values


def _profile_delimiter(raw: Any, problems: list[str]) -> str | None:
    if raw is None:
        return None
    aliases = {"tab": "\t", "tabulation": "\t", "\\t": "\t"}
    value = aliases.get(str(raw).lower(), raw)
    if value not in DELIMITERS:
        problems.append("[profil] separateur : « ; », « , », « | » ou « tabulation » attendu")
        return None
    return str(value)
