"""Writing the decision sheet: one row per ménage of the session, drop-down lists for the avis,
the préconisation types in force on the session's date and the follow-up statuses."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from ..normalize.dates import format_date_fr
from ..outputs import DATE_FORMAT, EURO_FORMAT, neutralise, private_output
from .overview import SessionOverview
from .referentiel import STATUTS, Referentiel
from .sheet_layout import (
    AVIS,
    DECISION_HEADERS,
    DECISIONS_SHEET,
    HELP_SHEET,
    LISTS_SHEET,
    REEXAMEN,
    SLOTS,
    SUIVI_HEADERS,
    SUIVI_SHEET,
    SUIVI_STATUT,
    decision_reference,
    preco_headers,
    suivi_reference,
)

_WIDTHS = {"Titulaire": 30, "Motif d'inscription": 36, "Texte de l'avis": 40, "Avis": 34, "Commune": 20}
_HELP = (
    "Feuille de décisions de la séance : une ligne par ménage inscrit à l'ordre du jour.",
    "",
    "1. Onglet « Décisions » : choisissez l'avis dans la liste déroulante, écrivez le texte de l'avis, "
    "la date de réexamen (JJ/MM/AAAA) s'il y a lieu, puis jusqu'à 4 préconisations (type dans la liste, "
    "précision libre, échéance JJ/MM/AAAA).",
    "2. Onglet « Suivi » : mettez à jour le statut des préconisations des séances précédentes.",
    "3. Enregistrez le fichier (format .xlsx), puis : exploc seances decisions <SÉANCE> --fichier <FICHIER>.",
    "",
    "Vous pouvez trier, filtrer et déplacer les colonnes : la colonne « Référence », masquée, relie chaque "
    "ligne à son ménage. Ne la modifiez pas et ne renommez pas les en-têtes.",
    "Une ligne sans avis ni préconisation est laissée sans décision. Relire le fichier une seconde fois "
    "remplace les décisions déjà enregistrées pour les lignes remplies, sans rien ajouter en double.",
    "",
    "Document confidentiel — secret professionnel (code pénal, art. 226-13).",
)


def _day(value: date | None) -> datetime | None:
    return datetime.combine(value, time()) if value else None


def write_decision_sheet(path: Path, overview: SessionOverview, referentiel: Referentiel) -> int:
    """Write the sheet (owner-only, atomic); returns the number of ménages."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    seance = overview.seance
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = DECISIONS_SHEET
    lists = workbook.create_sheet(LISTS_SHEET)
    avis_labels = [a.libelle for a in referentiel.avis_in_force(seance.date)]
    preco_labels = [referentiel.preconisation_label(p.code) for p in referentiel.preconisations_in_force(seance.date)]
    statut_labels = list(STATUTS.values())
    for column, values in enumerate((avis_labels, preco_labels, statut_labels), start=1):
        lists.cell(row=1, column=column, value=("Avis", "Préconisations", "Statuts")[column - 1])
        for number, value in enumerate(values, start=2):
            lists.cell(row=number, column=column, value=value)
    lists.sheet_state = "hidden"

    _header_row(sheet, DECISION_HEADERS)
    for line in overview.lines:
        inscription = line.inscription
        row: list[Any] = [
            decision_reference(seance.id, inscription.id, line.parcours.menage_id),
            inscription.rang,
            line.parcours.menage_id,
            neutralise(line.titulaire),
            neutralise(line.parcours.timeline.household.commune or ""),
            line.stage_label,
            round(line.last_debt / 100, 2) if line.last_debt is not None else None,
            neutralise(inscription.motif),
            referentiel.avis_label(inscription.avis) if inscription.avis else None,
            neutralise(inscription.avis_texte or ""),
            _day(inscription.reexamen),
        ]
        precos = {p.numero: p for p in line.preconisations}
        for slot in range(1, SLOTS + 1):
            preco = precos.get(slot)
            row += (
                [referentiel.preconisation_label(preco.type), neutralise(preco.texte or ""), _day(preco.echeance)]
                if preco
                else [None, None, None]
            )
        sheet.append(row)
    count = len(overview.lines)
    last = max(count + 1, 2)
    headers = {name: index for index, name in enumerate(DECISION_HEADERS, start=1)}
    _validate(sheet, f"{LISTS_SHEET}!$A$2:$A${len(avis_labels) + 1}", headers[AVIS], last)
    for slot in range(1, SLOTS + 1):
        kind, _, due = preco_headers(slot)
        _validate(sheet, f"{LISTS_SHEET}!$B$2:$B${len(preco_labels) + 1}", headers[kind], last)
        _date_format(sheet, headers[due], last)
    _date_format(sheet, headers[REEXAMEN], last)
    for row_cells in sheet.iter_rows(min_row=2, max_row=last, min_col=7, max_col=7):
        for cell in row_cells:
            cell.number_format = EURO_FORMAT
    for index, name in enumerate(DECISION_HEADERS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = _WIDTHS.get(name, 14)
    sheet.column_dimensions["A"].hidden = True
    sheet.freeze_panes = "D2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(DECISION_HEADERS))}{last}"

    _write_suivi(workbook, overview, referentiel, len(statut_labels))
    help_sheet = workbook.create_sheet(HELP_SHEET)
    help_sheet.append([f"{seance.title} — séance n° {seance.id} — feuille générée le {format_date_fr(date.today())}"])
    help_sheet["A1"].font = Font(bold=True)
    for text in _HELP:
        help_sheet.append([text])
    help_sheet.column_dimensions["A"].width = 120
    with private_output(path, mode="wb") as handle:
        workbook.save(handle)
    return count


def _validate(sheet: Any, formula: str, column: int, last: int) -> None:
    """A drop-down list (from the hidden « Listes » sheet) on a column, for the rows and 200 more."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    validation = DataValidation(type="list", formula1=f"={formula}", allow_blank=True)
    validation.error = "Choisissez une valeur de la liste."
    validation.errorTitle = "Valeur non prévue"
    validation.showErrorMessage = True
    letter = get_column_letter(column)
    validation.add(f"{letter}2:{letter}{last + 200}")
    sheet.add_data_validation(validation)


def _date_format(sheet: Any, column: int, last: int) -> None:
    for row_cells in sheet.iter_rows(min_row=2, max_row=last, min_col=column, max_col=column):
        for cell in row_cells:
            cell.number_format = DATE_FORMAT


def _header_row(sheet: Any, headers: Sequence[str]) -> None:
    """The bold, tinted first row of a sheet."""
    from openpyxl.styles import Alignment, Font, PatternFill

    sheet.append(list(headers))
    for cell in sheet[1]:
        cell.font, cell.fill = Font(bold=True), PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(wrap_text=True, vertical="top")


def _write_suivi(workbook: Any, overview: SessionOverview, referentiel: Referentiel, statuts: int) -> None:
    """The « Suivi » sheet: the earlier préconisations of the session's ménages, with a status list."""
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(SUIVI_SHEET, 1)
    _header_row(sheet, SUIVI_HEADERS)
    rows = 0
    for line in overview.lines:
        for preco in line.earlier_preconisations:
            sheet.append(
                [
                    suivi_reference(preco.id),
                    line.parcours.menage_id,
                    neutralise(line.titulaire),
                    f"{preco.seance_instance} du {format_date_fr(preco.seance_date)}" if preco.seance_date else "",
                    referentiel.destinataire_label(preco.destinataire),
                    referentiel.preconisation_label(preco.type),
                    neutralise(preco.texte or ""),
                    _day(preco.echeance),
                    STATUTS.get(preco.statut, preco.statut),
                    neutralise(preco.statut_note or ""),
                ]
            )
            rows += 1
    last = max(rows + 1, 2)
    statut_column = SUIVI_HEADERS.index(SUIVI_STATUT) + 1
    _validate(sheet, f"{LISTS_SHEET}!$C$2:$C${statuts + 1}", statut_column, last)
    _date_format(sheet, SUIVI_HEADERS.index("Échéance") + 1, last)
    for index, name in enumerate(SUIVI_HEADERS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = _WIDTHS.get(name, 18 if index > 3 else 14)
    sheet.column_dimensions["A"].hidden = True
    sheet.freeze_panes = "D2"
    if rows == 0:
        sheet.cell(row=2, column=2, value="Aucune préconisation antérieure pour les ménages de cette séance.")
