"""The territory of a household in a diagnostic: the département, its commune, its EPCI, or the unit
(or service) it is assigned to.

- **commune**: the commune of the household's latest signalement that gives one (INSEE code when the
  partner sent it, else the name, accents and case ignored);
- **EPCI**: the commune looked up in a commune → EPCI table, a CSV file the secretariat keeps (the
  INSEE publishes it each year: « table d'appartenance géographique des communes »); exploc ships no
  such table because EPCI perimeters change every year. By default ``epci.csv`` in the configuration
  folder, or ``--table-epci``. Columns recognised: code INSEE (``code_insee``, ``CODGEO``), commune
  name (``commune``, ``LIBGEO``) and EPCI name (``epci``, ``LIBEPCI``, ``nom_epci``);
- **unité**: the territorial unit of the household's current assignment (exploc affecter), the
  service when it has no units, « À trier » or « Sans affectation ».
"""

from __future__ import annotations

import csv
import io
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from ..errors import ExplocError
from ..normalize.text import fold

LEVELS: Mapping[str, str] = {
    "departement": "Département",
    "unite": "Unité territoriale",
    "commune": "Commune",
    "epci": "EPCI",
}
DEPARTEMENT_LABEL = "Ensemble du territoire"
UNKNOWN_COMMUNE = "Commune inconnue"
OUTSIDE_EPCI = "Commune absente de la table des EPCI"
TO_SORT = "À trier"
UNASSIGNED = "Sans affectation"
EPCI_FILE = "epci.csv"
_LAST = (UNKNOWN_COMMUNE, OUTSIDE_EPCI, TO_SORT, UNASSIGNED)
_INSEE_HEADERS = ("CODE INSEE", "CODGEO", "INSEE", "CODE COMMUNE", "COM", "DEPCOM")
_NAME_HEADERS = ("COMMUNE", "LIBGEO", "NOM COMMUNE", "NOM DE LA COMMUNE", "LIBELLE COMMUNE")
_EPCI_HEADERS = ("LIBEPCI", "NOM EPCI", "LIBELLE EPCI", "EPCI", "NOM DE L EPCI")


@dataclass(frozen=True)
class EpciTable:
    """Commune → EPCI, by INSEE code and by folded commune name (a name shared by two communes is dropped)."""

    path: Path
    by_insee: Mapping[str, str]
    by_name: Mapping[str, str]


def default_epci_path(config_dir: Path | None) -> Path | None:
    return config_dir / EPCI_FILE if config_dir is not None else None


def load_epci_table(path: Path) -> EpciTable:
    """Read the commune → EPCI table (CSV with ``;``, ``,`` or tab; UTF-8, with or without BOM, or Windows-1252)."""
    try:
        raw = path.read_bytes()
    except OSError as err:
        raise ExplocError(
            f"Table des EPCI illisible : {path} ({err.strerror}).",
            "Indiquez un fichier CSV code INSEE ; commune ; EPCI avec --table-epci.",
        ) from None
    try:
        content = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        content = raw.decode("cp1252", errors="replace")
    first = content.splitlines()[0] if content else ""
    delimiter = max((";", ",", "\t"), key=first.count)
    rows = list(csv.reader(io.StringIO(content), delimiter=delimiter))
    if not rows:
        raise ExplocError(f"Table des EPCI vide : {path}.")
    header = [fold(cell) for cell in rows[0]]
    insee = next((header.index(h) for h in _INSEE_HEADERS if h in header), None)
    name = next((header.index(h) for h in _NAME_HEADERS if h in header), None)
    epci = next((header.index(h) for h in _EPCI_HEADERS if h in header), None)
    if epci is None or (insee is None and name is None):
        raise ExplocError(
            f"Table des EPCI {path} : colonnes non reconnues ({', '.join(rows[0])}).",
            "Il faut une colonne « epci » (ou LIBEPCI) et une colonne « code_insee » (ou CODGEO) ou « commune ».",
        )
    by_insee: dict[str, str] = {}
    by_name: dict[str, str] = {}
    shared: set[str] = set()
    for row in rows[1:]:
        if len(row) <= epci or not row[epci].strip():
            continue
        label = " ".join(row[epci].split())
        if insee is not None and len(row) > insee and row[insee].strip():
            by_insee[row[insee].strip().zfill(5)] = label
        if name is not None and len(row) > name and row[name].strip():
            key = fold(row[name])
            if key in by_name and by_name[key] != label:
                shared.add(key)
            by_name[key] = label
    for key in shared:
        del by_name[key]
    return EpciTable(path, by_insee, by_name)


