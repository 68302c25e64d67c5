"""What the command layer calls: one ménage's full parcours, or a one-line summary of every ménage.

Reads only, with SQLAlchemy Core ``text()`` queries on the connection it is given (the caller owns
the transaction). ``summarise_all`` runs three queries whose rows come ordered by ménage and merges
them as they stream, so its cost grows with the number of rows, never with one query per ménage.
"""

from __future__ import annotations

from collections.abc import Collection, Container, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Connection, TextualSelect, text

from ..affectation.records import AFFECTE, Assignment, MenageRange, history, iter_current_assignments
from ..config import Settings
from ..errors import NotFoundError
from ..linkage.keys import stored_date
from ..linkage.repository import grouped_by_first, rows_of
from .alerts import Alert, compute_alerts
from .deadlines import Echeance, deadlines, next_deadline
from .household import Household, SocialFollowUp
from .recommendations import OpenRecommendations, open_recommendations
from .records import (
    EVENT_COLUMNS,
    MENAGE_COLUMNS,
    SIGNALEMENT_COLUMNS,
    EventRecord,
    MenageRecord,
    NoteRecord,
    SignalementRecord,
    typed_query,
)
from .rules import DeadlineRules, load_deadline_rules
from .timeline import Timeline, build_timeline
from .validity import valid_until

# The signalement columns a one-line summary needs: identity, address, landlord, stock, amounts,
# what deadline conditions test (lease date, landlord type) and what assignment rules test
# (allocataire, children, family situation, social follow-ups).
SUMMARY_SIGNALEMENT_COLUMNS = (
    "id", "source", "nom", "civilite", "nom_naissance", "prenoms", "nom2", "civilite2", "prenoms2",
    "code_postal", "commune", "code_insee", "bailleur", "type_bailleur", "parc", "date_bail", "loyer", "charges",
    "loyer_charges", "dette", "numero", "voie", "numero_allocataire", "organisme", "enfants", "situation_familiale",
    "montant_aide", "service", "referent", "telephone", "date_naissance", "numero_logement", "suffixe", "complement",
    "adresse_brute", "departement",
)  # fmt: skip
_SUMMARY_FIELDS = frozenset(SUMMARY_SIGNALEMENT_COLUMNS)
_MAX_REDIRECTS = 50


@dataclass(frozen=True, slots=True)
class Parcours:
    """One ménage's parcours: timeline, deadlines, alerts and the secretariat's notes."""

    menage_id: int
    timeline: Timeline
    echeances: tuple[Echeance, ...]
    next_echeance: Echeance | None
    alerts: tuple[Alert, ...]
    notes: tuple[NoteRecord, ...]
    redirected_from: int | None = None
    motif_cloture: str | None = None
    affectations: tuple[Assignment, ...] = ()  # oldest first; see ``current_affectation``

    @property
    def current_affectation(self) -> Assignment | None:
        last = self.affectations[-1] if self.affectations else None
        return last if last is not None and last.courante else None

    @property
    def alert_codes(self) -> tuple[str, ...]:
        return tuple(alert.code for alert in self.alerts)


@dataclass(frozen=True, slots=True)
class MenageSummary:
    """One line per ménage for lists and extractions (amounts in centimes)."""

    menage_id: int
    statut: str
    nom: str | None
    prenoms: str | None
    nom2: str | None
    prenoms2: str | None
    commune: str | None
    code_insee: str | None
    parc: str | None
    bailleur: str | None
    stage: str | None
    stage_label: str | None
    stage_date: date | None
    dette: int | None
    dette_date: date | None
    last_event_date: date | None
    alerts: tuple[str, ...]
    next_deadline: date | None
    next_deadline_code: str | None
    next_deadline_label: str | None
    episodes: int
    reopened: bool
    code_postal: str | None = None
    departement: str | None = None  # of the latest known address
    # what the assignment rules read besides the line (not part of the summary's identity)
    household: Household | None = field(default=None, compare=False)
    follow_ups: tuple[SocialFollowUp, ...] = field(default=(), compare=False)
    # the current assignment to a social service (exploc affecter), if any
    affectation: Assignment | None = field(default=None, compare=False)
    # the first day ahead whose summary may differ (None: none; ``validity.valid_until``)
    valable_jusqu_au: date | None = field(default=None, compare=False)


