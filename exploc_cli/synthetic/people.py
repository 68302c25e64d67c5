"""Name lists for fictional people: common French surnames and first names drawn at random.

No real person is described: a name is a random pairing of a common surname and a common
first name, with a random birth date. Every character is encodable in cp1252.
"""

from __future__ import annotations

import random
from itertools import accumulate

from .draw import weighted

# Ordered from most to least common: the draw favours the head of the list, so that
# homonyms (MARTIN, BERNARD…) happen as they do in a real département.
SURNAMES: tuple[str, ...] = (
    "MARTIN", "BERNARD", "THOMAS", "PETIT", "ROBERT", "RICHARD", "DURAND", "DUBOIS",
    "MOREAU", "LAURENT", "SIMON", "MICHEL", "LEFEBVRE", "LEROY", "ROUX", "DAVID",
    "BERTRAND", "MOREL", "FOURNIER", "GIRARD", "BONNET", "DUPONT", "LAMBERT", "FONTAINE",
    "ROUSSEAU", "VINCENT", "MULLER", "LEFÈVRE", "FAURE", "ANDRÉ", "MERCIER", "BLANC",
    "GUÉRIN", "BOYER", "GARNIER", "CHEVALIER", "FRANÇOIS", "LEGRAND", "GAUTHIER", "GARCIA",
    "PERRIN", "ROBIN", "CLÉMENT", "MORIN", "NICOLAS", "HENRY", "ROUSSEL", "MATHIEU",
    "GAUTIER", "MASSON", "MARCHAND", "DUVAL", "DENIS", "DUMONT", "MARIE", "LEMAIRE",
    "NOËL", "MEYER", "DUFOUR", "MEUNIER", "BRUN", "BLANCHARD", "GIRAUD", "JOLY",
    "RIVIÈRE", "LUCAS", "BRUNET", "GAILLARD", "BARBIER", "ARNAUD", "MARTINEZ", "GÉRARD",
    "ROCHE", "RENARD", "SCHMITT", "ROY", "LEROUX", "COLIN", "VIDAL", "CARON", "PICARD",
    "ROGER", "FABRE", "AUBERT", "LEMOINE", "RENAUD", "DUMAS", "LACROIX", "OLIVIER",
    "PHILIPPE", "BOURGEOIS", "PIERRE", "BENOÎT", "REY", "LECLERC", "PAYET", "ROLLAND",
    "LECLERCQ", "GUILLAUME", "LECOMTE", "LOPEZ", "JEAN", "DUPUY", "GUILLOT", "HUBERT",
    "BERGER", "CARPENTIER", "SANCHEZ", "DUPUIS", "MOULIN", "LOUIS", "DESCHAMPS", "HUET",
    "VASSEUR", "PEREZ", "BOUCHER", "FLEURY", "ROYER", "KLEIN", "JACQUET", "ADAM", "PARIS",
    "POIRIER", "MARTY", "AUBRY", "GUYOT", "CARRÉ", "CHARLES", "RENAULT", "CHARPENTIER",
    "MÉNARD", "MAILLARD", "BARON", "BERTIN", "BAILLY", "HERVÉ", "SCHNEIDER", "FERNANDEZ",
    "LE GALL", "COLLET", "LÉGER", "BOUVIER", "JULIEN", "PRÉVOST", "MILLET", "PERROT",
    "DANIEL", "LE ROUX", "COUSIN", "GERMAIN", "BRETON", "BESSON", "LANGLOIS", "RÉMY",
    "LE GOFF", "PELLETIER", "LÉVÊQUE", "PERRIER", "LEBLANC", "BARRÉ", "LEBRUN", "MARCHAL",
    "WEBER", "MALLET", "HAMON", "BOULANGER", "JACOB", "MONNIER", "MICHAUD", "RODRIGUEZ",
    "GUICHARD", "GILLET", "ÉTIENNE", "GRONDIN", "POULAIN", "TESSIER", "CHEVALLIER",
    "COLLIN", "CHAUVIN", "DA SILVA", "BOUCHET", "GAY", "LEMAÎTRE", "BÉNARD", "MARÉCHAL",
    "HUMBERT", "REYNAUD", "ANTOINE", "HOARAU", "PERRET", "BARTHÉLEMY", "CORDIER", "PICHON",
    "LEJEUNE", "GILBERT", "LAMY", "DELAUNAY", "PASQUIER", "CARLIER", "LAPORTE", "LECŒUR",
    "BENALI", "BEN SAÏD", "DIALLO", "TRAORÉ", "NGUYEN", "DOS SANTOS", "PEREIRA", "FERREIRA",
    "HADDAD", "BOUZID", "KONATÉ", "CAMARA", "OLIVEIRA", "RODRIGUES", "YILMAZ", "ÖZTÜRK",
    "SAÏDI", "BELKACEM", "MENDY", "N'DIAYE", "DE SOUSA", "LE BIHAN", "DE LA FONTAINE",
    "MARTIN-DUPONT", "DUBOIS-FAURE", "BEN AHMED", "EL AMRANI", "KOWALSKI", "DIAS",
)

