"""The diagnostic as an Excel workbook: one sheet per family of indicators, each table followed by
its native chart (bars for stages, stacked bars for flows, lines for months), and a « Méthode » sheet.

Numbers are real numbers with French formats; a masked value is the text « < 5 » or « secret »
(a chart leaves it out). Written atomically, readable by its owner only.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from ..normalize.dates import format_date_fr
from ..outputs import neutralise, private_output
from .assemble import period_label
from .charts import drawable
from .model import Chart, Diagnostic, Grid, Section, Value

_FORMATS = {
    "effectif": "#,##0",
    "taux": "0.0 %",
    "jours": '0" j"',
    "euros": '#,##0" €"',
    "evolution": "+0.0 %;-0.0 %;0.0 %",
}
_CHART_ROWS = 16  # rows a chart covers (7.5 cm at the default row height)
NAVY = "1F3864"


def write_workbook(diagnostic: Diagnostic, path: Path) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    for blank in list(workbook.worksheets):  # the default empty sheet
        workbook.remove(blank)
    for section in diagnostic.sections:
        _section_sheet(workbook.create_sheet(section.sheet), section, diagnostic)
    _method_sheet(workbook.create_sheet("Méthode"), diagnostic)
    properties = workbook.properties
    properties.title = "Diagnostic territorial de la prévention des expulsions"
    properties.creator = "exploc"
    with private_output(path, mode="wb") as handle:
        workbook.save(handle)


def _section_sheet(sheet: Any, section: Section, diagnostic: Diagnostic) -> None:
    from openpyxl.styles import Font

    sheet.column_dimensions["A"].width = 46
    for letter in "BCDEFGHIJKLMNOP":
        sheet.column_dimensions[letter].width = 15
    sheet["A1"] = neutralise(section.title)
    sheet["A1"].font = Font(bold=True, size=14, color=NAVY)
    sheet["A2"] = neutralise(section.intro)
    scope = f"Période {period_label(diagnostic.period)} — {diagnostic.level_label}"
    sheet["A3"] = neutralise(f"{scope} — secret statistique : seuil {diagnostic.threshold} (voir la feuille Méthode)")
    sheet["A3"].font = Font(italic=True, color="7F7F7F")
    row = 5
    for grid in section.grids:
        end = _write_grid(sheet, grid, row)
        chart_end = row
        if grid.chart is not None and drawable(grid, grid.chart):
            _add_chart(sheet, grid, grid.chart, row, len(grid.columns) + 3)
            chart_end = row + _CHART_ROWS
        row = max(end, chart_end) + 2
    sheet.freeze_panes = "A4"
    _printable(sheet)


def _printable(sheet: Any) -> None:
    """Landscape, one page wide: a printed sheet keeps each table beside its chart."""
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0


def _write_grid(sheet: Any, grid: Grid, top: int) -> int:
    """Write ``grid`` from row ``top`` (title, header, rows); return the last row used."""
    from openpyxl.styles import Alignment, Font, PatternFill

    header_fill = PatternFill("solid", fgColor="D9E2F3")
    total_fill = PatternFill("solid", fgColor="EEF2F8")
    sheet.cell(top, 1, neutralise(grid.title)).font = Font(bold=True, size=11, color=NAVY)
    header = top + 1
    for column, title in enumerate((grid.corner, *grid.columns), start=1):
        cell = sheet.cell(header, column, neutralise(title))
        cell.font, cell.fill = Font(bold=True), header_fill
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="left" if column == 1 else "center")
    if not grid.rows:
        sheet.cell(header + 1, 1, "Aucune donnée pour la période.").font = Font(italic=True)
        return header + 1
    first_total = len(grid.rows) - grid.total_rows
    for index, (label, values) in enumerate(grid.rows):
        row = header + 1 + index
        label_cell = sheet.cell(row, 1, neutralise(label))
        total = index >= first_total
        if total:
            label_cell.font, label_cell.fill = Font(bold=True), total_fill
        for column, value in enumerate(values, start=2):
            cell = sheet.cell(row, column)
            _put(cell, value)
            if total:
                cell.font, cell.fill = Font(bold=True, italic=value.masked), total_fill
    last = header + len(grid.rows)
    if grid.note:
        sheet.cell(last + 1, 1, neutralise(grid.note)).font = Font(italic=True, color="7F7F7F")
        last += 1
    return last


def _put(cell: Any, value: Value) -> None:
    from openpyxl.styles import Alignment, Font

    cell.alignment = Alignment(horizontal="right")
    if value.kind == "texte":
        cell.value = neutralise(value.text_value)
        return
    if value.masked:
        cell.value = value.text()
        cell.font = Font(italic=True, color="7F7F7F")
        return
    number = value.number
    if number is None:
        cell.value = "—"
        return
    if value.kind == "euros":
        number = round(number / 100)
    elif value.kind in ("effectif", "jours"):
        number = int(round(number))
    cell.value = number
    cell.number_format = _FORMATS[value.kind]


def _add_chart(sheet: Any, grid: Grid, chart: Chart, top: int, column: int) -> None:
    from openpyxl.chart import BarChart, LineChart, Reference
    from openpyxl.utils import get_column_letter

    header = top + 1
    first, last = header + 1, header + len(grid.body)
    if chart.kind == "lignes":
        drawn: Any = LineChart()
    else:
        drawn = BarChart()
        drawn.type = "col"
        if chart.kind == "barres_empilees":
            drawn.grouping, drawn.overlap = "stacked", 100
    drawn.title = chart.title
    drawn.y_axis.title = chart.y_title
    drawn.x_axis.delete = False
    drawn.y_axis.delete = False
    drawn.height, drawn.width = 7.5, 17
    if chart.orientation == "rows":
        for series in chart.series:
            data_column = 2 + (series if series >= 0 else len(grid.columns) + series)
            drawn.add_data(Reference(sheet, min_col=data_column, min_row=header, max_row=last), titles_from_data=True)
        drawn.set_categories(Reference(sheet, min_col=1, min_row=first, max_row=last))
        kinds = {grid.body[0][1][s].kind for s in chart.series} if grid.body else set()
    else:
        columns = [index for index, title in enumerate(grid.columns) if title != "Total"]
        end = 2 + max(columns)
        for series in chart.series:
            row = header + 1 + (series if series >= 0 else len(grid.rows) + series)
            drawn.add_data(Reference(sheet, min_col=1, max_col=end, min_row=row), from_rows=True, titles_from_data=True)
        drawn.set_categories(Reference(sheet, min_col=2, max_col=end, min_row=header))
        kinds = {grid.rows[s][1][0].kind for s in chart.series}
    if chart.kind == "lignes":
        for series in drawn.series:
            series.smooth = False  # straight segments: a month is a month
    if kinds == {"taux"}:
        drawn.y_axis.number_format = "0 %"
    if len(chart.series) == 1:
        drawn.legend = None
    else:
        drawn.legend.position = "b"
    sheet.add_chart(drawn, f"{get_column_letter(column)}{top}")


def _method_sheet(sheet: Any, diagnostic: Diagnostic) -> None:
    from openpyxl.styles import Alignment, Font

    sheet.column_dimensions["A"].width = 40
    sheet.column_dimensions["B"].width = 110
    sheet["A1"] = "Méthode"
    sheet["A1"].font = Font(bold=True, size=14, color=NAVY)
    rows: list[tuple[str, str]] = [
        ("Période", period_label(diagnostic.period)),
        ("Comparaison", period_label(diagnostic.comparison) if diagnostic.comparison else "aucune"),
        ("Territoire", diagnostic.level_label),
        ("Seuil du secret statistique", str(diagnostic.threshold)),
        ("Données au", format_date_fr(diagnostic.horizon)),
        ("Document établi le", format_date_fr(diagnostic.generated)),
    ]
    line = 3
    for label, text in rows:
        sheet.cell(line, 1, label).font = Font(bold=True)
        sheet.cell(line, 2, neutralise(text))
        line += 1
    for heading, items in (
        ("Secret statistique et couverture", [("", note) for note in diagnostic.notes]),
        ("Définition des indicateurs", list(diagnostic.method)),
    ):
        line += 1
        sheet.cell(line, 1, heading).font = Font(bold=True, size=12, color=NAVY)
        line += 1
        for title, text in items:
            sheet.cell(line, 1, neutralise(title)).font = Font(bold=True)
            cell = sheet.cell(line, 2, neutralise(text))
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            sheet.row_dimensions[line].height = 15 * max(1, len(text) // 95 + 1)
            line += 1
    _printable(sheet)
