"""What generating a document produced: the files, the ménages they name (by number)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


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
