"""SQL written for the driver (``exec_driver_sql``, a raw cursor) with ``?`` placeholders.

sqlite3 takes ``?``; psycopg takes ``%s`` and reads every other ``%`` as a placeholder too, so a
``LIKE 'x%'`` must become ``LIKE 'x%%'`` there.
"""

from __future__ import annotations

from sqlalchemy import Connection


def driver_sql(connection: Connection, sql: str) -> str:
    """``sql`` (``?`` placeholders) in the paramstyle of the connection's driver."""
    if connection.dialect.paramstyle == "qmark":
        return sql
    return sql.replace("%", "%%").replace("?", "%s")
