"""``exploc droits lecture``: a read-only role of the server lists, extracts and writes the session
documents (every file journaled), and is refused every write in French with exit code 7.

Roles are cluster-wide: each test creates its own (``exploc_lecture_<random>``) and drops it at the
end, after taking back the rights it was given on the test's database.
"""

from __future__ import annotations

import json
import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ProgrammingError
from sqlmodel import SQLModel
from typer.testing import CliRunner, Result

from commands.app import app
from exploc_cli.audit import os_user
from exploc_cli.store import models  # noqa: F401 - every table in SQLModel.metadata
from tests.backends import Base, engine_for
from tests.cli.test_menages_parcours import three_households
from tests.conftest import Invoke
from tests.helpers import CAF_HEADER, csv_text, execute, rows, scalar

server_roles = pytest.mark.postgresql_only("les rôles et leurs droits sont ceux du serveur PostgreSQL")
TABLES = sorted(SQLModel.metadata.tables)


@dataclass(frozen=True)
class Role:
    name: str
    url: str  # the test's base, reached as this role


MakeRole = Callable[[], Role]


@pytest.fixture
def make_role(base: Base) -> Iterator[MakeRole]:
    """Login roles of the server, without any right of their own; taken back and dropped at the end."""
    made: list[str] = []
    admin = engine_for(base, isolation_level="AUTOCOMMIT")

    def make() -> Role:
        name, password = f"exploc_lecture_{secrets.token_hex(4)}", secrets.token_hex(12)
        try:
            with admin.connect() as connection:
                connection.execute(text(f"CREATE ROLE {name} LOGIN PASSWORD '{password}'"))
        except ProgrammingError as error:
            pytest.fail(
                f"le rôle des tests ne peut pas créer de rôle ({error.orig}) : donnez-lui CREATEROLE "
                "(ALTER ROLE exploc_ci CREATEROLE ; .ci/postgresql.sh le fait)"
            )
        made.append(name)
        url = make_url(str(base)).set(username=name, password=password)
        return Role(name, url.render_as_string(hide_password=False))

    yield make
    try:
        with admin.connect() as connection:
            database = connection.execute(text("SELECT current_database()")).scalar()
            for name in made:
                for target in ("ALL TABLES IN SCHEMA public", "ALL SEQUENCES IN SCHEMA public", "SCHEMA public"):
                    connection.execute(text(f"REVOKE ALL ON {target} FROM {name}"))
                connection.execute(text(f'REVOKE ALL ON DATABASE "{database}" FROM {name}'))
                connection.execute(text(f"DROP ROLE {name}"))
    finally:
        admin.dispose()


def as_role(role: Role, *args: str) -> Result:
    return CliRunner().invoke(app, ["--base", role.url, *args])


def _counts(base: Base) -> dict[str, int]:
    return {table: int(scalar(base, f"SELECT COUNT(*) FROM {table}")) for table in TABLES}


def _journaled(base: Base, action: str, path: Path) -> int:
    return int(
        scalar(base, "SELECT COUNT(*) FROM journal WHERE action = ? AND chemin = ?", action, str(path.resolve()))
    )


def _sample_base(exploc: Invoke, samples: Path) -> int:
    """The fictional département's files, its sectorisation and assignments, and a séance to come."""
    files = [str(p) for p in sorted(samples.iterdir()) if p.suffix in (".csv", ".xlsx")]
    assert exploc("importer", *files).exit_code in (0, 5)
    assert exploc("services", "importer", str(samples / "referentiel" / "sectorisation.csv")).exit_code == 0
    assert exploc("affecter").exit_code == 0
    day = (date.today() + timedelta(days=10)).strftime("%d/%m/%Y")
    created = exploc("seances", "creer", "--date", day, "--json")
    assert created.exit_code == 0, created.output
    seance = int(json.loads(created.stdout)["seance"])
    assert exploc("seances", "ajouter", str(seance), "--dette-min", "3000").exit_code == 0
    return seance