class Territories:
    """Gives each household its territory key while the diagnostic reads the base, then the labels."""

    def __init__(
        self,
        level: str,
        *,
        epci: EpciTable | None = None,
        assignments: Mapping[int, str] | None = None,
    ) -> None:
        if level not in LEVELS:
            raise ExplocError(f"territoire inconnu « {level} » ; possibles : {', '.join(LEVELS)}.")
        if level == "epci" and epci is None:
            raise ExplocError(
                "Le découpage par EPCI demande une table des communes et de leur EPCI.",
                f"Placez un fichier {EPCI_FILE} (colonnes code_insee ; commune ; epci) dans le dossier de "
                "configuration, ou indiquez-le avec --table-epci FICHIER.",
            )
        self.level = level
        self.epci = epci
        self.assignments = assignments or {}
        self._spellings: dict[str, Counter[str]] = {}
        self._cache: dict[tuple[str | None, str | None], str] = {}

    @property
    def level_title(self) -> str:
        return LEVELS[self.level]

    @property
    def single(self) -> str:
        """The key of the whole territory (the only one at the « département » level)."""
        return DEPARTEMENT_LABEL

    def of(self, menage_id: int, code_insee: str | None, commune: str | None) -> str:
        """The territory key of a household (its label once :meth:`label` is applied)."""
        if self.level == "departement":
            return DEPARTEMENT_LABEL
        if self.level == "unite":
            return self.assignments.get(menage_id, UNASSIGNED)
        cached = self._cache.get((code_insee, commune))
        if cached is None:
            cached = self._commune_key(code_insee, commune)
            self._cache[(code_insee, commune)] = cached
        if self.level == "commune" and commune:
            self._spellings.setdefault(cached, Counter())[commune] += 1
        return cached

    def of_place(self, unit: str, code_insee: str | None, commune: str | None) -> str:
        """The territory key of a place rather than a household (purged households' counts)."""
        if self.level == "unite":
            return unit or UNASSIGNED
        return self.of(0, code_insee, commune)

    def _commune_key(self, code_insee: str | None, commune: str | None) -> str:
        folded = fold(commune) if commune else ""
        if self.level == "epci":
            assert self.epci is not None
            found = (self.epci.by_insee.get(code_insee) if code_insee else None) or self.epci.by_name.get(folded)
            return found or OUTSIDE_EPCI
        if code_insee:
            return code_insee
        return folded or UNKNOWN_COMMUNE

    @property
    def spellings(self) -> dict[str, Counter[str]]:
        """The commune spellings seen (a forked worker sends them back)."""
        return self._spellings

    def add_spellings(self, spellings: Mapping[str, Counter[str]]) -> None:
        for key, seen in spellings.items():
            self._spellings.setdefault(key, Counter()).update(seen)

    def label(self, key: str) -> str:
        if self.level != "commune" or key in _LAST:
            return key
        spellings = self._spellings.get(key)
        if not spellings:
            return key
        # the spelling with accents when partners differ (« AUBREL-LA-RIVIÈRE » over « AUBREL-LA-RIVIERE »)
        best = max(spellings.items(), key=lambda item: (sum(ch != fold(ch) for ch in item[0]), item[1]))[0]
        return best

    def ordered(self, keys: set[str]) -> list[str]:
        """Keys in the order of their labels, the « unknown » ones last."""
        return sorted(keys, key=lambda k: (k in _LAST, _LAST.index(k) if k in _LAST else 0, fold(self.label(k))))


def assignment_label(statut: str | None, service: str | None, unit: str | None) -> str:
    """The « unité » territory of a current assignment."""
    if statut == "a_trier":
        return TO_SORT
    if statut != "affecte":
        return UNASSIGNED
    return unit or service or UNASSIGNED
