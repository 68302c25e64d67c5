"""``exploc verifier``: is the configuration valid and the base healthy and up to date?"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError, SQLAlchemyError

from ..errors import ExplocError
from .db import DEFAULT_BUSY_TIMEOUT_S, StoreLocation, create_store_engine, current_revision, head_revision
from .rights import role_rights


@dataclass
class Check:
    name: str
    ok: bool
    detail: str


@dataclass
class CheckReport:
    checks: list[Check] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)

    def add(self, name: str, ok: bool, detail: str) -> None:
        self.checks.append(Check(name, ok, detail))

    def to_json(self) -> dict[str, object]:
        return {"ok": self.ok, "controles": [{"controle": c.name, "ok": c.ok, "detail": c.detail} for c in self.checks]}


def verify_store(location: StoreLocation, *, busy_timeout_s: float = DEFAULT_BUSY_TIMEOUT_S) -> CheckReport:
    """Run every check and report them all: one that fails (a damaged page) never hides the others."""
    report = CheckReport()
    if location.sqlite_path is not None and not location.sqlite_path.exists():
        report.add("base", False, f"la base {location.display} n'existe pas (exploc init)")
        return report
    engine = create_store_engine(location, busy_timeout_s=busy_timeout_s)
    try:
        if not location.is_sqlite:
            _checked(report, "serveur", lambda: _server(engine))
            if not report.checks[-1].ok:
                return report
        _checked(report, "schema", lambda: _schema(engine))
        if not location.is_sqlite and report.checks[-1].ok:
            _checked(report, "droits_role", lambda: role_rights(engine))
        if location.is_sqlite:
            _checked(report, "integrite", lambda: _integrity(engine))
            _checked(report, "references", lambda: _references(engine))
    finally:
        engine.dispose()
    if location.sqlite_path is not None and sys.platform == "win32":
        report.add("droits", True, "droits du dossier de l'utilisateur (Windows)")
    elif location.sqlite_path is not None:
        mode = location.sqlite_path.stat().st_mode & 0o777
        report.add(
            "droits",
            mode & 0o077 == 0,
            f"fichier lisible par son seul propriétaire ({mode:o})"
            if mode & 0o077 == 0
            else f"le fichier de la base est lisible par d'autres comptes ({mode:o}) : chmod 600",
        )
    return report


def _checked(report: CheckReport, name: str, check: Callable[[], tuple[bool, str]]) -> None:
    try:
        ok, detail = check()
    except SQLAlchemyError as err:
        ok, detail = False, f"base illisible ou endommagée : {getattr(err, 'orig', err)}"
    except ExplocError as err:
        ok, detail = False, str(err)
    report.add(name, ok, detail)


def _server(engine: Engine) -> tuple[bool, str]:
    """The server answers, and who we are on it (PostgreSQL)."""
    try:
        with engine.connect() as connection:
            version, database, role = connection.execute(
                text("SELECT current_setting('server_version'), current_database(), current_user")
            ).one()
    except OperationalError as err:
        reason = " ".join(str(err.orig).split())
        return False, f"serveur injoignable ou connexion refusée : {reason}"
    return True, f"serveur PostgreSQL {version} joignable (base {database}, rôle {role})"


def _schema(engine: Engine) -> tuple[bool, str]:
    revision, head = current_revision(engine), head_revision()
    if revision is None:
        return False, f"base vide : aucun schéma, attendu {head} (exploc init)"
    if revision == head:
        return True, f"schéma {revision} à jour"
    return False, f"schéma {revision}, attendu {head} (exploc init)"


def _integrity(engine: Engine) -> tuple[bool, str]:
    with engine.connect() as connection:
        integrity = [r[0] for r in connection.exec_driver_sql("PRAGMA integrity_check").all()]
    if integrity == ["ok"]:
        return True, "intégrité vérifiée"
    return False, "base endommagée : " + "; ".join(integrity[:5])


def _references(engine: Engine) -> tuple[bool, str]:
    with engine.connect() as connection:
        orphans = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
    if not orphans:
        return True, "références cohérentes"
    return False, f"{len(orphans)} référence(s) orpheline(s)"
