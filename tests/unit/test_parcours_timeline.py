"""Parcours timeline: date arithmetic, event order, debts, episodes, current stage, household, reopening."""

from __future__ import annotations

from datetime import date
from itertools import count

import pytest

from exploc_cli.parcours import EventRecord, MenageRecord, SignalementRecord, Timeline, build_timeline
from exploc_cli.parcours.datemath import add_months, in_yearly_period, shift, yearly_period_end

TODAY = date(2026, 3, 1)
_ids = count(1)


def sig(source: str, code: str, day: date, **fields: object) -> tuple[SignalementRecord, list[EventRecord]]:
    """A signalement and its main event (plus ``extra`` events given as (code, date[, valeur]))."""
    extra = fields.pop("extra", ())
    valeur = fields.pop("valeur", None)
    assert valeur is None or isinstance(valeur, str)
    record = SignalementRecord(id=next(_ids), source=source, **fields)  # type: ignore[arg-type]
    events = [EventRecord(next(_ids), record.id, code, day, True, valeur)]
    for item in extra:  # type: ignore[attr-defined]
        events.append(EventRecord(next(_ids), record.id, item[0], item[1], False, item[2] if len(item) > 2 else None))
    return record, events


def timeline(*rows: tuple[SignalementRecord, list[EventRecord]], menage: MenageRecord | None = None,
             today: date = TODAY, gap: int = 12) -> Timeline:  # fmt: skip
    signalements = [r for r, _ in rows]
    events = [e for _, es in rows for e in es]
    return build_timeline(menage or MenageRecord(1), signalements, events, today=today, episode_gap_months=gap)


# --- date arithmetic ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (date(2025, 12, 31), 2, date(2026, 2, 28)),
        (date(2023, 12, 31), 2, date(2024, 2, 29)),
        (date(2026, 3, 31), -1, date(2026, 2, 28)),
        (date(2026, 1, 15), -13, date(2024, 12, 15)),
        (date(2025, 8, 31), 1, date(2025, 9, 30)),
        (date(2025, 11, 10), 2, date(2026, 1, 10)),
    ],
)
def test_add_months_clamps_to_the_end_of_the_month(day: date, months: int, expected: date) -> None:
    assert add_months(day, months) == expected


def test_shift_adds_months_then_weeks_and_goes_backwards() -> None:
    assert shift(date(2026, 3, 20), weeks=6, backwards=True) == date(2026, 2, 6)
    assert shift(date(2026, 1, 31), months=1, days=1) == date(2026, 3, 1)


def test_a_yearly_period_may_straddle_the_new_year() -> None:
    winter = ((11, 1), (3, 31))
    assert in_yearly_period(date(2025, 11, 1), *winter) and in_yearly_period(date(2026, 3, 31), *winter)
    assert not in_yearly_period(date(2026, 4, 1), *winter) and not in_yearly_period(date(2025, 10, 31), *winter)
    assert yearly_period_end(date(2025, 12, 15), *winter) == date(2026, 3, 31)
    assert yearly_period_end(date(2026, 2, 1), *winter) == date(2026, 3, 31)
    assert in_yearly_period(date(2026, 7, 14), (7, 1), (8, 31))


# --- events, stages, debts ------------------------------------------------------------------


def test_events_come_in_date_order_with_stage_source_and_amounts() -> None:
    t = timeline(
        sig(
            "huissier",
            "assignation",
            date(2025, 9, 1),
            dette=250000,
            loyer=60000,
            extra=[("audience", date(2026, 4, 2))],
        ),
        sig("caf", "signalement_caf", date(2025, 3, 1), dette=120000, loyer_charges=70000),
        sig("suivi", "debut_suivi", date(2024, 1, 10), service="MDS Nord"),
    )
    assert [(e.date, e.code, e.source) for e in t.events] == [
        (date(2024, 1, 10), "debut_suivi", "suivi"),
        (date(2025, 3, 1), "signalement_caf", "caf"),
        (date(2025, 9, 1), "assignation", "huissier"),
        (date(2026, 4, 2), "audience", "huissier"),
    ]
    suivi, caf, assignation, audience = t.events
    assert suivi.stage is None and caf.stage_label == "Signalement CAF/MSA"
    assert (assignation.dette, assignation.loyer) == (250000, 60000)
    assert (caf.dette, caf.loyer) == (120000, 70000)  # rent with charges when that is all there is
    assert audience.dette is None and audience.future and not assignation.future
    assert [(p.date, p.dette, p.source) for p in t.debts] == [
        (date(2025, 3, 1), 120000, "caf"),
        (date(2025, 9, 1), 250000, "huissier"),
    ]
    assert t.last_event_date == date(2025, 9, 1)


