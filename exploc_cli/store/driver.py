"""SQL written for the driver (``exec_driver_sql``, a raw cursor) with ``?`` placeholders, and
statements run for many rows at once.

sqlite3 takes ``?``; psycopg takes ``%s`` and reads every other ``%`` as a placeholder too, so a
``LIKE 'x%'`` must become ``LIKE 'x%%'`` there.

On PostgreSQL, a statement per row costs a round of the pipeline and fires the statement triggers
of the table (migration 0010) once per row: ~50 µs a row measured, twice the cost of the update
itself. So rows of a plain ``INSERT … VALUES (?, …)`` go by COPY, and the updates written by the
hundred thousand (a ménage per signalement, current assignments) by one statement over arrays.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection

from .denied import rights_error

_PLAIN_INSERT = re.compile(r"INSERT INTO (\w+) \(([\w, ]+)\) VALUES \(\?(?:, \?)*\)")
_COPY_FROM = 2  # rows: below, executemany is as quick


def driver_sql(connection: Connection, sql: str) -> str:
    """``sql`` (``?`` placeholders) in the paramstyle of the connection's driver."""
    if connection.dialect.paramstyle == "qmark":
        return sql
    return sql.replace("%", "%%").replace("?", "%s")


def execute_many(connection: Connection, sql: str, rows: Sequence[tuple[Any, ...]]) -> None:
    """``sql`` for each of ``rows`` through the driver: SQLite's ``executemany``; on PostgreSQL a
    COPY for a plain insert of many rows, else psycopg's (pipelined) ``executemany``."""
    if not rows:
        return
    raw: Any = connection.connection.driver_connection
    if connection.dialect.name == "sqlite":
        cursor = raw.cursor()
        try:
            cursor.executemany(sql, rows)
        finally:
            cursor.close()
        return
    insert = _PLAIN_INSERT.fullmatch(sql)
    if insert is None or len(rows) < _COPY_FROM:
        connection.exec_driver_sql(driver_sql(connection, sql), list(rows))
        return
    table, columns = insert.groups()
    with _refusals_told(connection, table), raw.cursor() as cursor:
        with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)


@contextmanager
def _refusals_told(connection: Connection, table: str) -> Iterator[None]:
    """Statements sent on the driver's own cursor bypass SQLAlchemy's translations: a refusal for
    lack of rights is told in French here too (code 7)."""
    try:
        yield
    except Exception as error:
        denied = rights_error(error, statement=f"INSERT INTO {table}", role=connection.engine.url.username)
        if denied is not None:
            raise denied from None
        raise


def set_by_id(connection: Connection, table: str, column: str, pairs: Sequence[tuple[Any, int]]) -> None:
    """``UPDATE table SET column = value WHERE id = key`` for each (value, key) of ``pairs``; on
    PostgreSQL in one statement (``integer`` values)."""
    if connection.dialect.name == "sqlite" or len(pairs) < _COPY_FROM:
        execute_many(connection, f"UPDATE {table} SET {column} = ? WHERE id = ?", pairs)
        return
    values, keys = [p[0] for p in pairs], [p[1] for p in pairs]
    connection.exec_driver_sql(
        f"UPDATE {table} t SET {column} = v.value FROM unnest(%s::integer[], %s::integer[]) AS v(value, key) "
        "WHERE t.id = v.key",
        (values, keys),
    )


def upsert_many(
    connection: Connection, table: str, columns: tuple[str, ...], key: tuple[str, ...], rows: Iterable[tuple[Any, ...]]
) -> None:
    """Insert ``rows`` into ``table``, replacing the row of the same ``key``: SQLite's ``INSERT OR
    REPLACE``; on PostgreSQL a COPY into a temporary table then one ``INSERT … ON CONFLICT`` (the
    links of a first import: 465,000 rows, 13 s row by row), the rows streamed from ``rows``; row
    by row without the TEMP right."""
    names, marks = ", ".join(columns), ", ".join("?" * len(columns))
    if connection.dialect.name == "sqlite":
        execute_many(connection, f"INSERT OR REPLACE INTO {table} ({names}) VALUES ({marks})", list(rows))
        return
    others = [c for c in columns if c not in key]
    update = ", ".join(f"{c} = EXCLUDED.{c}" for c in others)
    upsert = f"INSERT INTO {table} ({names}) {{}} ON CONFLICT ({', '.join(key)}) DO UPDATE SET {update}"
    few = isinstance(rows, Sequence) and len(rows) < _COPY_FROM
    if few or not _may_use_temporary_tables(connection):
        execute_many(connection, upsert.format(f"VALUES ({marks})"), list(rows))
        return
    staging = f"copie_{table}"
    raw: Any = connection.connection.driver_connection
    with _refusals_told(connection, table), raw.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE {staging} ON COMMIT DROP AS SELECT {names} FROM {table} LIMIT 0")
        with cursor.copy(f"COPY {staging} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute(upsert.format(f"SELECT {names} FROM {staging}"))
        cursor.execute(f"DROP TABLE {staging}")


def _may_use_temporary_tables(connection: Connection) -> bool:
    allowed = connection.info.get("exploc_temp")
    if allowed is None:
        allowed = bool(connection.exec_driver_sql("SELECT has_database_privilege(current_database(), 'TEMP')").scalar())
        connection.info["exploc_temp"] = allowed
    return bool(allowed)
