"""``sample_data/LISEZMOI.md``: what each generated file is and what traps it holds (French)."""

from __future__ import annotations

from pathlib import Path

from .report import GenerationReport

_DESCRIPTIONS: dict[str, tuple[str, str]] = {
    "caf_signalements_2025-11.csv": (
        "caf",
        "Situations d'impayé ouvertes fin novembre 2025. cp1252, `;`, fins de ligne CRLF, "
        "en-têtes de référence. Montants `1 234,56` (espace insécable 0xA0) ou `1234,56 €` ; "
        "codes postaux et numéros d'allocataire parfois privés de leur zéro initial ; noms en "
        "majuscules souvent sans accents ; une ligne sans nom ni prénom (rejet) ; une date de "
        "naissance `31/02/1980` (valeur facultative invalide : ligne gardée, avertissement).",
    ),
    "caf_signalements_2025-12.csv": (
        "caf",
        "Envoi de décembre 2025. UTF-8 avec BOM, `;`, fins de ligne LF, en-têtes *alias* "
        "(`Numéro allocataire`, `Né(e) le`, `CP`, `Ville`, `Nombre d'enfants à charge`, "
        "`Montant impayé`…). Environ la moitié des lignes de novembre reviennent à "
        "l'identique (doublons à ignorer), d'autres reviennent avec une dette plus élevée "
        "(nouvelles observations, même référence), puis les signalements de décembre "
        "(espace fine insécable U+202F dans certains montants).",
    ),
    "huissier_actes_2025.csv": (
        "huissier",
        "Actes de l'étude Lefort signifiés en 2025. UTF-8 sans BOM, `;`, LF. Un seul champ "
        "`Locataire` (civilité, prénom et nom dans un ordre ou l'autre, `M. et Mme`, `épouse`, "
        "`née`) ; `Type d'acte` en plusieurs graphies (`CDP`, `CQL`…) ; montants `1234.56` ; "
        "un champ entre guillemets contenant `;`, un autre contenant un saut de ligne ; une "
        "ligne sans nom et une ligne dont la date d'acte vaut `bientôt` (rejets).",
    ),
    "huissier_actes_2026-T1.xlsx": (
        "huissier",
        "Actes de l'étude Lefort, 1er trimestre 2026. Titre fusionné en ligne 1, ligne 2 vide, "
        "en-tête en ligne 3 (alias : `Réf. étude`, `Type acte`, `Date signification`, `Nom` et "
        "`Prénom` séparés). Dates en vraies cellules date, quelques-unes en numéros de série "
        "Excel ou en texte `JJ/MM/AAAA` ; ligne `Total` à la fin puis lignes vides mises en "
        "forme.",
    ),
    "bailleur_saisines_2025.xlsx": (
        "bailleur",
        "Saisines 2025 de Sarre Habitat, Foyer Sarrois et Aubrel Habitat. Premier onglet "
        "« Lisez-moi » (texte), données dans l'onglet « Saisines » : titre en ligne 1, en-tête "
        "en ligne 2. Dates de naissance presque toujours vides ; montants numériques ; codes "
        "postaux parfois devenus nombres (`1000`) ; une ligne sans date de saisine (rejet) ; "
        "ligne `Total` à la fin.",
    ),
    "prefecture_cfp_2025.csv": (
        "prefecture",
        "Demandes de concours de la force publique de 2025, décisions connues au 31/01/2026. "
        "UTF-8, séparateur **tabulation**, CRLF, dates ISO `2025-12-31`. `Nom` réunit civilité, "
        "prénom et nom ; `Adresse` se termine par le code postal et la commune "
        "(`55 rue Lebreton 01000 BOURG-SUR-SARRE`).",
    ),
    "suivi_services_sociaux.xlsx": (
        "suivi",
        "Ménages suivis par un service social (MDS du Département, service social de la CAF, "
        "CCAS, association, bailleur) au 31/03/2026, ou dont le suivi a pris fin depuis le "
        "01/01/2025. Noms de naissance plus fréquents ; quelques dates en texte ; une date de "
        "naissance `31/02/1980` (avertissement).",
    ),
    "profils/huissier_etude_dupuis.csv": (
        "huissier (profil)",
        "Export de l'étude Dupuis : en-têtes propres (`N° affaire`, `Nature de l'acte`, "
        "`Signifié le`, `Débiteur principal`…) et codes d'acte maison (`CMD-PAYER`, `ASSIGN`, "
        "`CMD-QL`, `REQ-FP`, `PV-EXP`). cp1252, `;`, CRLF, dates `31.12.2025`. "
        "À importer avec `profils/huissier_etude_dupuis.toml`.",
    ),
    "profils/bailleur_logis_du_val.xlsx": (
        "bailleur (profil)",
        "Export de Logis du Val : en-têtes propres (`Organisme HLM`, `Contrat`, `Locataire "
        "principal (nom)`, `Quittance mensuelle`, `Solde débiteur`…), données dans l'onglet "
        "« Extraction CCAPEX » (le premier onglet est une synthèse), en-tête en ligne 2. "
        "À importer avec `profils/bailleur_logis_du_val.toml`.",
    ),
    "referentiel/communes.csv": (
        "référentiel",
        "Les 40 communes fictives : `code_insee;code_postal;commune;epci`, UTF-8 avec BOM, `;`.",
    ),
    "referentiel/sectorisation.csv": (
        "référentiel",
        "La sectorisation des services sociaux, à importer avec `exploc services importer` : "
        "`Code service;Service;Type service;Code unité;Unité;Type unité;Code INSEE;Commune;Voie;"
        "Numéros;Valide du;Valide au`, UTF-8 avec BOM, `;`, CRLF (un CSV enregistré par Excel). "
        "Les cinq MDS du Département couvrent toutes les communes depuis le 01/01/2016 ; "
        "Bourg-sur-Sarre est partagée par voie : six rues vont à la MDS Nord (l'une pour ses "
        "numéros pairs seulement, une autre pour les n° 1 à 99), le reste de la commune à la MDS "
        "Centre. Le service social de la CAF, le CCAS, l'association et l'accompagnement social de "
        "Sarre Habitat (type bailleur) n'ont pas d'unités territoriales : une ligne chacun, sans "
        "unité ni commune. Les noms sont ceux du fichier de suivi.",
    ),
}


