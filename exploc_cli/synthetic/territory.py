"""The fictional département « Val-de-Sarre » (code 01): communes, streets, landlords.

Everything here is invented. The INSEE codes follow the real pattern (``01xxx``) so that
postcodes start with ``0`` and lose it in Excel, but the names are fictional and the pairs
(code, name) do not describe any real commune. ``region.py`` copies this département to make
a region of several (a :class:`Territory` may hold several départements).
"""

from __future__ import annotations

import csv
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .draw import weighted

DEPARTEMENT = "Val-de-Sarre"
CODE_DEPARTEMENT = "01"
STREETS_SEED = "val-de-sarre-territoire"


@dataclass(frozen=True, slots=True)
class Departement:
    """A département: its code, its name, and its name as « Département » or « CAF » is followed
    by it (``du Val-de-Sarre``, ``de la Haute-Lesse``)."""

    code: str
    nom: str
    de_nom: str


VAL_DE_SARRE = Departement(CODE_DEPARTEMENT, DEPARTEMENT, f"du {DEPARTEMENT}")


@dataclass(frozen=True, slots=True)
class Commune:
    """A fictional commune with its codes, EPCI and social-action sector."""

    code_insee: str
    code_postal: str
    nom: str
    epci: str
    secteur: str
    poids: float  # share of the département's tenant households
    nb_rues: int

    @property
    def departement(self) -> str:
        """The département's code: the first two characters of the INSEE code."""
        return self.code_insee[:2]


@dataclass(frozen=True, slots=True)
class Rue:
    """A street: its kind (``rue``, ``avenue``…) and its name (``des Lilas``)."""

    type_voie: str
    nom: str

    @property
    def libelle(self) -> str:
        return f"{self.type_voie} {self.nom}"


@dataclass(frozen=True, slots=True)
class Bailleur:
    """A landlord. ``genre`` is ``social``, ``PP`` (person), ``SCI`` (family SCI) or ``PM``."""

    nom: str
    genre: str
    code: str = ""

    @property
    def parc(self) -> str:
        return "public" if self.genre == "social" else "prive"

    @property
    def type_bailleur(self) -> str:
        """The value partners write in a ``Type bailleur`` column."""
        return {"social": "PM", "PP": "PP", "SCI": "SCI familiale", "PM": "PM"}[self.genre]


EPCI_NAMES: dict[str, str] = {
    "BSA": "CA Bourg-sur-Sarre Agglomération",
    "PA": "CA du Pays d'Aubrel",
    "VO": "CC du Val d'Orsange",
    "CS": "CC des Coteaux de la Sarre",
    "PM": "CC du Plateau de Montbrévin",
}

