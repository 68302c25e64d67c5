"""Property: linking batch after batch gives the grouping (and the numbers) a full relink gives."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exploc_cli.importers.service import ImportOptions, import_paths
from exploc_cli.linkage import service
from exploc_cli.linkage.service import link_households
from exploc_cli.store.db import open_store, resolve_location
from exploc_cli.synthetic import generate_bulk
from tests.conftest import NewBase
from tests.helpers import rows


@pytest.fixture(scope="module")
def bulk(tmp_path_factory: pytest.TempPathFactory) -> dict[str, list[str]]:
    """The lines (header first) of the generator's four files for 150 households."""
    folder = tmp_path_factory.mktemp("bulk")
    generate_bulk(folder, 150, seed=7, workers=1)
    return {p.name: p.read_text(encoding="utf-8").splitlines() for p in sorted(folder.glob("*.csv"))}


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(cuts=st.lists(st.floats(min_value=0.05, max_value=0.95), min_size=1, max_size=3), order=st.randoms())
def test_batches_then_full_relink_agree(
    bulk: dict[str, list[str]],
    tmp_path_factory: pytest.TempPathFactory,
    make_base: Callable[..., Path | str],
    cuts: list[float],
    order: object,
) -> None:
    folder = tmp_path_factory.mktemp("lots")
    base = make_base(folder)
    location = resolve_location(str(base))
    engine = open_store(location)
    files: list[Path] = []
    names = list(bulk)
    order.shuffle(names)  # type: ignore[attr-defined]
    for name in names:
        header, *lines = bulk[name]
        bounds = [0, *sorted(int(c * len(lines)) for c in cuts), len(lines)]
        for index, (start, end) in enumerate(zip(bounds, bounds[1:], strict=False)):
            if end > start:
                path = folder / f"{index}_{name}"
                path.write_text("\n".join([header, *lines[start:end]]) + "\n", encoding="utf-8")
                files.append(path)
    for path in files:  # one import (and one incremental linkage) per batch
        import_paths(engine, location, [path], ImportOptions())
    incremental = rows(base, "SELECT id, menage_id FROM signalement ORDER BY id")
    assert all(r["menage_id"] is not None for r in incremental)
    link_households(engine, full=True)
    assert rows(base, "SELECT id, menage_id FROM signalement ORDER BY id") == incremental
    engine.dispose()


def test_a_first_large_import_is_linked_in_full_with_the_same_grouping(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, new_base: NewBase
) -> None:
    data = tmp_path / "donnees"
    generate_bulk(data, 400, seed=11, workers=1)
    groupings = []
    default = service.MOSTLY_NEW_FROM
    for threshold in (default, 10**9):  # the full path, then the incremental one forced
        monkeypatch.setattr(service, "MOSTLY_NEW_FROM", threshold)
        base = new_base(f"base_{threshold}")
        location = resolve_location(str(base))
        engine = open_store(location)
        report = import_paths(engine, location, [data], ImportOptions())
        assert report.linkage is not None and report.linkage.full == (threshold == default)
        groupings.append(rows(base, "SELECT id, menage_id FROM signalement ORDER BY id"))
        engine.dispose()
    assert len(groupings[0]) > 1_000 and groupings[0] == groupings[1]
