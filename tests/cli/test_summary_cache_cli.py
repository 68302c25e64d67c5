"""Kept summaries never show a stale parcours: after each kind of change, an extraction read from
the kept summaries equals one computed from scratch (on SQLite and on PostgreSQL)."""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from tests.cli.test_seances import _fill
from tests.conftest import Invoke
from tests.helpers import CAF_HEADER, caf_line, csv_text, execute, rows, scalar


def _demo_like(exploc: Invoke, samples: Path, folder: Path) -> Path:
    """What ``exploc demo`` builds, on the test's base (either backend): the sample files imported,
    the sample sectorisation, the assignment, a session of twelve and its decision sheet."""
    for args in (
        ("importer", str(samples)),
        ("services", "importer", str(samples / "referentiel" / "sectorisation.csv")),
        ("affecter",),
        ("seances", "creer", "--date", (date.today() + timedelta(days=14)).strftime("%d/%m/%Y")),
        ("seances", "ajouter", "1", "--dette-min", "3000", "--limite", "12"),
        ("seances", "feuille-decisions", "1", "--sortie", str(folder / "feuille.xlsx")),
    ):
        result = exploc(*args)
        assert result.exit_code in (0, 5), (args, result.output)
    return folder / "feuille.xlsx"


def test_every_change_reaches_the_next_extraction(
    exploc: Invoke, base: Path | str, samples: Path, tmp_path: Path, write_file: Callable[..., Path]
) -> None:
    sheet = _demo_like(exploc, samples, tmp_path)
    made = iter(range(100))

    def _run(*args: str, codes: tuple[int, ...] = (0,)) -> str:
        result = exploc(*args)
        assert result.exit_code in codes, (args, result.output)
        return result.stdout

    def extraction() -> list[list[str]]:
        out = tmp_path / f"extraction_{next(made)}.csv"
        _run("extraire", "--sortie", str(out), "--colonnes", "complet", "--motif", "Contrôle")
        with out.open(encoding="utf-8-sig", newline="") as handle:
            return list(csv.reader(handle, delimiter=";"))

    def kept() -> int:
        return int(scalar(base, "SELECT COUNT(*) FROM resume_menage"))

    def change(label: str, *args: str) -> None:
        before = kept()
        _run(*args, codes=(0, 5))
        if args[0] == "importer":  # the import computed again those it changed, for the next extraction
            assert kept() == scalar(base, "SELECT COUNT(*) FROM menage WHERE statut IN ('ouvert', 'clos')")
            assert (
                scalar(base, "SELECT calcule_le FROM resume_menage WHERE menage_id = ?", menage)
                == date.today().isoformat()
            )
        else:
            assert kept() < before, label  # the base dropped the summaries it changed
        cached = extraction()
        assert kept() > 100, label  # that extraction read the others
        execute(base, "DELETE FROM resume_menage")
        assert cached == extraction(), label

    extraction()  # keeps every summary
    assert scalar(base, "SELECT COUNT(*) FROM resume_menage") > 100

    menage = scalar(base, "SELECT MIN(menage_id) FROM signalement WHERE source = 'caf' AND dette IS NOT NULL")
    others = [
        int(r["id"])
        for r in rows(
            base, "SELECT id FROM menage WHERE statut = 'ouvert' AND id <> ? ORDER BY id DESC LIMIT 5", menage
        )
    ]
    caf = rows(base, "SELECT nom, prenoms, numero_allocataire FROM signalement WHERE menage_id = ? AND source = 'caf'", menage)[0]  # fmt: skip
    later = (date.today() - timedelta(days=3)).strftime("%d/%m/%Y")
    new_file = write_file(
        "caf_nouveau.csv",
        csv_text(
            CAF_HEADER, [caf_line("N-1", caf["numero_allocataire"], caf["nom"], caf["prenoms"], "9 876,54", later)]
        ),
        "cp1252",
    )
    change("un signalement de plus (import)", "importer", str(new_file))
    change("clôture", "menages", "clore", str(others[0]), "--motif", "relogement")
    change("fusion", "menages", "fusionner", str(others[1]), str(others[2]), "--motif", "même famille")
    change("affectation", "menages", "affecter", str(others[3]), "MDS-C", "--motif", "Suivi engagé")
    change("lot annulé", "lots", "annuler", "3")
    change("effacement", "menages", "effacer", str(others[4]), "--motif", "Demande écrite", "--oui")

    listed = [int(r["menage_id"]) for r in rows(base, "SELECT menage_id FROM inscription ORDER BY rang")]
    due = date.today() + timedelta(days=30)
    _fill(
        sheet, {listed[0]: ["Avis avec préconisations", "", None, "Bailleur — Proposer un plan d'apurement", "", due]}
    )
    change("préconisation", "seances", "decisions", "1", "--fichier", str(sheet))
    assert scalar(base, "SELECT COUNT(*) FROM preconisation") == 1
    change("préconisation réalisée", "suivi", "statut", "1", "realisee", "--note", "Plan signé")

    # a ménage without assignment (as after an import): « exploc affecter » assigns it and computes its summary again
    extraction()
    total = scalar(base, "SELECT COUNT(*) FROM menage WHERE statut IN ('ouvert', 'clos')")
    assert kept() == total
    execute(base, "DELETE FROM affectation WHERE menage_id = ?", menage)
    assert kept() == total - 1
    _run("affecter")
    assert kept() == total
    assert scalar(base, "SELECT COUNT(*) FROM affectation WHERE menage_id = ? AND courante", menage) == 1

    # lists (and a session's selection) read the kept summaries too: the same as computed afresh
    extraction()
    kept_list = _run("menages", "lister", "--json")
    execute(base, "DELETE FROM resume_menage")
    assert kept_list == _run("menages", "lister", "--json")
