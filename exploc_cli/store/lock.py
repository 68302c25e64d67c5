"""The import lock: two imports never overlap; the second gives up at once.

An OS file lock (``flock`` on POSIX, ``msvcrt.locking`` on Windows) is released by the
operating system when its process ends, even when it is killed, so a crashed nightly
import never leaves a stale lock behind.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import IO

from ..errors import LockBusyError
from ..paths import ensure_private_dir


def lock_path_for(data_dir: Path, base_name: str) -> Path:
    return data_dir / f"{base_name}.import.verrou"


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
