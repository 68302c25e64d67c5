"""``exploc importer``: drop the partners' files into the base."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape
from rich.progress import BarColumn, Progress, TaskID, TextColumn, TimeElapsedColumn

from exploc_cli.importers.profiles import load_profile
from exploc_cli.importers.readers import ReadLimits
from exploc_cli.importers.report import STATUS_LABELS, FileReport, ImportReport
from exploc_cli.importers.service import ImportOptions, ProgressCallback, import_paths
from exploc_cli.logs import configure_file_logging
from exploc_cli.normalize.departements import checked_departement
from exploc_cli.parcours.summary_cache import refresh as refresh_summaries
from exploc_cli.store.denied import require_write_rights

from ._console import console, err_console, print_json, stderr_is_terminal
from ._errors import domain_errors
from ._options import JsonOption
from ._state import command_line, state
from .menages import link_summary

SOURCE_HELP = (
    "Source des fichiers : caf, huissier, bailleur, prefecture ou suivi (sinon reconnue d'après les en-têtes)."
)


def import_files(
    ctx: typer.Context,
    paths: Annotated[list[Path], typer.Argument(metavar="CHEMIN...", help="Fichiers ou dossiers à importer.")],
    source: Annotated[str | None, typer.Option("--source", help=SOURCE_HELP)] = None,
    profile: Annotated[
        Path | None,
        typer.Option(
            "--profil",
            metavar="P.toml",
            dir_okay=False,
            help="Profil de correspondance (en-têtes et valeurs d'un partenaire).",
        ),
    ] = None,
    strict: Annotated[
        bool, typer.Option("--strict", help="Une seule ligne rejetée annule l'import du fichier.")
    ] = False,
    dry_run: Annotated[
        bool, typer.Option("--simulation", help="Tout lire et contrôler sans rien écrire dans la base.")
    ] = False,
    archive: Annotated[
        Path | None,
        typer.Option(
            "--archiver", metavar="DOSSIER", file_okay=False, help="Déplacer chaque fichier importé dans ce dossier."
        ),
    ] = None,
    no_link: Annotated[
        bool,
        typer.Option(
            "--sans-liaison", help="Ne pas regrouper les nouvelles lignes en ménages (le faire ensuite : menages lier)."
        ),
    ] = False,
    departement: Annotated[
        str | None,
        typer.Option(
            "--departement",
            help="Département des lignes dont ni le code INSEE ni le code postal ne le disent "
            "(par défaut : [import] departement de la configuration).",
        ),
    ] = None,
    json_output: JsonOption = False,
) -> None:
    """Importer des fichiers de partenaires (CSV, Excel, OpenDocument), tels qu'ils arrivent.

    Un dossier importe tous ses fichiers pas encore importés, du plus ancien au plus récent.
    Chaque fichier est importé en une seule transaction ; les lignes déjà présentes sont ignorées.

    Exemples :
      exploc importer caf_2025-11.csv
      exploc importer /srv/ccapex/depot --archiver /srv/ccapex/archives
      exploc importer export_etude.csv --profil etude_dupuis.toml --simulation
      exploc importer caf_93_2025-11.csv --departement 93
    """
    app_state = state(ctx)
    with domain_errors():
        configure_file_logging()
        settings = app_state.settings
        options = ImportOptions(
            source=source,
            profile=load_profile(profile) if profile else None,
            strict=strict,
            dry_run=dry_run,
            archive_dir=archive,
            command_line=command_line(ctx),
            allocataire_width=settings.import_.largeur_allocataire,
            limits=ReadLimits(
                max_columns=settings.import_.max_colonnes,
                max_field_length=settings.import_.max_longueur_champ,
                max_unzipped_bytes=settings.import_.max_taille_decompressee_mo * 2**20,
            ),
            rejects_dir=Path(settings.import_.dossier_rejets) if settings.import_.dossier_rejets else None,
            link=not no_link,
            departement=checked_departement(
                departement or settings.import_.departement, "--departement ou [import] departement"
            ),
        )
        engine = app_state.engine()
        if not dry_run:  # a read-only role is refused before any file is read
            require_write_rights(engine, "importer")
        show_progress = stderr_is_terminal() and not app_state.quiet and not json_output
        with _progress(show_progress) as on_progress:
            report = import_paths(engine, app_state.location, paths, options, on_progress)
        if report.linkage is not None:  # ménages changed: their summaries, ready for the next extraction
            refresh_summaries(engine, date.today(), settings)
    if json_output:
        print_json(report.to_json())
    else:
        render_import_report(report, quiet=app_state.quiet)
    raise typer.Exit(report.exit_code)


@contextmanager
def _progress(enabled: bool) -> Iterator[ProgressCallback | None]:
    if not enabled:
        yield None
        return
    tasks: dict[str, TaskID] = {}
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        TextColumn("{task.percentage:>3.0f} %"),
        TimeElapsedColumn(),
        console=err_console,
        transient=True,
    ) as progress:

        def update(name: str, fraction: float) -> None:
            if name not in tasks:
                tasks[name] = progress.add_task(Path(name).name, total=1.0)
            progress.update(tasks[name], completed=fraction)

        yield update


def render_import_report(report: ImportReport, *, quiet: bool) -> None:
    """Print a French summary: one block per file, then the totals."""
    for file in report.files:
        if quiet and file.exit_code == 0:
            continue
        _render_file(file)
    if quiet:
        return
    totals = report.totals()
    prefix = "Simulation — " if report.dry_run else ""
    console.print(
        f"\n{prefix}{totals['fichiers']} fichier(s) : {totals['lignes_lues']} ligne(s) lue(s), "
        f"{totals['importees']} importée(s), {totals['deja_presentes']} déjà présente(s), "
        f"{totals['rejetees']} rejetée(s)"
        + (f", {totals['fichiers_refuses']} fichier(s) refusé(s)." if totals["fichiers_refuses"] else ".")
    )
    if report.linkage is not None:
        console.print(link_summary(report.linkage), markup=False)


def _render_file(file: FileReport) -> None:
    name = Path(file.path).name.replace("\n", "\\n").replace("\t", "\\t")  # one file, one line
    status = STATUS_LABELS.get(file.status, file.status)
    if file.status == "erreur":
        target = err_console
        target.print(f"[bold red]✗ {escape(name)}[/] : {status}", markup=True)
        if file.message:
            target.print(f"  {file.message}", markup=False)
        if file.hint:
            target.print(f"  {file.hint}", style="dim", markup=False)
    elif file.status == "deja_importe":
        console.print(f"• {name} : {file.message}", markup=False)
        return
    else:
        mark = "[yellow]![/]" if file.rejected else "[green]✓[/]"
        console.print(f"{mark} {escape(name)} : {status}", markup=True)
    if file.detection:
        console.print(f"  {file.detection} — {file.format}", markup=False)
    if file.read or file.status != "erreur":
        lot = f" (lot {file.lot_id})" if file.lot_id else ""
        console.print(
            f"  {file.read} lue(s), {file.imported} importée(s){lot}, {file.duplicates} déjà présente(s), "
            f"{file.rejected} rejetée(s), {file.warnings} avertissement(s)",
            markup=False,
        )
    for anomaly in file.reject_preview[:5]:
        sheet = f"feuille « {anomaly.sheet} », " if anomaly.sheet else ""
        column = f", colonne « {anomaly.column} »" if anomaly.column else ""
        value = f", valeur « {anomaly.value} »" if anomaly.value else ""
        console.print(f"  rejet : {sheet}ligne {anomaly.row}{column}{value} : {anomaly.reason}", markup=False)
    if file.rejected > 5:
        console.print(f"  … et {file.rejected - 5} autre(s) rejet(s).", markup=False)
    if file.rejects_path:
        console.print(f"  Détail des rejets et avertissements : {file.rejects_path}", markup=False)
    if file.archived_to:
        console.print(f"  Archivé dans : {file.archived_to}", markup=False)
