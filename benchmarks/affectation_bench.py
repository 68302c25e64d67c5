"""Assignment speed: ``exploc affecter`` on a département-sized base, in its own process.

The base is the generator's bulk data set (N simulated households, the four large partner
files), imported and linked once then kept in ``benchmarks/out/affectation/`` (delete the folder
to rebuild it), with the sample sectorisation (``sample_data/referentiel/sectorisation.csv``:
the same fictional territory). Each measure works on a fresh copy of that base:

  * ``affecter --simulation``  every open ménage decided, nothing written;
  * ``affecter``               the first run: every ménage gets its assignment (rows written);
  * ``affecter`` again         nothing changed: decided again, nothing written;
  * ``affecter --regles``      rules that test the stage and the debt (the parcours is needed).

    python benchmarks/affectation_bench.py                    # 210,000 households ≈ 200,000 ménages
    python benchmarks/affectation_bench.py --menages 20000    # a quicker look
    python benchmarks/affectation_bench.py --rapide           # without the parcours rules (≈ 80 s)

Nothing is asserted: the script prints figures (wall clock of the process, time inside the
assignment as the command reports it, peak memory of the process tree).
"""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from linkage_bench import fresh_base, timed_cli  # noqa: E402

from exploc_cli.affectation.sectorisation_import import import_sectorisation  # noqa: E402
from exploc_cli.importers.service import ImportOptions, import_paths  # noqa: E402
from exploc_cli.linkage.service import link_households  # noqa: E402
from exploc_cli.store.db import open_store, resolve_location  # noqa: E402
from exploc_cli.synthetic import generate_bulk  # noqa: E402

OUT = ROOT / "benchmarks" / "out" / "affectation"
SECTORISATION = ROOT / "sample_data" / "referentiel" / "sectorisation.csv"

# Rules that need each ménage's parcours (stage, debt): the slow path of the assignment.
PARCOURS_RULES = """
version = "banc-parcours"
[[regle]]
id = "cql-departement"
description = "Au stade du CQL ou au-delà : le Département."
reference = "banc d'essai"
si = { etape = { parmi = ["cql", "requisition_cfp", "decision_cfp", "pv_tentative"] } }
service = { type = "departement", unite = "secteur" }
[[regle]]
id = "grosse-dette-caf"
description = "Allocataires avec une dette d'au moins 3 000 euros : la CAF."
reference = "banc d'essai"
si = { allocataire = true, dette = { au_moins = 3000 } }
service = { type = "caf" }
[[regle]]
id = "reste"
description = "Tous les autres : le Département."
reference = "banc d'essai"
service = { type = "departement", unite = "secteur" }
"""


def linked_base(households: int, seed: int) -> Path:
    """The imported, linked base with the sectorisation (built once, then reused)."""
    folder = OUT / f"bulk-{households}-{seed}"
    base = folder / "lie.sqlite"
    if base.exists():
        return base
    data = folder / "donnees"
    shutil.rmtree(folder, ignore_errors=True)
    started = time.perf_counter()
    generate_bulk(data, households, seed=seed)
    print(f"génération de {households:,} ménages simulés : {time.perf_counter() - started:.0f} s".replace(",", " "))
    building = folder / "construction.sqlite"
    fresh_base(building)
    location = resolve_location(str(building))
    engine = open_store(location)
    started = time.perf_counter()
    import_paths(engine, location, sorted(data.glob("*.csv")), ImportOptions(link=False))
    print(f"import : {time.perf_counter() - started:.0f} s")
    started = time.perf_counter()
    link_households(engine, full=True)
    print(f"liaison : {time.perf_counter() - started:.0f} s")
    import_sectorisation(engine, SECTORISATION)
    engine.dispose()
    building.rename(base)
    Path(str(building) + ".import.verrou").unlink(missing_ok=True)
    return base


def fresh_copy(base: Path) -> Path:
    copy = base.with_name("mesure.sqlite")
    for suffix in ("-wal", "-shm"):
        Path(str(copy) + suffix).unlink(missing_ok=True)
    shutil.copy(base, copy)
    return copy


def show(label: str, seconds: float, peak: float | None, report: dict) -> None:
    inside = report.get("secondes", 0)
    print(
        f"{label:<34} {report.get('menages_examines', 0):>8,} ménages  {len(report.get('changements', [])):>8,} "
        f"changements  {report.get('a_trier', 0):>7,} à trier  {inside:>6.1f} s dans l'affectation  "
        f"{seconds:>6.1f} s au total  {peak or 0:>6.0f} Mo".replace(",", " ")
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--menages", type=int, default=210_000, help="ménages simulés (défaut : 210 000)")
    parser.add_argument("--graine", type=int, default=2026)
    parser.add_argument("--rapide", action="store_true", help="sans la mesure des règles sur le parcours (≈ 80 s)")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    base = linked_base(args.menages, args.graine)
    print(f"base : {base}")
    show("affecter --simulation", *timed_cli(fresh_copy(base), "affecter", "--simulation"))
    work = fresh_copy(base)
    show("affecter (premier passage)", *timed_cli(work, "affecter"))
    show("affecter (rien n'a changé)", *timed_cli(work, "affecter"))
    if args.rapide:
        return
    rules = OUT / "regles_parcours.toml"
    rules.write_text(PARCOURS_RULES, encoding="utf-8")
    show(
        "affecter --simulation (parcours)",
        *timed_cli(fresh_copy(base), "affecter", "--simulation", "--regles", str(rules)),
    )


if __name__ == "__main__":
    main()
