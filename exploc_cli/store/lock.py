"""The import lock: two imports never overlap; the second gives up at once.

On SQLite, an OS file lock (``flock`` on POSIX, ``msvcrt.locking`` on Windows) is released by
the operating system when its process ends, even when it is killed, so a crashed nightly
import never leaves a stale lock behind. On PostgreSQL, where the importers may run on several
machines, it is a session advisory lock held by a connection of its own: the server releases it
when that connection ends, for whatever reason.
"""

from __future__ import annotations

import json
import os
import socket
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import IO

from sqlalchemy import Connection, create_engine, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.pool import NullPool

from ..errors import LockBusyError, StoreError
from ..paths import ensure_private_dir
from .db import StoreLocation

# « exploc » + 2 (the write lock of db.py is + 1). pg_locks shows it as classid (high 32 bits)
# and objid (low 32 bits).
PG_IMPORT_LOCK_KEY = 0x6578706C6F630002
_APPLICATION = "exploc import"


def lock_path_for(data_dir: Path, base_name: str) -> Path:
    return data_dir / f"{base_name}.import.verrou"


@contextmanager
def store_import_lock(location: StoreLocation) -> Iterator[None]:
    """Hold the import lock of the base at ``location`` (a file beside an SQLite base, or an
    advisory lock on the PostgreSQL server) for the duration of the block."""
    if location.is_sqlite:
        name = location.sqlite_path.name if location.sqlite_path is not None else "exploc"
        with import_lock(lock_path_for(location.data_dir, name)):
            yield
        return
    with _advisory_import_lock(location.url):
        yield


@contextmanager
def _advisory_import_lock(url: str) -> Iterator[None]:
    started = datetime.now().isoformat(timespec="seconds")
    # application_name (63 characters at most) tells the next importer who holds the lock.
    name = f"{_APPLICATION} {os.getpid()} {started} {socket.gethostname()}"[:63]
    engine = create_engine(
        url, poolclass=NullPool, hide_parameters=True, connect_args={"application_name": name}
    ).execution_options(isolation_level="AUTOCOMMIT")
    try:
        try:
            connection = engine.connect()
        except OperationalError as err:
            raise StoreError(f"Impossible de joindre le serveur de la base : {err.orig}") from None
        with connection:
            key = {"key": PG_IMPORT_LOCK_KEY}
            if not connection.execute(text("SELECT pg_try_advisory_lock(:key)"), key).scalar():
                raise LockBusyError(
                    f"Un autre import est en cours sur cette base{_pg_holder(connection)}.",
                    hint="Réessayez quand il sera terminé (code de sortie 6).",
                )
            try:
                yield
            finally:
                try:
                    connection.execute(text("SELECT pg_advisory_unlock(:key)"), key)
                except OperationalError:
                    pass  # the connection is lost: the server has released the lock with it
    finally:
        engine.dispose()


def _pg_holder(connection: Connection) -> str:
    """« (processus 123 sur poste, commencé le …) » from the holder's application_name, when readable."""
    found = connection.execute(
        text(
            "SELECT a.application_name FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
            "WHERE l.locktype = 'advisory' AND l.granted AND l.classid = :high AND l.objid = :low "
            "AND l.objsubid = 1 AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())"
        ),
        {"high": PG_IMPORT_LOCK_KEY >> 32, "low": PG_IMPORT_LOCK_KEY & 0xFFFFFFFF},
    ).scalar()
    parts = str(found or "").removeprefix(_APPLICATION).split()
    try:
        start = datetime.fromisoformat(parts[1]).strftime("%d/%m/%Y à %H:%M:%S")
    except (IndexError, ValueError):
        return ""
    host = f" sur {parts[2]}" if len(parts) > 2 else ""
    return f" (processus {parts[0]}{host}, commencé le {start})"


@contextmanager
def import_lock(path: Path) -> Iterator[None]:
    """Hold the import lock stored in ``path`` for the duration of the block."""
    ensure_private_dir(path.parent)
    descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    handle = os.fdopen(descriptor, "r+", encoding="utf-8")
    try:
        if not _try_lock(handle):
            holder = _read_holder(path)
            raise LockBusyError(
                f"Un autre import est en cours sur cette base{holder}.",
                hint="Réessayez quand il sera terminé (code de sortie 6).",
            )
        handle.seek(0)
        handle.truncate()
        handle.write(json.dumps({"pid": os.getpid(), "debut": datetime.now().isoformat(timespec="seconds")}))
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            handle.flush()
            _unlock(handle)
    finally:
        handle.close()


def _read_holder(path: Path) -> str:
    try:
        info = json.loads(path.read_text(encoding="utf-8") or "{}")
        start = datetime.fromisoformat(info["debut"]).strftime("%d/%m/%Y à %H:%M:%S")
        return f" (processus {info['pid']}, commencé le {start})"
    except (OSError, ValueError, KeyError, TypeError):
        return ""


if sys.platform == "win32":  # pragma: no cover - exercised on Windows only
    import msvcrt

    def _try_lock(handle: IO[str]) -> bool:
        handle.seek(0)
        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(handle: IO[str]) -> None:
        handle.seek(0)
        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
        except OSError:
            pass

else:
    import fcntl

    def _try_lock(handle: IO[str]) -> bool:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(handle: IO[str]) -> None:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