def _refused(result: Result, role: Role, *words: str) -> None:
    """Exit code 7, a French message naming the role, no traceback."""
    assert result.exit_code == 7, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    assert f"rôle « {role.name} »" in result.stderr and "Traceback" not in result.output
    for word in words:
        assert word in result.stderr, result.stderr


@server_roles
def test_a_read_only_role_reads_extracts_and_writes_documents_all_journaled(
    exploc: Invoke, base: Base, samples: Path, tmp_path: Path, make_role: MakeRole
) -> None:
    seance = _sample_base(exploc, samples)
    role = make_role()
    granted = exploc("droits", "lecture", role.name)
    assert granted.exit_code == 0, granted.output
    assert f"Le rôle « {role.name} » peut lire les" in granted.stdout
    execute(base, "DELETE FROM resume_menage WHERE menage_id % 2 = 0")  # some summaries to compute
    before = _counts(base)
    generation = scalar(base, "SELECT valeur FROM parametre WHERE cle = 'resume_generation'")

    listed = as_role(role, "menages", "lister", "--json")
    assert listed.exit_code == 0, listed.output
    menages = json.loads(listed.stdout)
    assert len(menages) == before["menage"] - scalar(base, "SELECT COUNT(*) FROM menage WHERE statut = 'fusionne'")
    shown = as_role(role, "menages", "afficher", str(menages[0]["menage"]), "--json")
    assert shown.exit_code == 0 and json.loads(shown.stdout)["menage"] == menages[0]["menage"]

    outputs = {
        "extraction": [
            ("extraire", "--sortie", "liste.xlsx", "--motif", "Suivi des CQL"),
            ("extraire", "--sortie", "etude.xlsx", "--motif", "Étude", "--pseudonymiser"),
        ],
        "document": [
            ("seances", "dossier", str(seance), "--sortie", "dossier.docx"),
            ("seances", "ordre-du-jour", str(seance), "--sortie", "odj.docx"),
            ("seances", "feuille-decisions", str(seance), "--sortie", "feuille.xlsx"),
        ],
        "export_menages": [("exporter", "menages", "--sortie", "menages.xlsx")],
        "diagnostic": [("diagnostic", "--sortie", "diagnostic.xlsx", "--du", "01/01/2025", "--au", "31/12/2025")],
    }
    for action, commands in outputs.items():
        for command in commands:
            path = tmp_path / command[command.index("--sortie") + 1]
            args = [str(path) if word == path.name else word for word in command]
            result = as_role(role, *args)
            assert result.exit_code == 0, (command, result.output)
            assert path.is_file(), command
            assert _journaled(base, action, path) == 1, command  # no nominative file without its entry
            # who: the account, and the server's role it used (several accounts may share one role)
            by = scalar(base, "SELECT utilisateur FROM journal WHERE chemin = ?", str(path.resolve()))
            assert by == f"{os_user()} (rôle {role.name})", by
    for command in (("suivi",), ("journal",), ("lots", "lister"), ("seances", "afficher", str(seance))):
        assert as_role(role, *command).exit_code == 0, command
    checked = as_role(role, "verifier")
    assert checked.exit_code == 0, checked.output
    assert f"le rôle {role.name} est en lecture seule" in checked.stdout

    after = _counts(base)
    assert after.pop("journal") == before.pop("journal") + 7
    assert after == before  # nothing else written: summaries read, none stored; the key drawn beforehand
    assert rows(base, "SELECT cle, valeur FROM parametre WHERE cle <> 'cle_pseudonymes'") == [
        {"cle": "resume_generation", "valeur": generation}
    ]


