"""Options shared by many commands, so that they read and behave the same everywhere."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from exploc_cli.filters import Filters
from exploc_cli.normalize.amounts import parse_amount_centimes
from exploc_cli.normalize.dates import parse_date
from exploc_cli.normalize.departements import checked_departement
from exploc_cli.parcours import ALERT_LABELS

JsonOption = Annotated[
    bool, typer.Option("--json", help="Afficher le résultat en JSON (un seul document sur la sortie standard).")
]
OutputOption = Annotated[Path, typer.Option("--sortie", "-o", help="Fichier à écrire.", dir_okay=False)]

EtapeOption = Annotated[
    str | None, typer.Option("--etape", help="Étape de la procédure (cdp, assignation, cql, requisition_cfp…).")
]
CommuneOption = Annotated[str | None, typer.Option("--commune", help="Commune (nom, code postal ou code INSEE).")]
BailleurOption = Annotated[str | None, typer.Option("--bailleur", help="Bailleur (tout ou partie du nom).")]
ParcOption = Annotated[str | None, typer.Option("--parc", help="Parc : public ou prive.")]
DetteMinOption = Annotated[
    str | None, typer.Option("--dette-min", help="Dette minimale en euros (ex. 2000 ou 1 500,50).")
]
DetteMaxOption = Annotated[
    str | None, typer.Option("--dette-max", help="Dette maximale en euros (ex. 5000 ou 4 999,99).")
]
AlerteOption = Annotated[
    str | None,
    typer.Option("--alerte", help="Ménages ayant cette alerte : " + ", ".join(ALERT_LABELS) + "."),
]
StatutOption = Annotated[str | None, typer.Option("--statut", help="Statut du ménage : ouvert ou clos.")]
ServiceOption = Annotated[
    str | None,
    typer.Option(
        "--service",
        help="Ménages affectés à ce service ou à cette unité (code, ou partie du nom), "
        "« a-trier » (en attente d'une décision) ou « aucun » (jamais affectés).",
    ),
]
DepartementOption = Annotated[
    str | None,
    typer.Option(
        "--departement",
        help="Département (numéro ou nom : 93, 2A, 974, Seine-Saint-Denis) : pour un ménage, celui de sa "
        "dernière adresse connue ; pour un signalement, le sien.",
    ),
]
DuOption = Annotated[str | None, typer.Option("--du", help="Depuis cette date (JJ/MM/AAAA), incluse.")]
AuOption = Annotated[str | None, typer.Option("--au", help="Jusqu'à cette date (JJ/MM/AAAA), incluse.")]


def parse_date_option(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return parse_date(value)
    except ValueError as err:
        raise typer.BadParameter(f"{err} (format attendu : JJ/MM/AAAA)", param_hint=option) from None


def parse_money_option(value: str | None, option: str) -> int | None:
    if value is None:
        return None
    try:
        return parse_amount_centimes(value)
    except ValueError as err:
        raise typer.BadParameter(str(err), param_hint=option) from None


def build_filters(
    *,
    etape: str | None = None,
    commune: str | None = None,
    bailleur: str | None = None,
    parc: str | None = None,
    dette_min: str | None = None,
    dette_max: str | None = None,
    du: str | None = None,
    au: str | None = None,
    source: str | None = None,
    alerte: str | None = None,
    statut: str | None = None,
    service: str | None = None,
    departement: str | None = None,
) -> Filters:
    return Filters(
        etape=etape.lower() if etape else None,
        commune=commune,
        bailleur=bailleur,
        parc=parc.lower().replace("é", "e") if parc else None,
        dette_min=parse_money_option(dette_min, "--dette-min"),
        du=parse_date_option(du, "--du"),
        au=parse_date_option(au, "--au"),
        source=source,
        dette_max=parse_money_option(dette_max, "--dette-max"),
        alerte=alerte.lower().replace("-", "_") if alerte else None,
        statut=statut.lower() if statut else None,
        service=(service.strip() or None) if service else None,
        departement=checked_departement(departement),
    )
