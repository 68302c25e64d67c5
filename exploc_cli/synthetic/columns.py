"""Column layouts of the generated files: (exploc field, header as the partner exports it).

Field names are those of ``exploc_cli/importers/layouts.toml``; the headers are the reference
headers of LAYOUTS.md, or aliases, or (for ``profils/``) a partner's own headers.
"""

from __future__ import annotations

from collections.abc import Sequence

Columns = Sequence[tuple[str, str]]  # (exploc field, header as exported)

CAF_FIELDS = (
    "reference",
    "numero_allocataire",
    "nom",
    "prenom",
    "date_naissance",
    "adresse",
    "code_postal",
    "commune",
    "enfants",
    "montant_aide",
    "dette",
    "date_signalement",
    "organisme",
    "tiers_payant",
    "loyer",
    "charges",
    "date_constitution_impaye",
    "bailleur",
    "type_bailleur",
)
CAF_COLUMNS: Columns = tuple(
    zip(
        CAF_FIELDS,
        (
            "Référence signalement",
            "N° allocataire",
            "Nom",
            "Prénom",
            "Date de naissance",
            "Adresse",
            "Code postal",
            "Commune",
            "Nb enfants",
            "Montant AL/APL",
            "Montant dette",
            "Date signalement",
            "Organisme",
            "Tiers payant",
            "Loyer mensuel",
            "Charges",
            "Date constitution impayé",
            "Bailleur",
            "Type bailleur",
        ),
        strict=True,
    )
)
CAF_ALIAS_COLUMNS: Columns = tuple(
    zip(
        CAF_FIELDS,
        (
            "Réf. signalement",
            "Numéro allocataire",
            "Nom",
            "Prénom",
            "Né(e) le",
            "Adresse",
            "CP",
            "Ville",
            "Nombre d'enfants à charge",
            "Montant aide mensuel",
            "Montant impayé",
            "Date signalement",
            "Organisme",
            "Tiers payant",
            "Loyer",
            "Charges",
            "Date de constitution de l'impayé",
            "Bailleur",
            "Type bailleur",
        ),
        strict=True,
    )
)
HUISSIER_COLUMNS: Columns = (
    ("reference", "Référence acte"),
    ("type_acte", "Type d'acte"),
    ("date_acte", "Date acte"),
    ("locataire", "Locataire"),
    ("adresse", "Adresse"),
    ("code_postal", "Code postal"),
    ("commune", "Commune"),
    ("bailleur", "Bailleur"),
    ("loyer", "Loyer mensuel"),
    ("dette", "Montant dette"),
    ("type_bailleur", "Type bailleur"),
    ("date_bail", "Date du bail"),
    ("charges", "Charges"),
    ("date_audience", "Date audience"),
    ("decision", "Décision"),
)
HUISSIER_XLSX_COLUMNS: Columns = (
    ("reference", "Réf. étude"),
    ("type_acte", "Type acte"),
    ("date_acte", "Date signification"),
    ("nom", "Nom"),
    ("prenom", "Prénom"),
    ("adresse", "Adresse"),
    ("code_postal", "CP"),
    ("commune", "Commune"),
    ("bailleur", "Bailleur"),
    ("loyer", "Loyer mensuel HC"),
    ("dette", "Montant dette principal"),
    ("type_bailleur", "Type bailleur"),
    ("date_bail", "Date du bail"),
    ("date_audience", "Date audience"),
    ("decision", "Décision"),
)
BAILLEUR_COLUMNS: Columns = (
    ("bailleur", "Bailleur"),
    ("reference", "Référence locataire"),
    ("nom", "Nom"),
    ("prenom", "Prénom"),
    ("date_naissance", "Date de naissance"),
    ("adresse", "Adresse"),
    ("numero_logement", "N° logement"),
    ("code_postal", "Code postal"),
    ("commune", "Commune"),
    ("loyer_charges", "Loyer + charges"),
    ("dette", "Dette"),
    ("date_saisine", "Date saisine"),
    ("date_premier_impaye", "Date premier impayé"),
    ("date_assignation_prevue", "Date assignation prévue"),
)
PREFECTURE_COLUMNS: Columns = (
    ("reference", "N° dossier"),
    ("locataire", "Nom"),
    ("adresse", "Adresse"),
    ("date_requisition", "Date réquisition"),
    ("decision", "Décision"),
    ("date_decision", "Date décision"),
    ("date_expulsion", "Date expulsion"),
    ("parc", "Parc"),
)
SUIVI_COLUMNS: Columns = (
    ("service", "Service"),
    ("referent", "Référent"),
    ("nom", "Nom"),
    ("prenom", "Prénom"),
    ("date_naissance", "Date de naissance"),
    ("adresse", "Adresse"),
    ("code_postal", "Code postal"),
    ("commune", "Commune"),
    ("date_debut_suivi", "Date début suivi"),
    ("date_fin_suivi", "Date fin suivi"),
)
DUPUIS_COLUMNS: Columns = (
    ("reference", "N° affaire"),
    ("type_acte", "Nature de l'acte"),
    ("date_acte", "Signifié le"),
    ("locataire", "Débiteur principal"),
    ("adresse", "Domicile"),
    ("code_postal", "CP"),
    ("commune", "Localité"),
    ("bailleur", "Créancier"),
    ("loyer", "Loyer"),
    ("dette", "Principal dû"),
)
LOGIS_COLUMNS: Columns = (
    ("bailleur", "Organisme HLM"),
    ("reference", "Contrat"),
    ("nom", "Locataire principal (nom)"),
    ("prenom", "Prénom"),
    ("adresse", "Adresse du logement"),
    ("code_postal", "CP"),
    ("commune", "Ville"),
    ("loyer_charges", "Quittance mensuelle"),
    ("dette", "Solde débiteur"),
    ("date_saisine", "Date de saisine"),
)
