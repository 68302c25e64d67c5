"""The filter vocabulary shared by every command that selects signalements or ménages.

``--etape``, ``--commune``, ``--bailleur``, ``--parc``, ``--dette-min``, ``--du``, ``--au``
(and later ``--alerte``, ``--service``, ``--unite``) mean the same thing everywhere.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from .errors import ExplocError
from .normalize.text import fold
from .normalize.vocabulary import EVENT_LABELS


@dataclass(frozen=True)
class Filters:
    etape: str | None = None
    commune: str | None = None
    bailleur: str | None = None
    parc: str | None = None
    dette_min: int | None = None  # centimes
    du: date | None = None
    au: date | None = None
    source: str | None = None

    def __post_init__(self) -> None:
        if self.etape is not None and self.etape not in EVENT_LABELS:
            raise ExplocError(
                f"Étape inconnue : « {self.etape} ».", hint="Étapes possibles : " + ", ".join(EVENT_LABELS)
            )
        if self.parc is not None and self.parc not in ("public", "prive"):
            raise ExplocError(f"Parc inconnu : « {self.parc} » (public ou prive).")
        if self.du and self.au and self.du > self.au:
            raise ExplocError("La date --du est postérieure à la date --au.")

    @property
    def commune_key(self) -> str | None:
        return fold(self.commune) if self.commune else None

    def to_json(self) -> dict[str, Any]:
        """The filters actually set, for the audit journal and the outputs."""
        return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in asdict(self).items() if v is not None}
