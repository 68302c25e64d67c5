"""Reading the decision sheet back: every row validated, every problem reported in French with its
sheet, row and column, and nothing saved unless the whole file is right."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ..errors import SourceFileError
from ..normalize.dates import format_date_fr, parse_date
from ..normalize.text import fold
from .records import InscriptionRecord
from .referentiel import STATUTS, Referentiel
from .sheet_layout import (
    AVIS,
    AVIS_TEXTE,
    DECISIONS_SHEET,
    REEXAMEN,
    REFERENCE,
    REQUIRED_DECISION_HEADERS,
    SLOTS,
    SUIVI_NOTE,
    SUIVI_REFERENCE,
    SUIVI_SHEET,
    SUIVI_STATUT,
    parse_decision_reference,
    parse_suivi_reference,
    preco_headers,
)

MAX_REPORTED = 50


@dataclass(frozen=True)
class PrecoInput:
    numero: int
    type: str
    destinataire: str
    texte: str | None
    echeance: date | None


@dataclass(frozen=True)
class DecisionInput:
    inscription_id: int
    menage_id: int
    avis: str
    avis_texte: str | None
    reexamen: date | None
    preconisations: tuple[PrecoInput, ...]


@dataclass(frozen=True)
class StatutInput:
    preconisation_id: int
    statut: str
    note: str | None


@dataclass
class SheetContent:
    decisions: list[DecisionInput] = field(default_factory=list)
    statuts: list[StatutInput] = field(default_factory=list)
    undecided: int = 0  # rows left without avis nor préconisation


def statut_code(text: str) -> str | None:
    """The status code for « réalisée », « Non realisee », « a_faire »… (case and accents ignored)."""
    wanted = fold(text).replace("_", " ").strip()
    return next((c for c, label in STATUTS.items() if wanted in (fold(label), fold(c).replace("_", " "))), None)


class _Problems:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.items: list[str] = []

    def add(self, sheet: str, row: int, column: str | None, message: str) -> None:
        where = f"feuille « {sheet} », ligne {row}" + (f", colonne « {column} »" if column else "")
        self.items.append(f"{where} : {message}")

    def raise_if_any(self) -> None:
        if not self.items:
            return
        shown = self.items[:MAX_REPORTED]
        more = len(self.items) - len(shown)
        text = "\n".join(f"  - {item}" for item in shown) + (f"\n  … et {more} autre(s)." if more > 0 else "")
        raise SourceFileError(
            str(self.path),
            f"{len(self.items)} problème(s), rien n'a été enregistré :\n{text}",
            "Corrigez le fichier dans Excel ou LibreOffice puis relancez la même commande.",
        )


def read_decision_sheet(
    path: Path,
    seance_id: int,
    seance_day: date,
    inscriptions: Mapping[int, InscriptionRecord],
    referentiel: Referentiel,
) -> SheetContent:
    """The decisions and follow-up statuses of the sheet (SourceFileError listing every problem)."""
    workbook = _open(path)
    problems = _Problems(path)
    content = SheetContent()
    try:
        if DECISIONS_SHEET not in workbook.sheetnames:
            raise SourceFileError(
                str(path), f"onglet « {DECISIONS_SHEET} » absent : ce n'est pas une feuille de décisions d'exploc."
            )
        _read_decisions(workbook[DECISIONS_SHEET], seance_id, seance_day, inscriptions, referentiel, problems, content)
        if SUIVI_SHEET in workbook.sheetnames:
            _read_suivi(workbook[SUIVI_SHEET], problems, content)
    finally:
        workbook.close()
    problems.raise_if_any()
    return content


def _open(path: Path) -> Any:
    from openpyxl import load_workbook

    if not path.is_file():
        raise SourceFileError(str(path), "fichier introuvable.")
    try:
        return load_workbook(path, data_only=True)
    except Exception as err:  # openpyxl raises many kinds on a broken or foreign file
        raise SourceFileError(
            str(path),
            f"classeur Excel illisible ({type(err).__name__}) : fichier abîmé, chiffré ou d'un autre format.",
            "Enregistrez-le au format Excel (.xlsx) et sans mot de passe.",
        ) from None


def _headers(sheet: Any) -> dict[str, int]:
    first = next(sheet.iter_rows(min_row=1, max_row=1, values_only=True), ())
    return {str(value).strip(): index for index, value in enumerate(first) if value is not None}


def _rows(sheet: Any) -> Iterator[tuple[int, tuple[Any, ...]]]:
    for number, values in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
        if any(v not in (None, "") for v in values):
            yield number, values


def _text(value: Any) -> str | None:
    if value is None:
        return None
    text = str(value).strip()
    if text.startswith("'"):  # the apostrophe exploc puts before what looks like a formula
        text = text[1:]
    return text or None


def _date(value: Any, sheet: str, row: int, column: str, problems: _Problems) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return parse_date(str(value))
    except ValueError as err:
        problems.add(sheet, row, column, f"date illisible « {value} » ({err}) ; format attendu JJ/MM/AAAA")
        return None


def _read_decisions(
    sheet: Any,
    seance_id: int,
    seance_day: date,
    inscriptions: Mapping[int, InscriptionRecord],
    referentiel: Referentiel,
    problems: _Problems,
    content: SheetContent,
) -> None:
    name = DECISIONS_SHEET
    headers = _headers(sheet)
    missing = [h for h in REQUIRED_DECISION_HEADERS if h not in headers]
    if missing:
        problems.add(name, 1, None, "en-tête(s) manquant(s) : " + ", ".join(f"« {h} »" for h in missing))
        return
    seen: dict[int, int] = {}

    def cell(values: tuple[Any, ...], header: str) -> Any:
        index = headers.get(header)
        return values[index] if index is not None and index < len(values) else None

    for row, values in _rows(sheet):
        reference = _text(cell(values, REFERENCE)) or ""
        parsed = parse_decision_reference(reference)
        if parsed is None:
            problems.add(name, row, REFERENCE, f"référence « {reference} » illisible (ligne ajoutée à la main ?)")
            continue
        seance, inscription_id, menage = parsed
        inscription = inscriptions.get(inscription_id)
        if seance != seance_id or inscription is None:
            problems.add(name, row, REFERENCE, f"la ligne « {reference} » n'appartient pas à la séance n° {seance_id}")
            continue
        if inscription_id in seen:
            problems.add(name, row, REFERENCE, f"ménage n° {menage} déjà présent ligne {seen[inscription_id]}")
            continue
        seen[inscription_id] = row
        avis_text = _text(cell(values, AVIS))
        precos = _read_precos(values, headers, row, seance_day, referentiel, problems)
        reexamen = _date(cell(values, REEXAMEN), name, row, REEXAMEN, problems)
        if reexamen is not None and reexamen <= seance_day:
            problems.add(
                name, row, REEXAMEN, f"le réexamen ({format_date_fr(reexamen)}) doit suivre la séance "
                f"({format_date_fr(seance_day)})"
            )  # fmt: skip
        if avis_text is None:
            if precos or reexamen or _text(cell(values, AVIS_TEXTE)):
                problems.add(name, row, AVIS, "avis manquant alors que la ligne porte une décision")
            else:
                content.undecided += 1
            continue
        avis = referentiel.find_avis(avis_text, seance_day)
        if avis is None:
            choices = " ; ".join(a.libelle for a in referentiel.avis_in_force(seance_day))
            problems.add(name, row, AVIS, f"avis inconnu « {avis_text} » ; avis possibles : {choices}")
            continue
        content.decisions.append(
            DecisionInput(inscription_id, menage, avis.code, _text(cell(values, AVIS_TEXTE)), reexamen, tuple(precos))
        )


def _read_precos(
    values: tuple[Any, ...],
    headers: Mapping[str, int],
    row: int,
    seance_day: date,
    referentiel: Referentiel,
    problems: _Problems,
) -> list[PrecoInput]:
    found: list[PrecoInput] = []
    for slot in range(1, SLOTS + 1):
        kind_header, text_header, due_header = preco_headers(slot)
        if kind_header not in headers:
            continue

        def at(header: str) -> Any:
            index = headers.get(header)
            return values[index] if index is not None and index < len(values) else None

        kind = _text(at(kind_header))
        texte = _text(at(text_header))
        due = _date(at(due_header), DECISIONS_SHEET, row, due_header, problems)
        if kind is None:
            if texte or due:
                problems.add(DECISIONS_SHEET, row, kind_header, "type de préconisation manquant")
            continue
        item = referentiel.find_preconisation(kind, seance_day)
        if item is None:
            problems.add(
                DECISIONS_SHEET, row, kind_header, f"préconisation inconnue « {kind} » (choisissez-la dans la liste)"
            )
            continue
        if due is not None and due < seance_day:
            problems.add(DECISIONS_SHEET, row, due_header, f"échéance ({format_date_fr(due)}) antérieure à la séance")
        found.append(PrecoInput(slot, item.code, item.destinataire, texte, due))
    return found


def _read_suivi(sheet: Any, problems: _Problems, content: SheetContent) -> None:
    headers = _headers(sheet)
    if SUIVI_REFERENCE not in headers or SUIVI_STATUT not in headers:
        return
    for row, values in _rows(sheet):
        reference = _text(values[headers[SUIVI_REFERENCE]]) or ""
        if not reference:
            continue  # the « nothing to follow » line
        preco = parse_suivi_reference(reference)
        if preco is None:
            problems.add(SUIVI_SHEET, row, SUIVI_REFERENCE, f"référence « {reference} » illisible")
            continue
        statut_text = _text(values[headers[SUIVI_STATUT]] if headers[SUIVI_STATUT] < len(values) else None)
        statut = statut_code(statut_text or "")
        if statut is None:
            problems.add(
                SUIVI_SHEET, row, SUIVI_STATUT, f"statut inconnu « {statut_text or ''} » ; statuts possibles : "
                + ", ".join(STATUTS.values())
            )  # fmt: skip
            continue
        note_index = headers.get(SUIVI_NOTE)
        note = _text(values[note_index]) if note_index is not None and note_index < len(values) else None
        content.statuts.append(StatutInput(preco, statut, note))
