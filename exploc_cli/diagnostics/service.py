"""What the commands call: ``run_diagnostic`` (``exploc diagnostic``) and ``run_bilan`` (``exploc bilan``).

Each reads the base once (``compute``), builds the protected tables (``assemble``), writes the .xlsx
(``workbook``) or the .docx (``report``, ``bilan``) owner-only and atomically, and journals the
document — which names no household.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text

from .. import audit
from ..config import Settings
from ..errors import ExplocError
from ..outputs import sha256_of
from ..seances.referentiel import load_referentiel
from ..store.db import write_transaction
from .assemble import assemble
from .compute import compute
from .fold import Period
from .model import Diagnostic
from .objectives import default_objectives_path, load_objectives, measure
from .territories import EpciTable, Territories, default_epci_path, load_epci_table

# « < 2 » would say « 1 » (zeros are shown): the smallest threshold that hides anything is 3
MIN_THRESHOLD, MAX_THRESHOLD = 3, 1000


@dataclass(frozen=True)
class DiagnosticRequest:
    du: date | None = None
    au: date | None = None
    level: str = "commune"
    comparer_du: date | None = None
    comparer_au: date | None = None
    threshold: int = 5
    epci_table: Path | None = None
    departement: str | None = None


@dataclass(frozen=True)
class DiagnosticReport:
    path: Path
    kind: str
    diagnostic: Diagnostic
    sha256: str

    def to_json(self) -> dict[str, Any]:
        d = self.diagnostic
        primary, secondary = d.masked
        return {
            "fichier": str(self.path),
            "format": self.kind,
            "periode": {"du": d.period.du.isoformat(), "au": d.period.au.isoformat()},
            "comparaison": {"du": d.comparison.du.isoformat(), "au": d.comparison.au.isoformat()}
            if d.comparison
            else None,
            "territoire": d.level,
            "seuil_secret": d.threshold,
            "menages": d.households,
            "tableaux": d.tables,
            "cellules_masquees": {"primaire": primary, "secondaire": secondary},
            "chiffres_cles": [{"indicateur": h.label, "valeur": h.value.text()} for h in d.headlines],
            "sha256": self.sha256,
        }


def default_period(today: date) -> Period:
    """The last twelve complete months (01/11/2025 to 31/10/2026 on 23/11/2026)."""
    end = today.replace(day=1) - timedelta(days=1)
    return Period(_twelve_months_before(end), end)


def _twelve_months_before(end: date) -> date:
    """The first day of the twelve-month span that ends with ``end``'s month."""
    return date(end.year, 1, 1) if end.month == 12 else date(end.year - 1, end.month + 1, 1)


def output_kind(path: Path, allowed: tuple[str, ...]) -> str:
    kind = path.suffix.lower().lstrip(".")
    if kind not in allowed:
        raise ExplocError(
            f"Format de sortie non pris en charge : « {path.name} ».",
            "Nommez le fichier " + " ou ".join(f"….{k}" for k in allowed) + ".",
        )
    return kind


def check_threshold(threshold: int) -> None:
    if not MIN_THRESHOLD <= threshold <= MAX_THRESHOLD:
        raise ExplocError(
            f"Seuil du secret statistique invalide : {threshold}.",
            f"Indiquez un nombre de {MIN_THRESHOLD} à {MAX_THRESHOLD} (5 par défaut, 11 pour la règle de la DGFiP).",
        )


def periods_of(request: DiagnosticRequest, today: date) -> list[Period]:
    fallback = default_period(today)
    au = request.au or (today if request.du else fallback.au)
    period = Period(request.du or (fallback.du if request.au is None else _twelve_months_before(au)), au)
    if period.du > period.au:
        raise ExplocError("La période est vide : --du est après --au.")
    found = [period]
    if (request.comparer_du is None) != (request.comparer_au is None):
        raise ExplocError("Pour comparer, indiquez les deux bornes : --comparer-du et --comparer-au.")
    if request.comparer_du is not None and request.comparer_au is not None:
        if request.comparer_du > request.comparer_au:
            raise ExplocError("La période de comparaison est vide : --comparer-du est après --comparer-au.")
        found.append(Period(request.comparer_du, request.comparer_au))
    return found


def _epci(level: str, path: Path | None, config_dir: Path | None) -> EpciTable | None:
    if level != "epci":
        return None
    if path is None:
        default = default_epci_path(config_dir)
        path = default if default is not None and default.is_file() else None
    return load_epci_table(path) if path is not None else None


