"""A session as the documents and the decision sheet see it: each ménage of the ordre du jour with
its parcours, its avis and préconisations, and its earlier passages before the commission."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection

from ..config import Settings
from ..parcours.report import person_name
from ..parcours.service import Parcours, load_parcours
from .records import (
    Examen,
    InscriptionRecord,
    PreconisationRecord,
    SeanceRecord,
    all_examens,
    all_preconisations,
    by_current_menage,
    get_seance,
    inscriptions_of,
    merge_redirects,
    preconisations_of_seance,
)


@dataclass(frozen=True)
class SessionLine:
    """One ménage of a session's ordre du jour."""

    inscription: InscriptionRecord
    parcours: Parcours
    preconisations: tuple[PreconisationRecord, ...]  # those of this session
    earlier: tuple[Examen, ...]  # passages before earlier sessions
    earlier_preconisations: tuple[PreconisationRecord, ...]  # recommendations of earlier sessions

    @property
    def titulaire(self) -> str:
        household = self.parcours.timeline.household
        name = household.nom
        if household.nom_naissance and household.nom_naissance != household.nom:
            name = f"{household.nom} (née {household.nom_naissance})" if name else household.nom_naissance
        return person_name(household.civilite, name, household.prenoms) or f"Ménage n° {self.parcours.menage_id}"

    @property
    def last_debt(self) -> int | None:
        known = self.parcours.timeline.known_debt
        return known.dette if known else None

    @property
    def stage_label(self) -> str:
        episode = self.parcours.timeline.current_episode
        return (episode.stage_label or "") if episode else ""


@dataclass(frozen=True)
class SessionOverview:
    seance: SeanceRecord
    lines: tuple[SessionLine, ...]


def load_session(connection: Connection, seance_id: int, today: date, settings: Settings) -> SessionOverview:
    """The session with every ménage of its ordre du jour (a merged ménage shows as the survivor)."""
    seance = get_seance(connection, seance_id)
    redirects = merge_redirects(connection)
    passages = by_current_menage(all_examens(connection), redirects)
    of_session = preconisations_of_seance(connection, seance.id)
    by_menage: dict[int, list[PreconisationRecord]] = {}
    for preco in all_preconisations(connection):
        if preco.seance_date is not None and preco.seance_date < seance.date:
            by_menage.setdefault(redirects.get(preco.menage_id, preco.menage_id), []).append(preco)
    lines = []
    for inscription in inscriptions_of(connection, seance.id):
        menage = redirects.get(inscription.menage_id, inscription.menage_id)
        parcours = load_parcours(connection, menage, today, settings)
        earlier = tuple(
            p
            for p in passages.get(menage, [])
            if p.seance_date < seance.date or (p.seance_date == seance.date and p.inscription.seance_id < seance.id)
        )
        lines.append(
            SessionLine(
                inscription,
                parcours,
                tuple(of_session.get(inscription.id, [])),
                earlier,
                tuple(by_menage.get(menage, [])),
            )
        )
    return SessionOverview(seance, tuple(lines))
