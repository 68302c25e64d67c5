"""``referentiel/sectorisation.csv``: which service and which unit cover each fictional commune.

The Département's five MDS cover every commune; Bourg-sur-Sarre, the large city, is split by
street: a handful of its streets (one by its even numbers only, one by a range of numbers) go
to « MDS Nord » and the rest of the commune to « MDS Centre ». The CAF's social service, the
CCAS, the association and Sarre Habitat's accompaniment service have no territorial units.
The names are those of the follow-up file (``suivi_services_sociaux.xlsx``).
"""

from __future__ import annotations

import csv
from pathlib import Path

from .population import SERVICE_ASSOCIATION, SERVICE_BAILLEUR, SERVICE_CAF, SERVICE_CCAS
from .territory import DEPARTEMENT, Territory

HEADER = (
    "Code service",
    "Service",
    "Type service",
    "Code unité",
    "Unité",
    "Type unité",
    "Code INSEE",
    "Commune",
    "Voie",
    "Numéros",
    "Valide du",
    "Valide au",
)
DEPARTEMENT_CODE = "DEP01"
DEPARTEMENT_SINCE = "01/01/2016"
MDS_UNITS: tuple[tuple[str, str], ...] = (
    ("MDS-C", "MDS Centre"),
    ("MDS-N", "MDS Nord"),
    ("MDS-E", "MDS Est"),
    ("MDS-O", "MDS Ouest"),
    ("MDS-S", "MDS Sud"),
)
LARGE_CITY = "Bourg-sur-Sarre"
STREET_UNIT = "MDS Nord"
# Streets of the large city given to STREET_UNIT (index in its street list → numbers).
CITY_STREETS: tuple[tuple[int, str], ...] = ((2, ""), (3, ""), (4, "1-99"), (7, "pairs"), (12, ""), (17, ""))
OTHER_SERVICES: tuple[tuple[str, str, str], ...] = (
    ("CAF01", SERVICE_CAF, "CAF"),
    ("CCAS-BSS", SERVICE_CCAS, "CCAS"),
    ("ASSO-RL", SERVICE_ASSOCIATION, "association"),
    ("SH-AS", SERVICE_BAILLEUR, "bailleur"),
)


def sectorisation_rows(territory: Territory) -> list[list[str]]:
    """The table's data rows: the Département's units commune by commune, then the other services."""
    service = [DEPARTEMENT_CODE, f"Département du {DEPARTEMENT}", "Département"]
    rows: list[list[str]] = []
    for code, name in MDS_UNITS:
        unit = [code, name, "MDS"]
        for commune in territory.communes:
            if commune.secteur == name:
                rows.append([*service, *unit, commune.code_insee, commune.nom, "", "", DEPARTEMENT_SINCE, ""])
        if name != STREET_UNIT:
            continue
        city = next(c for c in territory.communes if c.nom == LARGE_CITY)
        for index, numbers in CITY_STREETS:
            street = territory.rues[city.code_insee][index].libelle
            street = street[0].upper() + street[1:]
            rows.append([*service, *unit, city.code_insee, city.nom, street, numbers, DEPARTEMENT_SINCE, ""])
    for code, name, kind in OTHER_SERVICES:
        rows.append([code, name, kind, *[""] * 9])
    return rows


def write_sectorisation_csv(territory: Territory, path: Path) -> int:
    """Write the table as Excel saves a French CSV (``;``, UTF-8 with BOM, CRLF); return the rows."""
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = sectorisation_rows(territory)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow(HEADER)
        writer.writerows(rows)
    return len(rows)