def test_the_current_stage_is_the_most_advanced_reached_not_a_scheduled_one() -> None:
    t = timeline(
        sig("huissier", "cdp", date(2025, 6, 1)),
        sig("huissier", "assignation", date(2025, 9, 1), extra=[("audience", date(2026, 4, 2))]),
        sig("caf", "signalement_caf", date(2025, 11, 1)),  # a later report of an earlier stage
    )
    assert t.current_stage == "assignation"
    assert t.current_stage_label == "Assignation"
    assert t.current_episode is not None and t.current_episode.stage_date == date(2025, 9, 1)


def test_decision_values_get_french_labels() -> None:
    t = timeline(sig("huissier", "jugement", date(2025, 10, 1), valeur="resiliation"))
    assert t.events[0].value == "resiliation" and t.events[0].value_label == "résiliation du bail"


# --- episodes -------------------------------------------------------------------------------


def test_a_procedure_restarting_after_a_long_gap_is_a_new_episode() -> None:
    t = timeline(
        sig("huissier", "cdp", date(2022, 5, 1)),
        sig("huissier", "assignation", date(2022, 8, 1)),
        sig("caf", "signalement_caf", date(2024, 1, 5)),
        sig("huissier", "cdp", date(2024, 3, 1)),
    )
    assert [e.number for e in t.episodes] == [1, 2]
    first, second = t.episodes
    assert (first.start, first.end, first.stage) == (date(2022, 5, 1), date(2022, 8, 1), "assignation")
    assert second.start == date(2024, 1, 5) and "12 mois" in second.opened_because
    assert t.current_stage == "cdp"
    assert [e.episode for e in t.events] == [1, 1, 2, 2]


def test_a_later_stage_after_a_long_gap_continues_the_episode() -> None:
    t = timeline(sig("huissier", "cql", date(2023, 1, 10)), sig("prefecture", "requisition_cfp", date(2024, 6, 1)))
    assert len(t.episodes) == 1 and t.current_stage == "requisition_cfp"


def test_the_gap_is_configurable() -> None:
    rows = (sig("huissier", "cdp", date(2024, 1, 10)), sig("caf", "signalement_caf", date(2024, 9, 1)))
    assert len(timeline(*rows).episodes) == 1
    assert len(timeline(*rows, gap=6).episodes) == 2


def test_a_new_cdp_after_an_assignation_opens_a_new_episode() -> None:
    t = timeline(
        sig("huissier", "cdp", date(2025, 1, 10)),
        sig("huissier", "assignation", date(2025, 4, 1)),
        sig("huissier", "cdp", date(2025, 9, 1)),
    )
    assert len(t.episodes) == 2 and t.episodes[1].opened_because.startswith("nouveau commandement")
    assert t.current_stage == "cdp"


def test_an_expulsion_or_a_dismissal_ends_the_episode() -> None:
    t = timeline(
        sig("huissier", "cql", date(2024, 2, 1)),
        sig("huissier", "pv_expulsion", date(2024, 6, 3)),
        sig("prefecture", "pv_expulsion", date(2024, 6, 3)),  # the same act from another source
        sig("caf", "signalement_caf", date(2024, 11, 1)),
    )
    assert len(t.episodes) == 2
    assert t.episodes[0].closed_because == "expulsion effective"
    assert "fin de l'épisode précédent" in t.episodes[1].opened_because
    rejected = timeline(
        sig("huissier", "jugement", date(2025, 1, 5), valeur="rejet"), sig("huissier", "cdp", date(2025, 6, 1))
    )
    assert rejected.episodes[0].closed_because == "demande rejetée par le juge" and len(rejected.episodes) == 2


def test_the_same_act_reported_twice_stays_in_its_episode() -> None:
    t = timeline(
        sig("huissier", "jugement", date(2025, 1, 5), valeur="rejet"),
        sig("huissier", "jugement", date(2025, 1, 5), valeur="rejet"),
    )
    assert len(t.episodes) == 1


