"""Why a ménage holds its signalements (« expliquer »), and the pairs awaiting a human (« a-verifier »)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Connection, text

from ..linkage.keys import stored_date
from ..linkage.repository import resolve_menage
from ..linkage.service import describe_link

METHOD_LABELS = {
    "premier": "premier signalement du ménage",
    "score": "rapprochement",
    "identique": "ligne identique",
    "decision": "décision de la secrétaire (fusion)",
    "cle": "clé partagée",
}


@dataclass(frozen=True)
class Side:
    """One signalement as the secretariat sees it in an explanation or the review queue."""

    signalement: int
    menage: int | None
    source: str
    when: date | None
    personnes: str
    naissance: date | None
    adresse: str
    reference: str | None
    allocataire: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "signalement": self.signalement,
            "menage": self.menage,
            "source": self.source,
            "date": self.when.isoformat() if self.when else None,
            "personnes": self.personnes,
            "date_naissance": self.naissance.isoformat() if self.naissance else None,
            "adresse": self.adresse,
            "reference": self.reference,
            "numero_allocataire": self.allocataire,
        }


@dataclass(frozen=True)
class Attachment:
    side: Side
    method: str
    linked_to: int | None
    score: float | None
    evidence: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            **self.side.to_json(),
            "methode": self.method,
            "rattache_a": self.linked_to,
            "score": self.score,
            "preuves": self.evidence,
        }


@dataclass(frozen=True)
class Explanation:
    menage: int
    statut: str
    attachments: list[Attachment]
    decisions: list[dict[str, Any]]

    def to_json(self) -> dict[str, Any]:
        return {
            "menage": self.menage,
            "statut": self.statut,
            "signalements": [a.to_json() for a in self.attachments],
            "decisions": self.decisions,
        }


@dataclass(frozen=True)
class ReviewPair:
    left: Side
    right: Side
    score: float
    evidence: str

    def to_json(self) -> dict[str, Any]:
        return {"score": self.score, "preuves": self.evidence, "a": self.left.to_json(), "b": self.right.to_json()}


_SIDE_QUERY = (
    "SELECT s.id, s.menage_id, s.source, e.date, s.civilite, s.nom, s.nom_naissance, s.prenoms, s.nom2, "
    "s.prenoms2, s.date_naissance, s.numero, s.suffixe, s.voie, s.complement, s.code_postal, s.commune, "
    "s.reference, s.numero_allocataire FROM signalement s "
    "JOIN evenement e ON e.signalement_id = s.id AND e.principal = :p"
)


def _side(row: Any) -> Side:
    names = " ".join(p for p in (row.nom, f"(née {row.nom_naissance})" if row.nom_naissance else "", row.prenoms) if p)
    if row.nom2 or row.prenoms2:
        names += " et " + " ".join(p for p in (row.nom2, row.prenoms2) if p)
    street = " ".join(str(p) for p in (row.numero, row.suffixe, row.voie) if p)
    place = " ".join(p for p in (row.code_postal, row.commune) if p)
    address = ", ".join(p for p in (street, row.complement, place) if p)
    return Side(
        row.id,
        row.menage_id,
        row.source,
        stored_date(row.date),
        names,
        stored_date(row.date_naissance),
        address,
        row.reference,
        row.numero_allocataire,
    )


def sides(connection: Connection, ids: list[int]) -> dict[int, Side]:
    found: dict[int, Side] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ", ".join(f":i{i}" for i in range(len(chunk)))
        params: dict[str, Any] = {f"i{i}": v for i, v in enumerate(chunk)}
        for row in connection.execute(text(f"{_SIDE_QUERY} WHERE s.id IN ({marks})"), {"p": True, **params}):
            found[row.id] = _side(row)
    return found


def explain(connection: Connection, menage: int) -> Explanation:
    number = resolve_menage(connection, menage)
    statut = connection.execute(text("SELECT statut FROM menage WHERE id = :m"), {"m": number}).scalar_one()
    rows = connection.execute(
        text(
            "SELECT r.signalement_id, r.methode, r.lie_a, r.score, r.detail FROM rattachement r "
            "JOIN signalement s ON s.id = r.signalement_id JOIN evenement e ON e.signalement_id = s.id "
            "AND e.principal = :p WHERE s.menage_id = :m ORDER BY e.date, s.id"
        ),
        {"m": number, "p": True},
    ).all()
    found = sides(connection, [r.signalement_id for r in rows])
    attachments = [
        Attachment(
            found[r.signalement_id],
            r.methode,
            r.lie_a,
            r.score,
            r.detail or (describe_link(connection, r.signalement_id, r.lie_a) if r.lie_a is not None else None),
        )
        for r in rows
    ]
    decisions = []
    if found:
        ids = list(found)
        marks = ", ".join(f":i{i}" for i in range(len(ids)))
        params: dict[str, Any] = {f"i{i}": v for i, v in enumerate(ids)}
        for row in connection.execute(
            text(
                "SELECT DISTINCT d.id, d.type, d.horodatage, d.utilisateur, d.motif FROM decision d "
                f"JOIN contrainte c ON c.decision_id = d.id WHERE c.a IN ({marks}) OR c.b IN ({marks}) ORDER BY d.id"
            ),
            params,
        ):
            decisions.append(
                {
                    "id": row.id,
                    "type": row.type,
                    "horodatage": str(row.horodatage)[:16],
                    "utilisateur": row.utilisateur,
                    "motif": row.motif,
                }
            )
    return Explanation(number, statut, attachments, decisions)


def review_queue(connection: Connection, limit: int | None = None) -> list[ReviewPair]:
    """Uncertain pairs between two open ménages, strongest first (one per pair of ménages)."""
    rows = connection.execute(
        text(
            "SELECT l.a, l.b, l.score, l.detail, sa.menage_id AS ma, sb.menage_id AS mb FROM lien l "
            "JOIN signalement sa ON sa.id = l.a JOIN signalement sb ON sb.id = l.b "
            "WHERE l.statut = 'a_verifier' AND sa.menage_id <> sb.menage_id "
            "ORDER BY l.score DESC, l.a, l.b"
        )
    ).all()
    seen: set[tuple[int, int]] = set()
    chosen = []
    for row in rows:
        pair = (min(row.ma, row.mb), max(row.ma, row.mb))
        if pair in seen:
            continue
        seen.add(pair)
        chosen.append(row)
        if limit is not None and len(chosen) >= limit:
            break
    found = sides(connection, sorted({x for row in chosen for x in (row.a, row.b)}))
    return [
        ReviewPair(found[r.a], found[r.b], float(r.score), r.detail or describe_link(connection, r.a, r.b))
        for r in chosen
    ]
