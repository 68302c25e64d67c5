"""Alerts counted by the diagnostic agree with the parcours' own (``exploc menages afficher``), and
are counted as they stood at the end of an earlier period.

Crafted households, imported from small partner files (dates relative to today, in days), each in
its own commune so that the diagnostic by commune shows each one's alerts:

- A, B, C (``three_households``): A CAF −150, CDP −120, assignation −20 with a hearing at +60 (its
  notification to the préfet is due at +18); B a CQL at −400 (8 000 €), assigned to a social
  service at −25, then « à trier » since −12; C a CAF report at −30, closed at −10, reported again
  at −3;
- D (Ambérieu): CAF −60 (9 000 €), closed at −5;
- E (Belley): CDP −90 without lease date, assignation −20 whose row gives a lease signed in 2015;
  a séance at −50 left it a préconisation still to do;
- E2 (Gex): CDP −150, assignation −20 (lease of 2015); its préconisation of the séance at −50 was
  recorded as done at −10;
- F (Nantua): CDP −300 (lease of 2015), CDP −45 without lease date (the household's lease of 2015
  gives two months: due between +14 and +17);
- G (Trévoux): CQL −20 (expulsion possible 2 months later: beyond 30 days), nobody follows; assigned
  to a social service at −10;
- P (Miribel): a CFP requested at −40, nothing before;
- K (Meximieux): a CFP requested at −50 (its implicit refusal due between +9 and +12), granted at −5;
- R (Montluel): a CFP requested at −560 and an expulsion at −500, then a CAF report at −100.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from exploc_cli.config import Settings
from exploc_cli.diagnostics.assemble import assemble
from exploc_cli.diagnostics.compute import Computed, compute
from exploc_cli.diagnostics.fold import Period, PeriodCounts
from exploc_cli.diagnostics.indicators import ALERT_DEFINITIONS, ALERTS
from exploc_cli.diagnostics.territories import Territories
from exploc_cli.parcours.alerts import ALERT_LABELS
from exploc_cli.seances.referentiel import load_referentiel
from exploc_cli.store.db import open_store, resolve_location
from tests.cli.test_menages_parcours import HUISSIER_HEADER, three_households
from tests.conftest import Invoke
from tests.helpers import CAF_HEADER, caf_line, csv_text, scalar, writing

PREFECTURE_HEADER = "N° dossier;Nom;Adresse;Code postal;Commune;Date réquisition;Décision;Date décision;Date expulsion"
# commune (as the diagnostic by commune names it) of each crafted household
PLACES = {
    "A": "BOURG-SUR-SARRE", "C": "BOURG-SUR-SARRE", "B": "OYONNAX", "D": "AMBERIEU-EN-BUGEY", "E": "BELLEY", "E2": "GEX", "F": "NANTUA",
    "G": "TREVOUX", "P": "MIRIBEL", "K": "MEXIMIEUX", "R": "MONTLUEL", "H": "LAGNIEU",
}  # fmt: skip


def fr(offset: int) -> str:
    return f"{date.today() + timedelta(days=offset):%d/%m/%Y}"


def stamp(offset: int) -> str:
    """A stored timestamp (UTC), at noon of day ``offset``."""
    return f"{date.today() + timedelta(days=offset):%Y-%m-%d} 12:00:00.000000"


def acte(reference: str, kind: str, when: int, who: str, place: tuple[str, str, str], *, dette: str,
         bail: int | None = None, audience: int | None = None) -> str:  # fmt: skip
    """A commissaire de justice's row; ``bail``: the lease's date as an offset (« 2015 » when -1)."""
    lease = "01/02/2015" if bail == -1 else fr(bail) if bail is not None else ""
    return ";".join([reference, kind, fr(when), who, *place, "Logis du Val", "500,00", dette, "PM", lease, "50,00",
                     fr(audience) if audience is not None else "", ""])  # fmt: skip


def _import(exploc: Invoke, write_file: Callable[..., Path], name: str, header: str, lines: list[str]) -> None:
    result = exploc("importer", str(write_file(name, csv_text(header, lines))))
    assert result.exit_code == 0, result.output


def _menage(base: Path, reference: str) -> int:
    return int(scalar(base, "SELECT menage_id FROM signalement WHERE reference = ?", reference))


def crafted(exploc: Invoke, write_file: Callable[..., Path], base: Path) -> dict[str, int]:
    """The households of the module's docstring; their numbers by letter."""
    numbers = three_households(exploc, write_file, base)
    belley, gex = ("5 rue du Lac", "01300", "Belley"), ("7 chemin Vert", "01170", "Gex")
    nantua, trevoux = ("2 quai Ouest", "01130", "Nantua"), ("9 rue Haute", "01600", "Trévoux")
    _import(exploc, write_file, "caf2.csv", CAF_HEADER, [
        caf_line("S-C2", "0999999", "DURAND", "Sophie", dette="900,00", date=fr(-3), adresse="8 rue Haute"),
        caf_line("S-D", "0555555", "MOREAU", "Lucie", dette="9 000,00", date=fr(-60), adresse="1 place Neuve",
                 cp="01500", commune="Ambérieu-en-Bugey"),
        caf_line("S-R", "0777777", "BENSALAH", "Karim", dette="800,00", date=fr(-100), adresse="4 rue Basse",
                 cp="01120", commune="Montluel"),
    ])  # fmt: skip
    _import(exploc, write_file, "actes2.csv", HUISSIER_HEADER, [
        acte("E-1", "Commandement de payer", -90, "M. Hugo PETIT", belley, dette="2 000,00"),
        acte("E-2", "Assignation", -20, "M. Hugo PETIT", belley, dette="2 200,00", bail=-1),
        acte("E2-1", "Commandement de payer", -150, "Mme Alice ROUX", gex, dette="2 000,00", bail=-1),
        acte("E2-2", "Assignation", -20, "Mme Alice ROUX", gex, dette="2 200,00", bail=-1),
        acte("F-1", "Commandement de payer", -300, "M. Paul BLANC", nantua, dette="1 500,00", bail=-1),
        acte("F-2", "Commandement de payer", -45, "M. Paul BLANC", nantua, dette="1 500,00"),
        acte("G-1", "Commandement de quitter les lieux", -20, "Mme Rose NOIR", trevoux, dette="1 000,00", bail=-1),
    ])  # fmt: skip
    _import(exploc, write_file, "cfp.csv", PREFECTURE_HEADER, [
        f"P-1;M. Marc VIDAL;3 allée Douce;01700;Miribel;{fr(-40)};;;",
        f"K-1;Mme Jeanne KLEIN;5 rue Sèche;01800;Meximieux;{fr(-50)};accordé;{fr(-5)};",
        f"R-1;M. Karim BENSALAH;4 rue Basse;01120;Montluel;{fr(-560)};accordé;{fr(-530)};{fr(-500)}",
    ])  # fmt: skip
    for letter, reference in (("D", "S-D"), ("E", "E-1"), ("E2", "E2-1"), ("F", "F-1"), ("G", "G-1"), ("P", "P-1"),
                              ("K", "K-1"), ("R", "R-1")):  # fmt: skip
        numbers[letter] = _menage(base, reference)
    for same, reference in (("C", "S-C2"), ("E", "E-2"), ("E2", "E2-2"), ("F", "F-2"), ("R", "S-R")):
        assert _menage(base, reference) == numbers[same], reference
    assert len(set(numbers.values())) == len(numbers)
    closed = exploc("menages", "clore", str(numbers["D"]), "--motif", "relogement", "--le", fr(-5))
    assert closed.exit_code == 0, closed.output
    created = exploc("seances", "creer", "--date", fr(-50), "--json")
    assert created.exit_code == 0, created.output
    seance = int(json.loads(created.stdout)["seance"])
    assert exploc("seances", "ajouter", str(seance), str(numbers["E"]), str(numbers["E2"])).exit_code == 0
    with writing(base) as connection:
        for letter, statut, changed in (("E", "a_faire", None), ("E2", "realisee", stamp(-10))):
            inscription = connection.execute(
                "SELECT id FROM inscription WHERE seance_id = ? AND menage_id = ?", (seance, numbers[letter])
            ).fetchone()[0]
            connection.execute(
                "INSERT INTO preconisation (inscription_id, menage_id, numero, destinataire, type, statut, cree_le, "
                "statut_le) VALUES (?, ?, 1, 'bailleur', 'plan_apurement', ?, ?, ?)",
                (inscription, numbers[letter], statut, stamp(-49), changed),
            )
        for letter, statut, day, current in (
            ("G", "affecte", -10, True),
            ("B", "affecte", -25, False),
            ("B", "a_trier", -12, True),
        ):
            connection.execute(
                "INSERT INTO affectation (menage_id, statut, service_code, service_libelle, origine, horodatage, "
                "utilisateur, courante) VALUES (?, ?, 'MDS-T', 'MDS Trévoux', 'manuel', ?, 'test', ?)",
                (numbers[letter], statut, stamp(day), current),
            )
    return numbers


