"""The rows of a sectorisation table, and the checks that span several rows.

A service or a unit is defined by its first row; later rows may leave its name and type empty
but must not contradict them. A unit belongs to one service. Within one service, a commune (or
a street, or a range of house numbers) is covered by a single unit at a time; a range inside a
wider range of the same street refines it (the narrower wins) and is no conflict.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from itertools import combinations

from ..normalize.text import fold
from .sectorisation_keys import NumberRange, commune_key, periods_overlap, service_type_label

Problem = Callable[[str, str], None]


@dataclass(frozen=True)
class ServiceRow:
    code: str
    nom: str
    type: str
    valide_du: date | None
    valide_au: date | None
    departement: str | None = None  # the département it serves (None: every one, or not said)


@dataclass(frozen=True)
class UnitRow:
    code: str
    nom: str
    type: str | None
    service_code: str
    valide_du: date | None
    valide_au: date | None


@dataclass(frozen=True)
class SectorRow:
    unite_code: str
    code_insee: str | None
    commune: str | None
    commune_cle: str | None
    voie: str | None
    voie_cle: str | None
    numero_min: int | None
    numero_max: int | None
    parite: str | None
    valide_du: date | None
    valide_au: date | None
    ligne: int


@dataclass
class ParsedRow:
    """One data row once its cells are read (None: empty or invalid cell)."""

    line: int
    where: str  # « ligne 7 » or « feuille « X », ligne 7 »
    headers: dict[str, str]  # field → header as written in the file
    service_code: str | None = None
    service_nom: str | None = None
    service_type: str | None = None
    service_departement: str | None = None
    bad_type: bool = False  # a type was written but is unknown (already reported)
    unite_code: str | None = None
    unite_nom: str | None = None
    unite_type: str | None = None
    code_insee: str | None = None
    commune: str | None = None
    voie: str | None = None
    voie_cle: str | None = None
    numbers: NumberRange = field(default_factory=NumberRange)
    valide_du: date | None = None
    valide_au: date | None = None

    def at(self, column: str) -> str:
        """« ligne 7, colonne « Type service » », with the header as the file writes it."""
        return f"{self.where}, colonne « {self.headers.get(column, column)} »"

    @property
    def commune_cle(self) -> str | None:
        return commune_key(self.commune) if self.commune else None

    @property
    def period(self) -> tuple[date | None, date | None]:
        return self.valide_du, self.valide_au

    @property
    def place(self) -> str:
        """« Bourg-sur-Sarre (01110) », for messages."""
        if self.commune and self.code_insee:
            return f"{self.commune} ({self.code_insee})"
        return self.commune or self.code_insee or ""


@dataclass
class _Definition:
    """A service or a unit as its rows define it."""

    line: int
    nom: str | None = None
    nom_line: int = 0
    type: str | None = None
    type_line: int = 0
    parent: str | None = None  # a unit's service
    parent_line: int = 0
    rows: list[ParsedRow] = field(default_factory=list)

    @property
    def period(self) -> tuple[date | None, date | None]:
        """From the earliest start to the latest end of its rows (open when one row is open)."""
        starts = [r.valide_du for r in self.rows]
        ends = [r.valide_au for r in self.rows]
        start = None if any(s is None for s in starts) else min(s for s in starts if s is not None)
        end = None if any(e is None for e in ends) else max(e for e in ends if e is not None)
        return start, end


class TableChecker:
    """Collects the parsed rows, then checks and assembles services, units and sectors."""

    def __init__(self) -> None:
        self.problems: list[tuple[int, str]] = []
        self.rows: list[ParsedRow] = []

    def add(self, row: ParsedRow) -> None:
        self.rows.append(row)

    def _problem(self, row: ParsedRow, column: str, text: str) -> None:
        self.problems.append((row.line, f"{row.at(column)} : {text}"))

    def finish(self) -> tuple[list[ServiceRow], list[UnitRow], list[SectorRow]]:
        services = self._define("service_code", "service_nom", "service_type", None, "service")
        units = self._define("unite_code", "unite_nom", "unite_type", "service_code", "unite")
        for code, unit in units.items():
            if code in services:
                first = unit.rows[0]
                self._problem(
                    first, "code_unite", f"le code {code} désigne déjà un service (ligne {services[code].line})."
                )
        for code, service in services.items():
            if service.nom is None:
                self._problem(service.rows[0], "service", f"le service {code} n'a de nom sur aucune ligne.")
            if service.type is None and not any(r.bad_type for r in service.rows):
                self._problem(service.rows[0], "type_service", f"le service {code} n'a de type sur aucune ligne.")
        for code, unit in units.items():
            if unit.nom is None:
                self._problem(unit.rows[0], "unite", f"l'unité {code} n'a de nom sur aucune ligne.")
        self._overlaps(services)
        return (
            [ServiceRow(c, d.nom or "", d.type or "", *d.period, self._departement(c, d)) for c, d in services.items()],
            [UnitRow(c, d.nom or "", d.type, d.parent or "", *d.period) for c, d in units.items()],
            [_sector(r) for r in self.rows if r.unite_code and (r.commune or r.code_insee)],
        )

    def _departement(self, code: str, definition: _Definition) -> str | None:
        """The département a service's rows name (column « Département »), the same on each row that names one."""
        named = [(r, r.service_departement) for r in definition.rows if r.service_departement]
        for row, departement in named[1:]:
            if departement != named[0][1]:
                self._problem(
                    row,
                    "departement",
                    f"le service {code} sert le département {named[0][1]} ligne {named[0][0].line} "
                    f"et le département {departement} ici : un service sert un seul département "
                    "(laissez la colonne vide pour un service de toute la région).",
                )
        return named[0][1] if named else None

    def _define(
        self, code_field: str, nom_field: str, type_field: str, parent_field: str | None, kind: str
    ) -> dict[str, _Definition]:
        found: dict[str, _Definition] = {}
        for row in self.rows:
            code = getattr(row, code_field)
            if code is None:
                continue
            definition = found.setdefault(code, _Definition(row.line))
            definition.rows.append(row)
            what = f"le service {code}" if kind == "service" else f"l'unité {code}"
            nom, type_ = getattr(row, nom_field), getattr(row, type_field)
            if nom:
                if definition.nom is None:
                    definition.nom, definition.nom_line = nom, row.line
                elif fold(nom) != fold(definition.nom):
                    self._problem(
                        row,
                        "service" if kind == "service" else "unite",
                        f"{what} s'appelle « {definition.nom} » ligne {definition.nom_line} et « {nom} » ici.",
                    )
            if type_:
                if definition.type is None:
                    definition.type, definition.type_line = type_, row.line
                elif fold(type_) != fold(definition.type):
                    shown = service_type_label if kind == "service" else str
                    self._problem(
                        row,
                        "type_service" if kind == "service" else "type_unite",
                        f"{what} est de type « {shown(definition.type)} » ligne {definition.type_line} "
                        f"et « {shown(type_)} » ici.",
                    )
            if parent_field is not None:
                parent = getattr(row, parent_field)
                if parent and definition.parent is None:
                    definition.parent, definition.parent_line = parent, row.line
                elif parent and parent != definition.parent:
                    self._problem(
                        row,
                        "code_unite",
                        f"l'unité {code} est rattachée au service {definition.parent} ligne {definition.parent_line} "
                        f"et au service {parent} ici : une unité appartient à un seul service.",
                    )
        return found

    def _overlaps(self, services: dict[str, _Definition]) -> None:
        """Two units of one service covering the same place over overlapping periods."""
        insee_by_name = {r.commune_cle: r.code_insee for r in self.rows if r.commune_cle and r.code_insee}
        groups: dict[tuple[str, str, str], list[ParsedRow]] = {}
        for row in self.rows:
            if not (row.service_code and row.unite_code and (row.commune or row.code_insee)):
                continue
            name = row.commune_cle or ""
            place = row.code_insee or insee_by_name.get(name) or f"nom:{name}"
            groups.setdefault((row.service_code, place, row.voie_cle or ""), []).append(row)
        for (service_code, _, street), rows in groups.items():
            for first, second in combinations(rows, 2):
                if first.unite_code == second.unite_code or not periods_overlap(first.period, second.period):
                    continue
                a, b = first.numbers, second.numbers
                if street and (not a.overlaps(b) or a.refines(b) or b.refines(a)):
                    continue  # disjoint numbers, or a range inside a wider one (the narrower wins)
                definition = services.get(service_code)
                service = definition.nom if definition and definition.nom else service_code
                units = f"{first.unite_code} (ligne {first.line}) et {second.unite_code}"
                if street:
                    self._problem(
                        second,
                        "voie" if first.numbers.whole_street and second.numbers.whole_street else "numeros",
                        f"la voie « {second.voie} » à {second.place} est couverte à la fois par les unités {units} "
                        f"du service {service} sur des périodes qui se chevauchent, sans numéros qui les distinguent.",
                    )
                else:
                    self._problem(
                        second,
                        "commune",
                        f"la commune {second.place} est couverte à la fois par les unités {units} du service "
                        f"{service} sur des périodes qui se chevauchent, sans voie qui les distingue.",
                    )


def _sector(row: ParsedRow) -> SectorRow:
    assert row.unite_code is not None
    return SectorRow(
        unite_code=row.unite_code,
        code_insee=row.code_insee,
        commune=row.commune,
        commune_cle=row.commune_cle,
        voie=row.voie,
        voie_cle=row.voie_cle,
        numero_min=row.numbers.low,
        numero_max=row.numbers.high,
        parite=row.numbers.parity,
        valide_du=row.valide_du,
        valide_au=row.valide_au,
        ligne=row.line,
    )
