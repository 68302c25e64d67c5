"""Simulate a household's eviction procedure as dated events, respecting the legal delays.

Stages (DOMAIN.md §1): impayé → signalement CAF (allocataires) and/or saisine (social
landlords) → commandement de payer → assignation (audience ≥ 6 weeks later) → jugement →
commandement de quitter les lieux → PV de tentative → réquisition CFP → décision du préfet →
PV d'expulsion. Most households stop early; some loop (plan, then a new impayé).
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from .draw import Counters
from .households import Evenement, Menage

CDP_REFORM = date(2023, 7, 29)  # leases signed before keep the 2-month CDP period


def add_months(day: date, months: int) -> date:
    """``day`` plus ``months`` calendar months (clamped to the month's last day)."""
    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def in_treve(day: date) -> bool:
    """True between 1 November and 31 March (trêve hivernale)."""
    return day.month >= 11 or day.month <= 3


def out_of_treve(day: date, rng: random.Random) -> date:
    """The same day, or a working day of April when ``day`` falls in the trêve."""
    if not in_treve(day):
        return day
    year = day.year + 1 if day.month >= 11 else day.year
    return date(year, 4, 1) + timedelta(days=int(rng.random() * 28))


def cdp_period_end(cdp: date, date_bail: date) -> date:
    """End of the period the CDP gives: 6 weeks, or 2 months for leases before 29/07/2023."""
    return add_months(cdp, 2) if date_bail < CDP_REFORM else cdp + timedelta(weeks=6)


_DAYS = tuple(timedelta(days=n) for n in range(1000))  # built once: _days runs a lot


def delay(rng: random.Random, low: int, high: int) -> timedelta:
    """A random delay of ``low`` to ``high`` days (``high`` < 1000)."""
    return _DAYS[low + int(rng.random() * (high - low + 1))]


_FIXED_HOLIDAYS = {(1, 1), (5, 1), (5, 8), (7, 14), (8, 15), (11, 1), (11, 11), (12, 25)}


def workday(day: date) -> date:
    """Acts are served on working days: move a week-end or fixed public holiday forward."""
    while day.weekday() >= 5 or (day.month, day.day) in _FIXED_HOLIDAYS:
        day += timedelta(days=1)
    return day


def _field_day(day: date, rng: random.Random) -> date:
    """A working day outside the trêve, for a PV (tentative or expulsion)."""
    return workday(out_of_treve(workday(day), rng))


class _Episode:
    """One arrears episode: accumulates events until ``ref`` and tracks the debt."""

    def __init__(
        self, menage: Menage, number: int, logement: int, start: date, ref: date, rng: random.Random, counters: Counters
    ) -> None:
        self.menage, self.number, self.logement = menage, number, logement
        self.start, self.ref, self.rng, self.counters = start, ref, rng, counters
        housing = menage.logements[logement]
        net = housing.loyer_cc - (menage.aide if menage.tiers_payant else 0)
        self.shortfall = max(8000, int(net * (0.45 + 0.55 * rng.random())))
        self.fees = 0
        self.last = start

    def emit(
        self,
        code: str,
        day: date,
        valeur: str = "",
        reference: str = "",
        date_liee: date | None = None,
        dossier: str = "",
    ) -> bool:
        """Record an event; False (and nothing recorded) once ``day`` is after ``ref``."""
        if day > self.ref:
            return False
        months = (day - self.start).days / 30.44  # the debt grows by the monthly shortfall
        debt = int(self.shortfall * (months if months > 0.5 else 0.5)) + self.fees
        self.menage.evenements.append(
            Evenement(code, day, debt, self.number, self.logement, valeur, reference, date_liee, dossier or reference)
        )
        if day > self.last:
            self.last = day
        return True

    def next_ref(self, kind: str, prefix: str, day: date) -> str:
        return f"{prefix}{day.year % 100:02d}-{self.counters.next(kind):06d}"


def simulate_episode(
    menage: Menage, number: int, logement: int, start: date, ref: date, rng: random.Random, counters: Counters
) -> tuple[date, str]:
    """Append one episode's events; return (end date, outcome)."""
    ep = _Episode(menage, number, logement, start, ref, rng, counters)
    housing = menage.logements[logement]
    public = housing.parc == "public"
    if not ep.emit("impaye", start):
        return start, "futur"
    threshold_months = max(1, round(2 * housing.loyer_cc / ep.shortfall))
    constituted = min(add_months(start, min(threshold_months, 5)), start + delay(rng, 55, 150))
    # For an allocataire the CAF signalement counts as the saisine; a landlord's own
    # saisine, when there is one, is the date the 2-month rule is checked against.
    saisine: date | None = None
    if menage.allocataire and rng.random() < 0.92:
        day = workday(constituted + delay(rng, 5, 60))
        ep.emit("signalement_caf", day, reference=ep.next_ref("caf", "S", day), date_liee=constituted)
        saisine = day
    if public and rng.random() < 0.8:
        day = workday(constituted + delay(rng, 20, 120))
        planned = add_months(day, 2) + delay(rng, 10, 90) if rng.random() < 0.4 else None
        ep.emit("saisine", day, reference=housing.reference_locataire, date_liee=planned)
        saisine = day
    if rng.random() > (0.6 if public else 0.78):
        return ep.last + delay(rng, 60, 200), "plan"
    dossier_day = workday(constituted + delay(rng, 15, 100))
    dossier = ep.next_ref(menage.etude, "D", dossier_day)
    cdp = dossier_day
    ep.fees += 15000
    if not ep.emit("cdp", cdp, reference=dossier):
        return cdp, "futur"
    if rng.random() > 0.65:
        return ep.last + delay(rng, 30, 150), "plan"
    if public and saisine is None:  # a social landlord must seize the CCAPEX first
        saisine = workday(cdp + delay(rng, 0, 20))
        ep.emit("saisine", saisine, reference=housing.reference_locataire)
    earliest = cdp_period_end(cdp, housing.date_bail)
    if public and saisine is not None:
        earliest = max(earliest, add_months(saisine, 2))
    assignation = workday(earliest + delay(rng, 1, 75))
    audience = workday(assignation + delay(rng, 45, 130))
    ep.fees += 30000
    if not ep.emit("assignation", assignation, reference=dossier, date_liee=audience):
        return assignation, "futur"
    ep.emit("audience", audience, reference=dossier)
    if rng.random() > 0.9:
        return audience, "desistement"
    return _judgment_onwards(ep, dossier, audience)


def _judgment_onwards(ep: _Episode, dossier: str, audience: date) -> tuple[date, str]:
    rng = ep.rng
    jugement = workday(audience + delay(rng, 21, 70))  # délibéré, then signification
    draw = rng.random()
    decision = "resiliation" if draw < 0.55 else "delais" if draw < 0.9 else "rejet"
    if not ep.emit("jugement", jugement, valeur=decision, reference=dossier):
        return jugement, "futur"
    if decision == "rejet":
        return jugement, "rejet"
    if decision == "delais":
        if rng.random() > 0.35:
            return jugement + delay(rng, 200, 700), "plan"
        cql = workday(jugement + delay(rng, 120, 360))  # the plan failed: the clause applies again
    else:
        if rng.random() > 0.75:
            return jugement + delay(rng, 30, 120), "depart"
        cql = workday(jugement + delay(rng, 30, 100))
    if not ep.emit("cql", cql, reference=dossier):
        return cql, "futur"
    return _cfp_onwards(ep, dossier, cql)


def _cfp_onwards(ep: _Episode, dossier: str, cql: date) -> tuple[date, str]:
    rng = ep.rng
    if rng.random() > 0.7:
        return cql + delay(rng, 60, 150), "depart"
    earliest = add_months(cql, 2)
    requisition = workday(earliest + delay(rng, 5, 90))
    if rng.random() < 0.5:
        tentative = _field_day(earliest + delay(rng, 3, 40), rng)
        if not ep.emit("pv_tentative", tentative, reference=dossier):
            return tentative, "futur"
        requisition = workday(tentative + delay(rng, 7, 30))
    for attempt in range(2):
        outcome = _one_requisition(ep, dossier, cql, requisition)
        if outcome[1] != "refus" or attempt == 1 or rng.random() > 0.3:
            return outcome
        requisition = workday(outcome[0] + delay(rng, 90, 240))
    raise AssertionError("unreachable")


def _one_requisition(ep: _Episode, dossier: str, cql: date, day: date) -> tuple[date, str]:
    rng = ep.rng
    numero = ep.next_ref("cfp", "CFP", day)
    if not ep.emit("requisition_cfp", day, reference=numero, dossier=dossier):
        return day, "futur"
    decided = workday(day + delay(rng, 15, 75))
    if in_treve(decided) and rng.random() < 0.6:
        ep.emit("decision_cfp", decided, valeur="sursis", reference=numero, dossier=dossier)
        decided = workday(out_of_treve(decided, rng))
    draw = rng.random()
    valeur = "accord" if draw < 0.62 else "accord_delai" if draw < 0.75 else "refus"
    if not ep.emit("decision_cfp", decided, valeur=valeur, reference=numero, dossier=dossier):
        return decided, "futur"
    if valeur == "refus":
        return decided, "refus"
    if rng.random() > 0.72:
        return decided + delay(rng, 5, 40), "depart"
    wait = delay(rng, 30, 90) if valeur == "accord_delai" else delay(rng, 7, 45)
    expulsion = _field_day(max(decided + wait, add_months(cql, 2)), rng)
    ep.emit("pv_expulsion", expulsion, reference=dossier)
    return expulsion, "expulsion"
