"""Calendar arithmetic for legal delays: calendar months with end-of-month clamping, yearly periods."""

from __future__ import annotations

import calendar
from datetime import date, timedelta


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months (negative to go back), clamped to the month's last day.

    31/12/2025 + 2 months is 28/02/2026; 31/03/2026 − 1 month is 28/02/2026.
    """
    year, month0 = divmod(day.year * 12 + day.month - 1 + months, 12)
    if day.day <= 28:
        return date(year, month0 + 1, day.day)
    return date(year, month0 + 1, min(day.day, calendar.monthrange(year, month0 + 1)[1]))


def shift(day: date, *, days: int = 0, weeks: int = 0, months: int = 0, backwards: bool = False) -> date:
    """``day`` moved by a delay made of months, weeks and days (months first), forwards or backwards."""
    sign = -1 if backwards else 1
    moved = add_months(day, sign * months) if months else day
    return moved + timedelta(days=sign * (days + 7 * weeks))


def in_yearly_period(day: date, start: tuple[int, int], end: tuple[int, int]) -> bool:
    """Whether ``day`` falls in a yearly period given as (month, day) bounds, both included.

    The period may straddle the new year: (11, 1) to (3, 31) is the trêve hivernale.
    """
    key = (day.month, day.day)
    if start <= end:
        return start <= key <= end
    return key >= start or key <= end


def yearly_period_end(day: date, start: tuple[int, int], end: tuple[int, int]) -> date:
    """Last day of the yearly period that contains ``day`` (which must fall in it)."""
    year = day.year
    if start > end and (day.month, day.day) >= start:
        year += 1
    month, last = end
    return date(year, month, min(last, calendar.monthrange(year, month)[1]))
