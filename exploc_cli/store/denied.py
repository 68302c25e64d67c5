"""Refusals of the PostgreSQL server for lack of rights, told in French (exit code 7).

A role given read-only rights (``exploc droits lecture``) reads every table and writes only the
audit journal. When a command writes anyway (an import, a séance, a decision), the server answers
SQLSTATE 42501 (insufficient_privilege), which SQLAlchemy wraps in a ``ProgrammingError``: it
becomes a :class:`RightsError` that names the role, what was refused and whom to ask. A
connection refused for lack of the CONNECT right carries no SQLSTATE: its message is read.

An import checks its rights before it reads a file (:func:`require_write_rights`), so that the
nightly job's log says at once why nothing was imported.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from sqlalchemy import Engine, event, text
from sqlalchemy.engine import ExceptionContext

from ..errors import RightsError

INSUFFICIENT_PRIVILEGE = "42501"
# The server's own words, in English or in French (lc_messages): what it refused, on which object.
_REFUSED = re.compile(
    r"(?:permission denied for|droit refusé pour)\s+(?:la |le |l')?"
    r"(table|relation|sequence|séquence|schema|schéma|database|base de données|function|fonction)"
    r"\s*[«\"]?\s*([\w.$]+)",
    re.IGNORECASE,
)
_OBJECTS = {
    "table": "la table",
    "relation": "la table",
    "sequence": "la séquence",
    "séquence": "la séquence",
    "schema": "le schéma",
    "schéma": "le schéma",
    "database": "la base",
    "base de données": "la base",
    "function": "la fonction",
    "fonction": "la fonction",
}
# Statements that only read: a refusal there is a missing read right (a table added by a newer
# version of exploc and not yet granted). Anything else, or a sequence (numbering new rows), writes.
_READS = frozenset({"SELECT", "SHOW"})
_PRIVILEGES = {"INSERT": "ajout de lignes", "UPDATE": "modification de lignes", "DELETE": "suppression de lignes"}

WRITE_HINT = (
    "Un rôle en lecture seule peut lister, afficher, extraire, exporter et produire les documents et "
    "diagnostics, mais ni importer ni modifier la base. Demandez à l'administrateur du serveur les droits "
    "d'écriture pour ce rôle, ou utilisez un compte qui les a (--base ou EXPLOC_BASE) (code de sortie 7)."
)
# What an import writes first: checked before any file is read.
IMPORT_WRITES: tuple[tuple[str, str], ...] = (
    ("lot", "INSERT"),
    ("lot", "UPDATE"),
    ("signalement", "INSERT"),
    ("evenement", "INSERT"),
    ("journal", "INSERT"),
    ("resume_menage", "DELETE"),  # the triggers of migration 0010 run with the writer's rights
    ("parametre", "UPDATE"),
)


def read_hint(role: str | None) -> str:
    command = f"exploc droits lecture {role}" if role else "exploc droits lecture ROLE"
    return (
        f"Demandez à l'administrateur de lui donner les droits de lecture : {command} (à relancer après "
        "chaque mise à jour d'exploc, qui peut ajouter des tables) (code de sortie 7)."
    )


def install_rights_translation(engine: Engine) -> None:
    """Every refusal for lack of rights on this engine's connections becomes a :class:`RightsError`."""
    role = engine.url.username

    @event.listens_for(engine, "handle_error")
    def _on_error(context: ExceptionContext) -> None:
        denied = rights_error(context.original_exception, statement=context.statement, role=role)
        if denied is not None:
            raise denied from None


def rights_error(error: BaseException, *, statement: str | None = None, role: str | None = None) -> RightsError | None:
    """The French error for a refusal of the server for lack of rights; None for any other error."""
    for candidate in _chain(error):
        if isinstance(candidate, RightsError):
            return candidate
        statement = statement or getattr(candidate, "statement", None)
        if getattr(candidate, "sqlstate", None) == INSUFFICIENT_PRIVILEGE:
            return _refusal(_server_message(candidate), statement, role)
        found = _REFUSED.search(str(candidate))
        if found is not None and _OBJECTS[found.group(1).lower()] == "la base":  # at connection time
            who = _who(role)
            return RightsError(f"{who} n'a pas le droit de se connecter à la base {found.group(2)}.", read_hint(role))
    return None


def _chain(error: BaseException) -> Iterator[BaseException]:
    """The error, the driver's error it wraps (SQLAlchemy's ``orig``), and their causes."""
    seen: set[int] = set()
    pending: list[BaseException | None] = [error]
    while pending:
        current = pending.pop(0)
        if current is None or id(current) in seen or len(seen) > 8:
            continue
        seen.add(id(current))
        yield current
        orig = getattr(current, "orig", None)
        pending += [orig if isinstance(orig, BaseException) else None, current.__cause__, current.__context__]


def _server_message(error: BaseException) -> str:
    primary = getattr(getattr(error, "diag", None), "message_primary", None)
    if primary:
        return str(primary)
    lines = str(error).strip().splitlines()
    return lines[0] if lines else ""


def _who(role: str | None) -> str:
    return f"Le rôle « {role} »" if role else "Le compte utilisé"


def _refusal(message: str, statement: str | None, role: str | None) -> RightsError:
    verb = _first_word(statement)
    found = _REFUSED.search(message)
    who = _who(role)
    if found is None:
        target = f"refus du serveur : {message}" if message else "refus du serveur"
        kind = None
    else:
        kind = _OBJECTS[found.group(1).lower()]
        target = f"{kind} {found.group(2)}"
    if kind == "le schéma":
        return RightsError(f"{who} n'a pas accès au schéma des tables d'exploc ({target}).", read_hint(role))
    if verb in _READS and kind != "la séquence":
        return RightsError(f"{who} n'a pas le droit de lire {target} : la commande est arrêtée.", read_hint(role))
    action = _PRIVILEGES.get(verb or "", "écriture")
    detail = f"{action} dans {target}" if found is not None else target
    return RightsError(
        f"{who} n'a pas le droit de modifier cette base (refusé : {detail}) : cette commande écrit dans la "
        "base ; elle est arrêtée et ce qu'elle écrivait a été annulé.",
        WRITE_HINT,
    )


def _of(verb: str) -> str:
    """« d'importer », « de créer »."""
    return f"d'{verb}" if verb[:1].lower() in "aeéèêiïoôuh" else f"de {verb}"


def _first_word(statement: str | None) -> str | None:
    if not statement:
        return None
    words = re.sub(r"--[^\n]*|/\*.*?\*/", " ", statement, flags=re.DOTALL).split()
    return words[0].upper() if words else None


def require_write_rights(engine: Engine, action: str, needs: Sequence[tuple[str, str]] = IMPORT_WRITES) -> None:
    """Refuse at once (:class:`RightsError`) when the role lacks a right that ``action`` needs
    (« importer »), before anything is read or written. SQLite: nothing to check (a file's rights)."""
    if engine.dialect.name != "postgresql":
        return
    with engine.connect() as connection:
        role = str(connection.execute(text("SELECT current_user")).scalar())
        for table, privilege in needs:
            allowed = connection.execute(
                text("SELECT has_table_privilege(:table, :privilege)"), {"table": table, "privilege": privilege}
            ).scalar()
            if not allowed:
                raise RightsError(
                    f"{_who(role)} n'a pas le droit {_of(action)} dans cette base (refusé : "
                    f"{_PRIVILEGES[privilege]} dans la table {table}) : rien n'a été lu ni écrit.",
                    WRITE_HINT,
                )
