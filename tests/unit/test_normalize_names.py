"""exploc_cli.normalize.names: civility, nom d'usage, nom de naissance and prénoms."""

from __future__ import annotations

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from exploc_cli.normalize import fold
from exploc_cli.normalize.names import (
    ParsedNames,
    Person,
    parse_civility,
    parse_full_name,
    parse_name_fields,
)

P = Person

FULL_NAMES: list[tuple[str, Person, Person | None]] = [
    ("M. DUPONT Jean", P("M", "DUPONT", None, "Jean"), None),
    ("Mme Sophie MARTIN", P("MME", "MARTIN", None, "Sophie"), None),
    ("DUPONT Jean-Pierre", P(None, "DUPONT", None, "Jean-Pierre"), None),
    ("Jean-Pierre Dupont", P(None, "DUPONT", None, "Jean-Pierre"), None),
    ("Jean-Pierre DUPONT", P(None, "DUPONT", None, "Jean-Pierre"), None),
    ("MME MARTIN ÉPOUSE DURAND SOPHIE", P("MME", "DURAND", "MARTIN", "Sophie"), None),
    ("Mme DURAND née MARTIN Sophie", P("MME", "DURAND", "MARTIN", "Sophie"), None),
    ("Mme Sophie Durand née Martin", P("MME", "DURAND", "MARTIN", "Sophie"), None),
    ("Sophie MARTIN épouse DURAND", P(None, "DURAND", "MARTIN", "Sophie"), None),
    ("DURAND Sophie née MARTIN", P(None, "DURAND", "MARTIN", "Sophie"), None),
    ("Mme DUPONT (née MARTIN) Sophie", P("MME", "DUPONT", "MARTIN", "Sophie"), None),
    ("MME MARTIN EP DURAND SOPHIE", P("MME", "DURAND", "MARTIN", "Sophie"), None),
    ("MME MARTIN EPSE DURAND SOPHIE", P("MME", "DURAND", "MARTIN", "Sophie"), None),
    (
        "M. et Mme DUPONT Jean et Marie",
        P("M", "DUPONT", None, "Jean"),
        P("MME", "DUPONT", None, "Marie"),
    ),
    ("M. ou Mme DUPONT", P("M", "DUPONT", None, None), P("MME", "DUPONT", None, None)),
    (
        "Mr et Mme BEN SAID Karim",
        P("M", "BEN SAID", None, "Karim"),
        P("MME", "BEN SAID", None, None),
    ),
    ("M. & Mme DUPONT Jean", P("M", "DUPONT", None, "Jean"), P("MME", "DUPONT", None, None)),
    ("Monsieur et Madame DUPONT", P("M", "DUPONT", None, None), P("MME", "DUPONT", None, None)),
    ("Époux DUPONT", P("M", "DUPONT", None, None), P("MME", "DUPONT", None, None)),
    (
        "M. DUPONT Jean et Mme MARTIN Sophie",
        P("M", "DUPONT", None, "Jean"),
        P("MME", "MARTIN", None, "Sophie"),
    ),
    ("Jean et Marie DUPONT", P(None, "DUPONT", None, "Jean"), P(None, "DUPONT", None, "Marie")),
    ("DUPONT Jean et Marie", P(None, "DUPONT", None, "Jean"), P(None, "DUPONT", None, "Marie")),
    ("Mlle N'DIAYE Awa", P("MME", "N'DIAYE", None, "Awa"), None),
    ("Melle N’DIAYE Awa", P("MME", "N'DIAYE", None, "Awa"), None),
    ("Mademoiselle Awa N'DIAYE", P("MME", "N'DIAYE", None, "Awa"), None),
    ("M. DE LA TOUR Jean", P("M", "DE LA TOUR", None, "Jean"), None),
    ("Jean de la TOUR", P(None, "DE LA TOUR", None, "Jean"), None),
    ("DU PONT Marie", P(None, "DU PONT", None, "Marie"), None),
    ("LE GALL Anne", P(None, "LE GALL", None, "Anne"), None),
    ("Anne LE GALL", P(None, "LE GALL", None, "Anne"), None),
    ("BEN SAÏD Karim", P(None, "BEN SAÏD", None, "Karim"), None),
    ("KARIM BEN SAID", P(None, "BEN SAID", None, "Karim"), None),
    ("EL MANSOURI FATIMA", P(None, "EL MANSOURI", None, "Fatima"), None),
    ("VAN DAMME Jean", P(None, "VAN DAMME", None, "Jean"), None),
    ("von BERG Hans", P(None, "VON BERG", None, "Hans"), None),
    ("M. D'ORNANO Paul", P("M", "D'ORNANO", None, "Paul"), None),
    ("M. D' ORNANO Paul", P("M", "D'ORNANO", None, "Paul"), None),
    ("DA SILVA Maria", P(None, "DA SILVA", None, "Maria"), None),
    ("MARTIN-DURAND Paul", P(None, "MARTIN-DURAND", None, "Paul"), None),
    ("MARTIN - DURAND Paul", P(None, "MARTIN-DURAND", None, "Paul"), None),
    ("DUPONT, Jean", P(None, "DUPONT", None, "Jean"), None),
    ("M. DUPONT, Jean", P("M", "DUPONT", None, "Jean"), None),
    ("DUPONT, Jean et Marie", P(None, "DUPONT", None, "Jean"), P(None, "DUPONT", None, "Marie")),
    ("  M.\u00a0 DUPONT   Jean ", P("M", "DUPONT", None, "Jean"), None),
    ("M.DUPONT Jean", P("M", "DUPONT", None, "Jean"), None),
    ("Mme LEFÈVRE Éloïse", P("MME", "LEFÈVRE", None, "Éloïse"), None),
    ("MME LEFEVRE ELOISE", P("MME", "LEFEVRE", None, "Eloise"), None),
    ("Veuve DUPONT Marie", P("MME", "DUPONT", None, "Marie"), None),
    ("Vve MARTIN", P("MME", "MARTIN", None, None), None),
    ("Madame Veuve DUPONT", P("MME", "DUPONT", None, None), None),
    ("Mme Sophie MARTIN veuve DURAND", P("MME", "DURAND", "MARTIN", "Sophie"), None),
    ("DIALLO MAMADOU", P(None, "DIALLO", None, "Mamadou"), None),
    ("Mamadou Diallo", P(None, "DIALLO", None, "Mamadou"), None),
    ("YILMAZ MEHMET", P(None, "YILMAZ", None, "Mehmet"), None),
    ("MEHMET YILMAZ", P(None, "YILMAZ", None, "Mehmet"), None),
    ("DOS SANTOS JOAO", P(None, "DOS SANTOS", None, "Joao"), None),
    ("TRAORE AMINATA", P(None, "TRAORE", None, "Aminata"), None),
    ("DUPONT JEAN PIERRE", P(None, "DUPONT", None, "Jean Pierre"), None),
    ("Marie Claire DUPONT", P(None, "DUPONT", None, "Marie Claire"), None),
    ("DUPONT", P(None, "DUPONT", None, None), None),
    ("Dr DUPONT Jean", P(None, "DUPONT", None, "Jean"), None),
    ("M. DUPONT J.", P("M", "DUPONT", None, "J."), None),
]


