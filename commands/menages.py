"""``exploc menages``: households — linking, explaining, deciding, finding and following them."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from exploc_cli.linkage.decisions import DecisionReport, distinguish, merge, split
from exploc_cli.linkage.service import LinkReport, link_households
from exploc_cli.menages.explain import METHOD_LABELS, Side, explain, review_queue
from exploc_cli.menages.follow import CLOSING_REASONS, add_note, close
from exploc_cli.menages.search import search

from . import menages_affectation, menages_droits, menages_parcours
from ._console import console, print_json
from ._errors import domain_errors
from ._options import JsonOption, parse_date_option
from ._state import command_line, state

app = typer.Typer(
    help="Ménages : regrouper les signalements, suivre et expliquer chaque parcours.", no_args_is_help=True
)
app.command("lister")(menages_parcours.lister)
app.command("afficher")(menages_parcours.afficher)
app.command("affecter")(menages_affectation.affecter)
app.command("effacer")(menages_droits.effacer)
app.command("donnees")(menages_droits.donnees)

MenageArg = Annotated[int, typer.Argument(metavar="MENAGE", help="Numéro du ménage.")]
MotifOption = Annotated[str | None, typer.Option("--motif", help="Pourquoi (inscrit au journal).")]


@app.command("lier")
def lier(
    ctx: typer.Context,
    tout: Annotated[bool, typer.Option("--tout", help="Tout regrouper de nouveau, depuis zéro.")] = False,
    json_output: JsonOption = False,
) -> None:
    """Regrouper en ménages les signalements qui n'en ont pas encore (l'import le fait déjà).

    Avec --tout, tous les signalements sont regroupés de nouveau ; les décisions prises
    (fusionner, séparer, distinguer) sont respectées et les numéros de ménage conservés.

    Exemples :
      exploc menages lier
      exploc menages lier --tout
    """
    app_state = state(ctx)
    with domain_errors():
        report = link_households(app_state.engine(), full=tout, command_line=command_line(ctx))
    if json_output:
        print_json(report.to_json())
    elif not app_state.quiet:
        console.print(link_summary(report), markup=False)


def link_summary(report: LinkReport) -> str:
    """One French line on what a linkage did (also printed after an import)."""
    if not report.records:
        return "Ménages : aucun nouveau signalement à regrouper."
    parts = [
        f"{report.records} signalement(s) regroupé(s)",
        f"{report.menages_created} nouveau(x) ménage(s)",
    ]
    if report.menages_merged:
        parts.append(f"{report.menages_merged} ménage(s) fusionné(s) dans un plus ancien")
    if report.reopened:
        parts.append(f"{report.reopened} parcours rouvert(s)")
    parts.append(f"{report.to_review} paire(s) à vérifier (exploc menages a-verifier)")
    return "Ménages : " + ", ".join(parts) + f" — {report.seconds:.1f} s."


@app.command("expliquer")
def expliquer(ctx: typer.Context, menage: MenageArg, json_output: JsonOption = False) -> None:
    """Dire pourquoi chaque signalement a été rattaché au ménage (clés, ressemblances, décisions).

    Exemple : exploc menages expliquer 42
    """
    with domain_errors(), state(ctx).engine().connect() as connection:
        result = explain(connection, menage)
    if json_output:
        print_json(result.to_json())
        return
    console.print(f"Ménage {result.menage} ({result.statut}) : {len(result.attachments)} signalement(s).", markup=False)
    for item in result.attachments:
        console.print(f"\n• {_side_line(item.side)}", markup=False)
        if item.method == "premier":
            console.print("  premier signalement du ménage", markup=False)
            continue
        score = f", score {item.score:g}" if item.score is not None else ""
        console.print(
            f"  rattaché au signalement {item.linked_to} ({METHOD_LABELS.get(item.method, item.method)}{score})",
            markup=False,
        )
        if item.evidence:
            console.print(f"  preuves : {item.evidence}", markup=False)
    for decision in result.decisions:
        motif = f" — {decision['motif']}" if decision["motif"] else ""
        console.print(
            f"\nDécision {decision['id']} ({decision['type']}) du {decision['horodatage']} "
            f"par {decision['utilisateur']}{motif}",
            markup=False,
        )


@app.command("a-verifier")
def a_verifier(
    ctx: typer.Context,
    limite: Annotated[int | None, typer.Option("--limite", min=1, help="Nombre de paires au plus.")] = None,
    json_output: JsonOption = False,
) -> None:
    """Lister les paires incertaines : deux ménages qui sont peut-être le même.

    Pour chacune, décidez : exploc menages fusionner A B, ou exploc menages distinguer A B.

    Exemple : exploc menages a-verifier --limite 20
    """
    with domain_errors(), state(ctx).engine().connect() as connection:
        pairs = review_queue(connection, limite)
    if json_output:
        print_json([pair.to_json() for pair in pairs])
        return
    if not pairs:
        console.print("Aucune paire à vérifier.")
        return
    for index, pair in enumerate(pairs, start=1):
        console.print(
            f"\n{index}. Ménages {pair.left.menage} et {pair.right.menage} — score {pair.score:g}", markup=False
        )
        console.print(f"   A : {_side_line(pair.left)}", markup=False)
        console.print(f"   B : {_side_line(pair.right)}", markup=False)
        console.print(f"   preuves : {pair.evidence}", markup=False)
    console.print(
        '\nDécider : exploc menages fusionner A B --motif "…"  ou  exploc menages distinguer A B', markup=False
    )


def _side_line(side: Side) -> str:
    born = f", né(e) le {side.naissance:%d/%m/%Y}" if side.naissance else ""
    when = f"{side.when:%d/%m/%Y}" if side.when else "?"
    keys = "".join(
        f", {label} {value}" for label, value in (("réf.", side.reference), ("allocataire", side.allocataire)) if value
    )
    return f"signalement {side.signalement} ({side.source}, {when}) : {side.personnes}{born} — {side.adresse}{keys}"


@app.command("fusionner")
def fusionner(
    ctx: typer.Context,
    premier: Annotated[int, typer.Argument(metavar="A", help="Premier ménage.")],
    second: Annotated[int, typer.Argument(metavar="B", help="Second ménage.")],
    motif: MotifOption = None,
    json_output: JsonOption = False,
) -> None:
    """Réunir deux ménages en un seul, durablement : le plus ancien numéro est conservé.

    La décision est inscrite au journal et respectée par tous les imports et regroupements suivants.

    Exemple : exploc menages fusionner 12 57 --motif "même ménage, nom d'épouse"
    """
    app_state = state(ctx)
    with domain_errors():
        report = merge(app_state.engine(), premier, second, motif=motif, command_line=command_line(ctx))
    _decision_output(report, json_output, app_state.quiet, f"Ménages {premier} et {second} réunis : ménage {{}}.")


@app.command("separer")
def separer(
    ctx: typer.Context,
    menage: MenageArg,
    signalements: Annotated[
        list[int], typer.Argument(metavar="SIGNALEMENT...", help="Signalements à sortir du ménage (ensemble).")
    ],
    motif: MotifOption = None,
    json_output: JsonOption = False,
) -> None:
    """Sortir des signalements d'un ménage : ils forment un autre ménage, durablement.

    La partie qui garde le plus ancien signalement garde le numéro du ménage.

    Exemple : exploc menages separer 12 3401 3402 --motif "homonyme, autre date de naissance"
    """
    app_state = state(ctx)
    with domain_errors():
        report = split(app_state.engine(), menage, signalements, motif=motif, command_line=command_line(ctx))
    _decision_output(report, json_output, app_state.quiet, "Ménage séparé : ménages {}.")


@app.command("distinguer")
def distinguer(
    ctx: typer.Context,
    premier: Annotated[int, typer.Argument(metavar="A", help="Premier ménage.")],
    second: Annotated[int, typer.Argument(metavar="B", help="Second ménage.")],
    motif: MotifOption = None,
    json_output: JsonOption = False,
) -> None:
    """Dire que deux ménages proposés à la vérification sont bien deux ménages différents.

    Exemple : exploc menages distinguer 12 57 --motif "homonymes, pas la même date de naissance"
    """
    app_state = state(ctx)
    with domain_errors():
        report = distinguish(app_state.engine(), premier, second, motif=motif, command_line=command_line(ctx))
    _decision_output(report, json_output, app_state.quiet, "Ménages distincts : {}.")


def _decision_output(report: DecisionReport, json_output: bool, quiet: bool, template: str) -> None:
    if json_output:
        print_json(report.to_json())
    elif not quiet:
        console.print(
            template.format(" et ".join(map(str, report.menages))) + f" (décision {report.id}, inscrite au journal)",
            markup=False,
        )


@app.command("chercher")
def chercher(
    ctx: typer.Context,
    nom: Annotated[str, typer.Argument(metavar="NOM", help="Nom (d'usage ou de naissance).")],
    prenom: Annotated[str | None, typer.Argument(metavar="[PRENOM]", help="Prénom.")] = None,
    json_output: JsonOption = False,
) -> None:
    """Retrouver des ménages par le nom, sans se soucier des accents, des majuscules ni des fautes de frappe.

    Exemples :
      exploc menages chercher durand
      exploc menages chercher "Le Gall" Yann
    """
    with domain_errors(), state(ctx).engine().connect() as connection:
        hits = search(connection, nom, prenom)
    if json_output:
        print_json([hit.to_json() for hit in hits])
        return
    if not hits:
        console.print("Aucun ménage trouvé.")
        return
    table = Table("Ménage", "Statut", "Personnes", "Commune", "Dernier événement", "Signalements")
    for hit in hits:
        table.add_row(
            str(hit.menage),
            hit.statut,
            " ; ".join(hit.names[:3]),
            hit.commune or "",
            f"{hit.last_date:%d/%m/%Y}" if hit.last_date else "",
            str(hit.signalements),
        )
    console.print(table)


@app.command("noter")
def noter(
    ctx: typer.Context,
    menage: MenageArg,
    texte: Annotated[str, typer.Argument(metavar="TEXTE", help="La note (entre guillemets).")],
    json_output: JsonOption = False,
) -> None:
    """Ajouter une note datée au suivi d'un ménage.

    Exemple : exploc menages noter 42 "Rendez-vous CCAS fixé au 12/01"
    """
    app_state = state(ctx)
    with domain_errors():
        report = add_note(app_state.engine(), menage, texte, command_line=command_line(ctx, hidden=["texte"]))
    if json_output:
        print_json(report.to_json())
    elif not app_state.quiet:
        console.print(f"Note {report.id} ajoutée au ménage {report.menage}.", markup=False)


@app.command("clore")
def clore(
    ctx: typer.Context,
    menage: MenageArg,
    motif: Annotated[str, typer.Option("--motif", help="Motif : " + ", ".join(CLOSING_REASONS.values()) + ".")],
    commentaire: Annotated[str | None, typer.Option("--commentaire", help="Précision libre.")] = None,
    le: Annotated[str | None, typer.Option("--le", help="Date de clôture (JJ/MM/AAAA ; défaut : aujourd'hui).")] = None,
    json_output: JsonOption = False,
) -> None:
    """Clore le parcours d'un ménage ; un signalement plus récent le rouvrira.

    Exemple : exploc menages clore 42 --motif relogement --commentaire "relogé par Sarre Habitat"
    """
    app_state = state(ctx)
    when = parse_date_option(le, "--le")
    with domain_errors():
        report = close(
            app_state.engine(),
            menage,
            motif,
            comment=commentaire,
            when=when,
            command_line=command_line(ctx, hidden=["commentaire"]),
        )
    if json_output:
        print_json(report.to_json())
    elif not app_state.quiet:
        console.print(f"Parcours du ménage {report.menage} clos.", markup=False)