def _computed(base: Path, *periods: Period, level: str = "departement") -> tuple[Computed, Territories]:
    engine = open_store(resolve_location(str(base)))
    try:
        with engine.connect() as connection:
            territories = Territories(level)
            computed = compute(connection, list(periods), territories, horizon=date.today(), alerts=Settings().alertes)
    finally:
        engine.dispose()
    return computed, territories


def _counts(base: Path, period: Period) -> PeriodCounts:
    return _computed(base, period)[0].counts[0]


def _by_code(counts: PeriodCounts) -> Counter[str]:
    found: Counter[str] = Counter()
    for (code, _), n in counts.alerts.items():
        found[code] += n
    return +found


def _by_place(base: Path, end: int) -> dict[str, dict[str, int]]:
    """The alerts of each commune for the two years ending on day ``end``."""
    computed, territories = _computed(base, Period(date.today() - timedelta(days=730), date.today() + timedelta(days=end)),
                                      level="commune")  # fmt: skip
    found: dict[str, dict[str, int]] = {}
    for (code, key), n in computed.counts[0].alerts.items():
        label = territories.label(key).upper().replace("É", "E").replace("È", "E")
        found.setdefault(label, {})[code] = found.setdefault(label, {}).get(code, 0) + n
    return found


def _alert_codes(exploc: Invoke, menage: int) -> list[str]:
    result = exploc("menages", "afficher", str(menage), "--json")
    assert result.exit_code == 0, result.output
    return [alert["code"] for alert in json.loads(result.stdout)["alertes"]]


