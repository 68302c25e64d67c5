"""Simulate whole households: dwellings, procedure episodes (with loops and moves), follow-up."""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from datetime import date, timedelta

from .draw import Counters
from .households import Evenement, Menage, Suivi, draw_logement, draw_menage
from .parcours import delay, simulate_episode
from .people import draw_referent
from .territory import Territory

DEFAULT_REFERENCE_DATE = date(2026, 10, 31)
FIRST_START = date(2023, 1, 1)
LAST_START = date(2026, 6, 30)

SERVICE_CAF = "CAF - Service social"
SERVICE_CCAS = "CCAS de Bourg-sur-Sarre"
SERVICE_ASSOCIATION = "Association Le Relais Logement"
SERVICE_BAILLEUR = "Sarre Habitat - Accompagnement social"


def simulate_menage(
    rng: random.Random,
    index: int,
    territory: Territory,
    ref: date,
    counters: Counters,
    first_start: date = FIRST_START,
    last_start: date = LAST_START,
    with_suivi: bool = True,
) -> Menage:
    """Draw a household and simulate its parcours up to the reference date ``ref``."""
    menage = draw_menage(rng, index, territory)
    span = (last_start - first_start).days
    start = first_start + timedelta(days=int(span * rng.random() ** 0.9))
    menage.logements.append(draw_logement(rng, territory, counters, start - delay(rng, 60, 400)))
    episode, logement = 1, 0
    while True:
        end, outcome = simulate_episode(menage, episode, logement, start, ref, rng, counters)
        if outcome == "futur" or episode == 3:
            break
        if outcome in ("plan", "desistement", "rejet"):
            if rng.random() >= 0.25:
                break
            start = end + delay(rng, 240, 600)  # the plan held for a while, then a new impayé
            if rng.random() < 0.35:
                moved = end + delay(rng, 30, 200)
                logement = _move(rng, menage, territory, counters, moved, ref)
                start = moved + delay(rng, 150, 420)
            if start > ref:
                break
            episode += 1
            continue
        if outcome in ("depart", "expulsion") and rng.random() < 0.45:
            _move(rng, menage, territory, counters, end + delay(rng, 10, 150), ref)
        break
    menage.evenements.sort(key=_event_day)
    if with_suivi:
        _draw_suivi(rng, menage, ref)
    return menage


def _event_day(event: Evenement) -> date:
    return event.date


def _move(rng: random.Random, menage: Menage, territory: Territory, counters: Counters, day: date, ref: date) -> int:
    """Move the household to a new dwelling on ``day``; return the new dwelling's index."""
    old = menage.logements[-1]
    # The same commune, or another one (in a region, now and then in another département).
    commune = old.commune if rng.random() < 0.6 else territory.draw_move(rng, old.commune)
    logement = draw_logement(rng, territory, counters, day, commune=commune)
    logement.date_bail = day
    menage.logements.append(logement)
    index = len(menage.logements) - 1
    if day <= ref:
        menage.evenements.append(Evenement("demenagement", day, 0, 0, index))
    return index


def _draw_suivi(rng: random.Random, menage: Menage, ref: date) -> None:
    if not menage.evenements or rng.random() >= 0.36:
        return
    first = menage.evenements[0].date
    if rng.random() < 0.4:
        debut = first - delay(rng, 30, 900)
    else:
        later = [e.date for e in menage.evenements if e.code in ("cdp", "assignation", "cql")]
        debut = (later[int(rng.random() * len(later))] if later else first) + delay(rng, 7, 90)
    if debut > ref:
        return
    fin = debut + delay(rng, 120, 540) if rng.random() < 0.35 else None
    if fin is not None and fin > ref:
        fin = None
    logement = max(i for i, lg in enumerate(menage.logements) if i == 0 or lg.date_bail <= debut)
    service = _service_for(rng, menage, logement)
    menage.suivi = Suivi(service, _referent(service, rng), debut, fin, logement)


def _service_for(rng: random.Random, menage: Menage, logement: int) -> str:
    """Seed 003's practice: allocataires with children → CAF, others → the Département."""
    housing = menage.logements[logement]
    draw = rng.random()
    if draw < 0.08:
        return SERVICE_ASSOCIATION
    if housing.commune.nom == "Bourg-sur-Sarre" and draw < 0.3:
        return SERVICE_CCAS
    if housing.bailleur.nom == "Sarre Habitat" and draw < 0.25:
        return SERVICE_BAILLEUR
    if menage.allocataire and menage.enfants:
        return SERVICE_CAF
    return housing.commune.secteur


def _referent(service: str, rng: random.Random) -> str:
    """Each service has three social workers; the pool does not depend on the seed."""
    pool_rng = random.Random(f"referents-{service}")
    pool = [draw_referent(pool_rng) for _ in range(3)]
    return pool[int(rng.random() * 3)]


def iter_menages(
    count: int | None,
    seed: int | str,
    territory: Territory,
    ref: date,
    first_index: int = 1,
    counter_base: int = 0,
    first_start: date = FIRST_START,
    last_start: date = LAST_START,
    with_suivi: bool = True,
) -> Iterator[Menage]:
    """Yield ``count`` simulated households (endlessly if None), one at a time.

    Households are numbered from ``first_index``; partner references from ``counter_base``.
    Without ``with_suivi``, no social-service follow-up is drawn (bulk mode has no such file).
    """
    rng = random.Random(seed)
    counters = Counters(counter_base)
    last_start = min(last_start, ref - timedelta(days=120))
    first_start = min(first_start, last_start - timedelta(days=365))
    indices = itertools.count(first_index) if count is None else range(first_index, first_index + count)
    for index in indices:
        yield simulate_menage(rng, index, territory, ref, counters, first_start, last_start, with_suivi)


def simulate_population(
    count: int, seed: int, territory: Territory, ref: date = DEFAULT_REFERENCE_DATE
) -> list[Menage]:
    """All ``count`` households in a list (sample mode)."""
    return list(iter_menages(count, seed, territory, ref))
