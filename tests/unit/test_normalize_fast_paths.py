"""The fast paths of names.py and addresses.py give exactly what the general parsers give.

The general parsers are the reference: each test runs both on the same inputs (the generator's
files, the sample data, mutations of them, and hypothesis-built texts) and compares.
"""

from __future__ import annotations

import csv
import io
import random
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from exploc_cli.normalize import _address_fast, _address_words, _name_fast, addresses, names
from exploc_cli.normalize.addresses import Address, parse_address
from exploc_cli.resources import sample_data_dir
from exploc_cli.synthetic import generate_bulk

# --- corpus: the generator's files and the sample data ------------------------------------------


def _rows(path: Path) -> list[dict[str, str]]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")
    first = text.split("\n", 1)[0]
    return list(csv.DictReader(io.StringIO(text), delimiter="\t" if "\t" in first else ";"))


class Corpus:
    def __init__(self, files: list[Path]) -> None:
        self.full: set[str] = set()
        self.fields: set[tuple[str, str]] = set()
        self.addresses: set[str] = set()
        for path in files:
            for row in _rows(path):
                if "Locataire" in row:
                    self.full.add(row["Locataire"])
                if "Nom" in row and "Prénom" in row:
                    self.fields.add((row["Nom"], row["Prénom"]))
                elif "Nom" in row:
                    self.full.add(row["Nom"])
                if row.get("Adresse"):
                    self.addresses.add(row["Adresse"])


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Corpus:
    dest = tmp_path_factory.mktemp("bulk")
    generate_bulk(dest, 3000, workers=1)
    return Corpus(sorted(dest.glob("*.csv")) + sorted(sample_data_dir().glob("*.csv")))


_PREFIXES = ["Appt 4 ", "Bât C Appt 2 ", "M. et Mme ", "Veuve ", "N° ", "Résidence Le Clos ", "3e étage ", "12 "]
_SUFFIXES = [" Apt 3", " Bât C", " 3e étage", " N° 4", " bis", " B", " ET", " née X", " 59000 LILLE", " CEDEX"]


def _mutations(texts: set[str], seed: int) -> Iterator[str]:
    """Each text, and a variant: case changed, separators added, words moved, cut..."""
    rng = random.Random(seed)
    ops: list[Callable[[str], str]] = [
        str.upper,
        str.lower,
        str.title,
        lambda s: s.replace(" ", ", ", 1),
        lambda s: s.replace(" ", " - ", 1),
        lambda s: s.replace(" ", "; ", 1),
        lambda s: s + rng.choice(_SUFFIXES),
        lambda s: rng.choice(_PREFIXES) + s,
        lambda s: " ".join(rng.sample(s.split(), len(s.split()))),
        lambda s: s.replace("-", " "),
        lambda s: s.replace(" ", ".", 1),
        lambda s: s[: rng.randrange(len(s) + 1)],
    ]
    for text in sorted(texts):
        yield text
        variant = text
        for _ in range(rng.randrange(1, 4)):
            variant = rng.choice(ops)(variant)
        yield variant


def _outcome(parse: Callable[..., Any], *args: str) -> object:
    try:
        return parse(*args)
    except ValueError as err:
        return ("ValueError", str(err))


# --- names ------------------------------------------------------------------------------------


def _full_differs(text: str) -> bool:
    return _outcome(names.parse_full_name.__wrapped__, text) != _outcome(names._parse_full_general, text)


def _fields_differ(nom: str, prenom: str) -> bool:
    fast = _outcome(names.parse_name_fields.__wrapped__, nom, prenom)
    return fast != _outcome(names._parse_fields_general, nom, prenom)


def test_full_names_agree_with_the_general_parser(corpus: Corpus) -> None:
    assert [t for t in _mutations(corpus.full, 1) if _full_differs(t)] == []


