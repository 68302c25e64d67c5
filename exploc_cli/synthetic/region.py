"""A fictional region: the Val-de-Sarre copied into several départements.

Each département is a copy of the fictional territory (same 40 communes' weights, EPCI and MDS
sectors, same number of streets) under its own real code, with its own INSEE codes
(``{code}xxx``), postcodes (``{code}xxx``), streets (drawn with its own seed) and names. The
codes are those of Île-de-France (75, 77, 78, 91, 92, 93, 94, 95, in that order: the first N of
them for N départements; more than eight is refused); the names are invented. The first
département keeps the Val-de-Sarre's names (Bourg-sur-Sarre…). The others rename every proper
word of them consistently (« Aubrel » becomes the same new word in « Port-Aubrel » and in « CA du
Pays d'Aubrel »), the rivers Sarre and Orsange become the département's own, the saints other
saints; the common words (Saint, Bourg, sur, le, Val, Mesnil…) stay. No commune name repeats
across the region except two deliberate homonyms, as real regions have: « Saint-Gervin » in the
first and second départements, « Laverrière » in the first and third.

A household moves to another commune now and then (``population.py``); in a region, a share
``MOVE_OUT`` of those moves leave the département, for another one drawn uniformly. About 13.5 %
of the households move, 2.6 % to another département; since most moves follow the household's
last procedure, about 0.6 % have partner rows in two départements.
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

from .territory import (
    COMMUNE_ROWS,
    EPCI_NAMES,
    STREETS_SEED,
    VAL_DE_SARRE,
    Commune,
    Departement,
    Territory,
    assemble,
    build_territory,
    departement_communes,
    draw_streets,
)

MOVE_OUT = 0.5  # share of the moves to another commune that leave the département

# (code, name, as « Département » is followed by it, the rivers that replace Sarre and Orsange)
_REGION: tuple[tuple[str, str, str, tuple[str, str]], ...] = (
    ("75", VAL_DE_SARRE.nom, VAL_DE_SARRE.de_nom, ("Sarre", "Orsange")),
    ("77", "Marches-de-Vionne", "des Marches-de-Vionne", ("Vionne", "Brévonne")),
    ("78", "Haute-Lisonne", "de la Haute-Lisonne", ("Lisonne", "Aurette")),
    ("91", "Orbelle", "de l'Orbelle", ("Orbelle", "Sémine")),
    ("92", "Val-de-Morvelle", "du Val-de-Morvelle", ("Morvelle", "Ysette")),
    ("93", "Plaine-d'Aubrette", "de la Plaine-d'Aubrette", ("Aubrette", "Lézonne")),
    ("94", "Basse-Sévrine", "de la Basse-Sévrine", ("Sévrine", "Vaudelle")),
    ("95", "Pays-de-Clairet", "du Pays-de-Clairet", ("Clairet", "Ornelle")),
)
REGION_CODES: tuple[str, ...] = tuple(code for code, *_ in _REGION)
MAX_DEPARTEMENTS = len(_REGION)

# Commune names kept as they are in one copy (by its position in the region): homonyms of the
# first département's communes.
HOMONYMS: dict[int, str] = {1: "Saint-Gervin", 2: "Laverrière"}

_ORIGINAL_RIVERS = _REGION[0][3]
# Capitalised words that stay: they are common nouns or articles in a commune's name.
_KEPT = frozenset(
    {
        "Saint",
        "Sainte",
        "Le",
        "La",
        "Les",
        "Bourg",
        "Port",
        "Val",
        "Bois",
        "Côte",
        "Vignes",
        "Rivière",
        "Haut",
        "Bas",
        "Sec",
        "Cœur",
        "Mesnil",
        "Granges",
        "CA",
        "CC",
        "Agglomération",
        "Pays",
        "Coteaux",
        "Plateau",
    }
)
_SAINTS = (
    "Amand",
    "Aubin",
    "Avit",
    "Benoît",
    "Brice",
    "Clément",
    "Cyr",
    "Didier",
    "Éloi",
    "Fiacre",
    "Firmin",
    "Gatien",
    "Gildas",
    "Hilaire",
    "Hubert",
    "Jouin",
    "Julien",
    "Lambert",
    "Léger",
    "Loup",
    "Marcel",
    "Maur",
    "Médard",
    "Nazaire",
    "Omer",
    "Ouen",
    "Pardoux",
    "Rémy",
    "Rieul",
    "Romain",
    "Samson",
    "Savin",
    "Sulpice",
    "Thibault",
    "Tugdual",
    "Urbain",
    "Vaast",
    "Valery",
    "Vivien",
    "Wandrille",
    "Yrieix",
)
_SAINTES = ("Agathe", "Anne", "Bathilde", "Cécile", "Colombe", "Foy", "Luce", "Radegonde", "Reine", "Solange")
_ONSETS = (
    "Au",
    "Bar",
    "Bel",
    "Bou",
    "Bré",
    "Cha",
    "Cour",
    "Cré",
    "Fon",
    "Gra",
    "Lan",
    "Lu",
    "Mar",
    "Mon",
    "Nor",
    "Pra",
    "Ro",
    "Sau",
    "Sé",
    "Ter",
    "Ver",
    "Vil",
)
_MIDDLES = ("", "", "", "ni", "le", "ve", "ro", "sa", "mi", "ta", "ber", "nel", "mar", "tan")
_ENDINGS = (
    "ac",
    "ay",
    "ville",
    "court",
    "mont",
    "ange",
    "y",
    "ières",
    "eux",
    "ans",
    "ois",
    "elle",
    "ine",
    "ouse",
    "enne",
    "igny",
    "oux",
    "ès",
)
_WORD = re.compile(r"[^\W\d_]+")
_VOWELS = "aeiouyéèêAEIOUYÉÈÊ"
# Elision and articles once a word has changed: « d'Brévonne » → « de Brévonne »…
_ARTICLES = (
    (re.compile(rf"-d'(?=[^{_VOWELS}])"), "-de-"),
    (re.compile(rf" d'(?=[^{_VOWELS}])"), " de "),
    (re.compile(rf"\bde la (?=[{_VOWELS}])"), "de l'"),
)


def fold(name: str) -> str:
    """A name as the importer compares it: no accents, capitals, hyphens as spaces."""
    decomposed = unicodedata.normalize("NFKD", name.replace("œ", "oe").replace("Œ", "OE"))
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.split(r"[\s\-']+", bare.upper())).strip()


class _Renamer:
    """Rewrites the names of one département, one new word per old word.

    ``used`` is shared by the whole region: a new word is never drawn twice, nor equal to an
    old one, so no two départements share a renamed commune.
    """

    def __init__(self, code: str, rivers: tuple[str, str], used: set[str]) -> None:
        self.rng = random.Random(f"region-noms-{code}")
        self.used = used
        self.words: dict[str, str] = dict(zip(_ORIGINAL_RIVERS, rivers, strict=True))

    def rename(self, text: str) -> str:
        renamed = _WORD.sub(self._word, text)
        for pattern, replacement in _ARTICLES:
            renamed = pattern.sub(replacement, renamed)
        if re.fullmatch(r"Les [^\s-]+", renamed) and renamed[-1] not in "sxz":  # « Les Aubrelles »
            renamed += "s"
        return renamed

    def _word(self, match: re.Match[str]) -> str:
        word = match.group(0)
        if not word[0].isupper() or word in _KEPT:
            return word
        if word not in self.words:
            before = match.string[: match.start()]
            if before.endswith("Sainte-"):
                self.words[word] = self._fresh(lambda: _SAINTES[int(self.rng.random() * len(_SAINTES))])
            elif before.endswith("Saint-"):
                self.words[word] = self._fresh(lambda: _SAINTS[int(self.rng.random() * len(_SAINTS))])
            else:
                self.words[word] = self._fresh(self._root)
        return self.words[word]

    def _root(self) -> str:
        rng = self.rng
        onset = _ONSETS[int(rng.random() * len(_ONSETS))]
        middle = _MIDDLES[int(rng.random() * len(_MIDDLES))]
        ending = _ENDINGS[int(rng.random() * len(_ENDINGS))]
        start = onset + middle
        if start[-1] in _VOWELS and ending[0] in _VOWELS:  # « Au » + « ange » → « Aurange »
            start = start[:-1] if middle else start + "r"
        return start + ending

    def _fresh(self, draw: Callable[[], str]) -> str:
        for _ in range(1000):
            word = draw()
            if fold(word) not in self.used:
                self.used.add(fold(word))
                return word
        raise RuntimeError("plus de nom fictif disponible")  # pragma: no cover: the pools are large


def region_departements(count: int) -> tuple[Departement, ...]:
    """The first ``count`` départements of the region (1 to 8)."""
    check_departements(count)
    return tuple(Departement(code, nom, de_nom) for code, nom, de_nom, _ in _REGION[:count])


def check_departements(count: int) -> None:
    """Refuse a number of départements the region does not have (French message)."""
    if not 1 <= count <= MAX_DEPARTEMENTS:
        raise ValueError(
            f"nombre de départements entre 1 et {MAX_DEPARTEMENTS} attendu (la région fictive reprend "
            f"les codes d'Île-de-France : {', '.join(REGION_CODES)}) : « {count} »"
        )


@lru_cache(maxsize=4)
def build_region(count: int) -> Territory:
    """``count`` départements; one is the Val-de-Sarre itself (code 01), as ``build_territory``."""
    check_departements(count)
    if count == 1:
        return build_territory()
    originals = [row[2] for row in COMMUNE_ROWS]
    used = {fold(w) for text in (*originals, *EPCI_NAMES.values()) for w in _WORD.findall(text)}
    used |= {fold(w) for *_, rivers in _REGION for w in rivers} | {fold(w) for w in _KEPT}
    communes: list[Commune] = []
    rues = {}
    for position, (code, _, _, rivers) in enumerate(_REGION[:count]):
        renamer = _Renamer(code, rivers, used)
        if position == 0:
            names, epci = originals, dict(EPCI_NAMES)
        else:
            kept = HOMONYMS.get(position)
            names = [name if name == kept else renamer.rename(name) for name in originals]
            epci = {key: renamer.rename(name) for key, name in EPCI_NAMES.items()}
        copy = departement_communes(code, names, epci)
        rues.update(draw_streets(copy, STREETS_SEED if position == 0 else f"territoire-{code}"))
        communes.extend(copy)
    _check_names(communes)
    return assemble(region_departements(count), communes, rues, MOVE_OUT)


def _check_names(communes: list[Commune]) -> None:
    seen: dict[str, str] = {}
    for commune in communes:
        key = fold(commune.nom)
        if key in seen and commune.nom not in HOMONYMS.values():
            raise RuntimeError(f"commune en double : {commune.nom} ({seen[key]}, {commune.code_insee})")
        seen.setdefault(key, commune.code_insee)
