"""Read-only rights for a role of the PostgreSQL server (``exploc droits lecture``).

A read-only role lists, shows, extracts, exports and writes the session documents and the
diagnostics; it never imports nor changes anything. What it is given, and why:

- ``CONNECT`` on the database and ``USAGE`` on the schema of exploc's tables: to reach them
  (PostgreSQL gives both to everyone by default, but a hardened server takes them back);
- ``SELECT`` on every table of exploc, ``alembic_version`` included (every command checks the
  schema's revision first);
- ``INSERT`` on ``journal`` and ``USAGE`` on its id sequence: every extraction and every
  nominative document is journaled, and no such file may exist without its entry. Nothing else is
  written by the reading commands: the write lock is an advisory lock (no right needed), and the
  kept summaries of the ménages are read, never written, by such a role;
- the secret key of the stable pseudonyms (``extraire --pseudonymiser``) is drawn now, by the
  server, if the base has none yet: a read-only role could not write it.

The rights name the tables that exist now: after an update of exploc that adds a table, run the
command again (``ALTER DEFAULT PRIVILEGES`` is not needed for that). ``--afficher`` gives the same
statements as a script for the server's administrator; applied, they are one transaction, checked
(a role that owns neither the tables nor the grant option only gets warnings from the server: that
is refused here) and journaled.

``exploc droits retirer`` takes them back: every right of the role on exploc's tables, the
journal's sequence, the schema and the database, checked (the role must no longer read any table
of exploc) and journaled. What the role holds through another role or through PUBLIC is said.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import Connection, Engine, text
from sqlmodel import SQLModel

from .. import audit
from ..errors import ExplocError, RightsError
from . import models  # noqa: F401 - every table of exploc in SQLModel.metadata
from .db import StoreLocation, write_transaction

JOURNAL = "journal"
PSEUDONYM_KEY = "cle_pseudonymes"  # extractions/pseudonyms.py
SQLITE_RIGHTS = (
    "Une base SQLite est un fichier : ses droits sont ceux du fichier, pas ceux de rôles d'un serveur. "
    "exploc droits ne sert qu'aux bases sur un serveur PostgreSQL."
)
SQLITE_RIGHTS_HINT = (
    "Le fichier reste lisible par son seul propriétaire (chmod 600) : qui peut le lire lit tout, et il faut "
    "pouvoir l'écrire pour extraire (journal). Pour donner à des comptes des droits différents (lecture "
    "seule), installez la base sur un serveur PostgreSQL."
)


@dataclass(frozen=True)
class Statement:
    why: str  # a French comment for the administrator
    sql: str


@dataclass(frozen=True)
class ReadOnlyPlan:
    role: str
    database: str
    schema: str
    tables: tuple[str, ...]
    sequence: str | None  # the journal's id sequence, qualified
    statements: tuple[Statement, ...]
    role_exists: bool
    revoking: bool = False  # the statements take the rights back (exploc droits retirer)

    def script(self) -> str:
        """The statements as a script for ``psql`` (one transaction), commented in French."""
        if self.revoking:
            lines = [f"-- exploc : retrait des droits du rôle {self.role} sur la base {self.database}."]
        else:
            lines = [
                f"-- exploc : droits de lecture seule du rôle {self.role} sur la base {self.database}.",
                "-- À relancer après chaque mise à jour d'exploc (une nouvelle version peut ajouter des tables).",
            ]
        if not self.role_exists and not self.revoking:
            lines.append(f"-- Le rôle n'existe pas encore : CREATE ROLE {_quote(self.role)} LOGIN PASSWORD '…';")
        lines.append("BEGIN;")
        for statement in self.statements:
            lines += [f"-- {statement.why}", f"{statement.sql};"]
        lines.append("COMMIT;")
        return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class GrantReport:
    role: str
    database: str
    schema: str
    tables: tuple[str, ...]
    can_write: bool  # the role had more rights already (owner, superuser, given elsewhere)

    def to_json(self) -> dict[str, Any]:
        return {
            "role": self.role,
            "base": self.database,
            "schema": self.schema,
            "tables": list(self.tables),
            "lecture_seule": not self.can_write,
        }


def require_server_base(location: StoreLocation) -> None:
    """Rights of roles exist on a server only: an SQLite base is refused in French (exit code 3)."""
    if location.is_sqlite:
        raise ExplocError(SQLITE_RIGHTS, SQLITE_RIGHTS_HINT)


def read_only_plan(engine: Engine, role: str) -> ReadOnlyPlan:
    """The statements that make ``role`` a read-only role of this base (nothing is applied)."""
    with engine.connect() as connection:
        return _plan(connection, role)


def grant_read_only(engine: Engine, role: str, *, command_line: str = "") -> GrantReport:
    """Apply :func:`read_only_plan`, check that the server granted everything, journal it."""
    with write_transaction(engine) as connection:  # the key is drawn under the lock extract() takes
        plan = _plan(connection, role)
        if not plan.role_exists:
            raise ExplocError(
                f"Le rôle « {role} » n'existe pas sur le serveur.",
                f"Un administrateur du serveur le crée d'abord : CREATE ROLE {_quote(role)} LOGIN PASSWORD '…'; "
                "puis relancez la commande.",
            )
        granted_by = str(connection.execute(text("SELECT current_user")).scalar())
        *grants, key = plan.statements
        try:
            for statement in grants:
                connection.exec_driver_sql(statement.sql)
            if not _granted(connection, role, plan):
                raise _not_owner(granted_by, role)
            connection.exec_driver_sql(key.sql)
        except RightsError:  # the transaction is rolled back: nothing granted
            raise _not_owner(granted_by, role) from None
        can_write = _has(connection, role, "signalement", "INSERT")
        audit.record(
            connection,
            audit.AuditEntry(
                "droits_lecture",
                command_line,
                details={"role": role, "tables": len(plan.tables), "lecture_seule": not can_write},
            ),
        )
    return GrantReport(role, plan.database, plan.schema, plan.tables, can_write)


def _not_owner(granted_by: str, role: str) -> RightsError:
    """A GRANT by a role without the grant option only warns: told in French instead."""
    return RightsError(
        f"Les droits n'ont pas été donnés : le rôle « {granted_by} » n'est ni le propriétaire des tables "
        "d'exploc (le compte qui a lancé exploc init) ni un administrateur du serveur.",
        f"Lancez la commande avec ce compte, ou donnez à l'administrateur du serveur le script de "
        f"exploc droits lecture {role} --afficher (code de sortie 7).",
    )


def _plan(connection: Connection, role: str) -> ReadOnlyPlan:
    if not role.strip():
        raise ExplocError("Le nom du rôle est vide.", "Exemple : exploc droits lecture lecture_caf")
    database, schema, sequence, exists = connection.execute(
        text(
            "SELECT current_database(), current_schema(), pg_get_serial_sequence(:journal, 'id'), "
            "EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :role)"
        ),
        {"journal": JOURNAL, "role": role},
    ).one()
    tables = _exploc_tables(connection)
    who, where = _quote(role), f"{_quote(schema)}."
    statements = [
        Statement("se connecter à la base", f"GRANT CONNECT ON DATABASE {_quote(database)} TO {who}"),
        Statement("atteindre les tables d'exploc", f"GRANT USAGE ON SCHEMA {_quote(schema)} TO {who}"),
        Statement(
            "lire toutes les tables d'exploc (listes, parcours, extractions, exports, documents, diagnostics)",
            f"GRANT SELECT ON TABLE {', '.join(where + _quote(t) for t in tables)} TO {who}",
        ),
        Statement(
            "inscrire au journal chaque extraction et chaque document : pas de fichier nominatif sans son entrée",
            f"GRANT INSERT ON TABLE {where}{_quote(JOURNAL)} TO {who}",
        ),
    ]
    if sequence:  # pg_get_serial_sequence gives it qualified and quoted
        statements.append(Statement("numéroter les entrées du journal", f"GRANT USAGE ON SEQUENCE {sequence} TO {who}"))
    statements.append(
        Statement(
            "la clé des pseudonymes (exploc extraire --pseudonymiser), tirée par le serveur si la base n'en a pas "
            "encore : un rôle en lecture seule ne pourrait pas l'écrire",
            f"INSERT INTO {where}{_quote('parametre')} (cle, valeur) SELECT '{PSEUDONYM_KEY}', "
            "replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', '') ON CONFLICT (cle) DO NOTHING",
        )
    )
    return ReadOnlyPlan(role, str(database), str(schema), tables, sequence, tuple(statements), bool(exists))


def _exploc_tables(connection: Connection) -> tuple[str, ...]:
    """exploc's tables in the schema in use, as they are now (another application's are left alone)."""
    present = connection.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()"))
    return tuple(sorted(set(present.scalars()) & {"alembic_version", *SQLModel.metadata.tables}))


def _granted(connection: Connection, role: str, plan: ReadOnlyPlan) -> bool:
    """Does ``role`` hold every right of the plan? (a GRANT without the grant option only warns)"""
    readable = all(_has(connection, role, table, "SELECT") for table in plan.tables)
    numbered = plan.sequence is None or bool(
        connection.execute(
            text("SELECT has_sequence_privilege(:role, :sequence, 'USAGE')"), {"role": role, "sequence": plan.sequence}
        ).scalar()
    )
    return readable and numbered and _has(connection, role, JOURNAL, "INSERT")


def role_rights(engine: Engine) -> tuple[bool, str]:
    """What the role in use may do on this base (``exploc verifier``): all is well when it may
    read every table and journal its extractions; whether it may also write is said."""
    with engine.connect() as connection:
        role = str(connection.execute(text("SELECT current_user")).scalar())
        tables = _exploc_tables(connection)
        unreadable = [table for table in tables if not _has(connection, role, table, "SELECT")]
        journal = _has(connection, role, JOURNAL, "INSERT")
        writes = _has(connection, role, "signalement", "INSERT")
    fix = f"exploc droits lecture {role}, par le propriétaire des tables"
    if unreadable:
        shown = ", ".join(unreadable[:5]) + ("…" if len(unreadable) > 5 else "")
        return False, f"le rôle {role} ne peut pas lire {len(unreadable)} table(s) ({shown}) : {fix}"
    if not journal:
        return False, f"le rôle {role} ne peut pas écrire au journal : extractions et documents impossibles ({fix})"
    if writes:
        return True, f"le rôle {role} peut lire et écrire (imports, séances, décisions)"
    return True, (
        f"le rôle {role} est en lecture seule : listes, extractions et documents (journalisés), exports, "
        "diagnostics ; ni import ni modification"
    )


def _has(connection: Connection, role: str, table: str, privilege: str) -> bool:
    return bool(
        connection.execute(
            text("SELECT has_table_privilege(:role, :table, :privilege)"),
            {"role": role, "table": table, "privilege": privilege},
        ).scalar()
    )


def _quote(identifier: str) -> str:
    """A PostgreSQL identifier, always quoted (a role may be named « Lecture CAF »)."""
    return '"' + identifier.replace('"', '""') + '"'


@dataclass(frozen=True)
class RevokeReport:
    role: str
    database: str
    tables: tuple[str, ...]
    still_readable: tuple[str, ...]  # through PUBLIC or another role it belongs to

    def to_json(self) -> dict[str, Any]:
        return {"role": self.role, "base": self.database, "encore_lisibles": list(self.still_readable)}


def revoke_plan(engine: Engine, role: str) -> ReadOnlyPlan:
    """The statements that take back every right ``role`` was given on this base (nothing applied)."""
    with engine.connect() as connection:
        return _revoke_plan(connection, role)


def revoke_rights(engine: Engine, role: str, *, command_line: str = "") -> RevokeReport:
    """Apply :func:`revoke_plan`, check that the role reads no table of exploc itself, journal it."""
    with write_transaction(engine) as connection:
        plan = _revoke_plan(connection, role)
        if not plan.role_exists:
            raise ExplocError(f"Le rôle « {role} » n'existe pas sur le serveur : il n'a aucun droit à retirer.")
        revoked_by = str(connection.execute(text("SELECT current_user")).scalar())
        try:
            for statement in plan.statements:
                connection.exec_driver_sql(statement.sql)
        except RightsError:
            raise _not_owner(revoked_by, role) from None
        own = [t for t in plan.tables if _holds(connection, role, t)]
        if own:  # a REVOKE by a role without the grant option only warns
            raise _not_owner(revoked_by, role)
        still = tuple(t for t in plan.tables if _has(connection, role, t, "SELECT"))
        audit.record(
            connection,
            audit.AuditEntry("droits_retrait", command_line, details={"role": role, "encore_lisibles": len(still)}),
        )
    return RevokeReport(role, plan.database, plan.tables, still)


def _revoke_plan(connection: Connection, role: str) -> ReadOnlyPlan:
    granted = _plan(connection, role)
    who, where = _quote(role), f"{_quote(granted.schema)}."
    statements = [
        Statement(
            "plus aucun droit sur les tables d'exploc",
            f"REVOKE ALL ON TABLE {', '.join(where + _quote(t) for t in granted.tables)} FROM {who}",
        )
    ]
    if granted.sequence:
        statements.append(
            Statement("ni sur la numérotation du journal", f"REVOKE ALL ON SEQUENCE {granted.sequence} FROM {who}")
        )
    statements += [
        Statement("ni sur le schéma", f"REVOKE ALL ON SCHEMA {_quote(granted.schema)} FROM {who}"),
        Statement("ni sur la base", f"REVOKE ALL ON DATABASE {_quote(granted.database)} FROM {who}"),
    ]
    return replace(granted, statements=tuple(statements), revoking=True)


def _holds(connection: Connection, role: str, table: str) -> bool:
    """Does ``role`` itself (not through PUBLIC nor another role) hold a right on ``table``?"""
    return bool(
        connection.execute(
            text(
                "SELECT EXISTS (SELECT 1 FROM information_schema.role_table_grants "
                "WHERE grantee = :role AND table_name = :table AND table_schema = current_schema())"
            ),
            {"role": role, "table": table},
        ).scalar()
    )
