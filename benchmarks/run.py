"""The whole chain at département or regional scale, each step as the real CLI in its own process.

Generates the synthetic partner files (``exploc_cli.synthetic.generate_bulk``: CAF, commissaire de
justice, bailleur and préfecture files over about three years), then on an empty base:

  * ``exploc importer`` of the four files, linkage included (the nightly command). Its JSON
    report does not give the linkage's share: that is read from the audit journal (action
    « liaison », ``details.secondes``), and shown as « dont liaison »; its memory is that of the
    whole import process;
  * ``exploc services importer`` of the sectorisation (not measured: the sample one for a
    département, the generated regional one for a region), then ``exploc affecter`` with the
    shipped rules;
  * a commission session: ``exploc seances creer``, ``seances ajouter --dette-min 1000
    --limite 200`` (the selection), then ``seances dossier`` (the Word dossier);
  * ``exploc extraire --colonnes complet`` of every ménage to .xlsx;
  * ``exploc diagnostic`` of 2025 (the data cover 2023 to 2026) by commune, to .xlsx.

Then prints one table: step, rows, seconds (wall clock of the process, start-up included), rows
per second, peak memory (summed PSS of the process tree, ``linkage_bench.timed_cli``).

Scales: ``--menages`` is per département. A département: 30,000 households a year over three
years, ``--menages 90000`` (the fictional « Val-de-Sarre », INSEE codes ``01xxx``). A region:
``--departements 8`` generates eight times the households over eight départements with their
own codes (those of Île-de-France: 75, 77, 78, 91, 92, 93, 94, 95; the first N for N < 8, at
most 8), their own INSEE codes and postcodes (``{code}xxx``) and their own commune names (two
deliberate homonyms across départements), a few households moving from one to another
(``exploc_cli/synthetic/region.py``). The CAF file then carries each dwelling's INSEE code and
the others its postcode, so the base tells each household's département. The regional
sectorisation (one Département service ``DEP75``… and one CAF per département, with a
« Département » column) is generated beside the data, in ``referentiel/sectorisation.csv``.

    python benchmarks/run.py --menages 3000                      # a quick look (≈ 1 min)
    python benchmarks/run.py --menages 90000                     # a département, SQLite
    python benchmarks/run.py --menages 90000 --departements 8    # a region (720,000 households)
    python benchmarks/run.py --menages 90000 --base postgresql+psycopg://exploc@localhost/banc

Without ``--base``: a new SQLite base in ``benchmarks/out/run/`` (removed at the end unless
``--garder``). With ``--base URL`` (PostgreSQL, an empty database): ``exploc --base URL init``
first, and the URL passed to every command; nothing is ever dropped there, and the memory shown
is that of exploc's processes, not the server's. Generated files are kept in
``benchmarks/out/run/`` and reused with the same size and seed.

Nothing is asserted: the script prints figures.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from affectation_bench import SECTORISATION  # noqa: E402
from linkage_bench import fresh_base, timed_cli  # noqa: E402
from sqlalchemy import make_url, text  # noqa: E402

from exploc_cli.store.db import open_store, resolve_location  # noqa: E402
from exploc_cli.synthetic import generate_bulk  # noqa: E402
from exploc_cli.synthetic.bulk import REGION_SECTORISATION  # noqa: E402
from exploc_cli.synthetic.region import check_departements  # noqa: E402

OUT = ROOT / "benchmarks" / "out" / "run"
DIAGNOSTIC_YEAR = ("--du", "01/01/2025", "--au", "31/12/2025")


@dataclass
class Step:
    label: str
    rows: int | None
    seconds: float | None
    peak: float | None = None

    def cells(self) -> list[str]:
        speed = self.rows / self.seconds if self.rows is not None and self.seconds else None
        return [
            self.label,
            _number(self.rows),
            "échec" if self.seconds is None else _number(self.seconds, 1),
            _number(speed, 1 if speed is not None and speed < 10 else 0),
            _number(self.peak),
        ]


def _number(value: float | None, decimals: int = 0) -> str:
    """French figures: a space between thousands, a comma before decimals, « — » when unknown."""
    if value is None:
        return "—"
    return f"{value:,.{decimals}f}".replace(",", " ").replace(".", ",")


def data_set(menages: int, departements: int, seed: int) -> tuple[Path, float | None]:
    """The four partner files for ``menages`` households in each of ``departements``
    départements (and, for a region, its sectorisation), generated once then reused."""
    households = menages * departements
    name = f"{households}" if departements == 1 else f"{menages}x{departements}"
    folder = OUT / f"donnees-{name}-{seed}"
    complete = folder / ".complet"
    if complete.exists():
        return folder, None
    shutil.rmtree(folder, ignore_errors=True)
    started = time.perf_counter()
    generate_bulk(folder, households, seed=seed, departements=departements)
    complete.touch()
    return folder, time.perf_counter() - started


def sectorisation(data: Path, departements: int) -> Path:
    """The sample sectorisation for the département, the generated one for a region."""
    return SECTORISATION if departements == 1 else data / REGION_SECTORISATION


def empty_base(url: str | None) -> str:
    """The ``--base`` value for every command: a new SQLite file, or the given server, initialised."""
    if url is None:
        path = OUT / "banc.sqlite"
        Path(str(path) + ".import.verrou").unlink(missing_ok=True)
        fresh_base(path)
        return str(path)
    timed_cli(url, "init")  # type: ignore[arg-type]  # a URL, passed through as is
    count = signalements(url)
    if count is None:
        sys.exit(
            f"La base {shown(url)} n'a pas pu être initialisée (voir ci-dessus). Pour PostgreSQL : "
            'pip install ".[postgresql]", un serveur joignable et une base vide (createdb).'
        )
    if count:
        sys.exit(f"La base {shown(url)} n'est pas vide : le banc demande une base neuve.")
    return url


def signalements(base: str) -> int | None:
    """The number of signalements in the base, None when it cannot be read (said by the caller)."""
    try:
        engine = open_store(resolve_location(base))
    except Exception:  # no driver (psycopg), a bad URL
        return None
    try:
        with engine.connect() as connection:
            return int(connection.execute(text("SELECT COUNT(*) FROM signalement")).scalar_one())
    except Exception:  # no server, no schema
        return None
    finally:
        engine.dispose()


def linkage_share(base: str) -> dict[str, object]:
    """The details the import's linkage wrote to the audit journal (seconds, signalements)."""
    engine = open_store(resolve_location(base))
    query = text("SELECT details FROM journal WHERE action = 'liaison' ORDER BY id DESC LIMIT 1")
    try:
        with engine.connect() as connection:
            details = connection.execute(query).scalar()
    finally:
        engine.dispose()
    return json.loads(details) if details else {}


