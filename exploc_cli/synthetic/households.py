"""Fictional households (ménages): who they are, where they live, who their landlord is."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import accumulate

from .draw import Counters, randint, weighted
from .people import draw_first_name, draw_private_landlord, draw_surname
from .territory import (
    BAILLEUR_WEIGHTS,
    BAILLEURS_PM,
    BAILLEURS_SOCIAUX,
    RESIDENCES,
    SCI_FAMILY_PATTERN,
    SCI_NAMES,
    Bailleur,
    Commune,
    Rue,
    Territory,
)


@dataclass(slots=True)
class Personne:
    """A member of the household named in partner files (titulaire or conjoint)."""

    sexe: str  # "F" or "M"
    prenom: str
    nom_naissance: str
    nom_usage: str  # the spouse's name for a married woman who uses it, else nom_naissance
    naissance: date

    @property
    def mariee(self) -> bool:
        return self.nom_usage != self.nom_naissance


@dataclass(slots=True)
class Logement:
    """A dwelling and its lease."""

    commune: Commune
    rue: Rue
    numero: int
    suffixe: str  # "", "bis", "ter"
    batiment: str  # "" or a letter
    appartement: str  # "" or a number
    residence: str  # "" or a residence name
    bailleur: Bailleur
    loyer: int  # centimes, rent without charges
    charges: int  # centimes
    date_bail: date
    reference_locataire: str = ""  # social landlords only
    numero_logement: str = ""  # social landlords only

    @property
    def parc(self) -> str:
        return self.bailleur.parc

    @property
    def loyer_cc(self) -> int:
        return self.loyer + self.charges


@dataclass(slots=True)
class Evenement:
    """A dated fact of the parcours, with the debt known at that date (centimes)."""

    code: str
    date: dt.date
    dette: int
    episode: int
    logement: int  # index in Menage.logements
    valeur: str = ""  # decision, or "" when the event has none
    reference: str = ""  # the partner's reference (signalement, dossier, réquisition)
    date_liee: dt.date | None = None  # audience of an assignation, constitution of an impayé
    dossier: str = ""  # the commissaire de justice's file for acts (and CFP requests)


@dataclass(slots=True)
class Suivi:
    """A follow-up by a social service."""

    service: str
    referent: str
    debut: date
    fin: date | None
    logement: int


@dataclass(slots=True)
class Menage:
    """A fictional household and everything that happens to it."""

    ident: str
    titulaire: Personne
    conjoint: Personne | None
    enfants: int
    allocataire: str  # 7-digit number, "" when not an allocataire
    organisme: str  # "CAF" or "MSA"
    allocataire_est_conjoint: bool
    cotitulaire: bool  # the conjoint signed the lease too: acts are served to each of them
    aide: int  # monthly AL/APL in centimes
    tiers_payant: bool
    etude: str  # the commissaire de justice firm: "lefort" or "dupuis"
    logements: list[Logement] = field(default_factory=list)
    evenements: list[Evenement] = field(default_factory=list)
    suivi: Suivi | None = None

    def personne(self, role: str) -> Personne:
        if role == "conjoint" and self.conjoint is not None:
            return self.conjoint
        return self.titulaire


_BAILLEUR_CUM = tuple(accumulate(BAILLEUR_WEIGHTS))


def _birth_date(rng: random.Random, first_year: int, last_year: int) -> date:
    start = date(first_year, 1, 1).toordinal()
    return date.fromordinal(randint(rng, start, date(last_year, 12, 31).toordinal()))


def draw_menage(rng: random.Random, index: int, territory: Territory) -> Menage:
    """Draw a household (people, benefits) and its first dwelling."""
    couple = rng.random() < 0.42
    sexe = "F" if rng.random() < (0.45 if couple else 0.62) else "M"
    surname = draw_surname(rng)
    titulaire = Personne(sexe, draw_first_name(rng, sexe), surname, surname, _birth_date(rng, 1946, 2004))
    conjoint: Personne | None = None
    if couple:
        other = "M" if sexe == "F" else "F"
        year = min(2004, max(1946, titulaire.naissance.year + randint(rng, -6, 6)))
        maiden = draw_surname(rng)
        conjoint = Personne(other, draw_first_name(rng, other), maiden, maiden, _birth_date(rng, year, year))
        if rng.random() < 0.6:  # married: the wife may use her husband's name
            wife = titulaire if sexe == "F" else conjoint
            husband = conjoint if sexe == "F" else titulaire
            wife.nom_usage = husband.nom_naissance
    enfants = _draw_children(rng, couple)
    allocataire = ""
    if rng.random() < (0.78 if enfants else 0.5):
        allocataire = f"{randint(rng, 0, 9_999_999):07d}"
        if rng.random() < 0.3:  # many numbers start with 0
            allocataire = "0" + allocataire[1:]
    menage = Menage(
        ident=f"M{index:06d}",
        titulaire=titulaire,
        conjoint=conjoint,
        enfants=enfants,
        allocataire=allocataire,
        organisme="MSA" if rng.random() < 0.06 else "CAF",
        allocataire_est_conjoint=conjoint is not None and rng.random() < 0.2,
        cotitulaire=conjoint is not None and rng.random() < 0.7,
        aide=randint(rng, 90, 380) * 100 + randint(rng, 0, 99) if allocataire else 0,
        tiers_payant=bool(allocataire) and rng.random() < 0.7,
        etude="dupuis" if rng.random() < 0.2 else "lefort",
    )
    return menage


def _draw_children(rng: random.Random, couple: bool) -> int:
    draw = rng.random()
    if couple:
        thresholds = (0.3, 0.55, 0.8, 0.93)
    else:
        thresholds = (0.5, 0.75, 0.92, 1.0)
    return sum(1 for limit in thresholds if draw >= limit)


def draw_logement(
    rng: random.Random,
    territory: Territory,
    counters: Counters,
    lease_before: date,
    commune: Commune | None = None,
    rue: Rue | None = None,
) -> Logement:
    """Draw a dwelling, its landlord and its lease (signed before ``lease_before``)."""
    commune = commune or territory.draw_commune(rng)
    rue = rue or territory.draw_rue(rng, commune)
    public = rng.random() < (0.5 if commune.poids >= 10 else 0.3)
    bailleur = _draw_bailleur(rng, public)
    draw = rng.random()
    suffixe = "bis" if draw < 0.06 else "ter" if draw < 0.08 else ""
    batiment = appartement = residence = ""
    if public:
        if rng.random() < 0.6:
            batiment = "ABCDEF"[int(rng.random() * 6)]
        appartement = str(randint(rng, 1, 80))
        if rng.random() < 0.4:
            residence = RESIDENCES[int(rng.random() * len(RESIDENCES))]
        loyer = randint(rng, 260, 560) * 100 + randint(rng, 0, 99)
        charges = randint(rng, 40, 140) * 100
    else:
        if rng.random() < 0.35:
            appartement = str(randint(rng, 1, 12))
        loyer = randint(rng, 380, 950) * 100
        charges = randint(rng, 0, 12) * 1000
    days_back = randint(rng, 120, 365 * 14)
    logement = Logement(
        commune=commune,
        rue=rue,
        numero=1 + int(150 * rng.random() ** 2),
        suffixe=suffixe,
        batiment=batiment,
        appartement=appartement,
        residence=residence,
        bailleur=bailleur,
        loyer=loyer,
        charges=charges,
        date_bail=lease_before - timedelta(days=days_back),
    )
    if public:
        number = counters.next("locataire")
        logement.reference_locataire = f"{bailleur.code}{number:07d}"
        flat = number % 9000 + 100
        logement.numero_logement = f"{bailleur.code}-{commune.code_insee[2:]}-{flat:04d}"
    return logement


def _draw_bailleur(rng: random.Random, public: bool) -> Bailleur:
    if public:
        return weighted(rng, BAILLEURS_SOCIAUX, _BAILLEUR_CUM)
    draw = rng.random()
    if draw < 0.62:
        return Bailleur(draw_private_landlord(rng), "PP")
    if draw < 0.88:
        if rng.random() < 0.5:
            return Bailleur(SCI_NAMES[int(rng.random() * len(SCI_NAMES))], "SCI")
        return Bailleur(SCI_FAMILY_PATTERN.format(nom=draw_surname(rng).title()), "SCI")
    return Bailleur(BAILLEURS_PM[int(rng.random() * len(BAILLEURS_PM))].nom, "PM")
