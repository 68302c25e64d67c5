"""The sectorisation: reading the table, resolving an address to a unit, a free text to a service."""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine

from exploc_cli.affectation.sectorisation import Sectorisation, ServiceInfo, UniteInfo
from exploc_cli.affectation.sectorisation_import import import_sectorisation, list_sectorisation
from exploc_cli.affectation.sectorisation_keys import NumberRange, parse_numbers, street_key
from exploc_cli.affectation.sectorisation_table import SectorisationFileError, read_table
from exploc_cli.resources import sample_data_dir
from exploc_cli.store.db import open_store, resolve_location
from exploc_cli.synthetic.population import SERVICE_ASSOCIATION, SERVICE_BAILLEUR, SERVICE_CAF, SERVICE_CCAS
from exploc_cli.synthetic.sectorisation import write_sectorisation_csv
from exploc_cli.synthetic.territory import build_territory
from tests.helpers import write_xlsx

HEADER = [
    "Code service", "Service", "Type service", "Code unité", "Unité", "Type unité", "Code INSEE", "Commune", "Voie",
    "Numéros", "Valide du", "Valide au",
]  # fmt: skip
DEP = ["DEP01", "Département du Val-de-Sarre", "Département"]
CENTRE = [*DEP, "MDS-C", "MDS Centre", "MDS"]
NORD = [*DEP, "MDS-N", "MDS Nord", "MDS"]
DAY = date(2025, 6, 1)
Row = Sequence[str]
Table = Callable[..., Path]


def place(insee: str = "01110", commune: str = "Bourg-sur-Sarre", voie: str = "", numeros: str = "") -> list[str]:
    return [insee, commune, voie, numeros]


@pytest.fixture
def engine(new_base) -> Engine:
    return open_store(resolve_location(str(new_base())))


@pytest.fixture
def table(tmp_path: Path) -> Table:
    """Write a sectorisation CSV (``;``, UTF-8 with BOM) and return its path."""

    def write(
        rows: Sequence[Row], header: Row = HEADER, name: str = "secteurs.csv", encoding: str = "utf-8-sig"
    ) -> Path:
        path = tmp_path / name
        with path.open("w", encoding=encoding, newline="") as handle:
            writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
            writer.writerow(header)
            writer.writerows([*row, *[""] * (len(header) - len(row))] for row in rows)
        return path

    return write


def loaded(engine: Engine, path: Path) -> Sectorisation:
    import_sectorisation(engine, path)
    with engine.connect() as connection:
        return Sectorisation.load(connection)


def unit_code(
    sectorisation: Sectorisation, day: date = DAY, service: str = "DEP01", **address: str | None
) -> str | None:
    fields: dict[str, str | None] = {"code_insee": None, "commune": None, "voie": None, "numero": None, **address}
    unit, _ = sectorisation.unit_for(service_code=service, day=day, **fields)
    return unit.code if unit else None


# ------------------------------------------------------------------------------ addresses


def test_a_street_sector_beats_the_commune_and_says_why(engine: Engine, table: Table) -> None:
    s = loaded(engine, table([
        [*CENTRE, *place()],
        [*NORD, *place(voie="Rue des Lilas", numeros="1-99")],
        [*NORD, *place(voie="Boulevard Gambetta")],
        [*NORD, *place(voie="Avenue Foch", numeros="2-98 pairs")],
    ]))  # fmt: skip
    unit, why = s.unit_for(
        service_code="DEP01", code_insee="01110", commune="BOURG-SUR-SARRE", voie="r. des lilas", numero="12", day=DAY
    )
    assert unit == UniteInfo("MDS-N", "MDS Nord", "MDS", "DEP01")
    assert why == "commune Bourg-sur-Sarre (01110), Rue des Lilas n° 1 à 99 → MDS Nord"
    unit, why = s.unit_for(
        service_code="DEP01", code_insee="01110", commune=None, voie="Rue des Lilas", numero="101", day=DAY
    )
    assert unit is not None and unit.code == "MDS-C"
    assert why == "commune Bourg-sur-Sarre (01110), hors des voies sectorisées à part → MDS Centre"
    assert unit_code(s, code_insee="01110", voie="12 bis r des Lilas") == "MDS-N"  # number written in the street
    assert unit_code(s, code_insee="01110", voie="Rue des Lilas") == "MDS-C"  # no number: not in « 1-99 »
    assert unit_code(s, code_insee="01110", voie="bd Gambetta", numero="250") == "MDS-N"
    assert unit_code(s, code_insee="01110", voie="av. Foch", numero="14") == "MDS-N"
    assert unit_code(s, code_insee="01110", voie="av. Foch", numero="15") == "MDS-C"  # odd side
    assert unit_code(s, code_insee="01110", voie="Rue de Paris", numero="3") == "MDS-C"
    unit, why = s.unit_for(service_code="DEP01", code_insee="01110", commune=None, voie=None, numero=None, day=DAY)
    assert unit is not None and why == "commune Bourg-sur-Sarre (01110) → MDS Centre"


