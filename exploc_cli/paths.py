"""Where exploc keeps its files (platformdirs), and how nominative files are created."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "exploc"


def user_data_dir() -> Path:
    """The user data folder (default base, rejects)."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def user_config_dir() -> Path:
    """The user configuration folder (exploc.toml, edited templates)."""
    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def user_log_dir() -> Path:
    """The user log folder (exploc.log)."""
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def default_base_path() -> Path:
    return user_data_dir() / "exploc.sqlite"


def default_config_path() -> Path:
    return user_config_dir() / "exploc.toml"


def ensure_private_dir(path: Path) -> Path:
    """Create ``path`` (and parents) if needed; every folder we create is readable by its owner only
    (the data folder of a server base is first created by its rejects folder, ``…/exploc/rejets``)."""
    missing = []
    folder = path
    while not folder.exists() and folder.parent != folder:
        missing.append(folder)
        folder = folder.parent
    path.mkdir(parents=True, exist_ok=True)
    for created in missing:
        restrict_to_owner_mode(created, 0o700)
    return path


def create_private_file(path: Path) -> None:
    """Create an empty file readable by its owner only (0600), if it does not exist."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(fd)


def open_private_for_writing(path: Path) -> int:
    """Open ``path`` for writing, truncated, with mode 0600 even if it existed before."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    restrict_to_owner_mode(path, 0o600)
    return fd


def restrict_to_owner(path: Path) -> None:
    """Make an existing file readable by its owner only."""
    restrict_to_owner_mode(path, 0o600)


def restrict_to_owner_mode(path: Path, mode: int) -> None:
    # On Windows chmod only toggles the read-only flag; the user's profile folder already
    # restricts access, so failing here is not an error.
    try:
        os.chmod(path, mode)
    except OSError:
        pass