def test_follow_up_events_never_open_an_episode() -> None:
    t = timeline(sig("suivi", "debut_suivi", date(2021, 1, 1)), sig("huissier", "cdp", date(2025, 1, 1)))
    assert len(t.episodes) == 1 and t.events[0].episode == 0
    assert timeline(sig("suivi", "debut_suivi", date(2021, 1, 1))).episodes == ()


# --- closing and reopening ------------------------------------------------------------------


def test_a_signalement_after_the_closing_date_reopens_the_parcours() -> None:
    menage = MenageRecord(1, statut="clos", clos_le=date(2025, 6, 30), motif_cloture="relogement")
    t = timeline(
        sig("huissier", "cdp", date(2025, 3, 1)), sig("caf", "signalement_caf", date(2025, 10, 2)), menage=menage
    )
    assert t.reopened and t.reopened_on == date(2025, 10, 2)
    assert len(t.episodes) == 2 and "clôture du ménage le 30/06/2025" in t.episodes[1].opened_because
    before = timeline(sig("huissier", "cdp", date(2025, 3, 1)), menage=menage)
    assert not before.reopened and before.reopened_on is None
    assert not timeline(sig("huissier", "cdp", date(2025, 3, 1))).reopened


# --- household ------------------------------------------------------------------------------


def test_the_household_keeps_the_latest_known_values_group_by_group() -> None:
    t = timeline(
        sig("caf", "signalement_caf", date(2025, 1, 1), nom="MARTIN", prenoms="Julie", enfants=2,
            numero_allocataire="0123456", organisme="caf", loyer_charges=70000, commune="LILLE", code_postal="59000"),
        sig("huissier", "cdp", date(2025, 5, 1), nom="MARTIN-DURAND", bailleur="SCI Les Rives",
            type_bailleur="pm", parc="prive", date_bail=date(2021, 4, 1), loyer=60000, charges=8000),
        sig("suivi", "debut_suivi", date(2024, 6, 1), service="MDS Nord", referent="A. Lenoir",
            extra=[("fin_suivi", date(2025, 2, 1))]),
    )  # fmt: skip
    h = t.household
    assert (h.nom, h.prenoms) == ("MARTIN-DURAND", None)  # never a surname from one row and a first name from another
    assert (h.enfants, h.numero_allocataire, h.bailleur, h.parc, h.date_bail) == (
        2, "0123456", "SCI Les Rives", "prive", date(2021, 4, 1),
    )  # fmt: skip
    assert (h.loyer, h.loyer_charges, h.rent) == (60000, 70000, 60000)
    assert h.sources == ("caf", "huissier", "suivi") and h.signalements == 3
    assert t.known_to_social_services
    (follow_up,) = t.follow_ups
    assert (follow_up.service, follow_up.start, follow_up.end) == ("MDS Nord", date(2024, 6, 1), date(2025, 2, 1))


def test_every_distinct_address_is_listed_with_first_and_last_dates() -> None:
    old = {"numero": "12", "voie": "Rue Victor Hugo", "code_postal": "59000", "commune": "LILLE"}
    new = {"numero": "3", "suffixe": "B", "voie": "Avenue de la Gare", "code_postal": "59100", "commune": "ROUBAIX"}
    t = timeline(
        sig("caf", "signalement_caf", date(2023, 1, 1), **old),
        sig("huissier", "cdp", date(2023, 6, 1), **old),
        sig("caf", "signalement_caf", date(2025, 2, 1), **new),
        sig("bailleur", "saisine", date(2025, 3, 1), adresse_brute="Résidence Les Tilleuls", commune="ROUBAIX"),
    )
    assert [(a.first_seen, a.last_seen, a.signalements) for a in t.addresses] == [
        (date(2023, 1, 1), date(2023, 6, 1), 2),
        (date(2025, 2, 1), date(2025, 2, 1), 1),
        (date(2025, 3, 1), date(2025, 3, 1), 1),
    ]
    assert t.addresses[0].sources == ("caf", "huissier") and "59000 LILLE" in t.addresses[0].label
    assert t.household.adresse == "Résidence Les Tilleuls ROUBAIX"
    assert t.household.commune == "ROUBAIX"
