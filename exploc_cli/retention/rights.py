"""A household's rights (RGPD): erasure (art. 17) and access to everything held about it (art. 15).

Both work on the household as it stands today: a merged number leads to the household that
absorbed it, and the numbers merged into it come along. Both are journaled, by number only.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine

from .. import audit
from ..errors import ExplocError
from ..linkage.repository import rows_of
from ..outputs import private_output, sha256_of, write_private_workbook
from ..store.db import write_transaction
from ..store.driver import driver_sql
from ..xlsx_stream import SheetColumn
from .deletion import delete_menages, household_numbers


@dataclass(frozen=True)
class ErasureReport:
    menages: tuple[int, ...]
    signalements: int
    documents: tuple[str, ...]  # journaled files that named the household: to destroy as well
    simulation: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "menages": list(self.menages),
            "signalements": self.signalements,
            "documents_a_detruire": list(self.documents),
            "simulation": self.simulation,
        }


def erase_household(
    engine: Engine, menage_id: int, motif: str, *, simulation: bool = False, command_line: str = ""
) -> ErasureReport:
    """Delete the household and everything attached to it for good (tombstones keep it from coming back)."""
    if not motif.strip():
        raise ExplocError(
            "Le motif de l'effacement est obligatoire (--motif).", 'Ex. : --motif "Demande du 02/11/2026"'
        )
    with write_transaction(engine) as connection:
        numbers = household_numbers(connection, menage_id)
        documents = _documents_naming(connection, numbers)
        if simulation:
            count = _count_signalements(connection, numbers)
            return ErasureReport(numbers, count, documents, True)
        deleted = delete_menages(connection, numbers, "effacement")
        audit.record(
            connection,
            audit.AuditEntry(
                action="effacement",
                commande=command_line,
                motif=motif.strip(),
                nb_lignes=deleted.signalements,
                details={"menages": list(numbers), "signalements": deleted.signalements},
            ),
        )
    return ErasureReport(numbers, deleted.signalements, documents, False)


def _documents_naming(connection: Connection, numbers: tuple[int, ...]) -> tuple[str, ...]:
    """The files of the journal whose entry lists one of these households."""
    return tuple(dict.fromkeys(str(line[4]) for line in journal_naming(connection, numbers) if line[4]))


def journal_naming(connection: Connection, numbers: tuple[int, ...]) -> list[list[Any]]:
    """The journal's entries that list one of these households: id, time, user, action, file, motif."""
    wanted = set(numbers)
    found = []
    sql = (
        "SELECT id, horodatage, utilisateur, action, chemin, motif, details FROM journal "
        "WHERE details LIKE '%menages%' ORDER BY id"
    )
    for *values, details in rows_of(connection, sql):
        try:
            listed = json.loads(details).get("menages")
        except (ValueError, AttributeError):
            continue
        if isinstance(listed, list) and wanted & {m for m in listed if isinstance(m, int)}:
            found.append(values)
    return found


def _count_signalements(connection: Connection, numbers: tuple[int, ...]) -> int:
    marks = ", ".join("?" * len(numbers))
    return sum(1 for _ in rows_of(connection, f"SELECT id FROM signalement WHERE menage_id IN ({marks})", numbers))


# --- access -----------------------------------------------------------------------------------

