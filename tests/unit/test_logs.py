"""The technical log: private files, rotated copies included."""

from __future__ import annotations

import logging
import os
import stat
import sys
from pathlib import Path

import pytest

from exploc_cli.logs import PrivateRotatingFileHandler


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX modes")
def test_the_log_and_its_rotated_copies_are_created_owner_only_whatever_the_umask(tmp_path: Path) -> None:
    previous = os.umask(0o022)
    try:
        handler = PrivateRotatingFileHandler(tmp_path / "exploc.log", maxBytes=300, backupCount=3, encoding="utf-8")
        logger = logging.getLogger("exploc.test_rotation")
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
        for line in range(60):
            logger.info("ligne %d : fichier importé, lues=%d", line, line * 10)
        logger.removeHandler(handler)
        handler.close()
    finally:
        os.umask(previous)
    files = sorted(tmp_path.iterdir())
    assert [p.name for p in files] == ["exploc.log", "exploc.log.1", "exploc.log.2", "exploc.log.3"]
    assert {stat.S_IMODE(p.stat().st_mode) for p in files} == {0o600}
    assert "ligne 59 : fichier importé" in (tmp_path / "exploc.log").read_text(encoding="utf-8")