def test_name_fields_agree_with_the_general_parser(corpus: Corpus) -> None:
    rng = random.Random(2)
    pairs = sorted(corpus.fields)
    variants = [(nom.upper(), rng.choice(pairs)[1]) for nom, _ in pairs]
    variants += [(f"{nom} {prenom}", prenom) for nom, prenom in pairs[:500]]
    assert [p for p in pairs + variants if _fields_differ(*p)] == []


def test_the_fast_path_reads_most_names(corpus: Corpus) -> None:
    words = [_name_fast.fast_words(t) for t in corpus.full if "," not in t]
    planned = [w for w in words if w and _name_fast.names_plan(w, names._placeholder_plan) is not None]
    assert len(planned) >= 0.95 * len(corpus.full)


_NAME_WORDS = [
    *("M.", "M", "Mme", "MME", "Madame", "Mr", "Monsieur", "Mlle", "Dr", "Me", "MM."),
    *("et", "ET", "ou", "&", "+", "/", "née", "NEE", "épouse", "ép.", "EP", "veuve", "Vve", "Époux"),
    *("consorts", "famille", "de", "DE", "la", "Le", "van", "EL", "ben", "d'", "D'", "(née", "X)"),
    *("Jean", "JEAN", "jean", "Marie-Claire", "MARIE", "Martin", "MARTIN", "Sophie", "Karim"),
    *("DUPONT", "Dupont", "N'DIAYE", "n’diaye", "GALL", "Martin-Durand", "DURAND", "ROBERT"),
    *("J.", "J", "A.", "2", "-", ",", "M.DUPONT", "O'Neil", "Ŝtefan", "ǅemal", "ß", "İlker", "x"),
]
_name_texts = st.lists(st.sampled_from(_NAME_WORDS), min_size=1, max_size=7).map(" ".join)


@settings(max_examples=400, deadline=None)
@given(_name_texts)
def test_full_names_agree_on_any_mix_of_name_words(text: str) -> None:
    assert not _full_differs(text)


@settings(max_examples=400, deadline=None)
@given(_name_texts, _name_texts)
def test_name_fields_agree_on_any_mix_of_name_words(nom: str, prenom: str) -> None:
    assert not _fields_differ(nom, prenom)


# --- addresses --------------------------------------------------------------------------------


def _address_differs(text: str) -> bool:
    text = text.strip()
    general = addresses._parse_general(text)
    expected = (general.numero, general.suffixe, general.voie, general.complement)
    return addresses._text_parts(text) != (*expected, general.code_postal, general.commune)


def test_addresses_agree_with_the_general_parser(corpus: Corpus) -> None:
    assert [t for t in _mutations(corpus.addresses, 3) if _address_differs(t)] == []


def test_the_fast_path_reads_most_addresses(corpus: Corpus) -> None:
    read = [t for t in corpus.addresses if _address_fast.fast_parts(t.strip()) is not None]
    assert len(read) >= 0.95 * len(corpus.addresses)


_ADDRESS_WORDS = [
    *("12", "3", "1", "12B", "12bis", "12-14", "124", "49", "59000", "59", "000", "1er", "3e", "3ème"),
    *("bis", "BIS", "ter", "B", "A", "D", "rue", "R.", "av.", "Avenue", "bd", "chemin", "allée", "ALL"),
    *("imp", "Place", "rond", "point", "RD", "PT", "lieu", "dit", "Cité", "Clos", "Appt", "APT", "Bât"),
    *("bat.", "Résidence", "Rés.", "Esc", "étage", "ETG", "Porte", "Chez", "RDC", "BP", "CS", "Logt"),
    *("de", "la", "des", "du", "l'", "d'", "L", "à", "les", "sur", "N°", "n°", "No", "num", "Victor"),
    *("HUGO", "Lilas", "Saint-Nicolas", "l'Église", "X", "c", "LILLE", "Lille", "CEDEX", "9", "15E"),
    *("ARR", "arrondissement", "-", "/", "(", ")", "–", "·", "²", "Ⅻ", "ǅ", "İ"),
]
_SEPARATORS = [" ", " ", " ", " ", ", ", " - ", "; ", "\n", " , ", "  ", "\t-\t", " -", ",", "\r\n"]


