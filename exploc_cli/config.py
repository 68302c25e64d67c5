"""The configuration file ``exploc.toml`` (French keys), validated with every error reported.

Precedence: command-line option, then environment variable, then this file, then defaults.
The file is looked for in the user configuration folder, never in the working directory, so
that a nightly job started anywhere uses the same configuration.
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .errors import ConfigError
from .paths import ensure_private_dir


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class BaseSettings(_Section):
    chemin: str | None = Field(default=None, description="Chemin SQLite ou URL SQLAlchemy de la base")
    attente_verrou_secondes: float = Field(
        default=1200.0, gt=0, description="Délai d'attente maximal quand la base est occupée"
    )


class ImportSettings(_Section):
    largeur_allocataire: int = Field(default=7, ge=1, le=20)
    dossier_rejets: str | None = None
    max_colonnes: int = Field(default=500, ge=10)
    max_longueur_champ: int = Field(default=100_000, ge=100)
    max_taille_decompressee_mo: int = Field(default=2048, ge=1)
    departement: str | None = Field(
        default=None, description="Département des lignes dont ni le code INSEE ni le code postal ne le disent"
    )


class AlertSettings(_Section):
    """Thresholds of the signaux d'alerte computed on each ménage's parcours."""

    dette_mois_loyer: float = Field(default=6, gt=0, description="Dette supérieure à ce nombre de mois de loyer")
    dette_montant: int = Field(default=5000, ge=0, description="Dette supérieure à ce montant (euros)")
    hausse_dette_min: int = Field(default=100, ge=0, description="Hausse minimale entre deux signalements (euros)")
    echeance_jours: int = Field(default=30, ge=0, description="Échéance légale dans ce nombre de jours au plus")
    reprise_mois: int = Field(
        default=12, ge=1, description="Mois sans acte après lesquels une reprise de procédure ouvre un nouvel épisode"
    )


class CcapexSettings(_Section):
    """Who signs the session documents (the letterhead of the Word templates)."""

    nom: str = Field(default="CCAPEX", description="Nom de la commission, en tête des documents")
    adresse: str = ""
    telephone: str = ""
    courriel: str = ""
    signataire: str = "Le secrétariat de la CCAPEX"


class ExtractionSettings(_Section):
    """Column profiles of the nominative extractions (name -> column codes), besides the shipped ones."""

    profils: dict[str, list[str]] = Field(default_factory=dict)


class RetentionSettings(_Section):
    """How long a household's data stays once its parcours closed or went quiet (``exploc purger``)."""

    annees: int = Field(
        default=3, ge=1, le=30, description="Durée de conservation après la clôture ou le dernier événement"
    )


class Settings(_Section):
    base: BaseSettings = BaseSettings()
    conservation: RetentionSettings = RetentionSettings()
    extraction: ExtractionSettings = ExtractionSettings()
    ccapex: CcapexSettings = CcapexSettings()
    import_: ImportSettings = Field(default=ImportSettings(), alias="import")
    alertes: AlertSettings = AlertSettings()
    source_path: str | None = Field(default=None, exclude=True)

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


def load_settings(path: Path, *, required: bool) -> Settings:
    """Read ``path``; a missing file gives the defaults unless it was named explicitly."""
    if not path.exists():
        if required:
            raise ConfigError(f"Fichier de configuration introuvable : {path}")
        return Settings()
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except tomllib.TOMLDecodeError as err:
        raise ConfigError(f"{path} : fichier TOML invalide ({err}).") from None
    except OSError as err:
        raise ConfigError(f"{path} : lecture impossible ({err.strerror}).") from None
    try:
        settings = Settings.model_validate(data)
    except ValidationError as err:
        raise ConfigError(f"{path} : configuration invalide :\n{format_validation_errors(err)}") from None
    return settings.model_copy(update={"source_path": str(path)})