@server_roles
def test_a_read_only_role_is_refused_every_write_in_french(
    exploc: Invoke, write_file: Callable[..., Path], base: Base, make_role: MakeRole
) -> None:
    numbers = three_households(exploc, write_file, base)
    role = make_role()
    assert exploc("droits", "lecture", role.name).exit_code == 0
    new_file = write_file("caf_nouveau.csv", csv_text(CAF_HEADER, [
        "S-N;0555555;NOUVEAU;Jean;01/01/1980;1 rue Neuve;01000;Bourg-sur-Sarre;1;200,00;900,00;01/10/2025",
    ]), encoding="cp1252")  # fmt: skip
    before = _counts(base)

    imported = as_role(role, "importer", str(new_file))
    _refused(imported, role, "n'a pas le droit d'importer", "rien n'a été lu ni écrit", "administrateur")
    # refused before any file is read: a missing file is not even looked at
    _refused(as_role(role, "importer", str(new_file.with_name("absent.csv"))), role)
    a = str(numbers["A"])
    for command, table in (
        (("seances", "creer", "--date", "15/01/2027"), "seance"),
        (("menages", "noter", a, "Rendez-vous CCAS"), "note"),
        (("menages", "clore", a, "--motif", "relogement"), "menage"),
        (("lots", "annuler", "1"), "signalement"),
        (("affecter",), "affectation"),  # its rows go by COPY, past SQLAlchemy: refused in French all the same
    ):
        result = as_role(role, *command)
        _refused(result, role, "n'a pas le droit de modifier cette base", f"la table {table}", "droits d'écriture")
    assert _counts(base) == before  # nothing written, not even in the journal

    simulated = as_role(role, "importer", str(new_file), "--simulation")  # checking a file writes nothing
    assert simulated.exit_code == 0, simulated.output
    assert _counts(base) == before


