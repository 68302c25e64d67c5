"""``exploc affecter`` and ``exploc regles …``: assign ménages by the département's rules, check and try the rules."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from exploc_cli.affectation.cases import DEFAULT_CASES_PATH, run_cases
from exploc_cli.affectation.rules import (
    DEFAULT_RULES_PATH,
    RULES_FILE_NAME,
    RuleSet,
    copy_default_rules,
    load_rule_book,
)
from exploc_cli.affectation.sectorisation import Sectorisation
from exploc_cli.affectation.service import AssignReport, assign_all, explain
from exploc_cli.normalize.departements import checked_departement
from exploc_cli.parcours.summary_cache import refresh as refresh_summaries
from exploc_cli.resources import sample_data_dir

from ._console import console, print_json
from ._errors import domain_errors
from ._options import JsonOption, parse_date_option
from ._state import AppState, command_line, state

RulesOption = Annotated[
    Path | None,
    typer.Option(
        "--regles",
        metavar="FICHIER",
        dir_okay=False,
        help=f"Fichier de règles. Par défaut : {RULES_FILE_NAME} dans le dossier de configuration s'il existe, "
        "sinon les règles livrées avec exploc.",
    ),
]
DateOption = Annotated[
    str | None, typer.Option("--date", help="Date de référence (JJ/MM/AAAA) : validité des règles et des suivis.")
]

SHOWN_CHANGES = 50  # a first run changes every ménage: the screen shows the first ones

app = typer.Typer(
    help="Règles d'affectation des ménages aux services sociaux : vérifier, tester, expliquer.",
    no_args_is_help=True,
)


def active_rules(app_state: AppState, explicit: Path | None) -> RuleSet:
    return load_rule_book(app_state.config_file.parent, explicit)


def affecter(
    ctx: typer.Context,
    simulation: Annotated[
        bool, typer.Option("--simulation", help="Montrer ce qui changerait, sans rien enregistrer.")
    ] = False,
    regles: RulesOption = None,
    jour: DateOption = None,
    departement: Annotated[
        str | None,
        typer.Option("--departement", help="N'affecter que les ménages de ce département (base régionale)."),
    ] = None,
    json_output: JsonOption = False,
) -> None:
    """Affecter chaque ménage ouvert à un service social selon les règles du département.

    La première règle qui s'applique désigne le service (et l'unité territoriale qui couvre
    l'adresse, d'après la sectorisation : exploc services importer). Une décision manuelle
    (exploc menages affecter) n'est jamais remplacée. Un ménage dont il manque une information
    testée va « à trier ». Seuls les ménages dont l'affectation change reçoivent une nouvelle
    affectation ; l'historique est conservé.

    Exemples :
      exploc affecter --simulation
      exploc affecter
      exploc affecter --regles regles_2027.toml --simulation
      exploc affecter --departement 93

    Dans une base régionale, chaque ménage suit les règles de son département quand il en a
    (exploc regles copier --departement 93), et un type de service (« caf », « departement »)
    désigne le service de son département (colonne « Département » de la sectorisation).
    """
    app_state = state(ctx)
    day = parse_date_option(jour, "--date") or date.today()
    with domain_errors():
        rules = active_rules(app_state, regles)
        report = assign_all(
            app_state.engine(), rules, app_state.settings, day=day, simulation=simulation,
            command_line=command_line(ctx), departement=checked_departement(departement),
        )  # fmt: skip
        if report.changes and not simulation:  # the ménages assigned anew: their summaries, ready again
            refresh_summaries(app_state.engine(), date.today(), app_state.settings)
    if json_output:
        print_json(report.to_json())
        return
    if not app_state.quiet:
        _show_report(report)


def _show_report(report: AssignReport) -> None:
    head = "Simulation (rien n'est enregistré)" if report.simulation else "Affectation"
    console.print(f"{head} — règles {report.rules}, au {report.day:%d/%m/%Y} : {report.examined} ménage(s) ouvert(s).")
    if report.changes:
        changes = Table(title="Changements" if report.simulation else "Nouvelles affectations")
        for column in ("Ménage", "Nom", "Avant", "Après", "Règle"):
            changes.add_column(column)
        for change in report.changes[:SHOWN_CHANGES]:
            changes.add_row(
                str(change.menage_id), change.name, change.before or "—", change.after, change.rule_id or "—"
            )
        console.print(changes)
        hidden = len(report.changes) - SHOWN_CHANGES
        if hidden > 0:
            console.print(f"… et {hidden} autre(s) changement(s) : la liste complète avec --json.")
    verb = "changeraient" if report.simulation else "ont changé"
    console.print(
        f"{len(report.changes)} affectation(s) {verb} ; {report.manual_kept} décision(s) manuelle(s) conservée(s) ; "
        f"{report.to_sort} ménage(s) à trier (exploc regles expliquer MENAGE)."
    )
    console.print(service_table(report))


def service_table(report: AssignReport) -> Table:
    """Households per service and unit, and how many were assigned there this month."""
    table = Table(title="Ménages par service et unité")
    for column in ("Service", "Unité", "Ménages", "Nouveaux ce mois"):
        table.add_column(column, justify="right" if column in ("Ménages", "Nouveaux ce mois") else "left")
    for (service, unit), (count, new) in sorted(report.table.items()):
        table.add_row(service, unit or "—", str(count), str(new))
    return table


@app.command("verifier")
def verifier(
    ctx: typer.Context,
    fichier: Annotated[Path | None, typer.Argument(help="Fichier de règles (par défaut : celui en vigueur).")] = None,
    json_output: JsonOption = False,
) -> None:
    """Vérifier un fichier de règles : toutes ses erreurs d'un coup, chacune avec sa ligne.

    Exemples :
      exploc regles verifier
      exploc regles verifier regles_affectation.toml
    """
    app_state = state(ctx)
    with domain_errors():
        rules = active_rules(app_state, fichier)
    if json_output:
        print_json(
            {
                "fichier": str(rules.path),
                "version": rules.label,
                "regles": [r.id for r in rules.rules],
                "partenaires": [r.id for r in rules.partners],
                "departements": {
                    code: {"fichier": str(own.path), "version": own.label, "regles": [r.id for r in own.rules]}
                    for code, own in sorted(rules.by_departement.items())
                },
            }
        )
        return
    for own in (rules, *(own for _, own in sorted(rules.by_departement.items()))):
        _show_rules(own, main=own is rules)


def _show_rules(rules: RuleSet, *, main: bool) -> None:
    head = "" if main else "Règles propres à un département — "
    console.print(f"{head}{rules.path} : aucune erreur. Version {rules.label}, {rules.title}")
    table = Table()
    for column in ("Ordre", "Règle", "Si", "Alors", "Validité", "Référence"):
        table.add_column(column)
    for index, rule in enumerate((*rules.rules, *rules.partners), start=1):
        then = ("partenaire : " if rule.complementary else "") + rule.target.label()
        if rule.partner:
            then += f" ; partenaire : {rule.partner.label()}"
        when = " et ".join(c.label() for c in rule.conditions) or "toujours"
        table.add_row(
            str(index) if not rule.complementary else "+", rule.id, when, then, rule.period_label(), rule.reference
        )
    console.print(table)


@app.command("tester")
def tester(
    ctx: typer.Context,
    cas: Annotated[
        Path | None, typer.Argument(help="Fichier de cas (par défaut : les cas livrés pour les règles livrées).")
    ] = None,
    regles: RulesOption = None,
    json_output: JsonOption = False,
) -> None:
    """Essayer les règles sur des cas écrits comme des données : ménage → affectation attendue.

    Chaque [[cas]] donne ce que l'on sait du ménage (menage = { allocataire = true,
    enfants_a_charge = 2, commune = "…" }) et l'attendu (attendu = { service = "CAF01",
    regle = "caf-avec-enfants" }). Le code de sortie est 1 si un cas échoue.

    Exemples :
      exploc regles tester
      exploc regles tester mes_cas.toml --regles regles_2027.toml
    """
    app_state = state(ctx)
    path = cas or DEFAULT_CASES_PATH
    # the shipped cases were written for the sample département's sectorisation
    table = sample_data_dir() / "referentiel" / "sectorisation.csv" if cas is None else None
    with domain_errors():
        # the shipped cases test the shipped rules (not the département's copy) unless told otherwise
        shipped = cas is None and regles is None
        rules = active_rules(app_state, DEFAULT_RULES_PATH if shipped else regles)

        def base_sectors() -> Sectorisation:
            with app_state.engine().connect() as connection:
                return Sectorisation.load(connection)

        results = run_cases(path, rules, base_sectors, table=table)
    failed = [r for r in results if not r.passed]
    if json_output:
        print_json(
            {
                "regles": rules.label,
                "cas": len(results),
                "echecs": [{"cas": r.name, "ecarts": list(r.differences)} for r in failed],
            }
        )
    elif not app_state.quiet:
        for result in results:
            mark = "réussi" if result.passed else "ÉCHEC"
            console.print(
                f"[{mark}] {result.name} → {result.outcome.label} ({result.outcome.rule_id or '—'})", markup=False
            )
            for difference in result.differences:
                console.print(f"    {difference}", markup=False)
        console.print(f"{len(results) - len(failed)} cas réussi(s) sur {len(results)} (règles {rules.label}).")
    if failed:
        raise typer.Exit(1)


@app.command("expliquer")
def expliquer(
    ctx: typer.Context,
    menage: Annotated[int, typer.Argument(help="Numéro du ménage.")],
    regles: RulesOption = None,
    jour: DateOption = None,
    json_output: JsonOption = False,
) -> None:
    """Dire quelle règle s'applique à un ménage, et pourquoi chaque règle précédente ne s'applique pas.

    Exemples :
      exploc regles expliquer 42
      exploc regles expliquer 42 --regles regles_2027.toml
    """
    app_state = state(ctx)
    day = parse_date_option(jour, "--date") or date.today()
    with domain_errors():
        rules = active_rules(app_state, regles)
        explanation = explain(app_state.engine(), menage, rules, app_state.settings, day=day)
    outcome = explanation.outcome
    if json_output:
        print_json(
            {
                "menage": explanation.menage_id,
                "regles": rules.label,
                "resultat": outcome.label,
                "regle": outcome.rule_id,
                "motif": outcome.reason,
                "etapes": [{"regle": s.rule_id, "statut": s.status, "detail": s.detail} for s in explanation.steps],
                "affectation_actuelle": explanation.current.label if explanation.current else None,
                "departement": explanation.facts.departement,
                "regles_du_departement": str(own.path)
                if (own := rules.by_departement.get(explanation.facts.departement or ""))
                else None,
            }
        )
        return
    console.print(f"Ménage {explanation.menage_id} — règles {rules.label}, au {day:%d/%m/%Y}", markup=False)
    own = rules.by_departement.get(explanation.facts.departement or "")
    if own is not None:
        console.print(
            f"Département {explanation.facts.departement} : ses propres règles s'appliquent ({own.path.name}).",
            markup=False,
        )
    known = ", ".join(f"{k} = {v}" for k, v in explanation.facts.values.items() if v not in (None, frozenset()))
    console.print(f"Ce que l'on sait : {known or 'rien'}", markup=False)
    for step in explanation.steps:
        console.print(f"  {step.rule_id} : {step.detail}", markup=False)
    console.print(f"Résultat : {outcome.label} — {outcome.reason}", markup=False)
    if outcome.partenaire:
        console.print(f"Partenaire complémentaire : {outcome.partenaire}", markup=False)
    if explanation.current is not None:
        current = explanation.current
        how = "décision manuelle" if current.manual else f"règle {current.regle_id or '—'}"
        console.print(
            f"Affectation enregistrée : {current.label} ({how}, le {current.horodatage:%d/%m/%Y})", markup=False
        )
    else:
        console.print("Aucune affectation enregistrée (exploc affecter).")


@app.command("copier")
def copier(
    ctx: typer.Context,
    departement: Annotated[
        str | None,
        typer.Option(
            "--departement",
            help="Copier comme règles propres à ce département (base régionale) : ses ménages suivront "
            "ce fichier, les autres les règles communes.",
        ),
    ] = None,
) -> None:
    """Copier les règles livrées dans le dossier de configuration, pour les modifier.

    La copie devient les règles en vigueur. Elle n'est jamais écrasée. Dans une base régionale,
    un département peut avoir ses propres règles : regles_affectation_93.toml, à côté de
    regles_affectation.toml, décide des ménages de la Seine-Saint-Denis.

    Exemples :
      exploc regles copier
      exploc regles copier --departement 93
    """
    with domain_errors():
        code = checked_departement(departement)
        target = copy_default_rules(state(ctx).config_file.parent, code)
    console.print(f"Règles copiées : {target}")
    console.print("Modifiez-les, puis : exploc regles verifier ; exploc affecter --simulation")
