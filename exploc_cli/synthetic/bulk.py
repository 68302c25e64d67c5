"""``generate_bulk``: large CSV files for benchmarks, streamed.

Households are simulated in chunks (``bulk_rows.py``), in parallel processes when the machine
has several cores; each chunk streams its rows to part files, which are appended to the final
files in chunk order and deleted at once. Memory does not grow with the number of households,
and the files do not depend on the number of processes.
"""

from __future__ import annotations

import os
import shutil
import time
from collections import Counter, deque
from collections.abc import Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from datetime import date
from itertools import count, islice
from pathlib import Path
from typing import IO

from .bulk_rows import BULK_FILES, CHUNK_SIZE, ChunkResult, ChunkTask, layouts, part_path, run_chunk
from .columns import Columns
from .population import DEFAULT_REFERENCE_DATE
from .region import build_region, check_departements
from .report import FileCount, GenerationReport, GroundTruthWriter
from .sectorisation import write_sectorisation_csv
from .territory import write_communes_csv

__all__ = ["BULK_FILES", "REGION_COMMUNES", "REGION_SECTORISATION", "generate_bulk"]

REGION_COMMUNES = "referentiel/communes.csv"
REGION_SECTORISATION = "referentiel/sectorisation.csv"


def default_workers() -> int:
    """Processes to use: the machine's cores, at most 8."""
    return max(1, min(8, os.cpu_count() or 1))


def generate_bulk(
    dest: Path,
    menages: int,
    seed: int = 2026,
    ground_truth: Path | None = None,
    reference_date: date = DEFAULT_REFERENCE_DATE,
    huissier_lines: int | None = None,
    workers: int | None = None,
    departements: int = 1,
) -> GenerationReport:
    """Write ``caf.csv``, ``huissier.csv``, ``bailleur.csv`` and ``prefecture.csv`` for
    ``menages`` households (reference layouts, ``;``, UTF-8) into ``dest``.

    With ``huissier_lines``, write only ``huissier.csv``, with exactly that many rows,
    simulating as many households as it takes (``menages`` is then ignored).

    With ``departements`` N > 1 (at most 8, else ``ValueError`` with a French message), the
    ``menages`` households are spread over a region of N départements (``region.py``): each
    lives in one, some move to another; the CAF file then has a « Code INSEE » column, and the
    region's communes and sectorisation are written to ``referentiel/`` (out of the way of a
    ``*.csv`` of the folder). With N = 1, the files are those of the single fictional
    département, byte for byte, and nothing else is written.
    """
    check_departements(departements)
    started = time.perf_counter()
    dest.mkdir(parents=True, exist_ok=True)
    parts = dest / ".exploc-parties"
    shutil.rmtree(parts, ignore_errors=True)
    parts.mkdir()
    names = ("huissier.csv",) if huissier_lines is not None else BULK_FILES
    joiner = _Joiner(dest, parts, names, ground_truth, huissier_lines, layouts(departements))
    noise: Counter[str] = Counter()
    simulated = 0
    try:
        for result in _run(
            _tasks(parts, menages, seed, reference_date, names, ground_truth is not None, huissier_lines, departements),
            workers or default_workers(),
        ):
            simulated += result.households
            noise.update(dict(result.noise))
            if joiner.append(result):
                break
    finally:
        joiner.close()
        shutil.rmtree(parts, ignore_errors=True)
    files = tuple(FileCount(name, joiner.rows[name]) for name in names)
    if departements > 1:
        region = build_region(departements)
        files += (
            FileCount(REGION_COMMUNES, write_communes_csv(region, dest / REGION_COMMUNES)),
            FileCount(REGION_SECTORISATION, write_sectorisation_csv(region, dest / REGION_SECTORISATION)),
        )
    return GenerationReport(
        dest=dest,
        menages=simulated,
        seed=seed,
        reference_date=reference_date,
        files=files,
        noise=tuple(sorted(noise.items())),
        ground_truth=ground_truth,
        seconds=time.perf_counter() - started,
    )


def _tasks(
    parts: Path,
    menages: int,
    seed: int,
    ref: date,
    names: tuple[str, ...],
    with_truth: bool,
    huissier_lines: int | None,
    departements: int,
) -> Iterator[ChunkTask]:
    """Chunks of ``CHUNK_SIZE`` households; endless when a number of lines is asked."""
    for chunk in count():
        if huissier_lines is None:
            households = min(CHUNK_SIZE, menages - chunk * CHUNK_SIZE)
            if households <= 0:
                return
        else:
            households = CHUNK_SIZE
        yield ChunkTask(parts, chunk, households, seed, ref, names, with_truth, departements)


def _run(tasks: Iterator[ChunkTask], workers: int) -> Iterator[ChunkResult]:
    """Results in chunk order; at most ``2 × workers`` chunks ahead of the consumer."""
    if workers <= 1:
        for task in tasks:
            yield run_chunk(task)
        return
    executor = ProcessPoolExecutor(max_workers=workers)
    try:
        pending: deque[Future[ChunkResult]] = deque(
            executor.submit(run_chunk, task) for task in islice(tasks, 2 * workers)
        )
        while pending:
            result = pending.popleft().result()
            for task in islice(tasks, 1):
                pending.append(executor.submit(run_chunk, task))
            yield result
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


class _Joiner:
    """Appends the part files to the final files, numbering the ground-truth lines."""

    def __init__(
        self,
        dest: Path,
        parts: Path,
        names: tuple[str, ...],
        ground_truth: Path | None,
        limit: int | None,
        columns: dict[str, Columns],
    ) -> None:
        self.parts, self.names, self.limit = parts, names, limit
        self.rows = dict.fromkeys(names, 0)
        self.handles: dict[str, IO[bytes]] = {}
        for name in names:
            handle = (dest / name).open("wb")
            handle.write((";".join(h for _, h in columns[name]) + "\n").encode("utf-8"))
            self.handles[name] = handle
        self.truth = GroundTruthWriter(ground_truth)

    def append(self, result: ChunkResult) -> bool:
        """Append one chunk's parts; True once the line limit is reached."""
        kept: dict[str, int] = {}
        written = dict(result.rows)
        for name in self.names:
            part = part_path(self.parts, name, result.chunk)
            with part.open("rb") as source:
                if self.limit is None:
                    shutil.copyfileobj(source, self.handles[name], 1 << 20)
                    kept[name] = written[name]
                else:  # bulk rows never hold a line break: one line is one row
                    lines = list(islice(source, self.limit - self.rows[name]))
                    self.handles[name].writelines(lines)
                    kept[name] = len(lines)
            part.unlink()
        self._append_truth(result.chunk, kept)
        for name, number in kept.items():
            self.rows[name] += number
        return self.limit is not None and all(self.rows[n] >= self.limit for n in self.names)

    def _append_truth(self, chunk: int, kept: dict[str, int]) -> None:
        truth_part = part_path(self.parts, "verite", chunk)
        if not truth_part.exists():
            return
        seen = dict.fromkeys(self.names, 0)
        with truth_part.open(encoding="utf-8") as source:
            for line in source:
                name, menage, personne = line.rstrip("\n").split(";")
                seen[name] += 1
                if seen[name] <= kept[name]:
                    self.truth.add_one(name, self.rows[name] + seen[name], menage, personne)
        truth_part.unlink()

    def close(self) -> None:
        for handle in self.handles.values():
            handle.close()
        self.truth.close()
