"""Running exploc as the secretariat runs it: a real process (``python -m commands``).

The user folders are those of the test (``isolated_user_folders`` sets them in ``os.environ``),
so a process never touches the developer's own base or configuration.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

from tests.backends import Base
from tests.helpers import tuples

ROOT = Path(__file__).resolve().parents[2]


def command(*args: str) -> list[str]:
    return [sys.executable, "-m", "commands", *args]


def environment(**extra: str) -> dict[str, str]:
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "COLUMNS": "200", **extra}
    env.pop("EXPLOC_DEBUG", None)
    return env


def exploc(*args: str, timeout: float = 300, **extra_env: str) -> subprocess.CompletedProcess[str]:
    """Run ``exploc ARGS…`` to its end; stdout and stderr are captured as text."""
    return subprocess.run(
        command(*args),
        cwd=ROOT,
        env=environment(**extra_env),
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=timeout,
    )


def spawn(*args: str, **popen: Any) -> subprocess.Popen[str]:
    """Start ``exploc ARGS…`` without waiting (output to the given files, or discarded)."""
    popen.setdefault("stdout", subprocess.DEVNULL)
    popen.setdefault("stderr", subprocess.DEVNULL)
    return subprocess.Popen(command(*args), cwd=ROOT, env=environment(), text=True, encoding="utf-8", **popen)


def assert_clean_failure(result: subprocess.CompletedProcess[str], *codes: int) -> None:
    """Ended with one of ``codes``, a French message, and no Python traceback anywhere."""
    output = result.stdout + result.stderr
    assert result.returncode in codes, (result.returncode, output[-3000:])
    assert "Traceback" not in output and "Erreur inattendue" not in output, output[-3000:]


def query(base: Base, sql: str, *params: Any) -> list[tuple[Any, ...]]:
    """Read the base directly, as a third party would (nothing is written)."""
    if isinstance(base, Path):
        connection = sqlite3.connect(base, timeout=60)
        try:
            return connection.execute(sql, params).fetchall()
        finally:
            connection.close()
    return tuples(base, sql, *params)
