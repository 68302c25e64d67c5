"""The CCAPEX's annual activity report (``exploc bilan``), from the diagnostic's indicators for the
year compared with the year before: activity, households examined, avis and préconisations with
their follow-up, expulsions against the charte's objectives, territories, method.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..config import Settings
from .model import Diagnostic, Section
from .objectives import ObjectiveResult
from .report import Images, common_context, section_context


def _section(diagnostic: Diagnostic, code: str) -> Section:
    return next(section for section in diagnostic.sections if section.code == code)


def bilan_context(
    diagnostic: Diagnostic,
    year: int,
    settings: Settings,
    images: Images | None,
    objectives: Sequence[ObjectiveResult],
    seances: int,
) -> dict[str, Any]:
    activity = _section(diagnostic, "evolution")
    signalements = _section(diagnostic, "signalements")
    synthese = _section(diagnostic, "synthese")
    activite = Section(
        "activite",
        activity.sheet,
        "L'activité de l'année",
        f"Signalements reçus et ménages entrant à chaque étape de la procédure en {year}, comparés à {year - 1}.",
        (*activity.grids, signalements.grids[0], *synthese.grids[2:]),
    )
    etapes = _section(diagnostic, "etapes")
    territoires = Section("territoires", etapes.sheet, "Les territoires", etapes.intro, etapes.grids[1:])
    return {
        **common_context(diagnostic, settings, images),
        "annee": str(year),
        "annee_precedente": str(year - 1),
        "activite": section_context(activite, images),
        "commission": {**section_context(_section(diagnostic, "commission"), images), "introduction": ""},
        "seances": str(seances),
        "expulsions": section_context(_section(diagnostic, "force_publique"), images),
        "objectifs": [
            {"libelle": r.label, "cible": r.target, "realise": r.achieved, "resultat": r.verdict} for r in objectives
        ],
        "territoires": section_context(territoires, images),
    }
