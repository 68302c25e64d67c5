"""The sectorisation in memory: which unit of a service covers an address, and what a name designates.

``Sectorisation.load`` reads the three tables once and builds dictionaries, so that a lookup
costs a few dictionary accesses (the rules engine makes one per ménage and per rule).
Communes are matched by code INSEE when both sides have one, otherwise by folded name; a
street-level sector beats the commune-level one; validity dates are honoured everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Connection, select

from ..normalize.dates import format_date_fr
from ..normalize.departements import departement_of
from ..normalize.text import fold, fold_compact
from ..store.models import Secteur, ServiceSocial, Unite
from .sectorisation_keys import (
    NumberRange,
    commune_key,
    house_number,
    insee_key,
    service_type_code,
    street_parts,
    valid_on,
)

SERVICE_TABLE = ServiceSocial.__table__  # type: ignore[attr-defined]
UNITE_TABLE = Unite.__table__  # type: ignore[attr-defined]
SECTEUR_TABLE = Secteur.__table__  # type: ignore[attr-defined]

# Words that do not tell two service names apart (« MDS du Centre » is « MDS Centre »).
_PLACES_MEMO = 200_000  # addresses remembered by unit_for (a ménage's address is looked up per rule)
_STOP_WORDS = frozenset({"DE", "DU", "DES", "LA", "LE", "LES", "D", "L", "ET", "A", "AU", "AUX", "EN"})
Period = tuple[date | None, date | None]


@dataclass(frozen=True, slots=True)
class ServiceInfo:
    """A service that follows households (CAF, Département, bailleur, CCAS, association…)."""

    code: str
    nom: str
    type: str
    departement: str | None = None  # as the sectorisation says it (column « Département »)


@dataclass(frozen=True, slots=True)
class UniteInfo:
    """A territorial unit of a service (MDS, UTAS, CMS…)."""

    code: str
    nom: str
    type: str | None
    service_code: str


@dataclass(frozen=True, slots=True)
class _Sector:
    unit: UniteInfo
    numbers: NumberRange
    start: date | None
    end: date | None
    explanation: str  # « commune X (01110), rue Y n° 1 à 99 → MDS Centre »
    outside: str  # « commune X (01110), hors des voies sectorisées à part → MDS Centre »


@dataclass(slots=True)
class _Area:
    """The sectors of one service in one commune: commune-wide ones, and street ones by street key."""

    where: str
    whole: list[_Sector] = field(default_factory=list)
    streets: dict[str, list[_Sector]] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class _Place:
    """An address once resolved to sectors: those of its street, those of the whole commune."""

    failure: str | None  # why no unit can cover it, whatever the day and number
    street: tuple[_Sector, ...] = ()
    written_number: int | None = None  # a number written in the street (« 12 rue X »)
    whole: tuple[_Sector, ...] = ()
    outside: bool = False  # the commune has street sectors and the address names a street
    none: str = ""  # why none covers it on a day (« {day} » placeholder)

    def none_on(self, day: date) -> str:
        return self.none.replace("{day}", format_date_fr(day))


@dataclass(frozen=True, slots=True)
class _Named:
    target: ServiceInfo | UniteInfo
    period: Period


class Sectorisation:
    """Services, their units and the sectors they cover, held in memory for fast lookups."""

    def __init__(self) -> None:
        self._services: dict[str, ServiceInfo] = {}
        self._service_periods: dict[str, Period] = {}
        self._units: dict[str, UniteInfo] = {}
        self._unit_periods: dict[str, Period] = {}
        self._services_with_units: set[str] = set()
        self._by_insee: dict[tuple[str, str], _Area] = {}
        self._by_name: dict[tuple[str, str], _Area] = {}  # every sector that names its commune
        self._by_name_only: dict[tuple[str, str], _Area] = {}  # those without a code INSEE
        self._by_code: dict[str, list[_Named]] = {}
        self._by_folded: dict[str, list[_Named]] = {}
        self._by_words: dict[frozenset[str], list[_Named]] = {}
        self._words: list[tuple[frozenset[str], _Named]] = []
        self._places: dict[tuple[str, str | None, str | None, str | None], _Place] = {}
        self._found: dict[tuple[str, date], ServiceInfo | UniteInfo | None] = {}
        self._covered: dict[str, set[str]] = {}  # service → départements of the communes its units cover

    @classmethod
    def load(cls, connection: Connection) -> Sectorisation:
        """Read the three tables at once and index them."""
        sectorisation = cls()
        for row in connection.execute(select(SERVICE_TABLE).order_by(SERVICE_TABLE.c.code)):
            service = ServiceInfo(row.code, row.nom, row.type, row.departement)
            sectorisation._add_service(service, (row.valide_du, row.valide_au))
        for row in connection.execute(select(UNITE_TABLE).order_by(UNITE_TABLE.c.code)):
            info = UniteInfo(row.code, row.nom, row.type, row.service_code)
            sectorisation._add_unit(info, (row.valide_du, row.valide_au))
        query = select(SECTEUR_TABLE).order_by(SECTEUR_TABLE.c.ligne, SECTEUR_TABLE.c.id)
        for row in connection.execute(query):
            unit = sectorisation._units.get(row.unite_code)
            if unit is not None:
                numbers = NumberRange(row.numero_min, row.numero_max, row.parite)
                sectorisation._add_sector(
                    unit, row.code_insee, row.commune, row.voie, numbers, row.valide_du, row.valide_au
                )
        return sectorisation

    @property
    def is_empty(self) -> bool:
        return not self._services

    # -- services and units ---------------------------------------------------------------

    def service(self, code: str) -> ServiceInfo | None:
        """The service of this code (case and surrounding spaces ignored)."""
        found = self._services.get(code) or self._by_code_of(code, ServiceInfo)
        return found if isinstance(found, ServiceInfo) else None

    def unit(self, code: str) -> UniteInfo | None:
        """The unit of this code (case and surrounding spaces ignored)."""
        found = self._units.get(code) or self._by_code_of(code, UniteInfo)
        return found if isinstance(found, UniteInfo) else None

    def _by_code_of(self, code: str, kind: type) -> ServiceInfo | UniteInfo | None:
        return next((n.target for n in self._by_code.get(code.strip().upper(), ()) if isinstance(n.target, kind)), None)

    @property
    def services(self) -> list[ServiceInfo]:
        return list(self._services.values())

    def units_of(self, service_code: str) -> list[UniteInfo]:
        return [u for u in self._units.values() if u.service_code == service_code]

    def services_of_type(self, kind: str, day: date, departement: str | None = None) -> list[ServiceInfo]:
        """The services of a type (``caf``, ``departement``… or « Département ») valid on ``day``; with
        ``departement``, when several are, those that serve it (else those that serve no one département)."""
        wanted = service_type_code(kind) or kind
        found = [
            s for s in self._services.values() if s.type == wanted and valid_on(day, *self._service_periods[s.code])
        ]
        if departement is None or len(found) < 2:
            return found
        serving = [s for s in found if self.departement_of(s) == departement]
        return serving or [s for s in found if self.departement_of(s) is None]

    def departement_of(self, service: ServiceInfo) -> str | None:
        """The département a service serves: as the sectorisation says, else that of every commune its
        units cover when they are all in one; None: the whole territory."""
        if service.departement is not None:
            return service.departement
        covered = self._covered.get(service.code, set())
        return next(iter(covered)) if len(covered) == 1 else None

    # -- addresses --------------------------------------------------------------------------

    def unit_for(
        self,
        *,
        service_code: str,
        code_insee: str | None,
        commune: str | None,
        voie: str | None,
        numero: str | None,
        day: date,
    ) -> tuple[UniteInfo | None, str]:
        """The unit of ``service_code`` covering the address on ``day``, and a French explanation."""
        key = (service_code, code_insee, commune, voie)
        place = self._places.get(key)
        if place is None:
            place = self._place(service_code, code_insee, commune, voie)
            if len(self._places) < _PLACES_MEMO:
                self._places[key] = place
        if place.failure is not None:
            return None, place.failure
        if place.street:
            number = (int(numero) if numero.isdigit() else house_number(numero)) if numero else place.written_number
            best: _Sector | None = None
            for sector in place.street:
                if (sector.start is None or sector.start <= day) and (sector.end is None or day <= sector.end):
                    numbers = sector.numbers
                    if numbers.whole_street or (number is not None and numbers.contains(number)):
                        if best is None or numbers.span < best.numbers.span:
                            best = sector
            if best is not None:
                return best.unit, best.explanation
        for sector in place.whole:
            if (sector.start is None or sector.start <= day) and (sector.end is None or day <= sector.end):
                return sector.unit, sector.outside if place.outside else sector.explanation
        return None, place.none_on(day)

    def _place(self, service_code: str, code_insee: str | None, commune: str | None, voie: str | None) -> _Place:
        """What an address (without its number and day) can match; computed once per address."""
        service = self._services.get(service_code)
        if service is None:
            return _Place(f"service « {service_code} » absent de la sectorisation (exploc services lister)")
        if service_code not in self._services_with_units:
            return _Place(f"le service {service.nom} n'a pas d'unités territoriales")
        insee = insee_key(code_insee)
        name = commune_key(commune) if commune and commune.strip() else None
        if insee is None and name is None:
            return _Place("adresse sans commune ni code INSEE : unité territoriale introuvable")
        areas = self._areas(service_code, insee, name)
        if not areas:
            return _Place(f"{_where(commune, insee)} : aucune unité de {service.nom} ne couvre cette commune")
        street_sectors: list[_Sector] = []
        written: int | None = None
        if voie and voie.strip():
            street, written = street_parts(voie)
            street_sectors = [sector for area in areas for sector in area.streets.get(street, ())]
        whole = tuple(sector for area in areas for sector in area.whole)
        outside = bool(voie and voie.strip() and any(area.streets for area in areas))
        if whole:
            none = f"{areas[0].where} : aucune unité de {service.nom} ne la couvre au {{day}}"
        else:
            shown = f"la voie « {voie.strip()} »" if voie and voie.strip() else "une adresse sans voie"
            none = f"{areas[0].where} : seules certaines voies sont sectorisées pour {service.nom}, pas {shown}"
        return _Place(None, tuple(street_sectors), written, whole, outside, none)

    def _areas(self, service_code: str, insee: str | None, name: str | None) -> list[_Area]:
        """By code INSEE when the address has one (plus sectors known by name only), else by name."""
        found: list[_Area] = []
        if insee is not None:
            area = self._by_insee.get((service_code, insee))
            if area is not None:
                found.append(area)
            if name is not None:
                area = self._by_name_only.get((service_code, name))
                if area is not None:
                    found.append(area)
        elif name is not None:
            area = self._by_name.get((service_code, name))
            if area is not None:
                found.append(area)
        return found

    # -- names ------------------------------------------------------------------------------

    def find(self, text: str, day: date) -> ServiceInfo | UniteInfo | None:
        """The unit or service a free text designates (« MDS Centre », « CAF - Service social »…).

        Tried in order: a code, the folded name (also « type + name » of a unit, « service -
        unit »), the same words in another order, a type alone (« CAF ») when one service has
        it, then the only name containing every word of the text (two words at least). Only
        what is valid on ``day`` counts; an ambiguous text gives None.
        """
        key = (text, day)
        if key in self._found:
            return self._found[key]
        found = self._find(text, day)
        if len(self._found) < _PLACES_MEMO:
            self._found[key] = found
        return found

    def _find(self, text: str, day: date) -> ServiceInfo | UniteInfo | None:
        if not text or not text.strip():
            return None
        for candidates in (
            self._by_code.get(text.strip().upper()),
            self._by_folded.get(fold_compact(text)),
            self._by_words.get(_words(text)),
        ):
            found = _only(candidates, day)
            if found is not None:
                return found
        kind = service_type_code(text)
        if kind is not None:
            of_type = self.services_of_type(kind, day)
            if len(of_type) == 1:
                return of_type[0]
        wanted = _words(text)
        if len(wanted) >= 2:
            return _only([named for words, named in self._words if wanted <= words], day)
        return None

    # -- building the indexes ---------------------------------------------------------------

    def _add_service(self, info: ServiceInfo, period: Period) -> None:
        self._services[info.code] = info
        self._service_periods[info.code] = period
        self._index_name(_Named(info, period), info.code, [info.nom])

    def _add_unit(self, info: UniteInfo, period: Period) -> None:
        self._units[info.code] = info
        self._unit_periods[info.code] = period
        self._services_with_units.add(info.service_code)
        names = [info.nom]
        if info.type and not fold(info.nom).startswith(fold(info.type)):
            names.append(f"{info.type} {info.nom}")
        service = self._services.get(info.service_code)
        if service is not None:
            names += [f"{service.nom} - {name}" for name in list(names)]
        self._index_name(_Named(info, period), info.code, names)

    def _index_name(self, named: _Named, code: str, names: Iterable[str]) -> None:
        self._by_code.setdefault(code.upper(), []).append(named)
        for name in names:
            self._by_folded.setdefault(fold_compact(name), []).append(named)
            words = _words(name)
            self._by_words.setdefault(words, []).append(named)
            self._words.append((words, named))

    def _add_sector(
        self,
        unit: UniteInfo,
        code_insee: str | None,
        commune: str | None,
        voie: str | None,
        numbers: NumberRange,
        start: date | None,
        end: date | None,
    ) -> None:
        served = departement_of(code_insee, None)
        if served is not None:
            self._covered.setdefault(unit.service_code, set()).add(served)
        where = _where(commune, code_insee)
        place = f"{where}, {voie} {numbers.label}".rstrip() if voie else where
        outside = f"{where}, hors des voies sectorisées à part → {unit.nom}"
        sector = _Sector(unit, numbers, start, end, f"{place} → {unit.nom}", outside)
        street = street_parts(voie)[0] if voie else None
        service = unit.service_code
        targets: list[tuple[dict[tuple[str, str], _Area], str]] = []
        if code_insee:
            targets.append((self._by_insee, code_insee))
        if commune:
            targets.append((self._by_name, commune_key(commune)))
            if not code_insee:
                targets.append((self._by_name_only, commune_key(commune)))
        for index, key in targets:
            area = index.setdefault((service, key), _Area(where))
            if street is None:
                area.whole.append(sector)
            else:
                area.streets.setdefault(street, []).append(sector)


def _where(commune: str | None, code_insee: str | None) -> str:
    if commune and code_insee:
        return f"commune {commune} ({code_insee})"
    return f"commune {commune or code_insee}"


def _words(text: str) -> frozenset[str]:
    return frozenset(w for w in fold(text).split() if w not in _STOP_WORDS)


def _only(candidates: list[_Named] | None, day: date) -> ServiceInfo | UniteInfo | None:
    """The single target among ``candidates`` valid on ``day`` (None if none, or several)."""
    if not candidates:
        return None
    targets = {named.target for named in candidates if valid_on(day, *named.period)}
    return targets.pop() if len(targets) == 1 else None
