"""The log file (user log folder): what a nightly import did, without any personal data.

The file and its rotated copies are readable by their owner only (0600), in a folder created
0700: a file name or a count is not personal data, but the folder is nobody else's business.
"""

from __future__ import annotations

import io
import logging
import os
from logging.handlers import RotatingFileHandler
from pathlib import Path

from .paths import ensure_private_dir, restrict_to_owner, user_log_dir

_configured: Path | None = None


class PrivateRotatingFileHandler(RotatingFileHandler):
    """A rotating log whose every new file is created 0600 (the stdlib's follows the umask)."""

    def _open(self) -> io.TextIOWrapper:
        descriptor = os.open(self.baseFilename, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        restrict_to_owner(Path(self.baseFilename))  # a file left by an older version
        return io.TextIOWrapper(
            io.FileIO(descriptor, "a"), encoding=self.encoding or "utf-8", errors=self.errors, write_through=True
        )


def configure_file_logging(folder: Path | None = None) -> Path:
    """Send the ``exploc`` loggers to ``exploc.log`` (rotated at 5 MB, 5 copies kept)."""
    global _configured
    target = ensure_private_dir(folder or user_log_dir()) / "exploc.log"
    if _configured == target:
        return target
    logger = logging.getLogger("exploc")
    for handler in list(logger.handlers):
        if isinstance(handler, RotatingFileHandler):
            logger.removeHandler(handler)
            handler.close()
    handler = PrivateRotatingFileHandler(target, maxBytes=5 * 2**20, backupCount=5, encoding="utf-8", delay=False)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    _configured = target
    return target
