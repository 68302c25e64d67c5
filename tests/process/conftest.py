"""Fixtures of the process tests: an empty, up-to-date base is built once and copied."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from exploc_cli.store.db import initialise_store, resolve_location


@pytest.fixture(scope="session")
def _empty_base_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("modele") / "exploc.sqlite"
    initialise_store(resolve_location(str(path)))  # what ``exploc init`` does, once per session
    return path


@pytest.fixture
def fresh_base(tmp_path: Path, _empty_base_template: Path) -> Path:
    """An empty base at the newest schema, 0600, in a 0700 folder of the test's own."""
    folder = tmp_path / "base"
    folder.mkdir(mode=0o700)
    target = folder / "exploc.sqlite"
    shutil.copy(_empty_base_template, target)
    target.chmod(0o600)
    return target
