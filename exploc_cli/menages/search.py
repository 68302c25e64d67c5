"""« exploc menages chercher » : find households by name, tolerant of accents, case and typos.

Every surname a ménage carries (nom d'usage, nom de naissance, conjoint's) is compared with
the one searched, first as typed (accents and case folded), then within a typo or two
(rapidfuzz over the distinct surnames, a few tens of thousands at most).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from rapidfuzz import fuzz, process
from rapidfuzz.distance import OSA
from sqlalchemy import Connection, text

from ..linkage.keys import stored_date
from ..normalize.text import fold_compact

_NAME_COLUMNS = ("nom", "nom_naissance", "nom2", "nom_naissance2")
MAX_RESULTS = 50


@dataclass(frozen=True)
class SearchHit:
    menage: int
    statut: str
    names: list[str]  # « DURAND Sophie », as written
    commune: str | None
    last_date: date | None
    signalements: int
    score: float  # 100 = exact surname and first name

    def to_json(self) -> dict[str, Any]:
        return {
            "menage": self.menage,
            "statut": self.statut,
            "noms": self.names,
            "commune": self.commune,
            "dernier_evenement": self.last_date.isoformat() if self.last_date else None,
            "signalements": self.signalements,
            "score": round(self.score, 1),
        }


def search(connection: Connection, surname: str, firstname: str | None = None) -> list[SearchHit]:
    """Ménages whose persons carry ``surname`` (and ``firstname``), best first."""
    wanted = fold_compact(surname)
    if not wanted:
        return []
    raw_values, variants = _surname_variants(connection, wanted)
    if not variants:
        return []
    wanted_first = fold_compact(firstname or "")
    by_menage: dict[int, dict[str, Any]] = defaultdict(lambda: {"names": {}, "score": 0.0, "count": 0})
    for chunk in _chunks(sorted(raw_values)):
        marks = ", ".join(f":v{i}" for i in range(len(chunk)))
        params = {f"v{i}": value for i, value in enumerate(chunk)}
        clauses = " OR ".join(f"s.{c} IN ({marks})" for c in _NAME_COLUMNS)
        rows = connection.execute(
            text(
                "SELECT s.menage_id, s.nom, s.nom_naissance, s.prenoms, s.nom2, s.nom_naissance2, s.prenoms2 "
                f"FROM signalement s WHERE s.menage_id IS NOT NULL AND ({clauses})"
            ),
            params,
        )
        for row in rows:
            entry = by_menage[row.menage_id]
            for nom, naissance, prenoms in (
                (row.nom, row.nom_naissance, row.prenoms),
                (row.nom2, row.nom_naissance2, row.prenoms2),
            ):
                surname_score = max(variants.get(fold_compact(n or ""), 0.0) for n in (nom, naissance))
                if not surname_score:
                    continue
                score = surname_score * (_first_score(wanted_first, prenoms) if wanted_first else 1.0)
                entry["score"] = max(entry["score"], score)
                label = " ".join(p for p in (nom, prenoms) if p)
                entry["names"][label] = None
    hits = [(menage, entry) for menage, entry in by_menage.items() if entry["score"] >= (60.0 if wanted_first else 0.0)]
    hits.sort(key=lambda item: (-item[1]["score"], item[0]))
    return [_describe(connection, menage, entry) for menage, entry in hits[:MAX_RESULTS]]


def _surname_variants(connection: Connection, wanted: str) -> tuple[set[str], dict[str, float]]:
    """Stored surnames close to ``wanted``: their values as written, and each folded key's similarity (/100)."""
    raw_by_key: dict[str, set[str]] = defaultdict(set)
    for column in _NAME_COLUMNS:
        for (value,) in connection.execute(
            text(f"SELECT DISTINCT {column} FROM signalement WHERE {column} IS NOT NULL")  # noqa: S608
        ):
            raw_by_key[fold_compact(value)].add(value)
    found: dict[str, float] = {}
    for key in raw_by_key:
        if key == wanted:
            found[key] = 100.0
        elif len(wanted) >= 4 and OSA.distance(key, wanted, score_cutoff=2) <= (1 if len(wanted) < 7 else 2):
            found[key] = 90.0
    for key, score, _ in process.extract(wanted, list(raw_by_key), scorer=fuzz.ratio, score_cutoff=85, limit=50):
        found.setdefault(key, float(score) * 0.95)
    return {raw for key in found for raw in raw_by_key[key]}, found


def _first_score(wanted: str, prenoms: str | None) -> float:
    given = [fold_compact(p) for p in (prenoms or "").split()]
    if not given or not given[0]:
        return 0.7  # no first name written: the surname alone
    best = max(fuzz.ratio(wanted, g) for g in given)
    return 1.0 if best == 100 else (0.9 if best >= 80 else 0.5)


def _describe(connection: Connection, menage: int, entry: dict[str, Any]) -> SearchHit:
    row = connection.execute(
        text(
            "SELECT m.statut, COUNT(s.id) AS n, MAX(e.date) AS last, "
            "(SELECT s2.commune FROM signalement s2 JOIN evenement e2 ON e2.signalement_id = s2.id "
            " AND e2.principal = :p WHERE s2.menage_id = m.id AND s2.commune IS NOT NULL "
            " ORDER BY e2.date DESC LIMIT 1) AS commune "
            "FROM menage m JOIN signalement s ON s.menage_id = m.id "
            "JOIN evenement e ON e.signalement_id = s.id AND e.principal = :p WHERE m.id = :m GROUP BY m.id"
        ),
        {"m": menage, "p": True},
    ).one()
    last = stored_date(row.last)
    return SearchHit(menage, row.statut, list(entry["names"]), row.commune, last, int(row.n), entry["score"])


def _chunks(values: list[str], size: int = 200) -> list[list[str]]:
    return [values[i : i + size] for i in range(0, len(values), size)]
