"""A non-editable install carries everything it needs and works from any directory."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out), str(ROOT)],
        check=True,
        cwd=out,
    )
    (built,) = out.glob("exploc_cli-*.whl")
    return built


@pytest.mark.slow
def test_the_wheel_carries_templates_sample_data_layouts_and_migrations(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = [
        "exploc_cli/_bundled/sample_data/caf_signalements_2025-11.csv",
        "exploc_cli/_bundled/sample_data/profils/huissier_etude_dupuis.toml",
        "exploc_cli/_bundled/templates_docx/LISEZMOI.md",
        "exploc_cli/importers/layouts.toml",
        "exploc_cli/normalize/prenoms.txt",
        "exploc_cli/store/migrations/env.py",
        "exploc_cli/store/migrations/script.py.mako",
        "exploc_cli/store/migrations/versions/0001_initial.py",
        "commands/app.py",
    ]
    assert [name for name in expected if name not in names] == []
    assert not any(name.startswith(("tests/", "sample_data/", "benchmarks/")) for name in names)


@pytest.mark.slow
def test_the_installed_package_runs_the_demo_from_another_directory(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)], check=True
    )
    elsewhere = tmp_path / "ailleurs"
    elsewhere.mkdir()
    env = {
        **os.environ,
        "PYTHONPATH": str(target),
        "HOME": str(tmp_path / "home"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_STATE_HOME": str(tmp_path / "state"),
    }
    env.pop("EXPLOC_BASE", None)
    where = subprocess.run(
        [sys.executable, "-c", "import exploc_cli, commands; print(exploc_cli.__file__, commands.__file__)"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    assert all(path.startswith(str(target)) for path in where.stdout.split())
    demo = subprocess.run(
        [sys.executable, "-m", "commands", "demo", "--sortie", "demo"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
    )
    assert demo.returncode == 0, demo.stderr
    assert "signalement(s) exporté(s)" in demo.stdout
    assert (elsewhere / "demo" / "exploc.sqlite").exists()
    init = subprocess.run(
        [sys.executable, "-m", "commands", "init"], cwd=elsewhere, env=env, capture_output=True, text=True
    )
    assert init.returncode == 0, init.stderr
    assert (tmp_path / "data" / "exploc" / "exploc.sqlite").exists()
