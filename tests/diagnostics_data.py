"""A small data set for the diagnostic whose indicators are worked out by hand (period: the year 2025).

Eight households written straight into an initialised base (no import, no linkage, so that each
household is exactly what the comments say), with names, addresses and numbers that must never
appear in a diagnostic:

- H1 Bourg, parc public, followed by a social service since 01/12/2024: CDP 10/01 (2 500 €, rent
  500 €), assignation 15/03 (3 000 €), jugement « résiliation » 20/06, CQL 01/08, CFP requested
  01/10 and granted 15/11, expulsion 20/01/2026 (after the period, before the data date);
- H2 Bourg, parc privé (rent 400 €): CAF report 01/02 (1 500 €), CDP 01/04 (1 800 €), assignation
  01/09 (2 100 €);
- H3 Port, parc public: CDP 05/11/2024 (5 000 €, before the period), assignation 20/01 (6 000 €),
  jugement « délais » 05/05;
- H4 Port, parc privé: CDP 03/03 (900 €), and a bailleur saisine 10/02 (800 €) whose signalement
  still points to ménage 6, merged into H4 (counted once, with H4);
- H5 no commune, no parc: CFP requested 07/07 and refused 09/09, nothing before (préfecture only);
- H6 Bourg: a CDP in 2023 only (not concerned in 2025);
- H7 Bourg, parc public: CAF report 31/12 (5 200 €);
- H8 Port: expulsion 01/01/2022 (an earlier procedure), new CDP 01/06/2025.

One session on 15/10/2025 examines H1 (avis « préconisations »: one done for the bailleur, one not
done for the tenant), ménage 6 (merged into H4: avis « maintien dans les lieux », one FSL
préconisation still to do) and H2 (no avis yet).
"""

from __future__ import annotations

from datetime import date

from tests.backends import Base
from tests.helpers import writing

PERIOD = (date(2025, 1, 1), date(2025, 12, 31))
HORIZON = date(2026, 6, 30)
BOURG, PORT = "BOURG-SUR-SARRE", "PORT-AUBREL"
# household numbers are 900001 to 900009, so that a leaked number can be searched for
FIRST = 900_000
# what must never leak into a diagnostic
SECRETS = ("LEFEVRE", "Eloise", "DURAND", "Rue des Tilleuls", "0654321", "REF-ACTE-777",
           *(str(FIRST + n) for n in range(1, 10)))  # fmt: skip

# (ménage, source, commune, parc, dette €, loyer €, [(code, date, valeur)]) ; one signalement per line
SIGNALEMENTS: list[
    tuple[int, str, str | None, str | None, int | None, int | None, list[tuple[str, str, str | None]]]
] = [
    (1, "suivi", BOURG, None, None, None, [("debut_suivi", "2024-12-01", None)]),
    (1, "huissier", BOURG, "public", 2500, 500, [("cdp", "2025-01-10", None)]),
    (1, "huissier", BOURG, "public", 3000, 500, [("assignation", "2025-03-15", None)]),
    (1, "huissier", BOURG, "public", None, 500, [("jugement", "2025-06-20", "resiliation")]),
    (1, "huissier", BOURG, "public", None, 500, [("cql", "2025-08-01", None)]),
    (1, "prefecture", BOURG, None, None, None, [("requisition_cfp", "2025-10-01", None)]),
    (1, "prefecture", BOURG, None, None, None, [("decision_cfp", "2025-11-15", "accorde")]),
    (1, "huissier", BOURG, "public", None, None, [("pv_expulsion", "2026-01-20", None)]),
    (2, "caf", BOURG, "prive", 1500, 400, [("signalement_caf", "2025-02-01", None)]),
    (2, "huissier", BOURG, "prive", 1800, 400, [("cdp", "2025-04-01", None)]),
    (2, "huissier", BOURG, "prive", 2100, 400, [("assignation", "2025-09-01", None)]),
    (3, "huissier", PORT, "public", 5000, None, [("cdp", "2024-11-05", None)]),
    (3, "huissier", PORT, "public", 6000, None, [("assignation", "2025-01-20", None)]),
    (3, "huissier", PORT, "public", None, None, [("jugement", "2025-05-05", "delais")]),
    (4, "huissier", PORT, "prive", 900, None, [("cdp", "2025-03-03", None)]),
    (6, "bailleur", PORT, "prive", 800, None, [("saisine", "2025-02-10", None)]),
    (5, "prefecture", None, None, None, None, [("requisition_cfp", "2025-07-07", None)]),
    (5, "prefecture", None, None, None, None, [("decision_cfp", "2025-09-09", "refuse")]),
    (6 + 1, "huissier", BOURG, None, 700, None, [("cdp", "2023-05-05", None)]),  # H6 is ménage 7 (6 is merged)
    (8, "caf", BOURG, "public", 5200, None, [("signalement_caf", "2025-12-31", None)]),  # H7 is ménage 8
    (9, "huissier", PORT, None, None, None, [("pv_expulsion", "2022-01-01", None)]),  # H8 is ménage 9
    (9, "huissier", PORT, None, None, None, [("cdp", "2025-06-01", None)]),
]


