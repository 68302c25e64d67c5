"""Read-only queries shared by several services (counts for summaries)."""

from __future__ import annotations

from sqlalchemy import Engine, func, select

from .models import Evenement, Signalement

S = Signalement.__table__  # type: ignore[attr-defined]
E = Evenement.__table__  # type: ignore[attr-defined]


def signalements_by_source(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        rows = connection.execute(select(S.c.source, func.count()).group_by(S.c.source).order_by(S.c.source))
        return {str(source): int(count) for source, count in rows}


def events_by_code(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        rows = connection.execute(select(E.c.code, func.count()).group_by(E.c.code))
        return {str(code): int(count) for code, count in rows}