# (INSEE suffix, postcode, name, EPCI key, sector, weight, number of streets)
COMMUNE_ROWS: tuple[tuple[str, str, str, str, str, float, int], ...] = (
    ("110", "01000", "Bourg-sur-Sarre", "BSA", "MDS Centre", 30.0, 60),
    ("320", "01200", "Port-Aubrel", "PA", "MDS Ouest", 18.0, 45),
    ("205", "01300", "Montbrévin", "PM", "MDS Nord", 5.0, 18),
    ("350", "01400", "Saint-Aldric-du-Val", "VO", "MDS Est", 4.0, 16),
    ("410", "01500", "Vaumoret", "CS", "MDS Sud", 4.0, 16),
    ("215", "01600", "La Chênaie-sur-Sarre", "CS", "MDS Sud", 3.0, 14),
    ("122", "01000", "Saint-Ours-lès-Bourg", "BSA", "MDS Centre", 3.0, 12),
    ("125", "01090", "Brévanne", "BSA", "MDS Centre", 2.5, 10),
    ("131", "01090", "Lendrecourt", "BSA", "MDS Nord", 1.5, 7),
    ("137", "01090", "Vilvaux-sur-Sarre", "BSA", "MDS Nord", 1.2, 6),
    ("143", "01110", "Montsaulnes", "BSA", "MDS Centre", 1.0, 6),
    ("148", "01110", "Les Aubrelles", "BSA", "MDS Ouest", 1.0, 6),
    ("326", "01200", "Aubrel-la-Rivière", "PA", "MDS Ouest", 2.0, 9),
    ("331", "01210", "Fontcreuse", "PA", "MDS Ouest", 1.0, 6),
    ("337", "01210", "Rochebelle", "PA", "MDS Ouest", 0.9, 5),
    ("342", "01220", "Marsillac-le-Val", "PA", "MDS Sud", 0.8, 5),
    ("346", "01220", "Saint-Gervin", "PA", "MDS Ouest", 0.7, 5),
    ("211", "01300", "Bellenoue", "PM", "MDS Nord", 0.8, 5),
    ("219", "01310", "Castelmoret", "PM", "MDS Nord", 0.7, 5),
    ("224", "01310", "Ludrac", "PM", "MDS Nord", 0.6, 4),
    ("229", "01320", "Pradelles-d'Orsange", "PM", "MDS Nord", 0.6, 4),
    ("233", "01320", "Courbevaux", "PM", "MDS Est", 0.5, 4),
    ("356", "01400", "Orsange-le-Haut", "VO", "MDS Est", 1.0, 6),
    ("359", "01400", "Orsange-le-Bas", "VO", "MDS Est", 0.9, 5),
    ("363", "01410", "Vernissac", "VO", "MDS Est", 0.6, 4),
    ("368", "01410", "Sarrazac-les-Bois", "VO", "MDS Est", 0.5, 4),
    ("372", "01420", "Moranges", "VO", "MDS Est", 0.5, 4),
    ("377", "01420", "Saint-Bénilde", "VO", "MDS Est", 0.4, 4),
    ("415", "01500", "Cressonville", "CS", "MDS Sud", 0.9, 5),
    ("418", "01500", "Le Mesnil-Aubert", "CS", "MDS Sud", 0.7, 5),
    ("423", "01510", "Sainte-Odile-du-Val", "CS", "MDS Sud", 0.6, 4),
    ("427", "01510", "Vaudreuil-sur-Sarre", "CS", "MDS Sud", 0.5, 4),
    ("431", "01520", "Hautbois-la-Côte", "CS", "MDS Sud", 0.5, 4),
    ("218", "01600", "Brézolles-sur-Orsange", "CS", "MDS Sud", 0.6, 4),
    ("222", "01610", "Laverrière", "CS", "MDS Sud", 0.4, 4),
    ("226", "01610", "Saint-Prix-des-Vignes", "CS", "MDS Sud", 0.4, 4),
    ("238", "01700", "Ormoy-le-Sec", "PM", "MDS Nord", 0.4, 4),
    ("241", "01700", "Chavanges-le-Cœur", "PM", "MDS Nord", 0.4, 4),
    ("436", "01800", "Mirecombe", "CS", "MDS Sud", 0.4, 4),
    ("439", "01800", "Les Granges-d'Aubrel", "PA", "MDS Ouest", 0.4, 4),
)