def load_parcours(
    connection: Connection,
    menage_id: int,
    today: date,
    settings: Settings,
    *,
    assigned: bool | None = None,
    rules: DeadlineRules | None = None,
) -> Parcours:
    """The full parcours of ménage ``menage_id`` (a merged ménage leads to the one that absorbed it).

    ``assigned`` (a social service was assigned) is read from the ménage's current assignment
    unless the caller says it.
    """
    menage, redirected_from = _find_menage(connection, menage_id)
    affectations = history(connection, menage.id)
    if assigned is None:
        assigned = _serves(affectations[-1] if affectations and affectations[-1].courante else None)
    params = {"menage_id": menage.id}
    signalements = [
        SignalementRecord(*row)
        for row in connection.execute(
            typed_query(
                f"SELECT {', '.join(SIGNALEMENT_COLUMNS)} FROM signalement WHERE menage_id = :menage_id ORDER BY id",
                SIGNALEMENT_COLUMNS,
            ),
            params,
        )
    ]
    events = [EventRecord(*row) for row in connection.execute(_events_query(), params)]
    notes = [
        NoteRecord(*row)
        for row in connection.execute(
            typed_query(
                "SELECT horodatage, utilisateur, texte FROM note WHERE menage_id = :menage_id ORDER BY horodatage, id",
                ("horodatage", "utilisateur", "texte"),
            ),
            params,
        )
    ]
    rules = rules or load_deadline_rules()
    timeline = build_timeline(
        menage, signalements, events, today=today, episode_gap_months=settings.alertes.reprise_mois
    )
    echeances = deadlines(timeline, today, rules)
    current = timeline.current_episode
    return Parcours(
        menage_id=menage.id,
        timeline=timeline,
        echeances=tuple(echeances),
        next_echeance=next_deadline(echeances, current.number if current else None),
        alerts=tuple(
            compute_alerts(
                timeline,
                echeances,
                settings.alertes,
                assigned=assigned,
                recommendations=open_recommendations(
                    connection, (menage.id, *absorbed_menages(connection, menage.id))
                ).get(menage.id),
            )
        ),
        notes=tuple(notes),
        redirected_from=redirected_from,
        motif_cloture=menage.motif_cloture,
        affectations=affectations,
    )


def _find_menage(connection: Connection, menage_id: int) -> tuple[MenageRecord, int | None]:
    query = typed_query(f"SELECT {', '.join(MENAGE_COLUMNS)} FROM menage WHERE id = :id", MENAGE_COLUMNS)
    wanted = menage_id
    for _ in range(_MAX_REDIRECTS):
        row = connection.execute(query, {"id": wanted}).first()
        if row is None:
            raise NotFoundError(f"Ménage n° {menage_id} introuvable.")
        menage = MenageRecord(*row)
        if menage.statut != "fusionne" or menage.fusionne_dans is None:
            return menage, (menage_id if wanted != menage_id else None)
        wanted = menage.fusionne_dans
    raise NotFoundError(f"Ménage n° {menage_id} : chaîne de fusions trop longue ou circulaire.")


def absorbed_menages(connection: Connection, menage_id: int) -> tuple[int, ...]:
    """The ménages merged into ``menage_id``, directly or not."""
    found: list[int] = []
    pending = [menage_id]
    while pending:
        current = pending.pop()
        for (child,) in connection.execute(
            text("SELECT id FROM menage WHERE fusionne_dans = :id AND statut = 'fusionne'"), {"id": current}
        ):
            if child not in found and child != menage_id:
                found.append(int(child))
                pending.append(int(child))
    return tuple(found)


def _events_query() -> TextualSelect:
    columns = ", ".join(f"e.{name}" for name in EVENT_COLUMNS)
    sql = (
        f"SELECT {columns} FROM evenement e JOIN signalement s ON s.id = e.signalement_id "
        "WHERE s.menage_id = :menage_id"
    )
    return typed_query(sql, EVENT_COLUMNS)


