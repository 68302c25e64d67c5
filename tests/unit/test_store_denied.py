"""A refusal of the server for lack of rights becomes a French error (exit code 7), whatever wraps it
and whatever the language of the server's messages."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
import typer
from sqlalchemy.exc import OperationalError, ProgrammingError

from commands._errors import ExitCode, domain_errors
from exploc_cli.errors import RightsError
from exploc_cli.extractions.pseudonyms import KEY_NAME
from exploc_cli.store.denied import rights_error
from exploc_cli.store.rights import PSEUDONYM_KEY


class Denied(Exception):
    """What psycopg raises: SQLSTATE 42501 and the server's primary message."""

    sqlstate = "42501"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.diag = SimpleNamespace(message_primary=message)


def test_a_refused_write_names_the_role_the_table_and_whom_to_ask() -> None:
    wrapped = ProgrammingError(
        "INSERT INTO seance (date_seance) VALUES (%(d)s)", {}, Denied("permission denied for table seance")
    )
    error = rights_error(wrapped, role="lecture_caf")
    assert isinstance(error, RightsError)
    assert error.message.startswith("Le rôle « lecture_caf » n'a pas le droit de modifier cette base")
    assert "ajout de lignes dans la table seance" in error.message
    assert error.hint is not None and "administrateur" in error.hint and "code de sortie 7" in error.hint
    update = rights_error(Denied("permission denied for table menage"), statement="UPDATE menage SET statut = 'clos'")
    assert update is not None and update.message.startswith("Le compte utilisé")
    assert "modification de lignes dans la table menage" in update.message


def test_a_refused_read_says_how_to_get_the_read_rights_in_french_or_english() -> None:
    for message in ("permission denied for table resume_menage", "droit refusé pour la table resume_menage"):
        error = rights_error(Denied(message), statement="  SELECT r.contenu FROM resume_menage r", role="lect")
        assert error is not None
        assert (
            error.message
            == "Le rôle « lect » n'a pas le droit de lire la table resume_menage : la commande est arrêtée."
        )
        assert error.hint is not None and "exploc droits lecture lect" in error.hint


def test_numbering_new_rows_is_a_write_and_an_unknown_message_is_quoted() -> None:
    sequence = rights_error(Denied("permission denied for sequence journal_id_seq"), statement="SELECT nextval('x')")
    assert sequence is not None and "écriture dans la séquence journal_id_seq" in sequence.message
    odd = rights_error(Denied("must be owner of table lot"), statement="ALTER TABLE lot ADD x int")
    assert odd is not None and "refus du serveur : must be owner of table lot" in odd.message


def test_a_connection_refused_for_lack_of_connect_right() -> None:
    orig = Exception(
        'connection failed: connection to server at "127.0.0.1", port 5432 failed: FATAL:  permission denied '
        'for database "exploc"\nDETAIL:  User does not have CONNECT privilege.'
    )
    error = rights_error(OperationalError(None, None, orig), role="lect")
    assert error is not None and error.message == "Le rôle « lect » n'a pas le droit de se connecter à la base exploc."
    wrong_password = Exception('FATAL:  password authentication failed for user "lect"')
    assert rights_error(OperationalError(None, None, wrong_password)) is None
    assert rights_error(ValueError("rien à voir")) is None


def test_a_raw_driver_refusal_ends_with_exit_code_7() -> None:
    with pytest.raises(typer.Exit) as ended, domain_errors():
        raise Denied("permission denied for table signalement")
    assert ended.value.exit_code == ExitCode.RIGHTS == 7
    with pytest.raises(ZeroDivisionError), domain_errors():  # a bug stays a bug
        _ = 1 / 0


def test_the_key_drawn_for_read_only_roles_is_the_pseudonyms_key() -> None:
    assert PSEUDONYM_KEY == KEY_NAME