_STREET_NAMES: tuple[str, ...] = (
    "de la République",
    "Jean Jaurès",
    "Pasteur",
    "du Général de Gaulle",
    "des Écoles",
    "de la Gare",
    "du Moulin",
    "des Tilleuls",
    "des Acacias",
    "du Stade",
    "de l'Église",
    "des Vignes",
    "du Château",
    "Émile Zola",
    "Jules Ferry",
    "Gambetta",
    "de la Paix",
    "Voltaire",
    "des Peupliers",
    "du 8 Mai 1945",
    "du 11 Novembre",
    "de la Liberté",
    "des Prés",
    "du Lavoir",
    "de la Fontaine",
    "des Jardins",
    "du Marché",
    "de Verdun",
    "Carnot",
    "Anatole France",
    "Marcel Pagnol",
    "de la Sarre",
    "du Port",
    "des Mariniers",
    "des Tanneurs",
    "Saint-Exupéry",
    "Pierre et Marie Curie",
    "Jean Moulin",
    "des Frères Lumière",
    "du Puits",
    "des Cerisiers",
    "de Bellevue",
    "des Roses",
    "Descartes",
    "Molière",
    "Racine",
    "Lamartine",
    "Paul Bert",
    "Condorcet",
    "des Hirondelles",
    "du Bois",
    "de la Forêt",
    "du Canal",
    "de l'Industrie",
    "des Coquelicots",
    "des Mésanges",
    "du Verger",
    "du Sacré-Cœur",
    "des Lilas",
    "Victor Hugo",
    "Alsace-Lorraine",
    "de la Mairie",
    "du Four",
    "des Remparts",
    "de l'Orsange",
    "des Blés",
    "des Charmes",
    "du Clos Fleuri",
    "de la Croix Blanche",
    "des Glycines",
    "Lebreton",
    "du Pressoir",
    "des Saules",
    "de la Tuilerie",
    "des Chênes",
    "Léon Blum",
    "Aristide Briand",
    "du Champ de Foire",
    "des Capucins",
    "de la Vieille Ville",
    "Saint-Nicolas",
    "des Maraîchers",
    "du Belvédère",
    "Georges Brassens",
    "Jacques Prévert",
    "Louise Michel",
    "Simone Veil",
    "de Strasbourg",
    "de Lyon",
    "de Paris",
    "des Vergers",
    "du Pont Neuf",
    "des Bleuets",
    "de la Côte",
    "du Calvaire",
    "de la Source",
    "des Écluses",
)

_STREET_TYPES: tuple[tuple[str, float], ...] = (
    ("rue", 55.0),
    ("avenue", 10.0),
    ("boulevard", 4.0),
    ("place", 4.0),
    ("allée", 7.0),
    ("chemin", 7.0),
    ("impasse", 6.0),
    ("route", 3.0),
    ("cours", 1.5),
    ("quai", 1.5),
    ("square", 1.0),
)

RESIDENCES: tuple[str, ...] = (
    "Résidence Les Acacias",
    "Cité des Peupliers",
    "Résidence du Parc",
    "Les Hauts de Sarre",
    "Résidence Belvédère",
    "Quartier des Tanneurs",
    "Résidence Les Tilleuls",
    "Cité Jardin",
    "Résidence Le Moulin",
    "Les Terrasses d'Aubrel",
)

BAILLEURS_SOCIAUX: tuple[Bailleur, ...] = (
    Bailleur("Sarre Habitat", "social", "SH"),
    Bailleur("Logis du Val", "social", "LDV"),
    Bailleur("Foyer Sarrois", "social", "FS"),
    Bailleur("Aubrel Habitat", "social", "AH"),
)
BAILLEUR_WEIGHTS: tuple[float, ...] = (45.0, 25.0, 18.0, 12.0)

BAILLEURS_PM: tuple[Bailleur, ...] = (
    Bailleur("Foncière du Val SAS", "PM"),
    Bailleur("Immobilière Sarroise SA", "PM"),
    Bailleur("Gestion Aubrel Immobilier", "PM"),
    Bailleur("Société Civile Immobilière Les Rives", "PM"),
)

SCI_FAMILY_PATTERN = "SCI Famille {nom}"

SCI_NAMES: tuple[str, ...] = (
    "SCI Les Tilleuls",
    "SCI du Moulin",
    "SCI La Sarre",
    "SCI Les Trois Chênes",
    "SCI Bellevue",
    "SCI Le Clos",
    "SCI du Port",
    "SCI Val Patrimoine",
)


