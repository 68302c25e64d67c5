"""Parcours service on a real SQLite store: one ménage in full, every ménage summarised in a few queries."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import count
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event, text

from exploc_cli.config import Settings
from exploc_cli.errors import NotFoundError
from exploc_cli.importers.service import ImportOptions, import_paths
from exploc_cli.parcours import MenageSummary, load_parcours, summarise_all
from exploc_cli.resources import sample_data_dir
from exploc_cli.store.db import open_store, resolve_location

TODAY = date(2026, 3, 1)
SETTINGS = Settings()


@dataclass
class Store:
    """A temporary base with helpers to add ménages, signalements and their events."""

    engine: Engine
    ids: Iterator[int] = field(default_factory=lambda: count(1))

    def menage(
        self, number: int, statut: str = "ouvert", clos_le: date | None = None, fusionne_dans: int | None = None
    ) -> int:
        self._run(
            "INSERT INTO menage (id, cree_le, statut, clos_le, fusionne_dans) VALUES (:i, :c, :s, :d, :f)",
            i=number, c="2026-01-01 00:00:00", s=statut, d=clos_le.isoformat() if clos_le else None, f=fusionne_dans,
        )  # fmt: skip
        return number

    def signalement(
        self, menage: int | None, source: str, code: str, day: date, *extra: tuple[Any, ...], **fields: Any
    ) -> int:
        number = next(self.ids)
        valeur = fields.pop("valeur", None)
        columns = {"id": number, "lot_id": 1, "ligne": number, "source": source, "empreinte": os.urandom(16),
                   "brut": "{}", "menage_id": menage, **fields}  # fmt: skip
        columns = {k: v.isoformat() if isinstance(v, date) else v for k, v in columns.items()}
        self._run(
            f"INSERT INTO signalement ({', '.join(columns)}) VALUES ({', '.join(':' + k for k in columns)})", **columns
        )
        self.event(number, code, day, True, valeur)
        for item in extra:
            self.event(number, item[0], item[1], False, item[2] if len(item) > 2 else None)
        return number

    def event(self, signalement: int, code: str, day: date, principal: bool, valeur: str | None) -> None:
        self._run(
            "INSERT INTO evenement (signalement_id, code, date, principal, valeur) VALUES (:s, :c, :d, :p, :v)",
            s=signalement, c=code, d=day.isoformat(), p=principal, v=valeur,
        )  # fmt: skip

    def note(self, menage: int, texte: str) -> None:
        self._run(
            "INSERT INTO note (menage_id, horodatage, utilisateur, texte) VALUES (:m, :h, 'agent', :t)",
            m=menage, h=datetime(2026, 2, 1, 10, 30).isoformat(sep=" "), t=texte,
        )  # fmt: skip

    def _run(self, sql: str, **params: Any) -> None:
        with self.engine.begin() as connection:
            connection.execute(text(sql), params)


@pytest.fixture
def store(new_base) -> Iterator[Store]:
    engine = open_store(resolve_location(str(new_base())))
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO lot (id, fichier, chemin, sha256, taille, source, format, entetes, lignes_lues, importees, "
                "deja_presentes, rejetees, avertissements, debut, utilisateur, statut) VALUES (1, 'f.csv', 'f.csv', "
                "'0', 0, 'huissier', 'csv', '[]', 0, 0, 0, 0, 0, '2026-01-01 00:00:00', 'agent', 'importe')"
            )
        )
    yield Store(engine)
    engine.dispose()


def household_at_cql(store: Store, number: int) -> None:
    store.menage(number)
    store.signalement(number, "caf", "signalement_caf", date(2025, 2, 1), nom="MARTIN", prenoms="Julie",
                      numero="12", voie="Rue Victor Hugo", commune="LILLE", code_postal="59000", dette=150000,
                      loyer_charges=60000)  # fmt: skip
    store.signalement(number, "huissier", "cdp", date(2025, 3, 10), nom="MARTIN", prenoms="Julie", commune="LILLE",
                      bailleur="SCI Les Rives", parc="prive", date_bail=date(2024, 1, 1), loyer=50000, dette=200000)  # fmt: skip
    store.signalement(number, "huissier", "jugement", date(2025, 9, 1), valeur="resiliation", dette=350000)
    store.signalement(number, "huissier", "cql", date(2026, 1, 12), dette=420000)


# --- load_parcours --------------------------------------------------------------------------


def test_load_parcours_reads_one_menage_with_its_deadlines_alerts_and_notes(store: Store) -> None:
    household_at_cql(store, 7)
    store.note(7, "Appel au bailleur.")
    with store.engine.connect() as connection:
        parcours = load_parcours(connection, 7, TODAY, SETTINGS)
    t = parcours.timeline
    assert [e.code for e in t.events] == ["signalement_caf", "cdp", "jugement", "cql"]
    assert t.events[2].value_label == "résiliation du bail"
    assert t.current_stage == "cql" and t.household.bailleur == "SCI Les Rives" and t.household.parc == "prive"
    assert [p.dette for p in t.debts] == [150000, 200000, 350000, 420000]
    (address,) = t.addresses
    assert (address.label, address.first_seen, address.last_seen) == (
        "12 Rue Victor Hugo, 59000 LILLE", date(2025, 2, 1), date(2025, 2, 1),
    )  # fmt: skip
    assert {e.code for e in parcours.echeances} == {"fin_cdp", "fin_delai_cql"}
    cql_deadline = next(e for e in parcours.echeances if e.code == "fin_delai_cql")
    assert cql_deadline.date == date(2026, 4, 1) and cql_deadline.postponed_from == date(2026, 3, 12)
    assert parcours.next_echeance == cql_deadline
    assert parcours.alert_codes == ("inconnu_social", "dette_elevee", "dette_hausse")  # 01/04 is 31 days away
    assert [n.texte for n in parcours.notes] == ["Appel au bailleur."] and parcours.notes[0].horodatage.year == 2026
    assert parcours.redirected_from is None


def test_an_assignment_passed_in_makes_the_household_known(store: Store) -> None:
    household_at_cql(store, 7)
    with store.engine.connect() as connection:
        assert "inconnu_social" not in load_parcours(connection, 7, TODAY, SETTINGS, assigned=True).alert_codes


def test_a_merged_menage_leads_to_the_one_that_absorbed_it(store: Store) -> None:
    household_at_cql(store, 7)
    store.menage(3, statut="fusionne", fusionne_dans=7)
    with store.engine.connect() as connection:
        parcours = load_parcours(connection, 3, TODAY, SETTINGS)
        assert (parcours.menage_id, parcours.redirected_from) == (7, 3)
        with pytest.raises(NotFoundError, match="Ménage n° 99 introuvable"):
            load_parcours(connection, 99, TODAY, SETTINGS)


def test_a_closed_menage_reported_again_is_flagged_reopened(store: Store) -> None:
    store.menage(4, statut="clos", clos_le=date(2025, 6, 30))
    store.signalement(4, "huissier", "cdp", date(2025, 3, 1), nom="DURAND")
    store.signalement(4, "caf", "signalement_caf", date(2025, 10, 2), nom="DURAND")
    with store.engine.connect() as connection:
        parcours = load_parcours(connection, 4, TODAY, SETTINGS)
        (summary,) = summarise_all(connection, TODAY, SETTINGS)
    assert parcours.timeline.reopened and parcours.timeline.reopened_on == date(2025, 10, 2)
    assert "rouvert" in parcours.alert_codes and summary.reopened and summary.statut == "clos"


# --- summarise_all --------------------------------------------------------------------------


def test_summaries_cover_open_and_closed_menages_only(store: Store) -> None:
    household_at_cql(store, 2)
    store.menage(5)  # no signalement yet
    store.menage(6, statut="clos", clos_le=date(2025, 1, 1))
    store.signalement(6, "caf", "signalement_caf", date(2024, 5, 1), nom="PETIT", commune="ROUBAIX", dette=80000)
    store.menage(8, statut="fusionne", fusionne_dans=2)
    store.signalement(None, "caf", "signalement_caf", date(2024, 5, 1), nom="SANS MENAGE")
    with store.engine.connect() as connection:
        rows = {s.menage_id: s for s in summarise_all(connection, TODAY, SETTINGS, assigned={2})}
    assert sorted(rows) == [2, 5, 6]
    two = rows[2]
    assert (two.nom, two.prenoms, two.commune, two.parc, two.bailleur) == (
        "MARTIN",
        "Julie",
        "LILLE",
        "prive",
        "SCI Les Rives",
    )
    assert (two.stage, two.stage_label, two.stage_date) == (
        "cql",
        "Commandement de quitter les lieux",
        date(2026, 1, 12),
    )
    assert (two.dette, two.dette_date, two.last_event_date) == (420000, date(2026, 1, 12), date(2026, 1, 12))
    assert two.alerts == ("dette_elevee", "dette_hausse")  # assigned: not « inconnu »
    assert (two.next_deadline, two.next_deadline_code) == (date(2026, 4, 1), "fin_delai_cql")
    assert rows[5] == MenageSummary(
        menage_id=5, statut="ouvert", nom=None, prenoms=None, nom2=None, prenoms2=None, commune=None, code_insee=None,
        parc=None, bailleur=None, stage=None, stage_label=None, stage_date=None, dette=None, dette_date=None,
        last_event_date=None, alerts=(), next_deadline=None, next_deadline_code=None, next_deadline_label=None,
        episodes=0, reopened=False,
    )  # fmt: skip
    assert (rows[6].statut, rows[6].commune, rows[6].alerts) == ("clos", "ROUBAIX", ())


def test_a_summary_agrees_with_the_full_parcours(store: Store) -> None:
    household_at_cql(store, 2)
    with store.engine.connect() as connection:
        (summary,) = summarise_all(connection, TODAY, SETTINGS)
        parcours = load_parcours(connection, 2, TODAY, SETTINGS)
    assert summary.alerts == parcours.alert_codes
    assert summary.stage == parcours.timeline.current_stage
    assert summary.next_deadline == (parcours.next_echeance.date if parcours.next_echeance else None)


def _statements(engine: Engine, run: Any) -> int:
    """The SELECTs the base ran: on SQLite, those sent through SQLAlchemy and those sent to the
    driver directly; on PostgreSQL (where exploc sends every query through SQLAlchemy), SQLAlchemy's."""
    seen: list[str] = []

    def trace(dbapi_connection: Any, *_: Any) -> None:
        dbapi_connection.set_trace_callback(seen.append)

    def statement(_connection: Any, _cursor: Any, sql: str, *_: Any) -> None:
        seen.append(sql)

    sqlite = engine.dialect.name == "sqlite"
    engine.dispose()
    hook: tuple[str, Any] = ("connect", trace) if sqlite else ("before_cursor_execute", statement)
    event.listen(engine, *hook)
    try:
        run()
    finally:
        event.remove(engine, *hook)
        engine.dispose()
    return sum(1 for sql in seen if sql.lstrip().upper().startswith("SELECT"))


