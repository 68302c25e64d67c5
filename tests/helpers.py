"""Helpers for tests: reading the base back, building small partner files."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import openpyxl

CAF_HEADER = (
    "Référence signalement;N° allocataire;Nom;Prénom;Date de naissance;Adresse;Code postal;"
    "Commune;Nb enfants;Montant AL/APL;Montant dette;Date signalement"
)


def rows(base: Path, query: str, *params: Any) -> list[dict[str, Any]]:
    with sqlite3.connect(base) as connection:
        connection.row_factory = sqlite3.Row
        return [dict(r) for r in connection.execute(query, params)]


def scalar(base: Path, query: str, *params: Any) -> Any:
    with sqlite3.connect(base) as connection:
        return connection.execute(query, params).fetchone()[0]


def counts(base: Path) -> dict[str, int]:
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