def build_diagnostic(
    engine: Engine,
    periods: list[Period],
    level: str,
    threshold: int,
    *,
    today: date,
    settings: Settings,
    config_dir: Path | None,
    epci_table: Path | None = None,
    departement: str | None = None,
) -> Diagnostic:
    check_threshold(threshold)
    epci = _epci(level, epci_table, config_dir)
    territories = Territories(level, epci=epci)
    referentiel = load_referentiel(config_dir)
    with engine.connect() as connection:
        computed = compute(
            connection, periods, territories, horizon=today, alerts=settings.alertes, departement=departement
        )
    return assemble(
        computed,
        territories,
        threshold,
        generated=today,
        horizon=today,
        avis_labels=referentiel.avis_label,
        destinataire_labels=referentiel.destinataire_label,
        epci_file=epci.path.name if epci is not None else None,
    )


def run_diagnostic(
    engine: Engine,
    destination: Path,
    request: DiagnosticRequest,
    *,
    today: date,
    settings: Settings,
    config_dir: Path | None,
    command_line: str = "",
) -> DiagnosticReport:
    kind = output_kind(destination, ("xlsx", "docx"))
    diagnostic = build_diagnostic(
        engine, periods_of(request, today), request.level, request.threshold, today=today, settings=settings,
        config_dir=config_dir, epci_table=request.epci_table, departement=request.departement,
    )  # fmt: skip
    if kind == "xlsx":
        from .workbook import write_workbook

        write_workbook(diagnostic, destination)
    else:
        from .report import diagnostic_context, write_report

        write_report("diagnostic", lambda images: diagnostic_context(diagnostic, settings, images), destination,
                     config_dir)  # fmt: skip
    digest = _journal(engine, "diagnostic", diagnostic, destination, kind, command_line)
    return DiagnosticReport(destination, kind, diagnostic, digest)


def run_bilan(
    engine: Engine,
    destination: Path,
    year: int,
    *,
    level: str,
    threshold: int,
    objectives_path: Path | None,
    today: date,
    settings: Settings,
    config_dir: Path | None,
    epci_table: Path | None = None,
    command_line: str = "",
) -> DiagnosticReport:
    kind = output_kind(destination, ("docx",))
    if not 2000 <= year <= today.year:
        raise ExplocError(f"Année invalide : {year}.", f"Indiquez une année de 2000 à {today.year}.")
    periods = [Period(date(year, 1, 1), date(year, 12, 31)), Period(date(year - 1, 1, 1), date(year - 1, 12, 31))]
    diagnostic = build_diagnostic(
        engine, periods, level, threshold, today=today, settings=settings, config_dir=config_dir,
        epci_table=epci_table,
    )  # fmt: skip
    if objectives_path is None:
        default = default_objectives_path(config_dir)
        objectives_path = default if default is not None and default.is_file() else None
    objectives = measure(load_objectives(objectives_path), diagnostic.headlines, year) if objectives_path else []
    seances = _seances(engine, periods[0])
    from .bilan import bilan_context
    from .report import write_report

    write_report(
        "bilan", lambda images: bilan_context(diagnostic, year, settings, images, objectives, seances), destination,
        config_dir,
    )  # fmt: skip
    digest = _journal(engine, "bilan", diagnostic, destination, kind, command_line)
    return DiagnosticReport(destination, kind, diagnostic, digest)


def _seances(engine: Engine, period: Period) -> int:
    with engine.connect() as connection:
        found = connection.execute(
            text("SELECT COUNT(*) FROM seance WHERE date_seance BETWEEN :du AND :au"),
            {"du": period.bounds[0], "au": period.bounds[1]},
        ).scalar()
    return int(found or 0)


def _journal(
    engine: Engine, action: str, diagnostic: Diagnostic, destination: Path, kind: str, command_line: str
) -> str:
    digest = sha256_of(destination)
    primary, secondary = diagnostic.masked
    filters: dict[str, Any] = {
        "du": diagnostic.period.du.isoformat(),
        "au": diagnostic.period.au.isoformat(),
        "territoire": diagnostic.level,
        "seuil_secret": diagnostic.threshold,
    }
    if diagnostic.comparison is not None:
        filters["comparer_du"] = diagnostic.comparison.du.isoformat()
        filters["comparer_au"] = diagnostic.comparison.au.isoformat()
    with write_transaction(engine) as connection:
        audit.record(
            connection,
            audit.AuditEntry(
                action=action,
                commande=command_line,
                filtres=filters,
                nb_lignes=diagnostic.households,
                chemin=str(destination.resolve()),
                sha256=digest,
                details={"format": kind, "tableaux": diagnostic.tables,
                         "cellules_masquees": {"primaire": primary, "secondaire": secondary}},
            ),
        )  # fmt: skip
    return digest
