"""Fixtures of the process tests: an empty, up-to-date base is built once and copied."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from exploc_cli.store.db import initialise_store, resolve_location
from tests.backends import Base


@pytest.fixture(scope="session")
def _empty_base_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("modele") / "exploc.sqlite"
    initialise_store(resolve_location(str(path)))  # what ``exploc init`` does, once per session
    return path


@pytest.fixture
def fresh_base(tmp_path: Path, backend: str, request: pytest.FixtureRequest) -> Base:
    """An empty base at the newest schema: on SQLite, 0600 in a 0700 folder of the test's own."""
    if backend == "postgresql":
        return request.getfixturevalue("new_base")()  # type: ignore[no-any-return]
    template = request.getfixturevalue("_empty_base_template")
    folder = tmp_path / "base"
    folder.mkdir(mode=0o700)
    target = folder / "exploc.sqlite"
    shutil.copy(template, target)
    target.chmod(0o600)
    return target
