"""The reference layouts (``layouts.toml``): sources, their fields, header aliases and events."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from ..errors import ExplocError
from ..normalize.text import fold, normalize_header

LAYOUTS_FILE = Path(__file__).resolve().parent / "layouts.toml"

KINDS = frozenset(
    {
        "text",
        "name_full",
        "nom",
        "prenom",
        "date",
        "amount",
        "int",
        "bool",
        "postcode",
        "insee",
        "commune",
        "address",
        "allocataire",
        "identifier",
        "act_type",
        "decision_cfp",
        "decision_jugement",
        "parc",
        "type_bailleur",
        "organisme",
    }
)
VOCABULARY_KINDS = frozenset({"act_type", "decision_cfp", "decision_jugement", "parc", "type_bailleur", "organisme"})


@dataclass(frozen=True)
class FieldSpec:
    name: str
    labels: tuple[str, ...]  # header spellings as written in layouts.toml
    headers: frozenset[str]  # the same, normalised
    kind: str
    required: bool
    distinctive: bool
    name_group: bool  # one field of the name group must be present (Locataire or Nom)

    @property
    def label(self) -> str:
        return self.labels[0]


@dataclass(frozen=True)
class EventSpec:
    field: str  # the date field
    code: str | None  # fixed event code
    code_from: str | None  # or the field whose value gives the code (huissier: type d'acte)
    value_field: str | None = None  # a field whose code qualifies the event (a decision)


@dataclass(frozen=True)
class SourceSpec:
    name: str
    label: str
    aliases: tuple[str, ...]
    fields: dict[str, FieldSpec]
    main_event: EventSpec
    events: tuple[EventSpec, ...]
    reference_field: str | None

    @property
    def required_fields(self) -> list[FieldSpec]:
        return [f for f in self.fields.values() if f.required]

    @property
    def name_group(self) -> list[FieldSpec]:
        return [f for f in self.fields.values() if f.name_group]


@cache
def load_layouts() -> dict[str, SourceSpec]:
    """All reference layouts, keyed by source name."""
    with LAYOUTS_FILE.open("rb") as handle:
        data = tomllib.load(handle)
    return {name: _source(name, raw) for name, raw in data["sources"].items()}


def _source(name: str, raw: dict[str, object]) -> SourceSpec:
    fields_raw = raw["champs"]
    assert isinstance(fields_raw, dict)
    fields = {}
    for field_name, spec in fields_raw.items():
        kind = spec["type"]
        assert kind in KINDS, (name, field_name, kind)
        labels = tuple(spec["entetes"])
        fields[field_name] = FieldSpec(
            name=field_name,
            labels=labels,
            headers=frozenset(normalize_header(label) for label in labels),
            kind=kind,
            required=bool(spec.get("requis", False)),
            distinctive=bool(spec.get("distinctif", False)),
            name_group=bool(spec.get("groupe_nom", False)),
        )
    main = raw["evenement_principal"]
    assert isinstance(main, dict)
    events = raw.get("evenements", [])
    assert isinstance(events, list)
    reference = raw.get("reference") or None
    return SourceSpec(
        name=name,
        label=str(raw["libelle"]),
        aliases=tuple(str(a) for a in raw.get("alias", [])),  # type: ignore[attr-defined]
        fields=fields,
        main_event=_event(main),
        events=tuple(_event(e) for e in events),
        reference_field=str(reference) if reference else None,
    )


def _event(raw: dict[str, str]) -> EventSpec:
    return EventSpec(
        field=raw["champ"], code=raw.get("code"), code_from=raw.get("code_depuis"), value_field=raw.get("valeur")
    )


def resolve_source_name(value: str) -> str:
    """``huissier``, ``commissaire``, ``CJ``, ``CAF``… → the source's name; French error otherwise."""
    wanted = fold(value).lower()
    for spec in load_layouts().values():
        if wanted == spec.name or wanted in (fold(a).lower() for a in spec.aliases):
            return spec.name
    known = ", ".join(load_layouts())
    raise ExplocError(f"Source inconnue : « {value} ». Sources possibles : {known}.")
