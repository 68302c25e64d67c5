"""exploc_cli.normalize.text: whitespace cleaning and matching keys."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exploc_cli.normalize.text import clean_spaces, fold, fold_compact, normalize_header


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  DUPONT  ", "DUPONT"),
        ("Jean\u00a0Pierre", "Jean Pierre"),
        ("1\u202f234", "1 234"),
        ("a\u2009b", "a b"),
        ("a\tb", "a b"),
        ("ligne 1\r\nligne 2", "ligne 1 ligne 2"),
        ("a \n\n  b", "a b"),
        ("", ""),
        ("   ", ""),
    ],
)
def test_clean_spaces(raw: str, expected: str) -> None:
    assert clean_spaces(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Cœur-d'Éloïse ", "COEUR D ELOISE"),
        ("LEFÈVRE", "LEFEVRE"),
        ("lefevre", "LEFEVRE"),
        ("Æsop", "AESOP"),
        ("Straße", "STRASSE"),
        ("N'DIAYE", "N DIAYE"),
        ("Jean-Pierre", "JEAN PIERRE"),
        ("Saint-André-lez-Lille", "SAINT ANDRE LEZ LILLE"),
        ("  M.   DUPONT  ", "M DUPONT"),
        ("Ça va, çà ?", "CA VA CA"),
        ("BEN SAÏD", "BEN SAID"),
        ("l’église", "L EGLISE"),
        ("Nº", "NO"),
        ("ŒUVRE", "OEUVRE"),
        ("", ""),
        ("---", ""),
        ("12 bis", "12 BIS"),
    ],
)
def test_fold(raw: str, expected: str) -> None:
    assert fold(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Le Gall", "LEGALL"),
        ("LEGALL", "LEGALL"),
        ("N'Diaye", "NDIAYE"),
        ("De la Tour", "DELATOUR"),
    ],
)
def test_fold_compact(raw: str, expected: str) -> None:
    assert fold_compact(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("N° allocataire ", "NUMERO ALLOCATAIRE"),
        ("No allocataire", "NUMERO ALLOCATAIRE"),
        ("Nº allocataire", "NUMERO ALLOCATAIRE"),
        ("N o allocataire", "NUMERO ALLOCATAIRE"),
        ("Numéro allocataire", "NUMERO ALLOCATAIRE"),
        ("Num allocataire", "NUMERO ALLOCATAIRE"),
        ("n° signalement", "NUMERO SIGNALEMENT"),
        ("N°signalement", "NUMERO SIGNALEMENT"),
        ("N. dossier", "NUMERO DOSSIER"),
        ("N° logement", "NUMERO LOGEMENT"),
        ("Né(e) le", "NE E LE"),
        ("Loyer + charges", "LOYER CHARGES"),
        ("Type d'acte", "TYPE D ACTE"),
        ("Montant AL/APL", "MONTANT AL APL"),
        ("Nom", "NOM"),
        ("Nb enfants", "NB ENFANTS"),
        ("  Date   de naissance ", "DATE DE NAISSANCE"),
        ("Référence signalement", "REFERENCE SIGNALEMENT"),
        ("Réf. signalement", "REF SIGNALEMENT"),
        ("Nombre d'enfants à charge", "NOMBRE D ENFANTS A CHARGE"),
    ],
)
def test_normalize_header(raw: str, expected: str) -> None:
    assert normalize_header(raw) == expected


@given(st.text())
def test_clean_spaces_idempotent(s: str) -> None:
    once = clean_spaces(s)
    assert clean_spaces(once) == once
    assert once == once.strip()
    assert "  " not in once


@given(st.text())
def test_fold_idempotent_and_shape(s: str) -> None:
    once = fold(s)
    assert fold(once) == once
    assert once == once.strip()
    assert "  " not in once


_FRENCH = "abcdefghijklmnopqrstuvwxyzàâäçéèêëîïôöùûüÿœæß'’- ,.ABCÀÂÇÉÈÊËÎÏÔÖÙÛÜŸŒÆ0123456789\u00a0"


@given(st.text(alphabet=_FRENCH))
def test_fold_french_text_gives_ascii_words(s: str) -> None:
    folded = fold(s)
    assert folded.isascii()
    assert all(word.isalnum() for word in folded.split())


@given(st.text())
def test_fold_compact_has_no_space(s: str) -> None:
    assert " " not in fold_compact(s)
    assert fold_compact(fold_compact(s)) == fold_compact(s)


@given(st.text())
def test_normalize_header_idempotent(s: str) -> None:
    once = normalize_header(s)
    assert normalize_header(once) == once
