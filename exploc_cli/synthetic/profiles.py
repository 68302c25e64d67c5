"""Mapping profiles (TOML) for the two partners whose exports the reference layouts miss."""

from __future__ import annotations

from pathlib import Path

from .columns import DUPUIS_COLUMNS, LOGIS_COLUMNS, Columns
from .sources import DUPUIS_CODES

DUPUIS_TOML = "profils/huissier_etude_dupuis.toml"
LOGIS_TOML = "profils/bailleur_logis_du_val.toml"

_DUPUIS_HEAD = """\
# Profil de correspondance : étude Dupuis (logiciel « Actalis »)
[profil]
nom = "Étude Dupuis"
source = "huissier"
description = "Export mensuel des actes de l'étude Dupuis."
# encodage = "cp1252"      # facultatif : sinon détecté
# separateur = ";"         # facultatif
# feuille = "Export"       # facultatif, pour un classeur
# ligne_entete = 1         # facultatif : numéro de la ligne d'en-tête
"""

_LOGIS_HEAD = """\
# Profil de correspondance : Logis du Val (extraction « saisines CCAPEX » de son logiciel)
[profil]
nom = "Logis du Val"
source = "bailleur"
description = "Extraction des saisines de la CCAPEX par Logis du Val (classeur Excel)."
feuille = "Extraction CCAPEX"
ligne_entete = 2
"""

_COLUMNS_COMMENT = '# champ exploc = "En-tête du fichier" (ou une liste d\'en-têtes possibles)'


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _colonnes(columns: Columns) -> str:
    lines = ["[colonnes]", _COLUMNS_COMMENT]
    lines += [f"{field} = {_quoted(header)}" for field, header in columns]
    return "\n".join(lines) + "\n"


def dupuis_profile() -> str:
    """The Dupuis profile: its headers, and its act codes mapped to exploc's event codes."""
    values = ["[valeurs.type_acte]", "# valeur du fichier = code exploc"]
    values += [f"{_quoted(code)} = {_quoted(event)}" for event, code in DUPUIS_CODES.items()]
    return f"{_DUPUIS_HEAD}\n{_colonnes(DUPUIS_COLUMNS)}\n" + "\n".join(values) + "\n"


def logis_profile() -> str:
    """The Logis du Val profile: its headers, its sheet and its header row."""
    return f"{_LOGIS_HEAD}\n{_colonnes(LOGIS_COLUMNS)}"


def write_profiles(dest: Path) -> None:
    for name, text in ((DUPUIS_TOML, dupuis_profile()), (LOGIS_TOML, logis_profile())):
        path = dest / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="\n")
