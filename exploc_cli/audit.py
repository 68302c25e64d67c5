"""The audit journal: every extraction, nominative document and batch operation leaves a trace.

Entries name households by number, never by name, so that the journal can outlive a purge.
Nothing in exploc edits or deletes an entry.
"""

from __future__ import annotations

import getpass
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, insert

from .store.models import Journal

JOURNAL_TABLE = Journal.__table__  # type: ignore[attr-defined]


def os_user() -> str:
    """The operating-system account running exploc."""
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no login name (some containers, services)
        return "inconnu"


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
            "utilisateur": os_user(),
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


def _json_or_none(value: Mapping[str, Any] | None) -> str | None:
    if not value:
        return None
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
