"""The diagnostic's counters and tables on the hand-computed data set of ``tests/diagnostics_data.py``."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from exploc_cli.config import Settings
from exploc_cli.diagnostics.assemble import assemble
from exploc_cli.diagnostics.compute import compute
from exploc_cli.diagnostics.fold import Period, PeriodCounts
from exploc_cli.diagnostics.indicators import STAGES
from exploc_cli.diagnostics.model import Diagnostic, quantile
from exploc_cli.diagnostics.service import default_period
from exploc_cli.diagnostics.territories import UNKNOWN_COMMUNE, Territories
from exploc_cli.seances.referentiel import load_referentiel
from exploc_cli.store.db import open_store, resolve_location
from tests.diagnostics_data import HORIZON, PERIOD, build_households

BOURG, PORT = "BOURG SUR SARRE", "PORT AUBREL"


@pytest.fixture
def counts(base: Path) -> PeriodCounts:
    build_households(base)
    engine = open_store(resolve_location(str(base)))
    try:
        with engine.connect() as connection:
            computed = compute(
                connection, [Period(*PERIOD)], Territories("commune"), horizon=HORIZON, alerts=Settings().alertes
            )
    finally:
        engine.dispose()
    assert computed.households == 8 and computed.merged == 1 and computed.unlinked == 0
    return computed.counts[0]


def _by_first(counter: dict[tuple[str, str], int]) -> dict[str, int]:
    found: dict[str, int] = {}
    for (first, _), n in counter.items():
        found[first] = found.get(first, 0) + n
    return found


def test_households_concerned_by_commune_count_a_merged_household_once(counts: PeriodCounts) -> None:
    assert dict(counts.concerned) == {BOURG: 3, PORT: 3, UNKNOWN_COMMUNE: 1}


def test_signalements_by_source_month_and_stage(counts: PeriodCounts) -> None:
    by_source: dict[str, int] = {}
    for (source, _, _), n in counts.signalements.items():
        by_source[source] = by_source.get(source, 0) + n
    assert by_source == {"huissier": 10, "prefecture": 4, "caf": 2, "bailleur": 1}
    assert counts.signalements[("huissier", "2025-01", "assignation")] == 1  # H3
    assert counts.signalements[("bailleur", "2025-02", "saisine")] == 1  # the merged ménage's
    assert counts.signalements[("caf", "2025-12", "signalement_caf")] == 1  # the period's last day


def test_households_entering_each_stage(counts: PeriodCounts) -> None:
    assert _by_first(counts.entries) == {
        "signalement_caf": 2, "saisine": 1, "cdp": 4, "assignation": 3, "jugement": 2, "cql": 1,
        "requisition_cfp": 2, "decision_cfp": 2,
    }  # fmt: skip
    assert counts.entries[("cdp", BOURG)] == 2 and counts.entries[("cdp", PORT)] == 2
    assert {k: v for k, v in counts.entries_month.items() if k[0] == "cdp"} == {
        ("cdp", "2025-01"): 1, ("cdp", "2025-03"): 1, ("cdp", "2025-04"): 1, ("cdp", "2025-06"): 1,
    }  # fmt: skip
    assert {k[1]: v for k, v in counts.entries_parc.items() if k[0] == "cdp"} == {"public": 1, "prive": 2, "inconnu": 1}
    assert dict(counts.jugements) == {("resiliation", BOURG): 1, ("delais", PORT): 1}


def test_flows_and_delays_between_stages(counts: PeriodCounts) -> None:
    passed = {(pair, flag): 0 for pair in range(5) for flag in (True, False)}
    for (pair, _, flag), n in counts.flows.items():
        passed[(pair, flag)] += n
    assert [(passed[(p, True)], passed[(p, False)]) for p in range(5)] == [(2, 2), (2, 1), (1, 1), (1, 0), (1, 1)]
    # CDP 10/01 → assignation 15/03 (64 days), 01/04 → 01/09 (153); the expulsion of 20/01/2026 counts
    assert {pair: sorted(days) for pair, days in counts.delays.items()} == {
        0: [64, 153], 1: [97, 105], 2: [42], 3: [61], 4: [111],
    }  # fmt: skip
    assert quantile([64, 153], 0.5) == 64 and quantile([64, 153], 0.9) == 153


def test_known_to_a_social_service_before_the_assignation(counts: PeriodCounts) -> None:
    assert dict(counts.known) == {(BOURG, True): 1, (BOURG, False): 1, (PORT, False): 1}


def test_debt_bands_medians_and_cfp(counts: PeriodCounts) -> None:
    assert dict(counts.debt_bands) == {(1, BOURG): 2, (2, BOURG): 1, (2, PORT): 1, (0, PORT): 1}
    everything = sorted(d for debts in counts.debts.values() for d in debts)
    assert everything == [90_000, 210_000, 300_000, 520_000, 600_000]
    assert quantile(everything, 0.5) == 300_000 and quantile(everything, 0.9) == 600_000
    assert dict(counts.cfp) == {
        ("demande", BOURG): 1, ("demande", UNKNOWN_COMMUNE): 1, ("accorde", BOURG): 1, ("refuse", UNKNOWN_COMMUNE): 1,
    }  # fmt: skip


def test_alerts_at_the_end_of_the_period(counts: PeriodCounts) -> None:
    assert _by_first(counts.alerts) == {
        "dette_hausse": 4, "dette_elevee": 2, "inconnu_social": 1, "cfp_sans_signalement": 1, "recidive": 1,
    }  # fmt: skip
    assert counts.alerts[("recidive", PORT)] == 1 and counts.alerts[("inconnu_social", UNKNOWN_COMMUNE)] == 1


def test_commission_follows_merges(counts: PeriodCounts) -> None:
    assert counts.seances == 1
    assert dict(counts.examined) == {BOURG: 2, PORT: 1}  # ménage 6 is examined as H4, in Port
    assert dict(counts.avis) == {"preconisations": 1, "maintien_lieux": 1, "": 1}
    assert dict(counts.preconisations) == {("bailleur", "realisee"): 1, ("locataire", "non_realisee"): 1,
                                           ("fsl", "a_faire"): 1}  # fmt: skip
    assert dict(counts.services) == {
        ("Sans affectation", "", "public"): 3, ("Sans affectation", "", "prive"): 2,
        ("Sans affectation", "", "inconnu"): 2,
    }  # fmt: skip


def _diagnostic(base: Path, threshold: int, level: str = "departement") -> Diagnostic:
    """The diagnostic of the data set (``threshold`` 1: nothing masked, to read every computed value)."""
    build_households(base)
    engine = open_store(resolve_location(str(base)))
    try:
        territories = Territories(level)
        with engine.connect() as connection:
            computed = compute(connection, [Period(*PERIOD)], territories, horizon=HORIZON, alerts=Settings().alertes)
    finally:
        engine.dispose()
    referentiel = load_referentiel()
    return assemble(computed, territories, threshold, generated=HORIZON, horizon=HORIZON,
                    avis_labels=referentiel.avis_label, destinataire_labels=referentiel.destinataire_label)  # fmt: skip


def test_tables_show_the_hand_computed_values(base: Path) -> None:
    diagnostic = _diagnostic(base, 1)
    assert diagnostic.masked == (0, 0)
    figures = {h.label: h.value.text() for h in diagnostic.headlines}
    assert figures["Ménages concernés"] == "7" and figures["Signalements reçus"] == "17"
    assert figures["Commandement de payer"] == "4" and figures["Expulsion effective"] == "0"
    assert figures["Dette médiane (dernière dette déclarée)"] == "3\u00a0000\u00a0€"
    assert figures["Préconisations émises"] == "3"
    assert figures["Taux de réalisation des préconisations"] == "50,0\u00a0%"  # 1 done of 2 followed
    assert figures["Part des ménages assignés connus d'un service social avant l'assignation"] == "33,3\u00a0%"
    flows = next(s for s in diagnostic.sections if s.code == "flux").grids[0]
    assert flows.columns == ("Passés", "Pas (encore) passés", "Entrés", "Taux de passage", "Délai médian",
                             "Délai, 9e décile")  # fmt: skip
    assert [[v.text() for v in values] for _, values in flows.rows] == [
        ["2", "2", "4", "50,0\u00a0%", "64\u00a0j", "153\u00a0j"],
        ["2", "1", "3", "66,7\u00a0%", "97\u00a0j", "105\u00a0j"],
        ["1", "1", "2", "50,0\u00a0%", "42\u00a0j", "42\u00a0j"],
        ["1", "0", "1", "100,0\u00a0%", "61\u00a0j", "61\u00a0j"],
        ["1", "1", "2", "50,0\u00a0%", "111\u00a0j", "111\u00a0j"],
    ]


def test_the_same_tables_with_the_threshold_of_3_mask_small_counts(base: Path) -> None:
    diagnostic = _diagnostic(base, 3, "commune")
    figures = {h.label: h.value.text() for h in diagnostic.headlines}
    # households by commune: 3, 3 and 1 (« < 3 »), total 7: the 1 and one 3 are masked, the total stays
    assert figures["Ménages concernés"] == "7"
    concerned = [[v.text() for v in values] for _, values in diagnostic.sections[0].grids[2].rows]
    assert sorted(concerned) == [["7"], ["< 3"], ["secret"], ["3"]] or sorted(concerned) == sorted(
        [["3"], ["secret"], ["< 3"], ["7"]]
    )
    # 4 CDP in four different months (1 + 1 + 1 + 1): the month table must hide the total, and every
    # table that shows the same count (by parc, by commune, the flows) hides it too
    assert figures["Commandement de payer"] == "secret"
    assert figures["Taux de réalisation des préconisations"] == "secret"  # built on counts of 1 and 2
    flows = next(s for s in diagnostic.sections if s.code == "flux").grids[0]
    # 2 passed and 2 not, both « < 3 »: showing their total 4 would say « 2 and 2 », so it is masked
    assert [v.text() for v in flows.rows[0][1]] == ["< 3", "< 3", "secret", "secret", "secret", "secret"]
    assert diagnostic.masked[0] > 0 and diagnostic.masked[1] > 0
    sections = {s.code: s for s in diagnostic.sections}
    cdp = STAGES.index("cdp")
    shown_totals = [
        sections["etapes"].grids[0].rows[-1][1][cdp],  # by month: the Total row
        sections["etapes"].grids[1].rows[-1][1][cdp],  # by commune: the Total row
        sections["parc_dette"].grids[0].rows[cdp][1][-1],  # by parc: the Total column
        sections["flux"].grids[0].rows[0][1][2],  # flows: entered at CDP
    ]
    assert [v.masked for v in shown_totals] == [True] * 4
    bands = next(s for s in diagnostic.sections if s.code == "parc_dette").grids[1]
    assert [label for label, _ in bands.rows] == ["BOURG-SUR-SARRE", "PORT-AUBREL", "Commune inconnue", "Total"]
    for grid in (g for s in diagnostic.sections for g in s.grids if g.protected is not None):
        for line in grid.protected.lines():
            masked = sum(1 for r, c in line if grid.protected.masked(r, c))
            assert masked == 0 or masked >= 2, grid.title


def test_the_default_period_is_the_last_twelve_complete_months() -> None:
    assert default_period(date(2026, 11, 23)) == Period(date(2025, 11, 1), date(2026, 10, 31))
    assert default_period(date(2026, 1, 5)) == Period(date(2025, 1, 1), date(2025, 12, 31))
