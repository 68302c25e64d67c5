"""The diagnostic as a Word report, from the docxtpl template ``templates_docx/diagnostic.docx``:
headline figures, each family of indicators with its charts (images drawn by matplotlib) and its
tables, then the method. The same helpers fill the annual report (``bilan``).

The template (or a secretary's edited copy) is filled by ``documents.render`` (autoescape, unknown
field = error); its tables whose columns vary carry the caption « grille » and are widened to the
page afterwards.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

from ..config import Settings
from ..documents.render import TemplateError, fill_loaded, load_template, quote_problems, template_path
from ..normalize.dates import format_date_fr
from ..outputs import private_output
from .assemble import period_label
from .charts import drawable
from .indicators import CHAIN, SHORT_LABELS, STAGE_LABELS, STAGES
from .model import Chart, Diagnostic, Grid, Section

MAX_WORD_COLUMNS = 7
TEXT_WIDTH_MM = 170
GRID_CAPTION = "grille"


class Images:
    """Turns charts into docxtpl images of the template being filled."""

    def __init__(self, template: Any) -> None:
        self.template = template

    def chart(self, grid: Grid, chart: Chart) -> Any:
        from docx.shared import Mm
        from docxtpl import InlineImage

        from .charts import render_png

        return InlineImage(self.template, io.BytesIO(render_png(grid, chart)), width=Mm(160))


def organisme(settings: Settings) -> dict[str, str]:
    ccapex = settings.ccapex
    return {
        "nom": ccapex.nom,
        "adresse": ccapex.adresse,
        "telephone": ccapex.telephone,
        "courriel": ccapex.courriel,
        "signataire": ccapex.signataire,
    }


def word_grids(grid: Grid) -> list[Grid]:
    """The table as the report shows it: the chain's stages only where all stages do not fit, other
    wide tables cut into parts of equal width (every column is shown); none for a detail table."""
    if grid.detail:
        return []
    if len(grid.columns) <= MAX_WORD_COLUMNS:
        return [grid]
    labels = list(STAGE_LABELS.values())
    if list(grid.columns[: len(labels)]) == labels:
        chain = grid.select([STAGES.index(code) for code in CHAIN])
        return [replace(chain, columns=tuple(SHORT_LABELS[code] for code in CHAIN))]
    parts = -(-len(grid.columns) // MAX_WORD_COLUMNS)
    width = -(-len(grid.columns) // parts)
    return [
        replace(grid.select(list(range(start, min(start + width, len(grid.columns))))), chart=None,
                title=grid.title if start == 0 else f"{grid.title} (suite)")
        for start in range(0, len(grid.columns), width)
    ]  # fmt: skip


def grid_context(grid: Grid, images: Images | None = None, *, drawn: Grid | None = None) -> dict[str, Any]:
    """A table as the templates loop over it; ``graphique`` is its chart image ("" without one),
    drawn from ``drawn`` when given (the whole table a part of it was cut from)."""
    whole = drawn or grid
    first_total = len(grid.rows) - grid.total_rows
    chart = whole.chart if whole.chart is not None and images is not None and drawable(whole, whole.chart) else None
    return {
        "titre": grid.title,
        "entete": grid.corner,
        "colonnes": list(grid.columns),
        "lignes": [
            {"libelle": label, "valeurs": [value.text() for value in values], "total": index >= first_total}
            for index, (label, values) in enumerate(grid.rows)
        ],
        "note": grid.note,
        "graphique": images.chart(whole, chart) if images is not None and chart is not None else "",
        "legende": chart.title if chart is not None else "",
    }


def section_context(section: Section, images: Images | None) -> dict[str, Any]:
    tables = []
    for grid in section.grids:
        parts = word_grids(grid)
        for index, part in enumerate(parts):  # the whole table's chart under its title, as for any table
            first = index == 0
            tables.append(
                grid_context(part, images if first else None, drawn=grid if first and len(parts) > 1 else None)
            )
    return {"titre": section.title, "introduction": section.intro, "tableaux": tables}


def method_context(diagnostic: Diagnostic) -> dict[str, Any]:
    return {
        "definitions": [{"libelle": title, "texte": text} for title, text in diagnostic.method],
        "secret": list(diagnostic.notes),
    }


def common_context(diagnostic: Diagnostic, settings: Settings, images: Images | None) -> dict[str, Any]:
    """What both reports show first: who, when, what territory, the headline figures and their chart."""
    synthese = next(section for section in diagnostic.sections if section.code == "synthese")
    return {
        "organisme": organisme(settings),
        "territoire": diagnostic.level_label,
        "seuil": str(diagnostic.threshold),
        "genere_le": format_date_fr(diagnostic.generated),
        "donnees_au": format_date_fr(diagnostic.horizon),
        "chiffres": grid_context(synthese.grids[0]),
        "etapes": grid_context(synthese.grids[1], images),
        "methode": method_context(diagnostic),
    }


def diagnostic_context(diagnostic: Diagnostic, settings: Settings, images: Images | None) -> dict[str, Any]:
    return {
        **common_context(diagnostic, settings, images),
        "periode": period_label(diagnostic.period),
        "comparaison": period_label(diagnostic.comparison) if diagnostic.comparison else "",
        "sections": [section_context(s, images) for s in diagnostic.sections if s.code != "synthese"],
    }


def write_report(
    name: str,
    build: Callable[[Images], Mapping[str, Any]],
    destination: Path,
    config_dir: Path | None,
) -> None:
    """Fill template ``name`` with the context ``build`` makes (given the images' maker), atomically, 0600."""
    path = template_path(name, config_dir)
    template = load_template(path)
    problems = quote_problems(path)
    if problems:
        raise TemplateError(path, problems, "guillemets")
    content = fit_tables(fill_loaded(template, path, build(Images(template))))
    with private_output(destination, mode="wb") as handle:
        handle.write(content)


def fit_tables(content: bytes) -> bytes:
    """Widen the tables captioned « grille » to the page: a label column, equal value columns."""
    from docx import Document
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm

    document = Document(io.BytesIO(content))
    changed = False
    for table in document.tables:
        caption = table._tbl.tblPr.find(qn("w:tblCaption"))
        if caption is None or caption.get(qn("w:val")) != GRID_CAPTION:
            continue
        width = max((len(row.cells) for row in table.rows), default=1)
        values = max(width - 1, 1)
        label = Mm(80 if values <= 2 else 45)
        value = Mm((TEXT_WIDTH_MM - (80 if values <= 2 else 45)) / values)
        grid = table._tbl.tblGrid
        for column in list(grid):
            grid.remove(column)
        for index in range(width):
            column = OxmlElement("w:gridCol")
            column.set(qn("w:w"), str((label if index == 0 else value).twips))
            grid.append(column)
        for row in table.rows:
            for index, cell in enumerate(row._tr.tc_lst):
                span = cell.tcPr.find(qn("w:gridSpan")) if cell.tcPr is not None else None
                if span is None:
                    cell.width = label if index == 0 else value
        changed = True
    if not changed:
        return content
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
