"""``--chiffrer`` and ``--mot-de-passe-fichier``: the password of an encrypted output, never echoed."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from exploc_cli.protect import check_password, read_password_file

ChiffrerOption = Annotated[
    bool,
    typer.Option(
        "--chiffrer",
        help="Protéger le fichier par un mot de passe (demandé sans écho, ou lu avec --mot-de-passe-fichier).",
    ),
]
PasswordFileOption = Annotated[
    Path | None,
    typer.Option(
        "--mot-de-passe-fichier",
        dir_okay=False,
        help="Fichier dont la première ligne est le mot de passe (traitements programmés).",
    ),
]


def password_for(chiffrer: bool, password_file: Path | None) -> str | None:
    """The password to encrypt with, or None when --chiffrer is not asked for."""
    if not chiffrer:
        if password_file is not None:
            raise typer.BadParameter("n'a de sens qu'avec --chiffrer.", param_hint="--mot-de-passe-fichier")
        return None
    if password_file is not None:
        return read_password_file(password_file)
    password: str = typer.prompt(
        "Mot de passe du fichier", hide_input=True, confirmation_prompt="Confirmez le mot de passe", err=True
    )
    return check_password(password)
