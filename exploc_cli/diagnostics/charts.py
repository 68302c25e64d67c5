"""Charts of the Word documents, drawn with matplotlib (Agg, no display) as PNG images.

matplotlib is imported here only, when a .docx is produced: the command line starts without it.
A masked value is not drawn: its bar is left empty and labelled « < 5 » or « secret ».
"""

from __future__ import annotations

import io
import math
from typing import Any

from .model import Chart, Grid, Value

_COLOURS = ("#1F3864", "#8EA9DB", "#C55A11", "#70AD47", "#7F7F7F", "#FFC000", "#5B9BD5", "#A5A5A5")


def _number(value: Value) -> float:
    if value.masked or value.number is None or value.kind == "texte":
        return math.nan
    if value.kind == "euros":
        return value.number / 100
    if value.kind in ("taux", "evolution"):
        return value.number * 100
    return float(value.number)


def chart_data(grid: Grid, chart: Chart) -> tuple[list[str], list[tuple[str, list[Value]]]]:
    """Categories and series (name, values) of ``chart`` drawn from ``grid`` (total rows left out)."""
    if chart.orientation == "rows":
        categories = [label for label, _ in grid.body]
        series = []
        for index in chart.series:
            column = index if index >= 0 else len(grid.columns) + index
            series.append((grid.columns[column], [values[column] for _, values in grid.body]))
        return categories, series
    columns = [index for index, title in enumerate(grid.columns) if title != "Total"]
    categories = [grid.columns[index] for index in columns]
    series = []
    for index in chart.series:
        label, values = grid.rows[index if index >= 0 else len(grid.rows) + index]
        series.append((label, [values[c] for c in columns]))
    return categories, series


def drawable(grid: Grid, chart: Chart) -> bool:
    """Whether the chart has at least one value to draw (every value masked: no chart)."""
    if not grid.body:
        return False
    _, series = chart_data(grid, chart)
    return any(not math.isnan(_number(value)) for _, values in series for value in values)


def render_png(grid: Grid, chart: Chart, *, width_cm: float = 16.0, height_cm: float = 7.5) -> bytes:
    """The chart as a PNG image (150 dpi)."""
    import matplotlib

    matplotlib.use("Agg", force=True)
    from matplotlib import pyplot
    from matplotlib.ticker import FuncFormatter

    categories, series = chart_data(grid, chart)
    figure, axes = pyplot.subplots(figsize=(width_cm / 2.54, height_cm / 2.54), dpi=150)
    try:
        positions = list(range(len(categories)))
        percent = all(v.kind in ("taux", "evolution") for _, values in series for v in values if not v.masked)
        if chart.kind == "lignes":
            for index, (name, values) in enumerate(series):
                axes.plot(positions, [_number(v) for v in values], marker="o", markersize=3, linewidth=1.5,
                          color=_COLOURS[index % len(_COLOURS)], label=_short(name, 30))  # fmt: skip
        else:
            _bars(axes, positions, series, stacked=chart.kind == "barres_empilees")
        axes.set_title(chart.title, fontsize=9, color="#1F3864", loc="left")
        axes.set_ylabel("Part (%)" if percent else chart.y_title, fontsize=8)
        axes.set_xticks(positions)
        rotate = len(categories) > 6 or max((len(c) for c in categories), default=0) > 14
        axes.set_xticklabels([_short(c, 28) for c in categories], fontsize=7, rotation=35 if rotate else 0,
                             ha="right" if rotate else "center")  # fmt: skip
        axes.tick_params(axis="y", labelsize=7)
        drawn = [_number(v) for _, values in series for v in values if not math.isnan(_number(v))]
        if drawn and max(drawn) > 0:
            axes.set_ylim(bottom=min(0.0, min(drawn)))  # from zero
        else:
            axes.set_ylim(0.0, 10.0)  # every value is zero: a flat axis upwards
        axes.yaxis.set_major_formatter(FuncFormatter(lambda y, _: f"{y:,.0f}".replace(",", "\u202f")))
        axes.spines[["top", "right"]].set_visible(False)
        axes.grid(axis="y", color="#D9D9D9", linewidth=0.5)
        axes.set_axisbelow(True)
        if len(series) > 1:
            axes.legend(fontsize=7, loc="upper right", framealpha=0.85, ncol=min(len(series), 3))
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png")
        return buffer.getvalue()
    finally:
        pyplot.close(figure)


def _bars(axes: Any, positions: list[int], series: list[tuple[str, list[Value]]], *, stacked: bool) -> None:
    count = len(series)
    width = 0.8 if stacked or count == 1 else 0.8 / count
    bottoms = [0.0] * len(positions)
    tallest = max((_number(v) for _, values in series for v in values if not math.isnan(_number(v))), default=0.0)
    for index, (name, values) in enumerate(series):
        numbers = [_number(v) for v in values]
        shifted = positions if stacked or count == 1 else [p - 0.4 + width * (index + 0.5) for p in positions]
        drawn = [0.0 if math.isnan(n) else n for n in numbers]
        axes.bar(shifted, drawn, width=width, bottom=bottoms if stacked else None,
                 color=_COLOURS[index % len(_COLOURS)], label=_short(name, 30))  # fmt: skip
        for x, value, number in zip(shifted, values, numbers, strict=True):
            if math.isnan(number) and value.masked:
                axes.text(x, max(tallest, 1) * 0.01, value.text(), ha="center", va="bottom", fontsize=6,
                          color="#7F7F7F", rotation=90)  # fmt: skip
        if stacked:
            bottoms = [b + d for b, d in zip(bottoms, drawn, strict=True)]


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
