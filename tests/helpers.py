"""Helpers for tests: reading the base back, building small partner files."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
from sqlalchemy import Connection, text

from tests.backends import Base, engine_for

CAF_HEADER = (
    "Référence signalement;N° allocataire;Nom;Prénom;Date de naissance;Adresse;Code postal;"
    "Commune;Nb enfants;Montant AL/APL;Montant dette;Date signalement"
)


def _statement(query: str, params: Sequence[Any]) -> tuple[Any, dict[str, Any]]:
    """``?`` placeholders (the tests' habit) become named parameters of ``text()``."""
    parts = query.replace(":", "\\:").split("?")
    assert len(parts) == len(params) + 1, (query, params)
    sql = parts[0] + "".join(f":p{i}{part}" for i, part in enumerate(parts[1:]))
    return text(sql), {f"p{i}": value for i, value in enumerate(params)}


def plain(value: Any) -> Any:
    """A value as SQLite's driver returns it, whatever the backend: dates as ISO text, booleans as 0/1."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, memoryview):
        return bytes(value)
    return value


class Writer:
    """A transaction on the base, written to directly (``?`` placeholders), as a third party would."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def execute(self, query: str, params: Sequence[Any] = ()) -> Any:
        statement, binds = _statement(query, params)
        return self.connection.execute(statement, binds)


@contextmanager
def writing(base: Base) -> Iterator[Writer]:
    """Write rows (ids included) straight into the base, in one transaction; on PostgreSQL, every
    id sequence then goes on after the rows written, as exploc's own inserts do."""
    engine = engine_for(base)
    try:
        with engine.begin() as connection:
            yield Writer(connection)
            if connection.dialect.name == "postgresql":
                tables = connection.execute(
                    text(
                        "SELECT table_name FROM information_schema.columns WHERE table_schema = current_schema() "
                        "AND column_name = 'id' AND column_default LIKE 'nextval%'"
                    )
                ).scalars()
                for table in list(tables):
                    connection.execute(
                        text(
                            f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE(MAX(id), 0) + 1, false) "
                            f"FROM {table}"
                        )
                    )
    finally:
        engine.dispose()


def execute(base: Base, query: str, *params: Any) -> None:
    """Write to the base directly, as a third party (or a defect) would."""
    with writing(base) as writer:
        writer.execute(query, params)


def rows(base: Base, query: str, *params: Any) -> list[dict[str, Any]]:
    """Read the base directly (SQLite file or PostgreSQL database), values as SQLite gives them."""
    statement, binds = _statement(query, params)
    engine = engine_for(base)
    try:
        with engine.connect() as connection:
            return [{k: plain(v) for k, v in r.items()} for r in connection.execute(statement, binds).mappings()]
    finally:
        engine.dispose()


def tuples(base: Base, query: str, *params: Any) -> list[tuple[Any, ...]]:
    """Like ``rows``, as tuples (columns without a name, such as three ``COUNT(*)``, stay apart)."""
    statement, binds = _statement(query, params)
    engine = engine_for(base)
    try:
        with engine.connect() as connection:
            return [tuple(plain(v) for v in r) for r in connection.execute(statement, binds)]
    finally:
        engine.dispose()


def scalar(base: Base, query: str, *params: Any) -> Any:
    found = rows(base, query, *params)
    return next(iter(found[0].values())) if found else None


def counts(base: Base) -> dict[str, int]:
    return {table: scalar(base, f"SELECT COUNT(*) FROM {table}") for table in ("lot", "signalement", "evenement")}


def csv_text(header: str, lines: Sequence[str], *, newline: str = "\r\n") -> str:
    return newline.join([header, *lines]) + newline


def caf_line(
    reference: str,
    allocataire: str,
    nom: str,
    prenom: str,
    dette: str = "1 000,00",
    date: str = "15/11/2025",
    naissance: str = "12/03/1980",
    adresse: str = "12 rue Victor Hugo",
    cp: str = "01000",
    commune: str = "Bourg-sur-Sarre",
    enfants: str = "1",
    aide: str = "200,00",
) -> str:
    return ";".join([reference, allocataire, nom, prenom, naissance, adresse, cp, commune, enfants, aide, dette, date])


def write_xlsx(path: Path, sheets: dict[str, list[list[Any]]], merges: dict[str, list[str]] | None = None) -> Path:
    workbook = openpyxl.Workbook()
    workbook.remove(workbook.active)
    for name, content in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in content:
            sheet.append(row)
        for cell_range in (merges or {}).get(name, []):
            sheet.merge_cells(cell_range)
    workbook.save(path)
    return path
