"""Finding the header row, mapping columns to fields, and recognising the source."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from ..normalize.text import fold, normalize_header
from .layouts import FieldSpec, SourceSpec
from .profiles import Profile

HEADER_SEARCH_ROWS = 30


@dataclass(frozen=True)
class HeaderMatch:
    """How one row of a sheet reads as the header of a source's layout."""

    spec: SourceSpec
    row_number: int
    headers: tuple[str, ...]
    columns: dict[str, int]  # field → column index
    duplicate_headers: tuple[str, ...] = field(default=())
    profile: Profile | None = None

    @property
    def missing_required(self) -> list[FieldSpec]:
        missing = [f for f in self.spec.required_fields if f.name not in self.columns]
        group = self.spec.name_group
        if group and not any(f.name in self.columns for f in group):
            missing.extend(group)
        return missing

    @property
    def complete(self) -> bool:
        return not self.missing_required

    @property
    def distinctive_matched(self) -> list[FieldSpec]:
        return [self.spec.fields[n] for n in self.columns if self.spec.fields[n].distinctive]

    @property
    def score(self) -> tuple[int, int, int, int]:
        return (int(self.complete), len(self.distinctive_matched), len(self.columns), -self.row_number)

    @property
    def width(self) -> int:
        """Number of header cells up to the last non-empty one."""
        last = 0
        for index, cell in enumerate(self.headers):
            if cell.strip():
                last = index + 1
        return last

    def label(self, field_name: str) -> str:
        """The header of the column holding ``field_name``, as the partner wrote it."""
        index = self.columns.get(field_name)
        if index is None:
            return self.spec.fields[field_name].label
        return self.headers[index].strip()


@lru_cache(maxsize=4096)
def _normalised(cell: str) -> str:
    return normalize_header(cell)


def match_row(row_number: int, cells: list[str], spec: SourceSpec, profile: Profile | None) -> HeaderMatch:
    """Map the cells of one row to the fields of ``spec`` (profile headers first)."""
    lookup: dict[str, str] = {}
    for name, field_spec in spec.fields.items():
        headers = profile.columns.get(name) if profile is not None else None
        for header in headers or field_spec.headers:
            lookup.setdefault(header, name)
    columns: dict[str, int] = {}
    duplicates: list[str] = []
    for index, cell in enumerate(cells):
        if not cell or not cell.strip():
            continue
        found = lookup.get(_normalised(cell))
        if found is None:
            continue
        if found in columns:
            duplicates.append(cell.strip())
            continue
        columns[found] = index
    return HeaderMatch(spec, row_number, tuple(cells), columns, tuple(duplicates), profile)


def best_header(
    rows: list[tuple[int, list[str]]], specs: list[SourceSpec], profile: Profile | None, header_row: int | None = None
) -> HeaderMatch | None:
    """The best header among the first rows for any of ``specs`` (None if nothing matches)."""
    best: HeaderMatch | None = None
    for number, cells in rows[:HEADER_SEARCH_ROWS]:
        if header_row is not None and number != header_row:
            continue
        for spec in specs:
            match = match_row(number, cells, spec, profile)
            if len(match.columns) < 2 and not (header_row and match.columns):
                continue
            if best is None or match.score > best.score:
                best = match
    return best


def explain_detection(match: HeaderMatch, forced: str | None) -> str:
    """Say in French which source was chosen and why."""
    if forced == "profil" and match.profile is not None:
        return f"source « {match.spec.name} » donnée par le profil « {match.profile.name} »"
    if forced:
        return f"source « {match.spec.name} » demandée (--source)"
    clues = [f"« {match.label(f.name)} »" for f in match.distinctive_matched][:3]
    because = f" : en-têtes {', '.join(clues)}" if clues else ""
    return f"source « {match.spec.name} » reconnue ({match.spec.label}){because}"


def describe_missing(match: HeaderMatch | None, specs: list[SourceSpec], found: list[str]) -> str:
    """A French explanation of why no layout fits: missing required columns, headers found."""
    shown = ", ".join(f"« {h.strip()} »" for h in found if h.strip())[:600] or "(aucun)"
    if match is None:
        names = ", ".join(s.name for s in specs)
        return f"aucune disposition connue ({names}) ne correspond aux en-têtes trouvés : {shown}."
    missing = ", ".join(f"« {f.label} »" for f in match.missing_required)
    return (
        f"colonnes obligatoires manquantes pour la source « {match.spec.name} » : {missing}."
        f" En-têtes trouvés : {shown}."
    )


def is_total_row(cells: list[str]) -> bool:
    """A « Total » line at the end of a spreadsheet (first non-empty cell starts with Total)."""
    for cell in cells:
        if cell and cell.strip():
            return fold(cell).startswith("TOTAL")
    return False