def build_households(base: Base) -> None:
    """Write the eight households (and the merged ménage 6) into the initialised base ``base``."""
    with writing(base) as connection:
        connection.execute(
            "INSERT INTO lot (id, fichier, chemin, sha256, taille, source, format, entetes, lignes_lues, importees, "
            "deja_presentes, rejetees, avertissements, debut, utilisateur, statut) VALUES "
            "(1, 'jeu.csv', '/tmp/jeu.csv', 'x', 0, 'test', 'csv', '[]', 0, 0, 0, 0, 0, '2026-01-01 00:00:00', "
            "'test', 'importe')"
        )
        for menage in range(1, 10):
            statut, into = ("fusionne", FIRST + 4) if menage == 6 else ("ouvert", None)
            connection.execute(
                "INSERT INTO menage (id, cree_le, statut, fusionne_dans) VALUES (?, '2026-01-01 00:00:00', ?, ?)",
                (FIRST + menage, statut, into),
            )
        for number, (menage, source, commune, parc, dette, loyer, events) in enumerate(SIGNALEMENTS, start=1):
            connection.execute(
                "INSERT INTO signalement (id, lot_id, ligne, source, reference, empreinte, brut, nom, prenoms, "
                "adresse_brute, voie, numero_allocataire, commune, code_postal, parc, dette, loyer, menage_id) "
                "VALUES (?, 1, ?, ?, ?, ?, '{}', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    number, number, source, f"REF-ACTE-777-{number}", number.to_bytes(16, "big"),
                    "LEFEVRE" if menage % 2 else "DURAND", "Eloise", "3 Rue des Tilleuls", "Rue des Tilleuls",
                    "0654321", commune, "01000" if commune == BOURG else "01200" if commune else None, parc,
                    dette * 100 if dette is not None else None, loyer * 100 if loyer is not None else None,
                    FIRST + menage,
                ),
            )  # fmt: skip
            for code, day, valeur in events:
                connection.execute(
                    "INSERT INTO evenement (signalement_id, code, date, principal, valeur) VALUES (?, ?, ?, TRUE, ?)",
                    (number, code, day, valeur),
                )
        connection.execute(
            "INSERT INTO seance (id, date_seance, instance, cree_le, cree_par) "
            "VALUES (1, '2025-10-15', 'CCAPEX centrale', '2025-10-01 00:00:00', 'test')"
        )
        for inscription, menage, avis in ((1, 1, "preconisations"), (2, 6, "maintien_lieux"), (3, 2, None)):
            connection.execute(
                "INSERT INTO inscription (id, seance_id, menage_id, rang, motif, ajoute_le, ajoute_par, avis) "
                "VALUES (?, 1, ?, ?, 'test', '2025-10-01 00:00:00', 'test', ?)",
                (inscription, FIRST + menage, inscription, avis),
            )
        for number, (inscription, menage, destinataire, statut) in enumerate(
            ((1, 1, "bailleur", "realisee"), (1, 1, "locataire", "non_realisee"), (2, 6, "fsl", "a_faire")), start=1
        ):
            connection.execute(
                "INSERT INTO preconisation (inscription_id, menage_id, numero, destinataire, type, statut, cree_le) "
                "VALUES (?, ?, ?, ?, 'plan_apurement', ?, '2025-10-15 00:00:00')",
                (inscription, FIRST + menage, number, destinataire, statut),
            )
