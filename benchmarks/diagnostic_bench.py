"""Diagnostic speed: ``exploc diagnostic`` on a base of more than 1,000,000 signalements.

The base is the generator's bulk data set (N simulated households: the CAF, commissaire de
justice, bailleur and préfecture files), imported and linked like real files, with the sample
sectorisation, the shipped assignment rules and a few sessions of the commission (their
inscriptions and préconisations written directly). It is built once and kept in
``benchmarks/out/diagnostic/`` (delete the folder to rebuild it): 240,000 households give about
1,015,000 signalements and 1,700,000 events.

Then each measure runs the command in its own process (wall clock including start-up, peak memory
of the process), best of ``--essais`` runs:

  * one year, by commune, to .xlsx;
  * the same year compared with the previous one, by unit, to .xlsx;
  * one year, by commune, to .docx (the charts drawn by matplotlib).

    python benchmarks/diagnostic_bench.py                     # 240,000 households ≈ 1,015,000 signalements
    python benchmarks/diagnostic_bench.py --menages 20000     # a quicker look

Nothing is asserted: the script prints figures (target: 30 s for 1,000,000 signalements).
"""

from __future__ import annotations

import argparse
import random
import resource
import shutil
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from affectation_bench import linked_base  # noqa: E402
from linkage_bench import timed_cli  # noqa: E402
from sqlalchemy import text  # noqa: E402

from exploc_cli.affectation.rules import DEFAULT_RULES_PATH, load_rules  # noqa: E402
from exploc_cli.affectation.service import assign_all  # noqa: E402
from exploc_cli.config import Settings  # noqa: E402
from exploc_cli.store.db import initialise_store, open_store, resolve_location, write_transaction  # noqa: E402

OUT = ROOT / "benchmarks" / "out" / "diagnostic"
EPCI = ROOT / "sample_data" / "referentiel" / "communes.csv"
DESTINATAIRES = ("bailleur", "locataire", "fsl", "caf_msa", "prefet", "service_social")
STATUTS = ("a_faire", "realisee", "realisee", "non_realisee", "caduque")
AVIS = ("preconisations", "maintien_lieux", "relogement", "ajournement", "cfp_favorable", None)


def built_base(households: int, seed: int) -> Path:
    """The imported, linked and assigned base, with sessions (built once, then reused).

    Import, linkage and sectorisation are those of ``affectation_bench.linked_base`` (shared).
    """
    folder = OUT / f"bulk-{households}-{seed}"
    base = folder / "diagnostic.sqlite"
    if base.exists():
        return base
    folder.mkdir(parents=True, exist_ok=True)
    building = folder / "construction.sqlite"
    shutil.copy(linked_base(households, seed), building)
    location = resolve_location(str(building))
    initialise_store(location)
    engine = open_store(location)
    started = time.perf_counter()
    assign_all(engine, load_rules(DEFAULT_RULES_PATH), Settings(), day=date(2026, 10, 31), simulation=False)
    print(f"affectation : {time.perf_counter() - started:.0f} s")
    _sessions(engine, seed)
    engine.dispose()
    building.rename(base)
    return base


