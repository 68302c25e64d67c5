"""What each partner writes about a household event: one row of values keyed by exploc field.

Values stay typed here (``date``, :class:`Montant`, ``int``, ``str``); each file then writes
them in its own format (see ``formats.py``). Every builder also says which person the row
names (``titulaire`` or ``conjoint``) for the ground truth.
"""

from __future__ import annotations

import random
from collections import Counter
from datetime import date
from typing import NamedTuple

from .draw import pick
from .households import Evenement, Logement, Menage, Personne
from .noise import (
    AddressStyle,
    Montant,
    NameStyle,
    adresse,
    allocataire_ecrit,
    code_postal,
    commune_ecrite,
    full_name,
    names,
)

Value = str | int | date | Montant | None


class Row(NamedTuple):
    """A partner row before formatting, with what the ground truth needs."""

    values: dict[str, Value]
    menage: str
    personne: str  # "titulaire", "conjoint", or "" when the row names nobody


CAF_NAMES = NameStyle(
    upper_first=0.75, keep_accents=0.15, typo=0.03, maiden_weight=0.15, epouse_weight=0.12, nee_weight=0.03
)
CAF_ADDRESS = AddressStyle(upper=0.85, keep_accents=0.2, abbreviate=0.15, flat_detail=0.35)
HUISSIER_NAMES = NameStyle(
    upper_first=0.1, keep_accents=0.9, typo=0.04, maiden_weight=0.1, epouse_weight=0.15, nee_weight=0.15
)
HUISSIER_ADDRESS = AddressStyle(upper=0.1, keep_accents=0.9, abbreviate=0.3, flat_detail=0.6)
BAILLEUR_NAMES = NameStyle(
    upper_first=0.2, keep_accents=0.7, typo=0.03, maiden_weight=0.1, epouse_weight=0.05, nee_weight=0.05
)
BAILLEUR_ADDRESS = AddressStyle(upper=0.3, keep_accents=0.8, abbreviate=0.2, flat_detail=0.85)
PREFECTURE_NAMES = NameStyle(
    upper_first=0.35, keep_accents=0.5, typo=0.04, maiden_weight=0.1, epouse_weight=0.2, nee_weight=0.1
)
PREFECTURE_ADDRESS = AddressStyle(upper=0.5, keep_accents=0.6, abbreviate=0.25, flat_detail=0.3)
SUIVI_NAMES = NameStyle(
    upper_first=0.0, keep_accents=1.0, typo=0.05, maiden_weight=0.35, epouse_weight=0.05, nee_weight=0.15
)
SUIVI_ADDRESS = AddressStyle(upper=0.0, keep_accents=1.0, abbreviate=0.25, flat_detail=0.5)

ACT_LABELS: dict[str, tuple[str, ...]] = {
    "cdp": ("Commandement de payer", "Commandement de payer", "CDP", "COMMANDEMENT DE PAYER"),
    "assignation": ("Assignation", "Assignation", "ASSIGNATION", "assignation"),
    "jugement": ("Jugement", "Signification de jugement", "Signification de jugement", "JUGEMENT"),
    "cql": ("Commandement de quitter les lieux", "CQL", "CQL", "commandement de quitter les lieux"),
    "requisition_cfp": ("Réquisition CFP", "Réquisition CFP", "REQUISITION CFP"),
    "pv_tentative": ("PV de tentative d'expulsion", "PV de tentative d'expulsion", "PV DE TENTATIVE D'EXPULSION"),
    "pv_expulsion": ("PV d'expulsion", "PV d'expulsion", "PV D'EXPULSION"),
}
HUISSIER_CODES = tuple(ACT_LABELS)
DUPUIS_CODES = {
    "cdp": "CMD-PAYER",
    "assignation": "ASSIGN",
    "cql": "CMD-QL",
    "requisition_cfp": "REQ-FP",
    "pv_expulsion": "PV-EXP",
}
JUDGMENT_LABELS = {
    "resiliation": ("Résiliation du bail", "Résiliation", "résiliation + expulsion"),
    "delais": ("Délais de paiement", "délais de paiement", "Délais de paiement (24 mois)"),
    "rejet": ("Rejet", "Rejet de la demande", "rejet"),
}
CFP_LABELS = {
    "accord": "Accordé",
    "accord_delai": "Accordé avec délai",
    "refus": "Refusé",
    "sursis": "Sursis - trêve hivernale",
    "": "En cours d'instruction",
}


def _role(rng: random.Random, menage: Menage, conjoint_rate: float, noise: Counter[str]) -> tuple[str, Personne]:
    if menage.conjoint is not None and rng.random() < conjoint_rate:
        noise["conjoint_nomme"] += 1
        return "conjoint", menage.conjoint
    return "titulaire", menage.titulaire