FEMALE_FIRST_NAMES: tuple[str, ...] = (
    "Marie", "Nathalie", "Isabelle", "Sylvie", "Catherine", "Sandrine", "Valérie",
    "Christine", "Stéphanie", "Céline", "Aurélie", "Julie", "Émilie", "Laura", "Camille",
    "Manon", "Sarah", "Léa", "Chloé", "Inès", "Fatima", "Aïcha", "Yasmina", "Nadia",
    "Sophie", "Véronique", "Martine", "Françoise", "Monique", "Hélène", "Élodie", "Audrey",
    "Mélanie", "Virginie", "Laetitia", "Karine", "Amandine", "Jessica", "Océane", "Marine",
    "Anaïs", "Noémie", "Justine", "Pauline", "Morgane", "Aminata", "Fatoumata", "Leïla",
    "Samia", "Zoé", "Jade", "Maëlle", "Brigitte", "Chantal", "Josiane", "Annie", "Nicole",
    "Danielle", "Béatrice", "Agnès", "Cécile", "Anne", "Claire", "Delphine", "Gaëlle",
    "Marie-Claire", "Anne-Sophie", "Marie-Thérèse", "Ludivine", "Coralie",
)

MALE_FIRST_NAMES: tuple[str, ...] = (
    "Jean", "Pierre", "Michel", "Philippe", "Alain", "Patrick", "Nicolas", "Christophe",
    "Laurent", "Stéphane", "Frédéric", "Sébastien", "David", "Julien", "Olivier", "Thierry",
    "Éric", "Pascal", "Daniel", "Bernard", "Jérôme", "Franck", "Cédric", "Mickaël",
    "Anthony", "Kévin", "Thomas", "Maxime", "Alexandre", "Romain", "Guillaume", "Mathieu",
    "Florian", "Jordan", "Quentin", "Lucas", "Hugo", "Théo", "Nathan", "Mohamed", "Ahmed",
    "Karim", "Rachid", "Mamadou", "Moussa", "Youssef", "Mehdi", "Bilal", "Yannick", "Loïc",
    "Gaël", "Hervé", "René", "Gérard", "Jacques", "Joël", "Noël", "Rémi", "Benoît",
    "François", "Jean-Pierre", "Jean-Luc", "Jean-Marc", "Jean-François", "Marc", "Antoine",
    "Vincent", "Fabrice", "Grégory", "Ludovic", "Damien", "Jonathan", "Dylan", "Enzo",
)

_SURNAME_CUM = tuple(accumulate(1.0 / (rank + 8) ** 0.9 for rank in range(len(SURNAMES))))
_FEMALE_CUM = tuple(accumulate(1.0 / (rank + 5) for rank in range(len(FEMALE_FIRST_NAMES))))
_MALE_CUM = tuple(accumulate(1.0 / (rank + 5) for rank in range(len(MALE_FIRST_NAMES))))


def draw_surname(rng: random.Random) -> str:
    """A surname, common ones more often."""
    return weighted(rng, SURNAMES, _SURNAME_CUM)


def draw_first_name(rng: random.Random, sexe: str) -> str:
    """A first name for ``sexe`` (``F`` or ``M``)."""
    if sexe == "F":
        return weighted(rng, FEMALE_FIRST_NAMES, _FEMALE_CUM)
    return weighted(rng, MALE_FIRST_NAMES, _MALE_CUM)


def draw_private_landlord(rng: random.Random) -> str:
    """A landlord who is a person, as written on an act (``M. Gérard ROUX``)."""
    sexe = "F" if rng.random() < 0.4 else "M"
    civilite = "Mme" if sexe == "F" else "M."
    return f"{civilite} {draw_first_name(rng, sexe)} {draw_surname(rng)}"


def draw_referent(rng: random.Random) -> str:
    """A social worker's name as a service writes it (``Claire FOURNIER``)."""
    sexe = "F" if rng.random() < 0.8 else "M"
    return f"{draw_first_name(rng, sexe)} {draw_surname(rng)}"
