"""The procedure's event vocabulary and the value vocabularies of partner columns.

Every parser folds its input (case, accents, punctuation) and accepts an optional ``overrides``
mapping (folded raw value → code) so that a département's mapping profile can add its own
spellings without a code change; build it once with ``fold_overrides``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import lru_cache
from types import MappingProxyType

from .text import clean_spaces, fold

__all__ = [
    "ACT_TYPES",
    "DECISIONS_CFP",
    "EVENT_LABELS",
    "EVENT_RANK",
    "JUGEMENT_DECISIONS",
    "ORGANISMES",
    "PARCS",
    "TYPES_BAILLEUR",
    "fold_overrides",
    "parse_act_type",
    "parse_decision_cfp",
    "parse_decision_cfp_detail",
    "parse_jugement_decision",
    "parse_organisme",
    "parse_parc",
    "parse_type_bailleur",
]

_EVENTS: tuple[tuple[str, str, int], ...] = (
    ("impaye", "Impayé constitué", 1),
    ("signalement_caf", "Signalement CAF/MSA", 2),
    ("saisine", "Saisine de la CCAPEX", 3),
    ("cdp", "Commandement de payer", 4),
    ("assignation", "Assignation", 5),
    ("audience", "Audience", 6),
    ("jugement", "Jugement", 7),
    ("cql", "Commandement de quitter les lieux", 8),
    ("requisition_cfp", "Réquisition de la force publique", 9),
    ("decision_cfp", "Décision sur le concours de la force publique", 10),
    ("pv_tentative", "PV de tentative d'expulsion", 11),
    ("pv_expulsion", "PV d'expulsion", 12),
    ("debut_suivi", "Début de suivi social", 0),
    ("fin_suivi", "Fin de suivi social", 0),
    ("assignation_prevue", "Assignation prévue", 0),
)
EVENT_LABELS: Mapping[str, str] = MappingProxyType({c: label for c, label, _ in _EVENTS})
# Procedure order for sorting stages; follow-up events and forecasts are not stages (rank 0).
EVENT_RANK: Mapping[str, int] = MappingProxyType({c: rank for c, _, rank in _EVENTS})

ACT_TYPES = frozenset({"cdp", "assignation", "jugement", "cql", "requisition_cfp", "pv_tentative",
                       "pv_expulsion"})  # fmt: skip
DECISIONS_CFP = frozenset({"accorde", "refuse", "en_cours", "sursis_treve"})
JUGEMENT_DECISIONS = frozenset({"resiliation", "delais", "rejet", "radiation", "renvoi"})
PARCS = frozenset({"public", "prive"})
TYPES_BAILLEUR = frozenset({"pp", "sci_familiale", "pm"})
ORGANISMES = frozenset({"caf", "msa"})

Rule = tuple[tuple[str, ...], str]  # (all these words or word prefixes must appear, code)


def _match(key: str, exact: Mapping[str, str], rules: tuple[Rule, ...]) -> str | None:
    """Exact folded spelling first (spaces ignored), then keyword rules in order."""
    compact = key.replace(" ", "")
    if compact in exact:
        return exact[compact]
    words = key.split()
    for needed, code in rules:
        if all(any(w.startswith(n) for w in words) for n in needed):
            return code
    return None


def fold_overrides(mapping: Mapping[str, str]) -> dict[str, str]:
    """Fold the keys of a profile's value mapping so that parsers can look them up."""
    return {fold(k): v for k, v in mapping.items()}


def _parse(
    s: str,
    overrides: Mapping[str, str] | None,
    inner: Callable[[str], str | None],
    codes: frozenset[str],
    unknown: str,
) -> str:
    key = fold(s)
    if overrides:
        code = overrides.get(key)
        if code is None:
            code = overrides.get(clean_spaces(s))
        if code is not None:
            if code not in codes:
                expected = ", ".join(sorted(codes))
                raise ValueError(f"profil de correspondance : code « {code} » invalide (attendu : {expected})")
            return code
    found = inner(key) if key else None
    if found is None:
        shown = clean_spaces(s)
        raise ValueError(f"{unknown} : « {shown} »" if shown else f"{unknown} : valeur vide")
    return found


# --- type d'acte (commissaire de justice) ----------------------------------------------------

_ACT_EXACT = {
    "CDP": "cdp", "CP": "cdp", "CMDP": "cdp", "CQL": "cql", "CQLL": "cql", "CFP": "requisition_cfp",
    "RCFP": "requisition_cfp", "DCFP": "requisition_cfp", "PV": "pv_expulsion",
    "JUGT": "jugement", "JGT": "jugement", "ASSIG": "assignation", "ASS": "assignation",
}  # fmt: skip
_ACT_RULES: tuple[Rule, ...] = (
    (("TENTATIVE",), "pv_tentative"),
    (("PV", "TENT"), "pv_tentative"),
    (("PROCES", "VERBAL", "EXPUL"), "pv_expulsion"),
    (("PV", "EXPUL"), "pv_expulsion"),
    (("EXPULSION", "EFFECTIVE"), "pv_expulsion"),
    (("REQUISITION",), "requisition_cfp"),
    (("CONCOURS", "FORCE"), "requisition_cfp"),
    (("CFP",), "requisition_cfp"),
    (("C", "QL"), "cql"),
    (("QUITTER",), "cql"),
    (("PAYER",), "cdp"),
    (("CDP",), "cdp"),
    (("ASSIGNATION",), "assignation"),
    (("JUGEMENT",), "jugement"),
    (("ORDONNANCE",), "jugement"),
    (("DECISION", "JUSTICE"), "jugement"),
)