def summarise_all(
    connection: Connection,
    today: date,
    settings: Settings,
    *,
    assigned: Container[int] | None = None,
    rules: DeadlineRules | None = None,
) -> Iterator[MenageSummary]:
    """One summary per ménage whose statut is « ouvert » or « clos », by ménage number.

    ``assigned``: the ménages a social service was assigned, for the alerts (by default, those
    whose current assignment names a service).

    Three queries (ménages, signalements, events), each ordered by ménage and merged while they
    stream: memory stays that of one ménage, whatever the size of the base.
    """
    job = SummaryJob(today, settings, rules or load_deadline_rules(), assigned, open_recommendations(connection))
    for group in raw_groups(connection):
        yield job.summarise(group)


# A ménage as read: its row, its signalements' and events' rows (ménage number first), and its
# current assignment. Plain tuples: cheap to send to another process.
RawGroup = tuple[Sequence[Any], list[Sequence[Any]], list[Sequence[Any]], Assignment | None]


@dataclass(frozen=True)
class SummaryJob:
    """What summarising a ménage needs besides its records (the same for every ménage of a run)."""

    today: date
    settings: Settings
    rules: DeadlineRules
    assigned: Container[int] | None
    recommendations: dict[int, OpenRecommendations]

    def summarise(self, group: RawGroup) -> MenageSummary:
        row, rows_s, rows_e, affectation = group
        menage = _menage_record(row)
        served = menage.id in self.assigned if self.assigned is not None else _serves(affectation)
        return summarise(
            menage,
            [_signalement_record(r) for r in rows_s],
            [_event_record(r) for r in rows_e],
            self.today,
            self.settings,
            assigned=served,
            rules=self.rules,
            affectation=affectation,
            recommendations=self.recommendations.get(menage.id),
        )


def raw_groups(
    connection: Connection, menages: MenageRange | None = None, only: Collection[int] | None = None
) -> Iterator[RawGroup]:
    """Every ménage « ouvert » or « clos » (of a range of numbers, and among ``only`` when given)
    with its rows, by ménage number.

    The rows are the driver's (dates may still be ISO text): :meth:`SummaryJob.summarise` types
    them, faster than SQLAlchemy's row processing.
    """
    where_m, bounds = menages.sql("id") if menages else ("", ())
    where_s = menages.sql("menage_id")[0] if menages else ""
    where_e = menages.sql("s.menage_id")[0] if menages else ""
    if only is not None:
        if not only:
            return
        listed = ", ".join(str(int(menage)) for menage in sorted(only))
        where_m, where_s, where_e = (
            f"{where_m} AND id IN ({listed})",
            f"{where_s} AND menage_id IN ({listed})",
            f"{where_e} AND s.menage_id IN ({listed})",
        )
    menage_sql = (
        f"SELECT {', '.join(MENAGE_COLUMNS)} FROM menage WHERE statut IN ('ouvert', 'clos'){where_m} ORDER BY id"
    )
    # Every column of the record, NULL for those a summary does not need: records are then built
    # from positions, three times faster than from names.
    selected = ", ".join(c if c in _SUMMARY_FIELDS else f"NULL AS {c}" for c in SIGNALEMENT_COLUMNS)
    signalement_sql = (
        f"SELECT menage_id, {selected} FROM signalement WHERE menage_id IS NOT NULL{where_s} ORDER BY menage_id, id"
    )
    event_columns = ", ".join(f"e.{name}" for name in EVENT_COLUMNS)
    event_sql = (
        f"SELECT s.menage_id, {event_columns} FROM signalement s JOIN evenement e ON e.signalement_id = s.id "
        f"WHERE s.menage_id IS NOT NULL{where_e} ORDER BY s.menage_id"
    )
    signalements = grouped_by_first(rows_of(connection, signalement_sql, bounds))
    events = grouped_by_first(rows_of(connection, event_sql, bounds))
    pending_s: tuple[int, list[Sequence[Any]]] | None = next(signalements, None)
    pending_e: tuple[int, list[Sequence[Any]]] | None = next(events, None)
    assignments = iter_current_assignments(connection, menages)
    pending_a = next(assignments, None)
    for row in rows_of(connection, menage_sql, bounds):
        menage_id = row[0]
        rows_s, pending_s = _take(menage_id, pending_s, signalements)
        rows_e, pending_e = _take(menage_id, pending_e, events)
        while pending_a is not None and pending_a.menage_id < menage_id:
            pending_a = next(assignments, None)
        affectation = pending_a if pending_a is not None and pending_a.menage_id == menage_id else None
        yield row, rows_s, rows_e, affectation


