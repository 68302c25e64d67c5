"""The contexts of the session documents, built from the base in the shape of ``samples.py``.

Every value is French text ready to place (dates ``31/12/2025``, amounts ``1 234,56 €``): the
templates place and loop, they never compute. Partner values go in as they are; docxtpl's
autoescape keeps them from becoming Word markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from ..config import CcapexSettings
from ..normalize.dates import format_date_fr, format_long_date_fr
from ..parcours.alerts import euros
from ..parcours.report import LANDLORD_TYPE_LABELS, PARC_LABELS, assignment_origin, person_name
from ..seances.overview import SessionLine, SessionOverview
from ..seances.records import PreconisationRecord, SeanceRecord
from ..seances.referentiel import STATUTS, Referentiel

SOURCE_LABELS = {
    "caf": "CAF/MSA",
    "huissier": "Commissaire de justice",
    "bailleur": "Bailleur",
    "prefecture": "Préfecture",
    "suivi": "Service social",
}


def _day(value: date | None) -> str:
    return format_date_fr(value) if value else ""


def _money(centimes: int | None) -> str:
    return euros(centimes) if centimes is not None else ""


def organisme(settings: CcapexSettings) -> dict[str, Any]:
    return {
        "nom": settings.nom,
        "adresse": settings.adresse,
        "telephone": settings.telephone,
        "courriel": settings.courriel,
        "signataire": settings.signataire,
    }


def seance_context(seance: SeanceRecord, count: int) -> dict[str, Any]:
    heure = seance.heure.replace(":", " h ") if seance.heure else ""
    return {
        "numero": seance.id,
        "date": _day(seance.date),
        "date_longue": format_long_date_fr(seance.date),
        "heure": heure,
        "instance": seance.instance,
        "lieu": seance.lieu or "",
        "nombre_menages": count,
    }


def common(overview: SessionOverview, settings: CcapexSettings, today: date) -> dict[str, Any]:
    return {
        "organisme": organisme(settings),
        "seance": seance_context(overview.seance, len(overview.lines)),
        "genere_le": _day(today),
    }


def ligne(line: SessionLine) -> dict[str, Any]:
    """One ménage of the ordre du jour."""
    household = line.parcours.timeline.household
    return {
        "rang": line.inscription.rang,
        "numero": line.parcours.menage_id,
        "titulaire": line.titulaire,
        "commune": household.commune or "",
        "motif": line.inscription.motif,
        "etape": line.stage_label,
        "dette": _money(line.last_debt),
    }


def fiche(line: SessionLine, referentiel: Referentiel) -> dict[str, Any]:
    """The fiche de synthèse of one ménage."""
    parcours = line.parcours
    timeline = parcours.timeline
    household = timeline.household
    episode = timeline.current_episode
    last_debt = timeline.known_debt
    affectation = parcours.current_affectation
    upcoming = parcours.next_echeance
    current_address = timeline.addresses[-1].key if timeline.addresses else None
    return {
        **ligne(line),
        "date_naissance": _day(household.date_naissance),
        "telephone": household.telephone or "",
        "conjoint": person_name(household.civilite2, household.nom2, household.prenoms2),
        "enfants": "" if household.enfants is None else str(household.enfants),
        "situation_familiale": household.situation_familiale or "",
        "adresse": household.adresse or "",
        "adresses_precedentes": [
            f"{span.label} (du {_day(span.first_seen)} au {_day(span.last_seen)})"
            for span in timeline.addresses
            if span.key != current_address
        ],
        "bailleur": household.bailleur or "",
        "type_bailleur": LANDLORD_TYPE_LABELS.get(household.type_bailleur or "", household.type_bailleur or ""),
        "parc": PARC_LABELS.get(household.parc or "", household.parc or ""),
        "numero_logement": household.numero_logement or "",
        "date_bail": _day(household.date_bail),
        "loyer": _money(household.loyer),
        "charges": _money(household.charges),
        "loyer_charges": _money(household.loyer_charges),
        "allocataire": f"{household.organisme or 'CAF/MSA'} n° {household.numero_allocataire}"
        if household.numero_allocataire
        else "",
        "montant_aide": _money(household.montant_aide),
        "tiers_payant": {True: "oui", False: "non"}.get(household.tiers_payant, "")
        if household.tiers_payant is not None
        else "",
        "dette": _money(last_debt.dette if last_debt else None),
        "date_dette": _day(last_debt.date if last_debt else None),
        "dettes": [
            {
                "date": _day(p.date),
                "dette": _money(p.dette),
                "loyer": _money(p.loyer),
                "source": SOURCE_LABELS.get(p.source, p.source),
            }
            for p in timeline.debts
        ],
        "evenements": [
            {
                "date": _day(e.date),
                "libelle": e.label
                + (f" : {e.value_label}" if e.value_label else "")
                + (" (à venir)" if e.future else ""),
                "source": SOURCE_LABELS.get(e.source, e.source),
                "etape": e.stage_label or "",
                "montant": _money(e.dette),
            }
            for e in timeline.events
        ],
        "date_etape": _day(episode.stage_date if episode else None),
        "prochaine_echeance": f"{_day(upcoming.date)} — {upcoming.label} ({upcoming.reference})" if upcoming else "",
        "service": affectation.label if affectation else "",
        "referent": (affectation.referent or "") if affectation else "",
        "affectation": assignment_origin(affectation) if affectation else "",
        "suivis": [
            ", ".join(p for p in (f.service, f.referent) if p)
            + (f", depuis le {_day(f.start)}" if f.start else "")
            + (f", jusqu'au {_day(f.end)}" if f.end else "")
            for f in timeline.follow_ups
        ],
        "alertes": [alert.label for alert in parcours.alerts],
        "avis_precedents": [
            {
                "seance": f"{e.seance_instance} du {_day(e.seance_date)}",
                "avis": referentiel.avis_label(e.inscription.avis) if e.inscription.avis else "Pas d'avis enregistré",
                "texte": e.inscription.avis_texte or "",
            }
            for e in line.earlier
        ],
        "preconisations": [_earlier_preco(p, referentiel) for p in line.earlier_preconisations],
        "notes": [{"date": _day(n.horodatage.date()), "texte": n.texte} for n in parcours.notes],
    }


def _earlier_preco(preco: PreconisationRecord, referentiel: Referentiel) -> dict[str, Any]:
    found = referentiel.preconisation(preco.type)
    return {
        "seance": _day(preco.seance_date),
        "destinataire": referentiel.destinataire_label(preco.destinataire),
        "type": found.libelle if found else preco.type,
        "texte": preco.texte or "",
        "echeance": _day(preco.echeance),
        "statut": STATUTS.get(preco.statut, preco.statut),
        "reexamen": _day(preco.reexamen),
    }


def decision(line: SessionLine, referentiel: Referentiel) -> dict[str, Any]:
    inscription = line.inscription
    return {
        "rang": inscription.rang,
        "numero": line.parcours.menage_id,
        "titulaire": line.titulaire,
        "commune": line.parcours.timeline.household.commune or "",
        "etape": line.stage_label,
        "avis": referentiel.avis_label(inscription.avis) if inscription.avis else "",
        "avis_texte": inscription.avis_texte or "",
        "reexamen": _day(inscription.reexamen),
        "preconisations": [_preco(p, referentiel) for p in line.preconisations],
    }


def _preco(preco: PreconisationRecord, referentiel: Referentiel) -> dict[str, Any]:
    found = referentiel.preconisation(preco.type)
    return {
        "destinataire": referentiel.destinataire_label(preco.destinataire),
        "type": found.libelle if found else preco.type,
        "texte": preco.texte or "",
        "echeance": _day(preco.echeance),
    }


def addressee(line: SessionLine) -> dict[str, Any]:
    household = line.parcours.timeline.household
    return {
        "numero": line.parcours.menage_id,
        "titulaire": line.titulaire,
        "adresse": household.street or "",
        "code_postal": household.code_postal or "",
        "commune": household.commune or "",
        "numero_logement": household.numero_logement or "",
    }


def points(lines: Sequence[SessionLine]) -> list[dict[str, Any]]:
    """The anonymous ordre du jour (members' convocation): rank, commune, stage, motif."""
    return [
        {
            "rang": line.inscription.rang,
            "commune": line.parcours.timeline.household.commune or "",
            "etape": line.stage_label,
            "motif": line.inscription.motif,
        }
        for line in lines
    ]