@server_roles
def test_without_the_journal_right_no_nominative_file_is_left(
    exploc: Invoke, write_file: Callable[..., Path], base: Base, tmp_path: Path, make_role: MakeRole
) -> None:
    numbers = three_households(exploc, write_file, base)
    seance = json.loads(exploc("seances", "creer", "--date", "15/01/2027", "--json").stdout)["seance"]
    assert exploc("seances", "ajouter", str(seance), str(numbers["A"])).exit_code == 0
    role = make_role()
    engine = engine_for(base, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:  # read rights given by hand, without the journal
            connection.execute(text(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {role.name}"))
    finally:
        engine.dispose()
    for command in (
        ("extraire", "--sortie", "liste.xlsx", "--motif", "Suivi"),
        ("seances", "dossier", str(seance), "--sortie", "dossier.docx"),
        ("seances", "feuille-decisions", str(seance), "--sortie", "feuille.xlsx"),
        ("exporter", "menages", "--sortie", "menages.csv"),
    ):
        path = tmp_path / command[command.index("--sortie") + 1]
        result = as_role(role, *[str(path) if word == path.name else word for word in command])
        _refused(result, role, "la table journal")
        assert not path.exists(), command
    checked = as_role(role, "verifier")
    assert checked.exit_code == 4 and "ne peut pas écrire au journal" in checked.stdout


@server_roles
def test_the_script_for_the_administrator_and_the_refusals_of_the_command(
    exploc: Invoke, base: Base, make_role: MakeRole
) -> None:
    role = make_role()
    shown = exploc("droits", "lecture", role.name, "--afficher")
    assert shown.exit_code == 0, shown.output
    script = shown.stdout
    assert script.startswith("-- exploc : droits de lecture seule") and "BEGIN;" in script and "COMMIT;" in script
    assert f'GRANT INSERT ON TABLE "public"."journal" TO "{role.name}";' in script
    assert all(f'"public"."{table}"' in script for table in [*TABLES, "alembic_version"])
    assert "UPDATE" not in script and "DELETE" not in script and "ALL PRIVILEGES" not in script
    # nothing applied: the role reads nothing yet, and is told how to get its rights
    nothing = as_role(role, "menages", "lister")
    _refused(nothing, role, "n'a pas le droit de lire la table", f"exploc droits lecture {role.name}")
    # the administrator runs the script as it is: the role reads
    engine = engine_for(base, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql(script)
    finally:
        engine.dispose()
    assert as_role(role, "menages", "lister").exit_code == 0

    # only the owner of the tables (or the server's administrator) gives rights
    itself = as_role(role, "droits", "lecture", role.name)
    _refused(itself, role, "ni le propriétaire des tables", "--afficher")
    unknown = exploc("droits", "lecture", "exploc_lecture_inconnu")
    assert unknown.exit_code == 3 and "n'existe pas sur le serveur" in unknown.stderr
    assert "CREATE ROLE" in unknown.stderr


@server_roles
def test_rights_taken_back_leave_the_role_reading_nothing(exploc: Invoke, base: Base, make_role: MakeRole) -> None:
    role = make_role()
    assert exploc("droits", "lecture", role.name).exit_code == 0
    assert as_role(role, "menages", "lister").exit_code == 0
    # only the owner of the tables takes them back
    _refused(as_role(role, "droits", "retirer", role.name), role, "ni le propriétaire des tables")
    assert as_role(role, "menages", "lister").exit_code == 0

    shown = exploc("droits", "retirer", role.name, "--afficher")
    assert shown.exit_code == 0, shown.output
    assert shown.stdout.startswith(f"-- exploc : retrait des droits du rôle {role.name}")
    assert "REVOKE ALL ON TABLE " in shown.stdout and '"public"."journal"' in shown.stdout
    assert "GRANT" not in shown.stdout
    assert as_role(role, "menages", "lister").exit_code == 0  # nothing applied

    taken = exploc("droits", "retirer", role.name, "--json")
    assert taken.exit_code == 0, taken.output
    assert json.loads(taken.stdout)["encore_lisibles"] == []
    refused = as_role(role, "menages", "lister")
    assert refused.exit_code == 7 and f"rôle « {role.name} »" in refused.stderr, refused.output
    entry = rows(base, "SELECT details FROM journal WHERE action = 'droits_retrait'")
    assert len(entry) == 1 and json.loads(entry[0]["details"])["role"] == role.name

    # a role that reads through another one it belongs to is told so
    other = make_role()
    assert exploc("droits", "lecture", other.name).exit_code == 0
    execute(base, f"GRANT {other.name} TO {role.name}")
    try:
        partly = exploc("droits", "retirer", role.name)
        assert partly.exit_code == 0 and "par un autre rôle dont il est membre" in partly.stderr, partly.output
    finally:
        execute(base, f"REVOKE {other.name} FROM {role.name}")
    unknown = exploc("droits", "retirer", "exploc_lecture_inconnu")
    assert unknown.exit_code == 3 and "n'existe pas sur le serveur" in unknown.stderr


@server_roles
def test_a_role_that_may_not_connect_is_told_so(exploc: Invoke, base: Base, make_role: MakeRole) -> None:
    role = make_role()
    assert exploc("droits", "lecture", role.name).exit_code == 0
    engine = engine_for(base, isolation_level="AUTOCOMMIT")
    database = make_url(str(base)).database
    try:
        with engine.connect() as connection:
            connection.execute(text(f'REVOKE CONNECT ON DATABASE "{database}" FROM PUBLIC, {role.name}'))
        refused = as_role(role, "menages", "lister")
        _refused(refused, role, f"n'a pas le droit de se connecter à la base {database}")
    finally:
        with engine.connect() as connection:
            connection.execute(text(f'GRANT CONNECT ON DATABASE "{database}" TO PUBLIC'))
        engine.dispose()


@pytest.mark.sqlite_only("une base SQLite n'a pas de rôles : ses droits sont ceux du fichier")
def test_on_an_sqlite_base_the_rights_are_the_files(exploc: Invoke, base: Path) -> None:
    before = _counts(base)
    for args in (
        ("droits", "lecture", "lecture_caf"),
        ("droits", "lecture", "lecture_caf", "--afficher"),
        ("droits", "retirer", "lecture_caf"),
    ):
        refused = exploc(*args)
        assert refused.exit_code == 3, refused.output
        assert "Une base SQLite est un fichier" in refused.stderr and "chmod 600" in refused.stderr
        assert "PostgreSQL" in refused.stderr and refused.stdout == ""
    assert _counts(base) == before
