"""One partner row → a normalised signalement with its dated events, or a reject.

Required values that cannot be used reject the row (with a French reason naming the column
and the value); a malformed optional value is kept raw and reported as a warning.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from ..normalize import addresses, amounts, dates, identifiers, names, text, vocabulary
from .layouts import EventSpec
from .mapping import HeaderMatch

EARLIEST_EVENT = date(1990, 1, 1)
EARLIEST_BIRTH = date(1900, 1, 1)
MAX_VALUE_LENGTH = 2000
REJECT = "rejet"
WARNING = "avertissement"


@dataclass(frozen=True)
class Anomaly:
    """A problem found in a row: a reject or a warning, in French."""

    severity: str
    row: int
    sheet: str | None
    column: str
    value: str
    reason: str


class RowRejected(Exception):
    def __init__(self, anomaly: Anomaly) -> None:
        super().__init__(anomaly.reason)
        self.anomaly = anomaly


@dataclass
class NormalisedRow:
    row: int
    sheet: str | None
    values: dict[str, Any]  # signalement columns
    events: list[tuple[str, date, bool, str | None]]  # code, date, principal, valeur
    warnings: list[Anomaly]
    fingerprint: bytes
    raw: str
    warnings_json: str | None = None


Parser = Callable[[str], Any]


class RowNormaliser:
    """Normalises the rows of one sheet whose header is ``match``."""

    def __init__(self, match: HeaderMatch, *, allocataire_width: int = 7, today: date | None = None) -> None:
        self.match = match
        self.spec = match.spec
        self.today = today or date.today()
        self.latest_event = self.today + timedelta(days=1)
        self.allocataire_width = allocataire_width
        overrides = match.profile.values if match.profile is not None else {}
        self._event_fields = {e.field for e in (self.spec.main_event, *self.spec.events)}
        self._fingerprint_columns = sorted(match.columns.items())
        self._width = match.width
        self._simple: list[tuple[str, int, str, Parser]] = []
        for name, index in match.columns.items():
            kind = self.spec.fields[name].kind
            if name in self._event_fields or kind in _GROUPED_KINDS:
                continue
            self._simple.append((name, index, kind, self._parser(kind, overrides.get(name))))
        act_overrides = overrides.get("type_acte")
        self._act_parser: Parser = lambda v: vocabulary.parse_act_type(v, overrides=act_overrides)

    def _parser(self, kind: str, overrides: Mapping[str, str] | None) -> Parser:
        if kind == "allocataire":
            width = self.allocataire_width
            return lambda v: identifiers.normalize_allocataire(v, width)
        if kind in _VOCABULARY_PARSERS:
            parse = _VOCABULARY_PARSERS[kind]
            return lambda v: parse(v, overrides=overrides)
        return _SIMPLE_PARSERS[kind]

    # -- one row -------------------------------------------------------------------------
    def normalise(self, number: int, cells: list[str], sheet: str | None) -> NormalisedRow:
        self._check_shape(number, cells, sheet)
        warnings: list[Anomaly] = []
        values: dict[str, Any] = {"source": self.spec.name, "ligne": number, "feuille": sheet}
        for name, index, kind, parse in self._simple:
            raw = cells[index]
            if not raw or not (raw := raw.strip()):
                continue
            if len(raw) > MAX_VALUE_LENGTH:
                self._reject(number, sheet, name, raw[:50] + "…", f"valeur trop longue ({len(raw)} caractères)")
            try:
                values[name] = parse(raw)
            except ValueError as err:
                if self.spec.fields[name].required:
                    self._reject(number, sheet, name, raw, str(err))
                warnings.append(self._anomaly(WARNING, number, sheet, name, raw, f"{err} ; valeur ignorée"))
        self._names(number, cells, sheet, values)
        self._address(cells, values, warnings, number, sheet)
        self._dates_of_person(values, warnings, number, sheet)
        events = self._events(number, cells, sheet, values, warnings)
        _derive_parc(self.spec.name, values)
        values["reference"] = values.get(self.spec.reference_field or "", None)
        return NormalisedRow(number, sheet, values, events, warnings, self._fingerprint(cells),
                             json.dumps(cells, ensure_ascii=False))

    def _check_shape(self, number: int, cells: list[str], sheet: str | None) -> None:
        if len(cells) < self._width:
            missing = self.match.headers[len(cells)].strip() if len(cells) < len(self.match.headers) else ""
            self._reject_raw(number, sheet, missing, "",
                             f"ligne incomplète : {len(cells)} champs au lieu de {self._width} (ligne tronquée ?)")
        if len(cells) > len(self.match.headers) and any(c.strip() for c in cells[len(self.match.headers):]):
            self._reject_raw(number, sheet, "", "",
                             f"ligne de {len(cells)} champs pour {len(self.match.headers)} en-têtes"
                             " (séparateur non protégé dans un champ ?)")

    def _names(self, number: int, cells: list[str], sheet: str | None, values: dict[str, Any]) -> None:
        columns = self.match.columns
        full = cells[columns["locataire"]].strip() if "locataire" in columns else ""
        last = cells[columns["nom"]].strip() if "nom" in columns else ""
        first = cells[columns["prenom"]].strip() if "prenom" in columns else ""
        column = "locataire" if full and not last else ("nom" if "nom" in columns else "locataire")
        raw = full if column == "locataire" else last
        if not (full or last or first):
            self._reject(number, sheet, column, "", "aucun nom : la ligne ne peut pas être rattachée à un ménage")
        try:
            parsed = names.parse_full_name(full) if column == "locataire" else names.parse_name_fields(last, first)
        except ValueError as err:
            self._reject(number, sheet, column, raw or first, str(err))
        holder = parsed.titulaire
        values.update(civilite=holder.civilite, nom=holder.nom, nom_naissance=holder.nom_naissance,
                      prenoms=holder.prenoms, nom_cle=text.fold(holder.nom) if holder.nom else None,
                      prenom_cle=text.fold(holder.prenoms) if holder.prenoms else None)
        if parsed.second is not None:
            second = parsed.second
            values.update(civilite2=second.civilite, nom2=second.nom, nom_naissance2=second.nom_naissance,
                          prenoms2=second.prenoms)

    def _address(self, cells: list[str], values: dict[str, Any], warnings: list[Anomaly], number: int,
                 sheet: str | None) -> None:
        index = self.match.columns.get("adresse")
        raw = cells[index].strip() if index is not None else ""
        if not raw:
            return
        values["adresse_brute"] = raw
        parsed = addresses.parse_address(raw, values.get("code_postal"), values.get("commune"))
        values.update(numero=parsed.numero, suffixe=parsed.suffixe, voie=parsed.voie,
                      complement=parsed.complement)
        if parsed.code_postal and not values.get("code_postal"):
            values["code_postal"] = parsed.code_postal
        if parsed.commune and not values.get("commune"):
            values["commune"] = parsed.commune

    def _dates_of_person(self, values: dict[str, Any], warnings: list[Anomaly], number: int,
                         sheet: str | None) -> None:
        for name, earliest in (("date_naissance", EARLIEST_BIRTH), ("date_bail", EARLIEST_BIRTH)):
            value = values.get(name)
            if value is not None and not (earliest <= value <= self.today):
                warnings.append(self._anomaly(WARNING, number, sheet, name, dates.format_date_fr(value),
                                              "date invraisemblable ; valeur ignorée"))
                values[name] = None

    def _events(self, number: int, cells: list[str], sheet: str | None, values: dict[str, Any],
                warnings: list[Anomaly]) -> list[tuple[str, date, bool, str | None]]:
        main = self.spec.main_event
        code = self._main_code(number, cells, sheet, main)
        when = self._event_date(number, cells, sheet, main.field, required=True, warnings=warnings)
        assert when is not None
        value = values.get("decision") if code in ("jugement", "decision_cfp") else None
        events = [(code, when, True, value)]
        for spec in self.spec.events:
            when = self._event_date(number, cells, sheet, spec.field, required=False, warnings=warnings)
            if when is not None:
                extra = values.get(spec.value_field) if spec.value_field else None
                events.append((spec.code or "", when, False, extra))
        return events

    def _main_code(self, number: int, cells: list[str], sheet: str | None, main: EventSpec) -> str:
        if main.code is not None:
            return main.code
        assert main.code_from is not None
        index = self.match.columns[main.code_from]
        raw = cells[index].strip()
        if not raw:
            self._reject(number, sheet, main.code_from, "", "type d'acte absent")
        try:
            return str(self._act_parser(raw))
        except ValueError as err:
            self._reject(number, sheet, main.code_from, raw, f"{err} (ajoutez-le au profil, table [valeurs.type_acte])")
        raise AssertionError("unreachable")

    def _event_date(self, number: int, cells: list[str], sheet: str | None, field_name: str, *,
                    required: bool, warnings: list[Anomaly]) -> date | None:
        index = self.match.columns.get(field_name)
        raw = cells[index].strip() if index is not None else ""
        if not raw:
            if required:
                self._reject(number, sheet, field_name, "", "date absente : l'événement ne peut pas être daté")
            return None
        try:
            when = dates.parse_date(raw, today=self.today)
        except ValueError as err:
            if required:
                self._reject(number, sheet, field_name, raw, str(err))
            warnings.append(self._anomaly(WARNING, number, sheet, field_name, raw, f"{err} ; date ignorée"))
            return None
        if when < EARLIEST_EVENT or (required and when > self.latest_event):
            reason = "date dans le futur" if when > self.today else "date invraisemblable (avant 1990)"
            if required:
                self._reject(number, sheet, field_name, raw, reason)
            warnings.append(self._anomaly(WARNING, number, sheet, field_name, raw, f"{reason} ; date ignorée"))
            return None
        return when

    def _fingerprint(self, cells: list[str]) -> bytes:
        """Hash of the raw mapped values, trimmed (not of normalised values: see LAYOUTS.md)."""
        parts = [f"{name}\x1e{cells[index].strip()}" for name, index in self._fingerprint_columns
                 if index < len(cells) and cells[index].strip()]
        return hashlib.blake2b("\x1f".join(parts).encode("utf-8", "surrogatepass"), digest_size=16).digest()

    # -- anomalies ------------------------------------------------------------------------
    def _anomaly(self, severity: str, number: int, sheet: str | None, field_name: str, value: str,
                 reason: str) -> Anomaly:
        column = self.match.label(field_name) if field_name in self.spec.fields else field_name
        return Anomaly(severity, number, sheet, column, value, reason)

    def _reject(self, number: int, sheet: str | None, field_name: str, value: str, reason: str) -> None:
        raise RowRejected(self._anomaly(REJECT, number, sheet, field_name, value, reason))

    def _reject_raw(self, number: int, sheet: str | None, column: str, value: str, reason: str) -> None:
        raise RowRejected(Anomaly(REJECT, number, sheet, column, value, reason))


def _derive_parc(source: str, values: dict[str, Any]) -> None:
    """Parc public/privé: given, or implied by a social landlord's saisine or a private landlord."""
    if values.get("parc"):
        return
    if source == "bailleur":
        values["parc"] = "public"
    elif values.get("type_bailleur") in ("pp", "sci_familiale"):
        values["parc"] = "prive"


_GROUPED_KINDS = frozenset({"name_full", "nom", "prenom", "address", "act_type"})
_SIMPLE_PARSERS: dict[str, Parser] = {
    "text": text.clean_spaces,
    "identifier": identifiers.normalize_identifier,
    "date": lambda v: dates.parse_date(v),
    "amount": amounts.parse_amount_centimes,
    "int": identifiers.parse_int,
    "bool": identifiers.parse_bool_fr,
    "postcode": addresses.normalize_postcode,
    "insee": identifiers.normalize_insee,
    "commune": addresses.normalize_commune,
}
_VOCABULARY_PARSERS: dict[str, Callable[..., str]] = {
    "decision_cfp": vocabulary.parse_decision_cfp,
    "decision_jugement": vocabulary.parse_jugement_decision,
    "parc": vocabulary.parse_parc,
    "type_bailleur": vocabulary.parse_type_bailleur,
    "organisme": vocabulary.parse_organisme,
}