def test_the_narrowest_range_of_numbers_wins(engine: Engine, table: Table) -> None:
    s = loaded(engine, table([
        [*CENTRE, *place(voie="Rue Pasteur")],
        [*NORD, *place(voie="Rue Pasteur", numeros="10-20")],
    ]))  # fmt: skip
    assert unit_code(s, commune="Bourg-sur-Sarre", voie="Rue Pasteur", numero="12") == "MDS-N"
    assert unit_code(s, commune="Bourg-sur-Sarre", voie="Rue Pasteur", numero="21") == "MDS-C"
    unit, why = s.unit_for(
        service_code="DEP01", code_insee="01110", commune=None, voie="Rue Victor Hugo", numero="1", day=DAY
    )
    assert unit is None and "seules certaines voies sont sectorisées" in why and "Rue Victor Hugo" in why


def test_validity_dates_are_honoured(engine: Engine, table: Table) -> None:
    utas = [*DEP, "UTAS-N", "UTAS Nord", "UTAS"]
    s = loaded(engine, table([
        [*utas, *place("01205", "Montbrévin"), "01/01/2010", "31/12/2015"],
        [*NORD, *place("01205", "Montbrévin"), "01/01/2016", ""],
        [*NORD, *place(voie="Rue des Lilas"), "2016-01-01", "31/12/2025"],
        [*CENTRE, *place(), "01/01/2016"],
        ["CAF01", "CAF - Service social", "CAF", "", "", "", "", "", "", "", "01/01/2020", ""],
    ]))  # fmt: skip
    assert unit_code(s, date(2015, 12, 31), code_insee="01205") == "UTAS-N"
    assert unit_code(s, date(2016, 1, 1), code_insee="01205") == "MDS-N"
    assert unit_code(s, date(2025, 12, 31), code_insee="01110", voie="rue des Lilas") == "MDS-N"
    assert unit_code(s, date(2026, 1, 1), code_insee="01110", voie="rue des Lilas") == "MDS-C"
    unit, why = s.unit_for(
        service_code="DEP01", code_insee="01205", commune=None, voie=None, numero=None, day=date(2009, 5, 1)
    )
    assert unit is None and why == (
        "commune Montbrévin (01205) : aucune unité de Département du Val-de-Sarre ne la couvre au 01/05/2009"
    )
    assert s.find("UTAS Nord", date(2014, 1, 1)) == UniteInfo("UTAS-N", "UTAS Nord", "UTAS", "DEP01")
    assert s.find("UTAS Nord", DAY) is None
    assert s.services_of_type("caf", date(2019, 1, 1)) == []
    assert s.services_of_type("CAF", DAY) == [ServiceInfo("CAF01", "CAF - Service social", "caf")]


