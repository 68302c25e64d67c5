"""Shared fixtures: every test runs with its own user folders, base and configuration.

``pytest --postgresql`` runs the suite on PostgreSQL: every base a test gets (``base``,
``new_base``, ``exploc``) is then a fresh database on the server of ``EXPLOC_TEST_POSTGRESQL``,
and the tests marked ``sqlite_only`` (behaviour of the SQLite file itself) are skipped. When no
server answers, the whole run is skipped and says so loudly (first and last lines, every test).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import datetime, time, timedelta
from pathlib import Path
from time import sleep

import pytest
from typer.testing import CliRunner, Result

from commands.app import app
from exploc_cli.resources import sample_data_dir
from tests.backends import ENV_URL, Base, PostgresServer

_server: PostgresServer | None = None
_unavailable: str | None = None  # why the PostgreSQL run could not happen
MIDNIGHT_MARGIN_SECONDS = 120  # longer than any single test but the slow process ones


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--postgresql",
        action="store_true",
        default=False,
        help=f"exécuter la suite sur PostgreSQL (serveur donné par la variable {ENV_URL})",
    )


def pytest_configure(config: pytest.Config) -> None:
    global _server, _unavailable
    config.addinivalue_line("markers", "sqlite_only(reason): comportement propre au fichier SQLite")
    config.addinivalue_line("markers", "postgresql_only(reason): comportement propre à PostgreSQL")
    if not config.getoption("--postgresql"):
        return
    url = os.environ.get(ENV_URL, "").strip()
    if not url:
        _unavailable = f"la variable {ENV_URL} n'est pas définie (aucun serveur PostgreSQL de test)"
        return
    try:
        server = PostgresServer(url)
        server.check()
    except Exception as error:  # noqa: BLE001 - any failure to reach the server is reported, not raised
        reason = " ".join(str(getattr(error, "orig", None) or error).split())[:200]
        _unavailable = f"le serveur {url.split('@')[-1]} ne répond pas ({reason})"
        return
    _server = server


def pytest_unconfigure(config: pytest.Config) -> None:
    global _server
    if _server is not None:
        _server.close()
        _server = None


def _banner() -> str:
    return f"POSTGRESQL NON TESTÉ : {_unavailable} — la suite n'a PAS été exécutée sur PostgreSQL"


def pytest_report_header(config: pytest.Config) -> str | None:
    if _unavailable is not None:
        return "!" * 30 + " " + _banner() + " " + "!" * 30
    if _server is not None:
        return f"base des tests : PostgreSQL {_server.check()} ({_server.url.render_as_string(hide_password=True)})"
    return "base des tests : SQLite"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if _unavailable is not None:
        skip = pytest.mark.skip(reason=_banner())
        for item in items:
            item.add_marker(skip)
        return
    on_postgresql = _server is not None
    for item in items:
        marker = item.get_closest_marker("postgresql_only" if not on_postgresql else "sqlite_only")
        if marker is not None:
            reason = marker.args[0] if marker.args else marker.kwargs.get("reason", "")
            where = "SQLite" if on_postgresql else "PostgreSQL"
            item.add_marker(pytest.mark.skip(reason=f"propre à {where} : {reason}"))


def pytest_sessionstart(session: pytest.Session) -> None:
    reporter = session.config.pluginmanager.get_plugin("terminalreporter")
    if _unavailable is not None and reporter is not None:  # shown even with -q, before the first test
        reporter.write_sep("!", _banner(), red=True, bold=True)


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if _unavailable is not None:
        terminalreporter.write_sep("!", _banner(), red=True, bold=True)


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    if _unavailable is not None and exitstatus == pytest.ExitCode.NO_TESTS_COLLECTED:
        session.exitstatus = pytest.ExitCode.OK


@pytest.fixture(autouse=True)
def not_across_midnight() -> None:
    """A test never straddles midnight: many compare what the CLI computes « today » with the
    test's own « today », and a run started at 23:59 would see two different days."""
    now = datetime.now()
    left = (datetime.combine(now.date() + timedelta(days=1), time.min) - now).total_seconds()
    if left < MIDNIGHT_MARGIN_SECONDS:
        sleep(left + 1)


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


@pytest.fixture(scope="session")
def backend() -> str:
    """``postgresql`` on the PostgreSQL run, ``sqlite`` otherwise."""
    return "postgresql" if _server is not None else "sqlite"


NewBase = Callable[..., Base]


def _make_base(folder: Path, *, initialised: bool = True) -> Base:
    """A fresh base: ``folder/exploc.sqlite`` (created by ``exploc init`` when ``initialised``), or a
    PostgreSQL database (a copy of the migrated template, or empty)."""
    if _server is not None:
        return _server.create(initialised=initialised)
    path = folder / "exploc.sqlite"
    if initialised:
        result = CliRunner().invoke(app, ["--base", str(path), "init"])
        assert result.exit_code == 0, result.output
    return path


@pytest.fixture(scope="session")
def make_base() -> Callable[..., Base]:
    """For fixtures wider than a test: ``make_base(folder)`` (PostgreSQL databases are dropped at the end)."""
    return _make_base


@pytest.fixture
def new_base(tmp_path: Path) -> Iterator[NewBase]:
    """Make fresh bases: ``new_base("nom")`` is initialised, ``new_base("nom", initialised=False)``
    exists but is empty (an SQLite path not yet created, or an empty PostgreSQL database)."""
    made: list[Base] = []
    folders: set[Path] = set()

    def make(name: str = "exploc", *, initialised: bool = True) -> Base:
        folder, copies = tmp_path / name, 0
        while folder in folders or folder.exists():  # hypothesis asks for a new base at every example
            copies += 1
            folder = tmp_path / f"{name}-{copies}"
        folders.add(folder)
        made.append(_make_base(folder, initialised=initialised))
        return made[-1]

    yield make
    if _server is not None:
        for url in made:
            _server.release(str(url))


@pytest.fixture
def base(new_base: NewBase) -> Base:
    """An initialised base of the test's own: an SQLite file in a temporary folder, or a PostgreSQL database."""
    return new_base("base")


Invoke = Callable[..., Result]


@pytest.fixture
def exploc(runner: CliRunner, base: Base) -> Invoke:
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
