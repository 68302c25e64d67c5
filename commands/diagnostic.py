"""``exploc diagnostic``: the territorial diagnostic (.xlsx or .docx); ``exploc bilan``: the annual report."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from exploc_cli.diagnostics.service import DiagnosticReport, DiagnosticRequest, run_bilan, run_diagnostic
from exploc_cli.normalize.dates import format_date_fr
from exploc_cli.normalize.departements import checked_departement

from ._console import console, print_json
from ._errors import domain_errors
from ._options import AuOption, DuOption, JsonOption, OutputOption, parse_date_option
from ._state import command_line, state

TerritoireOption = Annotated[
    str,
    typer.Option(
        "--territoire",
        help="Découpage des tableaux : departement, unite (unité ou service d'affectation), commune, "
        "ou epci (avec une table des EPCI).",
    ),
]
SeuilOption = Annotated[
    int,
    typer.Option(
        "--seuil-secret",
        help="Secret statistique : tout effectif inférieur à ce seuil est masqué (« < 5 »), "
        "avec le secret secondaire qui empêche de le retrouver par les totaux.",
    ),
]
EpciOption = Annotated[
    Path | None,
    typer.Option(
        "--table-epci",
        dir_okay=False,
        help="Table des communes et de leur EPCI (CSV code_insee ; commune ; epci). Par défaut : epci.csv "
        "dans le dossier de configuration.",
    ),
]


def diagnostic(
    ctx: typer.Context,
    sortie: OutputOption,
    du: DuOption = None,
    au: AuOption = None,
    territoire: TerritoireOption = "commune",
    comparer_du: Annotated[
        str | None, typer.Option("--comparer-du", help="Début de la période de comparaison (JJ/MM/AAAA).")
    ] = None,
    comparer_au: Annotated[
        str | None, typer.Option("--comparer-au", help="Fin de la période de comparaison (JJ/MM/AAAA).")
    ] = None,
    seuil_secret: SeuilOption = 5,
    table_epci: EpciOption = None,
    departement: Annotated[
        str | None,
        typer.Option(
            "--departement",
            help="Ne compter que ce département (base régionale) : ses signalements, et en commission ses ménages.",
        ),
    ] = None,
    json_output: JsonOption = False,
) -> None:
    """Produire le diagnostic territorial : signalements, ménages entrant à chaque étape, flux et délais
    entre étapes, connaissance par les services sociaux, parc, dette, concours de la force publique,
    commission et alertes, par mois et par territoire, sans aucun nom ni numéro de ménage.

    Un classeur .xlsx a une feuille par famille d'indicateurs avec ses graphiques, et une feuille
    « Méthode » ; un .docx est un rapport avec les chiffres clés, les graphiques et les tableaux.
    Les petits effectifs sont masqués (« < 5 ») et d'autres cases avec eux, pour qu'aucun ne puisse
    être retrouvé par les totaux. Par défaut : les douze derniers mois complets, par commune.

    Exemples :
      exploc diagnostic --sortie diagnostic_2025.xlsx --du 01/01/2025 --au 31/12/2025
      exploc diagnostic --sortie diagnostic.docx --territoire unite --comparer-du 01/01/2024 --comparer-au 31/12/2024
      exploc diagnostic --sortie epci.xlsx --territoire epci --table-epci communes_epci.csv --seuil-secret 11
      exploc diagnostic --sortie diagnostic_93.xlsx --departement 93
    """
    app_state = state(ctx)
    with domain_errors():
        scope = checked_departement(departement)
    request = DiagnosticRequest(
        du=parse_date_option(du, "--du"),
        au=parse_date_option(au, "--au"),
        level=territoire.strip().lower().replace("é", "e").replace("-", ""),
        comparer_du=parse_date_option(comparer_du, "--comparer-du"),
        comparer_au=parse_date_option(comparer_au, "--comparer-au"),
        threshold=seuil_secret,
        epci_table=table_epci,
        departement=scope,
    )
    with domain_errors():
        report = run_diagnostic(
            app_state.engine(),
            sortie,
            request,
            today=date.today(),
            settings=app_state.settings,
            config_dir=app_state.config_file.parent,
            command_line=command_line(ctx),
        )
    _render(report, "Diagnostic", json_output, app_state.quiet)


def bilan(
    ctx: typer.Context,
    annee: Annotated[int, typer.Option("--annee", help="Année du bilan (ex. 2025), comparée à la précédente.")],
    sortie: OutputOption,
    territoire: TerritoireOption = "unite",
    seuil_secret: SeuilOption = 5,
    objectifs: Annotated[
        Path | None,
        typer.Option(
            "--objectifs",
            dir_okay=False,
            help="Objectifs annuels de la charte (TOML). Par défaut : objectifs_charte.toml dans le dossier de "
            "configuration, s'il existe.",
        ),
    ] = None,
    table_epci: EpciOption = None,
    json_output: JsonOption = False,
) -> None:
    """Produire le bilan annuel d'activité de la CCAPEX (.docx) : activité de l'année comparée à la
    précédente, ménages examinés, avis et préconisations et leur suivi, concours de la force publique
    et expulsions au regard des objectifs de la charte, territoires, méthode.

    Mêmes indicateurs et même secret statistique que le diagnostic ; aucun nom ni numéro de ménage.

    Exemples :
      exploc bilan --annee 2025 --sortie bilan_2025.docx
      exploc bilan --annee 2025 --sortie bilan_2025.docx --objectifs objectifs_charte.toml --territoire commune
    """
    app_state = state(ctx)
    with domain_errors():
        report = run_bilan(
            app_state.engine(),
            sortie,
            annee,
            level=territoire.strip().lower().replace("é", "e").replace("-", ""),
            threshold=seuil_secret,
            objectives_path=objectifs,
            today=date.today(),
            settings=app_state.settings,
            config_dir=app_state.config_file.parent,
            epci_table=table_epci,
            command_line=command_line(ctx),
        )
    _render(report, f"Bilan {annee}", json_output, app_state.quiet)


def _render(report: DiagnosticReport, title: str, json_output: bool, quiet: bool) -> None:
    if json_output:
        print_json(report.to_json())
        return
    if quiet:
        return
    d = report.diagnostic
    primary, secondary = d.masked
    console.print(
        f"{title} du {format_date_fr(d.period.du)} au {format_date_fr(d.period.au)} ({d.level_label.lower()}) "
        f"écrit dans {report.path} : {d.tables} tableau(x), {primary + secondary} case(s) masquée(s) par le "
        f"secret statistique (seuil {d.threshold}). Le document est inscrit au journal (exploc journal).",
        markup=False,
    )
    for headline in d.headlines[:10]:
        console.print(f"  {headline.label:<72} {headline.value.text():>10}", markup=False)
