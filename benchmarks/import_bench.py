"""Import speed and memory, measured on the generator's large data set.

Each import runs in its own process (``python -m commands``) against a fresh SQLite base;
the figures are wall-clock seconds, rows per second (rows read from the file) and the
process's peak resident memory. Nothing here is asserted: this script prints figures.

    python benchmarks/import_bench.py                       # 200,000 households + 1M-row huissier file
    python benchmarks/import_bench.py --menages 20000 --huissier-lignes 100000 --xlsx-lignes 20000
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import platform
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from exploc_cli.synthetic import generate_bulk  # noqa: E402


@dataclass
class Measure:
    label: str
    rows: int
    imported: int
    seconds: float
    peak_mb: float | None
    code: int

    @property
    def rate(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


GNU_TIME = Path("/usr/bin/time").exists()


def run_import(base: Path, files: list[Path], label: str, extra_env: dict[str, str]) -> Measure:
    """Run one import in its own process; peak memory from GNU time (``%M``) when available.

    (``os.wait4``'s ``ru_maxrss`` was seen here reporting 197 MB for a run that GNU time
    measures at 70 MB, so it is only a fallback.)
    """
    command = [sys.executable, "-m", "commands", "--base", str(base), "-q", "importer", "--json", *map(str, files)]
    if GNU_TIME:
        command = ["/usr/bin/time", "-f", "exploc-peak-kb %M", *command]
    env = {**os.environ, **extra_env}
    start = time.perf_counter()
    process = subprocess.run(command, cwd=ROOT, env=env, capture_output=True)
    seconds = time.perf_counter() - start
    peak_mb = None
    for line in process.stderr.decode(errors="replace").splitlines():
        if line.startswith("exploc-peak-kb "):
            peak_mb = int(line.split()[1]) / 1024
    report = json.loads(process.stdout or b"{}")
    totals = report.get("totaux", {})
    return Measure(
        label, totals.get("lignes_lues", 0), totals.get("importees", 0), seconds, peak_mb, process.returncode
    )


def init_base(base: Path, env: dict[str, str]) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(str(base) + suffix).unlink(missing_ok=True)
    subprocess.run(
        [sys.executable, "-m", "commands", "--base", str(base), "-q", "init"],
        cwd=ROOT,
        check=True,
        env={**os.environ, **env},
    )


def make_xlsx(source_csv: Path, target: Path, rows: int) -> Path:
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("Actes")
    with source_csv.open(encoding="utf-8-sig", newline="") as handle:
        for index, row in enumerate(csv.reader(handle, delimiter=";")):
            if index > rows:
                break
            sheet.append(row)
    workbook.save(target)
    return target


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--menages", type=int, default=200_000)
    parser.add_argument("--huissier-lignes", type=int, default=1_000_000)
    parser.add_argument("--xlsx-lignes", type=int, default=100_000)
    parser.add_argument("--dossier", type=Path, default=ROOT / "benchmarks" / "out")
    parser.add_argument("--regenerer", action="store_true", help="Regénérer les données même si elles existent.")
    args = parser.parse_args()

    folder: Path = args.dossier
    data = folder / f"donnees_{args.menages}"
    single = folder / f"huissier_{args.huissier_lignes}"
    env = {
        "XDG_DATA_HOME": str(folder / "xdg" / "data"),
        "XDG_CONFIG_HOME": str(folder / "xdg" / "config"),
        "XDG_STATE_HOME": str(folder / "xdg" / "state"),
    }
    if args.regenerer:
        shutil.rmtree(data, ignore_errors=True)
        shutil.rmtree(single, ignore_errors=True)
    if not data.exists():
        print(f"Génération de {args.menages} ménages…", flush=True)
        generate_bulk(data, args.menages, seed=2026)
    if args.huissier_lignes and not single.exists():
        print(f"Génération d'un fichier huissier de {args.huissier_lignes} lignes…", flush=True)
        generate_bulk(single, max(args.huissier_lignes // 4, 1000), seed=7, huissier_lines=args.huissier_lignes)

    measures: list[Measure] = []
    base = folder / "bench.sqlite"
    source_files = sorted(p for p in data.glob("*.csv") if not p.name.startswith("verite"))
    init_base(base, env)
    for path in source_files:
        measures.append(run_import(base, [path], f"CSV {path.name}", env))
    # the same files again under another name: every row is a duplicate
    dup_folder = folder / "doublons"
    dup_folder.mkdir(exist_ok=True)
    for path in source_files:
        copy = dup_folder / f"{path.stem}_renvoi.csv"
        copy.write_bytes(path.read_bytes() + b"\r\n")
        measures.append(run_import(base, [copy], f"CSV {copy.name} (tout en double)", env))
    if args.huissier_lignes:
        huissier = next(single.glob("huissier*.csv"))
        init_base(base, env)
        measures.append(run_import(base, [huissier], f"CSV {huissier.name} ({args.huissier_lignes} lignes)", env))
        if args.xlsx_lignes:
            xlsx = make_xlsx(huissier, folder / f"huissier_{args.xlsx_lignes}.xlsx", args.xlsx_lignes)
            init_base(base, env)
            measures.append(run_import(base, [xlsx], f"XLSX {xlsx.name}", env))

    print()
    print(f"Machine : {platform.machine()}, {os.cpu_count()} cœurs, Python {platform.python_version()}")
    print(f"{'import':58} {'lignes':>10} {'importées':>10} {'secondes':>9} {'lignes/s':>10} {'mémoire max':>12} code")
    for m in measures:
        memory = f"{m.peak_mb:,.0f} Mo" if m.peak_mb is not None else "?"
        print(f"{m.label:58} {m.rows:>10,} {m.imported:>10,} {m.seconds:>9.1f} {m.rate:>10,.0f} {memory:>12} {m.code}")
    csv_first = [m for m in measures if m.label.startswith("CSV") and "double" not in m.label]
    rows = sum(m.rows for m in csv_first)
    seconds = sum(m.seconds for m in csv_first)
    print(f"\nCSV (premiers imports) : {rows:,} lignes en {seconds:.1f} s, soit {rows / seconds:,.0f} lignes/s")


if __name__ == "__main__":
    main()
