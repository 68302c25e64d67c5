"""``exploc suivi``: préconisations due or overdue, and ménages due for réexamen.

A ménage already inscribed in a coming session is not listed as due for réexamen: it is on its way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Connection

from ..normalize.dates import format_date_fr
from .records import PreconisationRecord, all_examens, all_preconisations, by_current_menage, merge_redirects
from .referentiel import OPEN_STATUT, Referentiel
from .selection import due_for_reexamen


@dataclass(frozen=True)
class DuePreconisation:
    preconisation: PreconisationRecord
    menage_id: int  # the ménage holding it now
    overdue: bool


@dataclass(frozen=True)
class FollowUpList:
    today: date
    horizon: date
    preconisations: tuple[DuePreconisation, ...]
    reexamens: tuple[tuple[int, str], ...]  # (ménage, why)

    def to_json(self, referentiel: Referentiel) -> dict[str, Any]:
        return {
            "date": self.today.isoformat(),
            "jusqu_au": self.horizon.isoformat(),
            "preconisations": [
                {
                    "preconisation": d.preconisation.id,
                    "menage": d.menage_id,
                    "seance": d.preconisation.seance_id,
                    "date_seance": d.preconisation.seance_date.isoformat() if d.preconisation.seance_date else None,
                    "destinataire": d.preconisation.destinataire,
                    "type": d.preconisation.type,
                    "libelle": referentiel.preconisation_label(d.preconisation.type),
                    "texte": d.preconisation.texte,
                    "echeance": d.preconisation.echeance.isoformat() if d.preconisation.echeance else None,
                    "en_retard": d.overdue,
                }
                for d in self.preconisations
            ],
            "reexamens": [{"menage": menage, "motif": why} for menage, why in self.reexamens],
        }


def follow_up(connection: Connection, today: date, *, days: int = 30) -> FollowUpList:
    """What is due by ``today + days``: open préconisations and réexamens not yet scheduled."""
    horizon = today + timedelta(days=days)
    redirects = merge_redirects(connection)
    due = [
        DuePreconisation(p, redirects.get(p.menage_id, p.menage_id), p.echeance < today)
        for p in all_preconisations(connection, statut=OPEN_STATUT)
        if p.echeance is not None and p.echeance <= horizon
    ]
    due.sort(key=lambda d: (d.preconisation.echeance or today, d.menage_id))
    scheduled = {
        menage
        for menage, passages in by_current_menage(all_examens(connection), redirects).items()
        if any(p.seance_date >= today for p in passages)
    }
    reexamens = sorted(
        (menage, why) for menage, why in due_for_reexamen(connection, horizon).items() if menage not in scheduled
    )
    return FollowUpList(today, horizon, tuple(due), tuple(reexamens))


def due_label(item: DuePreconisation, today: date) -> str:
    echeance = item.preconisation.echeance
    if echeance is None:
        return ""
    late = (today - echeance).days
    if late > 0:
        return f"en retard de {late} jour(s) (échéance {format_date_fr(echeance)})"
    return f"échéance le {format_date_fr(echeance)}"