def create_default_config(path: Path) -> bool:
    """Write the commented default configuration at ``path`` unless it exists; True if written.

    The file is created 0600 (it may come to hold a server URL with its password) in a folder
    created 0700.
    """
    if path.exists():
        return False
    ensure_private_dir(path.parent)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as handle:
        handle.write(DEFAULT_CONFIG_TEXT)
    return True


def format_validation_errors(err: ValidationError) -> str:
    """All validation problems, one per line, each with its dotted path, in French."""
    lines = []
    for problem in err.errors():
        where = ".".join(str(part) for part in problem["loc"]) or "(racine)"
        lines.append(f"  - {where} : {_french_reason(problem['type'], problem['msg'])}")
    return "\n".join(lines)


_REASONS = {
    "extra_forbidden": "clé inconnue (faute de frappe ?)",
    "missing": "valeur obligatoire manquante",
    "int_parsing": "nombre entier attendu",
    "float_parsing": "nombre attendu",
    "string_type": "texte attendu",
    "bool_parsing": "vrai ou faux attendu",
    "greater_than": "valeur trop petite",
    "greater_than_equal": "valeur trop petite",
    "less_than_equal": "valeur trop grande",
    "date_from_datetime_parsing": "date attendue (AAAA-MM-JJ)",
    "date_parsing": "date attendue (AAAA-MM-JJ)",
    "literal_error": "valeur non autorisée",
    "dict_type": "table TOML attendue",
    "list_type": "liste attendue",
}


def _french_reason(kind: str, message: str) -> str:
    return _REASONS.get(kind, message)


DEFAULT_CONFIG_TEXT = """\
# Configuration d'exploc. Les lignes commençant par # sont des commentaires.
# Une option de la ligne de commande ou une variable d'environnement l'emporte sur ce fichier.

[base]
# Chemin de la base SQLite, ou URL d'un serveur PostgreSQL :
# chemin = "C:/CCAPEX/exploc.sqlite"
# chemin = "postgresql+psycopg://ccapex@serveur/exploc"
# Attente maximale (secondes) quand un autre traitement écrit dans la base :
# (plus que la plus longue écriture : un fichier d'un million de lignes, environ 10 minutes)
# attente_verrou_secondes = 1200

[import]
# Nombre de chiffres du numéro allocataire (les zéros de tête perdus sont restaurés) :
# largeur_allocataire = 7
# Dossier des fichiers de rejets (par défaut : « rejets » à côté de la base) :
# dossier_rejets = "C:/CCAPEX/rejets"
# Département des lignes dont ni le code INSEE ni le code postal ne le disent (une base
# régionale le laisse vide et donne --departement à l'import des fichiers d'un seul département) :
# departement = "93"

[ccapex]
# En-tête et signature des documents de séance (ordre du jour, dossier, relevé, courriers) :
# nom = "CCAPEX de l'Ain"
# adresse = "Préfecture de l'Ain — 45 avenue Alsace-Lorraine — 01000 Bourg-en-Bresse"
# telephone = "04 74 00 00 00"
# courriel = "ccapex@ain.gouv.fr"
# signataire = "La secrétaire de la CCAPEX"

[extraction.profils]
# Profils de colonnes des extractions nominatives (exploc extraire --colonnes NOM), en plus de
# service-social, bailleur, prefecture et complet (un profil du même nom les remplace) :
# ccas = ["menage", "noms", "prenoms", "telephone", "adresse", "commune", "etape", "dette"]

[alertes]
# Signaux d'alerte des parcours. Dette supérieure à N mois de loyer, ou à un montant (euros) :
# dette_mois_loyer = 6
# dette_montant = 5000
# Hausse de la dette entre deux signalements à partir de laquelle on alerte (euros) :
# hausse_dette_min = 100
# Échéance légale à venir dans ce nombre de jours au plus :
# echeance_jours = 30
# Après ce nombre de mois sans acte, une procédure qui reprend (impayé, saisine, commandement)
# ouvre un nouvel épisode, et l'alerte « récidive » est levée :
# reprise_mois = 12

[conservation]
# exploc purger efface les ménages clos, ou sans aucun événement, depuis plus de N années :
# annees = 3
"""
