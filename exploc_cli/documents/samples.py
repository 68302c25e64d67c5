"""Sample contexts of every session document: the fields a template may use, with fictitious values.

``exploc verifier`` renders every template (shipped or edited copy) against these contexts, and
the contexts built from the base (``documents.contexts``) have exactly this shape. Every value is
already text in French formats (dates ``31/12/2025``, amounts ``1 234,56 €``), or a list of such
records: templates only place and loop, never compute.
"""

from __future__ import annotations

from typing import Any

ORGANISME: dict[str, Any] = {
    "nom": "CCAPEX de l'Ain",  # [ccapex] nom in exploc.toml
    "adresse": "Préfecture de l'Ain — 45 avenue Alsace-Lorraine — 01000 Bourg-en-Bresse",
    "telephone": "04 74 00 00 00",
    "courriel": "ccapex@ain.gouv.fr",
    "signataire": "La secrétaire de la CCAPEX",
}

SEANCE: dict[str, Any] = {
    "numero": 12,
    "date": "15/12/2025",
    "date_longue": "lundi 15 décembre 2025",
    "heure": "14 h 00",
    "instance": "CCAPEX centrale",
    "lieu": "Préfecture, salle 2",
    "nombre_menages": 2,
}

_DEBTS = [
    {"date": "10/03/2025", "dette": "1 850,00 €", "loyer": "620,00 €", "source": "CAF"},
    {"date": "02/06/2025", "dette": "2 940,50 €", "loyer": "620,00 €", "source": "Commissaire de justice"},
]
_EVENTS = [
    {"date": "10/03/2025", "libelle": "Impayé signalé", "source": "CAF", "etape": "Impayé", "montant": "1 850,00 €"},
    {
        "date": "02/06/2025",
        "libelle": "Commandement de payer",
        "source": "Commissaire de justice",
        "etape": "Commandement de payer",
        "montant": "2 940,50 €",
    },
]

FICHE: dict[str, Any] = {
    "rang": 1,
    "numero": 42,  # the ménage's number in exploc
    "motif": "Étape : commandement de payer ; dette > 5 000 €",
    "titulaire": "Mme DURAND (née MARTIN) Sophie",
    "date_naissance": "12/04/1984",
    "telephone": "06 00 00 00 00",
    "conjoint": "M. DURAND Paul",
    "enfants": "2",
    "situation_familiale": "Couple avec enfants",
    "adresse": "12 rue des Lilas, bât. B — 01000 BOURG-EN-BRESSE",
    "commune": "BOURG-EN-BRESSE",
    "adresses_precedentes": ["3 place Carriat — 01000 BOURG-EN-BRESSE (jusqu'au 01/2024)"],
    "bailleur": "Dynacité",
    "type_bailleur": "personne morale",
    "parc": "parc public",
    "numero_logement": "L-2231",
    "date_bail": "01/09/2019",
    "loyer": "620,00 €",
    "charges": "85,00 €",
    "loyer_charges": "705,00 €",
    "allocataire": "CAF n° 0123456",  # "" when the household is not known as allocataire
    "montant_aide": "310,00 €",
    "tiers_payant": "oui",
    "dette": "2 940,50 €",  # the last known debt
    "date_dette": "02/06/2025",
    "dettes": _DEBTS,
    "evenements": _EVENTS,
    "etape": "Commandement de payer",
    "date_etape": "02/06/2025",
    "prochaine_echeance": "14/07/2025 — fin du délai du commandement de payer (loi 89-462 art. 24 I)",
    "service": "Département de l'Ain — MDS Bourg-en-Bresse",
    "referent": "Mme LEROY",
    "affectation": "règle famille-allocataire (règles 2026-01)",
    "suivis": ["CCAS de Bourg-en-Bresse, Mme PETIT, depuis le 01/02/2025"],
    "alertes": ["Dette supérieure à 6 mois de loyer", "Dette en hausse entre deux signalements"],
    "avis_precedents": [
        {
            "seance": "CCAPEX centrale du 15/09/2025",
            "avis": "Avis avec préconisations",
            "texte": "Reprise du paiement du loyer courant demandée.",
        }
    ],
    "preconisations": [
        {
            "seance": "15/09/2025",
            "destinataire": "Locataire",
            "type": "Reprendre le paiement du loyer courant",
            "texte": "Dès octobre.",
            "echeance": "31/10/2025",
            "statut": "Non réalisée",
            "reexamen": "15/12/2025",
        }
    ],
    "notes": [{"date": "20/11/2025", "texte": "Appel de la locataire : dossier FSL en cours."}],
}

DECISION: dict[str, Any] = {
    "rang": 1,
    "numero": 42,
    "titulaire": "Mme DURAND (née MARTIN) Sophie",
    "commune": "BOURG-EN-BRESSE",
    "etape": "Commandement de payer",
    "avis": "Avis avec préconisations",  # "" when no avis was recorded
    "avis_texte": "La commission demande un plan d'apurement.",
    "reexamen": "16/03/2026",  # "" when none
    "preconisations": [
        {
            "destinataire": "Bailleur",
            "type": "Proposer un plan d'apurement",
            "texte": "Sur 24 mois.",
            "echeance": "31/01/2026",
        }
    ],
}

