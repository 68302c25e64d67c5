"""Statistical secrecy of a count table: primary suppression, then secondary suppression until no
masked cell can be worked out from the table and its margins.

A table is a grid of counts (households, signalements…) with its margins: a « Total » column when
the columns split the population (``row_totals``), a « Total » row when the rows do
(``col_totals``). Each row and each column that has a total is an equation the reader knows.

1. **Primary**: every count (margins included) from 1 to ``threshold - 1`` is masked and shown as
   « < 5 ». A true zero stays 0: it reveals no household, and masking zeros would only hide
   information (standard practice of statistical offices).
2. **Secondary**, repeated until nothing changes:

   a. a line (row or column with a total) holding exactly one masked cell gets a second one;
   b. a masked cell that is a *bridge* of the graph « lines linked by masked cells » can be
      computed by adding and subtracting whole lines: a cell that closes a cycle through it is
      masked (a masked cell on a cycle can take other values, the cycle's cells moving together);
   c. bounds: a reader knows that « < 5 » means 1 to 4 (zeros are shown), and that « secret »
      hides some count, zero or more. Those bounds are propagated through every equation; a masked
      cell left with a single possible value gets one more masked cell in each of its lines.

   The cell added is the smallest non-zero count of the line (inner cells before margins, which
   other tables often repeat). When none is left, a « < 5 » of the line (its total first) is shown
   « secret » instead: « two cells < 3 whose total is < 3 » says that both are 1, whatever else is
   masked, so the total's bound must go. Zeros are masked only when nothing else is left.

What this protects: each table with its own margins. It does not protect against comparing two
tables, two territory levels or two periods (« differencing »): the documents say so.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass

SHOWN, PRIMARY, SECONDARY = 0, 1, 2
Cell = tuple[int, int]
_FREE = -1  # the node of cells that belong to a single equation (no equation on the other side)
_MAX_ROUNDS = 10_000


@dataclass(frozen=True)
class ProtectedGrid:
    """A count table with its margins and the status of each cell (``SHOWN``, ``PRIMARY``, ``SECONDARY``).

    ``values[r][c]``: the last column holds the row totals when ``row_totals``, the last row the
    column totals when ``col_totals``.
    """

    values: tuple[tuple[int, ...], ...]
    status: tuple[tuple[int, ...], ...]
    threshold: int
    row_totals: bool
    col_totals: bool

    def masked(self, row: int, column: int) -> bool:
        return self.status[row][column] != SHOWN

    def counts(self) -> tuple[int, int]:
        """(primary, secondary) masked cells."""
        flat = [s for row in self.status for s in row]
        return flat.count(PRIMARY), flat.count(SECONDARY)

    def lines(self) -> list[list[Cell]]:
        return _lines(len(self.values), len(self.values[0]) if self.values else 0, self.row_totals, self.col_totals)


def with_margins(inner: Sequence[Sequence[int]], *, row_totals: bool, col_totals: bool) -> list[list[int]]:
    """The grid of ``inner`` counts plus its total column and/or total row."""
    grid = [list(row) for row in inner]
    width = len(grid[0]) if grid else 0
    if row_totals:
        for row in grid:
            row.append(sum(row))
    if col_totals:
        columns = width + (1 if row_totals else 0)
        grid.append([sum(row[c] for row in grid) for c in range(columns)])
    return grid


def protect(
    inner: Sequence[Sequence[int]],
    threshold: int,
    *,
    row_totals: bool = True,
    col_totals: bool = True,
    forced: Collection[Cell] = (),
) -> ProtectedGrid:
    """Protect the table ``inner`` (rows of counts, all the same length) and its margins.

    ``forced``: cells (of the grid with margins) to mask from the start, because another table that
    shows the same count had to mask it (see ``tables``: tables that share counts are protected together).
    """
    if any(len(row) != len(inner[0]) for row in inner):
        raise ValueError("toutes les lignes d'un tableau doivent avoir le même nombre de colonnes")
    if any(value < 0 for row in inner for value in row):
        raise ValueError("un effectif ne peut pas être négatif")
    grid = with_margins(inner, row_totals=row_totals, col_totals=col_totals)
    status = [[PRIMARY if 0 < value < threshold else SHOWN for value in row] for row in grid]
    for r, c in forced:
        if status[r][c] == SHOWN:
            status[r][c] = SECONDARY
    if grid and grid[0]:
        lines = _lines(len(grid), len(grid[0]), row_totals, col_totals)
        margins = (len(grid) - 1 if col_totals else -1, len(grid[0]) - 1 if row_totals else -1)
        _secondary(grid, status, threshold, lines, margins)
    return ProtectedGrid(
        tuple(tuple(row) for row in grid),
        tuple(tuple(row) for row in status),
        threshold,
        row_totals,
        col_totals,
    )


def _lines(rows: int, columns: int, row_totals: bool, col_totals: bool) -> list[list[Cell]]:
    """The equations of the grid: each a list of cells whose last one is the total of the others."""
    found: list[list[Cell]] = []
    if row_totals:
        found += [[(r, c) for c in range(columns)] for r in range(rows)]
    if col_totals:
        found += [[(r, c) for r in range(rows)] for c in range(columns)]
    return [line for line in found if len(line) > 1]


def _secondary(
    grid: list[list[int]], status: list[list[int]], threshold: int, lines: list[list[Cell]], margins: Cell
) -> None:
    def preference(cell: Cell) -> tuple[bool, bool, int, Cell]:
        """Smallest non-zero inner count first, then margins, zeros last."""
        value = grid[cell[0]][cell[1]]
        return value == 0, cell[0] == margins[0] or cell[1] == margins[1], value, cell

    def add_in(line: Sequence[Cell]) -> bool:
        """Mask one more cell of ``line``: a non-zero count, else « < 5 » → « secret », else a zero."""
        shown = [cell for cell in line if status[cell[0]][cell[1]] == SHOWN]
        counts = [cell for cell in shown if grid[cell[0]][cell[1]] > 0]
        bounded = [cell for cell in line if status[cell[0]][cell[1]] == PRIMARY]
        if counts:
            chosen = min(counts, key=preference)
        elif bounded:
            chosen = max(bounded, key=lambda c: (c[0] == margins[0] or c[1] == margins[1], grid[c[0]][c[1]], c))
        elif shown:
            chosen = min(shown, key=preference)
        else:
            return False
        status[chosen[0]][chosen[1]] = SECONDARY
        return True

    membership: dict[Cell, list[int]] = {}
    for index, line in enumerate(lines):
        for cell in line:
            membership.setdefault(cell, []).append(index)

    for _ in range(_MAX_ROUNDS):
        changed = False
        for line in lines:  # a. no line with a single masked cell
            if sum(1 for r, c in line if status[r][c] != SHOWN) == 1:
                changed = add_in(line) or changed
        if changed:
            continue
        bridge = _first_bridge(status, lines, membership)
        if bridge is not None:  # b. close a cycle through the bridge
            cell, side_a, side_b = bridge
            closing = [
                other
                for other, owners in membership.items()
                if status[other[0]][other[1]] == SHOWN and _links(owners, side_a, side_b)
            ]
            if closing:
                chosen = min(closing, key=preference)
                status[chosen[0]][chosen[1]] = SECONDARY
                continue
            if any(add_in(lines[index]) for index in membership.get(cell, [])):
                continue
        pinned = _pinned_cell(grid, status, threshold, lines)
        if pinned is not None and any([add_in(lines[index]) for index in membership.get(pinned, [])]):
            continue
        return


def _links(owners: list[int], side_a: set[int], side_b: set[int]) -> bool:
    nodes = owners if len(owners) == 2 else [*owners, _FREE]
    return (nodes[0] in side_a and nodes[1] in side_b) or (nodes[0] in side_b and nodes[1] in side_a)


def _edges(status: list[list[int]], membership: dict[Cell, list[int]]) -> list[tuple[Cell, int, int]]:
    """Masked cells as edges between their two equations (``_FREE`` when only one holds them)."""
    edges = []
    for cell, owners in membership.items():
        if status[cell[0]][cell[1]] != SHOWN:
            first, second = (owners[0], owners[1]) if len(owners) == 2 else (owners[0], _FREE)
            edges.append((cell, first, second))
    return edges


def _first_bridge(
    status: list[list[int]], lines: list[list[Cell]], membership: dict[Cell, list[int]]
) -> tuple[Cell, set[int], set[int]] | None:
    """A masked cell whose value follows from whole lines, with the two sides it separates."""
    edges = _edges(status, membership)
    adjacency: dict[int, list[tuple[int, int]]] = {}
    for index, (_, a, b) in enumerate(edges):
        adjacency.setdefault(a, []).append((b, index))
        adjacency.setdefault(b, []).append((a, index))
    order: dict[int, int] = {}
    low: dict[int, int] = {}
    for root in adjacency:
        if root in order:
            continue
        order[root] = low[root] = len(order)
        stack: list[tuple[int, int, int]] = [(root, -1, 0)]  # node, edge it was reached by, next neighbour
        while stack:
            node, via, position = stack[-1]
            if position < len(adjacency[node]):
                stack[-1] = (node, via, position + 1)
                neighbour, edge = adjacency[node][position]
                if edge == via:
                    continue
                if neighbour in order:
                    low[node] = min(low[node], order[neighbour])
                else:
                    order[neighbour] = low[neighbour] = len(order)
                    stack.append((neighbour, edge, 0))
                continue
            stack.pop()
            if stack:
                parent = stack[-1][0]
                low[parent] = min(low[parent], low[node])
                if low[node] > order[parent]:
                    cell = edges[via][0]
                    side = _component(adjacency, node, via)
                    other = _component(adjacency, parent, via)
                    return cell, side, other
    return None


def _component(adjacency: dict[int, list[tuple[int, int]]], start: int, without: int) -> set[int]:
    seen = {start}
    pending = [start]
    while pending:
        node = pending.pop()
        for neighbour, edge in adjacency.get(node, []):
            if edge != without and neighbour not in seen:
                seen.add(neighbour)
                pending.append(neighbour)
    return seen


def public_bounds(value: int, state: int, threshold: int) -> tuple[float, float]:
    """What a reader knows of a cell: its value when shown, 1 to threshold - 1 for « < 5 », and
    for « secret » only that it is a count (it may be zero, small or large)."""
    if state == SHOWN:
        return value, value
    if state == PRIMARY:
        return 1, threshold - 1
    return 0, math.inf


def propagate_bounds(
    grid: Sequence[Sequence[int]], status: Sequence[Sequence[int]], threshold: int, lines: Sequence[Sequence[Cell]]
) -> dict[Cell, tuple[float, float]]:
    """The tightest bounds of every cell that the equations give from the public bounds."""
    bounds = {
        (r, c): public_bounds(grid[r][c], status[r][c], threshold)
        for r in range(len(grid))
        for c in range(len(grid[0]))
    }
    for _ in range(200):
        changed = False
        for line in lines:
            parts, total = line[:-1], line[-1]
            low_sum = sum(bounds[cell][0] for cell in parts)
            unbounded = sum(1 for cell in parts if bounds[cell][1] == math.inf)
            finite_high = sum(bounds[cell][1] for cell in parts if bounds[cell][1] != math.inf)
            t_low, t_high = bounds[total]
            new_total = (max(t_low, low_sum), min(t_high, math.inf if unbounded else finite_high))
            if new_total != bounds[total]:
                bounds[total], changed = new_total, True
            t_low, t_high = new_total
            for cell in parts:
                low, high = bounds[cell]
                if high == math.inf:
                    others_high = math.inf if unbounded > 1 else finite_high
                else:
                    others_high = math.inf if unbounded else finite_high - high
                new = (max(low, t_low - others_high), min(high, t_high - (low_sum - low)))
                if new != (low, high):
                    bounds[cell], changed = new, True
        if not changed:
            break
    return bounds


def _pinned_cell(
    grid: list[list[int]], status: list[list[int]], threshold: int, lines: list[list[Cell]]
) -> Cell | None:
    """A masked cell whose bounds, once propagated, leave a single value."""
    bounds = propagate_bounds(grid, status, threshold, lines)
    for cell, (low, high) in sorted(bounds.items()):
        if status[cell[0]][cell[1]] != SHOWN and low >= high:
            return cell
    return None