def test_summarising_runs_the_same_few_queries_whatever_the_number_of_menages(store: Store) -> None:
    def summarise() -> list[MenageSummary]:
        with store.engine.connect() as connection:
            return list(summarise_all(connection, TODAY, SETTINGS))

    for number in range(1, 4):
        household_at_cql(store, number)
    few = _statements(store.engine, summarise)
    for number in range(4, 41):
        household_at_cql(store, number)
    many = _statements(store.engine, summarise)
    assert few == many == 5  # ménages, signalements, events, assignments, open préconisations
    assert len(summarise()) == 40


def test_summaries_stream_in_menage_order(store: Store) -> None:
    for number in (30, 4, 12):
        household_at_cql(store, number)
    with store.engine.connect() as connection:
        stream = summarise_all(connection, TODAY, SETTINGS)
        first = next(stream)
        assert first.menage_id == 4
        assert [s.menage_id for s in stream] == [12, 30]


def test_on_the_sample_data_every_summary_agrees_with_its_full_parcours(tmp_path: Path, new_base) -> None:
    """The bundled partner files, imported for real, grouped here by surname (not by the linkage)."""
    location = resolve_location(str(new_base("sample")))
    engine = open_store(location)
    options = ImportOptions(link=False, rejects_dir=tmp_path / "rejets", today=TODAY)
    import_paths(engine, location, [sample_data_dir()], options)
    with engine.begin() as connection:
        names = [r[0] for r in connection.execute(text("SELECT DISTINCT nom_cle FROM signalement ORDER BY 1"))]
        for number, name in enumerate(names, start=1):
            connection.execute(
                text("INSERT INTO menage (id, cree_le, statut) VALUES (:i, '2026-01-01 00:00:00', 'ouvert')"),
                {"i": number},
            )
            connection.execute(
                text("UPDATE signalement SET menage_id = :i WHERE COALESCE(nom_cle, '') = COALESCE(:n, '')"),
                {"i": number, "n": name},
            )
    with engine.connect() as connection:
        summaries = list(summarise_all(connection, TODAY, SETTINGS))
        assert len(summaries) == len(names) > 20
        for summary in summaries:
            parcours = load_parcours(connection, summary.menage_id, TODAY, SETTINGS)
            assert summary.alerts == parcours.alert_codes
            assert (summary.stage, summary.episodes) == (
                parcours.timeline.current_stage,
                len(parcours.timeline.episodes),
            )
            assert summary.next_deadline_code == (parcours.next_echeance.code if parcours.next_echeance else None)
            assert summary.nom == parcours.timeline.household.nom
    assert sum(1 for s in summaries if s.stage) > 10 and any(s.alerts for s in summaries)
    engine.dispose()
