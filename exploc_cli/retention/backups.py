"""Backups of an SQLite base, consistent while it is in use, and restores that never undo an erasure.

``backup`` copies the base with SQLite's online backup API (one snapshot, even while an import
writes), checks the copy and makes it a single owner-only file. ``restore`` checks a copy, keeps
the current base aside, puts the copy in its place (schema upgraded if it is older), then
re-applies every erasure and purge made since the copy: the tombstones of the current base delete
the same signalements again, and the journal entries written since the copy are carried over.

A PostgreSQL base is backed up by the server (``pg_dump``), not by exploc.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, text

from .. import audit
from ..errors import ExplocError
from ..outputs import sha256_of
from ..paths import ensure_private_dir, restrict_to_owner
from ..store.db import StoreLocation, head_revision, initialise_store, open_store, write_transaction
from ..store.lock import store_import_lock
from .deletion import delete_menages

SERVER_BACKUPS = (
    "En mode serveur (PostgreSQL), les sauvegardes et restaurations sont l'affaire du serveur : "
    "exploc sauvegarder et exploc restaurer ne servent qu'aux bases SQLite."
)
SERVER_BACKUPS_HINT = (
    "Demandez à l'administrateur du serveur une sauvegarde régulière (pg_dump, ou la sauvegarde continue "
    "du serveur) ; une sauvegarde se remet en place avec pg_restore."
)
_CHUNK = 500
Tombstone = tuple[str, bytes, str, str]  # source, fingerprint, when, why
_REQUIRED_TABLES = {"alembic_version", "menage", "signalement", "evenement", "journal", "lot"}


@dataclass(frozen=True)
class BackupReport:
    path: Path
    sha256: str
    size: int
    schema: str

    def to_json(self) -> dict[str, Any]:
        return {"fichier": str(self.path), "sha256": self.sha256, "taille": self.size, "schema": self.schema}


def backup(location: StoreLocation, destination: Path, *, command_line: str = "") -> BackupReport:
    """A consistent, checked, owner-only copy of the base in ``destination`` (written atomically)."""
    live = require_file_base(location)
    if destination.resolve() == live.resolve():
        raise ExplocError("La sauvegarde ne peut pas remplacer la base elle-même : choisissez un autre fichier.")
    ensure_private_dir(destination.parent)
    descriptor, name = tempfile.mkstemp(prefix=f".{destination.name}.", suffix=".tmp", dir=destination.parent)
    os.close(descriptor)
    temporary = Path(name)
    restrict_to_owner(temporary)
    try:
        with closing(sqlite3.connect(live, timeout=600)) as source, closing(sqlite3.connect(temporary)) as copy:
            source.backup(copy)  # one step: one snapshot, even while others write
            copy.execute("PRAGMA journal_mode = DELETE")  # a single file, no -wal beside it
            _check(copy, destination)
            schema = str(copy.execute("SELECT version_num FROM alembic_version").fetchone()[0])
        os.replace(temporary, destination)
        restrict_to_owner(destination)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    digest = sha256_of(destination)
    engine = open_store(location)
    try:
        entry = audit.AuditEntry(
            action="sauvegarde", commande=command_line, chemin=str(destination.resolve()), sha256=digest
        )
        audit.record_file(engine, entry, destination)
    finally:
        engine.dispose()
    return BackupReport(destination, digest, destination.stat().st_size, schema)


@dataclass(frozen=True)
class RestoreReport:
    source: Path
    previous: Path | None  # the base as it was before, kept aside
    erased_again: int  # signalements erased or purged since the copy, deleted again
    menages_removed: int
    journal_carried: int
    warning: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "sauvegarde": str(self.source),
            "base_precedente": str(self.previous) if self.previous else None,
            "signalements_reeffaces": self.erased_again,
            "menages_retires": self.menages_removed,
            "entrees_journal_reprises": self.journal_carried,
            "avertissement": self.warning,
        }


def restore(location: StoreLocation, source: Path, *, command_line: str = "") -> RestoreReport:
    """Put the copy ``source`` in place of the base, then re-apply what was erased since."""
    live = require_file_base(location)
    if not source.is_file():
        raise ExplocError(f"Sauvegarde introuvable : {source}.")
    with closing(sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)) as copy:
        _check(copy, source)
        copied_journal = int(copy.execute("SELECT COALESCE(MAX(id), 0) FROM journal").fetchone()[0])
    with store_import_lock(location):
        tombstones, journal, warning = _since_the_copy(live, copied_journal)
        previous = _keep_aside(live) if live.exists() else None
        with closing(sqlite3.connect(source)) as copy, closing(sqlite3.connect(live, timeout=600)) as target:
            copy.backup(target)
            target.execute("PRAGMA journal_mode = WAL")
        restrict_to_owner(live)
        initialise_store(location)  # an older copy is upgraded to the current schema
        engine = open_store(location)
        try:
            with write_transaction(engine) as connection:
                erased, removed = _erase_again(connection, tombstones)
                for entry in journal:
                    connection.execute(
                        text(
                            "INSERT INTO journal (id, horodatage, utilisateur, action, commande, filtres, motif, "
                            "nb_lignes, chemin, sha256, details) VALUES (:id, :horodatage, :utilisateur, :action, "
                            ":commande, :filtres, :motif, :nb_lignes, :chemin, :sha256, :details)"
                        ),
                        entry,
                    )
                audit.record(
                    connection,
                    audit.AuditEntry(
                        action="restauration",
                        commande=command_line,
                        chemin=str(source.resolve()),
                        sha256=sha256_of(source),
                        nb_lignes=erased,
                        details={
                            "signalements_reeffaces": erased,
                            "menages_retires": removed,
                            "entrees_journal_reprises": len(journal),
                            "base_precedente": str(previous) if previous else None,
                        },
                    ),
                )
        finally:
            engine.dispose()
    return RestoreReport(source, previous, erased, removed, len(journal), warning)


def require_file_base(location: StoreLocation) -> Path:
    """The SQLite file of the base; a server base is refused (its backups are the server's job)."""
    if location.sqlite_path is None:
        raise ExplocError(SERVER_BACKUPS, hint=SERVER_BACKUPS_HINT)
    return location.sqlite_path


def _check(connection: sqlite3.Connection, path: Path) -> None:
    """An exploc base, whole: integrity, its tables, a schema version exploc knows."""
    try:
        verdict = connection.execute("PRAGMA integrity_check").fetchone()[0]
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as error:
        raise ExplocError(f"{path.name} n'est pas une base exploc lisible ({error}).") from None
    if verdict != "ok":
        raise ExplocError(f"{path.name} est endommagée (contrôle d'intégrité : {verdict}).")
    missing = _REQUIRED_TABLES - tables
    if missing:
        raise ExplocError(f"{path.name} n'est pas une base exploc (tables absentes : {', '.join(sorted(missing))}).")
    version = str(connection.execute("SELECT version_num FROM alembic_version").fetchone()[0])
    if version > head_revision():
        raise ExplocError(
            f"{path.name} vient d'une version plus récente d'exploc (schéma {version}).",
            "Mettez exploc à jour avant de restaurer cette sauvegarde.",
        )


def _since_the_copy(live: Path, copied_journal: int) -> tuple[list[Tombstone], list[dict[str, Any]], str | None]:
    """The current base's tombstones and the journal entries written after the copy's last one."""
    if not live.exists():
        return [], [], None
    try:
        with closing(sqlite3.connect(f"{live.resolve().as_uri()}?mode=ro", uri=True)) as current:
            tables = {row[0] for row in current.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            tombstones: list[Tombstone] = []
            if "signalement_efface" in tables:
                query = "SELECT source, empreinte, efface_le, raison FROM signalement_efface"
                tombstones = [(str(s), bytes(e), str(w), str(r)) for s, e, w, r in current.execute(query)]
            current.row_factory = sqlite3.Row
            query = "SELECT * FROM journal WHERE id > ? ORDER BY id"
            journal = [dict(r) for r in current.execute(query, (copied_journal,))]
    except sqlite3.DatabaseError as error:
        return (
            [],
            [],
            (
                f"La base actuelle est illisible ({error}) : les effacements et purges faits depuis la sauvegarde "
                "n'ont pas pu être ré-appliqués. Refaites-les (voir le journal d'une autre copie)."
            ),
        )
    return tombstones, journal, None


def _keep_aside(live: Path) -> Path:
    """A copy of the current base next to it (owner-only), in case the restore was a mistake."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = live.with_name(f"{live.stem}.avant-restauration-{stamp}{live.suffix}")
    with closing(sqlite3.connect(live, timeout=600)) as current, closing(sqlite3.connect(aside)) as copy:
        current.backup(copy)
        copy.execute("PRAGMA journal_mode = DELETE")
    restrict_to_owner(aside)
    return aside


def _erase_again(connection: Connection, tombstones: list[Tombstone]) -> tuple[int, int]:
    """Delete the signalements the tombstones name, then the ménages left without any; keep the tombstones."""
    erased = 0
    emptied: set[int] = set()
    for start in range(0, len(tombstones), _CHUNK):
        chunk = tombstones[start : start + _CHUNK]
        wanted = {(source, bytes(mark)) for source, mark, _, _ in chunk}
        marks = ", ".join("?" * len(chunk))
        found = connection.exec_driver_sql(
            f"SELECT id, menage_id, source, empreinte FROM signalement WHERE empreinte IN ({marks})",
            tuple(bytes(mark) for _, mark, _, _ in chunk),
        ).all()
        doomed = [(int(i), m) for i, m, source, mark in found if (source, bytes(mark)) in wanted]
        if doomed:
            connection.exec_driver_sql(
                f"DELETE FROM signalement WHERE id IN ({', '.join('?' * len(doomed))})", tuple(i for i, _ in doomed)
            )
        erased += len(doomed)
        emptied.update(int(m) for _, m in doomed if m is not None)
        connection.execute(
            text(
                "INSERT INTO signalement_efface (source, empreinte, efface_le, raison) VALUES (:s, :e, :w, :r) "
                "ON CONFLICT (source, empreinte) DO NOTHING"
            ),
            [{"s": source, "e": bytes(mark), "w": when, "r": reason} for source, mark, when, reason in chunk],
        )
    still_used = {
        int(row[0])
        for row in connection.exec_driver_sql("SELECT DISTINCT menage_id FROM signalement WHERE menage_id IS NOT NULL")
    } if emptied else set()  # fmt: skip
    empty = sorted(emptied - still_used)
    delete_menages(connection, empty, "effacement")
    return erased, len(empty)
