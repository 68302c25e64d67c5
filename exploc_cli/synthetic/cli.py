"""``python -m exploc_cli.synthetic``: generate the fictional partner files (argparse, French)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date
from pathlib import Path

from .bulk import generate_bulk
from .population import DEFAULT_REFERENCE_DATE
from .region import MAX_DEPARTEMENTS, REGION_CODES, check_departements
from .report import GenerationReport
from .sample import generate_sample

EXIT_OK = 0
EXIT_USAGE = 2
EXIT_INPUT = 3


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"nombre entier attendu : « {text} »") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"nombre supérieur à 0 attendu : « {text} »")
    return value


def _departements(text: str) -> int:
    value = _positive(text)
    try:
        check_departements(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    return value


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"date AAAA-MM-JJ attendue : « {text} »") from None


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m exploc_cli.synthetic",
        add_help=False,
        description="Génère les fichiers de partenaires (CAF, commissaires de justice, "
        "bailleurs, préfecture, services sociaux) d'un département FICTIF (ou d'une région "
        "fictive de plusieurs départements), avec "
        "les défauts des vrais fichiers. Aucune donnée réelle.",
        epilog="Exemples : python -m exploc_cli.synthetic --sortie sample_data --menages 400 ; "
        "python -m exploc_cli.synthetic --format csv --sortie /tmp/gros --menages 200000 ; "
        "python -m exploc_cli.synthetic --format csv --sortie /tmp/region --menages 720000 --departements 8",
    )
    parser.add_argument("-h", "--help", action="help", help="afficher cette aide et quitter")
    parser.add_argument(
        "--sortie", type=Path, required=True, metavar="DOSSIER", help="dossier où écrire les fichiers (créé au besoin)"
    )
    parser.add_argument(
        "--menages", type=_positive, default=400, metavar="N", help="nombre de ménages simulés (défaut : 400)"
    )
    parser.add_argument(
        "--graine",
        type=int,
        default=2026,
        metavar="N",
        help="graine du tirage : même graine, mêmes fichiers (défaut : 2026)",
    )
    parser.add_argument(
        "--format",
        choices=("echantillon", "csv"),
        default="echantillon",
        help="echantillon : les fichiers variés de sample_data/ ; csv : gros "
        "fichiers caf.csv, huissier.csv, bailleur.csv, prefecture.csv",
    )
    parser.add_argument(
        "--verite",
        type=Path,
        metavar="FICHIER.csv",
        help="écrire aussi la vérité terrain (fichier;ligne;menage_vrai;personne) dans ce fichier",
    )
    parser.add_argument(
        "--huissier-lignes",
        type=_positive,
        metavar="N",
        help="(format csv) écrire seulement huissier.csv, avec N lignes",
    )
    parser.add_argument(
        "--date-reference",
        type=_day,
        default=DEFAULT_REFERENCE_DATE,
        metavar="AAAA-MM-JJ",
        help=f"date jusqu'à laquelle les parcours sont simulés (défaut : {DEFAULT_REFERENCE_DATE.isoformat()})",
    )
    parser.add_argument(
        "--departements",
        type=_departements,
        default=1,
        metavar="N",
        help=f"(format csv) répartir les ménages entre N départements d'une région fictive (codes "
        f"{', '.join(REGION_CODES)} ; au plus {MAX_DEPARTEMENTS}), avec leur sectorisation dans "
        "referentiel/ (défaut : 1, le département fictif de code 01)",
    )
    parser.add_argument(
        "--processus",
        type=_positive,
        metavar="N",
        help="(format csv) processus en parallèle (défaut : nombre de cœurs)",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.format == "echantillon" and (args.huissier_lignes or args.processus or args.departements > 1):
        parser.error("--huissier-lignes, --processus et --departements ne valent qu'avec --format csv")
    try:
        if args.format == "csv":
            report = generate_bulk(
                args.sortie,
                args.menages,
                args.graine,
                args.verite,
                args.date_reference,
                args.huissier_lignes,
                args.processus,
                args.departements,
            )
        else:
            report = generate_sample(args.sortie, args.menages, args.graine, args.verite, args.date_reference)
    except OSError as error:
        sys.stderr.write(f"Erreur : impossible d'écrire les fichiers ({error}).\n")
        return EXIT_INPUT
    sys.stdout.write(render_report(report))
    return EXIT_OK


def render_report(report: GenerationReport) -> str:
    """The summary printed after a run (French)."""
    total_label = "total (partenaires)"
    width = max(len(total_label), *(len(f.fichier) for f in report.files))
    lines = [f"Fichiers écrits dans {report.dest} ({report.menages} ménages fictifs, graine {report.seed}) :"]
    lines += [f"  {f.fichier:<{width}}  {f.lignes:>9} lignes" for f in report.files]
    lines.append(f"  {total_label:<{width}}  {report.total_rows:>9} lignes")
    speed = f"{report.rows_per_second:,.0f}".replace(",", " ")
    lines.append(f"Durée : {report.seconds:.1f} s, soit {speed} lignes/s.")
    if report.expected_rejects:
        lines.append(f"Lignes prévues pour être rejetées : {len(report.expected_rejects)} (voir LISEZMOI.md).")
    if report.ground_truth is not None:
        lines.append(f"Vérité terrain : {report.ground_truth}")
    return "\n".join(lines) + "\n"