def _two_names(
    rng: random.Random, personne: Personne, style: NameStyle, swap: float, noise: Counter[str]
) -> tuple[str, str]:
    nom, prenom = names(rng, personne, style, noise)
    if rng.random() < swap:
        noise["nom_prenom_inverses"] += 1
        return prenom, nom
    return nom, prenom


def _place(
    rng: random.Random,
    housing: Logement,
    style: AddressStyle,
    drop_zero: float,
    commune_upper: float,
    noise: Counter[str],
) -> dict[str, Value]:
    return {
        "adresse": adresse(rng, housing, style, noise),
        "code_postal": code_postal(rng, housing.commune.code_postal, drop_zero, noise),
        "commune": commune_ecrite(rng, housing.commune.nom, commune_upper, style.keep_accents),
    }


def caf_row(
    rng: random.Random, noise: Counter[str], menage: Menage, event: Evenement, dette: int, drop_zero: float
) -> Row:
    """A CAF/MSA signalement, as the CAF lists it (allocataire's name, in capitals)."""
    role = "conjoint" if menage.allocataire_est_conjoint else "titulaire"
    if role == "conjoint":
        noise["conjoint_nomme"] += 1
    personne = menage.personne(role)
    housing = menage.logements[event.logement]
    nom, prenom = _two_names(rng, personne, CAF_NAMES, 0.03, noise)
    values: dict[str, Value] = {
        "reference": event.reference,
        "numero_allocataire": allocataire_ecrit(rng, menage.allocataire, drop_zero, noise),
        "nom": nom,
        "prenom": prenom,
        "date_naissance": personne.naissance,
        **_place(rng, housing, CAF_ADDRESS, drop_zero, 0.9, noise),
        "enfants": menage.enfants,
        "montant_aide": Montant(menage.aide),
        "dette": Montant(dette),
        "date_signalement": event.date,
        "organisme": menage.organisme,
        "tiers_payant": "O" if menage.tiers_payant else "N",
        "loyer": Montant(housing.loyer),
        "charges": Montant(housing.charges),
        "date_constitution_impaye": event.date_liee,
        "bailleur": housing.bailleur.nom,
        "type_bailleur": housing.bailleur.type_bailleur,
    }
    return Row(values, menage.ident, role)


def served_to(rng: random.Random, menage: Menage) -> tuple[str | None, ...]:
    """Who receives an act: each co-titulaire of the lease separately (two rows), or one
    row (``None``: usually the titulaire, sometimes the conjoint, or ``M. et Mme``)."""
    if menage.cotitulaire and rng.random() < 0.6:
        return ("titulaire", "conjoint")
    return (None,)


def huissier_row(
    rng: random.Random,
    noise: Counter[str],
    menage: Menage,
    event: Evenement,
    split_names: bool,
    role: str | None = None,
) -> Row:
    """An act of the commissaire de justice (one field for the name unless ``split_names``)."""
    single = role is None  # one row for the household: « M. et Mme » is possible
    if role is None:
        role, personne = _role(rng, menage, 0.1, noise)
    else:
        personne = menage.personne(role)
        noise["acte_par_cotitulaire"] += 1
    housing = menage.logements[event.logement]
    values: dict[str, Value] = {
        "reference": event.dossier,
        "type_acte": pick(rng, ACT_LABELS[event.code]),
        "date_acte": event.date,
    }
    if split_names:
        values["nom"], values["prenom"] = _two_names(rng, personne, HUISSIER_NAMES, 0.03, noise)
    else:
        values["locataire"] = full_name(
            rng, personne, HUISSIER_NAMES, noise, couple=single and menage.conjoint is not None
        )
    values.update(_place(rng, housing, HUISSIER_ADDRESS, 0.0, 0.2, noise))
    values.update(
        {
            "bailleur": housing.bailleur.nom,
            "loyer": Montant(housing.loyer),
            "dette": Montant(event.dette),
            "type_bailleur": housing.bailleur.type_bailleur,
            "date_bail": housing.date_bail,
            "charges": Montant(housing.charges),
            "date_audience": event.date_liee if event.code == "assignation" else None,
            "decision": pick(rng, JUDGMENT_LABELS[event.valeur]) if event.code == "jugement" else "",
        }
    )
    return Row(values, menage.ident, role)


