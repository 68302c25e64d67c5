"""The errors and variations real partner files carry: case, accents, typos, civilities,
married names, address spellings, lost leading zeros, amount and date formats."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from .households import Logement, Personne

NBSP = "\u00a0"
NNBSP = "\u202f"  # narrow no-break space: not in cp1252, UTF-8 files only

_PLAIN = {
    "à": "a",
    "â": "a",
    "ä": "a",
    "á": "a",
    "ç": "c",
    "é": "e",
    "è": "e",
    "ê": "e",
    "ë": "e",
    "î": "i",
    "ï": "i",
    "í": "i",
    "ô": "o",
    "ö": "o",
    "ó": "o",
    "ù": "u",
    "û": "u",
    "ü": "u",
    "ú": "u",
    "ÿ": "y",
    "ñ": "n",
    "œ": "oe",
    "æ": "ae",
}
_ACCENT_TABLE = str.maketrans({**_PLAIN, **{k.upper(): v.upper() for k, v in _PLAIN.items()}, "Ÿ": "Y"})
_KEYBOARD_NEIGHBOURS = {
    "a": "zqs",
    "b": "vn",
    "c": "xv",
    "d": "sf",
    "e": "zr",
    "f": "dg",
    "g": "fh",
    "h": "gj",
    "i": "uo",
    "j": "hk",
    "k": "jl",
    "l": "km",
    "m": "ln",
    "n": "bm",
    "o": "ip",
    "p": "ol",
    "q": "as",
    "r": "et",
    "s": "qd",
    "t": "ry",
    "u": "yi",
    "v": "cb",
    "w": "xq",
    "x": "wc",
    "y": "tu",
    "z": "ae",
}


@dataclass(frozen=True, slots=True)
class Montant:
    """An amount in centimes; each file writes it in its own format."""

    cents: int


def strip_accents(text: str) -> str:
    """``Chênaie`` → ``Chenaie``, ``LECŒUR`` → ``LECOEUR``."""
    return text.translate(_ACCENT_TABLE)


def typo(rng: random.Random, text: str) -> str:
    """One keyboard slip on a letter: substitution, deletion, doubling or transposition."""
    letters = [i for i, ch in enumerate(text) if ch.isalpha()]
    if len(letters) < 4:
        return text
    i = letters[1 + int(rng.random() * (len(letters) - 2))]
    ch = text[i]
    draw = rng.random()
    if draw < 0.4:
        pool = _KEYBOARD_NEIGHBOURS.get(strip_accents(ch).lower(), "e")
        new = pool[int(rng.random() * len(pool))]
        return text[:i] + (new.upper() if ch.isupper() else new) + text[i + 1 :]
    if draw < 0.65:
        return text[:i] + text[i + 1 :]
    if draw < 0.8:
        return text[:i] + ch + text[i:]
    if i + 1 < len(text) and text[i + 1].isalpha() and text[i + 1] != ch:
        return text[:i] + text[i + 1] + ch + text[i + 2 :]
    return text[:i] + text[i + 1 :]


def civilite(rng: random.Random, personne: Personne, couple: bool = False) -> str:
    """A civility as partners write it (``M.``, ``Mr``, ``Monsieur``, ``Mme``, ``Mlle``…)."""
    if couple:
        return ("M. et Mme", "M. et Mme", "Monsieur et Madame", "M et Mme")[int(rng.random() * 4)]
    draw = rng.random()
    if personne.sexe == "M":
        return "M." if draw < 0.55 else "Mr" if draw < 0.7 else "Monsieur" if draw < 0.9 else "M"
    if draw < 0.06 and not personne.mariee and personne.naissance.year >= 1985:
        return "Mlle"
    return "Mme" if draw < 0.6 else "Madame" if draw < 0.88 else "MME"


@dataclass(frozen=True, slots=True)
class NameStyle:
    """How a source writes names. Probabilities are per row."""

    upper_first: float = 0.0  # first name in capitals
    keep_accents: float = 1.0
    typo: float = 0.03
    maiden_weight: float = 0.25  # married woman under her birth name only
    epouse_weight: float = 0.1  # ``MARTIN épouse DURAND``
    nee_weight: float = 0.1  # ``DURAND née MARTIN``


def nom_affiche(rng: random.Random, personne: Personne, style: NameStyle, noise: Counter[str]) -> str:
    """The surname a source writes, in capitals (married women: usage, birth or both)."""
    if not personne.mariee:
        return personne.nom_usage
    draw = rng.random()
    usage, birth = personne.nom_usage, personne.nom_naissance
    if draw < style.maiden_weight:
        noise["nom_de_naissance"] += 1
        return birth
    draw -= style.maiden_weight
    if draw < style.epouse_weight:
        noise["nom_epouse"] += 1
        return f"{birth} {'épouse' if rng.random() < 0.7 else 'ép.'} {usage}"
    draw -= style.epouse_weight
    if draw < style.nee_weight:
        noise["nom_nee"] += 1
        return f"{usage} née {birth}"
    noise["nom_marital"] += 1
    return usage


def names(rng: random.Random, personne: Personne, style: NameStyle, noise: Counter[str]) -> tuple[str, str]:
    """(surname, first name) with the source's case, accents and occasional typo."""
    nom = nom_affiche(rng, personne, style, noise)
    prenom = personne.prenom.upper() if rng.random() < style.upper_first else personne.prenom
    if rng.random() >= style.keep_accents:
        stripped = strip_accents(nom), strip_accents(prenom)
        if stripped != (nom, prenom):
            noise["accents_supprimes"] += 1
        nom, prenom = stripped
    if rng.random() < style.typo:
        noise["faute_de_frappe"] += 1
        if rng.random() < 0.6:
            nom = typo(rng, nom)
        else:
            prenom = typo(rng, prenom)
    return nom, prenom


