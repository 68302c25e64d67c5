"""``referentiel/sectorisation.csv``: which service and which unit cover each fictional commune.

The Département's five MDS cover every commune; Bourg-sur-Sarre, the large city, is split by
street: a handful of its streets (one by its even numbers only, one by a range of numbers) go
to « MDS Nord » and the rest of the commune to « MDS Centre ». The CAF's social service, the
CCAS, the association and Sarre Habitat's accompaniment service have no territorial units.
The names are those of the follow-up file (``suivi_services_sociaux.xlsx``).

A region (``region.py``) has one Département service per département (``DEP93``, « Département de
la Plaine-d'Aubrette »), whose five MDS (``MDS-C-93``, « MDS Centre (93) ») cover its communes and
split its large city by street the same way, and one CAF per département (``CAF93``, no units,
as ``CAF01``). The CCAS, the association and the landlord's service stay single, in the first
département (the Val-de-Sarre's names: Bourg-sur-Sarre is there). The table then has one more
column, « Département »: the code of the service's département, on each of its rows.
"""

from __future__ import annotations

import csv
from pathlib import Path

from .population import SERVICE_ASSOCIATION, SERVICE_BAILLEUR, SERVICE_CAF, SERVICE_CCAS
from .territory import COMMUNE_ROWS, Departement, Territory

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
REGIONAL_HEADER = (*HEADER[:3], "Département", *HEADER[3:])
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


_LARGE_CITY_INDEX = [row[2] for row in COMMUNE_ROWS].index(LARGE_CITY)  # the same in every copy


def sectorisation_rows(territory: Territory) -> list[list[str]]:
    """The table's data rows: the Département's units commune by commune, then the other services.

    A region: each département's Département then its CAF, then the shared services, with the
    service's département after the service's type.
    """
    if len(territory.departements) == 1:
        rows = _departement_rows(territory, territory.departements[0], regional=False)
        return rows + [[code, name, kind, *[""] * 9] for code, name, kind in OTHER_SERVICES]
    rows = []
    for departement in territory.departements:
        rows += _departement_rows(territory, departement, regional=True)
        caf = f"CAF {departement.de_nom} - Service social"
        rows.append([f"CAF{departement.code}", caf, "CAF", departement.code, *[""] * 9])
    first = territory.departements[0].code
    rows += [[code, name, kind, first, *[""] * 9] for code, name, kind in OTHER_SERVICES if kind != "CAF"]
    return rows


def _departement_rows(territory: Territory, departement: Departement, regional: bool) -> list[list[str]]:
    """The Département service's rows: its MDS commune by commune, the large city's streets."""
    code = departement.code
    service = [f"DEP{code}", f"Département {departement.de_nom}", "Département", *([code] if regional else [])]
    communes = territory.communes_of(code)
    city = communes[_LARGE_CITY_INDEX]
    rows: list[list[str]] = []
    for unit_code, name in MDS_UNITS:
        unit = [f"{unit_code}-{code}", f"{name} ({code})", "MDS"] if regional else [unit_code, name, "MDS"]
        for commune in communes:
            if commune.secteur == name:
                rows.append([*service, *unit, commune.code_insee, commune.nom, "", "", DEPARTEMENT_SINCE, ""])
        if name != STREET_UNIT:
            continue
        for index, numbers in CITY_STREETS:
            street = territory.rues[city.code_insee][index].libelle
            street = street[0].upper() + street[1:]
            rows.append([*service, *unit, city.code_insee, city.nom, street, numbers, DEPARTEMENT_SINCE, ""])
    return rows


def write_sectorisation_csv(territory: Territory, path: Path) -> int:
    """Write the table as Excel saves a French CSV (``;``, UTF-8 with BOM, CRLF); return the rows."""
    path.parent.mkdir(parents=True, exist_ok=True)
    rows = sectorisation_rows(territory)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow(HEADER if len(territory.departements) == 1 else REGIONAL_HEADER)
        writer.writerows(rows)
    return len(rows)