@pytest.mark.parametrize(("text", "titulaire", "second"), FULL_NAMES)
def test_parse_full_name(text: str, titulaire: Person, second: Person | None) -> None:
    parsed = parse_full_name(text)
    assert parsed.titulaire == titulaire
    assert parsed.second == second


@pytest.mark.parametrize(
    "text",
    [
        "M. DUPONT Jean",
        "Jean DUPONT",
        "DUPONT JEAN",
        "Sophie Martin",
        "MME MARTIN ÉPOUSE DURAND SOPHIE",
    ],
)
def test_clear_order_is_certain(text: str) -> None:
    assert parse_full_name(text).ordre_incertain is False


@pytest.mark.parametrize(
    ("text", "nom", "prenoms"),
    [
        ("MARTIN JEAN", "MARTIN", "Jean"),  # both are first names: NOM Prénom is assumed
        ("JEAN MARTIN", "MARTIN", "Jean"),
        ("Marie Claire", "MARIE", "Claire"),
        ("DUPONT KEVINE", "DUPONT", "Kevine"),  # unknown first name: NOM Prénom assumed
        ("BERNARD THOMAS", "BERNARD", "Thomas"),
    ],
)
def test_ambiguous_order_is_flagged(text: str, nom: str, prenoms: str) -> None:
    parsed = parse_full_name(text)
    assert parsed.ordre_incertain is True
    assert (parsed.titulaire.nom, parsed.titulaire.prenoms) == (nom, prenoms)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "nom vide"),
        ("   ", "nom vide"),
        ("Mme", "nom vide : seule une civilité est indiquée (« Mme »)"),
        ("M. et Mme", "nom vide : seule une civilité est indiquée (« M. et Mme »)"),
        ("- . -", "nom vide : « - . - »"),
        ("Jean et Marie", "nom de famille introuvable : « Jean et Marie »"),
    ],
)
def test_parse_full_name_errors(text: str, message: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_full_name(text)
    assert str(info.value) == message


FIELDS: list[tuple[str, str, Person, Person | None]] = [
    ("DUPONT", "Jean", P(None, "DUPONT", None, "Jean"), None),
    ("dupont", "jean-pierre", P(None, "DUPONT", None, "Jean-Pierre"), None),
    ("DURAND épouse MARTIN", "Sophie", P(None, "MARTIN", "DURAND", "Sophie"), None),
    ("DURAND née MARTIN", "Sophie", P(None, "DURAND", "MARTIN", "Sophie"), None),
    ("Mme DURAND", "Sophie", P("MME", "DURAND", None, "Sophie"), None),
    (
        "M. et Mme DUPONT",
        "Jean et Marie",
        P("M", "DUPONT", None, "Jean"),
        P("MME", "DUPONT", None, "Marie"),
    ),
    ("M. et Mme DUPONT", "", P("M", "DUPONT", None, None), P("MME", "DUPONT", None, None)),
    ("DUPONT", "Jean et Marie", P(None, "DUPONT", None, "Jean"), P(None, "DUPONT", None, "Marie")),
    ("DUPONT", "Jean / Marie", P(None, "DUPONT", None, "Jean"), P(None, "DUPONT", None, "Marie")),
    (
        "M. DUPONT et Mme MARTIN",
        "Jean et Sophie",
        P("M", "DUPONT", None, "Jean"),
        P("MME", "MARTIN", None, "Sophie"),
    ),
    ("LE GALL", "Anne", P(None, "LE GALL", None, "Anne"), None),
    ("DE LA TOUR", "", P(None, "DE LA TOUR", None, None), None),
    ("MARTIN DURAND", "", P(None, "MARTIN DURAND", None, None), None),
    ("DUPONT Jean", "", P(None, "DUPONT", None, "Jean"), None),
    ("Vve DUPONT", "Marie", P("MME", "DUPONT", None, "Marie"), None),
    ("DUPONT", "Mme Marie", P("MME", "DUPONT", None, "Marie"), None),
    ("", "M. DUPONT Jean", P("M", "DUPONT", None, "Jean"), None),
    ("Mme", "Sophie DURAND", P("MME", "DURAND", None, "Sophie"), None),
    ("  BEN SAÏD ", " karim ", P(None, "BEN SAÏD", None, "Karim"), None),
    ("DUPONT Jean", "Jean", P(None, "DUPONT", None, "Jean"), None),
    ("Jean DUPONT", "JEAN", P(None, "DUPONT", None, "Jean"), None),
]


@pytest.mark.parametrize(("nom", "prenom", "titulaire", "second"), FIELDS)
def test_parse_name_fields(nom: str, prenom: str, titulaire: Person, second: Person | None) -> None:
    parsed = parse_name_fields(nom, prenom)
    assert parsed.titulaire == titulaire
    assert parsed.second == second


@pytest.mark.parametrize(
    ("nom", "prenom", "message"),
    [
        ("", "", "nom vide"),
        ("Mme", "", "nom vide : seule une civilité est indiquée (« Mme »)"),
        ("  ", " ", "nom vide"),
    ],
)
def test_parse_name_fields_errors(nom: str, prenom: str, message: str) -> None:
    with pytest.raises(ValueError) as info:
        parse_name_fields(nom, prenom)
    assert str(info.value) == message


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("M", "M"), ("M.", "M"), ("Mr", "M"), ("MR", "M"), ("Monsieur", "M"),
        ("Mme", "MME"), ("MME", "MME"), ("Madame", "MME"), ("Mlle", "MME"),
        ("Mademoiselle", "MME"), ("Melle", "MME"), ("M. et Mme", "M"), ("", None), ("  ", None),
    ],
)  # fmt: skip
def test_parse_civility(raw: str, expected: str | None) -> None:
    assert parse_civility(raw) == expected


