"""``generate_sample``: the small, hand-inspectable partner files of ``sample_data/``."""

from __future__ import annotations

import random
import time
from datetime import date
from pathlib import Path

from .households import Menage
from .lisezmoi import write_lisezmoi
from .population import DEFAULT_REFERENCE_DATE, simulate_population
from .profiles import write_profiles
from .report import FileCount, GenerationReport, GroundTruthWriter
from .sample_files import (
    SampleContext,
    write_caf_files,
    write_dupuis_csv,
    write_huissier_csv,
    write_huissier_xlsx,
)
from .sample_others import (
    write_bailleur_xlsx,
    write_logis_xlsx,
    write_prefecture_csv,
    write_suivi_xlsx,
)
from .sectorisation import write_sectorisation_csv
from .sources import HUISSIER_CODES
from .territory import build_territory, write_communes_csv
from .truth import write_events

COMMUNES_CSV = "referentiel/communes.csv"
SECTORISATION_CSV = "referentiel/sectorisation.csv"
HOMONYM_SURNAMES = ("MARTIN", "BERNARD", "PETIT", "DURAND", "MOREAU", "THOMAS")
_VISIBLE_CODES = (*HUISSIER_CODES, "signalement_caf", "saisine")


def generate_sample(
    dest: Path,
    menages: int = 400,
    seed: int = 2026,
    ground_truth: Path | None = None,
    reference_date: date = DEFAULT_REFERENCE_DATE,
) -> GenerationReport:
    """Simulate ``menages`` households and write the sample partner files into ``dest``."""
    started = time.perf_counter()
    territory = build_territory()
    population = simulate_population(menages, seed, territory, reference_date)
    ctx = SampleContext(dest, seed, population)
    make_homonyms(ctx)
    dest.mkdir(parents=True, exist_ok=True)
    for writer in (
        write_caf_files,
        write_huissier_csv,
        write_huissier_xlsx,
        write_bailleur_xlsx,
        write_prefecture_csv,
        write_suivi_xlsx,
        write_dupuis_csv,
        write_logis_xlsx,
    ):
        writer(ctx)
    in_files = {menage for rows in ctx.truth.values() for menage, _ in rows}
    ctx.noise["demenagement"] = sum(1 for m in population if len(m.logements) > 1 and m.ident in in_files)
    write_profiles(dest)
    communes = write_communes_csv(territory, dest / COMMUNES_CSV)
    sectorisation = write_sectorisation_csv(territory, dest / SECTORISATION_CSV)
    truth = GroundTruthWriter(ground_truth)
    for fichier, rows in ctx.truth.items():
        truth.add(fichier, rows)
    truth.close()
    if ground_truth is not None:
        write_events(population, events_path(ground_truth))
    files = tuple(FileCount(f, len(rows)) for f, rows in ctx.truth.items())
    files += (FileCount(COMMUNES_CSV, communes), FileCount(SECTORISATION_CSV, sectorisation))
    report = GenerationReport(
        dest=dest,
        menages=menages,
        seed=seed,
        reference_date=reference_date,
        files=files,
        expected_rejects=tuple(ctx.rejects),
        noise=tuple(sorted(ctx.noise.items())),
        ground_truth=ground_truth,
        seconds=time.perf_counter() - started,
    )
    write_lisezmoi(dest, report)
    return report


def events_path(ground_truth: Path) -> Path:
    """Where the simulated events go, next to the ground truth: ``<nom>_evenements.csv``."""
    return ground_truth.with_name(f"{ground_truth.stem}_evenements.csv")


def _visible(menage: Menage) -> bool:
    """Single, unmarried, never moved, and in a 2025 or early-2026 file."""
    return (
        menage.conjoint is None
        and not menage.titulaire.mariee
        and len(menage.logements) == 1
        and any(e.code in _VISIBLE_CODES and date(2025, 1, 1) <= e.date <= date(2026, 3, 31) for e in menage.evenements)
    )


def make_homonyms(ctx: SampleContext) -> None:
    """Give pairs of *different* households the same common surname in the same commune.

    Two pairs also share the street, and one of those the first name: only the birth date,
    the house number and the rest of the row tell them apart. Linkage must not merge them.
    """
    rng = random.Random(f"{ctx.seed}-homonymes")
    by_commune: dict[str, list[Menage]] = {}
    for menage in ctx.menages:
        if _visible(menage):
            by_commune.setdefault(menage.logements[0].commune.code_insee, []).append(menage)
    pairs: list[tuple[Menage, Menage]] = []
    for candidates in by_commune.values():
        while len(candidates) >= 2 and len(pairs) < len(HOMONYM_SURNAMES):
            pairs.append((candidates.pop(0), candidates.pop(0)))
    for index, (first, second) in enumerate(pairs):
        surname = HOMONYM_SURNAMES[index]
        for person in (first.titulaire, second.titulaire):
            person.nom_naissance = person.nom_usage = surname
        if index < 2:
            lodging, other = first.logements[0], second.logements[0]
            other.rue = lodging.rue
            other.numero = lodging.numero + 2 + int(rng.random() * 20)
        if index == 1:
            second.titulaire.sexe = first.titulaire.sexe
            second.titulaire.prenom = first.titulaire.prenom
            if second.titulaire.naissance == first.titulaire.naissance:
                second.titulaire.naissance = second.titulaire.naissance.replace(year=1990)
        ctx.noise["homonymes"] += 1
