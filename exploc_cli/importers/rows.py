"""Partner rows → normalised signalements with their dated events, or rejects.

Rows are normalised **a batch at a time, column by column**: each column of the batch goes
through a cached parser (values repeat a lot in partner files: dates, communes, amounts,
names), and the parsed columns are zipped straight into the tuples the store inserts. A
required value that cannot be used rejects its row, with a French reason naming the column
and the value; a malformed optional value is kept raw (in ``brut``) and reported as a warning.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from itertools import repeat
from typing import Any

from ..normalize import addresses, amounts, dates, identifiers, names, text, vocabulary
from .mapping import HeaderMatch

EARLIEST_EVENT = date(1990, 1, 1)
EARLIEST_BIRTH = date(1900, 1, 1)
MAX_VALUE_LENGTH = 2000
REJECT = "rejet"
WARNING = "avertissement"
NAME_COLUMNS = ("civilite", "nom", "nom_naissance", "prenoms", "nom_cle", "prenom_cle",
                "civilite2", "nom2", "nom_naissance2", "prenoms2")
ADDRESS_COLUMNS = ("numero", "suffixe", "voie", "complement")
_encode_raw = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


@dataclass(frozen=True)
class Anomaly:
    """A problem found in a row: a reject or a warning, in French."""

    severity: str
    row: int
    sheet: str | None
    column: str
    value: str
    reason: str


@dataclass(frozen=True)
class Invalid:
    """What a safe parser returns instead of raising (cached like any other result)."""

    value: str
    reason: str


Parser = Callable[[str], Any]
SafeParser = Callable[[str], Any]


def safe(parse: Parser, cache: int = 65536) -> SafeParser:
    """Wrap ``parse``: strip, empty → None, ValueError → :class:`Invalid`; results cached."""

    def run(raw: str) -> Any:
        value = raw.strip()
        if not value:
            return None
        if len(value) > MAX_VALUE_LENGTH:
            return Invalid(value[:50] + "…", f"valeur trop longue ({len(value)} caractères)")
        try:
            return parse(value)
        except ValueError as err:
            return Invalid(value, str(err))

    return lru_cache(maxsize=cache)(run) if cache else run


@dataclass
class NormalisedBatch:
    """The outcome of one batch: accepted rows ready to insert, and the anomalies found."""

    rows: list[tuple[Any, ...]] = field(default_factory=list)  # in ``RowNormaliser.columns`` order
    fingerprints: list[bytes] = field(default_factory=list)
    raws: list[str] = field(default_factory=list)
    events: list[list[tuple[str, date, bool, str | None]]] = field(default_factory=list)
    warnings_json: list[str | None] = field(default_factory=list)
    rejects: list[Anomaly] = field(default_factory=list)
    warnings: list[Anomaly] = field(default_factory=list)

    def keep(self, indices: Sequence[int]) -> NormalisedBatch:
        """The same batch restricted to the accepted rows at ``indices`` (anomalies kept)."""
        return NormalisedBatch([self.rows[i] for i in indices], [self.fingerprints[i] for i in indices],
                               [self.raws[i] for i in indices], [self.events[i] for i in indices],
                               [self.warnings_json[i] for i in indices], self.rejects, self.warnings)


class RowNormaliser:
    """Normalises the batches of rows of one sheet whose header is ``match``."""

    def __init__(self, match: HeaderMatch, *, allocataire_width: int = 7, today: date | None = None) -> None:
        self.match = match
        self.spec = match.spec
        self.today = today or date.today()
        self.latest_event = self.today + timedelta(days=1)
        overrides = match.profile.values if match.profile is not None else {}
        mapped = match.columns
        event_fields = {e.field for e in (self.spec.main_event, *self.spec.events)}
        self._simple = [
            (name, index, _parser_for(self.spec.fields[name].kind, overrides.get(name), allocataire_width),
             self.spec.fields[name].required)
            for name, index in mapped.items()
            if name not in event_fields and self.spec.fields[name].kind not in _GROUPED_KINDS
        ]
        self._fingerprint_columns = [(f"\x1f{name}\x1e", index) for name, index in sorted(mapped.items())]
        self._width = match.width
        self._header_count = len(match.headers)
        self._name_indices = (mapped.get("locataire"), mapped.get("nom"), mapped.get("prenom"))
        self._address_index = mapped.get("adresse")
        main = self.spec.main_event
        self._main_code = main.code
        self._act_index = mapped[main.code_from] if main.code_from else None
        self._act_parser = _act_parser(_frozen(overrides.get("type_acte")))
        self._main_date = (main.field, mapped[main.field])
        self._secondary = [(e.code or "", e.field, mapped[e.field], e.value_field)
                           for e in self.spec.events if e.field in mapped]
        simple_names = [name for name, _, _, _ in self._simple]
        self.columns: tuple[str, ...] = (
            "source", "ligne", "feuille", *simple_names, *NAME_COLUMNS,
            *(("adresse_brute", *ADDRESS_COLUMNS) if self._address_index is not None else ()),
            *(c for c in ("code_postal", "commune", "parc") if c not in simple_names),
        )

    # -- one batch -----------------------------------------------------------------------
    def normalise_batch(self, batch: list[tuple[int, list[str]]], sheet: str | None) -> NormalisedBatch:
        result = NormalisedBatch()
        rejected: dict[int, Anomaly] = {}
        warned: dict[int, list[Anomaly]] = {}
        numbers = [number for number, _ in batch]
        rows = self._shaped(batch, sheet, rejected)
        if not rows:
            result.rejects.extend(rejected.values())
            return result
        columns = list(zip(*rows, strict=True))
        context = _Context(numbers, sheet, rejected, warned)
        parsed = {name: self._column(context, name, columns[index], parse, required)
                  for name, index, parse, required in self._simple}
        name_values = self._names(context, columns)
        address_values = self._addresses(columns, parsed)
        codes = self._codes(context, columns)
        main_dates = self._dates(context, self._main_date[0], columns[self._main_date[1]], required=True)
        secondary = [(code, self._dates(context, name, columns[index], required=False),
                      parsed.get(value_field) if value_field else None)
                     for code, name, index, value_field in self._secondary]
        self._person_dates(context, parsed)
        output = self._assemble(parsed, name_values, address_values, sheet, numbers)
        fingerprints = self._fingerprints(columns)
        for i in range(len(rows)):
            if i in rejected:
                continue
            code = codes[i]
            decision = parsed["decision"][i] if code in ("jugement", "decision_cfp") and "decision" in parsed else None
            events = [(code, main_dates[i], True, decision)]
            events.extend((c, when[i], False, values[i] if values else None)
                          for c, when, values in secondary if when[i] is not None)
            row_warnings = warned.get(i)
            result.rows.append(output[i])
            result.events.append(events)
            result.fingerprints.append(fingerprints[i])
            result.raws.append(_encode_raw(batch[i][1]))
            result.warnings_json.append(_warnings_json(row_warnings) if row_warnings else None)
        result.rejects.extend(rejected[i] for i in sorted(rejected))
        result.warnings.extend(w for i in sorted(warned) if i not in rejected for w in warned[i])
        return result

    def _shaped(self, batch: list[tuple[int, list[str]]], sheet: str | None,
                rejected: dict[int, Anomaly]) -> list[list[str]]:
        """Rows cut to the header's width; too short or too long ones are rejected."""
        width, count = self._width, self._header_count
        shaped: list[list[str]] = []
        for i, (number, cells) in enumerate(batch):
            size = len(cells)
            if size == count:
                shaped.append(cells)
                continue
            if size < width:
                column = self.match.headers[size].strip() if size < count else ""
                rejected[i] = Anomaly(REJECT, number, sheet, column, "",
                                      f"ligne incomplète : {size} champs au lieu de {width} (ligne tronquée ?)")
            elif size > count and any(c.strip() for c in cells[count:]):
                rejected[i] = Anomaly(REJECT, number, sheet, "", "",
                                      f"ligne de {size} champs pour {count} en-têtes (séparateur non protégé "
                                      "dans un champ ?)")
            shaped.append((cells + [""] * count)[:count])
        return shaped

    def _column(self, context: _Context, name: str, raw: Sequence[str], parse: SafeParser,
                required: bool) -> list[Any]:
        values = list(map(parse, raw))
        if Invalid not in set(map(type, values)):  # the usual case, checked at C speed
            return values
        for i, value in enumerate(values):
            if value.__class__ is Invalid:
                values[i] = None
                if required:
                    context.reject(i, self._label(name), value.value, value.reason)
                else:
                    context.warn(i, self._label(name), value.value, f"{value.reason} ; valeur ignorée")
        return values

    def _names(self, context: _Context, columns: list[tuple[str, ...]]) -> list[tuple[Any, ...] | None]:
        full_index, last_index, first_index = self._name_indices
        empty = repeat("")
        full = columns[full_index] if full_index is not None else empty
        last = columns[last_index] if last_index is not None else empty
        first = columns[first_index] if first_index is not None else empty
        values: list[tuple[Any, ...] | None] = list(map(_parse_names, full, last, first))
        label = self._label("locataire" if last_index is None else "nom")
        for i, value in enumerate(values):
            if value.__class__ is Invalid:
                context.reject(i, label, value.value, value.reason)  # type: ignore[union-attr]
                values[i] = None
        return values

    def _addresses(self, columns: list[tuple[str, ...]], parsed: dict[str, list[Any]]) -> list[tuple[Any, ...]] | None:
        if self._address_index is None:
            return None
        size = len(columns[0])
        postcodes = parsed.get("code_postal") or [None] * size
        communes = parsed.get("commune") or [None] * size
        return list(map(_parse_address, columns[self._address_index], postcodes, communes))

    def _codes(self, context: _Context, columns: list[tuple[str, ...]]) -> list[str]:
        if self._act_index is None:
            assert self._main_code is not None
            return [self._main_code] * len(columns[0])
        codes = list(map(self._act_parser, columns[self._act_index]))
        label = self._label(self.spec.main_event.code_from or "")
        for i, code in enumerate(codes):
            if code is None:
                context.reject(i, label, "", "type d'acte absent")
            elif code.__class__ is Invalid:
                context.reject(i, label, code.value, f"{code.reason} (ajoutez-le au profil, table [valeurs.type_acte])")
        return codes

    def _dates(self, context: _Context, name: str, raw: Sequence[str], *, required: bool) -> list[date | None]:
        values = list(map(_parse_date, raw))
        label = self._label(name)
        latest = self.latest_event
        for i, value in enumerate(values):
            if value.__class__ is date and EARLIEST_EVENT <= value and (not required or value <= latest):  # type: ignore[operator]
                continue
            if value is None:
                if required:
                    context.reject(i, label, "", "date absente : l'événement ne peut pas être daté")
                continue
            if value.__class__ is Invalid:
                shown, reason = value.value, value.reason  # type: ignore[union-attr]
            else:
                shown = raw[i].strip()
                reason = "date dans le futur" if value > self.today else "date invraisemblable (avant 1990)"  # type: ignore[operator]
            values[i] = None
            if required:
                context.reject(i, label, shown, reason)
            else:
                context.warn(i, label, shown, f"{reason} ; date ignorée")
        return values

    def _person_dates(self, context: _Context, parsed: dict[str, list[Any]]) -> None:
        for name in ("date_naissance", "date_bail"):
            values = parsed.get(name)
            if values is None:
                continue
            for i, value in enumerate(values):
                if value is not None and not (EARLIEST_BIRTH <= value <= self.today):
                    context.warn(i, self._label(name), dates.format_date_fr(value),
                                 "date invraisemblable ; valeur ignorée")
                    values[i] = None

    def _assemble(self, parsed: dict[str, list[Any]], name_values: list[tuple[Any, ...] | None],
                  address_values: list[tuple[Any, ...]] | None, sheet: str | None,
                  numbers: list[int]) -> list[tuple[Any, ...]]:
        """Zip the parsed columns into one tuple per row, in ``self.columns`` order."""
        size = len(numbers)
        by_column: dict[str, Any] = {"source": repeat(self.spec.name, size), "ligne": numbers,
                                     "feuille": repeat(sheet, size), **parsed}
        by_column.update(zip(NAME_COLUMNS, zip(*[v or _NO_NAMES for v in name_values], strict=True), strict=True))
        postcodes = parsed.get("code_postal") or [None] * size
        communes = parsed.get("commune") or [None] * size
        if address_values is not None:
            raw, numero, suffixe, voie, complement, found_postcodes, found_communes = zip(*address_values, strict=True)
            by_column.update(adresse_brute=raw, numero=numero, suffixe=suffixe, voie=voie, complement=complement)
            postcodes = [given or found for given, found in zip(postcodes, found_postcodes, strict=True)]
            communes = [given or found for given, found in zip(communes, found_communes, strict=True)]
        by_column.update(code_postal=postcodes, commune=communes, parc=self._parc(parsed, size))
        return list(zip(*(by_column[c] for c in self.columns)))

    def _parc(self, parsed: dict[str, list[Any]], size: int) -> list[str | None]:
        """Parc public/privé: given, or implied by a social landlord's saisine or a private landlord."""
        given = parsed.get("parc") or [None] * size
        if self.spec.name == "bailleur":
            return [p or "public" for p in given]
        landlord = parsed.get("type_bailleur") or [None] * size
        return [p or ("prive" if t in ("pp", "sci_familiale") else None) for p, t in zip(given, landlord, strict=True)]

    def _fingerprints(self, columns: list[tuple[str, ...]]) -> list[bytes]:
        """Hashes of the raw mapped values, trimmed (not of normalised values: see LAYOUTS.md).

        Each non-empty value carries its field's name, and empty values add nothing, so that
        a later file with an extra empty optional column gives the same fingerprints.
        """
        pieces = [[prefix + value if value else "" for value in map(str.strip, columns[index])]
                  for prefix, index in self._fingerprint_columns]
        blake2b = hashlib.blake2b
        return [blake2b(joined.encode("utf-8", "surrogatepass"), digest_size=16).digest()
                for joined in map("".join, zip(*pieces, strict=True))]

    def _label(self, field_name: str) -> str:
        return self.match.label(field_name) if field_name in self.spec.fields else field_name


