"""Statistical secrecy: no masked cell can be worked out from its table and its margins.

Three independent proofs, on crafted tables and on tables drawn by hypothesis:

1. every row and every column (with a total) holds 0 or at least 2 masked cells;
2. linear algebra: no masked cell is determined by the equations « cells of a line = its total »
   (its unit vector is not in the row space of the equations restricted to the masked cells);
3. the reader's bounds: for every masked cell there is **another table**, consistent with every
   published value and with what « < 5 » (1 to 4) and « secret » (some count) tell, in which that
   cell has a different value.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from exploc_cli.diagnostics.model import Value, count_grid, rate, statistic
from exploc_cli.diagnostics.secrecy import PRIMARY, SECONDARY, SHOWN, ProtectedGrid, protect

Cell = tuple[int, int]


def masked_cells(grid: ProtectedGrid) -> list[Cell]:
    return [(r, c) for r, row in enumerate(grid.status) for c, state in enumerate(row) if state != SHOWN]


def assert_lines_hold_zero_or_two(grid: ProtectedGrid) -> None:
    for line in grid.lines():
        count = sum(1 for r, c in line if grid.masked(r, c))
        assert count == 0 or count >= 2, (line, grid.status)


def determined_cells(grid: ProtectedGrid) -> list[Cell]:
    """Masked cells whose value follows from the equations (exact linear recovery)."""
    unknowns = masked_cells(grid)
    if not unknowns:
        return []
    index = {cell: i for i, cell in enumerate(unknowns)}
    rows = []
    for line in grid.lines():
        coefficients = numpy.zeros(len(unknowns))
        for cell in line[:-1]:
            if cell in index:
                coefficients[index[cell]] += 1
        if line[-1] in index:
            coefficients[index[line[-1]]] -= 1
        rows.append(coefficients)
    matrix = numpy.array(rows) if rows else numpy.zeros((0, len(unknowns)))
    rank = numpy.linalg.matrix_rank(matrix) if rows else 0
    found = []
    for cell, i in index.items():
        unit = numpy.zeros(len(unknowns))
        unit[i] = 1
        if numpy.linalg.matrix_rank(numpy.vstack([matrix, unit])) == rank:
            found.append(cell)
    return found


def consistent(grid: ProtectedGrid, values: dict[Cell, int]) -> bool:
    """Whether ``values`` (of the masked cells) fit every equation and what the reader knows of each cell."""
    s = grid.threshold
    for cell, value in values.items():
        state = grid.status[cell[0]][cell[1]]
        if state == PRIMARY and not 1 <= value <= s - 1:
            return False
        if state == SECONDARY and value < 0:
            return False
    for line in grid.lines():
        numbers = [values.get(cell, grid.values[cell[0]][cell[1]]) for cell in line]
        if sum(numbers[:-1]) != numbers[-1]:
            return False
    return True


def unprotected_cells(grid: ProtectedGrid, steps: Sequence[int] = (-2, -1, 1, 2)) -> list[Cell]:
    """Masked cells for which no other consistent table was found by moving masked cells by small steps."""
    cells = masked_cells(grid)
    truth = {cell: grid.values[cell[0]][cell[1]] for cell in cells}
    moved: set[Cell] = set()
    for deltas in itertools.product((0, *steps), repeat=len(cells)):
        if not any(deltas):
            continue
        candidate = {cell: truth[cell] + d for cell, d in zip(cells, deltas, strict=True)}
        if consistent(grid, candidate):
            moved.update(cell for cell, d in zip(cells, deltas, strict=True) if d)
            if len(moved) == len(cells):
                break
    return [cell for cell in cells if cell not in moved]


def check(grid: ProtectedGrid, *, exhaustive: bool = True) -> None:
    assert_lines_hold_zero_or_two(grid)
    assert determined_cells(grid) == []
    if exhaustive:
        assert unprotected_cells(grid) == []


# -- crafted tables ------------------------------------------------------------------------------
def test_a_single_small_count_gets_a_secondary_cell_in_its_row_and_its_column() -> None:
    grid = protect([[3, 40, 50], [20, 30, 60]], 5)
    assert grid.values[0] == (3, 40, 50, 93) and grid.values[2] == (23, 70, 110, 203)
    assert grid.status[0][0] == PRIMARY
    assert [grid.status[0][1], grid.status[1][0], grid.status[1][1]] == [SECONDARY] * 3  # the smallest ones
    assert not grid.masked(0, 3) and not grid.masked(2, 3)  # margins kept when inner cells suffice
    check(grid)


def test_two_small_counts_whose_total_gives_them_away_are_protected_further() -> None:
    # 1 + 1 = 52 - 50: with « < 5 » meaning 1 to 4, both would be 1; more cells are masked
    grid = protect([[1, 1, 50], [20, 30, 60]], 5)
    assert grid.status[0][:2] == (PRIMARY, PRIMARY)
    assert grid.masked(0, 2)
    check(grid)


def test_a_masked_cell_linking_two_protected_blocks_is_not_left_as_a_bridge() -> None:
    # two 2×2 blocks of small counts joined by one small count: (0, 2) could be computed by adding
    # rows 0-1 and subtracting columns 0-1; another cell must close a cycle through it
    table = [[2, 3, 4, 0, 30], [3, 2, 0, 0, 30], [0, 0, 2, 3, 30], [0, 0, 3, 2, 30], [30, 30, 30, 30, 30]]
    grid = protect(table, 5)
    assert masked_cells(grid)
    assert determined_cells(grid) == []
    assert_lines_hold_zero_or_two(grid)


def test_true_zeros_and_large_counts_stay_shown() -> None:
    grid = protect([[0, 12], [7, 0]], 5)
    assert masked_cells(grid) == []
    assert grid.values == ((0, 12, 12), (7, 0, 7), (7, 12, 19))


def test_a_threshold_of_eleven_masks_counts_up_to_ten() -> None:
    grid = protect([[10, 11, 40], [25, 3, 60]], 11)
    assert {(r, c) for r, c in masked_cells(grid) if grid.status[r][c] == PRIMARY} == {(0, 0), (1, 1)}
    check(grid)


def test_small_totals_are_masked_too() -> None:
    grid = protect([[1, 2], [0, 1]], 5)
    assert all(grid.masked(r, c) for r in range(3) for c in range(3) if grid.values[r][c])
    check(grid)


def test_a_column_of_counts_with_only_its_total() -> None:
    grid = protect([[3], [40], [12]], 5, row_totals=False)
    assert grid.status[0][0] == PRIMARY and grid.status[1][0] == SHOWN and grid.status[2][0] == SECONDARY
    check(grid)
    pair = protect([[1], [1], [0]], 3, row_totals=False)  # two « < 3 » whose total is « < 3 »: both are 1
    assert pair.status[0][0] == pair.status[1][0] == PRIMARY and pair.status[3][0] == SECONDARY
    assert not pair.masked(2, 0)  # the zero stays: showing the total as « secret » is enough
    check(pair)


def test_rates_and_medians_on_few_households_are_masked() -> None:
    assert rate(Value(3, state=PRIMARY), Value(40), 5).masked
    assert rate(Value(10), Value(40, state=SECONDARY), 5).masked
    assert rate(Value(10), Value(40), 5).text() == "25,0\u00a0%"
    assert statistic([100, 200, 300, 400], 0.5, "jours", 5).masked
    assert statistic([100, 200, 300, 400, 500], 0.5, "jours", 5).text() == "300\u00a0j"
    assert statistic([1, 2, 3, 4, 5], 0.5, "jours", 5, count=Value(5, state=SECONDARY)).masked


def test_a_count_grid_shows_masked_cells_as_text() -> None:
    grid = count_grid("x", "titre", "Commune", ["A", "B"], ["Connus", "Non connus"], [[3, 40], [20, 30]], 5,
                      row_totals=True, col_totals=True)  # fmt: skip
    assert grid.columns == ("Connus", "Non connus", "Total") and grid.rows[-1][0] == "Total"
    texts = [[v.text() for v in values] for _, values in grid.rows]
    assert texts[0][0] == "< 5" and "secret" in texts[0] + texts[1]
    assert texts[2][2] == "93"


# -- drawn tables --------------------------------------------------------------------------------
@st.composite
def tables(draw: st.DrawFn) -> tuple[list[list[int]], int, bool, bool]:
    rows = draw(st.integers(1, 4))
    columns = draw(st.integers(1, 4))
    values = st.one_of(st.integers(0, 6), st.integers(0, 40))
    table = draw(st.lists(st.lists(values, min_size=columns, max_size=columns), min_size=rows, max_size=rows))
    threshold = draw(st.sampled_from([3, 5, 11]))  # « < 2 » would mean « 1 »: the service refuses 2
    row_totals, col_totals = draw(st.sampled_from([(True, True), (True, False), (False, True)]))
    return table, threshold, row_totals, col_totals


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables())
def test_drawn_tables_every_line_has_zero_or_two_masked_cells_and_no_cell_is_determined(
    drawn: tuple[list[list[int]], int, bool, bool],
) -> None:
    table, threshold, row_totals, col_totals = drawn
    grid = protect(table, threshold, row_totals=row_totals, col_totals=col_totals)
    small = {(r, c) for r, row in enumerate(grid.values) for c, v in enumerate(row) if 0 < v < threshold}
    assert small <= set(masked_cells(grid))  # every small count is masked (« < 5 », or « secret » at times)
    assert {cell for cell in masked_cells(grid) if grid.status[cell[0]][cell[1]] == PRIMARY} <= small
    check(grid, exhaustive=False)


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tables())
def test_drawn_tables_every_masked_cell_has_another_possible_value(
    drawn: tuple[list[list[int]], int, bool, bool],
) -> None:
    table, threshold, row_totals, col_totals = drawn
    grid = protect(table, threshold, row_totals=row_totals, col_totals=col_totals)
    assume(len(masked_cells(grid)) <= 7)
    check(grid)