def test_a_period_ending_today_counts_the_alerts_the_parcours_shows(
    exploc: Invoke, write_file: Callable[..., Path], base: Path
) -> None:
    numbers = crafted(exploc, write_file, base)
    shown = {letter: _alert_codes(exploc, menage) for letter, menage in numbers.items()}
    # what the parcours raises today, checked by hand for the new kinds and the closure
    assert "echeance_proche" in shown["A"] and "echeance_proche" in shown["F"] and "echeance_proche" in shown["P"]
    assert "acte_apres_preconisation" in shown["E"] and "acte_apres_preconisation" not in shown["E2"]
    assert "inconnu_social" not in shown["G"] and shown["D"] == [] and "rouvert" in shown["C"]
    expected = Counter(code for codes in shown.values() for code in codes)
    assert set(expected) == set(ALERTS)  # every kind is raised by some household
    counted = _by_code(_counts(base, Period(date.today() - timedelta(days=730), date.today())))
    assert counted == expected
    # a period ending after the data date stands as today
    assert (
        _by_code(_counts(base, Period(date.today() - timedelta(days=730), date.today() + timedelta(days=40))))
        == expected
    )


def test_alerts_as_they_stood_at_the_end_of_an_earlier_period(
    exploc: Invoke, write_file: Callable[..., Path], base: Path
) -> None:
    crafted(exploc, write_file, base)
    today = _by_place(base, 0)
    fifteen_days_ago = _by_place(base, -15)
    # D: not closed yet; its debt of 9 000 € was high (closed at −5: nothing today)
    assert fifteen_days_ago[PLACES["D"]] == {"dette_elevee": 1} and PLACES["D"] not in today
    # G: at the CQL, followed by nobody and assigned to nobody until −10
    assert fifteen_days_ago[PLACES["G"]] == {"inconnu_social": 1} and PLACES["G"] not in today
    # E2: the assignation of −20 came after the séance of −50 whose préconisation was still to do
    # until −10
    assert fifteen_days_ago[PLACES["E2"]] == {"dette_hausse": 1, "acte_apres_preconisation": 1}
    assert today[PLACES["E2"]] == {"dette_hausse": 1}
    # E: its préconisation is still to do, then as now
    assert fifteen_days_ago[PLACES["E"]] == today[PLACES["E"]] == {"dette_hausse": 1, "acte_apres_preconisation": 1}
    # A: its hearing was fixed by a file imported today: unknown 15 days ago (and its deadline 33 days
    # ahead); C (also in Bourg) was open 15 days ago, with a small debt, and is reported again at −3
    assert fifteen_days_ago[PLACES["A"]] == {"dette_hausse": 1}
    assert today[PLACES["A"]] == {"dette_hausse": 1, "echeance_proche": 1, "rouvert": 1}
    assert fifteen_days_ago[PLACES["P"]] == {"inconnu_social": 1, "cfp_sans_signalement": 1}  # due at +19 to +22
    assert fifteen_days_ago[PLACES["R"]] == today[PLACES["R"]] == {"recidive": 1}
    # B: a social service was assigned from −25 to −12 (« à trier » since)
    assert fifteen_days_ago[PLACES["B"]] == {"dette_elevee": 1}
    assert today[PLACES["B"]] == {"inconnu_social": 1, "dette_elevee": 1}
    # K: its implicit refusal (+9 to +12) was ahead 10 days ago; the grant of −5 made it moot
    cfp = {"inconnu_social": 1, "cfp_sans_signalement": 1}
    assert _by_place(base, -10)[PLACES["K"]] == {**cfp, "echeance_proche": 1} and today[PLACES["K"]] == cfp
    sixty_days_ago = _by_place(base, -60)
    # E 60 days ago: the CDP of −90 without lease date, the lease of 2015 not known yet (its row is
    # dated −20): six weeks, due at −48, within 30 days; today two months, long past
    assert sixty_days_ago[PLACES["E"]] == {"echeance_proche": 1} and "echeance_proche" not in today[PLACES["E"]]
    assert sixty_days_ago.get(PLACES["E2"], {}) == {}  # CDP of −150, lease of 2015: due about −90
    assert sixty_days_ago[PLACES["D"]] == {"dette_elevee": 1}


