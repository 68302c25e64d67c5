"""Summaries kept in the base: read back identical, valid for exactly the days they claim, keyed."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, text

from exploc_cli.config import Settings
from exploc_cli.importers.service import ImportOptions, import_paths
from exploc_cli.parcours import parallel, summary_pg
from exploc_cli.parcours.recommendations import open_recommendations
from exploc_cli.parcours.rules import load_deadline_rules
from exploc_cli.parcours.service import MenageSummary, RawGroup, SummaryJob, raw_groups
from exploc_cli.parcours.summary_cache import cache_key, decode, encode, refresh
from exploc_cli.resources import sample_data_dir
from exploc_cli.store.db import open_store, resolve_location, write_transaction

SETTINGS = Settings()
RULES = load_deadline_rules()


@pytest.fixture(scope="module")
def sample_engine(tmp_path_factory: pytest.TempPathFactory, make_base: Callable[..., Path | str]) -> Iterator[Engine]:
    location = resolve_location(str(make_base(tmp_path_factory.mktemp("cache"))))
    engine = open_store(location)
    import_paths(engine, location, sorted(sample_data_dir().glob("*.*")), ImportOptions())
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def groups(sample_engine: Engine) -> list[RawGroup]:
    with sample_engine.connect() as connection:
        return list(raw_groups(connection))


def _job(day: date, engine: Engine) -> SummaryJob:
    with engine.connect() as connection:
        return SummaryJob(day, SETTINGS, RULES, None, open_recommendations(connection))


def _whole(summary: MenageSummary) -> tuple[object, ...]:
    """Every field, those left out of equality included."""
    return (summary, summary.household, summary.follow_ups, summary.affectation, summary.valable_jusqu_au)


def test_a_summary_read_back_is_the_summary_computed(sample_engine: Engine, groups: list[RawGroup]) -> None:
    job = _job(date(2026, 3, 1), sample_engine)
    summaries = [job.summarise(group) for group in groups]
    assert len(summaries) > 100
    assert any(s.follow_ups for s in summaries) and any(s.affectation is None for s in summaries)
    for summary in summaries:
        again = decode(encode(summary), summary.affectation, summary.valable_jusqu_au)
        assert _whole(again) == _whole(summary)


BASE_DAYS = [date(2024, 1, 1) + timedelta(days=61 * k) for k in range(22)]  # every two months to late 2027


@pytest.mark.sqlite_only("calcul pur : la base ne fournit que les lignes, lues de même sur les deux")
def test_a_summary_is_the_same_on_every_day_before_its_validity_ends(
    sample_engine: Engine, groups: list[RawGroup]
) -> None:
    """Day by day at the edges: the day after, the last valid day, and between; and it does change
    on the first day it claims it may, often enough for the rule to matter."""
    jobs: dict[date, SummaryJob] = {}

    def summary(group: RawGroup, day: date) -> MenageSummary:
        if day not in jobs:
            jobs[day] = _job(day, sample_engine)
        return jobs[day].summarise(group)

    checked = changed_at_the_end = 0
    for day in BASE_DAYS:
        for group in groups:
            first = summary(group, day)
            until = first.valable_jusqu_au
            last = until - timedelta(days=1) if until else day + timedelta(days=400)
            middle = day + (last - day) / 2
            for later in sorted({day + timedelta(days=1), middle, last}):
                if day < later <= last:
                    assert encode(summary(group, later)) == encode(first), (first.menage_id, day, later, until)
                    checked += 1
            if until is not None and encode(summary(group, until)) != encode(first):
                changed_at_the_end += 1
    assert checked > 5_000
    assert changed_at_the_end > 100


def test_the_key_changes_with_the_settings_and_the_rules() -> None:
    base = cache_key(SETTINGS, RULES)
    assert cache_key(Settings(), load_deadline_rules()) == base
    stricter = SETTINGS.model_copy(update={"alertes": SETTINGS.alertes.model_copy(update={"dette_montant": 1})})
    assert cache_key(stricter, RULES) != base
    shorter = RULES.model_copy(update={"regle": RULES.regle[:1]})
    assert cache_key(SETTINGS, shorter) != base


def _rows(engine: Engine, day: date) -> list[str]:
    return list(parallel.summarised_rows(engine, day, SETTINGS, encode, parallel_from=10**9))


def _kept(engine: Engine) -> dict[int, tuple[str, str | None]]:
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT menage_id, calcule_le, valable_jusqu_au FROM resume_menage"))
        return {int(m): (str(c), None if v is None else str(v)) for m, c, v in rows}


def _forget(engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM resume_menage"))


def test_kept_summaries_are_used_only_within_their_validity(sample_engine: Engine) -> None:
    _forget(sample_engine)
    first_day = date(2026, 1, 15)
    fresh = _rows(sample_engine, first_day)
    kept = _kept(sample_engine)
    assert len(kept) == len(fresh) and {c for c, _ in kept.values()} == {"2026-01-15"}
    assert _rows(sample_engine, first_day) == fresh  # read back
    assert _kept(sample_engine) == kept  # nothing recomputed
    later = date(2026, 4, 1)
    expired = {m for m, (_, until) in kept.items() if until is not None and until <= later.isoformat()}
    assert expired and len(expired) < len(kept)
    mixed = _rows(sample_engine, later)  # kept ones for the others, recomputed for the expired ones
    now = _kept(sample_engine)
    assert {m for m, (c, _) in now.items() if c == later.isoformat()} == expired
    _forget(sample_engine)
    assert mixed == _rows(sample_engine, later)  # the same as all computed that day
    assert _rows(sample_engine, first_day) == fresh  # an earlier day than their computation: recomputed


def _change_a_signalement(engine: Engine) -> None:
    """Another process's commit of a change to some ménage's data."""
    with write_transaction(engine) as connection:
        connection.execute(
            text("UPDATE signalement SET telephone = '0600000000' WHERE id = (SELECT MIN(id) FROM signalement)")
        )


def test_a_summary_computed_before_a_commit_is_not_kept(sample_engine: Engine) -> None:
    _forget(sample_engine)
    rows = parallel.summarised_rows(sample_engine, date(2026, 3, 1), SETTINGS, encode, parallel_from=10**9)
    first = next(rows)  # the read has begun
    _change_a_signalement(sample_engine)
    assert len([first, *rows]) > 100
    assert _kept(sample_engine) == {}
    assert len(_rows(sample_engine, date(2026, 3, 1))) > 100
    assert len(_kept(sample_engine)) > 100  # with nothing committed meanwhile, they are kept


def test_nothing_is_kept_while_a_writer_is_at_work(sample_engine: Engine) -> None:
    _forget(sample_engine)
    rows = parallel.summarised_rows(sample_engine, date(2026, 3, 1), SETTINGS, encode, parallel_from=10**9)
    first = next(rows)
    with write_transaction(sample_engine) as connection:  # still writing when the read ends
        connection.execute(text("UPDATE signalement SET telephone = NULL WHERE id = (SELECT MIN(id) FROM signalement)"))
        assert len([first, *rows]) > 100
        connection.rollback()
    assert _kept(sample_engine) == {}


def test_the_rows_of_one_read_are_one_state_of_the_base(sample_engine: Engine, monkeypatch: pytest.MonkeyPatch) -> None:
    """A writer commits while an extraction reads (batch after batch): the extraction gives the
    base as it was when it began, on PostgreSQL as on SQLite."""
    monkeypatch.setattr(parallel, "BATCH", 10)  # many batches, read one after the other
    _forget(sample_engine)
    day = date(2026, 3, 1)
    before = _rows(sample_engine, day)
    with sample_engine.connect() as connection:
        last = connection.execute(text("SELECT MAX(menage_id) FROM signalement")).scalar_one()
    rename = "UPDATE signalement SET nom = :nom WHERE menage_id = :m"
    rows = parallel.summarised_rows(sample_engine, day, SETTINGS, encode, parallel_from=10**9)
    first = next(rows)
    with write_transaction(sample_engine) as connection:
        names = connection.execute(text("SELECT id, nom FROM signalement WHERE menage_id = :m"), {"m": last}).all()
        connection.execute(text(rename), {"nom": "AUTRENOM", "m": last})
    try:
        assert [first, *rows] == before
        assert "AUTRENOM" in _rows(sample_engine, day)[-1]  # the next read sees the change
    finally:
        with write_transaction(sample_engine) as connection:
            for sid, nom in names:
                connection.execute(text("UPDATE signalement SET nom = :nom WHERE id = :i"), {"nom": nom, "i": sid})


@pytest.mark.postgresql_only("la génération de changements n'existe que sur PostgreSQL")
def test_every_writing_transaction_raises_the_generation_once(sample_engine: Engine) -> None:
    def generation() -> int:
        with sample_engine.connect() as connection:
            return int(
                connection.execute(text("SELECT valeur FROM parametre WHERE cle = 'resume_generation'")).scalar_one()
            )

    before = generation()
    with write_transaction(sample_engine) as connection:  # three statements, two tables: raised once
        for statement in (
            "UPDATE signalement SET telephone = '0611111111' WHERE id = (SELECT MIN(id) FROM signalement)",
            "UPDATE signalement SET telephone = NULL WHERE id = (SELECT MIN(id) FROM signalement)",
            "UPDATE menage SET statut = statut WHERE id = (SELECT MIN(id) FROM menage)",
        ):
            connection.execute(text(statement))
    assert generation() == before + 1
    with write_transaction(sample_engine) as connection:  # rows of no ménage changed: not raised
        connection.execute(text("UPDATE signalement SET telephone = NULL WHERE id < 0"))
        connection.execute(text("INSERT INTO parametre (cle, valeur) VALUES ('essai', 'x') ON CONFLICT DO NOTHING"))
    assert generation() == before + 1
    with write_transaction(sample_engine) as connection:
        connection.execute(text("UPDATE seance SET lieu = lieu WHERE id < 0"))
        connection.execute(text("DELETE FROM affectation WHERE id < 0"))
    assert generation() == before + 1


def test_refresh_computes_only_what_is_missing_or_expired(sample_engine: Engine) -> None:
    _forget(sample_engine)
    day = date(2026, 1, 15)
    computed = refresh(sample_engine, day, SETTINGS)
    assert computed == len(_kept(sample_engine)) > 100
    assert refresh(sample_engine, day, SETTINGS) == 0
    kept = _rows(sample_engine, day)
    _forget(sample_engine)
    assert kept == _rows(sample_engine, day)
    later = date(2026, 4, 1)
    expired = {m for m, (_, until) in _kept(sample_engine).items() if until is not None and until <= later.isoformat()}
    assert refresh(sample_engine, later, SETTINGS) == len(expired) > 0


@pytest.mark.postgresql_only("écriture des résumés propre à PostgreSQL (COPY dans une table temporaire)")
def test_a_failure_to_keep_summaries_never_fails_the_read(
    sample_engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_: object) -> None:
        raise RuntimeError("plus de place sur le serveur")

    _forget(sample_engine)
    monkeypatch.setattr(summary_pg, "_write", broken)
    assert len(_rows(sample_engine, date(2026, 3, 1))) > 100  # the read gives every row
    assert _kept(sample_engine) == {}
