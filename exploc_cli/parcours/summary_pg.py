"""Kept ménage summaries written back on PostgreSQL, only when nothing changed since they were read.

On SQLite the write-back rides on the read transaction's snapshot: SQLite refuses the write when
anything was committed since (``summary_cache.Spool``). PostgreSQL has no such refusal, so the
base keeps a change generation (``parametre.resume_generation``) that every transaction changing
a ménage's rows raises once, through the triggers of migration 0010 (whatever code made the
change). A command reads the generation before its first read of the ménages; at the end it
stores what it computed only if it can lock the generation at once (no writer at work) and finds
it unchanged (no writer committed since; in a REPEATABLE READ read, PostgreSQL itself refuses the
lock of a row changed since the snapshot). Otherwise nothing is stored: the next command computes
them again. A role without the rights to write them (read-only) reads them and stores nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import date

from sqlalchemy import Connection, text
from sqlalchemy.exc import DBAPIError

from ..store.driver import upsert_many

logger = logging.getLogger("exploc.resumes")

_KEY = "resume_generation"
_SERIALIZATION_FAILURE = "40001"
_READ = text("SELECT valeur FROM parametre WHERE cle = :cle")
_LOCK = text("SELECT valeur FROM parametre WHERE cle = :cle FOR UPDATE SKIP LOCKED")
_MAY_WRITE = text(
    "SELECT has_table_privilege('parametre', 'UPDATE') AND has_table_privilege('resume_menage', 'INSERT') "
    "AND has_table_privilege('resume_menage', 'UPDATE') AND has_database_privilege(current_database(), 'TEMP')"
)
_COLUMNS = ("menage_id", "cle", "calcule_le", "valable_jusqu_au", "contenu")


def generation(connection: Connection) -> str | None:
    """The change generation in force now (None: no change recorded yet, nothing will be stored)."""
    return connection.execute(_READ, {"cle": _KEY}).scalar_one_or_none()


def store(
    connection: Connection, entries: Iterable[tuple[int, str | None, str]], key: str, today: date, seen: str | None
) -> bool:
    """Write ``entries`` (ménage, valid until, content) and commit, if the generation is still
    ``seen`` and no writer holds it; else roll back and write nothing (False)."""
    if seen is None or not connection.execute(_MAY_WRITE).scalar():
        connection.rollback()
        return False
    try:
        now = connection.execute(_LOCK, {"cle": _KEY}).scalar_one_or_none()  # None: a writer holds it
    except DBAPIError as error:  # REPEATABLE READ: changed by a writer who committed since the snapshot
        if getattr(error.orig, "sqlstate", None) != _SERIALIZATION_FAILURE:
            raise
        now = None
    if now != seen:
        connection.rollback()
        return False
    try:
        _write(connection, entries, key, today)
    except Exception as error:  # noqa: BLE001 - keeping summaries saves time; it never fails a command
        logger.warning("resumes non gardes (PostgreSQL) : %s", type(error).__name__)
        connection.rollback()
        return False
    connection.commit()
    return True


def _write(connection: Connection, entries: Iterable[tuple[int, str | None, str]], key: str, today: date) -> None:
    day = today.isoformat()
    rows = ((menage, key, day, until, contenu) for menage, until, contenu in entries)
    upsert_many(connection, "resume_menage", _COLUMNS, ("menage_id",), rows)
