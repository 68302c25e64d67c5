"""The rows the diagnostic streams (one event with its signalement, ``compute``) and what the alerts
read of one household (``Facts``), kept together so that the query and its readers never drift apart.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

# The columns of a row, in the order of ``COLUMNS``.
COLUMNS = (
    "s.menage_id, s.id, s.source, s.code_insee, s.commune, s.parc, s.dette, COALESCE(s.loyer, s.loyer_charges), "
    "e.id, e.code, CAST(e.date AS VARCHAR(10)), e.principal, e.valeur, "
    "s.lot_id, CAST(s.date_bail AS VARCHAR(10)), s.type_bailleur, s.bailleur IS NOT NULL, s.departement"
)
(MENAGE, SID, SOURCE, INSEE, COMMUNE, PARC, DETTE, LOYER, EID, CODE, DAY, PRINCIPAL, VALEUR,
 LOT, DATE_BAIL, TYPE_BAILLEUR, BAILLEUR, DEPARTEMENT) = range(18)  # fmt: skip

# One event in timeline order: (day, procedure rank, signalement, event id, code, valeur, principal).
Event = tuple[str, int, int, int, str, str | None, bool]
# (Final, so that mypy knows each index's type)
E_DAY: Final = 0
E_RANK: Final = 1
E_SID: Final = 2
E_ID: Final = 3
E_CODE: Final = 4
E_VALEUR: Final = 5
E_PRINCIPAL: Final = 6


@dataclass(frozen=True)
class Facts:
    """What the alerts of one household read, whatever the period.

    ``events``: dated up to the data date, in timeline order (date, rank, signalement, event);
    ``forecasts``: dated after it (an audience already fixed), in the same order; ``numbers``: the
    episode of each event, then of each forecast (``split_episodes`` over both: an event's episode
    only depends on the events before it).
    """

    menage: int
    events: Sequence[Event]
    forecasts: Sequence[Event]
    numbers: Sequence[int]
    signalements: Mapping[int, Sequence[Any]]
    rent: int | None  # the latest rent known (centimes)
    suivi_start: str | None  # the day a social service's follow-up started (source « suivi »)
    closed: str | None  # clos_le
    assignment: tuple[str | None, bool]  # the current assignment: the day it was decided, it names a service


__all__ = [
    "BAILLEUR", "CODE", "COLUMNS", "COMMUNE", "DEPARTEMENT", "DATE_BAIL", "DAY", "DETTE", "EID", "E_CODE", "E_DAY",
    "E_ID",
    "E_PRINCIPAL", "E_RANK", "E_SID", "E_VALEUR", "INSEE", "LOT", "LOYER", "MENAGE", "PARC", "PRINCIPAL", "SID",
    "SOURCE", "TYPE_BAILLEUR", "VALEUR", "Event", "Facts",
]  # fmt: skip
