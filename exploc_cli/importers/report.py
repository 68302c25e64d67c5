"""What an import reports, per file and overall (French keys in JSON)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .rows import Anomaly

# Exit codes shared by the whole tool (documented in the README).
OK, BUG, USAGE, INPUT, CHECKS_FAILED, PARTIAL, BUSY = 0, 1, 2, 3, 4, 5, 6
_SEVERITY = {OK: 0, PARTIAL: 1, INPUT: 2, BUSY: 3, BUG: 4}

STATUS_LABELS = {
    "importe": "importé",
    "importe_avec_rejets": "importé avec des rejets",
    "deja_importe": "déjà importé",
    "simulation": "simulation (rien n'a été écrit)",
    "erreur": "refusé",
}


def worst(codes: list[int]) -> int:
    """The worst of several exit codes (3 « nothing written » is worse than 5 « partial »)."""
    return max(codes, key=lambda c: _SEVERITY.get(c, 4), default=OK)


@dataclass
class FileReport:
    path: str
    status: str = "erreur"
    exit_code: int = INPUT
    sha256: str | None = None
    source: str | None = None
    detection: str | None = None
    format: str | None = None
    profile: str | None = None
    sheets: list[str] = field(default_factory=list)
    lot_id: int | None = None
    previous_lot: int | None = None
    read: int = 0
    imported: int = 0
    duplicates: int = 0
    rejected: int = 0
    warnings: int = 0
    rejects_path: str | None = None
    archived_to: str | None = None
    message: str | None = None
    hint: str | None = None
    reject_preview: list[Anomaly] = field(default_factory=list)
    warning_preview: list[Anomaly] = field(default_factory=list)

    def to_json(self) -> dict[str, Any]:
        return {
            "fichier": self.path,
            "statut": self.status,
            "code": self.exit_code,
            "sha256": self.sha256,
            "source": self.source,
            "detection": self.detection,
            "format": self.format,
            "profil": self.profile,
            "feuilles": self.sheets,
            "lot": self.lot_id,
            "lot_precedent": self.previous_lot,
            "lignes_lues": self.read,
            "importees": self.imported,
            "deja_presentes": self.duplicates,
            "rejetees": self.rejected,
            "avertissements": self.warnings,
            "fichier_rejets": self.rejects_path,
            "archive": self.archived_to,
            "message": self.message,
            "conseil": self.hint,
            "rejets": [_anomaly_json(a) for a in self.reject_preview],
        }


def _anomaly_json(anomaly: Anomaly) -> dict[str, Any]:
    return {
        "feuille": anomaly.sheet,
        "ligne": anomaly.row,
        "colonne": anomaly.column,
        "valeur": anomaly.value,
        "motif": anomaly.reason,
    }


@dataclass
class ImportReport:
    files: list[FileReport]
    dry_run: bool = False
    linkage: Any = None  # the LinkReport of the linkage that followed, if any

    @property
    def exit_code(self) -> int:
        return worst([f.exit_code for f in self.files])

    def totals(self) -> dict[str, int]:
        return {
            "fichiers": len(self.files),
            "lignes_lues": sum(f.read for f in self.files),
            "importees": sum(f.imported for f in self.files),
            "deja_presentes": sum(f.duplicates for f in self.files),
            "rejetees": sum(f.rejected for f in self.files),
            "fichiers_refuses": sum(1 for f in self.files if f.status == "erreur"),
        }

    def to_json(self) -> dict[str, Any]:
        return {
            "simulation": self.dry_run,
            "code_sortie": self.exit_code,
            "totaux": self.totals(),
            "fichiers": [f.to_json() for f in self.files],
        }