def test_communes_match_by_insee_when_both_have_it_else_by_name(engine: Engine, table: Table) -> None:
    s = loaded(engine, table([
        [*CENTRE, *place()],
        [*CENTRE, *place("", "Saint-Ours-lès-Bourg")],  # no code INSEE in the table
        [*NORD, *place("01205", "Montbrévin")],
    ]))  # fmt: skip
    assert unit_code(s, commune="BOURG SUR SARRE") == "MDS-C"  # no INSEE in the address: by name
    assert unit_code(s, code_insee="1110") == "MDS-C"  # a code that lost its leading zero
    assert unit_code(s, code_insee="01999", commune="Bourg-sur-Sarre") is None  # both have a code: it decides
    assert unit_code(s, code_insee="01122", commune="St Ours les Bourg") == "MDS-C"  # the table has a name only
    assert unit_code(s, commune="Montbrevin") == "MDS-N"
    unit, why = s.unit_for(
        service_code="DEP01", code_insee="01999", commune="Nulle-Part", voie=None, numero=None, day=DAY
    )
    assert unit is None and why == (
        "commune Nulle-Part (01999) : aucune unité de Département du Val-de-Sarre ne couvre cette commune"
    )


def test_unit_for_explains_every_dead_end(engine: Engine, table: Table) -> None:
    s = loaded(engine, table([[*CENTRE, *place()], ["CAF01", "CAF - Service social", "CAF"]]))
    cases = {
        "INCONNU": "service « INCONNU » absent de la sectorisation",
        "CAF01": "le service CAF - Service social n'a pas d'unités territoriales",
    }
    for service, expected in cases.items():
        unit, why = s.unit_for(service_code=service, code_insee="01110", commune=None, voie=None, numero=None, day=DAY)
        assert unit is None and expected in why
    unit, why = s.unit_for(service_code="DEP01", code_insee=" ", commune="", voie="rue X", numero=None, day=DAY)
    assert unit is None and why == "adresse sans commune ni code INSEE : unité territoriale introuvable"


# ---------------------------------------------------------------------------------- names


def test_find_resolves_the_service_names_of_the_follow_up_file(engine: Engine) -> None:
    s = loaded(engine, sample_data_dir() / "referentiel" / "sectorisation.csv")
    expected = {
        SERVICE_CAF: "CAF01",
        SERVICE_CCAS: "CCAS-BSS",
        SERVICE_ASSOCIATION: "ASSO-RL",
        SERVICE_BAILLEUR: "SH-AS",
        "MDS Centre": "MDS-C",
        "MDS Nord": "MDS-N",
        "MDS Est": "MDS-E",
        "MDS Ouest": "MDS-O",
        "MDS Sud": "MDS-S",
        "mds-n": "MDS-N",  # a code
        "MDS du Centre": "MDS-C",  # particles do not count
        "Service social CAF": "CAF01",  # the same words in another order
        "CAF": "CAF01",  # a type held by one service only
        "Conseil départemental": "DEP01",
        "Sarre Habitat": "SH-AS",  # every word found in one name only
    }
    for text, code in expected.items():
        found = s.find(text, DAY)
        assert found is not None and found.code == code, text
    for text in ("MDS", "Sarre", "", "Mairie de Vaumoret"):
        assert s.find(text, DAY) is None, text  # ambiguous or unknown
    assert s.find("MDS Centre", DAY) == UniteInfo("MDS-C", "MDS Centre", "MDS", "DEP01")
    assert s.service("DEP01") == ServiceInfo("DEP01", "Département du Val-de-Sarre", "departement")
    assert s.service("NOPE") is None and not s.is_empty


def test_the_sample_sectorisation_covers_every_commune_and_splits_the_large_city(engine: Engine) -> None:
    s = loaded(engine, sample_data_dir() / "referentiel" / "sectorisation.csv")
    communes = (sample_data_dir() / "referentiel" / "communes.csv").read_text("utf-8-sig").splitlines()[1:]
    for line in communes:
        insee, _, name, _ = line.split(";")
        assert unit_code(s, code_insee=insee) is not None, name
        assert unit_code(s, commune=name) is not None, name
    assert unit_code(s, commune="Bourg-sur-Sarre", voie="Rue Pasteur", numero="12") == "MDS-N"
    assert unit_code(s, commune="Bourg-sur-Sarre", voie="Rue Pasteur", numero="13") == "MDS-C"
    assert [svc.code for svc in s.services_of_type("departement", DAY)] == ["DEP01"]
    assert [u.code for u in s.units_of("DEP01")] == ["MDS-C", "MDS-E", "MDS-N", "MDS-O", "MDS-S"]


