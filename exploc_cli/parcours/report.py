"""One ménage's parcours as a JSON document (dates ISO, amounts in euros), and the French labels
that its displays share (civilities, landlord types, parcs, closing reasons).

Not imported by ``parcours/__init__`` (it reads ``menages.follow``, which needs the linkage).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from types import MappingProxyType
from typing import Any

from ..affectation.records import Assignment
from ..menages.follow import CLOSING_REASONS
from .alerts import Alert
from .deadlines import Echeance
from .household import AddressSpan, Household, SocialFollowUp
from .listing import euros_value, iso
from .service import Parcours
from .timeline import DebtPoint, TimelineEvent

CIVILITY_LABELS: Mapping[str, str] = MappingProxyType({"M": "M.", "MME": "Mme", "MLLE": "Mlle"})
LANDLORD_TYPE_LABELS: Mapping[str, str] = MappingProxyType(
    {"pp": "personne physique", "sci_familiale": "SCI familiale", "pm": "personne morale"}
)
PARC_LABELS: Mapping[str, str] = MappingProxyType({"public": "parc public", "prive": "parc privé"})
# Alert details holding amounts (centimes), given in euros in JSON.
_AMOUNT_DETAILS = frozenset({"dette", "loyer", "dette_avant", "dette_apres", "hausse"})


def closing_label(code: str | None) -> str | None:
    return CLOSING_REASONS.get(code, code) if code else None


def person_name(civilite: str | None, nom: str | None, prenoms: str | None) -> str:
    """« M. DUPONT Jean » (whatever is known)."""
    title = CIVILITY_LABELS.get(civilite, civilite) if civilite else None
    return " ".join(p for p in (title, nom, prenoms) if p)


def parcours_to_json(parcours: Parcours) -> dict[str, Any]:
    """The whole parcours; ``fusionne_depuis`` is the number asked for when it was merged into this one."""
    timeline = parcours.timeline
    household = timeline.household
    current = timeline.current_episode
    return {
        "menage": parcours.menage_id,
        "fusionne_depuis": parcours.redirected_from,
        "identite": _identity(household),
        "composition": {
            "conjoint": (
                {"civilite": household.civilite2, "nom": household.nom2, "prenoms": household.prenoms2}
                if household.nom2 or household.prenoms2
                else None
            ),
            "enfants": household.enfants,
            "situation_familiale": household.situation_familiale,
        },
        "logement": _housing(household),
        "adresses": [_address(span) for span in timeline.addresses],
        "suivis_sociaux": [_follow_up(f) for f in timeline.follow_ups],
        "affectations": [assignment_to_json(a) for a in parcours.affectations],
        "hors_episode": [_event(e) for e in timeline.events if e.episode == 0],
        "episodes": [
            {
                "numero": episode.number,
                "debut": iso(episode.start),
                "fin": iso(episode.end),
                "ouverture": episode.opened_because,
                "cloture": episode.closed_because,
                "etape": episode.stage,
                "etape_libelle": episode.stage_label,
                "date_etape": iso(episode.stage_date),
                "evenements": [_event(e) for e in timeline.events_of_episode(episode.number)],
            }
            for episode in timeline.episodes
        ],
        "dettes": [_debt(point) for point in timeline.debts],
        "etape_actuelle": (
            {"code": current.stage, "libelle": current.stage_label, "date": iso(current.stage_date)}
            if current and current.stage
            else None
        ),
        "prochaine_echeance": _echeance(parcours.next_echeance) if parcours.next_echeance else None,
        "echeances": [_echeance(e) for e in parcours.echeances],
        "alertes": [_alert(a) for a in parcours.alerts],
        "notes": [
            {"horodatage": note.horodatage.isoformat(), "utilisateur": note.utilisateur, "texte": note.texte}
            for note in parcours.notes
        ],
        "statut": {
            "statut": timeline.statut,
            "clos_le": iso(timeline.clos_le),
            "motif_cloture": parcours.motif_cloture,
            "motif_cloture_libelle": closing_label(parcours.motif_cloture),
            "rouvert": timeline.reopened,
            "rouvert_le": iso(timeline.reopened_on),
        },
    }


def _identity(household: Household) -> dict[str, Any]:
    return {
        "civilite": household.civilite,
        "nom": household.nom,
        "nom_naissance": household.nom_naissance,
        "prenoms": household.prenoms,
        "date_naissance": iso(household.date_naissance),
        "telephone": household.telephone,
        "numero_allocataire": household.numero_allocataire,
        "organisme": household.organisme,
        "sources": list(household.sources),
        "signalements": household.signalements,
    }


def _housing(household: Household) -> dict[str, Any]:
    return {
        "adresse": household.adresse,
        "code_postal": household.code_postal,
        "commune": household.commune,
        "code_insee": household.code_insee,
        "departement": household.departement,
        "bailleur": household.bailleur,
        "type_bailleur": household.type_bailleur,
        "parc": household.parc,
        "numero_logement": household.numero_logement,
        "date_bail": iso(household.date_bail),
        "loyer": euros_value(household.loyer),
        "charges": euros_value(household.charges),
        "loyer_charges": euros_value(household.loyer_charges),
        "montant_aide": euros_value(household.montant_aide),
        "tiers_payant": household.tiers_payant,
    }


def _address(span: AddressSpan) -> dict[str, Any]:
    return {
        "adresse": span.label,
        "code_postal": span.code_postal,
        "commune": span.commune,
        "code_insee": span.code_insee,
        "premier_signalement": iso(span.first_seen),
        "dernier_signalement": iso(span.last_seen),
        "sources": list(span.sources),
        "signalements": span.signalements,
    }


def _follow_up(follow_up: SocialFollowUp) -> dict[str, Any]:
    return {
        "service": follow_up.service,
        "referent": follow_up.referent,
        "debut": iso(follow_up.start),
        "fin": iso(follow_up.end),
        "signalement": follow_up.signalement_id,
    }


def assignment_to_json(assignment: Assignment) -> dict[str, Any]:
    """One assignment of the ménage's history (``courante``: the one in force)."""
    return {
        "horodatage": assignment.horodatage.isoformat(timespec="seconds"),
        "statut": assignment.statut,
        "libelle": assignment.label,
        "service": assignment.service_code,
        "service_libelle": assignment.service_libelle,
        "unite": assignment.unite_code,
        "unite_libelle": assignment.unite_libelle,
        "referent": assignment.referent,
        "partenaire": assignment.partenaire,
        "origine": assignment.origine,
        "regle": assignment.regle_id,
        "version_regles": assignment.version_regles,
        "motif": assignment.motif,
        "explication": assignment.explication,
        "utilisateur": assignment.utilisateur,
        "courante": assignment.courante,
    }


