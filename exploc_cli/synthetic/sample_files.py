"""The partner files of ``sample_data/``: which events each one holds, in which layout."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from .columns import (
    CAF_ALIAS_COLUMNS,
    CAF_COLUMNS,
    DUPUIS_COLUMNS,
    HUISSIER_COLUMNS,
    HUISSIER_XLSX_COLUMNS,
    Columns,
)
from .households import Evenement, Menage
from .noise import NBSP, NNBSP, Montant, dot_amount, fr_amount
from .report import ExpectedReject
from .sources import (
    DUPUIS_CODES,
    HUISSIER_CODES,
    Row,
    caf_row,
    dupuis_row,
    huissier_row,
    served_to,
)
from .writers import Cell, CsvFormat, Sheet, XlsxDates, csv_text, write_csv, write_xlsx, xlsx_value


@dataclass
class SampleContext:
    """Shared state of one sample generation."""

    dest: Path
    seed: int
    menages: list[Menage]
    noise: Counter[str] = field(default_factory=Counter)
    rejects: list[ExpectedReject] = field(default_factory=list)
    truth: dict[str, list[tuple[str, str]]] = field(default_factory=dict)

    def rng(self, name: str) -> random.Random:
        """An independent generator per file, so that one file's changes leave others alone."""
        return random.Random(f"{self.seed}-{name}")

    def reject(self, fichier: str, ligne: int, motif: str) -> None:
        self.rejects.append(ExpectedReject(fichier, ligne, motif))

    def record(self, fichier: str, rows: Sequence[Row]) -> int:
        self.truth[fichier] = [(row.menage, row.personne) for row in rows]
        return len(rows)


def events_between(
    menages: Sequence[Menage],
    codes: Sequence[str],
    first: date,
    last: date,
    keep: Callable[[Menage, Evenement], bool] | None = None,
) -> Iterator[tuple[Menage, Evenement]]:
    """Events of the given kinds dated in [first, last], in date order."""
    found = [
        (e.date, m.ident, m, e)
        for m in menages
        for e in m.evenements
        if e.code in codes and first <= e.date <= last and (keep is None or keep(m, e))
    ]
    found.sort(key=lambda item: (item[0], item[1]))
    for _, _, menage, event in found:
        yield menage, event


def csv_rows(rows: Sequence[Row], columns: Columns, fmt: CsvFormat, rng: random.Random) -> list[list[str]]:
    return [[csv_text(row.values.get(f), fmt, rng) for f, _ in columns] for row in rows]


def xlsx_rows(
    rows: Sequence[Row],
    columns: Columns,
    rng: random.Random,
    dates: XlsxDates,
) -> list[list[Cell]]:
    return [[xlsx_value(row.values.get(f), rng, dates, f == "code_postal") for f, _ in columns] for row in rows]


# ---------------------------------------------------------------- CAF (two monthly files)

MIN_ROWS_FOR_TRAPS = 12  # below this, rows meant for rejection would fall on the same row
_CAF = {field: index for index, (field, _) in enumerate(CAF_COLUMNS)}
_ACT = {field: index for index, (field, _) in enumerate(HUISSIER_COLUMNS)}
CAF_NOV = "caf_signalements_2025-11.csv"
CAF_DEC = "caf_signalements_2025-12.csv"


def _caf_amount_nov(rng: random.Random, cents: int) -> str:
    return fr_amount(cents, "", euro=True) if rng.random() < 0.2 else fr_amount(cents, NBSP)


def _caf_amount_dec(rng: random.Random, cents: int) -> str:
    draw = rng.random()
    return fr_amount(cents, "", euro=True) if draw < 0.2 else fr_amount(cents, NNBSP if draw < 0.6 else NBSP)