def _sessions(engine: object, seed: int) -> None:
    """Two sessions a month in 2024 and 2025, 20 households each, with avis and préconisations."""
    draw = random.Random(seed)
    now = datetime.now(UTC)
    with write_transaction(engine) as connection:  # type: ignore[arg-type]
        menages = [row[0] for row in connection.execute(text("SELECT id FROM menage WHERE statut = 'ouvert'"))]
        day = date(2024, 1, 8)
        while day < date(2026, 1, 1):
            seance = connection.execute(
                text(
                    "INSERT INTO seance (date_seance, instance, cree_le, cree_par) "
                    "VALUES (:d, 'CCAPEX centrale', :now, 'banc') RETURNING id"
                ),
                {"d": day, "now": now},
            ).scalar_one()
            for rank, menage in enumerate(draw.sample(menages, 20), start=1):
                avis = draw.choice(AVIS)
                inscription = connection.execute(
                    text(
                        "INSERT INTO inscription (seance_id, menage_id, rang, motif, ajoute_le, ajoute_par, avis) "
                        "VALUES (:s, :m, :r, 'banc', :now, 'banc', :a) RETURNING id"
                    ),
                    {"s": seance, "m": menage, "r": rank, "now": now, "a": avis},
                ).scalar_one()
                for number in range(1, draw.randint(1, 3) + 1 if avis else 1):
                    connection.execute(
                        text(
                            "INSERT INTO preconisation (inscription_id, menage_id, numero, destinataire, type, statut, "
                            "cree_le) VALUES (:i, :m, :n, :d, 'plan_apurement', :st, :now)"
                        ),
                        {"i": inscription, "m": menage, "n": number, "d": draw.choice(DESTINATAIRES),
                         "st": draw.choice(STATUTS), "now": now},
                    )  # fmt: skip
            day += timedelta(days=14)


def _counts(base: Path) -> str:
    engine = open_store(resolve_location(str(base)))
    with engine.connect() as connection:
        numbers = [
            connection.execute(text(f"SELECT COUNT(*) FROM {table}")).scalar_one()
            for table in ("signalement", "evenement", "menage", "affectation", "preconisation")
        ]
    engine.dispose()
    return (
        f"{numbers[0]:,} signalements, {numbers[1]:,} événements, {numbers[2]:,} ménages, "
        f"{numbers[3]:,} affectations, {numbers[4]:,} préconisations"
    ).replace(",", " ")


def _children_cpu() -> float:
    """CPU seconds (user + system) of the finished child processes and their own children."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def measure(label: str, base: Path, runs: int, *arguments: str) -> None:
    """Best wall clock of ``runs`` runs, with its peak memory and CPU time (the machine may be shared:
    the CPU time, both processes together, does not depend on the other programs running)."""
    best: tuple[float, float | None, dict[str, object]] | None = None
    cpu = 0.0
    for _ in range(runs):
        before = _children_cpu()
        result = timed_cli(base, "diagnostic", *arguments)
        if best is None or result[0] < best[0]:
            best, cpu = result, _children_cpu() - before
    assert best is not None
    seconds, peak, report = best
    households = f"{report.get('menages', 0):>9,}".replace(",", " ")
    print(f"{label:<54} {seconds:>6.1f} s  (CPU {cpu:>5.1f} s)  {peak or 0:>6.0f} Mo  {households} ménages concernés  "
          f"{report.get('tableaux', 0):>3} tableaux")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--menages", type=int, default=240_000, help="ménages simulés (défaut : 240 000)")
    parser.add_argument("--graine", type=int, default=2026)
    parser.add_argument("--essais", type=int, default=2, help="mesures par commande (la meilleure est gardée)")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    base = built_base(args.menages, args.graine)
    initialise_store(resolve_location(str(base)))  # a base built before a new migration is brought up to date
    print(f"base : {base}\n  {_counts(base)}")
    out = OUT / "sorties"
    out.mkdir(exist_ok=True)
    year = ("--du", "01/01/2025", "--au", "31/12/2025")
    measure("une année, par commune, .xlsx", base, args.essais, "--sortie", str(out / "d.xlsx"), *year)
    measure(
        "une année comparée à la précédente, par unité, .xlsx",
        base,
        args.essais,
        "--sortie", str(out / "c.xlsx"), *year, "--territoire", "unite",
        "--comparer-du", "01/01/2024", "--comparer-au", "31/12/2024",
    )  # fmt: skip
    measure("une année, par EPCI, .docx", base, args.essais,
            "--sortie", str(out / "d.docx"), *year, "--territoire", "epci", "--table-epci", str(EPCI))  # fmt: skip


if __name__ == "__main__":
    main()
