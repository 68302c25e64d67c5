"""The dependency rule of STYLE.md §2.1, checked on the source itself."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _imports(path: Path, *, runtime_only: bool = False) -> set[str]:
    """Top-level package names a module imports (``runtime_only``: outside ``if TYPE_CHECKING:``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in tree.body:
        if runtime_only and isinstance(node, ast.If) and getattr(node.test, "id", "") == "TYPE_CHECKING":
            continue
        for sub in ast.walk(node):
            if isinstance(sub, ast.Import):
                names.update(alias.name.split(".")[0] for alias in sub.names)
            elif isinstance(sub, ast.ImportFrom) and sub.module and sub.level == 0:
                names.add(sub.module.split(".")[0])
    return names


def test_core_never_imports_the_command_layer_typer_or_rich() -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(_imports(path) & {"commands", "typer", "rich", "click"})
        for path in (ROOT / "exploc_cli").rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_core_never_prints() -> None:
    offenders = []
    for path in (ROOT / "exploc_cli").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "print":
                offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []


def test_commands_hold_no_sql() -> None:
    offenders = {
        str(path.relative_to(ROOT)): sorted(
            _imports(path, runtime_only=True) & {"sqlalchemy", "sqlmodel", "sqlite3", "psycopg"}
        )
        for path in (ROOT / "commands").glob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_modules_stay_small() -> None:
    long_modules = {
        str(path.relative_to(ROOT)): n
        for folder in ("exploc_cli", "commands")
        for path in (ROOT / folder).rglob("*.py")
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > 450
    }
    assert long_modules == {}
