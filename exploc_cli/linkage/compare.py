"""Scoring a pair of records: evidence for and against « same household », in bits.

The weights follow the Fellegi–Sunter idea (agreement on a rare value is strong evidence,
disagreement counts against) with fixed values rather than frequencies learnt from the data,
so that a pair's score never changes when other rows arrive: linking incrementally and
relinking everything give the same households. Domain knowledge the generic tools lack:
a household has one numéro allocataire; the partner's reference is shared by the acts of one
procedure; a conjoint named instead of the titulaire shares the surname and the dwelling;
neighbours with the same name live in different flats; a married woman carries two surnames.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import NamedTuple

from rapidfuzz.distance import OSA, JaroWinkler, Levenshtein

from .common import common_names, first_name_sex
from .keys import LinkRecord, Person

LINK_THRESHOLD = 16.0  # at or above: same household (unless a constraint forbids it)
REVIEW_THRESHOLD = 11.0  # between the two: a human decides (exploc menages a-verifier)
SAME_PERIOD_DAYS = 365
# Two rents of one lease differ by the yearly revision (IRL, a few % a year) and by rounding or
# what a partner counts in: beyond this margin plus the revision, they are two leases.
REVISION_MARGIN = 0.05
REVISION_PER_YEAR = 0.035


class Label:
    """A French label formatted only when shown: scoring builds hundreds of thousands of them."""

    __slots__ = ("args", "template")

    def __init__(self, template: str, *args: object) -> None:
        self.template = template
        self.args = args

    def __str__(self) -> str:
        return self.template.format(*self.args)

    def __eq__(self, other: object) -> bool:
        return str(self) == str(other)

    def __hash__(self) -> int:
        return hash(str(self))

    def plus(self, suffix: str) -> Label:
        return Label(self.template + suffix, *self.args)


class Evidence(NamedTuple):  # a tuple: scoring builds millions of them
    code: str
    label: Label | str  # French, for « exploc menages expliquer »
    weight: float


@dataclass(frozen=True, slots=True)
class PairScore:
    total: float
    evidence: tuple[Evidence, ...]

    def describe(self) -> str:
        return ", ".join(f"{e.label} ({e.weight:+g})" for e in self.evidence)


_COUPLE = Evidence("couple", "un prénom de femme et un prénom d'homme : le couple", 3.0)
_PERIOD = Evidence("periode", "signalés dans le même logement à moins d'un an d'écart", 2.0)


def score_pair(a: LinkRecord, b: LinkRecord) -> PairScore:
    """All the evidence that ``a`` and ``b`` concern the same household."""
    evidence: list[Evidence] = []
    same_dwelling = _same_dwelling(a, b)
    # reported in the same dwelling within a year: one procedure, one household
    together = same_dwelling and abs((a.first_date - b.first_date).days) <= SAME_PERIOD_DAYS
    persons = _persons(a, b, same_dwelling, together)
    keys = _household_keys(a, b)
    if any(e.code == "reference" for e in keys) and any(e.weight < 0 for e in persons):
        if same_dwelling:
            # One procedure file, one lease: acts are served to each co-titulaire by name.
            persons = [Evidence("cotitulaire", "autre titulaire du même dossier, même logement", 0.0)]
        else:
            # Other persons elsewhere: two firms' numbering may collide; the reference weighs less.
            keys = [
                Evidence(e.code, Label(str(e.label)).plus(", mais autres personnes ailleurs"), 6.0)
                if e.code == "reference"
                else e
                for e in keys
            ]
    location = _location(a, b, same_dwelling)
    if same_dwelling and not keys and any(e.code == "loyer" and e.weight > 0 for e in location):
        if sum(e.weight for e in persons) < 0:
            # Other persons on the same lease (same dwelling, same rent): a conjoint who is not
            # married, or a successor tenant. Names cannot tell: at most a pair to review.
            persons = [Evidence("autre_personne", "autres personnes, même logement et même loyer", 0.0)]
    evidence.extend(persons)
    evidence.extend(keys)
    evidence.extend(location)
    return PairScore(round(sum(e.weight for e in evidence), 2), tuple(evidence))


# -- persons -----------------------------------------------------------------------------
def _persons(a: LinkRecord, b: LinkRecord, same_dwelling: bool, together: bool) -> list[Evidence]:
    """The best pairing of the persons named on each side (titulaire or conjoint)."""
    best: list[Evidence] | None = None
    best_total = float("-inf")
    for i, p in enumerate(a.persons):
        for j, q in enumerate(b.persons):
            found = _person(p, q, same_dwelling, together)
            if i != j and found and sum(e.weight for e in found) > 0:
                found = [*found, Evidence("conjoint", "l'un nomme le conjoint de l'autre", 0.0)]
            total = sum(e.weight for e in found)
            if total > best_total:
                best, best_total = found, total
    return best or []


def _person(p: Person, q: Person, same_dwelling: bool, together: bool) -> list[Evidence]:
    surname = _surname(p, q)
    first = _first_name(p.firstname, q.firstname)
    direct = [e for e in (surname, first) if e is not None]
    birth = _birth(p.birth, q.birth)
    if surname is not None and surname.weight < 0:
        swapped = _swapped(p, q)
        if swapped is not None:
            direct = swapped
        elif (
            same_dwelling
            and first is not None
            and first.code == "prenom"
            and first.weight >= 4
            and (birth is None or birth.weight > 0)
            and (birth is not None or first_name_sex(p.firstname) != "M")
        ):
            # The same first name in the same dwelling under another surname: a married woman
            # named by her husband's name on one side and her own on the other (a man's first
            # name too when the birth dates agree: his surname mistyped beyond a keystroke). The
            # same period is no evidence here: a building holds many women of one first name.
            changed = Evidence(
                "nom", Label("autre nom, même prénom, même logement ({} / {})", p.surnames[0], q.surnames[0]), 0.0
            )
            direct = [changed, first]
    elif surname is not None and surname.weight > 0 and first is not None and first.weight < 0 and same_dwelling:
        # Same surname in the same dwelling with another first name: the conjoint or another
        # member of the household named on one side, not evidence against; their birth dates
        # differ as two persons' do. Reported at the same period, it is evidence for.
        other = Evidence("cohabitant", Label("autre prénom, même logement ({} / {})", p.firstname, q.firstname), 0.0)
        found = [surname, other] + ([_PERIOD] if together else [])
        sexes = {first_name_sex(p.firstname), first_name_sex(q.firstname)}
        if together and sexes == {"F", "M"} and surname.weight > 5:
            found.append(_COUPLE)  # a woman's and a man's first name: the couple, one named on each side
        return found
    return direct + ([birth] if birth is not None else [])


def _surname(p: Person, q: Person) -> Evidence | None:
    common_surnames, _ = common_names()
    shared = [s for s in p.surnames if s in q.surnames]
    if shared:
        name = shared[0]
        variant = (
            "" if (shared[0] == p.surnames[0] and shared[0] == q.surnames[0]) else " (nom de naissance ou d'usage)"
        )
        if name in common_surnames:
            return Evidence("nom", Label("même nom, très courant ({}){}", name, variant), 5.0)
        return Evidence("nom", Label("même nom ({}){}", name, variant), 9.0)
    if any(_one_typo(s, t) for s in p.surnames for t in q.surnames):
        return Evidence("nom", Label("noms à une faute près ({} / {})", p.surnames[0], q.surnames[0]), 5.0)
    similarity = max(_similar(s, t) for s in p.surnames for t in q.surnames)
    if similarity >= 0.92 or _contains(p.surnames, q.surnames):
        return Evidence("nom", Label("noms voisins ({} / {})", p.surnames[0], q.surnames[0]), 3.0)
    return Evidence("nom", Label("noms différents ({} / {})", p.surnames[0], q.surnames[0]), -4.0)


def _first_name(f: str, g: str) -> Evidence | None:
    if not f or not g:
        return None
    _, common_first = common_names()
    if f == g:
        return Evidence(
            "prenom",
            Label("même prénom{} ({})", ", très courant" if f in common_first else "", f),
            4.0 if f in common_first else 6.0,
        )
    if _one_typo(f, g):
        return Evidence("prenom", Label("prénoms à une faute près ({} / {})", f, g), 4.0)
    if _similar(f, g) >= 0.9 or f.startswith(g) or g.startswith(f):
        return Evidence("prenom", Label("prénoms voisins ({} / {})", f, g), 2.0)
    return Evidence("prenom", Label("prénoms différents ({} / {})", f, g), -3.5)


def _swapped(p: Person, q: Person) -> list[Evidence] | None:
    """Nom and prénom exchanged on one side (« Jean DUPONT » read as nom JEAN, prénom DUPONT)."""
    if not p.firstname or not q.firstname:
        return None
    if any(_same_or_typo(p.firstname, s) for s in q.surnames) and any(
        _same_or_typo(q.firstname, s) for s in p.surnames
    ):
        return [
            Evidence(
                "inversion",
                Label("nom et prénom inversés ({} {} / {} {})", p.surnames[0], p.firstname, q.surnames[0], q.firstname),
                8.0,
            )
        ]
    return None


def _same_or_typo(x: str, y: str) -> bool:
    return x == y or _one_typo(x, y)


def _birth(d: date | None, e: date | None) -> Evidence | None:
    if d is None or e is None:
        return None
    if d == e:
        return Evidence("naissance", Label("même date de naissance ({:%d/%m/%Y})", d), 10.0)
    if _date_typo(d, e):
        return Evidence("naissance", Label("dates de naissance voisines ({:%d/%m/%Y} / {:%d/%m/%Y})", d, e), 3.0)
    return Evidence("naissance", Label("dates de naissance différentes ({:%d/%m/%Y} / {:%d/%m/%Y})", d, e), -8.0)


def _date_typo(d: date, e: date) -> bool:
    """One field wrong by a keystroke, or day and month exchanged."""
    if (d.day, d.month, d.year) == (e.month, e.day, e.year):
        return True
    same = [d.day == e.day, d.month == e.month, d.year == e.year]
    if sum(same) != 2:
        return False
    field = same.index(False)
    x, y = ((d.day, e.day), (d.month, e.month), (d.year, e.year))[field]
    return Levenshtein.distance(str(x), str(y)) <= 1


# -- household keys and location ---------------------------------------------------------
def _household_keys(a: LinkRecord, b: LinkRecord) -> list[Evidence]:
    evidence = []
    if a.allocataire and b.allocataire:
        if a.allocataire == b.allocataire:
            evidence.append(Evidence("allocataire", Label("même numéro allocataire ({})", a.allocataire), 18.0))
        elif one_keystroke(a.allocataire, b.allocataire):
            evidence.append(
                Evidence(
                    "allocataire", Label("numéros allocataires voisins ({} / {})", a.allocataire, b.allocataire), 3.0
                )
            )
        else:
            evidence.append(
                Evidence(
                    "allocataire",
                    Label("numéros allocataires différents ({} / {})", a.allocataire, b.allocataire),
                    -12.0,
                )
            )
    if a.reference and a.reference == b.reference:
        evidence.append(
            Evidence("reference", Label("même référence du partenaire ({})", a.reference.rsplit(":", 1)[-1]), 14.0)
        )
    return evidence


def _same_dwelling(a: LinkRecord, b: LinkRecord) -> bool:
    return bool(a.address and a.address == b.address and _same_place(a, b) and not _other_flat(a, b))


def _location(a: LinkRecord, b: LinkRecord, same_dwelling: bool) -> list[Evidence]:
    if a.address and a.address == b.address and _same_place(a, b):
        found = [Evidence("adresse", Label("même adresse ({})", a.address), 8.0)]
        if a.flat and b.flat:
            if a.flat == b.flat:
                found.append(Evidence("logement", Label("même logement ({})", a.flat), 2.0))
            elif _other_flat(a, b):
                found.append(Evidence("logement", Label("logements différents ({} / {})", a.flat, b.flat), -6.0))
        if same_dwelling:
            rent = _rent(a, b)
            if rent is not None:
                found.append(rent)
        return found
    if not _comparable_place(a, b):
        return []
    if not _same_place(a, b):
        return [Evidence("commune", "communes différentes", -1.5)]
    if a.street and a.street == b.street:
        return [Evidence("adresse", Label("même rue, autre numéro ({})", a.street), 0.5)]
    return [Evidence("commune", "même commune, autre adresse", 0.5)]


def _rent(a: LinkRecord, b: LinkRecord) -> Evidence | None:
    """The rent two reports of one address state: the same to the cent is the same lease; far
    apart in the same year, two leases (a large building holds many households)."""
    if a.rent is None or b.rent is None:
        return None
    x, y = (a.rent.loyer, b.rent.loyer) if a.rent.loyer and b.rent.loyer else (a.rent.quittance, b.rent.quittance)
    if not x or not y:
        return None
    if x == y:
        return Evidence("loyer", Label("même loyer ({})", _euros(x)), 4.0)
    years = abs((a.first_date - b.first_date).days) / 365.25
    if abs(x - y) > max(x, y) * (REVISION_MARGIN + REVISION_PER_YEAR * years):
        return Evidence("loyer", Label("loyers différents ({} / {})", _euros(x), _euros(y)), -4.0)
    return None


def _euros(cents: int) -> str:
    return f"{cents // 100:,}".replace(",", "\u202f") + f",{cents % 100:02d} €"


def _same_place(a: LinkRecord, b: LinkRecord) -> bool:
    if a.postcode and b.postcode:
        return a.postcode == b.postcode
    return bool(a.commune and a.commune == b.commune)


def _comparable_place(a: LinkRecord, b: LinkRecord) -> bool:
    return bool((a.postcode and b.postcode) or (a.commune and b.commune))


def _other_flat(a: LinkRecord, b: LinkRecord) -> bool:
    """Both number a flat and the numbers differ (« BAT A APPT 56 » and « APPT 56 » are one flat;
    « RESIDENCE LES ACACIAS » numbers nothing)."""
    if not a.flat or not b.flat:
        return False
    x, y = _flat_numbers(a.flat), _flat_numbers(b.flat)
    return bool(x and y and x != y)


@lru_cache(maxsize=16384)
def _flat_numbers(flat: str) -> frozenset[str]:
    return frozenset(re.findall(r"\d+", flat))


@lru_cache(maxsize=262144)
def _one_typo(x: str, y: str) -> bool:
    """One keystroke apart (a letter wrong, missing, added, or two exchanged), in names of 4 letters or more."""
    return min(len(x), len(y)) >= 4 and OSA.distance(x, y, score_cutoff=1) <= 1


def one_keystroke(x: str, y: str) -> bool:
    """Two numbers one keystroke apart: a digit wrong, missing or added, or two exchanged."""
    return OSA.distance(x, y, score_cutoff=1) <= 1


@lru_cache(maxsize=262144)
def _similar(x: str, y: str) -> float:
    return float(JaroWinkler.normalized_similarity(x, y))


def _contains(names: tuple[str, ...], others: tuple[str, ...]) -> bool:
    """A compound surname and one of its parts (MARTINDURAND / MARTIN), long enough to mean it."""
    return any(len(s) >= 4 and len(t) >= 4 and (s in t or t in s) for s in names for t in others)