@dataclass(frozen=True, slots=True)
class Territory:
    """One département, or a region of several: communes with their streets, in a fixed order."""

    communes: tuple[Commune, ...]
    rues: dict[str, tuple[Rue, ...]]  # by INSEE code
    cum_weights: tuple[float, ...]
    departements: tuple[Departement, ...] = (VAL_DE_SARRE,)
    move_out: float = 0.0  # share of moves to another commune that leave the département
    # By département code: its communes and their cumulative weights (filled when built).
    _by_departement: dict[str, tuple[tuple[Commune, ...], tuple[float, ...]]] = field(default_factory=dict)

    def draw_commune(self, rng: random.Random) -> Commune:
        return weighted(rng, self.communes, self.cum_weights)

    def draw_move(self, rng: random.Random, old: Commune) -> Commune:
        """The commune of a move away from ``old``'s commune (possibly the same one, drawn again).

        One département: any commune, as :meth:`draw_commune` (the same draws). A region: mostly
        in ``old``'s département; with probability ``move_out``, in another one, drawn uniformly.
        """
        if len(self.departements) == 1:
            return self.draw_commune(rng)
        code = old.departement
        if rng.random() < self.move_out:
            others = [d.code for d in self.departements if d.code != code]
            code = others[int(rng.random() * len(others))]
        communes, cum = self._by_departement[code]
        return weighted(rng, communes, cum)

    def draw_rue(self, rng: random.Random, commune: Commune) -> Rue:
        streets = self.rues[commune.code_insee]
        # The first streets of a town are its busiest: bias the draw towards them.
        return streets[int(len(streets) * rng.random() ** 1.6)]

    def communes_of(self, code: str) -> tuple[Commune, ...]:
        """The communes of département ``code``, in their fixed order."""
        return tuple(c for c in self.communes if c.departement == code)


def departement_communes(code: str, names: Sequence[str], epci: Mapping[str, str]) -> tuple[Commune, ...]:
    """The 40 communes of the fictional département under code ``code`` (INSEE ``{code}xxx``,
    postcodes ``{code}xxx``), named ``names`` (in the order of ``COMMUNE_ROWS``), EPCI by key."""
    return tuple(
        Commune(f"{code}{suffix}", f"{code}{cp[2:]}", nom, epci[key], secteur, poids, nb)
        for (suffix, cp, _, key, secteur, poids, nb), nom in zip(COMMUNE_ROWS, names, strict=True)
    )


def draw_streets(communes: Sequence[Commune], seed: str) -> dict[str, tuple[Rue, ...]]:
    """Each commune's streets, drawn from the shared list with their own seed."""
    rng = random.Random(seed)
    type_names = [t for t, _ in _STREET_TYPES]
    type_weights = [w for _, w in _STREET_TYPES]
    rues: dict[str, tuple[Rue, ...]] = {}
    for commune in communes:
        names = rng.sample(_STREET_NAMES, commune.nb_rues)
        rues[commune.code_insee] = tuple(Rue(rng.choices(type_names, weights=type_weights)[0], name) for name in names)
    return rues


def assemble(
    departements: Sequence[Departement],
    communes: Sequence[Commune],
    rues: dict[str, tuple[Rue, ...]],
    move_out: float = 0.0,
) -> Territory:
    """The territory over ``communes`` (of ``departements``), with its draw tables."""
    by_departement = {}
    for departement in departements:
        chosen = tuple(c for c in communes if c.departement == departement.code)
        by_departement[departement.code] = (chosen, _cumulative(chosen))
    return Territory(tuple(communes), rues, _cumulative(communes), tuple(departements), move_out, by_departement)


def _cumulative(communes: Sequence[Commune]) -> tuple[float, ...]:
    cum: list[float] = []
    total = 0.0
    for commune in communes:
        total += commune.poids
        cum.append(total)
    return tuple(cum)


def build_territory() -> Territory:
    """Build the département. It does not depend on the seed: the map is the same every time."""
    communes = departement_communes(CODE_DEPARTEMENT, [row[2] for row in COMMUNE_ROWS], EPCI_NAMES)
    return assemble((VAL_DE_SARRE,), communes, draw_streets(communes, STREETS_SEED))


def write_communes_csv(territory: Territory, path: Path) -> int:
    """Write ``code_insee;code_postal;commune;epci`` (UTF-8 with BOM, ``;``); return the rows."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow(["code_insee", "code_postal", "commune", "epci"])
        for commune in territory.communes:
            writer.writerow([commune.code_insee, commune.code_postal, commune.nom, commune.epci])
    return len(territory.communes)
