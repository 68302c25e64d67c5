"""Extraction speed and memory: `exploc extraire` over a whole département-sized base.

The base is the generator's bulk data set imported, linked and assigned once (shared with
``affectation_bench.py``, kept in ``benchmarks/out/affectation/``); each run works on a fresh
copy, upgraded with ``exploc init``. Every ménage is extracted (no filter), each command in its
own process:

  * .xlsx, profile « complet »: the first extraction (no summary kept: all computed, then kept),
    after a night's import changed one ménage in twenty, and with every summary kept;
  * .xlsx, profile « service-social » (19 columns);
  * .csv, profile « complet »;
  * .xlsx with ``--pseudonymiser``.

    python benchmarks/extraction_bench.py                    # 100,000 simulated households
    python benchmarks/extraction_bench.py --menages 30000    # to see that memory does not grow

Nothing is asserted: the script prints the wall clock of each process (start-up included), the
CPU seconds of the process and of its forked worker, and the peak memory (PSS) of the process
tree. The issue's target: a 100,000-row extraction in 15 s at most, with memory that does not
grow with the row count.
"""

from __future__ import annotations

import argparse
import resource
import sqlite3
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from affectation_bench import OUT, fresh_copy, linked_base  # noqa: E402
from linkage_bench import timed_cli  # noqa: E402


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--menages", type=int, default=100_000, help="ménages simulés (défaut : 100 000)")
    parser.add_argument("--graine", type=int, default=2026)
    parser.add_argument("--repetitions", type=int, default=2, help="mesures de chaque cas (la meilleure est gardée)")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    base = fresh_copy(linked_base(args.menages, args.graine))
    timed_cli(base, "init")
    timed_cli(base, "affecter")
    work = OUT / "extraction"
    work.mkdir(exist_ok=True)
    # (label, file, options, summaries kept before each run: "aucun" | "95 %" | "tous")
    cases = [
        ("xlsx complet, 1re extraction", "complet.xlsx", ["--colonnes", "complet"], "aucun"),
        ("xlsx complet, 5 % changés", "complet.xlsx", ["--colonnes", "complet"], "95 %"),
        ("xlsx, profil complet", "complet.xlsx", ["--colonnes", "complet"], "tous"),
        ("xlsx, profil service-social", "service_social.xlsx", [], "tous"),
        ("csv, profil complet", "complet.csv", ["--colonnes", "complet"], "tous"),
        ("xlsx pseudonymisé", "pseudonymes.xlsx", ["--colonnes", "complet", "--pseudonymiser"], "tous"),
    ]
    print(f"{'cas':30} {'lignes':>8} {'mur (s)':>8} {'CPU (s)':>8} {'lignes/s':>9} {'mémoire (Mo)':>13}")
    for label, name, options, kept in cases:
        best: tuple[float, float, float | None, int] | None = None
        for _ in range(args.repetitions):
            forget(base, kept)
            before = children_cpu()
            seconds, peak, report = timed_cli(
                base, "extraire", "--sortie", str(work / name), "--motif", "mesure de vitesse", *options
            )
            cpu = children_cpu() - before
            rows = int(report.get("lignes", 0))
            if best is None or seconds < best[0]:
                best = (seconds, cpu, peak, rows)
        assert best is not None
        seconds, cpu, peak, rows = best
        memory = f"{peak:.0f}" if peak else "?"
        print(f"{label:30} {rows:>8} {seconds:>8.1f} {cpu:>8.1f} {rows / seconds:>9.0f} {memory:>13}")


def forget(base: Path, kept: str) -> None:
    """Drop the kept summaries: all (a first extraction), one ménage in twenty (a night's import
    changed them), or none (the extraction after another)."""
    if kept == "tous":
        return
    where = "" if kept == "aucun" else " WHERE menage_id % 20 = 0"
    with sqlite3.connect(base) as connection:
        connection.execute(f"DELETE FROM resume_menage{where}")


if __name__ == "__main__":
    main()
