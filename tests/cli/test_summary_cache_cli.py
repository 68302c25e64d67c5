"""Kept summaries never show a stale parcours: after each kind of change, an extraction read from
the kept summaries equals one computed from scratch."""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from commands.app import app
from tests.cli.test_seances import _fill
from tests.helpers import CAF_HEADER, caf_line, csv_text, execute, rows, scalar


def _run(runner: CliRunner, base: Path, *args: str, codes: tuple[int, ...] = (0,)) -> str:
    result = runner.invoke(app, ["--base", str(base), *args])
    assert result.exit_code in codes, (args, result.output)
    return result.output


pytestmark = pytest.mark.sqlite_only("les résumés ne sont gardés que sur SQLite (déclencheurs, instantané)")


def test_every_change_reaches_the_next_extraction(
    runner: CliRunner, tmp_path: Path, write_file: Callable[..., Path]
) -> None:
    folder = tmp_path / "demo"
    assert runner.invoke(app, ["demo", "--sortie", str(folder)]).exit_code == 0
    base = folder / "exploc.sqlite"
    made = iter(range(100))

    def extraction() -> list[list[str]]:
        out = tmp_path / f"extraction_{next(made)}.csv"
        _run(runner, base, "extraire", "--sortie", str(out), "--colonnes", "complet", "--motif", "Contrôle")
        with out.open(encoding="utf-8-sig", newline="") as handle:
            return list(csv.reader(handle, delimiter=";"))

    def kept() -> int:
        return int(scalar(base, "SELECT COUNT(*) FROM resume_menage"))

    def change(label: str, *args: str) -> None:
        before = kept()
        _run(runner, base, *args, codes=(0, 5))
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
    change("clôture", "menages", "clore", "60", "--motif", "relogement")
    change("fusion", "menages", "fusionner", "70", "71", "--motif", "même famille")
    change("affectation", "menages", "affecter", "42", "MDS-C", "--motif", "Suivi engagé")
    change("lot annulé", "lots", "annuler", "3")
    change("effacement", "menages", "effacer", "90", "--motif", "Demande écrite", "--oui")

    sheet = folder / "seance_feuille_decisions.xlsx"
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
    _run(runner, base, "affecter")
    assert kept() == total
    assert scalar(base, "SELECT COUNT(*) FROM affectation WHERE menage_id = ? AND courante", menage) == 1

    # lists (and a session's selection) read the kept summaries too: the same as computed afresh
    extraction()
    kept_list = _run(runner, base, "menages", "lister", "--json")
    execute(base, "DELETE FROM resume_menage")
    assert kept_list == _run(runner, base, "menages", "lister", "--json")
