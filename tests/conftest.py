"""Shared fixtures: every test runs with its own user folders, base and configuration."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from commands.app import app
from exploc_cli.resources import sample_data_dir


@pytest.fixture(autouse=True)
def isolated_user_folders(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """platformdirs folders (data, config, logs) point into a temporary home for each test."""
    home = tmp_path_factory.mktemp("home")
    for variable, folder in (
        ("XDG_DATA_HOME", "data"),
        ("XDG_CONFIG_HOME", "config"),
        ("XDG_STATE_HOME", "state"),
        ("XDG_CACHE_HOME", "cache"),
    ):
        monkeypatch.setenv(variable, str(home / folder))
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.delenv("EXPLOC_BASE", raising=False)
    monkeypatch.delenv("EXPLOC_CONFIG", raising=False)
    monkeypatch.setenv("COLUMNS", "200")
    return home


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture
def base(tmp_path: Path, runner: CliRunner) -> Path:
    """An initialised SQLite base in a temporary folder."""
    path = tmp_path / "base" / "exploc.sqlite"
    result = runner.invoke(app, ["--base", str(path), "init"])
    assert result.exit_code == 0, result.output
    return path


Invoke = Callable[..., Result]


@pytest.fixture
def exploc(runner: CliRunner, base: Path) -> Invoke:
    """Run ``exploc --base <temporary base> ARGS...`` and return the result."""

    def invoke(*args: str) -> Result:
        return runner.invoke(app, ["--base", str(base), *args])

    return invoke


@pytest.fixture(scope="session")
def samples() -> Path:
    return sample_data_dir()


@pytest.fixture
def write_file(tmp_path: Path) -> Iterator[Callable[..., Path]]:
    """Write text in a given encoding (or bytes) to a file in a temporary folder."""
    folder = tmp_path / "fichiers"
    folder.mkdir()

    def write(name: str, content: str | bytes, encoding: str = "utf-8") -> Path:
        path = folder / name
        path.write_bytes(content if isinstance(content, bytes) else content.encode(encoding))
        return path

    yield write
