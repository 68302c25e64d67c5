"""Import batches (« lots »): listing them, and cancelling one imported by mistake."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Engine, delete, func, select, update

from .. import audit
from ..errors import ExplocError, NotFoundError
from ..linkage.repository import affected_records, mark_empty
from ..linkage.service import LinkReport, relink_records
from ..store.db import StoreLocation, write_transaction
from ..store.lock import store_import_lock
from ..store.models import Lot, Signalement

LOT_TABLE = Lot.__table__  # type: ignore[attr-defined]
SIGNALEMENT_TABLE = Signalement.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class LotSummary:
    id: int
    fichier: str
    source: str
    debut: datetime
    utilisateur: str
    lignes_lues: int
    importees: int
    deja_presentes: int
    rejetees: int
    statut: str
    signalements: int

    def to_json(self) -> dict[str, object]:
        return {
            "lot": self.id,
            "fichier": self.fichier,
            "source": self.source,
            "date": self.debut.astimezone().isoformat(timespec="seconds"),
            "utilisateur": self.utilisateur,
            "lignes_lues": self.lignes_lues,
            "importees": self.importees,
            "deja_presentes": self.deja_presentes,
            "rejetees": self.rejetees,
            "statut": self.statut,
            "signalements_en_base": self.signalements,
        }


def list_lots(engine: Engine, *, include_cancelled: bool = True) -> list[LotSummary]:
    """Past imports, most recent first."""
    counts = select(SIGNALEMENT_TABLE.c.lot_id, func.count().label("n")).group_by(SIGNALEMENT_TABLE.c.lot_id).subquery()
    query = (
        select(LOT_TABLE, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.lot_id == LOT_TABLE.c.id)
        .order_by(LOT_TABLE.c.id.desc())
    )
    if not include_cancelled:
        query = query.where(LOT_TABLE.c.statut == "importe")
    with engine.connect() as connection:
        rows = connection.execute(query).all()
    return [
        LotSummary(
            r.id,
            r.fichier,
            r.source,
            r.debut,
            r.utilisateur,
            r.lignes_lues,
            r.importees,
            r.deja_presentes,
            r.rejetees,
            r.statut,
            int(r[-1]),
        )
        for r in rows
    ]


@dataclass(frozen=True)
class CancelReport:
    lot_id: int
    fichier: str
    signalements_supprimes: int

    def to_json(self) -> dict[str, object]:
        return {"lot": self.lot_id, "fichier": self.fichier, "signalements_supprimes": self.signalements_supprimes}


def cancel_lot(engine: Engine, location: StoreLocation, lot_id: int, *, command_line: str = "") -> CancelReport:
    """Remove a batch's signalements (and their events) and mark it cancelled, journalled.

    Holds the import lock, so that a cancellation never interleaves with an import.
    """
    with store_import_lock(location), write_transaction(engine) as connection:
        lot = connection.execute(select(LOT_TABLE).where(LOT_TABLE.c.id == lot_id)).first()
        if lot is None:
            raise NotFoundError(f"Le lot {lot_id} n'existe pas.", hint="Voir : exploc lots lister")
        if lot.statut == "annule":
            raise ExplocError(f"Le lot {lot_id} ({lot.fichier}) est déjà annulé.")
        touched = affected_records(connection, lot_id)
        removed = connection.execute(delete(SIGNALEMENT_TABLE).where(SIGNALEMENT_TABLE.c.lot_id == lot_id)).rowcount
        relinked = LinkReport(False)
        if touched:  # the households that held the batch's rows are regrouped without them
            relink_records(connection, touched, relinked)
        mark_empty(connection)
        connection.execute(
            update(LOT_TABLE)
            .where(LOT_TABLE.c.id == lot_id)
            .values(statut="annule", annule_le=datetime.now(UTC), annule_par=audit.who(connection))
        )
        audit.record(
            connection,
            audit.AuditEntry(
                action="annulation_lot",
                commande=command_line,
                nb_lignes=removed,
                sha256=lot.sha256,
                details={"lot": lot_id, "source": lot.source, "fichier": lot.fichier},
            ),
        )
    return CancelReport(lot_id, lot.fichier, int(removed or 0))