# Row of the header in each workbook's data sheet (1 for a CSV file).
HEADER_ROWS = {
    "huissier_actes_2026-T1.xlsx": 3,
    "bailleur_saisines_2025.xlsx": 2,
    "profils/bailleur_logis_du_val.xlsx": 2,
    "suivi_services_sociaux.xlsx": 1,
}


def _where(fichier: str, ligne: int) -> str:
    if fichier in HEADER_ROWS:
        return f"{ligne} (ligne Excel {HEADER_ROWS[fichier] + ligne})"
    return str(ligne)


def lisezmoi_text(report: GenerationReport) -> str:
    """The French README of the generated folder, with this run's row counts."""
    lines = [
        "# Données d'exemple — département fictif du Val-de-Sarre (01)",
        "",
        "**Tout est fictif.** Le département, ses 40 communes, leurs rues, les bailleurs, les "
        "études de commissaires de justice, les services sociaux et les "
        f"{report.menages} ménages sont inventés par un générateur. Les noms de personnes "
        "associent au hasard des prénoms et des noms de famille courants en France ; les dates "
        "de naissance, numéros d'allocataire et adresses sont tirés au hasard. Les codes INSEE "
        "et postaux suivent la forme réelle (`01xxx`, pour que le zéro initial puisse se perdre "
        "dans Excel) mais ne désignent aucune commune réelle.",
        "",
        "Ces fichiers imitent ce que les partenaires d'une CCAPEX envoient réellement, avec "
        "leurs défauts : encodages, séparateurs, en-têtes variables, lignes de titre, dates et "
        "montants dans tous les formats, noms sans accents ou mal orthographiés, prénom et nom "
        "inversés, nom marital ou de naissance (`MARTIN épouse DURAND`, `DURAND née MARTIN`), "
        "conjoint cité à la place du titulaire, adresses écrites de plusieurs façons, "
        "déménagements, et des ménages **différents** qui portent le même nom dans la même "
        "commune, voire la même rue.",
        "",
        "## Régénérer",
        "",
        "```",
        f"python -m exploc_cli.synthetic --sortie sample_data --menages {report.menages} --graine {report.seed}",
        "```",
        "",
        f"Le résultat ne dépend que de la graine ({report.seed}) et de la date de référence "
        f"({report.reference_date:%d/%m/%Y}), jamais de la date du jour : deux exécutions "
        "donnent les mêmes fichiers CSV octet pour octet et les mêmes valeurs de cellules.",
        "",
        "## Fichiers",
        "",
        "| Fichier | Source | Lignes de données | Particularités |",
        "|---|---|---:|---|",
    ]
    for entry in report.files:
        source, text = _DESCRIPTIONS.get(entry.fichier, ("", ""))
        lines.append(f"| `{entry.fichier}` | {source} | {entry.lignes} | {text} |")
    lines += [
        "",
        f"Total : {report.total_rows} lignes de partenaires (référentiel exclu). Les "
        "profils de correspondance `profils/*.toml` décrivent les deux exports que les "
        "dispositions de référence ne reconnaissent pas.",
        "",
        "## Lignes qui doivent être rejetées",
        "",
        "| Fichier | Ligne (données) | Motif |",
        "|---|---:|---|",
        *(f"| `{r.fichier}` | {_where(r.fichier, r.ligne)} | {r.motif} |" for r in report.expected_rejects),
        "",
        "Les lignes `Total` des classeurs ne sont pas des données : elles ne sont pas comptées ci-dessus.",
        "",
        "## Vérité terrain (pour mesurer le rapprochement des ménages)",
        "",
        "`--verite FICHIER.csv` écrit, hors de ce dossier, une ligne par ligne générée : "
        "`fichier;ligne;menage_vrai;personne`.",
        "",
        "- `fichier` : chemin relatif au dossier de sortie (`profils/…` compris) ;",
        "- `ligne` : rang de l'enregistrement de données dans le fichier, **en-tête exclu**, à "
        "partir de 1. Pour un CSV, c'est le rang de l'enregistrement tel que le lit un lecteur "
        "CSV (un champ entre guillemets contenant un saut de ligne ne crée pas de nouvel "
        "enregistrement). Pour un classeur, c'est le rang après la ligne d'en-tête de l'onglet "
        "de données : numéro de ligne Excel = ligne d'en-tête + `ligne` (en-tête en ligne 3 "
        "pour `huissier_actes_2026-T1.xlsx`, en ligne 2 pour `bailleur_saisines_2025.xlsx` et "
        "`profils/bailleur_logis_du_val.xlsx`, en ligne 1 pour `suivi_services_sociaux.xlsx`) ;",
        "- `menage_vrai` : identifiant du ménage simulé (`M000123`) ;",
        "- `personne` : `titulaire` ou `conjoint` selon la personne que nomme la ligne, vide pour une ligne sans nom.",
        "",
        "À côté, `<FICHIER>_evenements.csv` donne les événements simulés de chaque ménage "
        "(`menage_vrai;episode;evenement;date;valeur;reference;dette`).",
        "",
        "## Gros volumes",
        "",
        "`python -m exploc_cli.synthetic --format csv --sortie DOSSIER --menages 200000` écrit "
        "`caf.csv`, `huissier.csv`, `bailleur.csv` et `prefecture.csv` (dispositions de "
        "référence, `;`, UTF-8) en flux ; `--huissier-lignes 1000000` écrit un seul fichier "
        "`huissier.csv` d'un million de lignes.",
        "",
    ]
    return "\n".join(lines)


def write_lisezmoi(dest: Path, report: GenerationReport) -> None:
    (dest / "LISEZMOI.md").write_text(lisezmoi_text(report), encoding="utf-8", newline="\n")
