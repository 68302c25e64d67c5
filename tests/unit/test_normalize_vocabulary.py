"""exploc_cli.normalize.vocabulary: event codes and value vocabularies of partner columns."""

from __future__ import annotations

from collections.abc import Callable, Mapping

import pytest
from hypothesis import given
from hypothesis import strategies as st

from exploc_cli.normalize.vocabulary import (
    EVENT_LABELS,
    EVENT_RANK,
    fold_overrides,
    parse_act_type,
    parse_decision_cfp,
    parse_decision_cfp_detail,
    parse_jugement_decision,
    parse_organisme,
    parse_parc,
    parse_type_bailleur,
)

Parser = Callable[..., str]


def test_event_vocabulary() -> None:
    codes = ["impaye", "signalement_caf", "saisine", "cdp", "assignation", "audience", "jugement",
             "cql", "requisition_cfp", "decision_cfp", "pv_tentative", "pv_expulsion"]  # fmt: skip
    assert [EVENT_RANK[c] for c in codes] == sorted(EVENT_RANK[c] for c in codes)
    assert len({EVENT_RANK[c] for c in codes}) == len(codes)
    for code in ("debut_suivi", "fin_suivi", "assignation_prevue"):
        assert EVENT_RANK[code] == 0
    assert set(EVENT_LABELS) == set(EVENT_RANK) and len(EVENT_LABELS) == 15
    assert EVENT_LABELS["cql"] == "Commandement de quitter les lieux"
    assert EVENT_LABELS["signalement_caf"] == "Signalement CAF/MSA"
    assert all(code.isascii() and code == code.lower() for code in EVENT_LABELS)
    with pytest.raises(TypeError):
        EVENT_LABELS["x"] = "y"  # type: ignore[index]


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("Commandement de payer", "cdp"),
        ("CDP", "cdp"),
        ("cdp", "cdp"),
        ("C.D.P.", "cdp"),
        ("Cdt de payer", "cdp"),
        ("Commandement de payer visant la clause résolutoire", "cdp"),
        ("COMMANDEMENT DE PAYER VISANT LA CLAUSE RESOLUTOIRE", "cdp"),
        ("Assignation", "assignation"),
        ("Assignation en résiliation de bail", "assignation"),
        ("Jugement", "jugement"),
        ("Signification de jugement", "jugement"),
        ("Signification du jugement", "jugement"),
        ("Commandement de quitter les lieux", "cql"),
        ("CQL", "cql"),
        ("Cdt QL", "cql"),
        ("Réquisition CFP", "requisition_cfp"),
        ("Requisition de la force publique", "requisition_cfp"),
        ("Réquisition de la force publique", "requisition_cfp"),
        ("Demande de concours de la force publique", "requisition_cfp"),
        ("PV de tentative d'expulsion", "pv_tentative"),
        ("PV tentative", "pv_tentative"),
        ("Procès-verbal de tentative d'expulsion", "pv_tentative"),
        ("PV d'expulsion", "pv_expulsion"),
        ("PV d’expulsion", "pv_expulsion"),
        ("Procès-verbal d'expulsion", "pv_expulsion"),
        ("  procès  verbal  D'EXPULSION ", "pv_expulsion"),
        ("requisition_cfp", "requisition_cfp"),
    ],
)
def test_parse_act_type(raw: str, code: str) -> None:
    assert parse_act_type(raw) == code


@pytest.mark.parametrize(
    ("raw", "detail"),
    [
        ("Accordé", ("accorde", False)),
        ("ACCORDE", ("accorde", False)),
        ("Accordé avec délai", ("accorde", True)),
        ("Accordé avec délais", ("accorde", True)),
        ("OK", ("accorde", False)),
        ("Favorable", ("accorde", False)),
        ("Refusé", ("refuse", False)),
        ("Refus", ("refuse", False)),
        ("Défavorable", ("refuse", False)),
        ("Rejet", ("refuse", False)),
        ("Non accordé", ("refuse", False)),
        ("En cours d'instruction", ("en_cours", False)),
        ("En cours", ("en_cours", False)),
        ("Sursis - trêve hivernale", ("sursis_treve", False)),
        ("Trêve hivernale", ("sursis_treve", False)),
    ],
)
def test_parse_decision_cfp(raw: str, detail: tuple[str, bool]) -> None:
    assert parse_decision_cfp_detail(raw) == detail
    assert parse_decision_cfp(raw) == detail[0]


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("Résiliation", "resiliation"),
        ("Résiliation du bail", "resiliation"),
        ("Résiliation du bail et expulsion", "resiliation"),
        ("Expulsion", "resiliation"),
        ("Délais de paiement", "delais"),
        ("Délais accordés", "delais"),
        ("Suspension clause résolutoire", "delais"),
        ("Suspension de la clause résolutoire et délais de paiement", "delais"),
        ("Rejet", "rejet"),
        ("Débouté", "rejet"),
        ("Radiation", "radiation"),
        ("Renvoi", "renvoi"),
        ("Renvoyé", "renvoi"),
    ],
)
def test_parse_jugement_decision(raw: str, code: str) -> None:
    assert parse_jugement_decision(raw) == code