def shown(base: str) -> str:
    """The base as printed: a URL without its password."""
    return make_url(base).render_as_string(hide_password=True) if "://" in base else base


class _Steps(list[Step]):
    """The steps measured so far, each also said on stderr as soon as it is done (a run of an hour
    that is stopped still leaves its figures)."""

    def append(self, step: Step) -> None:
        super().append(step)
        seconds = "—" if step.seconds is None else f"{step.seconds:.1f} s"
        rows = "" if step.rows is None else f", {_number(step.rows)} lignes"
        print(f"  fait : {step.label.strip()} — {seconds}{rows}", file=sys.stderr, flush=True)


def run(base: str, data: Path, sectors: Path, inscrits: int, work: Path) -> tuple[list[Step], list[str]]:
    """The measured steps, and notes to print under the table."""

    def cli(*arguments: str) -> tuple[float, float | None, dict]:
        return timed_cli(base, *arguments)  # type: ignore[arg-type]  # a path or a URL

    steps = _Steps()
    notes: list[str] = []
    seconds, peak, report = cli("importer", *(str(p) for p in sorted(data.glob("*.csv"))))
    totals = report.get("totaux", {})
    if not totals.get("importees"):
        steps.append(Step("importer : échec (voir ci-dessus)", None, None))
        return steps, notes
    steps.append(Step("importer, liaison comprise (lignes lues)", totals["lignes_lues"], seconds, peak))
    linkage = linkage_share(base)
    linked = linkage.get("secondes")
    if isinstance(linked, int | float):
        rows = int(linkage.get("signalements", 0))
        steps.append(Step("  dont liaison (signalements, d'après le journal)", rows, float(linked)))
        rest = seconds - float(linked)
        steps.append(Step("  dont le reste : lecture, écriture, résumés (lignes lues)", totals["lignes_lues"], rest))
    else:
        steps.append(Step("  dont liaison : absente du journal", None, None))
    cli("services", "importer", str(sectors))
    seconds, peak, report = cli("affecter")
    steps.append(Step("affecter (ménages examinés)", report.get("menages_examines"), _ok(report, seconds), peak))
    if isinstance(report.get("a_trier"), int):
        notes.append(f"affecter : {_number(report['a_trier'])} ménage(s) à trier (sans service décidé).")
    day = (date.today() + timedelta(days=14)).strftime("%d/%m/%Y")
    seconds, peak, report = cli("seances", "creer", "--date", day)
    seance = str(report.get("seance", ""))
    steps.append(Step("seances creer", 1 if seance else None, seconds if seance else None, peak))
    selection = ("--dette-min", "1000", "--limite", str(inscrits))
    seconds, peak, report = cli("seances", "ajouter", seance, *selection)
    added = report.get("ajoutes")
    steps.append(Step("seances ajouter (ménages inscrits)", _count(added), _ok(added, seconds), peak))
    seconds, peak, report = cli("seances", "dossier", seance, "--sortie", str(work / "dossier.docx"))
    fiches = report.get("menages")
    steps.append(Step("seances dossier (fiches)", _count(fiches), _ok(fiches, seconds), peak))
    extraction = ("--colonnes", "complet", "--motif", "Banc complet", "--sortie", str(work / "extraction.xlsx"))
    seconds, peak, report = cli("extraire", *extraction)
    steps.append(Step("extraire --colonnes complet (lignes)", report.get("lignes"), _ok(report, seconds), peak))
    seconds, peak, report = cli("diagnostic", "--sortie", str(work / "diagnostic.xlsx"), *DIAGNOSTIC_YEAR)
    steps.append(Step("diagnostic 2025 (ménages concernés)", report.get("menages"), _ok(report, seconds), peak))
    return steps, notes


