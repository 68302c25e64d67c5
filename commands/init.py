"""``exploc init`` and ``exploc verifier``."""

from __future__ import annotations

import typer
from rich.markup import escape

from exploc_cli.config import create_default_config
from exploc_cli.store.db import initialise_store
from exploc_cli.verification import verify_installation

from ._console import console, print_json
from ._errors import ExitCode, domain_errors
from ._options import JsonOption
from ._state import state


def init(ctx: typer.Context, json_output: JsonOption = False) -> None:
    """Créer la base (ou la mettre à jour) et le fichier de configuration s'ils n'existent pas.

    Exemple : exploc init
    """
    app_state = state(ctx)
    with domain_errors():
        location = app_state.location
        before, after = initialise_store(location, busy_timeout_s=app_state.busy_timeout)
        config_file = app_state.config_file
        created_config = create_default_config(config_file)
    if json_output:
        print_json(
            {
                "base": location.display,
                "revision_avant": before,
                "revision": after,
                "configuration": str(config_file),
                "configuration_creee": created_config,
            }
        )
        return
    if app_state.quiet:
        return
    if before is None:
        console.print(f"Base créée : {location.display}")
    elif before != after:
        console.print(f"Base mise à jour (schéma {before} → {after}) : {location.display}")
    else:
        console.print(f"Base déjà à jour : {location.display}")
    if created_config:
        console.print(f"Configuration créée : {config_file}")


def verify(ctx: typer.Context, json_output: JsonOption = False) -> None:
    """Vérifier configuration, base (intégrité, schéma, droits), règles et modèles Word. Code 4 si problème.

    Tous les contrôles sont faits et affichés, même après un problème. Chaque modèle (la copie
    modifiée du dossier « modeles » de la configuration, sinon le modèle fourni) est rempli à
    blanc avec des données d'exemple.

    Exemple : exploc verifier
    """
    from exploc_cli.documents.checks import template_check_rows  # docxtpl only when needed

    app_state = state(ctx)
    with domain_errors():
        report = verify_installation(
            app_state.base, app_state.config_file, config_required=app_state.config_path is not None
        )
    for name, ok, detail in template_check_rows(app_state.config_file.parent):
        report.add(name, ok, detail)
    if json_output:
        print_json(report.to_json())
    elif not app_state.quiet or not report.ok:
        for check in report.checks:
            mark = "[green]OK[/]" if check.ok else "[red]PROBLÈME[/]"
            console.print(f"{mark}  {check.name} : {escape(check.detail)}", markup=True)
        problems = sum(1 for check in report.checks if not check.ok)
        console.print(f"{problems} problème(s) trouvé(s)." if problems else "Aucun problème trouvé.")
    if not report.ok:
        raise typer.Exit(ExitCode.CHECKS_FAILED)


__all__ = ["init", "verify"]