@pytest.mark.parametrize(
    ("raw", "code"),
    [("Public", "public"), ("Social", "public"), ("HLM", "public"), ("Parc social", "public"),
     ("Privé", "prive"), ("Prive", "prive"), ("Parc privé", "prive"), ("PRIVE", "prive")],
)  # fmt: skip
def test_parse_parc(raw: str, code: str) -> None:
    assert parse_parc(raw) == code


@pytest.mark.parametrize(
    ("raw", "code"),
    [("Personne physique", "pp"), ("PP", "pp"), ("Particulier", "pp"),
     ("SCI familiale", "sci_familiale"), ("SCI fam.", "sci_familiale"),
     ("Personne morale", "pm"), ("PM", "pm"), ("Bailleur social", "pm"), ("SCI", "pm"),
     ("Société", "pm"), ("ESH", "pm"), ("OPH", "pm")],
)  # fmt: skip
def test_parse_type_bailleur(raw: str, code: str) -> None:
    assert parse_type_bailleur(raw) == code


@pytest.mark.parametrize(
    ("raw", "code"),
    [("CAF", "caf"), ("caf", "caf"), ("C.A.F.", "caf"), ("MSA", "msa"),
     ("Caisse d'allocations familiales", "caf"), ("Mutualité sociale agricole", "msa")],
)  # fmt: skip
def test_parse_organisme(raw: str, code: str) -> None:
    assert parse_organisme(raw) == code


@pytest.mark.parametrize(
    ("parser", "raw", "message"),
    [
        (parse_act_type, "Mise en demeure", "type d'acte inconnu : « Mise en demeure »"),
        (parse_act_type, " ", "type d'acte inconnu : valeur vide"),
        (parse_decision_cfp, "Peut-être", "décision CFP inconnue : « Peut-être »"),
        (parse_jugement_decision, "Autre", "décision de jugement inconnue : « Autre »"),
        (parse_parc, "Mixte", "parc inconnu : « Mixte »"),
        (parse_type_bailleur, "Inconnu", "type de bailleur inconnu : « Inconnu »"),
        (parse_organisme, "CPAM", "organisme inconnu : « CPAM »"),
    ],
)
def test_unknown_values(parser: Parser, raw: str, message: str) -> None:
    with pytest.raises(ValueError) as info:
        parser(raw)
    assert str(info.value) == message


def test_overrides_add_spellings() -> None:
    overrides = fold_overrides({"Cmdt spécial": "cdp", "Acte n°7": "cql"})
    assert parse_act_type("CMDT SPECIAL", overrides=overrides) == "cdp"
    assert parse_act_type("acte N° 7", overrides=overrides) == "cql"
    assert parse_act_type("Assignation", overrides=overrides) == "assignation"
    assert parse_parc("Mixte", overrides={"MIXTE": "public"}) == "public"
    assert parse_decision_cfp_detail("Accord tacite avec délai", {"ACCORD TACITE AVEC DELAI": "accorde"}) == (
        "accorde",
        True,
    )


def test_overrides_win_over_builtin_spellings() -> None:
    assert parse_jugement_decision("Expulsion", overrides={"EXPULSION": "delais"}) == "delais"


def test_override_to_an_unknown_code_is_refused() -> None:
    with pytest.raises(ValueError, match="profil de correspondance : code « zzz » invalide"):
        parse_act_type("Acte X", overrides={"ACTE X": "zzz"})


PARSERS: list[tuple[Parser, Mapping[str, str]]] = [
    (parse_act_type, {}),
    (parse_decision_cfp, {}),
    (parse_jugement_decision, {}),
    (parse_parc, {}),
    (parse_type_bailleur, {}),
    (parse_organisme, {}),
]


@given(st.text(), st.sampled_from(PARSERS))
def test_only_value_error(raw: str, parser_and_overrides: tuple[Parser, Mapping[str, str]]) -> None:
    parser, overrides = parser_and_overrides
    try:
        parser(raw, overrides=overrides)
    except ValueError as err:
        assert str(err)