def write_caf_files(ctx: SampleContext) -> None:
    """The CAF sends its stock of open situations each month: November, then December."""
    rng = ctx.rng("caf")
    nov_cut, dec_cut = date(2025, 11, 30), date(2025, 12, 31)
    stock: list[tuple[Menage, Evenement, date]] = []  # with the date the situation closes
    for menage, event in events_between(ctx.menages, ("signalement_caf",), date(2024, 11, 1), dec_cut):
        stock.append((menage, event, event.date + timedelta(days=150 + int(rng.random() * 300))))
    nov = [(m, e, c) for m, e, c in stock if e.date <= nov_cut < c]
    nov_rows = [caf_row(rng, ctx.noise, m, e, _debt_at(m, e, nov_cut), 0.15) for m, e, _ in nov]
    nov_fmt = CsvFormat(_caf_amount_nov)
    nov_text = csv_rows(nov_rows, CAF_COLUMNS, nov_fmt, rng)
    blank = len(nov_text) // 3 if len(nov_text) >= MIN_ROWS_FOR_TRAPS else -1
    if blank >= 0:  # the traps go on distinct rows of a file large enough
        nov_text[blank][_CAF["nom"]] = nov_text[blank][_CAF["prenom"]] = ""  # rejected
        nov_rows[blank] = nov_rows[blank]._replace(personne="")
        ctx.reject(CAF_NOV, blank + 1, "ni nom ni prénom")
        # A malformed optional value: the row is kept, with a warning.
        nov_text[len(nov_text) // 2][_CAF["date_naissance"]] = "31/02/1980"
        ctx.noise["date_naissance_invalide"] += 1
        postcode = nov_text[0][_CAF["code_postal"]]
        if postcode.startswith("0"):  # at least one postcode without its zero
            nov_text[0][_CAF["code_postal"]] = postcode.lstrip("0")
            ctx.noise["cp_sans_zero"] += 1
    write_csv(ctx.dest / CAF_NOV, [h for _, h in CAF_COLUMNS], nov_text, "cp1252", ";", "\r\n")
    ctx.record(CAF_NOV, nov_rows)

    dec_rows: list[Row] = []
    dec_text: list[list[str]] = []
    for index, (menage, event, closes) in enumerate(nov):
        if index == blank or closes <= dec_cut:
            continue
        line = list(nov_text[index])
        if rng.random() < 0.35:  # resent with a higher debt: a new observation
            ctx.noise["caf_dette_actualisee"] += 1
            more = menage.logements[event.logement].loyer_cc * (0.5 + rng.random())
            dette = _debt_at(menage, event, nov_cut) + int(more)
            line[_CAF["dette"]] = _caf_amount_dec(rng, dette)
        else:
            ctx.noise["caf_ligne_repetee"] += 1
        dec_rows.append(nov_rows[index])
        dec_text.append(line)
    fresh = [(m, e) for m, e, _ in stock if nov_cut < e.date <= dec_cut]
    fresh_rows = [caf_row(rng, ctx.noise, m, e, _debt_at(m, e, dec_cut), 0.02) for m, e in fresh]
    dec_rows += fresh_rows
    dec_text += csv_rows(fresh_rows, CAF_ALIAS_COLUMNS, CsvFormat(_caf_amount_dec), rng)
    write_csv(ctx.dest / CAF_DEC, [h for _, h in CAF_ALIAS_COLUMNS], dec_text, "utf-8-sig", ";", "\n")
    ctx.record(CAF_DEC, dec_rows)


def _debt_at(menage: Menage, event: Evenement, day: date) -> int:
    """The debt the CAF knows at ``day``: the latest known for this episode."""
    known = [e.dette for e in menage.evenements if e.episode == event.episode and e.date <= day]
    return max(known, default=event.dette)


# ---------------------------------------------------------------- commissaires de justice

HUISSIER_CSV = "huissier_actes_2025.csv"
HUISSIER_XLSX = "huissier_actes_2026-T1.xlsx"
DUPUIS_CSV = "profils/huissier_etude_dupuis.csv"


def _lefort(menage: Menage, _event: Evenement) -> bool:
    return menage.etude == "lefort"


def write_huissier_csv(ctx: SampleContext) -> None:
    rng = ctx.rng("huissier-2025")
    found = [
        (m, e, role)
        for m, e in events_between(ctx.menages, HUISSIER_CODES, date(2025, 1, 1), date(2025, 12, 31), _lefort)
        for role in served_to(rng, m)
    ]
    rows = [huissier_row(rng, ctx.noise, m, e, False, role) for m, e, role in found]
    text = csv_rows(rows, HUISSIER_COLUMNS, CsvFormat(lambda _rng, c: dot_amount(c)), rng)
    n = len(text)
    if n >= MIN_ROWS_FOR_TRAPS:
        _huissier_traps(ctx, found, rows, text)
    write_csv(ctx.dest / HUISSIER_CSV, [h for _, h in HUISSIER_COLUMNS], text, "utf-8", ";", "\n")
    ctx.record(HUISSIER_CSV, rows)


def _huissier_traps(
    ctx: SampleContext, found: list[tuple[Menage, Evenement, str | None]], rows: list[Row], text: list[list[str]]
) -> None:
    """Two rows to reject, a quoted ``;`` and a quoted line break, on distinct rows."""
    n = len(text)
    text[n // 4][_ACT["locataire"]] = ""  # no tenant name: rejected
    rows[n // 4] = rows[n // 4]._replace(personne="")
    ctx.reject(HUISSIER_CSV, n // 4 + 1, "aucun nom de locataire")
    text[n // 2][_ACT["date_acte"]] = "bientôt"  # unusable main date: rejected
    ctx.reject(HUISSIER_CSV, n // 2 + 1, "date de l'acte inutilisable (« bientôt »)")
    text[n // 3][_ACT["bailleur"]] += "; gérance Cabinet Marceau"  # quoted, with a ';'
    ctx.noise["champ_avec_point_virgule"] += 1
    menage, event, _ = found[2 * n // 3]
    housing = menage.logements[event.logement]
    flat = f"Bât {housing.batiment or 'C'} Appt {housing.appartement or '19'}"
    text[2 * n // 3][_ACT["adresse"]] = f"{flat}\n{housing.numero} {housing.rue.libelle}"
    ctx.noise["champ_multiligne"] += 1  # quoted, on two lines


def write_huissier_xlsx(ctx: SampleContext) -> None:
    rng = ctx.rng("huissier-2026-t1")
    rows = [
        huissier_row(rng, ctx.noise, m, e, True, role)
        for m, e in events_between(ctx.menages, HUISSIER_CODES, date(2026, 1, 1), date(2026, 3, 31), _lefort)
        for role in served_to(rng, m)
    ]
    cells = xlsx_rows(rows, HUISSIER_XLSX_COLUMNS, rng, XlsxDates(serial=0.07, text=0.07))
    if len(cells) > 2:  # at least one of each date kind, whatever the draw
        cells[0][2] = xlsx_value(_date_of(rows[0]), rng, XlsxDates(serial=1.0), False)
        cells[1][2] = xlsx_value(_date_of(rows[1]), rng, XlsxDates(text=1.0), False)
    total_debt = sum(cents_of(r.values["dette"]) for r in rows)
    total: list[Cell] = ["Total", f"{len(rows)} actes", *[None] * 8, round(total_debt / 100, 2)]
    ctx.noise["ligne_total"] += 1
    sheet = Sheet(
        "Actes T1 2026",
        [h for _, h in HUISSIER_XLSX_COLUMNS],
        cells,
        title_lines=["Étude Maître Lefort — actes signifiés 1er trimestre 2026", ""],
        merge_title=True,
        footer=[total],
        trailing_empty_rows=3,
    )
    write_xlsx(ctx.dest / HUISSIER_XLSX, [sheet])
    ctx.record(HUISSIER_XLSX, rows)


def cents_of(value: object) -> int:
    return value.cents if isinstance(value, Montant) else 0


def _date_of(row: Row) -> date:
    value = row.values["date_acte"]
    assert isinstance(value, date)
    return value


def write_dupuis_csv(ctx: SampleContext) -> None:
    rng = ctx.rng("dupuis")
    found = events_between(
        ctx.menages, tuple(DUPUIS_CODES), date(2025, 1, 1), date(2026, 3, 31), lambda m, _e: m.etude == "dupuis"
    )
    rows = [dupuis_row(rng, ctx.noise, m, e) for m, e in found]
    fmt = CsvFormat(lambda _rng, c: fr_amount(c, " "), lambda d: d.strftime("%d.%m.%Y"))
    write_csv(
        ctx.dest / DUPUIS_CSV,
        [h for _, h in DUPUIS_COLUMNS],
        csv_rows(rows, DUPUIS_COLUMNS, fmt, rng),
        "cp1252",
        ";",
        "\r\n",
    )
    ctx.record(DUPUIS_CSV, rows)