def test_the_shipped_sample_is_what_the_generator_writes(tmp_path: Path) -> None:
    written = write_sectorisation_csv(build_territory(), tmp_path / "sectorisation.csv")
    shipped = sample_data_dir() / "referentiel" / "sectorisation.csv"
    assert written == 50 and (tmp_path / "sectorisation.csv").read_bytes() == shipped.read_bytes()
    assert shipped.read_bytes().startswith(b"\xef\xbb\xbfCode service;Service;Type service;")


def test_an_empty_base_has_an_empty_sectorisation(engine: Engine) -> None:
    with engine.connect() as connection:
        s = Sectorisation.load(connection)
    assert s.is_empty and s.find("MDS Centre", DAY) is None
    assert (
        s.unit_for(service_code="DEP01", code_insee="01110", commune=None, voie=None, numero=None, day=DAY)[0] is None
    )


def test_repeated_lookups_answer_as_the_first_one(engine: Engine) -> None:
    """The lookups remember their answers (speed is measured in benchmarks/, not here): a
    remembered answer must be the answer."""
    s = loaded(engine, sample_data_dir() / "referentiel" / "sectorisation.csv")
    streets = ["Rue Pasteur", "Boulevard Molière", "Rue de Paris", "Avenue Jacques Prévert", None]
    communes = [("01110", "BOURG-SUR-SARRE"), (None, "PORT-AUBREL"), ("01205", None), (None, "VAUMORET")]
    names = [SERVICE_CAF, "MDS Centre", SERVICE_CCAS, "MDS Nord"]
    first: dict[int, tuple[object, object]] = {}
    for i in range(3_000):
        insee, commune = communes[i % 4]
        unit = s.unit_for(
            service_code="DEP01", code_insee=insee, commune=commune, voie=streets[i % 5], numero=str(i % 150), day=DAY
        )
        found = s.find(names[i % 4], DAY)
        assert first.setdefault(i % 600, (unit, found)) == (unit, found)
    assert {first[k][0][0].code for k in first if first[k][0][0]} >= {"MDS-C", "MDS-N", "MDS-O"}


# ---------------------------------------------------------------------------------- table


def test_numbers_and_streets_are_read_as_written_by_hand() -> None:
    assert parse_numbers("1-99") == NumberRange(1, 99)
    assert parse_numbers("du 2 au 98 pairs") == NumberRange(2, 98, "pair")
    assert parse_numbers("Impairs") == NumberRange(None, None, "impair")
    assert parse_numbers("100 et plus") == parse_numbers("100+") == NumberRange(100, None)
    assert parse_numbers("jusqu'au 50") == NumberRange(None, 50)
    assert parse_numbers("12") == NumberRange(12, 12)
    for bad in ("a-b", "pairs impairs", "99-1", "1-2-3"):
        with pytest.raises(ValueError):
            parse_numbers(bad)
    assert street_key("r. des lilas") == street_key("Rue des Lilas") == "RUE LILAS"
    assert street_key("Av. St Exupéry") == street_key("avenue Saint-Exupéry")


def test_a_workbook_with_a_title_row_and_a_readme_sheet_is_read(tmp_path: Path, engine: Engine) -> None:
    path = write_xlsx(tmp_path / "secteurs.xlsx", {
        "Lisez-moi": [["Sectorisation du Val-de-Sarre, mise à jour de janvier"]],
        "Secteurs": [["Sectorisation 2026"], [], HEADER, [*CENTRE, 1110, "Bourg-sur-Sarre", None, None, date(2016, 1, 1)]],
    })  # fmt: skip
    parsed = read_table(path)
    assert parsed.lignes == 1 and parsed.sectors[0].code_insee == "01110" and parsed.sectors[0].ligne == 4
    assert parsed.sectors[0].valide_du == date(2016, 1, 1)


