"""The anonymous monthly counts of purged households (``agregat_purge``), added to a diagnostic.

``exploc purger`` keeps, for the households it removes, their signalements by month, source and
main event, and the households entering each stage once a month, by place and parc. They are
added here to the same counters as the households still in the base, for the months wholly
inside a period (a month is not split). Flows, delays, debts and the commission's figures cover
the households still in the base only: the notes of the document say so when counts were added.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from sqlalchemy import Connection, text

from ..normalize.departements import departement_of
from .fold import Period, PeriodCounts
from .territories import Territories


def whole_months(period: Period) -> tuple[str, str] | None:
    """The first and last « AAAA-MM » of the months wholly inside the period (None if none)."""
    first = period.du if period.du.day == 1 else (period.du.replace(day=28) + timedelta(days=4)).replace(day=1)
    after = period.au + timedelta(days=1)
    last = (after.replace(day=1) - timedelta(days=1)) if after.day != 1 else period.au
    if first > last:
        return None
    return f"{first:%Y-%m}", f"{last:%Y-%m}"


def add_purged(
    connection: Connection,
    periods: Sequence[Period],
    counts: Sequence[PeriodCounts],
    territories: Territories,
    departement: str | None = None,
) -> int:
    """Add the purged households' counts to each period's counters; the number of rows used."""
    used = 0
    for period, acc in zip(periods, counts, strict=True):
        months = whole_months(period)
        if months is None:
            continue
        rows = connection.execute(
            text(
                "SELECT mois, indicateur, source, code, code_insee, commune, unite, parc, nombre FROM agregat_purge "
                "WHERE mois >= :first AND mois <= :last"
            ),
            {"first": months[0], "last": months[1]},
        )
        for month, indicator, source, code, insee, commune, unit, parc, number in rows:
            if departement is not None and departement_of(insee or None, None) != departement:
                continue  # the counts keep the code INSEE, not the postcode: those without one are left out
            used += 1
            if indicator == "signalements":
                acc.signalements[(source, month, code)] += number
            elif indicator == "entrees":
                key = territories.of_place(unit, insee or None, commune or None)
                acc.entries[(code, key)] += number
                acc.entries_month[(code, month)] += number
                acc.entries_parc[(code, parc or "inconnu")] += number
    return used
