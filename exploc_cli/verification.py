"""``exploc verifier``: configuration, base, rules and access rights, every check reported in French.

Never stops at the first problem: a broken configuration is reported and the other checks run
with the defaults, so that one run tells the secretary everything to fix.
"""

from __future__ import annotations

import sys
from pathlib import Path

from .affectation.rules import load_rule_book, rules_path
from .config import Settings, load_settings
from .errors import ExplocError
from .parcours import load_deadline_rules
from .paths import user_log_dir
from .seances.referentiel import load_referentiel, referentiel_path
from .store.checks import CheckReport, verify_store
from .store.db import StoreLocation, resolve_location

POSIX = sys.platform != "win32"


def verify_installation(
    base: str | None, config_file: Path, *, config_required: bool, busy_timeout_s: float | None = None
) -> CheckReport:
    """Every check but the Word templates' (``documents.checks``), in the order they are shown."""
    report = CheckReport()
    settings = _check_configuration(report, config_file, config_required)
    location = _location(report, base, settings)
    if location is not None:
        timeout = busy_timeout_s if busy_timeout_s is not None else settings.base.attente_verrou_secondes
        for check in verify_store(location, busy_timeout_s=timeout).checks:
            report.checks.append(check)
        _check_store_files(report, location)
    _check_rules(report, config_file.parent)
    log_folder = user_log_dir()
    if log_folder.exists():
        _check_private(report, "droits_journal_technique", log_folder, 0o700, "le dossier du journal technique")
        for log in sorted(log_folder.glob("exploc.log*")):
            _check_private(report, "droits_journal_technique", log, 0o600, f"le journal technique {log.name}")
    return report


def _check_configuration(report: CheckReport, config_file: Path, required: bool) -> Settings:
    try:
        settings = load_settings(config_file, required=required)
    except ExplocError as err:
        report.add("configuration", False, f"{err} (les autres contrôles utilisent les valeurs par défaut)")
        settings = Settings()
    else:
        if config_file.exists():
            report.add("configuration", True, f"{config_file} : valide")
        else:
            report.add(
                "configuration", True, f"pas de fichier {config_file} : valeurs par défaut (créé par exploc init)"
            )
    if config_file.parent.exists():
        _check_private(report, "droits_configuration", config_file.parent, 0o700, "le dossier de configuration")
    return settings


def _location(report: CheckReport, base: str | None, settings: Settings) -> StoreLocation | None:
    try:
        return resolve_location(base or settings.base.chemin)
    except ExplocError as err:
        report.add("base", False, str(err))
        return None


def _check_store_files(report: CheckReport, location: StoreLocation) -> None:
    """The base's companions: its WAL files (same data as the base) and the rejects folder."""
    if location.sqlite_path is None or not location.sqlite_path.exists():
        return
    for suffix in ("-wal", "-shm"):
        companion = location.sqlite_path.with_name(location.sqlite_path.name + suffix)
        if companion.exists():
            _check_private(report, "droits", companion, 0o600, f"le fichier {companion.name}")
    rejects = location.data_dir / "rejets"
    if rejects.exists():
        _check_private(report, "droits_rejets", rejects, 0o700, "le dossier des rejets")


def _check_rules(report: CheckReport, config_dir: Path) -> None:
    """Each rules file in force is read and checked as the commands would read it."""
    path = rules_path(config_dir)
    try:
        rules = load_rule_book(config_dir)
        own = "".join(f", règles propres au département {code}" for code in sorted(rules.by_departement))
        report.add("regles_affectation", True, f"{path} : version {rules.label}, {len(rules.rules)} règle(s){own}")
    except ExplocError as err:
        report.add("regles_affectation", False, str(err))
    try:
        deadlines = load_deadline_rules()
        report.add("delais", True, f"{len(deadlines.regle)} règle(s) de délais légaux")
    except ExplocError as err:
        report.add("delais", False, str(err))
    try:
        load_referentiel(config_dir)
        report.add("referentiel_seances", True, f"{referentiel_path(config_dir)} : valide")
    except ExplocError as err:
        report.add("referentiel_seances", False, str(err))


def _check_private(report: CheckReport, name: str, path: Path, expected: int, what: str) -> None:
    """``path`` must give nothing to the group and to others (POSIX; Windows relies on the profile)."""
    if not POSIX:
        return
    mode = path.stat().st_mode & 0o777
    command = f"chmod {expected:o} {path}"
    if mode & 0o077:
        report.add(name, False, f"{what} est accessible à d'autres comptes ({mode:o}) : {command}")
    else:
        report.add(name, True, f"{what} n'est accessible qu'à son propriétaire ({mode:o})")
