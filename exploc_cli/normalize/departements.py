"""The département of an address, from its code INSEE or its postcode, and the départements' names.

A code INSEE starts with its département (``93066``, ``2A004``, ``97411``); a postcode too, except
in Corsica (``20000``–``20199`` are in Corse-du-Sud, ``20200``–``20699`` in Haute-Corse) and the
overseas départements (three digits, ``974xx``). Monaco's ``980xx`` and the overseas collectivities
(``975``, ``977``, ``978``, ``98x``) are not départements: no département is given for them.
"""

from __future__ import annotations

import re

from ..errors import ExplocError
from .text import fold

NAMES: dict[str, str] = {
    "01": "Ain", "02": "Aisne", "03": "Allier", "04": "Alpes-de-Haute-Provence", "05": "Hautes-Alpes",
    "06": "Alpes-Maritimes", "07": "Ardèche", "08": "Ardennes", "09": "Ariège", "10": "Aube", "11": "Aude",
    "12": "Aveyron", "13": "Bouches-du-Rhône", "14": "Calvados", "15": "Cantal", "16": "Charente",
    "17": "Charente-Maritime", "18": "Cher", "19": "Corrèze", "2A": "Corse-du-Sud", "2B": "Haute-Corse",
    "21": "Côte-d'Or", "22": "Côtes-d'Armor", "23": "Creuse", "24": "Dordogne", "25": "Doubs", "26": "Drôme",
    "27": "Eure", "28": "Eure-et-Loir", "29": "Finistère", "30": "Gard", "31": "Haute-Garonne", "32": "Gers",
    "33": "Gironde", "34": "Hérault", "35": "Ille-et-Vilaine", "36": "Indre", "37": "Indre-et-Loire",
    "38": "Isère", "39": "Jura", "40": "Landes", "41": "Loir-et-Cher", "42": "Loire", "43": "Haute-Loire",
    "44": "Loire-Atlantique", "45": "Loiret", "46": "Lot", "47": "Lot-et-Garonne", "48": "Lozère",
    "49": "Maine-et-Loire", "50": "Manche", "51": "Marne", "52": "Haute-Marne", "53": "Mayenne",
    "54": "Meurthe-et-Moselle", "55": "Meuse", "56": "Morbihan", "57": "Moselle", "58": "Nièvre", "59": "Nord",
    "60": "Oise", "61": "Orne", "62": "Pas-de-Calais", "63": "Puy-de-Dôme", "64": "Pyrénées-Atlantiques",
    "65": "Hautes-Pyrénées", "66": "Pyrénées-Orientales", "67": "Bas-Rhin", "68": "Haut-Rhin", "69": "Rhône",
    "70": "Haute-Saône", "71": "Saône-et-Loire", "72": "Sarthe", "73": "Savoie", "74": "Haute-Savoie",
    "75": "Paris", "76": "Seine-Maritime", "77": "Seine-et-Marne", "78": "Yvelines", "79": "Deux-Sèvres",
    "80": "Somme", "81": "Tarn", "82": "Tarn-et-Garonne", "83": "Var", "84": "Vaucluse", "85": "Vendée",
    "86": "Vienne", "87": "Haute-Vienne", "88": "Vosges", "89": "Yonne", "90": "Territoire de Belfort",
    "91": "Essonne", "92": "Hauts-de-Seine", "93": "Seine-Saint-Denis", "94": "Val-de-Marne", "95": "Val-d'Oise",
    "971": "Guadeloupe", "972": "Martinique", "973": "Guyane", "974": "La Réunion", "976": "Mayotte",
}  # fmt: skip

_INSEE = re.compile(r"(?:\d{2}|2[AB])\d{3}")
_POSTCODE = re.compile(r"\d{5}")


def departement_of(code_insee: str | None, code_postal: str | None) -> str | None:
    """The département of an address: from its code INSEE, else from its postcode; None if neither tells."""
    if code_insee and _INSEE.fullmatch(code_insee := code_insee.strip().upper()):
        found = code_insee[:3] if code_insee.startswith("97") else code_insee[:2]
        return found if found in NAMES else None
    if code_postal and _POSTCODE.fullmatch(code_postal := code_postal.strip()):
        if code_postal.startswith("20"):
            return "2A" if code_postal < "20200" else "2B"
        found = code_postal[:3] if code_postal.startswith("97") else code_postal[:2]
        return found if found in NAMES else None
    return None


def parse_departement(text: str) -> str | None:
    """A département typed by a user (``93``, ``2a``, ``974``, ``1`` for ``01``, or its name); None if unknown."""
    value = text.strip().upper()
    if value.isdigit() and len(value) == 1:
        value = f"0{value}"
    if value in NAMES:
        return value
    wanted = fold(text)
    return next((code for code, name in NAMES.items() if fold(name) == wanted), None)


def label(code: str | None) -> str:
    """« 93 — Seine-Saint-Denis » (the code alone when it is not a known département)."""
    if code is None:
        return "département inconnu"
    name = NAMES.get(code)
    return f"{code} — {name}" if name else code


def checked_departement(text: str | None, where: str = "--departement") -> str | None:
    """The département code of ``text`` (None stays None); a French error naming ``where`` if unknown."""
    if text is None or not text.strip():
        return None
    found = parse_departement(text)
    if found is None:
        raise ExplocError(
            f"Département inconnu ({where}) : « {text} ».",
            hint="Donnez son numéro (93, 2A, 974…) ou son nom (Seine-Saint-Denis).",
        )
    return found
