"""The attributes the rules test, for one ménage, from its parcours summary.

Each attribute is known only when a partner reported it; otherwise it stays unknown (None) and
a rule that tests it sends the ménage « à trier » rather than guessing.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from typing import Any

from ..normalize.text import fold
from ..parcours import Household, MenageSummary, Parcours, SocialFollowUp
from .conditions import Value

_ALONE = re.compile(r"\b(SEUL|SEULE|ISOLE|ISOLEE|CELIBATAIRE|VEUF|VEUVE|DIVORCE|DIVORCEE|SEPARE|SEPAREE)\b")
_COUPLE = re.compile(r"\b(COUPLE|MARIE|MARIEE|MARIES|PACS|PACSE|PACSEE|CONCUBIN|CONCUBINAGE|MARITALE)\b")


@dataclass(frozen=True, slots=True)
class MenageFacts:
    """What the rules may test about one ménage, plus what the targets need (address, follow-up)."""

    menage_id: int
    values: Mapping[str, Value]  # attribute → value; None: unknown
    follow_up: SocialFollowUp | None  # the follow-up running on the day, if any
    commune: str | None
    code_insee: str | None
    voie: str | None
    numero: str | None
    bailleur: str | None
    name: str = ""
    departement: str | None = None  # of its latest known address (the département's rules and services)


def facts_from_summary(summary: MenageSummary, day: date) -> MenageFacts:
    assert summary.household is not None, "summaries built by parcours.summarise carry their household"
    return build_facts(
        summary.menage_id, summary.household, summary.follow_ups, day,
        stage=summary.stage, dette=summary.dette, alerts=summary.alerts,
    )  # fmt: skip


def facts_from_parcours(parcours: Parcours, day: date) -> MenageFacts:
    timeline = parcours.timeline
    current = timeline.current_episode
    last_debt = next((p for p in reversed(timeline.debts) if p.date <= day), None)
    return build_facts(
        parcours.menage_id, timeline.household, timeline.follow_ups, day,
        stage=current.stage if current else None, dette=last_debt.dette if last_debt else None,
        alerts=tuple(a.code for a in parcours.alerts),
    )  # fmt: skip


def build_facts(
    menage_id: int,
    household: Household,
    follow_ups: tuple[SocialFollowUp, ...],
    day: date,
    *,
    stage: str | None = None,
    dette: int | None = None,
    alerts: tuple[str, ...] = (),
) -> MenageFacts:
    """The facts of one ménage (``dette`` in centimes; stage, debt and alerts from its parcours)."""
    values = {name: getattr(household, name) for name in HOUSEHOLD_FIELDS}
    facts = facts_from_values(
        menage_id, values, household.sources, follow_ups, day, stage=stage, dette=dette, alerts=alerts
    )
    return replace(facts, name=household.display_name)


# What ``facts_from_values`` reads of the household.
HOUSEHOLD_FIELDS = (
    "nom2", "numero_allocataire", "organisme", "enfants", "situation_familiale", "montant_aide", "parc", "bailleur",
    "commune", "code_postal", "code_insee", "voie", "numero", "departement",
)  # fmt: skip


def facts_from_values(
    menage_id: int,
    household: Mapping[str, Any],
    sources: Collection[str],
    follow_ups: tuple[SocialFollowUp, ...],
    day: date,
    *,
    stage: str | None = None,
    dette: int | None = None,
    alerts: tuple[str, ...] = (),
) -> MenageFacts:
    """The facts of one ménage from the latest reported values (``HOUSEHOLD_FIELDS``, missing ones
    unknown) and the sources that reported it; without its name."""
    get = household.get
    follow_up = running_follow_up(follow_ups, day)
    enfants = get("enfants")
    commune, code_insee, bailleur = get("commune"), get("code_insee"), get("bailleur")
    values: dict[str, Value] = {
        "deja_suivi": follow_up is not None,
        "allocataire": _allocataire(get("numero_allocataire"), get("organisme"), sources, get("montant_aide")),
        "enfants_a_charge": enfants,
        "personne_seule": _alone(get("situation_familiale"), enfants, bool(get("nom2"))),
        "parc": get("parc"),
        "etape": stage,
        "dette": None if dette is None else dette / 100,
        "commune": commune,
        "code_insee": code_insee,
        "code_postal": get("code_postal"),
        "bailleur": bailleur,
        "alertes": frozenset(alerts),
        "departement": get("departement"),
    }
    return MenageFacts(
        menage_id, values, follow_up, commune, code_insee, get("voie"), get("numero"), bailleur,
        departement=get("departement"),
    )  # fmt: skip


def running_follow_up(follow_ups: tuple[SocialFollowUp, ...], day: date) -> SocialFollowUp | None:
    """The latest-started follow-up running on ``day`` (started, not ended)."""
    running = [f for f in follow_ups if (f.start is None or f.start <= day) and (f.end is None or f.end >= day)]
    return running[-1] if running else None


def _allocataire(
    numero: str | None, organisme: str | None, sources: Collection[str], montant_aide: int | None
) -> bool | None:
    """Known from a CAF/MSA report, an allocataire number or a housing benefit; False only when a
    partner wrote a zero benefit; unknown otherwise."""
    if numero or organisme or "caf" in sources:
        return True
    if montant_aide is not None:
        return montant_aide > 0
    return None


@lru_cache(maxsize=1024)
def _alone(situation: str | None, enfants: int | None, second_person: bool) -> bool | None:
    """Living alone: said by the family situation (and no child), contradicted by a conjoint named."""
    if second_person:
        return False
    if situation:
        folded = fold(situation)
        if _COUPLE.search(folded):
            return False
        if _ALONE.search(folded):
            return None if enfants is None else enfants == 0
    return None
