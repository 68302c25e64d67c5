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
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import repeat
from operator import itemgetter
from typing import Any

from ..normalize import dates
from ..normalize.departements import departement_of
from .mapping import HeaderMatch
from .parsers import (
    GROUPED_KINDS,
    Invalid,
    SafeParser,
    act_parser,
    frozen,
    parse_address_columns,
    parse_date,
    parse_names,
    parser_for,
)

EARLIEST_EVENT = date(1990, 1, 1)
EARLIEST_BIRTH = date(1900, 1, 1)
REJECT = "rejet"
WARNING = "avertissement"
NAME_COLUMNS = (
    "civilite",
    "nom",
    "nom_naissance",
    "prenoms",
    "nom_cle",
    "prenom_cle",
    "civilite2",
    "nom2",
    "nom_naissance2",
    "prenoms2",
)
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
        return NormalisedBatch(
            [self.rows[i] for i in indices],
            [self.fingerprints[i] for i in indices],
            [self.raws[i] for i in indices],
            [self.events[i] for i in indices],
            [self.warnings_json[i] for i in indices],
            self.rejects,
            self.warnings,
        )


class RowNormaliser:
    """Normalises the batches of rows of one sheet whose header is ``match``."""

    def __init__(
        self,
        match: HeaderMatch,
        *,
        allocataire_width: int = 7,
        today: date | None = None,
        departement: str | None = None,
    ) -> None:
        """``departement``: the département of the rows whose code INSEE and postcode tell none."""
        self.match = match
        self.departement = departement
        self.spec = match.spec
        self.today = today or date.today()
        self.latest_event = self.today + timedelta(days=1)
        overrides = match.profile.values if match.profile is not None else {}
        mapped = match.columns
        event_fields = {e.field for e in (self.spec.main_event, *self.spec.events)}
        self._simple = [
            (
                name,
                index,
                parser_for(self.spec.fields[name].kind, overrides.get(name), allocataire_width),
                self.spec.fields[name].required,
            )
            for name, index in mapped.items()
            if name not in event_fields and self.spec.fields[name].kind not in GROUPED_KINDS
        ]
        unmapped = len(match.headers)  # the index of the empty cell appended to each row
        self._fingerprint_values = itemgetter(*(mapped.get(name, unmapped) for name in sorted(self.spec.fields)))
        self._width = match.width
        self._header_count = len(match.headers)
        self._name_indices = (mapped.get("locataire"), mapped.get("nom"), mapped.get("prenom"))
        self._address_index = mapped.get("adresse")
        main = self.spec.main_event
        self._main_code = main.code
        self._act_index = mapped[main.code_from] if main.code_from else None
        self._act_parser = act_parser(frozen(overrides.get("type_acte")))
        self._main_date = (main.field, mapped[main.field])
        self._secondary = [
            (e.code or "", e.field, mapped[e.field], e.value_field) for e in self.spec.events if e.field in mapped
        ]
        simple_names = [name for name, _, _, _ in self._simple]
        self.columns: tuple[str, ...] = (
            "source",
            "ligne",
            "feuille",
            *simple_names,
            *NAME_COLUMNS,
            *(("adresse_brute", *ADDRESS_COLUMNS) if self._address_index is not None else ()),
            *(c for c in ("code_postal", "commune", "parc") if c not in simple_names),
            "departement",
        )

    # -- one batch -----------------------------------------------------------------------
    def normalise_batch(
        self, batch: list[tuple[int, list[str]]], sheet: str | None, fingerprints: list[bytes] | None = None
    ) -> NormalisedBatch:
        """Normalise ``batch`` (whose :meth:`fingerprints` may be given, to spare computing them)."""
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
        parsed = {
            name: self._column(context, name, columns[index], parse, required)
            for name, index, parse, required in self._simple
        }
        name_values = self._names(context, columns)
        address_values = self._addresses(columns, parsed)
        codes = self._codes(context, columns)
        main_dates = self._dates(context, self._main_date[0], columns[self._main_date[1]], required=True)
        secondary = [
            (
                code,
                self._dates(context, name, columns[index], required=False),
                parsed.get(value_field) if value_field else None,
            )
            for code, name, index, value_field in self._secondary
        ]
        self._person_dates(context, parsed)
        output = self._assemble(parsed, name_values, address_values, sheet, numbers)
        if fingerprints is None:
            fingerprints = self.fingerprints(batch)
        for i in range(len(rows)):
            if i in rejected:
                continue
            code = codes[i]
            decision = parsed["decision"][i] if code in ("jugement", "decision_cfp") and "decision" in parsed else None
            main_date = main_dates[i]
            assert main_date is not None  # a row without its main date was rejected above
            events: list[tuple[str, date, bool, str | None]] = [(code, main_date, True, decision)]
            for secondary_code, when, values in secondary:
                secondary_date = when[i]
                if secondary_date is not None:
                    events.append((secondary_code, secondary_date, False, values[i] if values else None))
            row_warnings = warned.get(i)
            result.rows.append(output[i])
            result.events.append(events)
            result.fingerprints.append(fingerprints[i])
            result.raws.append(_encode_raw(batch[i][1]))
            result.warnings_json.append(_warnings_json(row_warnings) if row_warnings else None)
        result.rejects.extend(rejected[i] for i in sorted(rejected))
        result.warnings.extend(w for i in sorted(warned) if i not in rejected for w in warned[i])
        return result

    def _shaped(
        self, batch: list[tuple[int, list[str]]], sheet: str | None, rejected: dict[int, Anomaly]
    ) -> list[list[str]]:
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
                rejected[i] = Anomaly(
                    REJECT,
                    number,
                    sheet,
                    column,
                    "",
                    f"ligne incomplète : {size} champs au lieu de {width} (ligne tronquée ?)",
                )
            elif size > count and any(c.strip() for c in cells[count:]):
                rejected[i] = Anomaly(
                    REJECT,
                    number,
                    sheet,
                    "",
                    "",
                    f"ligne de {size} champs pour {count} en-têtes (séparateur non protégé dans un champ ?)",
                )
            shaped.append((cells + [""] * count)[:count])
        return shaped

    def _column(self, context: _Context, name: str, raw: Sequence[str], parse: SafeParser, required: bool) -> list[Any]:
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
        values: list[Any] = list(map(parse_names, full, last, first))
        label = self._label("locataire" if last_index is None else "nom")
        for i, value in enumerate(values):
            if value.__class__ is Invalid:
                context.reject(i, label, value.value, value.reason)
                values[i] = None
        return values

    def _addresses(self, columns: list[tuple[str, ...]], parsed: dict[str, list[Any]]) -> list[tuple[Any, ...]] | None:
        if self._address_index is None:
            return None
        size = len(columns[0])
        postcodes = parsed.get("code_postal") or [None] * size
        communes = parsed.get("commune") or [None] * size
        return list(map(parse_address_columns, columns[self._address_index], postcodes, communes))

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
        values = list(map(parse_date, raw))
        label = self._label(name)
        latest = self.latest_event
        for i, value in enumerate(values):
            if value.__class__ is date and EARLIEST_EVENT <= value and (not required or value <= latest):
                continue
            if value is None:
                if required:
                    context.reject(i, label, "", "date absente : l'événement ne peut pas être daté")
                continue
            if value.__class__ is Invalid:
                shown, reason = value.value, value.reason
            else:
                shown = raw[i].strip()
                reason = "date dans le futur" if value > self.today else "date invraisemblable (avant 1990)"
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
                    context.warn(
                        i, self._label(name), dates.format_date_fr(value), "date invraisemblable ; valeur ignorée"
                    )
                    values[i] = None

    def _assemble(
        self,
        parsed: dict[str, list[Any]],
        name_values: list[tuple[Any, ...] | None],
        address_values: list[tuple[Any, ...]] | None,
        sheet: str | None,
        numbers: list[int],
    ) -> list[tuple[Any, ...]]:
        """Zip the parsed columns into one tuple per row, in ``self.columns`` order."""
        size = len(numbers)
        by_column: dict[str, Any] = {
            "source": repeat(self.spec.name, size),
            "ligne": numbers,
            "feuille": repeat(sheet, size),
            **parsed,
        }
        by_column.update(zip(NAME_COLUMNS, zip(*[v or _NO_NAMES for v in name_values], strict=True), strict=True))
        postcodes = parsed.get("code_postal") or [None] * size
        communes = parsed.get("commune") or [None] * size
        if address_values is not None:
            raw, numero, suffixe, voie, complement, found_postcodes, found_communes = zip(*address_values, strict=True)
            by_column.update(adresse_brute=raw, numero=numero, suffixe=suffixe, voie=voie, complement=complement)
            postcodes = [given or found for given, found in zip(postcodes, found_postcodes, strict=True)]
            communes = [given or found for given, found in zip(communes, found_communes, strict=True)]
        by_column.update(code_postal=postcodes, commune=communes, parc=self._parc(parsed, size))
        insee = parsed.get("code_insee") or [None] * size
        default = self.departement
        by_column["departement"] = [departement_of(i, p) or default for i, p in zip(insee, postcodes, strict=True)]
        return list(zip(*(by_column[c] for c in self.columns), strict=True))

    def _parc(self, parsed: dict[str, list[Any]], size: int) -> list[str | None]:
        """Parc public/privé: given, or implied by a social landlord's saisine or a private landlord."""
        given = parsed.get("parc") or [None] * size
        if self.spec.name == "bailleur":
            return [p or "public" for p in given]
        landlord = parsed.get("type_bailleur") or [None] * size
        return [p or ("prive" if t in ("pp", "sci_familiale") else None) for p, t in zip(given, landlord, strict=True)]

    def fingerprints(self, batch: list[tuple[int, list[str]]]) -> list[bytes]:
        """The fingerprint of each raw row: a hash of its trimmed raw values, field by field.

        Every field of the source has a fixed place (an unmapped one counts as empty), so a
        later file with an extra empty optional column, or its columns in another order, gives
        the same fingerprints. Raw values, not normalised ones: an improved normaliser never
        turns old rows into new ones (LAYOUTS.md, « Duplicates »).
        """
        getter, count, blake2b = self._fingerprint_values, self._header_count, hashlib.blake2b
        fingerprints = []
        for _, cells in batch:
            row = cells + [""] if len(cells) == count else (cells + [""] * (count + 1))[: count + 1]
            joined = "\x1f".join(map(str.strip, getter(row)))
            fingerprints.append(blake2b(joined.encode("utf-8", "surrogatepass"), digest_size=16).digest())
        return fingerprints

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
    return json.dumps(
        [{"colonne": w.column, "valeur": w.value, "motif": w.reason} for w in warnings], ensure_ascii=False
    )


_NO_NAMES: tuple[None, ...] = (None,) * len(NAME_COLUMNS)
