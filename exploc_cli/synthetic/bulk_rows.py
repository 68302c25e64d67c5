"""Bulk mode, one chunk of households: simulate them and stream their rows to part files.

Each chunk has its own seeds and its own range of partner references, so chunks can run in
parallel processes and still give the same files, whatever the number of processes.

In a region (several départements, ``region.py``), the CAF file gains a last column « Code
INSEE » (the commune of the dwelling): the other partners write only postcode and commune.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import IO

from .columns import BAILLEUR_COLUMNS, CAF_COLUMNS, HUISSIER_COLUMNS, PREFECTURE_COLUMNS, Columns
from .draw import pick
from .households import Evenement, Menage
from .noise import NBSP, dot_amount, fr_amount, fr_date
from .population import iter_menages
from .region import build_region
from .sources import (
    ACT_LABELS,
    HUISSIER_CODES,
    JUDGMENT_LABELS,
    Row,
    bailleur_row,
    caf_row,
    huissier_row,
    prefecture_row,
    served_to,
)
from .territory import Territory
from .writers import CsvFormat, csv_text, open_csv

BULK_FILES = ("caf.csv", "huissier.csv", "bailleur.csv", "prefecture.csv")
LAYOUTS: dict[str, Columns] = {
    "caf.csv": CAF_COLUMNS,
    "huissier.csv": HUISSIER_COLUMNS,
    "bailleur.csv": BAILLEUR_COLUMNS,
    "prefecture.csv": PREFECTURE_COLUMNS,
}
REGIONAL_CAF_COLUMNS: Columns = (*CAF_COLUMNS, ("code_insee", "Code INSEE"))
CHUNK_SIZE = 2000  # households per chunk
COUNTER_STRIDE = 10_000  # references per chunk and kind: far more than 2,000 households use


def _caf_amount(rng: random.Random, cents: int) -> str:
    return fr_amount(cents, "", euro=True) if rng.random() < 0.2 else fr_amount(cents, NBSP)


_FORMATS = {
    "caf.csv": CsvFormat(_caf_amount),
    "huissier.csv": CsvFormat(lambda _r, c: dot_amount(c)),
    "bailleur.csv": CsvFormat(lambda _r, c: fr_amount(c, NBSP)),
    "prefecture.csv": CsvFormat(lambda _r, c: dot_amount(c)),
}


def layouts(departements: int) -> dict[str, Columns]:
    """The columns of each file: the reference layouts, and the CAF's INSEE code in a region."""
    if departements == 1:
        return LAYOUTS
    return {**LAYOUTS, "caf.csv": REGIONAL_CAF_COLUMNS}


def part_path(folder: Path, name: str, chunk: int) -> Path:
    """The part of file ``name`` (or of the ground truth) that chunk ``chunk`` writes."""
    return folder / f"{name}.{chunk:06d}.part"


@dataclass
class _Output:
    """One streamed part file."""

    fields: tuple[str, ...]
    fmt: CsvFormat
    handle: IO[str]
    writerow: Callable[[Iterable[str]], object]
    rows: int = 0


class _ChunkWriter:
    """Writes a chunk's rows (no header line) and, if asked, its ground truth
    (``fichier;menage_vrai;personne``: the line numbers are set when the parts are joined)."""

    def __init__(
        self,
        folder: Path,
        chunk: int,
        names: tuple[str, ...],
        with_truth: bool,
        rng: random.Random,
        columns: dict[str, Columns],
    ) -> None:
        self.rng = rng
        self.outputs: dict[str, _Output] = {}
        for name in names:
            handle, writerow = open_csv(part_path(folder, name, chunk), "utf-8", ";", "\n")
            fields = tuple(field for field, _ in columns[name])
            self.outputs[name] = _Output(fields, _FORMATS[name], handle, writerow)
        self.truth: IO[str] | None = None
        if with_truth:
            self.truth = part_path(folder, "verite", chunk).open("w", encoding="utf-8")

    def format(self, name: str, row: Row) -> list[str]:
        out, rng = self.outputs[name], self.rng
        fmt = out.fmt
        # Most cells are already text: test that inline, call csv_text for the others.
        return [
            value if isinstance(value, str) else csv_text(value, fmt, rng) for value in map(row.values.get, out.fields)
        ]

    def write(self, name: str, text: list[str], menage: str, personne: str) -> None:
        out = self.outputs[name]
        out.writerow(text)
        out.rows += 1
        if self.truth is not None:
            self.truth.write(f"{name};{menage};{personne}\n")

    def write_row(self, name: str, row: Row) -> list[str]:
        """Format and write ``row``; return the text written."""
        text = self.format(name, row)
        self.write(name, text, row.menage, row.personne)
        return text

    def close(self) -> None:
        for out in self.outputs.values():
            out.handle.close()
        if self.truth is not None:
            self.truth.close()


@dataclass(frozen=True, slots=True)
class ChunkTask:
    """What one worker generates."""

    folder: Path
    chunk: int
    households: int
    seed: int
    reference_date: date
    names: tuple[str, ...]
    with_truth: bool
    departements: int = 1


