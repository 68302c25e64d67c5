"""The columns an extraction may carry, and the profiles that choose them for each recipient.

Each recipient gets the minimum it needs (professional secrecy, DOMAIN.md §2): a social service
the household's composition and contact, a bailleur its tenant's procedure and debt, the
préfecture the stage and the assignment. A département adds or changes profiles in the
``[extraction.profils]`` section of its configuration.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from ..errors import ExplocError
from ..outputs import CellValue, XlsxColumn
from ..parcours.listing import alert_labels
from ..parcours.report import PARC_LABELS
from ..parcours.service import MenageSummary


@dataclass(frozen=True)
class Column:
    code: str
    sheet: XlsxColumn
    value: Callable[[MenageSummary], CellValue]
    identifying: bool = False  # replaced or dropped when pseudonymising


def _household(attribute: str) -> Callable[[MenageSummary], CellValue]:
    def get(summary: MenageSummary) -> CellValue:
        value: CellValue = getattr(summary.household, attribute, None) if summary.household else None
        return value

    return get


def _names(summary: MenageSummary) -> CellValue:
    return " ; ".join(n for n in (summary.nom, summary.nom2) if n)


def _first_names(summary: MenageSummary) -> CellValue:
    return " ; ".join(p for p in (summary.prenoms, summary.prenoms2) if p)


def _rent(summary: MenageSummary) -> CellValue:
    return summary.household.rent if summary.household else None


def _service(summary: MenageSummary) -> CellValue:
    return summary.affectation.service_column if summary.affectation else None


def _unit(summary: MenageSummary) -> CellValue:
    return summary.affectation.unit_column if summary.affectation else None


def _referent(summary: MenageSummary) -> CellValue:
    return summary.affectation.referent if summary.affectation else None


def _status(summary: MenageSummary) -> CellValue:
    return summary.statut + (" (rouvert)" if summary.reopened else "")


COLUMNS: Mapping[str, Column] = MappingProxyType(
    {
        c.code: c
        for c in (
            Column("menage", XlsxColumn("Ménage", "number", 9), lambda s: s.menage_id, identifying=True),
            Column("noms", XlsxColumn("Nom(s)", "text", 24), _names, identifying=True),
            Column("prenoms", XlsxColumn("Prénom(s)", "text", 22), _first_names, identifying=True),
            Column("date_naissance", XlsxColumn("Date de naissance", "date", 12), _household("date_naissance"), True),
            Column("telephone", XlsxColumn("Téléphone", "text", 15), _household("telephone"), identifying=True),
            Column("adresse", XlsxColumn("Adresse", "text", 32), _household("street"), identifying=True),
            Column("code_postal", XlsxColumn("Code postal", "text", 10), lambda s: s.code_postal),
            Column("commune", XlsxColumn("Commune", "text", 22), lambda s: s.commune),
            Column("code_insee", XlsxColumn("Code INSEE", "text", 10), lambda s: s.code_insee),
            Column("departement", XlsxColumn("Département", "text", 12), lambda s: s.departement),
            Column("enfants", XlsxColumn("Enfants", "number", 8), _household("enfants")),
            Column(
                "numero_allocataire", XlsxColumn("N° allocataire", "text", 12), _household("numero_allocataire"), True
            ),
            Column("bailleur", XlsxColumn("Bailleur", "text", 24), lambda s: s.bailleur),
            Column("parc", XlsxColumn("Parc", "text", 12), lambda s: PARC_LABELS.get(s.parc or "", s.parc)),
            Column("numero_logement", XlsxColumn("N° de logement", "text", 12), _household("numero_logement"), True),
            Column("loyer", XlsxColumn("Loyer", "euros", 12), _rent),
            Column("etape", XlsxColumn("Étape actuelle", "text", 30), lambda s: s.stage_label),
            Column("date_etape", XlsxColumn("Date de l'étape", "date", 12), lambda s: s.stage_date),
            Column("dette", XlsxColumn("Dernière dette", "euros", 13), lambda s: s.dette),
            Column("date_dette", XlsxColumn("Date de la dette", "date", 12), lambda s: s.dette_date),
            Column("alertes", XlsxColumn("Alertes", "text", 40), lambda s: " ; ".join(alert_labels(s.alerts))),
            Column("service", XlsxColumn("Service", "text", 30), _service),
            Column("unite", XlsxColumn("Unité", "text", 24), _unit),
            Column("referent", XlsxColumn("Référent", "text", 20), _referent, identifying=True),
            Column("date_echeance", XlsxColumn("Date d'échéance", "date", 13), lambda s: s.next_deadline),
            Column("echeance", XlsxColumn("Prochaine échéance", "text", 50), lambda s: s.next_deadline_label),
            Column("statut", XlsxColumn("Statut", "text", 10), _status),
        )
    }
)

_BASE = ("menage", "noms", "prenoms")
PROFILES: Mapping[str, tuple[str, ...]] = MappingProxyType(
    {
        "service-social": (
            *_BASE, "date_naissance", "telephone", "adresse", "code_postal", "commune", "enfants", "etape",
            "date_etape", "dette", "date_dette", "alertes", "service", "unite", "referent", "date_echeance", "echeance",
        ),
        "bailleur": (
            *_BASE, "adresse", "code_postal", "commune", "numero_logement", "etape", "date_etape", "dette",
            "date_dette", "date_echeance", "echeance",
        ),
        "prefecture": (
            *_BASE, "adresse", "code_postal", "commune", "code_insee", "bailleur", "parc", "etape", "date_etape",
            "dette", "service", "date_echeance", "echeance",
        ),
        "complet": tuple(COLUMNS),
    }
)  # fmt: skip
DEFAULT_PROFILE = "service-social"


def profile_columns(name: str, custom: Mapping[str, tuple[str, ...]]) -> tuple[Column, ...]:
    """The columns of profile ``name`` (the configuration's profiles win over the shipped ones)."""
    profiles = {**PROFILES, **custom}
    if name not in profiles:
        raise ExplocError(
            f"Profil de colonnes inconnu : « {name} ».", "Profils possibles : " + ", ".join(sorted(profiles)) + "."
        )
    unknown = [code for code in profiles[name] if code not in COLUMNS]
    if unknown:
        raise ExplocError(
            f"Profil « {name} » : colonne(s) inconnue(s) : {', '.join(unknown)}.",
            "Colonnes possibles : " + ", ".join(COLUMNS) + ".",
        )
    return tuple(COLUMNS[code] for code in profiles[name])
