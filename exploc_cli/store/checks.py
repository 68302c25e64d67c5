"""``exploc verifier``: is the configuration valid and the base healthy and up to date?"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy.exc import SQLAlchemyError

from ..errors import ExplocError
from .db import StoreLocation, create_store_engine, current_revision, head_revision


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


def verify_store(location: StoreLocation, *, busy_timeout_s: float = 600.0) -> CheckReport:
    """Run every check and report them all (never stops at the first problem)."""
    report = CheckReport()
    if location.sqlite_path is not None and not location.sqlite_path.exists():
        report.add("base", False, f"la base {location.display} n'existe pas (exploc init)")
        return report
    engine = create_store_engine(location, busy_timeout_s=busy_timeout_s)
    try:
        revision = current_revision(engine)
        head = head_revision()
        report.add(
            "schema",
            revision == head,
            f"schéma {revision} à jour" if revision == head else f"schéma {revision}, attendu {head} (exploc init)",
        )
        if location.is_sqlite:
            with engine.connect() as connection:
                integrity = [r[0] for r in connection.exec_driver_sql("PRAGMA integrity_check").all()]
                report.add(
                    "integrite",
                    integrity == ["ok"],
                    "intégrité vérifiée" if integrity == ["ok"] else "; ".join(integrity[:5]),
                )
                orphans = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
                report.add(
                    "references",
                    not orphans,
                    "références cohérentes" if not orphans else f"{len(orphans)} référence(s) orpheline(s)",
                )
            if location.sqlite_path is not None:
                mode = location.sqlite_path.stat().st_mode & 0o777
                report.add(
                    "droits",
                    mode & 0o077 == 0,
                    f"fichier lisible par son seul propriétaire ({mode:o})"
                    if mode & 0o077 == 0
                    else f"le fichier de la base est lisible par d'autres comptes ({mode:o}) : chmod 600",
                )
    except SQLAlchemyError as err:
        report.add("connexion", False, f"base illisible : {getattr(err, 'orig', err)}")
    except ExplocError as err:
        report.add("base", False, str(err))
    finally:
        engine.dispose()
    return report
