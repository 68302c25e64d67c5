"""``exploc droits``: the rights of the server's roles on a shared base (PostgreSQL)."""

from __future__ import annotations

from typing import Annotated

import typer

from exploc_cli.store.rights import grant_read_only, read_only_plan, require_server_base, revoke_plan, revoke_rights

from ._console import console, err_console, print_json
from ._errors import domain_errors
from ._options import JsonOption
from ._state import command_line, state

app = typer.Typer(
    help="Droits des rôles du serveur PostgreSQL sur une base partagée (lecture seule, retrait).",
    no_args_is_help=True,
)

AfficherOption = Annotated[
    bool,
    typer.Option("--afficher", help="Afficher le script SQL pour l'administrateur du serveur, sans rien appliquer."),
]


@app.command("lecture")
def lecture(
    ctx: typer.Context,
    role: Annotated[str, typer.Argument(metavar="ROLE", help="Le rôle du serveur (il doit déjà exister).")],
    afficher: AfficherOption = False,
    json_output: JsonOption = False,
) -> None:
    """Donner à un rôle du serveur les droits de lecture seule sur la base.

    Le rôle peut alors lister, afficher, extraire, exporter, écrire les documents de séance et
    les diagnostics ; il ne peut ni importer ni rien modifier (une écriture est refusée en
    français, code de sortie 7). Il reçoit la lecture de toutes les tables d'exploc et le seul
    ajout d'entrées au journal : chaque extraction et chaque document restent journalisés.
    À lancer avec le compte propriétaire des tables (celui qui a lancé exploc init), ou à confier
    à l'administrateur du serveur avec --afficher. À relancer après chaque mise à jour d'exploc :
    une nouvelle version peut ajouter des tables. Sur une base SQLite, les droits sont ceux du
    fichier : la commande le dit et s'arrête (code 3).

    Exemples :
      exploc droits lecture lecture_caf
      exploc droits lecture lecture_caf --afficher > droits_lecture.sql
    """
    app_state = state(ctx)
    with domain_errors():
        require_server_base(app_state.location)
        engine = app_state.engine()
        if afficher:
            plan = read_only_plan(engine, role)
            typer.echo(plan.script(), nl=False)
            if not plan.role_exists:
                err_console.print(f"Attention : le rôle « {role} » n'existe pas encore sur le serveur.", markup=False)
            return
        report = grant_read_only(engine, role, command_line=command_line(ctx))
    if json_output:
        print_json(report.to_json())
        return
    if report.can_write:
        err_console.print(
            f"Attention : le rôle « {role} » a reçu les droits de lecture, mais il peut aussi écrire dans la base "
            "(il est propriétaire des tables, administrateur du serveur, ou en a reçu le droit par ailleurs) : "
            "il n'est pas en lecture seule.",
            markup=False,
        )
    elif not app_state.quiet:
        console.print(
            f"Le rôle « {role} » peut lire les {len(report.tables)} tables d'exploc de la base {report.database} "
            "et inscrire ses extractions et documents au journal ; rien d'autre. "
            "Relancez cette commande après chaque mise à jour d'exploc.",
            markup=False,
        )


@app.command("retirer")
def retirer(
    ctx: typer.Context,
    role: Annotated[str, typer.Argument(metavar="ROLE", help="Le rôle du serveur dont les droits sont retirés.")],
    afficher: AfficherOption = False,
    json_output: JsonOption = False,
) -> None:
    """Retirer à un rôle du serveur tous ses droits sur la base (un partenaire qui n'en a plus besoin).

    Le rôle perd la lecture des tables d'exploc, l'ajout au journal, l'accès au schéma et la
    connexion à la base ; la commande vérifie qu'il ne lit plus aucune table par lui-même et dit
    s'il en lit encore par un autre rôle dont il est membre ou par PUBLIC. Le retrait est inscrit
    au journal. À lancer avec le compte propriétaire des tables, ou à confier à l'administrateur
    du serveur avec --afficher. Sur une base SQLite, la commande le dit et s'arrête (code 3).

    Exemples :
      exploc droits retirer lecture_caf
      exploc droits retirer lecture_caf --afficher > retrait_lecture_caf.sql
    """
    app_state = state(ctx)
    with domain_errors():
        require_server_base(app_state.location)
        engine = app_state.engine()
        if afficher:
            typer.echo(revoke_plan(engine, role).script(), nl=False)
            return
        report = revoke_rights(engine, role, command_line=command_line(ctx))
    if json_output:
        print_json(report.to_json())
        return
    if report.still_readable:
        err_console.print(
            f"Attention : le rôle « {role} » n'a plus de droits à lui, mais il lit encore "
            f"{len(report.still_readable)} table(s) d'exploc par un autre rôle dont il est membre ou par PUBLIC : "
            "voyez avec l'administrateur du serveur.",
            markup=False,
        )
    elif not app_state.quiet:
        console.print(
            f"Le rôle « {role} » n'a plus aucun droit sur les tables d'exploc de la base {report.database}.",
            markup=False,
        )
