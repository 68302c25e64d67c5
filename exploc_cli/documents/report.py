"""What generating a document produced (the files, the ménages they name by number), and its journal entries."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from .. import audit
from ..outputs import sha256_of
from ..store.db import write_transaction


@dataclass
class DocumentReport:
    seance: int
    kind: str
    files: list[Path] = field(default_factory=list)
    menages: list[int] = field(default_factory=list)
    encrypted: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "seance": self.seance,
            "document": self.kind,
            "fichiers": [str(p) for p in self.files],
            "menages": self.menages,
            "chiffre": self.encrypted,
        }


def journal_documents(engine: Engine, report: DocumentReport, command_line: str) -> None:
    """One journal entry per file: who, when, which file and its SHA-256, which ménages (by number)."""
    with write_transaction(engine) as connection:
        for path in report.files:
            audit.record(
                connection,
                audit.AuditEntry(
                    "document",
                    command_line,
                    nb_lignes=len(report.menages),
                    chemin=str(path),
                    sha256=sha256_of(path),
                    details={
                        "seance": report.seance,
                        "document": report.kind,
                        "menages": report.menages,
                        "chiffre": report.encrypted,
                    },
                ),
            )


def journal_or_remove(engine: Engine, report: DocumentReport, command_line: str) -> None:
    """Journal the files written; if the journal cannot be written (base busy too long, a role
    without the right), remove them: no nominative document may exist without its journal entry."""
    try:
        journal_documents(engine, report, command_line)
    except BaseException:
        for path in report.files:
            path.unlink(missing_ok=True)
        raise