@dataclass
class _Context:
    numbers: list[int]
    sheet: str | None
    rejected: dict[int, Anomaly]
    warned: dict[int, list[Anomaly]]

    def reject(self, i: int, column: str, value: str, reason: str) -> None:
        if i not in self.rejected:  # the first reason found is the one reported
            self.rejected[i] = Anomaly(REJECT, self.numbers[i], self.sheet, column, value, reason)

    def warn(self, i: int, column: str, value: str, reason: str) -> None:
        self.warned.setdefault(i, []).append(Anomaly(WARNING, self.numbers[i], self.sheet, column, value, reason))


def _warnings_json(warnings: list[Anomaly]) -> str:
    return json.dumps([{"colonne": w.column, "valeur": w.value, "motif": w.reason} for w in warnings],
                      ensure_ascii=False)


_NO_NAMES: tuple[None, ...] = (None,) * len(NAME_COLUMNS)


@lru_cache(maxsize=65536)
def _parse_names(full: str, last: str, first: str) -> tuple[Any, ...] | Invalid:
    """The name columns of a row (holder, keys for matching, second person), cached."""
    full, last, first = full.strip(), last.strip(), first.strip()
    if not (full or last or first):
        return Invalid("", "aucun nom : la ligne ne peut pas être rattachée à un ménage")
    try:
        parsed = names.parse_full_name(full) if full and not last else names.parse_name_fields(last, first)
    except ValueError as err:
        return Invalid((full if full and not last else last) or first, str(err))
    holder, second = parsed.titulaire, parsed.second
    return (
        holder.civilite, holder.nom, holder.nom_naissance, holder.prenoms,
        text.fold(holder.nom) if holder.nom else None, text.fold(holder.prenoms) if holder.prenoms else None,
        second.civilite if second else None, second.nom if second else None,
        second.nom_naissance if second else None, second.prenoms if second else None,
    )


