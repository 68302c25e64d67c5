"""The log file (user log folder): what a nightly import did, without any personal data."""

from __future__ import annotations

import logging
from logging.handlers import RotatingFileHandler
from pathlib import Path

from .paths import ensure_private_dir, restrict_to_owner, user_log_dir

_configured: Path | None = None


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
    handler = RotatingFileHandler(target, maxBytes=5 * 2**20, backupCount=5, encoding="utf-8", delay=False)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False
    restrict_to_owner(target)
    _configured = target
    return target