def test_cp1252_and_header_aliases(table: Table) -> None:
    header = ["code du service", "nom du service", "TYPE DE SERVICE", "Code de l'unite", "Unite territoriale",
              "Type d'unité", "INSEE", "Ville", "Rue", "N°", "Date de début", "Date de fin"]  # fmt: skip
    parsed = read_table(table([[*CENTRE, *place(voie="Rue Pasteur", numeros="impairs")]], header, encoding="cp1252"))
    assert parsed.format.startswith("CSV Windows-1252")
    sector = parsed.sectors[0]
    assert (sector.commune, sector.voie, sector.parite) == ("Bourg-sur-Sarre", "Rue Pasteur", "impair")


def test_every_problem_is_listed_with_its_row_and_column(table: Table) -> None:
    path = table([
        [*CENTRE, *place()],
        [*DEP[:2], "Mairie", "MDS-N", "MDS Nord", "MDS", "1X", "Montbrévin"],
        [*NORD, *place("01205", "Montbrévin"), "31/02/2024"],
    ], name="mauvais.csv")  # fmt: skip
    with pytest.raises(SectorisationFileError) as raised:
        read_table(path)
    problems = raised.value.problems
    assert problems == [
        "ligne 3, colonne « Type service » : type de service inconnu « Mairie » (types possibles : CAF, MSA, "
        "Département, bailleur, CCAS, association, autre).",
        "ligne 3, colonne « Code INSEE » : code INSEE invalide « 1X » (5 caractères, par exemple 01053 ou 2A004).",
        "ligne 4, colonne « Valide du » : date invalide « 31/02/2024 » (attendu : JJ/MM/AAAA).",
    ]
    assert str(raised.value).startswith(f"{path} : 3 erreur(s) dans le tableau de sectorisation, rien n'a été importé")


def test_units_of_one_service_may_share_a_commune_over_successive_periods_only(table: Table) -> None:
    utas = [*DEP, "UTAS-N", "UTAS Nord", "UTAS"]
    read_table(table([[*utas, *place(), "", "31/12/2015"], [*NORD, *place(), "01/01/2016"]]))
    other_service = ["CAF01", "CAF - Service social", "CAF", "CAF-N", "Antenne CAF Nord", "antenne"]
    read_table(table([[*NORD, *place()], [*other_service, *place()]]))  # another service: no conflict
    with pytest.raises(SectorisationFileError) as raised:
        read_table(table([[*utas, *place(), "", "31/12/2016"], [*NORD, *place("", "BOURG SUR SARRE"), "01/01/2016"]]))
    assert raised.value.problems == [
        "ligne 3, colonne « Commune » : la commune BOURG SUR SARRE est couverte à la fois par les unités UTAS-N "
        "(ligne 2) et MDS-N du service Département du Val-de-Sarre sur des périodes qui se chevauchent, sans voie "
        "qui les distingue."
    ]


def test_the_listing_gives_units_and_communes(engine: Engine, table: Table) -> None:
    import_sectorisation(engine, table([
        [*CENTRE, *place()],
        [*NORD, *place(voie="Rue Pasteur", numeros="pairs")],
        [*NORD, *place("01205", "Montbrévin")],
        ["CAF01", "CAF - Service social", "CAF"],
    ]))  # fmt: skip
    services = list_sectorisation(engine)
    assert [s.code for s in services] == ["CAF01", "DEP01"]
    assert services[0].unites == [] and services[0].type_label == "CAF"
    nord = services[1].unites[1]
    assert nord.code == "MDS-N" and nord.communes == ["Bourg-sur-Sarre (01110) : 1 voie(s)", "Montbrévin (01205)"]
    assert nord.secteurs[0].numeros == "n° pairs" and nord.to_json()["secteurs"][0]["voie"] == "Rue Pasteur"
