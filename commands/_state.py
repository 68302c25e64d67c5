"""Global options (``--base``, ``--config``, ``-q``) kept lazily: ``--help`` never opens the base."""

from __future__ import annotations

import shlex
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from exploc_cli.config import Settings, load_settings
from exploc_cli.paths import default_config_path
from exploc_cli.store.db import StoreLocation, open_store, resolve_location

if TYPE_CHECKING:
    from sqlalchemy import Engine


@dataclass
class AppState:
    base: str | None = None
    config_path: Path | None = None
    quiet: bool = False
    _settings: Settings | None = field(default=None, repr=False)
    _engine: Engine | None = field(default=None, repr=False)

    @property
    def config_file(self) -> Path:
        return self.config_path or default_config_path()

    @property
    def settings(self) -> Settings:
        if self._settings is None:
            self._settings = load_settings(self.config_file, required=self.config_path is not None)
        return self._settings

    @property
    def location(self) -> StoreLocation:
        return resolve_location(self.base or self.settings.base.chemin)

    @property
    def busy_timeout(self) -> float:
        return self.settings.base.attente_verrou_secondes

    def engine(self) -> Engine:
        """The open, up-to-date store (raises a French error otherwise)."""
        if self._engine is None:
            self._engine = open_store(self.location, busy_timeout_s=self.busy_timeout)
        return self._engine

    def close(self) -> None:
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None


def state(ctx: typer.Context) -> AppState:
    root = ctx.find_root()
    if not isinstance(root.obj, AppState):
        root.obj = AppState()
    return root.obj


_invocation: list[str] | None = None


def remember_invocation(arguments: list[str]) -> None:
    """Called by the console entry point with the real arguments."""
    global _invocation
    _invocation = list(arguments)


HIDDEN_TEXT = "[texte masqué]"


def command_line(ctx: typer.Context, hidden: Sequence[str] = ()) -> str:
    """The command as typed, for the audit journal (``exploc`` + its arguments).

    ``hidden``: parameters holding free text about a household (a note): the journal outlives
    an erasure and names nobody, so their values are replaced by « [texte masqué] ».
    """
    secrets = {str(value) for name in hidden if (value := ctx.params.get(name))}
    if _invocation is not None:
        return "exploc " + shlex.join(_masked(word, secrets) for word in _invocation)
    words = ctx.command_path.split(" ")[1:]
    return " ".join(["exploc", *words])


def _masked(word: str, secrets: set[str]) -> str:
    if word in secrets:
        return HIDDEN_TEXT
    option, equals, value = word.partition("=")
    if equals and option.startswith("--") and value in secrets:
        return f"{option}={HIDDEN_TEXT}"
    return word
