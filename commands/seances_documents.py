"""``exploc seances`` documents: ordre du jour, dossier, relevé, letters, and the decision sheet."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from exploc_cli.documents.report import DocumentReport
from exploc_cli.documents.session_docs import generate_document, generate_letters
from exploc_cli.seances.decisions import record_decisions
from exploc_cli.seances.documents_sheet import write_sheet
from exploc_cli.seances.referentiel import load_referentiel

from ._console import console, print_json
from ._errors import domain_errors
from ._options import JsonOption, OutputOption
from ._password import ChiffrerOption, PasswordFileOption, password_for
from ._state import command_line, state

SeanceArg = Annotated[int, typer.Argument(metavar="SEANCE", help="Numéro de la séance (exploc seances lister).")]
DocxOutput = Annotated[Path, typer.Option("--sortie", "-o", help="Fichier Word (.docx) à écrire.", dir_okay=False)]


def _docx(path: Path) -> Path:
    if path.suffix.lower() != ".docx":
        raise typer.BadParameter("le fichier doit se terminer par .docx.", param_hint="--sortie")
    return path


def _done(ctx: typer.Context, report: DocumentReport, json_output: bool, what: str) -> None:
    if json_output:
        print_json(report.to_json())
    elif not state(ctx).quiet:
        files = ", ".join(str(p) for p in report.files) if len(report.files) < 4 else f"{len(report.files)} fichiers"
        lock = " (protégé par mot de passe)" if report.encrypted else ""
        console.print(f"{what} de la séance n° {report.seance} : {files}{lock}.", markup=False)


def _write(
    ctx: typer.Context, seance: int, kind: str, sortie: Path, json_output: bool, what: str, password: str | None = None
) -> None:
    """Write one session document from its template and say so."""
    app_state = state(ctx)
    with domain_errors():
        report = generate_document(
            app_state.engine(), seance, kind, _docx(sortie), app_state.settings,
            config_dir=app_state.config_file.parent, today=date.today(), command_line=command_line(ctx),
            password=password,
        )  # fmt: skip
    _done(ctx, report, json_output, what)


def ordre_du_jour(ctx: typer.Context, seance: SeanceArg, sortie: DocxOutput, json_output: JsonOption = False) -> None:
    """Écrire l'ordre du jour (Word) : les ménages numérotés, leur commune, motif et étape.

    Exemple : exploc seances ordre-du-jour 3 --sortie odj_decembre.docx
    """
    _write(ctx, seance, "ordre_du_jour", sortie, json_output, "Ordre du jour")


def dossier(
    ctx: typer.Context,
    seance: SeanceArg,
    sortie: DocxOutput,
    chiffrer: ChiffrerOption = False,
    mot_de_passe_fichier: PasswordFileOption = None,
    json_output: JsonOption = False,
) -> None:
    """Écrire le dossier de séance (Word) : l'ordre du jour puis une fiche de synthèse par ménage.

    Chaque fiche : identité, composition, adresse, bailleur et parc, loyer, évolution de la dette,
    actes datés, allocataire, service et référent, alertes, avis et préconisations antérieurs avec
    leur suivi, et un cadre pour l'avis de la commission. Une page par ménage.

    Exemples :
      exploc seances dossier 3 --sortie dossier_decembre.docx
      exploc seances dossier 3 --sortie dossier_decembre.docx --chiffrer
    """
    with domain_errors():
        password = password_for(chiffrer, mot_de_passe_fichier)
    _write(ctx, seance, "dossier_seance", sortie, json_output, "Dossier", password)


def releve(ctx: typer.Context, seance: SeanceArg, sortie: DocxOutput, json_output: JsonOption = False) -> None:
    """Écrire le relevé de décisions (Word) : avis, préconisations et réexamens de chaque ménage.

    Exemple : exploc seances releve 3 --sortie releve_decembre.docx
    """
    _write(ctx, seance, "releve_decisions", sortie, json_output, "Relevé de décisions")


def courriers(
    ctx: typer.Context,
    seance: SeanceArg,
    sortie: Annotated[Path, typer.Option("--sortie", "-o", help="Dossier où écrire les courriers.", file_okay=False)],
    json_output: JsonOption = False,
) -> None:
    """Écrire les courriers de la séance : convocation des membres, lettre à chaque maire dont des
    habitants sont examinés (décret 2016-393), notification de l'avis au locataire et au bailleur.

    Exemple : exploc seances courriers 3 --sortie courriers_decembre
    """
    app_state = state(ctx)
    with domain_errors():
        report = generate_letters(
            app_state.engine(), seance, sortie, app_state.settings,
            config_dir=app_state.config_file.parent, today=date.today(), command_line=command_line(ctx),
        )  # fmt: skip
    _done(ctx, report, json_output, "Courriers")


def feuille_decisions(
    ctx: typer.Context, seance: SeanceArg, sortie: OutputOption, json_output: JsonOption = False
) -> None:
    """Écrire la feuille de décisions (Excel) : une ligne par ménage, listes déroulantes des avis et
    des préconisations, et l'onglet « Suivi » des préconisations antérieures.

    Exemple : exploc seances feuille-decisions 3 --sortie decisions_decembre.xlsx
    """
    app_state = state(ctx)
    if sortie.suffix.lower() != ".xlsx":
        raise typer.BadParameter("le fichier doit se terminer par .xlsx.", param_hint="--sortie")
    with domain_errors():
        report = write_sheet(
            app_state.engine(), seance, sortie, app_state.settings,
            config_dir=app_state.config_file.parent, today=date.today(), command_line=command_line(ctx),
        )  # fmt: skip
    _done(ctx, report, json_output, "Feuille de décisions")


def decisions(
    ctx: typer.Context,
    seance: SeanceArg,
    fichier: Annotated[
        Path, typer.Option("--fichier", "-f", help="Feuille de décisions remplie (.xlsx).", dir_okay=False)
    ],
    json_output: JsonOption = False,
) -> None:
    """Enregistrer les avis et préconisations saisis dans la feuille de décisions.

    Chaque ligne est vérifiée ; au moindre problème, tous sont signalés (onglet, ligne, colonne)
    et rien n'est enregistré. Relire le même fichier n'ajoute rien en double.

    Exemple : exploc seances decisions 3 --fichier decisions_decembre.xlsx
    """
    app_state = state(ctx)
    with domain_errors():
        report = record_decisions(
            app_state.engine(), seance, fichier, load_referentiel(app_state.config_file.parent),
            command_line=command_line(ctx),
        )  # fmt: skip
    if json_output:
        print_json(report.to_json())
    elif not app_state.quiet:
        console.print(
            f"Séance n° {report.seance} : {report.avis} avis, {report.preconisations} préconisation(s) enregistrés ; "
            f"{report.statuts} statut(s) de suivi mis à jour ; {report.sans_decision} ligne(s) sans décision.",
            markup=False,
        )


def register(app: typer.Typer) -> None:
    app.command("ordre-du-jour")(ordre_du_jour)
    app.command("dossier")(dossier)
    app.command("releve")(releve)
    app.command("courriers")(courriers)
    app.command("feuille-decisions")(feuille_decisions)
    app.command("decisions")(decisions)
