"""What a generation produced: files and row counts, rows meant for rejection, noise applied."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

GROUND_TRUTH_HEADER = ("fichier", "ligne", "menage_vrai", "personne")


@dataclass(frozen=True, slots=True)
class FileCount:
    """A written file (path relative to the output folder) and its data rows."""

    fichier: str
    lignes: int


@dataclass(frozen=True, slots=True)
class ExpectedReject:
    """A row the importer must keep out of the store, and why."""

    fichier: str
    ligne: int
    motif: str


@dataclass(frozen=True, slots=True)
class GenerationReport:
    """Summary of one run of the generator."""

    dest: Path
    menages: int
    seed: int
    reference_date: date
    files: tuple[FileCount, ...]
    expected_rejects: tuple[ExpectedReject, ...] = ()
    noise: tuple[tuple[str, int], ...] = ()  # noise kind → rows affected
    ground_truth: Path | None = None
    seconds: float = 0.0

    @property
    def total_rows(self) -> int:
        """Data rows over every partner file (the commune table excluded)."""
        return sum(f.lignes for f in self.files if not f.fichier.startswith("referentiel/"))

    def rows(self, fichier: str) -> int:
        """Data rows of one file, by its path relative to ``dest``."""
        for entry in self.files:
            if entry.fichier == fichier:
                return entry.lignes
        raise KeyError(fichier)

    def noise_count(self, kind: str) -> int:
        return dict(self.noise).get(kind, 0)

    @property
    def rows_per_second(self) -> float:
        return self.total_rows / self.seconds if self.seconds > 0 else 0.0


class GroundTruthWriter:
    """Streams ``fichier;ligne;menage_vrai;personne`` lines (UTF-8, ``;``)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._handle = None
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._handle = path.open("w", encoding="utf-8", newline="")
            self._writer = csv.writer(self._handle, delimiter=";", lineterminator="\n")
            self._writer.writerow(GROUND_TRUTH_HEADER)

    def add(self, fichier: str, truth: Iterable[tuple[str, str]], first_line: int = 1) -> None:
        if self._handle is None:
            return
        for ligne, (menage, personne) in enumerate(truth, start=first_line):
            self._writer.writerow((fichier, ligne, menage, personne))

    def add_one(self, fichier: str, ligne: int, menage: str, personne: str) -> None:
        if self._handle is not None:
            self._writer.writerow((fichier, ligne, menage, personne))

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None