def _menage_record(row: Sequence[Any]) -> MenageRecord:
    record = MenageRecord(*row)
    record.clos_le = stored_date(record.clos_le)
    return record


def _signalement_record(row: Sequence[Any]) -> SignalementRecord:
    record = SignalementRecord(*row[1:])
    if record.date_naissance is not None:
        record.date_naissance = stored_date(record.date_naissance)
    if record.date_bail is not None:
        record.date_bail = stored_date(record.date_bail)
    return record


def _event_record(row: Sequence[Any]) -> EventRecord:
    record = EventRecord(*row[1:])
    record.date = stored_date(record.date) or record.date
    record.principal = bool(record.principal)
    return record


def _serves(affectation: Assignment | None) -> bool:
    return affectation is not None and affectation.statut == AFFECTE


def _take(
    menage_id: int,
    pending: tuple[int, list[Sequence[Any]]] | None,
    groups: Iterator[tuple[int, list[Sequence[Any]]]],
) -> tuple[list[Sequence[Any]], tuple[int, list[Sequence[Any]]] | None]:
    """The rows of ``menage_id`` (skipping ménages not listed), and the next pending group."""
    while pending is not None and pending[0] < menage_id:
        pending = next(groups, None)
    if pending is not None and pending[0] == menage_id:
        return pending[1], next(groups, None)
    return [], pending


def summarise(
    menage: MenageRecord,
    signalements: Sequence[SignalementRecord],
    events: Sequence[EventRecord],
    today: date,
    settings: Settings,
    *,
    assigned: bool = False,
    rules: DeadlineRules | None = None,
    affectation: Assignment | None = None,
    recommendations: OpenRecommendations | None = None,
) -> MenageSummary:
    """The one-line summary of a ménage from its records."""
    timeline = build_timeline(
        menage,
        signalements,
        events,
        today=today,
        episode_gap_months=settings.alertes.reprise_mois,
        detailed=False,
        available=_SUMMARY_FIELDS,
    )
    echeances = deadlines(timeline, today, rules)
    current = timeline.current_episode
    upcoming = next_deadline(echeances, current.number if current else None)
    alerts = compute_alerts(timeline, echeances, settings.alertes, assigned=assigned, recommendations=recommendations)
    household = timeline.household
    until = valid_until(timeline, echeances, today, settings.alertes.echeance_jours)
    last_debt = timeline.known_debt
    return MenageSummary(
        menage_id=menage.id,
        statut=menage.statut,
        nom=household.nom,
        prenoms=household.prenoms,
        nom2=household.nom2,
        prenoms2=household.prenoms2,
        commune=household.commune,
        code_insee=household.code_insee,
        parc=household.parc,
        bailleur=household.bailleur,
        stage=current.stage if current else None,
        stage_label=current.stage_label if current else None,
        stage_date=current.stage_date if current else None,
        dette=last_debt.dette if last_debt else None,
        dette_date=last_debt.date if last_debt else None,
        last_event_date=timeline.last_event_date,
        alerts=tuple(alert.code for alert in alerts),
        next_deadline=upcoming.date if upcoming else None,
        next_deadline_code=upcoming.code if upcoming else None,
        next_deadline_label=upcoming.label if upcoming else None,
        episodes=len(timeline.episodes),
        reopened=timeline.reopened,
        code_postal=household.code_postal,
        departement=household.departement,
        household=household,
        follow_ups=timeline.follow_ups,
        affectation=affectation,
        valable_jusqu_au=until,
    )
