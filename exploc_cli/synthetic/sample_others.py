"""Sample files of the social landlords, the préfecture and the social services."""

from __future__ import annotations

from datetime import date

from .columns import BAILLEUR_COLUMNS, LOGIS_COLUMNS, PREFECTURE_COLUMNS, SUIVI_COLUMNS
from .households import Evenement, Menage
from .sample_files import SampleContext, cents_of, csv_rows, events_between, xlsx_rows
from .sources import Row, bailleur_row, prefecture_row, suivi_row
from .writers import Cell, CsvFormat, Sheet, XlsxDates, write_csv, write_xlsx

BAILLEUR_XLSX = "bailleur_saisines_2025.xlsx"
LOGIS_XLSX = "profils/bailleur_logis_du_val.xlsx"
LOGIS = "Logis du Val"
PREFECTURE_CSV = "prefecture_cfp_2025.csv"
PREFECTURE_EXPORT = date(2026, 1, 31)
SUIVI_XLSX = "suivi_services_sociaux.xlsx"
SUIVI_EXPORT = date(2026, 3, 31)

_LISEZ_MOI = [
    "Saisines de la CCAPEX par les bailleurs sociaux du Val-de-Sarre — année 2025",
    "",
    "Fichier consolidé par le secrétariat à partir des envois de Sarre Habitat, Foyer Sarrois et Aubrel Habitat.",
    "Les données sont dans l'onglet « Saisines » (une ligne par saisine).",
    "La date de naissance n'est pas connue de la plupart des bailleurs : colonne souvent vide.",
    "Logis du Val envoie son propre export (voir le dossier profils/).",
    "DONNÉES FICTIVES générées par exploc : aucune personne réelle.",
]


def _first_impaye(menage: Menage, event: Evenement) -> date | None:
    for other in menage.evenements:
        if other.code == "impaye" and other.episode == event.episode:
            return other.date
    return None


def _saisines(ctx: SampleContext, last: date, logis: bool) -> list[Row]:
    rng = ctx.rng("logis" if logis else "bailleurs")
    found = events_between(
        ctx.menages,
        ("saisine",),
        date(2025, 1, 1),
        last,
        lambda m, e: (m.logements[e.logement].bailleur.nom == LOGIS) == logis,
    )
    return [bailleur_row(rng, ctx.noise, m, e, _first_impaye(m, e)) for m, e in found]


def write_bailleur_xlsx(ctx: SampleContext) -> None:
    """Two sheets: « Lisez-moi », then « Saisines » with a title row above the header."""
    rng = ctx.rng("bailleurs-cellules")
    rows = _saisines(ctx, date(2025, 12, 31), logis=False)
    cells = xlsx_rows(rows, BAILLEUR_COLUMNS, rng, XlsxDates())
    if cells:
        missing = len(cells) // 2
        cells[missing][11] = None  # no date of saisine: rejected
        ctx.reject(BAILLEUR_XLSX, missing + 1, "date de saisine absente")
    total = sum(cents_of(r.values["dette"]) for r in rows)
    footer: list[Cell] = ["Total", f"{len(rows)} saisines", *[None] * 8, round(total / 100, 2)]
    ctx.noise["ligne_total"] += 1
    sheets = [
        Sheet("Lisez-moi", text=_LISEZ_MOI),
        Sheet(
            "Saisines",
            [h for _, h in BAILLEUR_COLUMNS],
            cells,
            title_lines=["Saisines CCAPEX 2025 — bailleurs sociaux du Val-de-Sarre"],
            footer=[footer],
            trailing_empty_rows=2,
        ),
    ]
    write_xlsx(ctx.dest / BAILLEUR_XLSX, sheets)
    ctx.record(BAILLEUR_XLSX, rows)


def write_logis_xlsx(ctx: SampleContext) -> None:
    """Logis du Val's own export: other headers, data on the second sheet, header on row 2."""
    rng = ctx.rng("logis-cellules")
    rows = _saisines(ctx, date(2026, 3, 31), logis=True)
    cells = xlsx_rows(rows, LOGIS_COLUMNS, rng, XlsxDates(text=0.1))
    summary = Sheet(
        "Synthèse",
        text=[
            "Logis du Val — extraction des saisines CCAPEX (janvier 2025 à mars 2026)",
            f"Nombre de saisines : {len(rows)}",
            "Données fictives.",
        ],
    )
    data = Sheet(
        "Extraction CCAPEX", [h for _, h in LOGIS_COLUMNS], cells, title_lines=["Logis du Val — saisines de la CCAPEX"]
    )
    write_xlsx(ctx.dest / LOGIS_XLSX, [summary, data])
    ctx.record(LOGIS_XLSX, rows)


def write_prefecture_csv(ctx: SampleContext) -> None:
    """Réquisitions of 2025, with the decision and expulsion known at the export date."""
    rng = ctx.rng("prefecture")
    rows = [
        prefecture_row(rng, ctx.noise, m, e, PREFECTURE_EXPORT)
        for m, e in events_between(ctx.menages, ("requisition_cfp",), date(2025, 1, 1), date(2025, 12, 31))
    ]
    fmt = CsvFormat(lambda _rng, c: f"{c / 100:.2f}", lambda d: d.isoformat())
    write_csv(
        ctx.dest / PREFECTURE_CSV,
        [h for _, h in PREFECTURE_COLUMNS],
        csv_rows(rows, PREFECTURE_COLUMNS, fmt, rng),
        "utf-8",
        "\t",
        "\r\n",
    )
    ctx.record(PREFECTURE_CSV, rows)


def write_suivi_xlsx(ctx: SampleContext) -> None:
    """Follow-ups running at the export date or ended since 1 January 2025."""
    rng = ctx.rng("suivi")
    followed = [
        m
        for m in ctx.menages
        if m.suivi is not None
        and m.suivi.debut <= SUIVI_EXPORT
        and (m.suivi.fin is None or m.suivi.fin >= date(2025, 1, 1))
    ]
    followed.sort(key=lambda m: (m.suivi.service if m.suivi else "", m.titulaire.nom_usage))
    rows = []
    for menage in followed:
        row = suivi_row(rng, ctx.noise, menage)
        fin = row.values["date_fin_suivi"]
        if isinstance(fin, date) and fin > SUIVI_EXPORT:
            row.values["date_fin_suivi"] = None  # not known yet at the export date
        rows.append(row)
    cells = xlsx_rows(rows, SUIVI_COLUMNS, rng, XlsxDates(text=0.05))
    if len(cells) > 3:
        cells[3][4] = "31/02/1980"  # malformed optional value: kept, with a warning
        ctx.noise["date_naissance_invalide"] += 1
    sheet = Sheet("Suivis", [h for _, h in SUIVI_COLUMNS], cells)
    write_xlsx(ctx.dest / SUIVI_XLSX, [sheet])
    ctx.record(SUIVI_XLSX, rows)
