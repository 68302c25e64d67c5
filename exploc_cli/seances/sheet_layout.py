"""The layout of the decision sheet (``seances feuille-decisions``), shared by its writer and reader.

Columns are found by their header when the sheet is read back, so that a secretary may move,
sort or filter them; each row carries a hidden reference (``S<séance>-I<inscription>-M<ménage>``)
that ties it to its ménage whatever the order.
"""

from __future__ import annotations

import re

DECISIONS_SHEET = "Décisions"
SUIVI_SHEET = "Suivi"
LISTS_SHEET = "Listes"
HELP_SHEET = "Mode d'emploi"

REFERENCE = "Référence"
RANG = "N°"
MENAGE = "Ménage"
TITULAIRE = "Titulaire"
COMMUNE = "Commune"
ETAPE = "Étape"
DETTE = "Dernière dette"
MOTIF = "Motif d'inscription"
AVIS = "Avis"
AVIS_TEXTE = "Texte de l'avis"
REEXAMEN = "Réexamen le"
SLOTS = 4  # préconisations per ménage on one row


def preco_headers(slot: int) -> tuple[str, str, str]:
    return (f"Préconisation {slot}", f"Précision {slot}", f"Échéance {slot}")


DECISION_HEADERS: tuple[str, ...] = (
    REFERENCE, RANG, MENAGE, TITULAIRE, COMMUNE, ETAPE, DETTE, MOTIF, AVIS, AVIS_TEXTE, REEXAMEN,
    *(header for slot in range(1, SLOTS + 1) for header in preco_headers(slot)),
)  # fmt: skip
REQUIRED_DECISION_HEADERS = (REFERENCE, AVIS, AVIS_TEXTE, REEXAMEN)

# the follow-up of earlier recommendations of the session's ménages
SUIVI_REFERENCE = "Référence"
SUIVI_STATUT = "Statut"
SUIVI_NOTE = "Note de suivi"
SUIVI_HEADERS: tuple[str, ...] = (
    SUIVI_REFERENCE, MENAGE, TITULAIRE, "Séance", "Destinataire", "Préconisation", "Précision", "Échéance",
    SUIVI_STATUT, SUIVI_NOTE,
)  # fmt: skip

_DECISION_REF = re.compile(r"^S(?P<seance>\d+)-I(?P<inscription>\d+)-M(?P<menage>\d+)$")
_SUIVI_REF = re.compile(r"^P(?P<preco>\d+)$")


def decision_reference(seance: int, inscription: int, menage: int) -> str:
    return f"S{seance}-I{inscription}-M{menage}"


def parse_decision_reference(text: str) -> tuple[int, int, int] | None:
    found = _DECISION_REF.match(text.strip())
    return (int(found["seance"]), int(found["inscription"]), int(found["menage"])) if found else None


def suivi_reference(preco: int) -> str:
    return f"P{preco}"


def parse_suivi_reference(text: str) -> int | None:
    found = _SUIVI_REF.match(text.strip())
    return int(found["preco"]) if found else None