@st.composite
def _address_texts(draw: st.DrawFn) -> str:
    tokens = draw(st.lists(st.sampled_from(_ADDRESS_WORDS), min_size=1, max_size=10))
    text = tokens[0]
    for token in tokens[1:]:
        text += draw(st.sampled_from(_SEPARATORS)) + token
    return text


@settings(max_examples=800, deadline=None)
@given(_address_texts())
def test_addresses_agree_on_any_mix_of_address_words(text: str) -> None:
    assert not _address_differs(text)


_PLACE_WORDS = [
    *("Quartier", "QUARTIER", "Cité", "CITE", "Lot", "Lotissement", "Hameau", "Domaine", "Clos", "Villa"),
    *("lieu-dit", "LD", "Tanneurs", "Jardin", "des", "Les", "131", "80", "63", "5", "bis", "B", "2e", "N°"),
    *("Appt", "Bât", "E", "Résidence", "Esc", "rue", "all", "IMPASSE", "Chemin", "bd", "rond", "point"),
]


@settings(max_examples=800, deadline=None)
@given(st.lists(st.sampled_from(_PLACE_WORDS), min_size=1, max_size=9), st.data())
def test_addresses_agree_on_places_and_house_numbers(tokens: list[str], data: st.DataObject) -> None:
    """Places and house numbers: "Quartier X 131, impasse Y", "Cité X 5 rue Y", "Bât E Appt 80 131, all X"."""
    text = tokens[0]
    for token in tokens[1:]:
        text += data.draw(st.sampled_from([" ", " ", ", ", " - ", "\n"])) + token
    assert not _address_differs(text)


@pytest.mark.parametrize(
    "text",
    [
        "Bât E Appt 80 131, all Aristide Briand",
        "QUARTIER DES TANNEURS 131, IMPASSE DU STADE",
        "Quartier des Tanneurs 59 Chemin Racine",
        "Cité Jardin 63, rue des Bleuets 59000 LILLE",
        "Résidence Les Acacias 84 bis, avenue des Cerisiers",
        "Bât D Appt 38, bd Molière",
        "Bât C 4, Cité Jardin 12, rue X",
    ],
)
def test_the_fast_path_reads_house_numbers_before_the_street(text: str) -> None:
    assert _address_fast.fast_parts(text) is not None
    assert not _address_differs(text)


def test_the_tables_the_fast_path_relies_on_do_not_overlap() -> None:
    """A street type is never a complément, suffix, particle, "N°" or "rond"; no complément is a "N°"."""
    types = set(_address_words._STREET_TYPES)
    others = (
        set(_address_words.COMPLEMENT_WORDS),
        set(_address_words.SUFFIXES),
        set(_address_words.PARTICLES_KEY),
        set(_address_words.NUMERO_PREFIX),
        set(_address_words._PAIR_FIRST),
    )
    assert [types & other for other in others] == [set()] * len(others)
    assert not set(_address_words.COMPLEMENT_WORDS) & set(_address_words.NUMERO_PREFIX)
    assert not set(_address_words.SUFFIXES) & set(_address_words.STRONG_COMPLEMENT)


# --- a bug found on the way -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # "49 124" was read as the code postal 49124 and "bis Chem. du Calvaire" as the commune.
        (
            "Bât E Appt 49 124 bis Chem. du Calvaire",
            Address("124", "BIS", "Chemin du Calvaire", "Bât E Appt 49", None, None),
        ),
        ("Appt 12 345 Grande Rue", Address(None, None, None, "Appt 12 345 Grande Rue", None, None)),
        ("55 rue Lebreton 59 000 LILLE", Address("55", None, "Rue Lebreton", None, "59000", "LILLE")),
    ],
)
def test_a_flat_number_then_a_street_number_is_not_a_code_postal(text: str, expected: Address) -> None:
    assert parse_address(text) == expected
    assert parse_address(text, "01000", "Bourg") == replace(expected, code_postal="01000", commune="BOURG")
