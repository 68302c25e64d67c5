"""The audit journal: every extraction, nominative document and batch operation leaves a trace.

Entries name households by number, never by name, so that the journal can outlive a purge.
Nothing in exploc edits or deletes an entry.
"""

from __future__ import annotations

import getpass
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, text

from .store.models import Journal

JOURNAL_TABLE = Journal.__table__  # type: ignore[attr-defined]


def os_user() -> str:
    """The operating-system account running exploc."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name (some containers, services)
        return "inconnu"


def who(connection: Connection) -> str:
    """Who writes, as the journal and the tables record it: the operating-system account, and on a
    shared PostgreSQL server the server's role too when it differs (« mdupont (rôle secretariat) »),
    since several accounts may use one role and one account several."""
    account = os_user()
    if connection.dialect.name != "postgresql":
        return account
    role = connection.info.get("exploc_role")  # one query per connection of the pool
    if role is None:
        role = str(connection.execute(text("SELECT current_user")).scalar_one())
        connection.info["exploc_role"] = role
    return account if role == account else f"{account} (rôle {role})"


@dataclass(frozen=True)
class AuditEntry:
    action: str
    commande: str = ""
    filtres: Mapping[str, Any] | None = None
    motif: str | None = None
    nb_lignes: int | None = None
    chemin: str | None = None
    sha256: str | None = None
    details: Mapping[str, Any] | None = None


def record(connection: Connection, entry: AuditEntry) -> None:
    """Append ``entry`` to the journal inside the caller's transaction."""
    connection.execute(
        insert(JOURNAL_TABLE),
        {
            "horodatage": datetime.now(UTC),
            "utilisateur": who(connection),
            "action": entry.action,
            "commande": entry.commande,
            "filtres": _json_or_none(entry.filtres),
            "motif": entry.motif,
            "nb_lignes": entry.nb_lignes,
            "chemin": entry.chemin,
            "sha256": entry.sha256,
            "details": _json_or_none(entry.details),
        },
    )


def record_file(engine: Engine, entry: AuditEntry, *paths: Path) -> None:
    """Journal the nominative file(s) just written, in a transaction of its own; if the entry cannot
    be written (the base busy for too long), remove them: no such file exists without its entry."""
    from .store.db import write_transaction

    try:
        with write_transaction(engine) as connection:
            record(connection, entry)
    except BaseException:
        for path in paths:
            path.unlink(missing_ok=True)
        raise


def _json_or_none(value: Mapping[str, Any] | None) -> str | None:
    if not value:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


@dataclass(frozen=True)
class JournalLine:
    id: int
    horodatage: datetime
    utilisateur: str
    action: str
    commande: str
    filtres: str | None
    motif: str | None
    nb_lignes: int | None
    chemin: str | None
    sha256: str | None
    details: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "horodatage": self.horodatage.isoformat(timespec="seconds"),
            "utilisateur": self.utilisateur,
            "action": self.action,
            "commande": self.commande,
            "filtres": json.loads(self.filtres) if self.filtres else None,
            "motif": self.motif,
            "lignes": self.nb_lignes,
            "chemin": self.chemin,
            "sha256": self.sha256,
            "details": json.loads(self.details) if self.details else None,
        }


def read_journal(
    connection: Connection, *, du: date | None = None, au: date | None = None, action: str | None = None
) -> list[JournalLine]:
    """The journal's entries, oldest first (``du``/``au``: days, inclusive, in UTC)."""
    table = JOURNAL_TABLE
    query = select(*table.c).order_by(table.c.horodatage, table.c.id)
    if du is not None:
        query = query.where(table.c.horodatage >= datetime.combine(du, time.min))
    if au is not None:
        query = query.where(table.c.horodatage < datetime.combine(au + timedelta(days=1), time.min))
    if action is not None:
        query = query.where(table.c.action == action)
    return [JournalLine(*row) for row in connection.execute(query)]
