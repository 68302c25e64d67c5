"""Following a household: the secretariat's notes, closing a parcours, reopening it.

A closed parcours reopens by itself when a report dated after its closing arrives (see
:func:`reopen_after_new_reports`, run by the linkage); the reopening is written as a note.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, Engine, text

from .. import audit
from ..errors import ExplocError
from ..linkage.keys import stored_date
from ..linkage.repository import resolve_menage
from ..normalize.text import fold
from ..store.db import write_transaction

# Why a parcours ends (the list); the code is stored, the label is shown.
CLOSING_REASONS: dict[str, str] = {
    "maintien": "maintien dans les lieux",
    "relogement": "relogement",
    "depart": "départ du logement",
    "expulsion": "expulsion",
    "fin_procedure": "fin de procédure",
}


@dataclass(frozen=True)
class FollowReport:
    menage: int
    action: str
    id: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {"id": self.id, "menage": self.menage, "action": self.action}


def closing_reason(value: str) -> str:
    """The reason code for a motif typed in any case, with or without accents (« Départ », « fin de procédure »)."""
    wanted = fold(value).replace(" ", "_")
    for code, label in CLOSING_REASONS.items():
        if wanted in (fold(code).replace(" ", "_"), fold(label).replace(" ", "_")):
            return code
    choices = ", ".join(f"« {label} »" for label in CLOSING_REASONS.values())
    raise ExplocError(f"Motif de clôture inconnu : « {value} ».", f"Motifs possibles : {choices}.")


def add_note(engine: Engine, menage: int, texte: str, *, command_line: str) -> FollowReport:
    if not texte.strip():
        raise ExplocError("La note est vide.")
    with write_transaction(engine) as connection:
        number = resolve_menage(connection, menage)
        note_id = _insert_note(connection, number, texte.strip(), audit.who(connection))
        audit.record(
            connection,
            audit.AuditEntry(
                action="menages_noter", commande=command_line, details={"menage": number, "note": note_id}
            ),
        )
    return FollowReport(number, "note", note_id)


def close(
    engine: Engine, menage: int, motif: str, *, comment: str | None, when: date | None, command_line: str
) -> FollowReport:
    code = closing_reason(motif)
    closed_on = when or date.today()
    with write_transaction(engine) as connection:
        number = resolve_menage(connection, menage)
        statut = connection.execute(text("SELECT statut FROM menage WHERE id = :m"), {"m": number}).scalar_one()
        if statut == "clos":
            raise ExplocError(f"Le parcours du ménage {number} est déjà clos.")
        connection.execute(
            text("UPDATE menage SET statut = 'clos', clos_le = :d, motif_cloture = :c, clos_par = :u WHERE id = :m"),
            {"d": closed_on, "c": code, "u": audit.who(connection), "m": number},
        )
        texte = f"Parcours clos le {closed_on:%d/%m/%Y} : {CLOSING_REASONS[code]}."
        if comment:
            texte += f" {comment.strip()}"
        _insert_note(connection, number, texte, audit.who(connection))
        audit.record(
            connection,
            audit.AuditEntry(action="menages_clore", commande=command_line, motif=code, details={"menage": number}),
        )
    return FollowReport(number, "clos")


def reopen_after_new_reports(connection: Connection, menages: set[int] | None = None) -> list[int]:
    """Reopen the closed ménages that received a report dated after their closing."""
    rows = connection.execute(
        text(
            # from the closed ménages (few) to their reports, through the indexes
            "SELECT m.id, m.clos_le, (SELECT MAX(e.date) FROM signalement s "
            "JOIN evenement e ON e.signalement_id = s.id AND e.principal = :p WHERE s.menage_id = m.id) AS last "
            "FROM menage m WHERE m.statut = 'clos'"
        ),
        {"p": True},
    ).all()
    reopened = []
    for number, closed_on, last in rows:
        if menages is not None and number not in menages:
            continue
        closed = stored_date(closed_on)
        latest = stored_date(last)
        if closed is not None and latest is not None and latest > closed:
            connection.execute(
                text("UPDATE menage SET statut = 'ouvert' WHERE id = :m"),
                {"m": number},
            )
            _insert_note(
                connection,
                number,
                f"Parcours rouvert : nouveau signalement du {latest:%d/%m/%Y} "
                f"(clos le {closed:%d/%m/%Y}, motif : {CLOSING_REASONS.get(_reason(connection, number), '?')}).",
                "exploc",
            )
            reopened.append(number)
    return reopened


def _reason(connection: Connection, number: int) -> str:
    return str(connection.execute(text("SELECT motif_cloture FROM menage WHERE id = :m"), {"m": number}).scalar())


def _insert_note(connection: Connection, menage: int, texte: str, user: str) -> int:
    result = connection.execute(
        text("INSERT INTO note (menage_id, horodatage, utilisateur, texte) VALUES (:m, :h, :u, :t) RETURNING id"),
        {"m": menage, "h": datetime.now(UTC), "u": user, "t": texte},
    )
    return int(result.scalar_one())
