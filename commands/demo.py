"""``exploc demo``: run the main job on the bundled sample data."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from exploc_cli.demo import DemoReport, ParcoursOverview, run_demo
from exploc_cli.normalize.vocabulary import EVENT_LABELS, EVENT_RANK
from exploc_cli.parcours import ALERT_LABELS

from ._console import console, print_json
from ._errors import domain_errors
from ._options import JsonOption
from ._state import command_line, state
from .affecter import service_table
from .importer import render_import_report
from .menages_parcours import render_parcours


def demo(
    ctx: typer.Context,
    sortie: Annotated[
        Path,
        typer.Option("--sortie", "-o", file_okay=False, help="Dossier de la démonstration (sa base, ses exports)."),
    ] = Path("exploc-demo"),
    json_output: JsonOption = False,
) -> None:
    """Démonstration : importer les fichiers fictifs de sample_data/ dans une base à part, affecter les
    ménages aux services sociaux (règles livrées, sectorisation fictive), reconstituer les parcours,
    exporter (signalements.csv et menages.xlsx), préparer une séance de la CCAPEX (ordre du jour et
    dossier Word, feuille de décisions Excel), extraire une liste nominative, enfin produire le
    diagnostic territorial de 2025 (classeur avec graphiques et rapport Word, non nominatifs).

    Exemple : exploc demo --sortie ./exploc-demo
    """
    app_state = state(ctx)
    with domain_errors():
        report = run_demo(sortie, command_line=command_line(ctx))
    if json_output:
        print_json(report.to_json())
        return
    if app_state.quiet:
        return
    console.print(f"Démonstration dans {report.folder} (base : {report.base})\n", markup=False)
    console.print("1. Import des fichiers des partenaires (département fictif)", style="bold")
    for imported in report.imports:
        render_import_report(imported, quiet=False)
    console.print("\n2. Contenu de la base", style="bold")
    for source, count in report.by_source.items():
        console.print(f"  {source:<11} {count:>6} signalement(s)", markup=False)
    console.print("  Événements de procédure :")
    for code in sorted(report.by_event, key=lambda c: EVENT_RANK.get(c, 99)):
        console.print(f"    {EVENT_LABELS.get(code, code):<52} {report.by_event[code]:>6}", markup=False)
    _render_assignment_step(report)
    _render_parcours_step(report.parcours)
    console.print("\n5. Exports", style="bold")
    console.print(f"  {report.export.rows} signalement(s) exporté(s) dans {report.export.path}", markup=False)
    menages = report.parcours.export
    console.print(f"  {menages.rows} ménage(s) exporté(s) dans {menages.path}", markup=False)
    session = report.seance
    console.print("\n6. Séance de la CCAPEX", style="bold")
    console.print(
        f"  Séance n° {session.seance} ({session.title}) : {len(session.menages)} ménage(s) inscrit(s) "
        "(procédures les plus avancées, dette de plus de 3 000 €).",
        markup=False,
    )
    for path in session.files:
        console.print(f"  {path}", markup=False)
    extraction = report.extraction
    console.print("\n7. Extraction nominative pour les services sociaux", style="bold")
    console.print(
        f"  {extraction.rows} ménage(s) sans suivi social connu (profil « {extraction.profile} ») dans "
        f"{extraction.path} ; l'extraction est inscrite au journal (exploc journal).",
        markup=False,
    )
    diagnostic = report.diagnostic
    console.print("\n8. Diagnostic territorial de 2025, par unité (non nominatif)", style="bold")
    console.print(
        f"  {diagnostic.households} ménage(s) concerné(s), {diagnostic.tables} tableau(x) avec leurs graphiques, "
        f"{diagnostic.masked} case(s) masquée(s) par le secret statistique (exploc diagnostic, exploc bilan) :",
        markup=False,
    )
    for path in diagnostic.files:
        console.print(f"  {path}", markup=False)


def _render_assignment_step(report: DemoReport) -> None:
    console.print("\n3. Affectation aux services sociaux (règles livrées, sectorisation fictive)", style="bold")
    secto = report.sectorisation
    console.print(
        f"  Sectorisation : {secto.services} service(s), {secto.unites} unité(s), {secto.communes} commune(s), "
        f"{secto.voies} voie(s) ; règles {report.affectation.rules}.",
        markup=False,
    )
    assigned = report.affectation
    console.print(
        f"  {assigned.examined} ménage(s) ouvert(s) : {assigned.examined - assigned.to_sort} affecté(s) à un service, "
        f"{assigned.to_sort} à trier (exploc menages lister --service a-trier ; exploc regles expliquer MENAGE).",
        markup=False,
    )
    console.print(service_table(assigned))


def _render_parcours_step(overview: ParcoursOverview) -> None:
    console.print("\n4. Parcours des ménages", style="bold")
    console.print(f"  {overview.menages} ménage(s). Étape actuelle :", markup=False)
    for stage in sorted(overview.by_stage, key=lambda c: EVENT_RANK.get(c, 0) if c else 0):
        label = EVENT_LABELS.get(stage, stage) if stage else "aucun acte de procédure"
        console.print(f"    {label:<52} {overview.by_stage[stage]:>6}", markup=False)
    console.print("  Alertes :")
    if not overview.by_alert:
        console.print("    aucune")
    for code, label in ALERT_LABELS.items():
        if code in overview.by_alert:
            console.print(f"    {code:<22} {overview.by_alert[code]:>6}  {label}", markup=False)
    if overview.example is not None:
        console.print(
            f"\n  Le parcours le plus riche (exploc menages afficher {overview.example.menage_id}) :", markup=False
        )
        render_parcours(overview.example, short=True)
