"""Every command has French help with an example, and the README documents every command."""

from __future__ import annotations

from pathlib import Path

import typer.main

from commands.app import app

ROOT = Path(__file__).resolve().parent.parent


def _commands() -> list[tuple[str, object]]:
    root = typer.main.get_command(app)
    found = []
    for name, command in root.commands.items():  # type: ignore[attr-defined]
        sub = getattr(command, "commands", None)
        if sub:
            found.extend((f"{name} {sub_name}", sub_command) for sub_name, sub_command in sub.items())
        else:
            found.append((name, command))
    return found


def test_every_command_has_help_with_an_example() -> None:
    for name, command in _commands():
        text = command.help or ""  # type: ignore[attr-defined]
        assert text.strip(), name
        assert "Exemple" in text, name


def test_the_readme_documents_every_command_and_the_exit_codes() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, _ in _commands():
        assert f"exploc {name}" in readme, name
    for code in range(8):
        assert f"| {code} |" in readme


def test_ci_runs_the_readme_test_command() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    marker = readme.index("<!-- ci:tests -->")
    block = readme[marker:].split("```")[1].splitlines()
    command = next(line for line in block[1:] if line.strip())
    assert "pip install" in command and "pytest" in command
    assert "<!-- ci:tests -->" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")