def _count(value: object) -> int | None:
    if isinstance(value, list):
        return len(value)
    return value if isinstance(value, int) else None


def _ok(report: object, seconds: float) -> float | None:
    """The seconds, or None when the command failed (no report, or an error document)."""
    if not report or (isinstance(report, dict) and "erreur" in report):
        return None
    return seconds


def load() -> str:
    return " / ".join(_number(x, 2) for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--menages", type=int, default=90_000, help="ménages simulés par département (défaut : 90 000)")
    parser.add_argument(
        "--departements", type=int, default=1, help="départements simulés (défaut : 1 ; région : 8, au plus 8)"
    )
    parser.add_argument("--base", help="URL PostgreSQL (postgresql+psycopg://…) d'une base vide ; sinon SQLite")
    parser.add_argument("--graine", type=int, default=2026)
    parser.add_argument("--inscrits", type=int, default=200, help="ménages inscrits à la séance (défaut : 200)")
    parser.add_argument("--garder", action="store_true", help="garder la base SQLite et les documents écrits")
    args = parser.parse_args()
    try:
        check_departements(args.departements)
    except ValueError as error:
        parser.error(str(error))
    OUT.mkdir(parents=True, exist_ok=True)
    households = args.menages * args.departements
    started_load = load()
    data, generated = data_set(args.menages, args.departements, args.graine)
    if generated is not None:
        print(f"génération de {_number(households)} ménages simulés : {_number(generated)} s")
    base = empty_base(args.base)
    work = OUT / "documents"
    work.mkdir(exist_ok=True)
    print(
        f"banc complet du {date.today():%d/%m/%Y} : {_number(households)} ménages "
        f"({args.departements} × {_number(args.menages)}), graine {args.graine}, base {shown(base)}\n"
        f"charge (1, 5, 15 min) au début : {started_load}"
    )
    steps, notes = run(base, data, sectorisation(data, args.departements), args.inscrits, work)
    count = signalements(base)
    print(f"charge à la fin : {load()} ; signalements en base : {_number(count)}\n")
    print("| étape | lignes | secondes | lignes/s | mémoire max (Mo) |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for step in steps:
        print("| " + " | ".join(step.cells()) + " |")
    print(
        "\nLe rapport JSON d'exploc importer ne sépare pas la liaison : sa durée vient du journal "
        "d'audit ; sa mémoire est comprise dans celle de l'import."
    )
    for note in notes:
        print(note)
    if not args.garder and args.base is None:
        for suffix in ("", "-wal", "-shm", ".import.verrou"):
            Path(base + suffix).unlink(missing_ok=True)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
