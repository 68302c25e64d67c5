"""Recording the commission's outcome (read back from the decision sheet) and following it up.

Saving is one transaction: the avis of every decided row, its préconisations upserted by their
number (re-reading the same sheet adds nothing; a préconisation keeps its follow-up status when
only its wording changes), and the statuses of earlier préconisations.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, delete, insert, select, update

from .. import audit
from ..errors import ExplocError, NotFoundError
from ..outputs import sha256_of
from ..store.db import write_transaction
from .records import INSCRIPTION, PRECONISATION, get_seance, inscriptions_of, preconisations_of_seance
from .referentiel import STATUTS, Referentiel
from .sheet_read import SheetContent, read_decision_sheet, statut_code


@dataclass(frozen=True)
class DecisionsReport:
    seance: int
    avis: int
    preconisations: int
    statuts: int
    sans_decision: int

    def to_json(self) -> dict[str, Any]:
        return {
            "seance": self.seance,
            "avis": self.avis,
            "preconisations": self.preconisations,
            "statuts_mis_a_jour": self.statuts,
            "lignes_sans_decision": self.sans_decision,
        }


def record_decisions(
    engine: Engine, seance_id: int, path: Path, referentiel: Referentiel, *, command_line: str
) -> DecisionsReport:
    with write_transaction(engine) as connection:
        seance = get_seance(connection, seance_id)
        inscriptions = {i.id: i for i in inscriptions_of(connection, seance.id)}
        content: SheetContent = read_decision_sheet(path, seance.id, seance.date, inscriptions, referentiel)
        now, user = datetime.now(UTC), audit.who(connection)
        recorded = preconisations_of_seance(connection, seance.id)  # one query for every row
        written = 0
        for decision in content.decisions:
            connection.execute(
                update(INSCRIPTION)
                .where(INSCRIPTION.c.id == decision.inscription_id)
                .values(
                    avis=decision.avis,
                    avis_texte=decision.avis_texte,
                    reexamen=decision.reexamen,
                    decide_le=now,
                    decide_par=user,
                )
            )
            existing = {p.numero: p.id for p in recorded.get(decision.inscription_id, [])}
            kept = {p.numero for p in decision.preconisations}
            stale = [pid for numero, pid in existing.items() if numero not in kept]
            if stale:
                connection.execute(delete(PRECONISATION).where(PRECONISATION.c.id.in_(stale)))
            for preco in decision.preconisations:
                values = {
                    "destinataire": preco.destinataire,
                    "type": preco.type,
                    "texte": preco.texte,
                    "echeance": preco.echeance,
                    "reexamen": decision.reexamen,
                }
                if preco.numero in existing:
                    connection.execute(
                        update(PRECONISATION).where(PRECONISATION.c.id == existing[preco.numero]).values(**values)
                    )
                else:
                    connection.execute(
                        insert(PRECONISATION),
                        {
                            **values,
                            "inscription_id": decision.inscription_id,
                            "menage_id": inscriptions[decision.inscription_id].menage_id,
                            "numero": preco.numero,
                            "statut": "a_faire",
                            "cree_le": now,
                        },
                    )
                written += 1
        wanted = [item.preconisation_id for item in content.statuts]
        current = {
            row.id: (row.statut, row.statut_note)
            for row in connection.execute(
                select(PRECONISATION.c.id, PRECONISATION.c.statut, PRECONISATION.c.statut_note).where(
                    PRECONISATION.c.id.in_(wanted)
                )
            )
        }
        changed = 0
        for item in content.statuts:
            if item.preconisation_id not in current:
                raise ExplocError(f"{path} : onglet « Suivi » : préconisation P{item.preconisation_id} introuvable.")
            if current[item.preconisation_id] != (item.statut, item.note):
                _set_statut(connection, item.preconisation_id, item.statut, item.note, now, user)
                changed += 1
        report = DecisionsReport(seance.id, len(content.decisions), written, changed, content.undecided)
        audit.record(
            connection,
            audit.AuditEntry(
                "seance_decisions",
                command_line,
                nb_lignes=len(content.decisions),
                chemin=str(path),
                sha256=sha256_of(path),
                details={
                    "seance": seance.id,
                    "menages": sorted(d.menage_id for d in content.decisions),
                    **report.to_json(),
                },
            ),
        )
        return report


def _set_statut(connection: Any, preco_id: int, statut: str, note: str | None, now: datetime, user: str) -> None:
    connection.execute(
        update(PRECONISATION)
        .where(PRECONISATION.c.id == preco_id)
        .values(statut=statut, statut_note=note, statut_le=now, statut_par=user)
    )


def set_statut(engine: Engine, preco_id: int, statut: str, note: str | None, *, command_line: str) -> str:
    """Change one préconisation's follow-up status (``statut``: a code or its label); returns the code."""
    code = statut_code(statut)
    if code is None:
        raise ExplocError(f"Statut inconnu : « {statut} ».", "Statuts possibles : " + ", ".join(STATUTS.values()))
    with write_transaction(engine) as connection:
        found = connection.execute(
            select(PRECONISATION.c.menage_id).where(PRECONISATION.c.id == preco_id)
        ).scalar_one_or_none()
        if found is None:
            raise NotFoundError(f"Préconisation n° {preco_id} introuvable.", "Voir exploc suivi.")
        _set_statut(connection, preco_id, code, (note or "").strip() or None, datetime.now(UTC), audit.who(connection))
        audit.record(
            connection,
            audit.AuditEntry(
                "preconisation_statut",
                command_line,
                nb_lignes=1,
                details={"preconisation": preco_id, "menage": found, "statut": code},
            ),
        )
    return code