def dupuis_row(
    rng: random.Random,
    noise: Counter[str],
    menage: Menage,
    event: Evenement,
) -> Row:
    """An act as the Dupuis firm's software exports it (its own headers and act codes)."""
    role, personne = _role(rng, menage, 0.1, noise)
    housing = menage.logements[event.logement]
    nom, prenom = names(rng, personne, HUISSIER_NAMES, noise)
    values: dict[str, Value] = {
        "reference": "DUP/" + event.dossier[1:].replace("-", "/"),  # D25-000123 → DUP/25/000123
        "type_acte": DUPUIS_CODES[event.code],
        "date_acte": event.date,
        "locataire": f"{nom} {prenom.upper() if rng.random() < 0.5 else prenom}",
        **_place(rng, housing, CAF_ADDRESS, 0.0, 1.0, noise),
        "bailleur": housing.bailleur.nom,
        "loyer": Montant(housing.loyer),
        "dette": Montant(event.dette),
    }
    return Row(values, menage.ident, role)


def bailleur_row(
    rng: random.Random, noise: Counter[str], menage: Menage, event: Evenement, premier_impaye: date | None
) -> Row:
    """A social landlord's saisine of the CCAPEX (birth dates usually unknown)."""
    role, personne = _role(rng, menage, 0.05, noise)
    housing = menage.logements[event.logement]
    nom, prenom = _two_names(rng, personne, BAILLEUR_NAMES, 0.03, noise)
    birth: date | None = personne.naissance
    if rng.random() < 0.8:
        noise["date_naissance_absente"] += 1
        birth = None
    values: dict[str, Value] = {
        "bailleur": housing.bailleur.nom,
        "reference": housing.reference_locataire,
        "nom": nom,
        "prenom": prenom,
        "date_naissance": birth,
        "adresse": adresse(rng, housing, BAILLEUR_ADDRESS, noise),
        "numero_logement": housing.numero_logement,
        "code_postal": code_postal(rng, housing.commune.code_postal, 0.2, noise),
        "commune": commune_ecrite(rng, housing.commune.nom, 0.5, 0.8),
        "loyer_charges": Montant(housing.loyer_cc),
        "dette": Montant(event.dette),
        "date_saisine": event.date,
        "date_premier_impaye": premier_impaye,
        "date_assignation_prevue": event.date_liee,
    }
    return Row(values, menage.ident, role)


def prefecture_row(rng: random.Random, noise: Counter[str], menage: Menage, event: Evenement, export: date) -> Row:
    """A CFP request as the préfecture knows it at ``export`` (decision, expulsion)."""
    role, personne = _role(rng, menage, 0.08, noise)
    housing = menage.logements[event.logement]
    decisions = [
        e for e in menage.evenements if e.code == "decision_cfp" and e.reference == event.reference and e.date <= export
    ]
    decision = decisions[-1] if decisions else None
    expulsions = [
        e.date
        for e in menage.evenements
        if e.code == "pv_expulsion" and e.episode == event.episode and event.date < e.date <= export
    ]
    street = adresse(rng, housing, PREFECTURE_ADDRESS, noise)
    cp = code_postal(rng, housing.commune.code_postal, 0.0, noise)
    commune = commune_ecrite(rng, housing.commune.nom, 0.9, 0.5)
    values: dict[str, Value] = {
        "reference": event.reference,
        "locataire": full_name(rng, personne, PREFECTURE_NAMES, noise, couple=menage.conjoint is not None),
        "adresse": f"{street} {cp} {commune}",
        "date_requisition": event.date,
        "decision": CFP_LABELS[decision.valeur if decision else ""],
        "date_decision": decision.date if decision else None,
        "date_expulsion": expulsions[0] if expulsions else None,
        "parc": pick(
            rng, ("Public", "public", "Parc public") if housing.parc == "public" else ("Privé", "privé", "Parc privé")
        ),
    }
    return Row(values, menage.ident, role)


def suivi_row(rng: random.Random, noise: Counter[str], menage: Menage) -> Row:
    """A household a social service follows, at the address it knows."""
    assert menage.suivi is not None
    role, personne = _role(rng, menage, 0.15, noise)
    housing = menage.logements[menage.suivi.logement]
    nom, prenom = _two_names(rng, personne, SUIVI_NAMES, 0.02, noise)
    birth: date | None = personne.naissance
    if rng.random() < 0.15:
        noise["date_naissance_absente"] += 1
        birth = None
    values: dict[str, Value] = {
        "service": menage.suivi.service,
        "referent": menage.suivi.referent,
        "nom": nom,
        "prenom": prenom,
        "date_naissance": birth,
        **_place(rng, housing, SUIVI_ADDRESS, 0.1, 0.0, noise),
        "date_debut_suivi": menage.suivi.debut,
        "date_fin_suivi": menage.suivi.fin,
    }
    return Row(values, menage.ident, role)