_LIGNE = {
    "rang": 1,
    "numero": 42,
    "titulaire": "Mme DURAND (née MARTIN) Sophie",
    "commune": "BOURG-EN-BRESSE",
    "motif": "Étape : commandement de payer ; dette > 5 000 €",
    "etape": "Commandement de payer",
    "dette": "2 940,50 €",
}

COMMON: dict[str, Any] = {"organisme": ORGANISME, "seance": SEANCE, "genere_le": "23/11/2025"}

# template name (without .docx) -> its sample context
SAMPLES: dict[str, dict[str, Any]] = {
    "ordre_du_jour": {**COMMON, "menages": [_LIGNE, {**_LIGNE, "rang": 2, "numero": 57}]},
    "dossier_seance": {**COMMON, "menages": [_LIGNE], "fiches": [FICHE, {**FICHE, "rang": 2, "numero": 57}]},
    "releve_decisions": {**COMMON, "decisions": [DECISION, {**DECISION, "rang": 2, "numero": 57}]},
    # one letter per household examined
    "courrier_locataire": {
        **COMMON,
        "menage": {
            "numero": 42,
            "titulaire": "Mme DURAND (née MARTIN) Sophie",
            "adresse": "12 rue des Lilas, bât. B",
            "code_postal": "01000",
            "commune": "BOURG-EN-BRESSE",
        },
        "decision": DECISION,
    },
    # one letter per household whose bailleur is known
    "courrier_bailleur": {
        **COMMON,
        "bailleur": "Dynacité",
        "menage": {
            "numero": 42,
            "titulaire": "Mme DURAND (née MARTIN) Sophie",
            "adresse": "12 rue des Lilas, bât. B",
            "code_postal": "01000",
            "commune": "BOURG-EN-BRESSE",
            "numero_logement": "L-2231",
        },
        "decision": DECISION,
    },
    # one convocation for the members: the ordre du jour without names (rank, commune, stage)
    "convocation_membres": {
        **COMMON,
        "points": [{"rang": 1, "commune": "BOURG-EN-BRESSE", "etape": "Commandement de payer", "motif": "…"}],
    },
    # one letter per commune whose residents are examined (décret 2016-393), without names
    "courrier_maire": {
        **COMMON,
        "commune": "BOURG-EN-BRESSE",
        "nombre": 2,
        "points": [{"rang": 1, "etape": "Commandement de payer"}, {"rang": 2, "etape": "Assignation"}],
    },
}

# -- The non-nominative reports (exploc diagnostic, exploc bilan): no seance, no household -----------------
# A table whose columns vary (« [grille …] » in the template): every value is already text, a masked
# count is « < 5 » or « secret »; ``graphique`` is the chart's image ("" when the table has none).
_GRILLE: dict[str, Any] = {
    "titre": "Ménages assignés : connus d'un service social avant l'assignation",
    "entete": "Commune",
    "colonnes": ["Connus", "Non connus", "Total", "Part connus"],
    "lignes": [
        {"libelle": "BOURG-SUR-SARRE", "valeurs": ["12", "31", "43", "27,9 %"], "total": False},
        {"libelle": "PORT-AUBREL", "valeurs": ["< 5", "secret", "9", "secret"], "total": False},
        {"libelle": "Total", "valeurs": ["15", "37", "52", "28,8 %"], "total": True},
    ],
    "note": "",
    "graphique": "(graphique)",
    "legende": "Part des ménages assignés connus d'un service social",
}
_SECTION: dict[str, Any] = {
    "titre": "Accompagnement social",
    "introduction": "Les ménages connus des services sociaux, et ceux que suit chaque service.",
    "tableaux": [_GRILLE],
}
_REPORT: dict[str, Any] = {
    "organisme": ORGANISME,
    "territoire": "Commune",
    "seuil": "5",
    "genere_le": "23/11/2026",
    "donnees_au": "23/11/2026",
    "chiffres": {
        **_GRILLE,
        "titre": "Chiffres clés",
        "entete": "Indicateur",
        "colonnes": ["Période", "Comparaison", "Évolution"],
        "graphique": "",
        "legende": "",
    },
    "etapes": {**_GRILLE, "titre": "Ménages entrant dans les étapes de la chaîne", "entete": "Étape"},
    "methode": {
        "definitions": [
            {"libelle": "Ménages concernés", "texte": "Ménages ayant au moins un acte daté dans la période."}
        ],
        "secret": ["Secret statistique : tout effectif de 1 à 4 est remplacé par « < 5 »."],
    },
}
SAMPLES["diagnostic"] = {
    **_REPORT,
    "periode": "du 01/01/2025 au 31/12/2025",
    "comparaison": "du 01/01/2024 au 31/12/2024",  # "" without a comparison
    "sections": [_SECTION],
}
SAMPLES["bilan"] = {
    **_REPORT,
    "annee": "2025",
    "annee_precedente": "2024",
    "activite": {**_SECTION, "titre": "L'activité de l'année"},
    "commission": {**_SECTION, "titre": "Les examens de la commission"},
    "seances": "24",
    "expulsions": {**_SECTION, "titre": "Concours de la force publique et expulsions"},
    "objectifs": [
        {"libelle": "Expulsions effectives", "cible": "≤ 150", "realise": "97", "resultat": "atteint"},
    ],
    "territoires": {**_SECTION, "titre": "Les territoires"},
}
