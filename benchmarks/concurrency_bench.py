"""How long a large import holds SQLite's write lock, and what it costs the others.

A base with a few thousand ménages and a session of ten; then a huissier file of ``--lignes``
rows is imported by ``exploc importer`` (its own process). Once the import holds the write
lock, a dossier, an extraction and a diagnostic start (their own processes): they read at once
(WAL) and wait for the lock to write their journal entries. The hold times come from the
technical log (``verrou d'ecriture attente=… tenu=…``, written by every write transaction of
more than 2 s); nothing here is asserted: this script prints figures.

    python benchmarks/concurrency_bench.py                  # 200,000 rows
    python benchmarks/concurrency_bench.py --lignes 1000000
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from exploc_cli.synthetic import generate_bulk  # noqa: E402

LOCK_LINE = re.compile(r"verrou d'ecriture attente=([\d.]+)s tenu=([\d.]+)s")
WAIT_NOTICE = "La base est occupée"


@dataclass
class Run:
    name: str
    started: float
    seconds: float
    code: int
    waited_notice: bool


def exploc(env: dict[str, str], *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "commands", *args], cwd=ROOT, env=env, capture_output=True, text=True, encoding="utf-8"
    )
    if check and result.returncode not in (0, 5):
        raise SystemExit(f"exploc {' '.join(args)} : code {result.returncode}\n{result.stderr}")
    return result


def write_lock_held(base: Path) -> bool:
    connection = sqlite3.connect(base, timeout=0, isolation_level=None)
    try:
        connection.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError:
        return True
    else:
        connection.execute("ROLLBACK")
        return False
    finally:
        connection.close()


def others(out: Path) -> dict[str, list[str]]:
    return {
        "dossier de séance": ["seances", "dossier", "1", "--sortie", str(out / "dossier.docx")],
        "extraction": ["extraire", "--sortie", str(out / "extraction.xlsx"), "--motif", "Mesure"],
        "diagnostic": ["diagnostic", "--sortie", str(out / "diagnostic.xlsx")],
    }


def prepare(folder: Path, rows: int, env: dict[str, str]) -> tuple[Path, Path]:
    big = folder / f"huissier_{rows}"
    if not (big / "huissier.csv").exists():
        print(f"Génération d'un fichier huissier de {rows:,} lignes…".replace(",", " "), flush=True)
        generate_bulk(big, 0, seed=5, huissier_lines=rows)
    small = folder / "petit_departement"
    if not small.exists():
        generate_bulk(small, 3000, seed=3)
    base = folder / "concurrence.sqlite"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{base}{suffix}").unlink(missing_ok=True)
    shutil.rmtree(Path(env["XDG_STATE_HOME"]), ignore_errors=True)
    exploc(env, "--base", str(base), "-q", "init")
    exploc(env, "--base", str(base), "-q", "importer", str(small))
    exploc(env, "--base", str(base), "-q", "seances", "creer", "--date", "15/12/2099", "--instance", "CCAPEX centrale")
    exploc(env, "--base", str(base), "-q", "seances", "ajouter", "1", "--dette-min", "2000", "--limite", "10")
    return base, big / "huissier.csv"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--lignes", type=int, default=200_000)
    parser.add_argument("--dossier", type=Path, default=ROOT / "benchmarks" / "out" / "concurrence")
    parser.add_argument("--delai", type=float, default=2.0, help="Secondes entre la prise du verrou et les autres.")
    args = parser.parse_args()
    folder: Path = args.dossier
    folder.mkdir(parents=True, exist_ok=True)
    env = {
        **os.environ,
        "XDG_DATA_HOME": str(folder / "xdg" / "data"),
        "XDG_CONFIG_HOME": str(folder / "xdg" / "config"),
        "XDG_STATE_HOME": str(folder / "xdg" / "state"),
    }
    base, big = prepare(folder, args.lignes, env)
    out = folder / "sorties"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir()

    solo: dict[str, float] = {}
    for name, command in others(out).items():
        started = time.perf_counter()
        exploc(env, "--base", str(base), *command)
        solo[name] = time.perf_counter() - started

    started = time.perf_counter()
    importer = subprocess.Popen(
        [sys.executable, "-m", "commands", "--base", str(base), "-q", "importer", str(big)], cwd=ROOT, env=env
    )
    while not write_lock_held(base):
        if importer.poll() is not None:
            raise SystemExit("l'import s'est terminé avant d'avoir pris le verrou")
        time.sleep(0.05)
    lock_seen = time.perf_counter() - started
    time.sleep(args.delai)
    running = {}
    for name, command in others(out).items():
        process = subprocess.Popen(
            [sys.executable, "-m", "commands", "--base", str(base), *command],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            encoding="utf-8",
        )
        running[name] = (time.perf_counter() - started, process)
    runs = []
    for name, (at, process) in running.items():
        _, stderr = process.communicate()
        runs.append(Run(name, at, time.perf_counter() - started - at, process.returncode, WAIT_NOTICE in stderr))
    code = importer.wait()
    total = time.perf_counter() - started

    log = (Path(env["XDG_STATE_HOME"]) / "exploc" / "log" / "exploc.log").read_text(encoding="utf-8")
    holds = [(float(waited), float(held)) for waited, held in LOCK_LINE.findall(log)]
    print()
    print(f"Import de {args.lignes:,} lignes : {total:.1f} s, code {code}".replace(",", " "))
    print(f"  verrou d'écriture pris {lock_seen:.1f} s après le lancement")
    for index, (waited, held) in enumerate(holds, start=1):
        print(f"  transaction d'écriture n° {index} : tenue {held:.1f} s (attente {waited:.1f} s)")
    print(f"{'commande':20} {'seule (s)':>10} {'lancée à (s)':>13} {'durée (s)':>10} {'attente (s)':>12} code  avis")
    for run in runs:
        waited = max(run.seconds - solo[run.name], 0.0)
        notice = "oui" if run.waited_notice else "non"
        print(
            f"{run.name:20} {solo[run.name]:>10.1f} {run.started:>13.1f} {run.seconds:>10.1f} "
            f"{waited:>12.1f} {run.code:>4}  {notice}"
        )
    busy = [r for r in runs if r.code != 0]
    print("\nAucune commande en échec." if not busy else f"\n{len(busy)} commande(s) en échec.")


if __name__ == "__main__":
    main()
