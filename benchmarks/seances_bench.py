"""Session documents speed: a CCAPEX session of 200 ménages on a département-sized base.

The base is the generator's bulk data set imported and linked once (shared with
``affectation_bench.py``, kept in ``benchmarks/out/affectation/``); each run works on a fresh copy
(upgraded with ``exploc init`` when the schema moved on). Each command runs in its own process:

  * ``seances ajouter --dette-min 1000 --limite 200``  the selection (every ménage's parcours read);
  * ``seances ordre-du-jour``, ``seances dossier`` (200 fiches), ``seances feuille-decisions``;
  * ``seances decisions`` (the sheet filled with an avis and a préconisation per ménage),
    ``seances releve`` and ``seances courriers`` (letters to 200 tenants and their bailleurs).

    python benchmarks/seances_bench.py                    # 30,000 simulated households (one year)
    python benchmarks/seances_bench.py --menages 210000   # the assignment benchmark's base

Nothing is asserted: the script prints the wall clock of each process (start-up included) and the
peak memory of its process tree. The issue's target: a dossier of 200 households in 5 s at most.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import openpyxl  # noqa: E402
from affectation_bench import OUT, fresh_copy, linked_base  # noqa: E402
from linkage_bench import timed_cli  # noqa: E402


def fill(sheet: Path) -> None:
    """An avis and a préconisation on every row, as a secretary would after the session."""
    workbook = openpyxl.load_workbook(sheet)
    decisions = workbook["Décisions"]
    headers = [c.value for c in decisions[1]]
    avis, kind = headers.index("Avis") + 1, headers.index("Préconisation 1") + 1
    for row in range(2, decisions.max_row + 1):
        decisions.cell(row=row, column=avis, value="Avis avec préconisations")
        decisions.cell(row=row, column=kind, value="Locataire — Reprendre le paiement du loyer courant")
    workbook.save(sheet)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--menages", type=int, default=30_000, help="ménages simulés (défaut : 30 000)")
    parser.add_argument("--graine", type=int, default=2026)
    parser.add_argument("--inscrits", type=int, default=200, help="ménages inscrits à la séance (défaut : 200)")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    base = fresh_copy(linked_base(args.menages, args.graine))
    timed_cli(base, "init")
    work = OUT / "seance"
    work.mkdir(exist_ok=True)
    day = (date.today() + timedelta(days=7)).strftime("%d/%m/%Y")
    _, _, created = timed_cli(base, "seances", "creer", "--date", day)
    seance = str(created["seance"])
    print(f"base : {base} — séance n° {seance} du {day}")
    sheet = work / "decisions.xlsx"
    steps: list[tuple[str, tuple[str, ...]]] = [
        ("ajouter (sélection)", ("seances", "ajouter", seance, "--dette-min", "1000", "--limite", str(args.inscrits))),
        ("ordre-du-jour", ("seances", "ordre-du-jour", seance, "--sortie", str(work / "odj.docx"))),
        ("dossier", ("seances", "dossier", seance, "--sortie", str(work / "dossier.docx"))),
        ("feuille-decisions", ("seances", "feuille-decisions", seance, "--sortie", str(sheet))),
        ("decisions", ("seances", "decisions", seance, "--fichier", str(sheet))),
        ("releve", ("seances", "releve", seance, "--sortie", str(work / "releve.docx"))),
        ("courriers", ("seances", "courriers", seance, "--sortie", str(work / "courriers"))),
    ]
    print(f"{'commande':<22} {'ménages':>8} {'secondes':>9} {'mémoire':>9}")
    for label, arguments in steps:
        if label == "decisions":
            fill(sheet)
        seconds, peak, report = timed_cli(base, *arguments)
        count = len(report.get("ajoutes", report.get("menages", []))) or report.get("avis", 0)
        print(f"{label:<22} {count:>8} {seconds:>8.1f}s {peak or 0:>7.0f}Mo")


if __name__ == "__main__":
    main()