def assignment_origin(assignment: Assignment) -> str:
    """« règle famille-allocataire (v2026-01, 3f2a…) » or « décision manuelle de jdupont : motif »."""
    if assignment.manual:
        return f"décision manuelle de {assignment.utilisateur} : {assignment.motif or ''}".rstrip(" :")
    rule = f"règle {assignment.regle_id}" if assignment.regle_id else "aucune règle"
    return rule + (f" (règles {assignment.version_regles})" if assignment.version_regles else "")


def _event(event: TimelineEvent) -> dict[str, Any]:
    return {
        "date": iso(event.date),
        "code": event.code,
        "libelle": event.label,
        "etape": event.stage,
        "source": event.source,
        "signalement": event.signalement_id,
        "principal": event.principal,
        "valeur": event.value,
        "valeur_libelle": event.value_label,
        "dette": euros_value(event.dette),
        "loyer": euros_value(event.loyer),
        "a_venir": event.future,
    }


def _debt(point: DebtPoint) -> dict[str, Any]:
    return {
        "date": iso(point.date),
        "dette": euros_value(point.dette),
        "loyer": euros_value(point.loyer),
        "source": point.source,
        "signalement": point.signalement_id,
        "episode": point.episode,
    }


def _echeance(echeance: Echeance) -> dict[str, Any]:
    return {
        "code": echeance.code,
        "libelle": echeance.label,
        "date": iso(echeance.date),
        "reference": echeance.reference,
        "declencheur": {
            "code": echeance.trigger_code,
            "libelle": echeance.trigger_label,
            "date": iso(echeance.trigger_date),
            "signalement": echeance.signalement_id,
        },
        "episode": echeance.episode,
        "passee": echeance.passed,
        "sans_objet": echeance.lifted,
        "reportee_du": iso(echeance.postponed_from),
        "hypothese": echeance.assumed,
        "note": echeance.note,
    }


def _alert(alert: Alert) -> dict[str, Any]:
    return {
        "code": alert.code,
        "libelle": alert.label,
        "preuve": alert.evidence,
        "details": {key: _detail(key, value) for key, value in alert.details.items()},
    }


def _detail(key: str, value: date | int | float | str | None) -> int | float | str | None:
    if isinstance(value, date):
        return value.isoformat()
    if key in _AMOUNT_DETAILS and isinstance(value, int):
        return euros_value(value)
    return value