@lru_cache(maxsize=1024)
def _act(key: str) -> str | None:
    return _match(key, _ACT_EXACT, _ACT_RULES)


def parse_act_type(s: str, overrides: Mapping[str, str] | None = None) -> str:
    """Event code of a huissier "Type d'acte" ("Cdt de payer" → "cdp", "CQL" → "cql")."""
    return _parse(s, overrides, _act, ACT_TYPES, "type d'acte inconnu")


# --- décision sur le concours de la force publique -------------------------------------------

_CFP_EXACT = {"OK": "accorde", "ACCORD": "accorde", "OUI": "accorde", "NON": "refuse",
              "KO": "refuse"}  # fmt: skip
_CFP_RULES: tuple[Rule, ...] = (
    (("NON", "ACCORD"), "refuse"),
    (("PAS", "ACCORD"), "refuse"),
    (("DEFAVORABLE",), "refuse"),
    (("SURSIS",), "sursis_treve"),
    (("TREVE",), "sursis_treve"),
    (("ACCORD",), "accorde"),
    (("FAVORABLE",), "accorde"),
    (("REFUS",), "refuse"),
    (("REJET",), "refuse"),
    (("COURS",), "en_cours"),
    (("ATTENTE",), "en_cours"),
    (("INSTRUCTION",), "en_cours"),
)


@lru_cache(maxsize=1024)
def _cfp(key: str) -> str | None:
    return _match(key, _CFP_EXACT, _CFP_RULES)


def parse_decision_cfp(s: str, overrides: Mapping[str, str] | None = None) -> str:
    """Code of a préfet's CFP decision: accorde, refuse, en_cours or sursis_treve."""
    return _parse(s, overrides, _cfp, DECISIONS_CFP, "décision CFP inconnue")


def parse_decision_cfp_detail(s: str, overrides: Mapping[str, str] | None = None) -> tuple[str, bool]:
    """(code, avec_delai): "Accordé avec délai" → ("accorde", True)."""
    code = parse_decision_cfp(s, overrides)
    return code, code == "accorde" and any(w.startswith("DELAI") for w in fold(s).split())


# --- décision du jugement --------------------------------------------------------------------

_JUGEMENT_RULES: tuple[Rule, ...] = (
    (("SUSPENSION",), "delais"),
    (("DELAI", "PAIEMENT"), "delais"),
    (("RESILI",), "resiliation"),
    (("EXPULS",), "resiliation"),
    (("DELAI",), "delais"),
    (("ECHEANCIER",), "delais"),
    (("REJET",), "rejet"),
    (("DEBOUT",), "rejet"),
    (("RADI",), "radiation"),
    (("RENVO",), "renvoi"),
)


@lru_cache(maxsize=1024)
def _jugement(key: str) -> str | None:
    return _match(key, {}, _JUGEMENT_RULES)


def parse_jugement_decision(s: str, overrides: Mapping[str, str] | None = None) -> str:
    """Code of a judgment's outcome: resiliation, delais, rejet, radiation or renvoi."""
    return _parse(s, overrides, _jugement, JUGEMENT_DECISIONS, "décision de jugement inconnue")


# --- parc, type de bailleur, organisme -------------------------------------------------------

_PARC_RULES: tuple[Rule, ...] = (
    (("PRIV",), "prive"),
    (("PUBLIC",), "public"),
    (("SOCIAL",), "public"),
    (("HLM",), "public"),
)


@lru_cache(maxsize=256)
def _parc(key: str) -> str | None:
    return _match(key, {"PP": "prive", "PS": "public"}, _PARC_RULES)


def parse_parc(s: str, overrides: Mapping[str, str] | None = None) -> str:
    """Housing stock: "public" (social, HLM) or "prive"."""
    return _parse(s, overrides, _parc, PARCS, "parc inconnu")


_BAILLEUR_EXACT = {"PP": "pp", "PM": "pm", "SCI": "pm", "ESH": "pm", "OPH": "pm", "SEM": "pm",
                   "SAHLM": "pm", "HLM": "pm", "SCIF": "sci_familiale",
                   "SCIFAM": "sci_familiale"}  # fmt: skip
_BAILLEUR_RULES: tuple[Rule, ...] = (
    (("SCI", "FAM"), "sci_familiale"),
    (("PERSONNE", "PHYSIQUE"), "pp"),
    (("PARTICULIER",), "pp"),
    (("PRIVE",), "pp"),
    (("PERSONNE", "MORALE"), "pm"),
    (("SOCIAL",), "pm"),
    (("SOCIETE",), "pm"),
    (("OFFICE",), "pm"),
    (("SCI",), "pm"),
)


@lru_cache(maxsize=256)
def _bailleur(key: str) -> str | None:
    return _match(key, _BAILLEUR_EXACT, _BAILLEUR_RULES)


def parse_type_bailleur(s: str, overrides: Mapping[str, str] | None = None) -> str:
    """Landlord type: "pp" (personne physique), "sci_familiale" or "pm" (personne morale)."""
    return _parse(s, overrides, _bailleur, TYPES_BAILLEUR, "type de bailleur inconnu")


_ORGANISME_RULES: tuple[Rule, ...] = (
    (("ALLOCATIONS", "FAMILIALES"), "caf"),
    (("MUTUALITE", "AGRICOLE"), "msa"),
)


@lru_cache(maxsize=256)
def _organisme(key: str) -> str | None:
    return _match(key, {"CAF": "caf", "MSA": "msa"}, _ORGANISME_RULES)


def parse_organisme(s: str, overrides: Mapping[str, str] | None = None) -> str:
    """Paying body: "caf" or "msa"."""
    return _parse(s, overrides, _organisme, ORGANISMES, "organisme inconnu")
