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

from ..config import Settings
from ..errors import ExplocError
from ..normalize.text import fold
from ..outputs import private_output
from ..paths import ensure_private_dir
from ..protect import encrypt_office_bytes
from ..seances.overview import SessionLine, SessionOverview, load_session
from ..seances.referentiel import Referentiel, load_referentiel
from . import contexts
from .report import DocumentReport, journal_or_remove

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


def render_document(
    name: str, context: dict[str, Any], output: Path, *, config_dir: Path | None, password: str | None = None
) -> None:
    """Fill template ``name`` into ``output`` (owner-only, atomic); with a password, the file is
    encrypted before it is written, so that no clear copy ever touches the disk. docxtpl is
    loaded when a document is written, not when the command line starts."""
    from .render import render_to_bytes

    content = render_to_bytes(name, context, config_dir=config_dir)
    if password is not None:
        content = encrypt_office_bytes(content, password)
    with private_output(output, mode="wb") as handle:
        handle.write(content)


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
    context = _context(kind, overview, settings, referentiel, today)
    render_document(kind, context, output, config_dir=config_dir, password=password)
    report = DocumentReport(seance_id, kind, [output], [line.parcours.menage_id for line in overview.lines])
    report.encrypted = password is not None
    journal_or_remove(engine, report, command_line)
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
    from .render import render_to_bytes  # docxtpl, loaded only to write documents

    referentiel = load_referentiel(config_dir)
    with engine.connect() as connection:
        overview = load_session(connection, seance_id, today, settings)
    if not overview.lines:
        raise ExplocError(f"La séance n° {seance_id} n'a aucun ménage inscrit.")
    base = contexts.common(overview, settings.ccapex, today)
    stamp = f"seance{seance_id}"
    # (file name, template, context) of every letter
    letters: list[tuple[str, str, dict[str, Any]]] = [
        (
            f"{stamp}_convocation_membres.docx",
            "convocation_membres",
            {**base, "points": contexts.points(overview.lines)},
        )
    ]
    by_commune: dict[str, list[SessionLine]] = {}
    for line in overview.lines:
        commune = line.parcours.timeline.household.commune
        if commune:
            by_commune.setdefault(commune, []).append(line)
    for commune, lines in sorted(by_commune.items()):
        points = [{"rang": line.inscription.rang, "etape": line.stage_label} for line in lines]
        context = {**base, "commune": commune, "nombre": len(lines), "points": points}
        letters.append((f"{stamp}_maire_{_slug(commune)}.docx", "courrier_maire", context))
    notified: list[int] = []
    for line in overview.lines:
        if not line.inscription.avis:
            continue  # nothing to notify yet
        menage = line.parcours.menage_id
        notice = {**base, "menage": contexts.addressee(line), "decision": contexts.decision(line, referentiel)}
        letters.append((f"{stamp}_menage{menage}_locataire.docx", "courrier_locataire", notice))
        bailleur = line.parcours.timeline.household.bailleur
        if bailleur:
            letters.append(
                (f"{stamp}_menage{menage}_bailleur.docx", "courrier_bailleur", {**notice, "bailleur": bailleur})
            )
        notified.append(menage)
    # every letter filled before any is written: a broken template leaves no partial set behind
    filled = [
        (folder / name, render_to_bytes(template, context, config_dir=config_dir))
        for name, template, context in letters
    ]
    ensure_private_dir(folder)
    report = DocumentReport(seance_id, "courriers", menages=notified)
    try:
        for path, content in filled:
            with private_output(path, mode="wb") as handle:
                handle.write(content)
            report.files.append(path)
    finally:  # whatever was written is journaled
        journal_or_remove(engine, report, command_line)
    return report


def _slug(text: str) -> str:
    """A file-name-safe form of a commune's name (« SAINT-ÉTIENNE » -> « saint-etienne »)."""
    return re.sub(r"[^a-z0-9]+", "-", fold(text).lower()).strip("-") or "commune"