def test_a_hearing_counts_from_the_day_its_file_was_imported(
    exploc: Invoke, write_file: Callable[..., Path], base: Path
) -> None:
    lagnieu = ("6 rue Longue", "01150", "Lagnieu")
    _import(exploc, write_file, "h.csv", HUISSIER_HEADER, [
        acte("H-1", "Assignation", -40, "M. Henri LEROY", lagnieu, dette="1 200,00", bail=-1, audience=12),
    ])  # fmt: skip
    # the notification to the préfet was due 42 days before the hearing of +12: at −30
    assert "echeance_proche" not in _alert_codes(exploc, _menage(base, "H-1"))
    period = Period(date.today() - timedelta(days=365), date.today() - timedelta(days=35))
    assert _by_code(_counts(base, period)) == Counter()  # the file came today: the hearing was unknown at −35
    with writing(base) as connection:
        connection.execute("UPDATE lot SET debut = ?", (stamp(-38),))
    assert _by_code(_counts(base, period)) == Counter({"echeance_proche": 1})
    assert _by_code(_counts(base, Period(period.du, date.today()))) == Counter()


def test_every_alert_is_defined_in_the_method_and_masked_like_the_others(
    exploc: Invoke, write_file: Callable[..., Path], base: Path
) -> None:
    assert set(ALERTS) == set(ALERT_LABELS) and list(ALERTS) == list(ALERT_DEFINITIONS)  # all the parcours' alerts
    crafted(exploc, write_file, base)
    referentiel = load_referentiel()
    computed, territories = _computed(base, Period(date.today() - timedelta(days=730), date.today()))
    shown = {}
    for threshold in (1, 5):
        diagnostic = assemble(computed, territories, threshold, generated=date.today(), horizon=date.today(),
                              avis_labels=referentiel.avis_label, destinataire_labels=referentiel.destinataire_label)  # fmt: skip
        grid = next(s for s in diagnostic.sections if s.code == "alertes").grids[0]
        assert grid.columns == tuple(ALERTS.values())
        shown[threshold] = dict(zip(ALERTS, (v.text() for v in grid.rows[0][1]), strict=True))
        method = dict(diagnostic.method)
        for code, label in ALERTS.items():
            assert method[f"Alerte : {label}"] == ALERT_DEFINITIONS[code]
    assert shown[1]["echeance_proche"] == "3" and shown[1]["acte_apres_preconisation"] == "1"
    assert shown[5] == {code: "< 5" for code in ALERTS}  # every count is 1 to 3