@pytest.mark.parametrize("raw", ["Sir", "M. DUPONT", "?"])
def test_parse_civility_rejects(raw: str) -> None:
    with pytest.raises(ValueError, match="civilité non reconnue"):
        parse_civility(raw)


def test_results_are_frozen_and_cached() -> None:
    parsed = parse_full_name("M. DUPONT Jean")
    assert parse_full_name("M. DUPONT Jean") is parsed
    assert isinstance(parsed, ParsedNames)
    with pytest.raises(AttributeError):
        parsed.titulaire.nom = "X"  # type: ignore[misc]


# --- properties -------------------------------------------------------------------------------

_SURNAMES = [
    "DUPONT",
    "LEFÈVRE",
    "DE LA TOUR",
    "BEN SAÏD",
    "N'DIAYE",
    "MARTIN-DURAND",
    "LE GALL",
    "DIALLO",
    "YILMAZ",
    "DA SILVA",
    "FOURNIER",
    "GIRAUD",
    "MOREAU",
    "TRAORÉ",
    "KOWALSKI",
]
_PRENOMS = ["Jean", "Marie", "Sophie", "Karim", "Awa", "Jean-Pierre", "Éloïse", "Fatima", "Mamadou",
            "Nathalie", "Mehmet", "João", "Aminata", "Kevin", "Anne-Sophie"]  # fmt: skip
