"""Human decisions on the grouping: « fusionner », « séparer », « distinguer ».

A decision is stored as constraints between signalements (``lier``: always in one ménage;
``separer``: never), so it survives every later import and a full relink. The latest decision
wins: recording one deletes the earlier constraints that contradict it. Each decision is
written to the journal (by ménage number and signalement id, never by name), then the ménages
it touches are relinked at once.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, text

from .. import audit
from ..errors import ExplocError
from ..store.db import write_transaction
from . import repository
from .repository import resolve_menage
from .service import LinkReport, relink_records


@dataclass
class DecisionReport:
    id: int
    type: str
    menages: list[int]  # the ménages after the decision (the surviving number first for a fusion)
    signalements: int
    link: LinkReport = field(default_factory=lambda: LinkReport(False))

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "type": self.type,
            "menages": self.menages,
            "signalements": self.signalements,
            "liaison": self.link.to_json(),
        }


def members_of(connection: Connection, menage: int) -> list[int]:
    ids = connection.execute(
        text("SELECT id FROM signalement WHERE menage_id = :m ORDER BY id"), {"m": menage}
    ).scalars()
    return [int(i) for i in ids]


def merge(engine: Engine, first: int, second: int, *, motif: str | None, command_line: str) -> DecisionReport:
    """Put ménages ``first`` and ``second`` together for good; the older number survives."""
    with write_transaction(engine) as connection:
        a, b = resolve_menage(connection, first), resolve_menage(connection, second)
        if a == b:
            raise ExplocError(f"Les ménages {first} et {second} sont déjà le même ménage ({a}).")
        left, right = _non_empty(connection, a), _non_empty(connection, b)
        decision = _decision(connection, "fusion", motif, {"menages": [a, b]})
        _drop_contrary(connection, left, right, "separer")
        _constrain(connection, decision, [(left[0], right[0])], "lier")
        report = _finish(connection, decision, "fusion", left + right, command_line, motif)
        report.menages = [resolve_menage(connection, min(a, b))]
    return report


def split(
    engine: Engine, menage: int, signalements: Sequence[int], *, motif: str | None, command_line: str
) -> DecisionReport:
    """Take ``signalements`` out of ``menage`` into a ménage of their own, for good."""
    with write_transaction(engine) as connection:
        number = resolve_menage(connection, menage)
        members = members_of(connection, number)
        leaving = sorted(set(signalements))
        strangers = [s for s in leaving if s not in members]
        if strangers:
            raise ExplocError(
                f"Signalement(s) {', '.join(map(str, strangers))} absent(s) du ménage {number}.",
                f"Voir exploc menages afficher {number}.",
            )
        staying = [s for s in members if s not in set(leaving)]
        if not leaving or not staying:
            raise ExplocError("Indiquez une partie seulement des signalements du ménage à séparer.")
        decision = _decision(connection, "separation", motif, {"menage": number, "signalements": leaving})
        _apart(connection, decision, leaving, staying)
        _constrain(connection, decision, list(zip(leaving, leaving[1:], strict=False)), "lier")
        report = _finish(connection, decision, "separation", members, command_line, motif)
        report.menages = _menages_of(connection, [staying[0], leaving[0]])
    return report


def distinguish(engine: Engine, first: int, second: int, *, motif: str | None, command_line: str) -> DecisionReport:
    """Record that ménages ``first`` and ``second`` are two households (a review-queue answer)."""
    with write_transaction(engine) as connection:
        a, b = resolve_menage(connection, first), resolve_menage(connection, second)
        if a == b:
            raise ExplocError(
                f"Les ménages {first} et {second} sont un seul ménage ({a}).",
                f"Pour en retirer des signalements : exploc menages separer {a} SIGNALEMENT...",
            )
        left, right = _non_empty(connection, a), _non_empty(connection, b)
        decision = _decision(connection, "distinction", motif, {"menages": [a, b]})
        _apart(connection, decision, left, right)
        report = _finish(connection, decision, "distinction", left + right, command_line, motif)
        report.menages = [a, b]
    return report


def _non_empty(connection: Connection, menage: int) -> list[int]:
    members = members_of(connection, menage)
    if not members:
        raise ExplocError(f"Le ménage {menage} n'a plus aucun signalement.")
    return members


def _decision(connection: Connection, kind: str, motif: str | None, detail: dict[str, Any]) -> int:
    result = connection.execute(
        text(
            "INSERT INTO decision (type, horodatage, utilisateur, motif, detail) "
            "VALUES (:type, :now, :user, :motif, :detail) RETURNING id"
        ),
        {
            "type": kind,
            "now": datetime.now(UTC),
            "user": audit.who(connection),
            "motif": motif,
            "detail": json.dumps(detail, ensure_ascii=False),
        },
    )
    return int(result.scalar_one())


def _apart(connection: Connection, decision: int, left: Sequence[int], right: Sequence[int]) -> None:
    _drop_contrary(connection, left, right, "lier")
    _constrain(connection, decision, [(x, y) for x in left for y in right], "separer")


def _constrain(connection: Connection, decision: int, pairs: Iterable[tuple[int, int]], kind: str) -> None:
    repository.many(
        connection,
        "INSERT INTO contrainte (decision_id, a, b, type) VALUES (?, ?, ?, ?)",
        [(decision, min(x, y), max(x, y), kind) for x, y in pairs],
    )


def _drop_contrary(connection: Connection, left: Collection[int], right: Collection[int], kind: str) -> None:
    """Delete earlier ``kind`` constraints that tie a record of ``left`` to one of ``right``.

    Enough for « lier » too: records bound by « lier » constraints are always in one ménage,
    so a chain between the two sides runs inside them and crosses from one to the other.
    """
    left_set, right_set = set(left), set(right)
    found = [
        (a, b)
        for a, b in _constraints_among(connection, left_set | right_set, kind)
        if (a in left_set and b in right_set) or (a in right_set and b in left_set)
    ]
    repository.many(
        connection, "DELETE FROM contrainte WHERE a = ? AND b = ? AND type = ?", [(a, b, kind) for a, b in found]
    )


def _constraints_among(connection: Connection, ids: Collection[int], kind: str) -> list[tuple[int, int]]:
    must, cannot = repository.constraints(connection, ids)
    return must if kind == "lier" else cannot


def _finish(
    connection: Connection, decision: int, kind: str, records: Collection[int], command_line: str, motif: str | None
) -> DecisionReport:
    report = DecisionReport(decision, kind, [], len(records))
    relink_records(connection, records, report.link)
    repository.mark_empty(connection)
    audit.record(
        connection,
        audit.AuditEntry(
            action=f"menages_{kind}",
            commande=command_line,
            motif=motif,
            nb_lignes=len(records),
            details={"decision": decision, "signalements": sorted(records)[:200]},
        ),
    )
    return report


def _menages_of(connection: Connection, signalements: Sequence[int]) -> list[int]:
    found = []
    for record in signalements:
        number = connection.execute(text("SELECT menage_id FROM signalement WHERE id = :s"), {"s": record}).scalar_one()
        found.append(int(number))
    return found