@lru_cache(maxsize=65536)
def _parse_address(raw: str, postcode: str | None, commune: str | None) -> tuple[Any, ...]:
    """(adresse brute, numéro, suffixe, voie, complément, code postal, commune), cached."""
    raw = raw.strip()
    if not raw:
        return (None,) * 7
    parsed = addresses.parse_address(raw, postcode, commune)
    return raw, parsed.numero, parsed.suffixe, parsed.voie, parsed.complement, parsed.code_postal, parsed.commune


def _frozen(mapping: Mapping[str, str] | None) -> tuple[tuple[str, str], ...]:
    return tuple(sorted(mapping.items())) if mapping else ()


@lru_cache(maxsize=32)
def _act_parser(overrides: tuple[tuple[str, str], ...]) -> SafeParser:
    table = dict(overrides) or None
    return safe(lambda v: vocabulary.parse_act_type(v, overrides=table), 4096)


def _vocabulary_parser(parse: Callable[..., str], overrides: Mapping[str, str] | None) -> SafeParser:
    return safe(lambda v: parse(v, overrides=overrides), 4096)


def _parser_for(kind: str, overrides: Mapping[str, str] | None, allocataire_width: int) -> SafeParser:
    if kind == "allocataire":
        return safe(lambda v: identifiers.normalize_allocataire(v, allocataire_width), 0)
    if kind in _VOCABULARY_PARSERS:
        return _vocabulary_parser(_VOCABULARY_PARSERS[kind], overrides)
    return _SAFE_PARSERS[kind]


_parse_date = safe(dates.parse_date, 65536)
_GROUPED_KINDS = frozenset({"name_full", "nom", "prenom", "address", "act_type"})
_SAFE_PARSERS: dict[str, SafeParser] = {
    "text": safe(text.clean_spaces, 16384),
    "identifier": safe(identifiers.normalize_identifier, 0),
    "date": _parse_date,
    "amount": safe(amounts.parse_amount_centimes, 65536),
    "int": safe(identifiers.parse_int, 1024),
    "bool": safe(identifiers.parse_bool_fr, 256),
    "postcode": safe(addresses.normalize_postcode, 16384),
    "insee": safe(identifiers.normalize_insee, 16384),
    "commune": safe(addresses.normalize_commune, 16384),
}
_VOCABULARY_PARSERS: dict[str, Callable[..., str]] = {
    "decision_cfp": vocabulary.parse_decision_cfp,
    "decision_jugement": vocabulary.parse_jugement_decision,
    "parc": vocabulary.parse_parc,
    "type_bailleur": vocabulary.parse_type_bailleur,
    "organisme": vocabulary.parse_organisme,
}
