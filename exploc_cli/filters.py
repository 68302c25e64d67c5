"""The filter vocabulary shared by every command that selects signalements or ménages.

``--etape``, ``--commune``, ``--bailleur``, ``--parc``, ``--dette-min``, ``--dette-max``, ``--du``,
``--au``, ``--alerte``, ``--statut``, ``--service`` and ``--departement`` mean the same thing
everywhere. For a signalement they test its own values (``--service``: its ménage's current
assignment); for a ménage, its current stage, its latest known commune, département and landlord,
its last debt, the date of its last event and its current assignment (see ``parcours.listing``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from .affectation.records import A_TRIER, SERVICE_NONE, SERVICE_TO_SORT, Assignment
from .errors import ExplocError
from .normalize.addresses import normalize_commune
from .normalize.departements import NAMES as DEPARTEMENTS
from .normalize.text import fold
from .normalize.vocabulary import EVENT_LABELS
from .parcours.alerts import ALERT_LABELS

STATUTS = ("ouvert", "clos")


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
    dette_max: int | None = None  # centimes
    alerte: str | None = None
    statut: str | None = None
    service: str | None = None  # a service or unit (code, or part of its name), « à trier » or « aucun »
    departement: str | None = None  # a code (« 93 », « 2A », « 974 »): see ``normalize.departements``

    def __post_init__(self) -> None:
        if self.etape is not None and self.etape not in EVENT_LABELS:
            raise ExplocError(
                f"Étape inconnue : « {self.etape} ».", hint="Étapes possibles : " + ", ".join(EVENT_LABELS)
            )
        if self.alerte is not None and self.alerte not in ALERT_LABELS:
            raise ExplocError(
                f"Alerte inconnue : « {self.alerte} ».",
                hint="Alertes possibles : " + " ; ".join(f"{code} ({label})" for code, label in ALERT_LABELS.items()),
            )
        if self.parc is not None and self.parc not in ("public", "prive"):
            raise ExplocError(f"Parc inconnu : « {self.parc} » (public ou prive).")
        if self.statut is not None and self.statut not in STATUTS:
            raise ExplocError(f"Statut inconnu : « {self.statut} » (ouvert ou clos).")
        if self.departement is not None and self.departement not in DEPARTEMENTS:
            raise ExplocError(
                f"Département inconnu : « {self.departement} ».",
                hint="Donnez son numéro (93, 2A, 974…) ou son nom (Seine-Saint-Denis).",
            )
        if self.du and self.au and self.du > self.au:
            raise ExplocError("La date --du est postérieure à la date --au.")
        if self.dette_min is not None and self.dette_max is not None and self.dette_min > self.dette_max:
            raise ExplocError("Le montant --dette-min est supérieur au montant --dette-max.")

    @property
    def commune_key(self) -> str | None:
        return fold(self.commune) if self.commune else None

    @property
    def commune_code(self) -> str | None:
        """The commune given as a code INSEE or a code postal (five characters, « 2A004 » too), else None."""
        if not self.commune:
            return None
        cleaned = self.commune.strip()
        if len(cleaned) == 5 and cleaned[:2].isalnum() and cleaned[2:].isdigit():
            return cleaned.upper()
        return None

    @property
    def commune_name(self) -> str | None:
        """The commune given by its name, written as the store keeps it (« SAINT-ANDRÉ-LEZ-LILLE »)."""
        if not self.commune or self.commune_code is not None:
            return None
        cleaned = self.commune.strip()
        try:
            return normalize_commune(cleaned)
        except ValueError:
            return cleaned.upper()

    def matches_commune(self, commune: str | None, code_postal: str | None, code_insee: str | None) -> bool:
        """Whether a place (as stored) is the commune of ``--commune`` (name, code postal or code INSEE)."""
        if not self.commune:
            return True
        code = self.commune_code
        if code is not None:
            return code in (code_insee, code_postal)
        return commune is not None and commune == self.commune_name

    def matches_bailleur(self, bailleur: str | None) -> bool:
        """Whether a landlord's name contains ``--bailleur`` (case and accents ignored)."""
        if not self.bailleur:
            return True
        return bailleur is not None and fold(self.bailleur) in fold(bailleur)

    def matches_service(self, assignment: Assignment | None) -> bool:
        """Whether a ménage's current assignment is the one ``--service`` asks for: a service or
        unit by its code (exactly) or its name (in part), « à trier », or « aucun » (never assigned)."""
        if not self.service:
            return True
        wanted = fold(self.service)
        if wanted in SERVICE_TO_SORT:
            return assignment is not None and assignment.statut == A_TRIER
        if wanted == SERVICE_NONE:
            return assignment is None
        return assignment is not None and assignment.matches(wanted)

    def to_json(self) -> dict[str, Any]:
        """The filters actually set, for the audit journal and the outputs."""
        return {k: (v.isoformat() if isinstance(v, date) else v) for k, v in asdict(self).items() if v is not None}