@dataclass(frozen=True, slots=True)
class ChunkResult:
    chunk: int
    households: int
    rows: tuple[tuple[str, int], ...]
    noise: tuple[tuple[str, int], ...]


@lru_cache(maxsize=2)
def _territory(departements: int) -> Territory:
    return build_region(departements)


def run_chunk(task: ChunkTask) -> ChunkResult:
    """Simulate one chunk of households and write its part files."""
    rng = random.Random(f"{task.seed}-gros-volume-{task.chunk}")
    noise: Counter[str] = Counter()
    out = _ChunkWriter(task.folder, task.chunk, task.names, task.with_truth, rng, layouts(task.departements))
    acts_only = task.names == ("huissier.csv",)
    try:
        for menage in iter_menages(
            task.households,
            f"{task.seed}-{task.chunk}",
            _territory(task.departements),
            task.reference_date,
            first_index=task.chunk * CHUNK_SIZE + 1,
            counter_base=task.chunk * COUNTER_STRIDE,
            with_suivi=False,
        ):
            if acts_only:
                _write_acts(out, rng, noise, menage)
            else:
                _write_all(out, rng, noise, menage, task.reference_date)
    finally:
        out.close()
    rows = tuple((name, o.rows) for name, o in out.outputs.items())
    return ChunkResult(task.chunk, task.households, rows, tuple(noise.items()))


_H = {field: index for index, (field, _) in enumerate(HUISSIER_COLUMNS)}
_CAF_DETTE = [field for field, _ in CAF_COLUMNS].index("dette")
_Cache = dict[tuple[int, str | None], tuple[list[str], str]]


def _write_act(
    out: _ChunkWriter, rng: random.Random, noise: Counter[str], menage: Menage, event: Evenement, cache: _Cache
) -> None:
    """An act, served to each co-titulaire or once for the household.

    The lighter bulk model: a firm usually spells a tenant the same way from one act to the
    next, so the identity columns are reused and only the act's own are redrawn.
    """
    for role in served_to(rng, menage):
        cached = cache.get((event.logement, role))
        if cached is None or rng.random() < 0.15:
            row = huissier_row(rng, noise, menage, event, False, role)
            cache[(event.logement, role)] = (out.write_row("huissier.csv", row), row.personne)
            continue
        text, personne = list(cached[0]), cached[1]
        code = event.code
        text[_H["reference"]] = event.dossier
        text[_H["type_acte"]] = pick(rng, ACT_LABELS[code])
        text[_H["date_acte"]] = fr_date(event.date)
        text[_H["dette"]] = dot_amount(event.dette)
        audience = event.date_liee if code == "assignation" else None
        text[_H["date_audience"]] = fr_date(audience) if audience else ""
        text[_H["decision"]] = pick(rng, JUDGMENT_LABELS[event.valeur]) if code == "jugement" else ""
        out.write("huissier.csv", text, menage.ident, personne)


def _write_acts(out: _ChunkWriter, rng: random.Random, noise: Counter[str], menage: Menage) -> None:
    cache: _Cache = {}
    for event in menage.evenements:
        if event.code in HUISSIER_CODES:
            _write_act(out, rng, noise, menage, event, cache)


def _write_all(out: _ChunkWriter, rng: random.Random, noise: Counter[str], menage: Menage, ref: date) -> None:
    cache: _Cache = {}
    for event in menage.evenements:
        code = event.code
        if code in HUISSIER_CODES:
            _write_act(out, rng, noise, menage, event, cache)
        if code == "requisition_cfp":
            out.write_row("prefecture.csv", prefecture_row(rng, noise, menage, event, ref))
        elif code == "signalement_caf":
            _write_caf(out, rng, noise, menage, event)
        elif code == "saisine":
            premier = next(
                (e.date for e in menage.evenements if e.code == "impaye" and e.episode == event.episode), None
            )
            out.write_row("bailleur.csv", bailleur_row(rng, noise, menage, event, premier))


def _write_caf(out: _ChunkWriter, rng: random.Random, noise: Counter[str], menage: Menage, event: Evenement) -> None:
    """A signalement, then the CAF's next monthly lists while the situation stays open
    (0 to 5 more months): the same values (duplicates), or a higher debt (observations)."""
    row = caf_row(rng, noise, menage, event, event.dette, 0.1)
    row.values["code_insee"] = menage.logements[event.logement].commune.code_insee  # regional layout only
    text = out.write_row("caf.csv", row)
    monthly = menage.logements[event.logement].loyer_cc
    dette = event.dette
    for _ in range(int(rng.random() * 6)):
        if rng.random() < 0.4:  # the same values again: a duplicate the importer must skip
            noise["caf_ligne_repetee"] += 1
        else:
            noise["caf_dette_actualisee"] += 1
            dette += int(monthly * (0.5 + rng.random()))
            text = list(text)
            text[_CAF_DETTE] = _caf_amount(rng, dette)
        out.write("caf.csv", text, row.menage, row.personne)
