"""What a diagnostic produces, independent of the file it is written to: sections of tables (already
protected by the statistical secrecy), each table with an optional chart, headline figures and the
method. The workbook and the Word documents only lay these out.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from ..normalize.amounts import format_centimes_fr
from .fold import Period
from .secrecy import PRIMARY, SECONDARY, SHOWN, ProtectedGrid, protect

Kind = Literal["effectif", "taux", "jours", "euros", "evolution", "texte"]
SECRET = "secret"
NBSP = "\u00a0"


@dataclass(frozen=True)
class Value:
    """One displayed value: a number of its kind, or a masked one (``state``: ``SHOWN``, ``PRIMARY``
    for a count below the threshold, shown « < 5 », ``SECONDARY`` for any other masked value)."""

    number: int | float | None
    kind: Kind = "effectif"
    state: int = SHOWN
    threshold: int = 5
    text_value: str = ""

    @property
    def masked(self) -> bool:
        return self.state != SHOWN

    @property
    def shown_number(self) -> int | float | None:
        return None if self.masked else self.number

    def text(self) -> str:
        """The value in French (« 1 234 », « 45,2 % », « 32 j », « 2 345 € », « < 5 », « secret »)."""
        if self.kind == "texte":
            return self.text_value
        if self.state == PRIMARY:
            return f"< {self.threshold}"
        if self.state == SECONDARY:
            return SECRET
        number = self.number
        if number is None:
            return "—"
        if self.kind == "taux":
            return f"{number * 100:.1f}".replace(".", ",") + f"{NBSP}%"
        if self.kind == "evolution":
            sign = "+" if number > 0 else ""
            return sign + f"{number * 100:.1f}".replace(".", ",") + f"{NBSP}%"
        if self.kind == "jours":
            return f"{round(number)}{NBSP}j"
        if self.kind == "euros":
            return format_centimes_fr(int(round(number))).split(",")[0] + f"{NBSP}€"
        return f"{int(number):,}".replace(",", NBSP)


@dataclass(frozen=True)
class Chart:
    """A chart of a table: ``rows`` charts each column of ``series`` across the rows (categories =
    row labels, total rows left out); ``columns`` charts the rows of ``series`` across the columns."""

    kind: Literal["barres", "barres_empilees", "lignes"]
    title: str
    series: tuple[int, ...]
    orientation: Literal["rows", "columns"] = "rows"
    y_title: str = "Ménages"


@dataclass(frozen=True)
class Grid:
    """A displayed table: row labels, column titles, values; the last ``total_rows`` rows are totals."""

    code: str
    title: str
    corner: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, tuple[Value, ...]], ...]
    total_rows: int = 0
    chart: Chart | None = None
    note: str = ""
    protected: ProtectedGrid | None = field(default=None, compare=False, repr=False)
    detail: bool = False  # in the workbook only, not in the Word report

    @property
    def body(self) -> tuple[tuple[str, tuple[Value, ...]], ...]:
        return self.rows[: len(self.rows) - self.total_rows]

    def value(self, row: int, column: int) -> Value:
        return self.rows[row][1][column]

    def select(self, columns: Sequence[int]) -> Grid:
        """The same table with only ``columns`` (for a narrower page), its chart following them."""
        chart = self.chart
        if chart is not None and chart.orientation == "rows":
            series = tuple(columns.index(s) for s in chart.series if s in columns)
            chart = Chart(chart.kind, chart.title, series, chart.orientation, chart.y_title) if series else None
        return Grid(
            self.code,
            self.title,
            self.corner,
            tuple(self.columns[c] for c in columns),
            tuple((label, tuple(values[c] for c in columns)) for label, values in self.rows),
            self.total_rows,
            chart,
            self.note,
        )


@dataclass(frozen=True)
class Section:
    """A family of indicators: one sheet of the workbook, one chapter of the report."""

    code: str
    sheet: str
    title: str
    intro: str
    grids: tuple[Grid, ...]


@dataclass(frozen=True)
class Headline:
    label: str
    value: Value
    previous: Value | None = None

    @property
    def evolution(self) -> Value | None:
        return evolution(self.value, self.previous)


def evolution(current: Value, previous: Value | None) -> Value | None:
    if previous is None:
        return None
    if current.masked or previous.masked or current.number is None or previous.number is None:
        return Value(None, "evolution", SECONDARY if (current.masked or previous.masked) else SHOWN)
    if not previous.number:
        return Value(None, "evolution")
    return Value((current.number - previous.number) / previous.number, "evolution")


@dataclass(frozen=True)
class Diagnostic:
    """A complete diagnostic: what the workbook and the reports show."""

    period: Period
    comparison: Period | None
    level: str
    level_label: str
    threshold: int
    generated: date
    horizon: date
    sections: tuple[Section, ...]
    headlines: tuple[Headline, ...]
    method: tuple[tuple[str, str], ...]  # (title, definition) of each indicator used
    notes: tuple[str, ...]  # coverage and secrecy statements
    households: int
    masked: tuple[int, int]  # primary, secondary cells

    @property
    def tables(self) -> int:
        return sum(len(section.grids) for section in self.sections)


def count_grid(
    code: str,
    title: str,
    corner: str,
    row_labels: Sequence[str],
    column_labels: Sequence[str],
    matrix: Sequence[Sequence[int]],
    threshold: int,
    *,
    row_totals: bool,
    col_totals: bool,
    chart: Chart | None = None,
    note: str = "",
    total: str = "Total",
    forced: Collection[tuple[int, int]] = (),
) -> Grid:
    """A protected count table with its « Total » column (``row_totals``) and row (``col_totals``)."""
    if not row_labels:
        return Grid(code, title, corner, tuple(column_labels) + ((total,) if row_totals else ()), (), 0, chart, note)
    protected = protect(matrix, threshold, row_totals=row_totals, col_totals=col_totals, forced=forced)
    labels = list(row_labels) + ([total] if col_totals else [])
    rows = tuple(
        (label, tuple(Value(v, "effectif", s, threshold) for v, s in zip(values, states, strict=True)))
        for label, values, states in zip(labels, protected.values, protected.status, strict=True)
    )
    columns = tuple(column_labels) + ((total,) if row_totals else ())
    return Grid(code, title, corner, columns, rows, 1 if col_totals else 0, chart, note, protected)


def rate(numerator: Value, denominator: Value, threshold: int) -> Value:
    """numerator / denominator, masked when either count is masked or the denominator is below the threshold."""
    if numerator.masked or denominator.masked or (denominator.number or 0) and denominator.number < threshold:
        return Value(None, "taux", SECONDARY, threshold)
    if not denominator.number:
        return Value(None, "taux", SHOWN, threshold)
    return Value((numerator.number or 0) / denominator.number, "taux", SHOWN, threshold)


def sum_values(values: Sequence[Value], threshold: int) -> Value:
    """The sum of counts shown together (masked when any is)."""
    if any(v.masked for v in values):
        return Value(None, "effectif", SECONDARY, threshold)
    return Value(sum(int(v.number or 0) for v in values), "effectif", SHOWN, threshold)


def add_columns(grid: Grid, titles: Sequence[str], columns: Sequence[Sequence[Value]]) -> Grid:
    """``grid`` with more columns (one list of values per column, one value per row)."""
    rows = tuple(
        (label, values + tuple(column[index] for column in columns)) for index, (label, values) in enumerate(grid.rows)
    )
    return Grid(grid.code, grid.title, grid.corner, grid.columns + tuple(titles), rows, grid.total_rows, grid.chart,
                grid.note, grid.protected)  # fmt: skip


def quantile(values: Sequence[int | float], q: float) -> float:
    """The ``q`` quantile by the nearest-rank method on sorted values (the median of 1, 2, 3, 4 is 2)."""
    ordered = sorted(values)
    return float(ordered[max(0, math.ceil(q * len(ordered)) - 1)])


def statistic(values: Sequence[int | float], q: float, kind: Kind, threshold: int, count: Value | None = None) -> Value:
    """A median or decile of ``values``, masked when fewer than ``threshold`` values (or their count is masked)."""
    if not values:
        return Value(None, kind, SHOWN, threshold)
    if len(values) < threshold or (count is not None and count.masked):
        return Value(None, kind, SECONDARY, threshold)
    return Value(quantile(values, q), kind, SHOWN, threshold)
