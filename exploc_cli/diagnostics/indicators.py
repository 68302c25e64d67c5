"""The indicators of a territorial diagnostic, each defined once, with the French definition that the
workbook's « Méthode » sheet and the Word documents print.

Stages are the procedure's dated events (DOMAIN.md §1, ``normalize.vocabulary``); the chain of the
national dashboard (DOMAIN.md §5) is CDP → assignation → décision → CQL → CFP → expulsion.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from ..normalize.vocabulary import EVENT_LABELS, EVENT_RANK

# Every procedure stage (rank > 0), in procedure order.
STAGES: tuple[str, ...] = tuple(sorted((c for c, r in EVENT_RANK.items() if r > 0), key=EVENT_RANK.__getitem__))
STAGE_LABELS: Mapping[str, str] = MappingProxyType({code: EVENT_LABELS[code] for code in STAGES})
# The chain whose flows and delays are measured, and the stages shown where space is short.
CHAIN: tuple[str, ...] = ("cdp", "assignation", "jugement", "cql", "requisition_cfp", "pv_expulsion")
CHAIN_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "cdp": "Commandement de payer",
        "assignation": "Assignation",
        "jugement": "Décision de justice",
        "cql": "Commandement de quitter les lieux",
        "requisition_cfp": "Demande de concours de la force publique",
        "pv_expulsion": "Expulsion effective",
    }
)
PAIRS: tuple[tuple[str, str], ...] = tuple(zip(CHAIN, CHAIN[1:], strict=False))
SHORT_LABELS: Mapping[str, str] = MappingProxyType(
    {"cdp": "CDP", "assignation": "Assignation", "jugement": "Décision", "cql": "CQL",
     "requisition_cfp": "Demande CFP", "pv_expulsion": "Expulsion"}
)  # fmt: skip

SOURCES: tuple[str, ...] = ("caf", "huissier", "bailleur", "prefecture", "suivi")
SOURCE_LABELS: Mapping[str, str] = MappingProxyType(
    {
        "caf": "CAF / MSA",
        "huissier": "Commissaires de justice",
        "bailleur": "Bailleurs",
        "prefecture": "Préfecture",
        "suivi": "Services sociaux",
    }
)
PARCS: tuple[str, ...] = ("public", "prive", "inconnu")
PARC_LABELS: Mapping[str, str] = MappingProxyType(
    {"public": "Parc public", "prive": "Parc privé", "inconnu": "Inconnu"}
)
# Debt bands in centimes: [low, high) ; the middle band includes 5 000 €.
DEBT_BANDS: tuple[tuple[str, int, int | None], ...] = (
    ("Moins de 2 000 €", 0, 200_000),
    ("De 2 000 à 5 000 €", 200_000, 500_001),
    ("Plus de 5 000 €", 500_001, None),
)
CFP_COLUMNS: Mapping[str, str] = MappingProxyType(
    {
        "demande": "Demandes de concours",
        "accorde": "Concours accordés",
        "refuse": "Concours refusés",
        "autre_decision": "Autres décisions (en cours, sursis, non précisée)",
        "tentative": "Tentatives d'expulsion",
        "expulsion": "Expulsions effectives",
    }
)
JUGEMENT_VALUES: Mapping[str, str] = MappingProxyType(
    {
        "resiliation": "Résiliation du bail (expulsion)",
        "delais": "Délais de paiement",
        "rejet": "Demande rejetée",
        "radiation": "Radiation",
        "renvoi": "Renvoi",
        "inconnu": "Sens non précisé",
    }
)
# The alerts of ``parcours.alerts``, in its order; each is defined in ``ALERT_DEFINITIONS``.
ALERTS: Mapping[str, str] = MappingProxyType(
    {
        "inconnu_social": "Inconnus des services sociaux au stade du CQL ou du concours",
        "dette_elevee": "Dette élevée",
        "dette_hausse": "Dette en hausse",
        "cfp_sans_signalement": "Concours demandé sans signalement antérieur",
        "echeance_proche": "Échéance légale proche",
        "acte_apres_preconisation": "Acte de procédure malgré des préconisations en cours",
        "recidive": "Nouvel impayé après une procédure antérieure",
        "rouvert": "Ménage clos à nouveau signalé",
    }
)
PRECONISATION_STATUTS: Mapping[str, str] = MappingProxyType(
    {"realisee": "Réalisée", "non_realisee": "Non réalisée", "a_faire": "À faire", "caduque": "Caduque"}
)


ALERT_DEFINITIONS: Mapping[str, str] = MappingProxyType(
    {
        "inconnu_social": "L'étape la plus avancée de l'épisode en cours est le commandement de quitter les lieux, "
        "la demande ou la décision de concours de la force publique ou une tentative d'expulsion, et le ménage "
        "n'avait ni suivi social commencé (signalement de source « suivi ») ni service social affecté à cette "
        "date : l'affectation en vigueur est la dernière décidée au plus tard ce jour-là (historique des "
        "affectations, exploc affecter) ; « à trier » ne compte pas.",
        "dette_elevee": "La dernière dette déclarée dans l'épisode en cours, à cette date, dépasse dette_montant "
        "euros ou dette_mois_loyer mois de loyer.",
        "dette_hausse": "Entre les deux derniers jours où une dette a été déclarée dans l'épisode en cours, à "
        "cette date, la dette a augmenté d'au moins hausse_dette_min euros.",
        "cfp_sans_signalement": "Une demande ou une décision de concours de la force publique dans l'épisode en "
        "cours, sans impayé, signalement CAF/MSA, saisine, commandement de payer, assignation, audience, "
        "jugement ni CQL connu auparavant, même dans un épisode précédent.",
        "echeance_proche": "Une échéance légale de l'épisode en cours (fichier des délais : fin du délai du "
        "commandement de payer, assignation possible, notification de l'assignation au préfet, fin du délai "
        "après le commandement de quitter les lieux, refus implicite du concours) tombe entre la fin de la "
        "période et echeance_jours jours plus tard, ces deux jours compris, et aucun acte daté au plus tard ce "
        "jour-là ne l'a rendue sans objet. Les échéances sont calculées sur les actes connus à la fin de la "
        "période : ceux datés au plus tard ce jour-là, et ceux datés après (une audience déjà fixée) reçus dans "
        "un fichier importé au plus tard ce jour-là.",
        "acte_apres_preconisation": "Un acte de procédure daté, au plus tard à la fin de la période, après une "
        "séance de la commission dont une préconisation pour le ménage était encore à faire ce jour-là. Une "
        "préconisation est à faire depuis sa séance jusqu'au jour où son suivi a été saisi (réalisée, non "
        "réalisée ou caduque) ; seul le dernier changement de suivi est conservé : une préconisation revenue "
        "« à faire » compte comme à faire depuis sa séance, et un suivi saisi sans date ne la laisse jamais à faire.",
        "recidive": "L'épisode en cours (nouvel impayé ou nouvelle procédure après la fin d'un épisode, une "
        "clôture ou plus de reprise_mois mois sans acte) fait suite à un épisode qui avait atteint au moins la "
        "saisine de la CCAPEX.",
        "rouvert": "Ménage clos (exploc menages clore) au plus tard à la fin de la période et signalé à "
        "nouveau : un signalement dont l'acte principal est daté après la clôture et au plus tard ce jour-là.",
    }
)


@dataclass(frozen=True)
class Indicator:
    """One indicator: its code, its title and its definition, as printed in the documents."""

    code: str
    title: str
    definition: str


_DEFINITIONS: tuple[Indicator, ...] = (
    Indicator(
        "menages_concernes",
        "Ménages concernés",
        "Ménages ayant au moins un acte de la procédure (de l'impayé à l'expulsion) daté dans la période. "
        "Un ménage réuni à un autre (fusion) est compté une seule fois, avec l'autre. Son territoire est "
        "celui de son dernier signalement qui donne une commune.",
    ),
    Indicator(
        "signalements",
        "Signalements reçus",
        "Lignes reçues des partenaires (CAF/MSA, commissaires de justice, bailleurs, préfecture, services "
        "sociaux) dont l'acte principal (à défaut le plus ancien) est daté dans la période, par source, par "
        "mois et par étape de cet acte. Un ménage peut avoir plusieurs signalements.",
    ),
    Indicator(
        "entrees_etape",
        "Ménages entrant à chaque étape",
        "Ménages ayant au moins un acte de l'étape daté dans la période. Un ménage compte une fois par étape, "
        "au mois de son premier acte de l'étape dans la période ; il compte à plusieurs étapes s'il en "
        "franchit plusieurs (les colonnes d'étapes ne s'additionnent pas).",
    ),
    Indicator(
        "jugements",
        "Décisions de justice par sens",
        "Ménages ayant un jugement daté dans la période, selon le sens du dernier jugement de la période "
        "(résiliation du bail, délais de paiement, rejet, radiation, renvoi).",
    ),
    Indicator(
        "flux",
        "Passages d'une étape à la suivante",
        "Parmi les ménages entrés à une étape pendant la période (premier acte de l'étape dans la période), "
        "ceux qui ont ensuite un acte de l'étape suivante de la chaîne (le même jour ou après, jusqu'à la "
        "date des données) sont « passés » ; les autres ne le sont pas, ou pas encore. Taux de passage : "
        "passés / entrés. Les entrées récentes ont eu moins de temps pour passer à l'étape suivante.",
    ),
    Indicator(
        "delais",
        "Délais entre étapes",
        "Pour les ménages passés d'une étape à la suivante : nombre de jours entre le premier acte de l'étape "
        "dans la période et le premier acte de l'étape suivante qui le suit. Médiane : la moitié des ménages "
        "ont un délai plus court ou égal ; 9e décile : 90 % des ménages ont un délai plus court ou égal.",
    ),
    Indicator(
        "connus_avant_assignation",
        "Ménages connus d'un service social avant l'assignation",
        "Parmi les ménages assignés pendant la période (premier acte d'assignation de la période), ceux dont "
        "un suivi par un service social (signalement de source « suivi ») a commencé au plus tard le jour de "
        "l'assignation.",
    ),
    Indicator(
        "parc",
        "Parc public et parc privé",
        "Ménages entrant à chaque étape pendant la période, selon le parc de leur logement (dernier parc "
        "déclaré : public pour un bailleur social, privé sinon ; « inconnu » s'il n'a jamais été déclaré).",
    ),
    Indicator(
        "dette",
        "Dette locative",
        "Ménages concernés dont une dette est déclarée dans la période : la dernière dette déclarée dans la "
        "période, par tranche (moins de 2 000 €, de 2 000 € à 5 000 € inclus, plus de 5 000 €), sa médiane "
        "et son 9e décile.",
    ),
    Indicator(
        "cfp",
        "Concours de la force publique",
        "Ménages ayant, dans la période : une réquisition (demande) du concours de la force publique ; une "
        "décision du préfet, selon son sens (la dernière de la période) ; un procès-verbal de tentative "
        "d'expulsion ; un procès-verbal d'expulsion (expulsion effective). Les colonnes ne s'additionnent pas.",
    ),
    Indicator(
        "commission",
        "Examens en commission",
        "Séances de la CCAPEX datées dans la période, ménages différents inscrits à leur ordre du jour, et "
        "avis rendus, par type d'avis (référentiel des séances).",
    ),
    Indicator(
        "preconisations",
        "Préconisations émises et suivies",
        "Préconisations formulées lors des séances de la période, par destinataire et selon leur suivi à la "
        "date des données (réalisée, non réalisée, à faire, caduque). Taux de réalisation : réalisées / "
        "préconisations dont le suivi est connu (réalisées et non réalisées).",
    ),
    Indicator(
        "alertes",
        "Signaux d'alerte",
        "Ménages concernés qui présentent le signal d'alerte à la fin de la période (à la date des données si "
        "elle est antérieure), selon les règles des parcours (exploc menages afficher) appliquées à ce jour-là : "
        "les actes datés au plus tard ce jour-là, la clôture, l'affectation et les préconisations telles "
        "qu'elles étaient ce jour-là. Pour une période qui finit à la date des données, ce sont les alertes "
        "affichées aujourd'hui. Hors « nouvel impayé après une procédure antérieure » et « ménage clos à "
        "nouveau signalé », une alerte ne porte que sur une procédure en cours (épisode que ni une expulsion, "
        "ni un rejet, ni une radiation n'a terminé) ; un ménage clos à cette date et non signalé depuis n'a "
        "aucune alerte. Un ménage peut avoir plusieurs alertes. Chaque signal est défini ci-dessous ; les "
        "seuils sont ceux de la section [alertes] de la configuration.",
    ),
    *(Indicator(f"alerte_{code}", f"Alerte : {ALERTS[code]}", text) for code, text in ALERT_DEFINITIONS.items()),
    Indicator(
        "services",
        "Ménages par service et unité",
        "Ménages concernés, selon le service social et l'unité territoriale auxquels ils sont affectés "
        "aujourd'hui (exploc affecter) : « à trier » en attente d'une décision, « sans affectation » si "
        "aucune affectation n'a été faite.",
    ),
    Indicator(
        "objectifs",
        "Objectifs de la charte",
        "Valeur de l'année comparée à l'objectif annuel fixé par la charte de prévention des expulsions "
        "(fichier d'objectifs) : « au plus » pour un plafond (expulsions), « au moins » pour un plancher.",
    ),
)
INDICATORS: Mapping[str, Indicator] = MappingProxyType({indicator.code: indicator for indicator in _DEFINITIONS})


def debt_band(centimes: int) -> int:
    """Index of the band of ``centimes`` in ``DEBT_BANDS``."""
    for index, (_, low, high) in enumerate(DEBT_BANDS):
        if centimes >= low and (high is None or centimes < high):
            return index
    return 0
