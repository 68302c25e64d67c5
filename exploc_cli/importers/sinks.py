"""Where an import's accepted rows go: the store, or nowhere (a simulation)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Column, Connection, LargeBinary, MetaData, String, Table, insert, select, update

from .. import audit
from ..store.bulk import SignalementWriter, existing_fingerprints
from ..store.models import Lot
from .mapping import HeaderMatch
from .readers import FileFormat
from .report import FileReport
from .rows import NormalisedBatch

if TYPE_CHECKING:
    from .service import ImportOptions

LOT_TABLE = Lot.__table__  # type: ignore[attr-defined]
SIMULATION_TABLE = Table(
    "simulation_empreinte",
    MetaData(),
    Column("source", String),
    Column("empreinte", LargeBinary),
    prefixes=["TEMPORARY"],
)


class Sink:
    """Where accepted rows go: the store, or nowhere (simulation)."""

    def start(self, match: HeaderMatch, report: FileReport) -> None: ...
    def existing(self, source: str, fingerprints: list[bytes]) -> set[bytes]:
        raise NotImplementedError

    def insert(self, batch: NormalisedBatch, columns: tuple[str, ...]) -> None: ...


class DryRunSink(Sink):
    """Writes nothing to the base: the fingerprints seen so far go to a TEMP table.

    A temporary table lives in SQLite's temporary database (on disk when large; on PostgreSQL,
    in the session's own schema), takes no lock on the base, and keeps memory flat whatever the
    file size.
    """

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        binary = "BLOB" if connection.dialect.name == "sqlite" else "BYTEA"
        connection.exec_driver_sql(
            "CREATE TEMPORARY TABLE IF NOT EXISTS simulation_empreinte "
            f"(source VARCHAR NOT NULL, empreinte {binary} NOT NULL, PRIMARY KEY (source, empreinte))"
        )
        connection.exec_driver_sql("DELETE FROM simulation_empreinte")

    def start(self, match: HeaderMatch, report: FileReport) -> None:
        self.source = match.spec.name

    def existing(self, source: str, fingerprints: list[bytes]) -> set[bytes]:
        found = existing_fingerprints(self.connection, source, fingerprints)
        table = SIMULATION_TABLE
        for start in range(0, len(fingerprints), 500):
            chunk = fingerprints[start : start + 500]
            query = select(table.c.empreinte).where(table.c.source == source, table.c.empreinte.in_(chunk))
            found.update(bytes(v) for v in self.connection.execute(query).scalars())
        return found

    def insert(self, batch: NormalisedBatch, columns: tuple[str, ...]) -> None:
        if batch.fingerprints:
            self.connection.execute(
                insert(SIMULATION_TABLE), [{"source": self.source, "empreinte": f} for f in batch.fingerprints]
            )


class StoreSink(Sink):
    def __init__(
        self, connection: Connection, path: Path, report: FileReport, fmt: FileFormat, options: ImportOptions
    ) -> None:
        self.connection, self.path, self.report, self.fmt, self.options = connection, path, report, fmt, options
        self.writer: SignalementWriter | None = None
        self.lot_id: int | None = None

    def start(self, match: HeaderMatch, report: FileReport) -> None:
        if self.lot_id is not None:
            return
        values = {
            "fichier": self.path.name,
            "chemin": str(self.path.resolve()),
            "sha256": report.sha256,
            "taille": self.path.stat().st_size,
            "source": match.spec.name,
            "profil": report.profile,
            "format": self.fmt.kind,
            "encodage": self.fmt.encoding.label if self.fmt.encoding else None,
            "separateur": self.fmt.delimiter,
            "entetes": json.dumps(list(match.headers), ensure_ascii=False),
            "debut": datetime.now(UTC),
            "utilisateur": audit.who(self.connection),
            "statut": "importe",
        }
        key = self.connection.execute(insert(LOT_TABLE).values(**values)).inserted_primary_key
        assert key is not None
        self.lot_id = int(key[0])
        self.report.lot_id = self.lot_id
        self.writer = SignalementWriter(self.connection, self.lot_id)

    def existing(self, source: str, fingerprints: list[bytes]) -> set[bytes]:
        return existing_fingerprints(self.connection, source, fingerprints)

    def insert(self, batch: NormalisedBatch, columns: tuple[str, ...]) -> None:
        assert self.writer is not None
        self.writer.insert(batch, columns)

    def finish(self) -> None:
        report = self.report
        self.connection.execute(
            update(LOT_TABLE)
            .where(LOT_TABLE.c.id == self.lot_id)
            .values(
                lignes_lues=report.read,
                importees=report.imported,
                deja_presentes=report.duplicates,
                rejetees=report.rejected,
                avertissements=report.warnings,
                fin=datetime.now(UTC),
                feuilles=" | ".join(report.sheets) or None,
            )
        )
        audit.record(
            self.connection,
            audit.AuditEntry(
                action="import",
                commande=self.options.command_line,
                nb_lignes=report.imported,
                chemin=str(self.path.resolve()),
                sha256=report.sha256,
                details={
                    "lot": self.lot_id,
                    "source": report.source,
                    "lignes_lues": report.read,
                    "deja_presentes": report.duplicates,
                    "rejetees": report.rejected,
                },
            ),
        )
