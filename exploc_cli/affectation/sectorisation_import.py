"""Writing the sectorisation (one transaction, journalled) and listing it.

An import replaces the whole sectorisation: services, units and sectors. Assignments already
recorded keep their codes (text, no foreign key), so replacing the table never breaks them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, delete, insert, select

from .. import audit
from ..store.bulk import sync_id_sequence
from ..store.db import write_transaction
from .sectorisation import SECTEUR_TABLE, SERVICE_TABLE, UNITE_TABLE
from .sectorisation_keys import NumberRange, period_label, service_type_label
from .sectorisation_table import ParsedTable, read_table

_SERVICE_COLUMNS = ("code", "nom", "type", "valide_du", "valide_au", "departement")
_UNITE_COLUMNS = ("code", "nom", "type", "service_code", "valide_du", "valide_au")
_SECTEUR_COLUMNS = (
    "unite_code",
    "code_insee",
    "commune",
    "commune_cle",
    "voie",
    "voie_cle",
    "numero_min",
    "numero_max",
    "parite",
    "valide_du",
    "valide_au",
    "ligne",
)


@dataclass(frozen=True)
class ImportSummary:
    """What an import of the sectorisation table wrote."""

    fichier: str
    format: str
    lignes: int
    services: int
    unites: int
    communes: int
    voies: int
    secteurs: int
    inchangee: bool  # the base already held exactly this sectorisation

    def to_json(self) -> dict[str, Any]:
        return {
            "fichier": self.fichier,
            "format": self.format,
            "lignes": self.lignes,
            "services": self.services,
            "unites": self.unites,
            "communes": self.communes,
            "voies": self.voies,
            "secteurs": self.secteurs,
            "inchangee": self.inchangee,
        }


def import_sectorisation(engine: Engine, path: Path, command_line: str = "") -> ImportSummary:
    """Check the whole table, then replace the sectorisation with it in one transaction."""
    table = read_table(path)
    content = _content(table)
    with write_transaction(engine) as connection:
        unchanged = _current(connection) == content
        if not unchanged:
            _replace(connection, content)
        summary = ImportSummary(
            fichier=table.fichier,
            format=table.format,
            lignes=table.lignes,
            services=len(table.services),
            unites=len(table.units),
            communes=table.communes,
            voies=table.voies,
            secteurs=len(table.sectors),
            inchangee=unchanged,
        )
        audit.record(
            connection,
            audit.AuditEntry(
                action="import_sectorisation",
                commande=command_line,
                nb_lignes=table.lignes,
                chemin=str(path.resolve()),
                sha256=hashlib.sha256(path.read_bytes()).hexdigest(),
                details={k: v for k, v in summary.to_json().items() if k not in ("fichier", "format")},
            ),
        )
    return summary


_Content = tuple[list[tuple[Any, ...]], list[tuple[Any, ...]], list[tuple[Any, ...]]]


def _replace(connection: Connection, content: _Content) -> None:
    """Delete the old sectorisation and insert the new one (sectors numbered in table order)."""
    connection.execute(delete(SECTEUR_TABLE))
    connection.execute(delete(UNITE_TABLE))
    connection.execute(delete(SERVICE_TABLE))
    services, units, sectors = content
    if services:
        connection.execute(insert(SERVICE_TABLE), [dict(zip(_SERVICE_COLUMNS, s, strict=True)) for s in services])
    if units:
        connection.execute(insert(UNITE_TABLE), [dict(zip(_UNITE_COLUMNS, u, strict=True)) for u in units])
    if sectors:
        rows = [{"id": i, **dict(zip(_SECTEUR_COLUMNS, s, strict=True))} for i, s in enumerate(sectors, 1)]
        connection.execute(insert(SECTEUR_TABLE), rows)
        sync_id_sequence(connection, "secteur")


def _content(table: ParsedTable) -> _Content:
    """The rows to write, as tuples in column order, sorted as the base returns them."""
    services = sorted((s.code, s.nom, s.type, s.valide_du, s.valide_au, s.departement) for s in table.services)
    units = sorted((u.code, u.nom, u.type, u.service_code, u.valide_du, u.valide_au) for u in table.units)
    sectors = [tuple(getattr(s, c) for c in _SECTEUR_COLUMNS) for s in table.sectors]
    return services, units, sectors


def _current(connection: Connection) -> _Content:
    def read(table: Any, columns: tuple[str, ...], order: Any) -> list[tuple[Any, ...]]:
        query = select(*(table.c[c] for c in columns)).order_by(order)
        return [tuple(row) for row in connection.execute(query)]

    return (
        read(SERVICE_TABLE, _SERVICE_COLUMNS, SERVICE_TABLE.c.code),
        read(UNITE_TABLE, _UNITE_COLUMNS, UNITE_TABLE.c.code),
        read(SECTEUR_TABLE, _SECTEUR_COLUMNS, SECTEUR_TABLE.c.id),
    )


# -- listing ------------------------------------------------------------------------------


@dataclass(frozen=True)
class SectorListing:
    commune: str  # « Bourg-sur-Sarre (01110) »
    code_insee: str | None
    voie: str | None
    numeros: str  # « n° 1 à 99 », or empty
    valide_du: date | None
    valide_au: date | None

    def to_json(self) -> dict[str, Any]:
        return {
            "commune": self.commune,
            "code_insee": self.code_insee,
            "voie": self.voie,
            "numeros": self.numeros or None,
            "valide_du": self.valide_du.isoformat() if self.valide_du else None,
            "valide_au": self.valide_au.isoformat() if self.valide_au else None,
        }


@dataclass(frozen=True)
class UnitListing:
    code: str
    nom: str
    type: str | None
    validite: str
    secteurs: list[SectorListing]

    @property
    def communes(self) -> list[str]:
        """The communes covered, in table order; « X (01110) : 3 voie(s) » for one covered by streets only."""
        whole = {s.commune for s in self.secteurs if s.voie is None}
        streets: dict[str, int] = {}
        for sector in self.secteurs:
            if sector.voie is not None and sector.commune not in whole:
                streets[sector.commune] = streets.get(sector.commune, 0) + 1
        ordered = dict.fromkeys(s.commune for s in self.secteurs)
        return [f"{c} : {streets[c]} voie(s)" if c in streets else c for c in ordered]

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "nom": self.nom,
            "type": self.type,
            "validite": self.validite or None,
            "secteurs": [s.to_json() for s in self.secteurs],
        }


@dataclass(frozen=True)
class ServiceListing:
    code: str
    nom: str
    type: str
    validite: str
    unites: list[UnitListing] = field(default_factory=list)

    @property
    def type_label(self) -> str:
        return service_type_label(self.type)

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "nom": self.nom,
            "type": self.type,
            "validite": self.validite or None,
            "unites": [u.to_json() for u in self.unites],
        }


def list_sectorisation(engine: Engine) -> list[ServiceListing]:
    """Services by code, each with its units and the sectors they cover (in table order)."""
    with engine.connect() as connection:
        services = connection.execute(select(SERVICE_TABLE).order_by(SERVICE_TABLE.c.code)).all()
        units = connection.execute(select(UNITE_TABLE).order_by(UNITE_TABLE.c.code)).all()
        sectors = connection.execute(select(SECTEUR_TABLE).order_by(SECTEUR_TABLE.c.ligne, SECTEUR_TABLE.c.id)).all()
    by_unit: dict[str, list[SectorListing]] = {}
    for s in sectors:
        place = f"{s.commune} ({s.code_insee})" if s.commune and s.code_insee else s.commune or s.code_insee
        numbers = NumberRange(s.numero_min, s.numero_max, s.parite).label
        by_unit.setdefault(s.unite_code, []).append(
            SectorListing(place, s.code_insee, s.voie, numbers, s.valide_du, s.valide_au)
        )
    by_service: dict[str, list[UnitListing]] = {}
    for u in units:
        listing = UnitListing(u.code, u.nom, u.type, period_label(u.valide_du, u.valide_au), by_unit.get(u.code, []))
        by_service.setdefault(u.service_code, []).append(listing)
    return [
        ServiceListing(s.code, s.nom, s.type, period_label(s.valide_du, s.valide_au), by_service.get(s.code, []))
        for s in services
    ]
