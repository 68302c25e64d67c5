"""The rejects file: every rejected row and every warning of one imported file, in French."""

from __future__ import annotations

import csv
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from ..outputs import neutralise, private_output
from .rows import REJECT, Anomaly

HEADER = ("fichier", "feuille", "ligne", "colonne", "valeur", "gravite", "motif")
PREVIEW = 20


class RejectsFile:
    """Streams anomalies to ``<rejets>/<date>_<fichier>_rejets.csv``, created on first use."""

    def __init__(self, folder: Path, source_name: str, display: str) -> None:
        stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
        safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in Path(source_name).stem)[:80]
        self.path = folder / f"{stamp}_{safe}_rejets.csv"
        self.display = display
        self.rejects: list[Anomaly] = []
        self.warnings: list[Anomaly] = []
        self._context: Any = None
        self._writer: Any = None
        self._handle: IO[str] | None = None

    def add(self, anomaly: Anomaly) -> None:
        bucket = self.rejects if anomaly.severity == REJECT else self.warnings
        if len(bucket) < PREVIEW:
            bucket.append(anomaly)
        if self._writer is None:
            self._context = private_output(self.path)
            self._handle = self._context.__enter__()
            self._writer = csv.writer(self._handle, delimiter=";", lineterminator="\r\n")
            self._writer.writerow(HEADER)
        self._writer.writerow(
            (
                neutralise(Path(self.display).name),
                neutralise(anomaly.sheet or ""),
                anomaly.row,
                neutralise(anomaly.column),
                neutralise(anomaly.value),
                anomaly.severity,
                neutralise(anomaly.reason),
            )
        )

    @property
    def written(self) -> bool:
        return self._writer is not None

    def close(self) -> None:
        if self._context is not None:
            self._context.__exit__(None, None, None)
            self._context = None
