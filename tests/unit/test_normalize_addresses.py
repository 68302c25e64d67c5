"""exploc_cli.normalize.addresses: numéro, voie, complément, code postal and commune."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exploc_cli.normalize.addresses import (
    Address,
    address_key,
    format_address,
    normalize_commune,
    normalize_postcode,
    parse_address,
)

A = Address

ADDRESSES: list[tuple[str, Address]] = [
    ("12 bis rue Victor Hugo", A("12", "BIS", "Rue Victor Hugo", None, None, None)),
    ("12bis rue Victor Hugo", A("12", "BIS", "Rue Victor Hugo", None, None, None)),
    ("12 ter rue Victor Hugo", A("12", "TER", "Rue Victor Hugo", None, None, None)),
    ("12 quater rue Victor Hugo", A("12", "QUATER", "Rue Victor Hugo", None, None, None)),
    ("12, R. Victor Hugo", A("12", None, "Rue Victor Hugo", None, None, None)),
    ("12 r Victor Hugo", A("12", None, "Rue Victor Hugo", None, None, None)),
    ("12B av. de la République", A("12", "B", "Avenue de la République", None, None, None)),
    ("12 B avenue de la République", A("12", "B", "Avenue de la République", None, None, None)),
    ("12 AVENUE DE LA REPUBLIQUE", A("12", None, "Avenue de la Republique", None, None, None)),
    ("Appt 4, 12 avenue Jean Jaurès", A("12", None, "Avenue Jean Jaurès", "Appt 4", None, None)),
    ("Appt 4 12 avenue Jean Jaurès", A("12", None, "Avenue Jean Jaurès", "Appt 4", None, None)),
    ("Bât C Appt 19 - 3 rue des Lilas", A("3", None, "Rue des Lilas", "Bât C Appt 19", None, None)),
    (
        "bat. c, appt 19, 3 rue des lilas",
        A("3", None, "Rue des Lilas", "Bât C Appt 19", None, None),
    ),
    (
        "Résidence Les Tilleuls 5 allée des Roses",
        A("5", None, "Allée des Roses", "Résidence Les Tilleuls", None, None),
    ),
    (
        "RES LES TILLEULS, 5 ALL DES ROSES",
        A("5", None, "Allée des Roses", "Résidence LES TILLEULS", None, None),
    ),
    ("55 rue Lebreton 59000 LILLE", A("55", None, "Rue Lebreton", None, "59000", "LILLE")),
    ("55 rue Lebreton, 59000 Lille", A("55", None, "Rue Lebreton", None, "59000", "LILLE")),
    ("55 rue Lebreton 59 000 LILLE CEDEX", A("55", None, "Rue Lebreton", None, "59000", "LILLE")),
    ("12 rue X\n59000 LILLE", A("12", None, "Rue X", None, "59000", "LILLE")),
    (
        "12 rue de la Paix\nBât B\n59000 Lille",
        A("12", None, "Rue de la Paix", "Bât B", "59000", "LILLE"),
    ),
    (
        "12 rue de la Paix\r\n59000\r\nLille",
        A("12", None, "Rue de la Paix", None, "59000", "LILLE"),
    ),
    ("rue X", A(None, None, "Rue X", None, None, None)),
    ("lieu-dit Le Moulin", A(None, None, "Lieu-dit Le Moulin", None, None, None)),
    ("LIEU DIT LE MOULIN", A(None, None, "Lieu-dit le Moulin", None, None, None)),
    ("3 RUE DE L'EGLISE", A("3", None, "Rue de l'Eglise", None, None, None)),
    ("3 rue de l’Église", A("3", None, "Rue de l'Église", None, None, None)),
    ("7 rue d'Artois", A("7", None, "Rue d'Artois", None, None, None)),
    ("12 BD GAMBETTA", A("12", None, "Boulevard Gambetta", None, None, None)),
    ("12 bld Gambetta", A("12", None, "Boulevard Gambetta", None, None, None)),
    ("4 chem. des prés", A("4", None, "Chemin des Prés", None, None, None)),
    ("4 ch des Prés", A("4", None, "Chemin des Prés", None, None, None)),
    ("8 pl du 8 mai 1945", A("8", None, "Place du 8 Mai 1945", None, None, None)),
    ("2 imp. des Lilas", A("2", None, "Impasse des Lilas", None, None, None)),
    ("2 rte de Lille", A("2", None, "Route de Lille", None, None, None)),
    ("2 sq Dickens", A("2", None, "Square Dickens", None, None, None)),
    ("2 crs Gambetta", A("2", None, "Cours Gambetta", None, None, None)),
    ("2 qu de la Deûle", A("2", None, "Quai de la Deûle", None, None, None)),
    ("2 pass. du Marché", A("2", None, "Passage du Marché", None, None, None)),
    ("2 fbg de Roubaix", A("2", None, "Faubourg de Roubaix", None, None, None)),
    ("2 cité Jardin", A("2", None, "Cité Jardin", None, None, None)),
    ("2 lot les Bleuets", A("2", None, "Lotissement les Bleuets", None, None, None)),
    ("2 ham. du Bois", A("2", None, "Hameau du Bois", None, None, None)),
    ("2 sent. des Vignes", A("2", None, "Sentier des Vignes", None, None, None)),
    ("2 rpt de l'Europe", A("2", None, "Rond-Point de l'Europe", None, None, None)),
    ("2 rond point de l'Europe", A("2", None, "Rond-Point de l'Europe", None, None, None)),
    ("2 esp. Mendès France", A("2", None, "Esplanade Mendès France", None, None, None)),
    ("2 prom. des Anglais", A("2", None, "Promenade des Anglais", None, None, None)),
    ("10 rue Louis XIV", A("10", None, "Rue Louis XIV", None, None, None)),
    ("10 RUE JEAN-JACQUES ROUSSEAU", A("10", None, "Rue Jean-Jacques Rousseau", None, None, None)),
    ("12-14 rue Jean Moulin", A("12-14", None, "Rue Jean Moulin", None, None, None)),
    ("12 rue Victor Hugo Appt 4", A("12", None, "Rue Victor Hugo", "Appt 4", None, None)),
    (
        "12 rue Victor Hugo appartement 4 3ème étage",
        A("12", None, "Rue Victor Hugo", "Appt 4 Étage 3", None, None),
    ),
    ("3e étage, 12 rue X", A("12", None, "Rue X", "Étage 3", None, None)),
    ("Esc. 2, 12 rue X", A("12", None, "Rue X", "Escalier 2", None, None)),
    ("BP 12, 59000 LILLE CEDEX", A(None, None, None, "BP 12", "59000", "LILLE")),
    ("N° 12 rue X", A("12", None, "Rue X", None, None, None)),
    (
        "Chez M. DUPONT, 5 impasse des Lilas",
        A("5", None, "Impasse des Lilas", "Chez M. DUPONT", None, None),
    ),
    ("12 Grande Rue", A("12", None, "Grande Rue", None, None, None)),
    ("Grande Rue", A(None, None, "Grande Rue", None, None, None)),
    ("Les Hauts de Lille, 3 rue X", A("3", None, "Rue X", "Les Hauts de Lille", None, None)),
    ("5 rue du Bâtiment", A("5", None, "Rue du Bâtiment", None, None, None)),
    ("12 rue de McDonald", A("12", None, "Rue de McDonald", None, None, None)),
    ("12  rue\u00a0Victor   Hugo ", A("12", None, "Rue Victor Hugo", None, None, None)),
    ("59000 LILLE", A(None, None, None, None, "59000", "LILLE")),
    ("", A(None, None, None, None, None, None)),
    ("   ", A(None, None, None, None, None, None)),
    (" , ; - ", A(None, None, None, None, None, None)),
]


@pytest.mark.parametrize(("text", "expected"), ADDRESSES)
def test_parse_address(text: str, expected: Address) -> None:
    assert parse_address(text) == expected


# A house number written after the complément, before a street segment, and a place name (a
# quartier, a cité...) written before its street: the street and its numéro are the later ones.
HOUSE_NUMBER_AFTER_COMPLEMENT: list[tuple[str, Address]] = [
    (
        "Bât E Appt 80 131, all Aristide Briand",
        A("131", None, "Allée Aristide Briand", "Bât E Appt 80", None, None),
    ),
    (
        "QUARTIER DES TANNEURS 131, IMPASSE DU STADE",
        A("131", None, "Impasse du Stade", "QUARTIER DES TANNEURS", None, None),
    ),
    (
        "Quartier des Tanneurs 59 Chemin Racine",
        A("59", None, "Chemin Racine", "Quartier des Tanneurs", None, None),
    ),
    ("Cité Jardin 63, rue des Bleuets", A("63", None, "Rue des Bleuets", "Cité Jardin", None, None)),
    ("Cité Jardin 63 rue des Bleuets", A("63", None, "Rue des Bleuets", "Cité Jardin", None, None)),
    (
        "Résidence Les Acacias 84, avenue des Cerisiers",
        A("84", None, "Avenue des Cerisiers", "Résidence Les Acacias", None, None),
    ),
    (
        "Résidence Les Acacias 131 allée Aristide Briand",
        A("131", None, "Allée Aristide Briand", "Résidence Les Acacias", None, None),
    ),
    ("Bât D Appt 5 38, bd Molière", A("38", None, "Boulevard Molière", "Bât D Appt 5", None, None)),
    (
        "Les Hauts de Sarre 18 bis, R. des Acacias",
        A("18", "BIS", "Rue des Acacias", "Les Hauts de Sarre", None, None),
    ),
    (
        "Bât A Appt 58 140B, allée des Prés",
        A("140", "B", "Allée des Prés", "Bât A Appt 58", None, None),
    ),
    (
        "Cité des Peupliers 28 ter rue du Général de Gaulle",
        A("28", "TER", "Rue du Général de Gaulle", "Cité des Peupliers", None, None),
    ),
    (
        "Hameau du Bois 12, rue X, 59000 Lille",
        A("12", None, "Rue X", "Hameau du Bois", "59000", "LILLE"),
    ),
    (
        "Lieu-dit Le Moulin 3 chemin des Prés 59000 LILLE",
        A("3", None, "Chemin des Prés", "Lieu-dit Le Moulin", "59000", "LILLE"),
    ),
    (
        "Lotissement Les Pins 4 rue X, Appt 2",
        A("4", None, "Rue X", "Lotissement Les Pins Appt 2", None, None),
    ),
    # The number of a flat, a staircase, a building ("Appt 38", "Esc 3", "N° 12") stays there.
    ("Bât D Appt 38, bd Molière", A(None, None, "Boulevard Molière", "Bât D Appt 38", None, None)),
    ("Esc 3, rue X", A(None, None, "Rue X", "Escalier 3", None, None)),
    ("Appt n° 12, rue X", A(None, None, "Rue X", "Appt 12", None, None)),
    ("3e étage, rue X", A(None, None, "Rue X", "Étage 3", None, None)),
    # The street's own number wins; a number alone is the street's, as before.
    ("Bât C 12, 5 rue X", A("5", None, "Rue X", "Bât C 12", None, None)),
    ("Appt 12, 5 rue X", A("5", None, "Rue X", "Appt 12", None, None)),
    ("12, R. Victor Hugo", A("12", None, "Rue Victor Hugo", None, None, None)),
    ("12 bis rue X", A("12", "BIS", "Rue X", None, None, None)),
    ("Résidence X, 5 allée des Roses", A("5", None, "Allée des Roses", "Résidence X", None, None)),
    # A place alone, or numbered, or without a street after it, is the voie (a lieu-dit).
    ("Quartier des Tanneurs", A(None, None, "Quartier des Tanneurs", None, None, None)),
    ("Cité Jardin", A(None, None, "Cité Jardin", None, None, None)),
    ("2 cité Jardin, Bât C", A("2", None, "Cité Jardin", "Bât C", None, None)),
    ("Cité Jardin 63", A(None, None, "Cité Jardin 63", None, None, None)),
]


@pytest.mark.parametrize(("text", "expected"), HOUSE_NUMBER_AFTER_COMPLEMENT)
def test_house_number_after_the_complement(text: str, expected: Address) -> None:
    assert parse_address(text) == expected
    assert parse_address(format_address(expected)) == expected


def test_explicit_code_postal_and_commune_win() -> None:
    a = parse_address("55 rue Lebreton 59000 LILLE", "59800", "Lille")
    assert (a.voie, a.code_postal, a.commune) == ("Rue Lebreton", "59800", "LILLE")
    b = parse_address("55 rue Lebreton", code_postal="1000", commune="Bourg en Bresse")
    assert (b.code_postal, b.commune) == ("01000", "BOURG-EN-BRESSE")
    c = parse_address("55 rue Lebreton 59000 LILLE", code_postal="", commune=None)
    assert (c.code_postal, c.commune) == ("59000", "LILLE")


def test_invalid_explicit_code_postal_is_dropped_not_raised() -> None:
    assert parse_address("55 rue Lebreton", code_postal="ABC").code_postal is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("1000", "01000"), ("01000", "01000"), ("59 000", "59000"), ("59000.0", "59000"),
     (" 59000 ", "59000"), ("F-59000", "59000"), ("2000", "02000"), ("97400", "97400")],
)  # fmt: skip
def test_normalize_postcode(raw: str, expected: str) -> None:
    assert normalize_postcode(raw) == expected


@pytest.mark.parametrize("raw", ["", "abc", "590000", "5900O", "00100", "59-000", "12"])
def test_normalize_postcode_rejects(raw: str) -> None:
    with pytest.raises(ValueError) as info:
        normalize_postcode(raw)
    assert str(info.value) == f"code postal invalide : « {raw.strip()} »"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Lille", "LILLE"),
        ("St André lez Lille", "SAINT-ANDRÉ-LEZ-LILLE"),
        ("ST ANDRE LEZ LILLE", "SAINT-ANDRE-LEZ-LILLE"),
        ("Saint-André - lez - Lille", "SAINT-ANDRÉ-LEZ-LILLE"),
        ("Ste Marie aux Mines", "SAINTE-MARIE-AUX-MINES"),
        ("St. Omer", "SAINT-OMER"),
        ("Villers St Paul", "VILLERS-SAINT-PAUL"),
        ("LILLE CEDEX", "LILLE"),
        ("LILLE CEDEX 9", "LILLE"),
        ("Villeneuve d'Ascq", "VILLENEUVE-D'ASCQ"),
        ("VILLENEUVE D ASCQ", "VILLENEUVE-D'ASCQ"),
        ("La Madeleine", "LA MADELEINE"),
        ("le portel", "LE PORTEL"),
        ("Les Lilas", "LES LILAS"),
        ("L ISLE ADAM", "L'ISLE-ADAM"),
        ("Marcq en Barœul", "MARCQ-EN-BARŒUL"),
        ("Paris 15", "PARIS 15E ARRONDISSEMENT"),
        ("Paris 1er", "PARIS 1ER ARRONDISSEMENT"),
        ("Marseille 8e arrondissement", "MARSEILLE 8E ARRONDISSEMENT"),
        ("  lille  ", "LILLE"),
    ],
)
def test_normalize_commune(raw: str, expected: str) -> None:
    assert normalize_commune(raw) == expected


@pytest.mark.parametrize("raw", ["", "  ", "59000", "-"])
def test_normalize_commune_rejects(raw: str) -> None:
    with pytest.raises(ValueError, match="commune invalide"):
        normalize_commune(raw)


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("12 rue de la République 59000 Lille", "12, R. REPUBLIQUE, 59000 LILLE"),
        ("12 bis av. Victor Hugo", "12B avenue Victor-Hugo"),
        ("3 rue St Pierre", "3 rue Saint-Pierre"),
        ("Appt 4, 5 rue des Lilas", "5 RUE DES LILAS"),
    ],
)
def test_address_key_matches_variants(left: str, right: str) -> None:
    key = address_key(parse_address(left))
    assert key == address_key(parse_address(right))


def test_address_key_distinguishes_numbers() -> None:
    assert address_key(parse_address("12 rue X")) != address_key(parse_address("14 rue X"))


def test_format_address() -> None:
    a = parse_address("Bât C, 12 bis rue Victor Hugo, 59000 Lille")
    assert format_address(a) == "12 bis Rue Victor Hugo, Bât C, 59000 LILLE"
    assert format_address(parse_address("12B rue X")) == "12B Rue X"


# --- properties -------------------------------------------------------------------------------


@given(st.text())
def test_parse_address_never_raises(text: str) -> None:
    a = parse_address(text)
    assert a.code_postal is None or len(a.code_postal) == 5


@given(st.text(), st.text(), st.text())
def test_parse_address_with_arguments_never_raises(text: str, cp: str, commune: str) -> None:
    parse_address(text, cp, commune)


_WORDS = st.sampled_from(["rue", "av.", "bd", "Victor", "Hugo", "de", "la", "République", "Appt",
                          "4", "12", "bis", "Bât", "C", "59000", "LILLE", "Résidence", "Les",
                          "Tilleuls", "chemin", "des", "Prés", ",", "-", "\n", "3e", "étage",
                          "lieu-dit", "St", "Ste", "l'Église", "BP", "5"])  # fmt: skip


@given(st.lists(_WORDS, max_size=12).map(" ".join))
def test_display_form_settles(text: str) -> None:
    """On any word soup, re-parsing the display form reaches a fixed point (no oscillation)."""
    shown = format_address(parse_address(text))
    for _ in range(4):
        again = format_address(parse_address(shown))
        if again == shown:
            return
        shown = again
    raise AssertionError(f"pas de point fixe : {text!r}")


_COMPLEMENTS = ["", "Appt 4", "Bât C Appt 19", "Résidence Les Tilleuls", "Escalier 2", "Étage 3",
                "Chez M. DUPONT", "BP 12"]  # fmt: skip
_STREETS = ["rue Victor Hugo", "av. de la République", "BD GAMBETTA", "chemin des Prés",
            "allée des Roses", "lieu-dit Le Moulin", "place du 8 Mai 1945", "rue de l'Église",
            "Grande Rue", "imp. Jean-Jacques Rousseau"]  # fmt: skip
_TOWNS = ["", "59000 LILLE", "59350 Saint-André-lez-Lille", "01000 Bourg-en-Bresse", "75015 PARIS"]


@given(
    st.sampled_from(_COMPLEMENTS),
    st.sampled_from(["", "12", "5 bis", "12B", "7 ter", "12-14"]),
    st.sampled_from(_STREETS),
    st.sampled_from(_TOWNS),
    st.sampled_from([", ", " - ", "\n", " "]),
    st.booleans(),
)
def test_display_form_parses_back_to_itself(
    complement: str, number: str, street: str, town: str, sep: str, complement_first: bool
) -> None:
    if sep == " " and complement_first:
        sep = ", "  # "Appt 4 Grande Rue" has no telling where the complément ends
    line = f"{number} {street}".strip()
    parts = [complement, line] if complement_first else [line, complement]
    a = parse_address(sep.join(p for p in [*parts, town] if p))
    assert a.voie is not None
    assert parse_address(format_address(a)) == a


@given(st.text(alphabet="0123456789 .", max_size=8))
def test_normalize_postcode_shape_and_idempotence(raw: str) -> None:
    try:
        code = normalize_postcode(raw)
    except ValueError:
        return
    assert len(code) == 5 and code.isdigit()
    assert normalize_postcode(code) == code


@given(st.from_regex(r"[0-9]{4,5}", fullmatch=True))
def test_normalize_postcode_keeps_digits(raw: str) -> None:
    if raw.zfill(5).startswith("00"):
        return
    assert normalize_postcode(raw) == raw.zfill(5)


@given(st.text())
def test_normalize_commune_idempotent(raw: str) -> None:
    try:
        once = normalize_commune(raw)
    except ValueError:
        return
    assert normalize_commune(once) == once
