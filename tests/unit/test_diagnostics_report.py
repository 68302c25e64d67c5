"""The Word templates of the reports, their charts, and what the command line loads."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from exploc_cli.config import Settings
from exploc_cli.diagnostics.charts import drawable, render_png
from exploc_cli.diagnostics.compute import compute
from exploc_cli.diagnostics.fold import Period
from exploc_cli.diagnostics.model import Chart, Grid, Value
from exploc_cli.diagnostics.report import fit_tables
from exploc_cli.diagnostics.secrecy import PRIMARY, SECONDARY
from exploc_cli.diagnostics.territories import Territories
from exploc_cli.documents.checks import check_templates
from exploc_cli.documents.render import REPORT_TEMPLATE_NAMES, render_to_bytes
from exploc_cli.documents.samples import SAMPLES
from exploc_cli.forking import can_fork
from exploc_cli.resources import templates_dir
from exploc_cli.store.db import open_store, resolve_location
from tests.diagnostics_data import HORIZON, PERIOD, build_households

ROOT = Path(__file__).resolve().parents[2]


def _texts(element: object) -> list[str]:
    return ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in element.iter(qn("w:p"))]  # type: ignore[attr-defined]


@pytest.mark.parametrize("name", REPORT_TEMPLATE_NAMES)
def test_each_report_template_fills_with_its_sample_and_widens_its_tables(name: str) -> None:
    document = Document(io.BytesIO(fit_tables(render_to_bytes(name, SAMPLES[name]))))
    section = document.sections[0]
    header = _texts(section.header._element)
    assert "Document non nominatif — secret statistique" in header[0] and "CCAPEX de l'Ain" in header[0]
    body = "\n".join(_texts(document.element.body))
    assert "{{" not in body and "{%" not in body
    assert "Document non nominatif : il ne contient aucun nom" in body.replace("\u00a0", " ")
    grid = next(t for t in document.tables if t.rows[0].cells[0].text == "Indicateur")
    assert [c.text for c in grid.rows[0].cells] == ["Indicateur", "Période", "Comparaison", "Évolution"]
    assert [c.text for c in grid.rows[2].cells] == ["PORT-AUBREL", "< 5", "secret", "9", "secret"]
    widths = [c.width for c in grid.rows[1].cells]
    assert widths[0] > widths[1] and round(sum(w.mm for w in widths)) == 170


def test_the_verifier_explains_a_broken_copy_of_a_report_template(tmp_path: Path) -> None:
    source = Document(templates_dir() / "diagnostic.docx")
    runs = [r for r in source.element.body.iter(qn("w:r")) if "".join(t.text or "" for t in r.iter(qn("w:t")))
            == "{{ section.titre }}"]  # fmt: skip
    runs[0].find(qn("w:t")).text = "{{ section.titr }}"
    copy = tmp_path / "modeles" / "diagnostic.docx"
    copy.parent.mkdir()
    source.save(copy)
    checks = {check.name: check for check in check_templates(tmp_path)}
    assert checks["bilan"].ok and not checks["diagnostic"].ok and checks["diagnostic"].edited_copy
    assert "champ inconnu « section.titr »" in checks["diagnostic"].detail


def test_charts_are_png_images_and_a_chart_of_masked_values_only_is_left_out() -> None:
    grid = Grid("x", "t", "Étape", ("Ménages",), (("CDP", (Value(12),)), ("CQL", (Value(3, state=PRIMARY),))))
    chart = Chart("barres", "Entrées", (0,))
    assert drawable(grid, chart)
    assert render_png(grid, chart).startswith(b"\x89PNG")
    hidden = Grid(
        "x", "t", "Étape", ("Ménages",), (("CQL", (Value(3, state=PRIMARY),)), ("PV", (Value(8, state=SECONDARY),)))
    )
    assert not drawable(hidden, chart)


def test_a_forked_worker_finds_the_same_counters_as_one_process(base: Path) -> None:
    if not can_fork():
        pytest.skip("pas de fork ou un seul cœur")
    build_households(base)
    engine = open_store(resolve_location(str(base)))
    found = []
    try:
        for parallel_from in (0, 10**9):
            territories = Territories("commune")
            with engine.connect() as connection:
                computed = compute(connection, [Period(*PERIOD)], territories, horizon=HORIZON,
                                   alerts=Settings().alertes, parallel_from=parallel_from)  # fmt: skip
            found.append((computed, territories))
    finally:
        engine.dispose()
    (forked, forked_territories), (alone, alone_territories) = found
    assert forked.households == alone.households == 8
    first, second = forked.counts[0], alone.counts[0]
    for name in ("signalements", "entries", "flows", "known", "concerned", "debt_bands", "cfp", "alerts", "examined"):
        assert getattr(first, name) == getattr(second, name), name
    assert {k: sorted(v) for k, v in first.delays.items()} == {k: sorted(v) for k, v in second.delays.items()}
    assert (
        forked_territories.label("BOURG SUR SARRE") == alone_territories.label("BOURG SUR SARRE") == "BOURG-SUR-SARRE"
    )


def test_a_workbook_is_written_without_loading_matplotlib(base: Path, tmp_path: Path) -> None:
    build_households(base)
    script = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from commands.app import app\n"
        f"result = CliRunner().invoke(app, ['--base', {str(base)!r}, '-q', 'diagnostic', '--sortie', "
        f"{str(tmp_path / 'd.xlsx')!r}, '--du', '01/01/2025', '--au', '31/12/2025'])\n"
        "assert result.exit_code == 0, result.output\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('matplotlib', 'docxtpl', 'docx')))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]", done.stdout