_CIVILITIES = ["", "M. ", "Mme ", "Monsieur ", "MME ", "Mlle "]


@given(st.text())
def test_parse_full_name_only_raises_value_error(text: str) -> None:
    try:
        parsed = parse_full_name(text)
    except ValueError as err:
        assert str(err)
    else:
        assert parsed.titulaire.nom


@given(st.text(), st.text())
def test_parse_name_fields_only_raises_value_error(nom: str, prenom: str) -> None:
    try:
        parse_name_fields(nom, prenom)
    except ValueError as err:
        assert str(err)


@given(
    st.sampled_from(_CIVILITIES),
    st.sampled_from(_SURNAMES),
    st.sampled_from(_PRENOMS),
    st.booleans(),
    st.sampled_from(["upper", "keep", "lower_prenom"]),
)
def test_known_first_name_recovered_in_either_order(
    civ: str, nom: str, prenom: str, surname_first: bool, case: str
) -> None:
    shown = prenom.upper() if case == "upper" else prenom
    text = f"{civ}{nom} {shown}" if surname_first else f"{civ}{shown} {nom}"
    person = parse_full_name(text).titulaire
    assert fold(person.nom or "") == fold(nom)
    assert fold(person.prenoms or "") == fold(prenom)


@given(st.from_regex(r"[A-Z]{4,10}", fullmatch=True), st.sampled_from(_PRENOMS), st.booleans())
def test_generated_surname_recovered(nom: str, prenom: str, surname_first: bool) -> None:
    assume(
        fold(nom)
        not in {
            "EPOUSE",
            "VEUVE",
            "EPOUX",
            "MADAME",
            "MONSIEUR",
            "MADEMOISELLE",
            "CONSORTS",
            "FAMILLE",
            "DOCTEUR",
            "MAITRE",
            "MESSIEURS",
            "MESDAMES",
        }
    )
    text = f"{nom} {prenom}" if surname_first else f"{prenom} {nom}"
    person = parse_full_name(text).titulaire
    assert (person.nom, fold(person.prenoms or "")) == (nom, fold(prenom))