# (sheet, query on the household's numbers « IN (…) », what the sheet holds)
_SHEETS: tuple[tuple[str, str, str], ...] = (
    (
        "Ménage",
        "SELECT * FROM menage WHERE id IN ({m}) ORDER BY id",
        "Le dossier du ménage (et ceux fusionnés avec lui).",
    ),
    (
        "Signalements",
        "SELECT s.*, l.fichier AS fichier_source FROM signalement s JOIN lot l ON l.id = s.lot_id "
        "WHERE s.menage_id IN ({m}) ORDER BY s.id",
        "Chaque ligne reçue des partenaires, avec ses valeurs brutes telles que lues.",
    ),
    (
        "Événements",
        "SELECT e.* FROM evenement e JOIN signalement s ON s.id = e.signalement_id WHERE s.menage_id IN ({m}) "
        "ORDER BY e.date, e.id",
        "Les actes datés de la procédure.",
    ),
    (
        "Rapprochements",
        "SELECT r.* FROM rattachement r WHERE r.menage_id IN ({m}) ORDER BY r.signalement_id",
        "Pourquoi chaque signalement a été rattaché au ménage (méthode, score, éléments de preuve).",
    ),
    ("Affectations", "SELECT * FROM affectation WHERE menage_id IN ({m}) ORDER BY id", "Les services désignés."),
    ("Notes", "SELECT * FROM note WHERE menage_id IN ({m}) ORDER BY id", "Les notes du secrétariat."),
    (
        "Séances",
        "SELECT i.*, se.date_seance, se.instance FROM inscription i JOIN seance se ON se.id = i.seance_id "
        "WHERE i.menage_id IN ({m}) ORDER BY se.date_seance",
        "Les passages en commission, avis compris.",
    ),
    ("Préconisations", "SELECT * FROM preconisation WHERE menage_id IN ({m}) ORDER BY id", "Les préconisations."),
)


@dataclass(frozen=True)
class AccessReport:
    path: Path
    menages: tuple[int, ...]
    rows: dict[str, int]
    sha256: str

    def to_json(self) -> dict[str, Any]:
        return {"fichier": str(self.path), "menages": list(self.menages), "lignes": self.rows, "sha256": self.sha256}


def export_household_data(engine: Engine, menage_id: int, destination: Path, *, command_line: str = "") -> AccessReport:
    """Everything the base holds about the household, one sheet per kind (.xlsx) or one document (.json)."""
    kind = destination.suffix.lower()
    if kind not in (".xlsx", ".json"):
        raise ExplocError(
            f"Format de sortie non pris en charge : {destination.name}.",
            "Donnez un fichier .xlsx (un onglet par table) ou .json.",
        )
    with engine.connect() as connection:
        numbers = household_numbers(connection, menage_id)
        marks = ", ".join("?" * len(numbers))
        tables = {sheet: _table(connection, sql.format(m=marks), numbers) for sheet, sql, _ in _SHEETS}
        tables["Journal"] = _journal_lines(connection, numbers)
    counts = {sheet: len(rows) for sheet, (_, rows) in tables.items()}
    if kind == ".json":
        document = {
            sheet: [dict(zip(header, row, strict=True)) for row in rows] for sheet, (header, rows) in tables.items()
        }
        with private_output(destination, encoding="utf-8", newline="\n") as handle:
            json.dump({"menages": list(numbers), **document}, handle, ensure_ascii=False, indent=2, default=str)
    else:
        about = [("Ménage(s)", ", ".join(map(str, numbers)))] + [
            (sheet, f"{text} ({counts[sheet]} ligne(s))") for sheet, _, text in _SHEETS
        ]
        about.append(("Journal", f"Les traces des documents et extractions qui le nomment ({counts['Journal']})."))
        write_private_workbook(
            destination,
            [(sheet, [SheetColumn(h, "text", 18) for h in header], rows) for sheet, (header, rows) in tables.items()],
            about=lambda _: about,
        )
    digest = sha256_of(destination)
    audit.record_file(
        engine,
        audit.AuditEntry(
            action="droit_acces",
            commande=command_line,
            nb_lignes=sum(counts.values()),
            chemin=str(destination.resolve()),
            sha256=digest,
            details={"menages": list(numbers)},
        ),
        destination,
    )
    return AccessReport(destination, numbers, counts, digest)


def _table(connection: Connection, sql: str, numbers: tuple[int, ...]) -> tuple[list[str], list[list[Any]]]:
    cursor = connection.exec_driver_sql(driver_sql(connection, sql), numbers)
    header = list(cursor.keys())
    return header, [[_plain(v) for v in row] for row in cursor]


def _plain(value: Any) -> Any:
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    if isinstance(value, bool):
        return "oui" if value else "non"
    return value if value is None or isinstance(value, int | float) else str(value)


def _journal_lines(connection: Connection, numbers: tuple[int, ...]) -> tuple[list[str], list[list[Any]]]:
    header = ["id", "horodatage", "utilisateur", "action", "chemin", "motif"]
    return header, [[_plain(v) for v in line] for line in journal_naming(connection, numbers)]
