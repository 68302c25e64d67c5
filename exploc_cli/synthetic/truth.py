"""The simulated events behind the files, for tests that check indicators and linkage."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from pathlib import Path

from .households import Menage

EVENTS_HEADER = ("menage_vrai", "episode", "evenement", "date", "valeur", "reference", "dette")


def event_lines(menage: Menage) -> list[tuple[str, int, str, str, str, str, str]]:
    """One line per simulated event, follow-up start and end included (dette in euros)."""
    lines = [
        (
            menage.ident,
            e.episode,
            e.code,
            e.date.isoformat(),
            e.valeur,
            e.reference,
            f"{e.dette / 100:.2f}" if e.dette else "",
        )
        for e in menage.evenements
    ]
    if menage.suivi is not None:
        lines.append((menage.ident, 0, "debut_suivi", menage.suivi.debut.isoformat(), menage.suivi.service, "", ""))
        if menage.suivi.fin is not None:
            lines.append((menage.ident, 0, "fin_suivi", menage.suivi.fin.isoformat(), menage.suivi.service, "", ""))
    return lines


def write_events(menages: Iterable[Menage], path: Path) -> None:
    """Write ``menage_vrai;episode;evenement;date;valeur;reference;dette`` (UTF-8)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\n")
        writer.writerow(EVENTS_HEADER)
        for menage in menages:
            writer.writerows(event_lines(menage))
