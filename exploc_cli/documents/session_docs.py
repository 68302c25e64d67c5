"""Generating a session's documents from their Word templates, each one written to the journal.

The ordre du jour, the dossier (ordre du jour + one fiche de synthèse per ménage), the relevé de
décisions and the letters that follow the session (to each tenant, to each bailleur, the members'
convocation, one letter per mayor whose residents are examined). The journal names the ménages
by number, never by name.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from .. import audit
from ..config import Settings
from ..errors import ExplocError
from ..normalize.text import fold
from ..outputs import sha256_of
from ..paths import ensure_private_dir
from ..protect import encrypt_office_file
from ..seances.overview import SessionOverview, load_session
from ..seances.referentiel import Referentiel, load_referentiel
from ..store.db import write_transaction
from . import contexts
from .report import DocumentReport

KINDS = ("ordre_du_jour", "dossier_seance", "releve_decisions")


def _context(
    kind: str, overview: SessionOverview, settings: Settings, referentiel: Referentiel, today: date
) -> dict[str, Any]:
    base = contexts.common(overview, settings.ccapex, today)
    if kind == "ordre_du_jour":
        return {**base, "menages": [contexts.ligne(line) for line in overview.lines]}
    if kind == "dossier_seance":
        return {
            **base,
            "menages": [contexts.ligne(line) for line in overview.lines],
            "fiches": [contexts.fiche(line, referentiel) for line in overview.lines],
        }
    if kind == "releve_decisions":
        return {**base, "decisions": [contexts.decision(line, referentiel) for line in overview.lines]}
    raise ValueError(kind)


def render_document(name: str, context: dict[str, Any], output: Path, *, config_dir: Path | None) -> None:
    """docxtpl is loaded when a document is written, not when the command line starts."""
    from .render import render_document as render

    render(name, context, output, config_dir=config_dir)


def generate_document(
    engine: Engine,
    seance_id: int,
    kind: str,
    output: Path,
    settings: Settings,
    *,
    config_dir: Path | None,
    today: date,
    command_line: str,
    password: str | None = None,
) -> DocumentReport:
    """Write one session document (``kind`` in ``KINDS``) and journal it."""
    referentiel = load_referentiel(config_dir)
    with engine.connect() as connection:
        overview = load_session(connection, seance_id, today, settings)
    if not overview.lines:
        raise ExplocError(
            f"La séance n° {seance_id} n'a aucun ménage inscrit.", "Ajoutez-en avec exploc seances ajouter."
        )
    if kind == "releve_decisions" and not any(line.inscription.avis for line in overview.lines):
        raise ExplocError(
            f"Aucun avis n'est enregistré pour la séance n° {seance_id}.",
            "Saisissez-les dans la feuille de décisions (exploc seances feuille-decisions) "
            "puis relisez-la avec exploc seances decisions.",
        )
    render_document(kind, _context(kind, overview, settings, referentiel, today), output, config_dir=config_dir)
    if password is not None:
        encrypt_office_file(output, password)
    report = DocumentReport(seance_id, kind, [output], [line.parcours.menage_id for line in overview.lines])
    report.encrypted = password is not None
    _journal(engine, report, command_line)
    return report


def generate_letters(
    engine: Engine,
    seance_id: int,
    folder: Path,
    settings: Settings,
    *,
    config_dir: Path | None,
    today: date,
    command_line: str,
) -> DocumentReport:
    """The letters after the session: to each tenant and bailleur (ménages with an avis), the
    members' convocation, and one letter to each mayor whose residents are examined."""
    referentiel = load_referentiel(config_dir)
    with engine.connect() as connection:
        overview = load_session(connection, seance_id, today, settings)
    if not overview.lines:
        raise ExplocError(f"La séance n° {seance_id} n'a aucun ménage inscrit.")
    ensure_private_dir(folder)
    base = contexts.common(overview, settings.ccapex, today)
    report = DocumentReport(seance_id, "courriers")
    stamp = f"seance{seance_id}"
    convocation = folder / f"{stamp}_convocation_membres.docx"
    render_document(
        "convocation_membres", {**base, "points": contexts.points(overview.lines)}, convocation, config_dir=config_dir
    )
    report.files.append(convocation)
    by_commune: dict[str, list[Any]] = {}
    for line in overview.lines:
        commune = line.parcours.timeline.household.commune
        if commune:
            by_commune.setdefault(commune, []).append(line)
    for commune, lines in sorted(by_commune.items()):
        path = folder / f"{stamp}_maire_{_slug(commune)}.docx"
        context = {
            **base,
            "commune": commune,
            "nombre": len(lines),
            "points": [{"rang": line.inscription.rang, "etape": line.stage_label} for line in lines],
        }
        render_document("courrier_maire", context, path, config_dir=config_dir)
        report.files.append(path)
    for line in overview.lines:
        if not line.inscription.avis:
            continue  # nothing to notify yet
        decision = contexts.decision(line, referentiel)
        menage = line.parcours.menage_id
        tenant = folder / f"{stamp}_menage{menage}_locataire.docx"
        render_document(
            "courrier_locataire",
            {**base, "menage": contexts.addressee(line), "decision": decision},
            tenant,
            config_dir=config_dir,
        )
        report.files.append(tenant)
        bailleur = line.parcours.timeline.household.bailleur
        if bailleur:
            landlord = folder / f"{stamp}_menage{menage}_bailleur.docx"
            render_document(
                "courrier_bailleur",
                {**base, "bailleur": bailleur, "menage": contexts.addressee(line), "decision": decision},
                landlord,
                config_dir=config_dir,
            )
            report.files.append(landlord)
        report.menages.append(menage)
    _journal(engine, report, command_line)
    return report


def _slug(text: str) -> str:
    """A file-name-safe form of a commune's name (« SAINT-ÉTIENNE » -> « saint-etienne »)."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text).lower()).strip("-") or "commune"


def _journal(engine: Engine, report: DocumentReport, command_line: str) -> None:
    with write_transaction(engine) as connection:
        for path in report.files:
            audit.record(
                connection,
                audit.AuditEntry(
                    "document",
                    command_line,
                    nb_lignes=len(report.menages),
                    chemin=str(path),
                    sha256=sha256_of(path),
                    details={
                        "seance": report.seance,
                        "document": report.kind,
                        "menages": report.menages,
                        "chiffre": report.encrypted,
                    },
                ),
            )