def full_name(
    rng: random.Random, personne: Personne, style: NameStyle, noise: Counter[str], couple: bool = False
) -> str:
    """Civility, first and last name in one field, in either order."""
    nom, prenom = names(rng, personne, style, noise)
    civ = civilite(rng, personne, couple and rng.random() < 0.3)
    draw = rng.random()
    if draw < 0.4:
        return f"{civ} {nom} {prenom}"
    if draw < 0.65:
        noise["prenom_avant_nom"] += 1
        return f"{civ} {prenom} {nom}"
    if draw < 0.85:
        return f"{nom} {prenom}"
    noise["prenom_avant_nom"] += 1
    return f"{prenom} {nom}"


_ABBREVIATIONS = {
    "rue": ("r.", "R.", "rue", "RUE"),
    "avenue": ("av.", "Av.", "ave", "avenue"),
    "boulevard": ("bd", "Bd", "boul.", "bld"),
    "chemin": ("chem.", "ch.", "chemin", "Chem."),
    "place": ("pl.", "Pl.", "place", "PL"),
    "allée": ("all.", "allee", "Allée", "all"),
    "impasse": ("imp.", "Imp", "impasse", "IMP."),
    "route": ("rte", "Rte", "route", "RTE"),
    "cours": ("crs", "cours", "Cours", "crs"),
    "quai": ("qu.", "quai", "Quai", "QUAI"),
    "square": ("sq.", "square", "Sq", "sq"),
}


@dataclass(frozen=True, slots=True)
class AddressStyle:
    upper: float = 0.0
    keep_accents: float = 1.0
    abbreviate: float = 0.2
    flat_detail: float = 0.5  # write the building/flat when known


def adresse(rng: random.Random, logement: Logement, style: AddressStyle, noise: Counter[str]) -> str:
    """The street address with the source's spelling habits (no postcode, no commune)."""
    numero = str(logement.numero)
    if logement.suffixe:
        draw = rng.random()
        if draw < 0.5:
            numero += f" {logement.suffixe}"
        else:
            noise["adresse_variante"] += 1
            numero += logement.suffixe[0].upper() if draw < 0.8 else logement.suffixe.upper()
    voie = logement.rue.type_voie
    if rng.random() < style.abbreviate:
        noise["adresse_variante"] += 1
        choices = _ABBREVIATIONS[voie]
        voie = choices[int(rng.random() * len(choices))]
    draw = rng.random()
    street = f"{numero}{',' if draw < 0.12 else ''} {voie} {logement.rue.nom}"
    if logement.appartement and rng.random() < style.flat_detail:
        noise["adresse_variante"] += 1
        street = _with_flat(rng, street, logement)
    elif logement.residence and rng.random() < 0.3:
        street = f"{logement.residence} {street}"
    if rng.random() >= style.keep_accents:
        street = strip_accents(street)
    if rng.random() < style.upper:
        street = street.upper()
    return street


def _with_flat(rng: random.Random, street: str, logement: Logement) -> str:
    appt = logement.appartement
    bat = logement.batiment
    draw = rng.random()
    if bat and draw < 0.4:
        if draw < 0.25:
            return f"Bât {bat} Appt {appt} {street}"
        return f"{street} - Bât. {bat} - Appt {appt}"
    if draw < 0.7:
        return f"Appt {appt}, {street}"
    return f"{street} Apt {appt}"


def code_postal(rng: random.Random, code: str, drop_zero: float, noise: Counter[str]) -> str:
    """The postcode, sometimes without its leading zero (Excel turned it into a number)."""
    if code.startswith("0") and rng.random() < drop_zero:
        noise["cp_sans_zero"] += 1
        return code.lstrip("0")
    return code


def commune_ecrite(rng: random.Random, nom: str, upper: float, keep_accents: float) -> str:
    """``Saint-Aldric-du-Val`` → ``ST ALDRIC DU VAL``, ``St-Aldric-du-Val``…"""
    if nom.startswith("Saint-") and rng.random() < 0.3:
        nom = "St-" + nom[6:]
    elif nom.startswith("Sainte-") and rng.random() < 0.3:
        nom = "Ste-" + nom[7:]
    if rng.random() < upper:
        nom = nom.upper()
        if rng.random() < 0.5:
            nom = nom.replace("-", " ")
    if rng.random() >= keep_accents:
        nom = strip_accents(nom)
    return nom


def allocataire_ecrit(rng: random.Random, numero: str, drop_zero: float, noise: Counter[str]) -> str:
    if numero.startswith("0") and rng.random() < drop_zero:
        noise["allocataire_sans_zero"] += 1
        return numero.lstrip("0")
    return numero


def fr_amount(cents: int, sep: str = NBSP, euro: bool = False) -> str:
    """``123456`` → ``1 234,56`` (``sep`` between thousands), optionally followed by `` €``."""
    euros, rest = divmod(cents, 100)
    text = f"{euros:,}".replace(",", sep) + f",{rest:02d}"
    return text + " €" if euro else text


def dot_amount(cents: int) -> str:
    """``123456`` → ``1234.56``."""
    euros, rest = divmod(cents, 100)
    return f"{euros}.{rest:02d}"


@lru_cache(maxsize=8192)
def fr_date(day: date) -> str:
    """``31/12/2025`` (cached: a few thousand distinct dates fill millions of cells)."""
    return f"{day.day:02d}/{day.month:02d}/{day.year}"


def excel_serial(day: date) -> int:
    """The number Excel stores for ``day`` (1900 date system)."""
    return (day - date(1899, 12, 30)).days
