"""Every table of the store (one module, as SQLModel recommends, to avoid circular imports).

The schema models the domain, not the spreadsheets: an import batch (``Lot``) brings
signalements (one per partner row, raw values kept), each carrying dated procedure events.
Money is always integer centimes. Later issues add ménages, assignments, sessions and avis
through new Alembic migrations.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Column, ForeignKey, Index, Integer, LargeBinary, UniqueConstraint
from sqlmodel import Field, SQLModel


class Lot(SQLModel, table=True):
    """One imported file (or one attempt that imported nothing new)."""

    __tablename__ = "lot"

    id: int | None = Field(default=None, primary_key=True)
    fichier: str = Field(description="Nom du fichier importé")
    chemin: str = Field(description="Chemin du fichier au moment de l'import")
    sha256: str = Field(index=True, max_length=64)
    taille: int = 0
    source: str = Field(index=True)
    profil: str | None = None
    format: str = ""
    encodage: str | None = None
    separateur: str | None = None
    feuilles: str | None = Field(default=None, description="Feuilles lues, séparées par « | »")
    entetes: str = Field(default="[]", description="En-têtes tels que lus (JSON)")
    lignes_lues: int = 0
    importees: int = 0
    deja_presentes: int = 0
    rejetees: int = 0
    avertissements: int = 0
    debut: datetime
    fin: datetime | None = None
    utilisateur: str = ""
    statut: str = Field(default="importe", description="importe | annule")
    annule_le: datetime | None = None
    annule_par: str | None = None


class Signalement(SQLModel, table=True):
    """One partner row: raw values as read plus normalised fields."""

    __tablename__ = "signalement"
    # Only the indexes the import needs: each random-key index costs 2 to 3 µs per imported row
    # (benchmarks/). Household linkage adds its own blocking structure with its issue.
    __table_args__ = (UniqueConstraint("source", "empreinte", name="uq_signalement_source_empreinte"),)

    id: int | None = Field(default=None, primary_key=True)
    lot_id: int = Field(sa_column=Column(Integer, ForeignKey("lot.id", ondelete="CASCADE"), nullable=False, index=True))
    ligne: int = Field(description="Numéro de ligne dans le fichier (ou la feuille)")
    feuille: str | None = None
    source: str
    reference: str | None = None
    empreinte: bytes = Field(sa_column=Column(LargeBinary(16), nullable=False))
    brut: str = Field(description="Valeurs brutes telles que lues (JSON, dans l'ordre des en-têtes du lot)")
    avertissements: str | None = Field(default=None, description="Avertissements de normalisation (JSON)")
    # Titulaire
    civilite: str | None = None
    nom: str | None = None
    nom_naissance: str | None = None
    prenoms: str | None = None
    nom_cle: str | None = Field(default=None, description="Nom replié pour le rapprochement")
    prenom_cle: str | None = None
    date_naissance: date | None = None
    # Second person named on the row (« M. et Mme … », conjoint)
    civilite2: str | None = None
    nom2: str | None = None
    nom_naissance2: str | None = None
    prenoms2: str | None = None
    # Address
    adresse_brute: str | None = None
    numero: str | None = None
    suffixe: str | None = None
    voie: str | None = None
    complement: str | None = None
    code_postal: str | None = None
    commune: str | None = None
    code_insee: str | None = None
    departement: str | None = Field(
        default=None, description="Département : du code INSEE, sinon du code postal, sinon celui donné à l'import"
    )
    telephone: str | None = None
    # Housing and landlord
    bailleur: str | None = None
    type_bailleur: str | None = None
    parc: str | None = None
    numero_logement: str | None = None
    date_bail: date | None = None
    loyer: int | None = Field(default=None, description="Loyer mensuel hors charges, en centimes")
    charges: int | None = Field(default=None, description="Charges mensuelles, en centimes")
    loyer_charges: int | None = Field(default=None, description="Loyer charges comprises, en centimes")
    dette: int | None = Field(
        default=None, description="Dette locative à la date de l'événement principal, en centimes"
    )
    # Allocataire
    numero_allocataire: str | None = None
    organisme: str | None = None
    montant_aide: int | None = Field(default=None, description="Aide au logement mensuelle, en centimes")
    tiers_payant: bool | None = None
    enfants: int | None = None
    situation_familiale: str | None = None
    # Procedure details carried by the row
    decision: str | None = Field(default=None, description="Décision (jugement ou CFP), codifiée")
    delais: str | None = None
    nb_mois_impayes: int | None = None
    plan_apurement: bool | None = None
    accompagnement_bailleur: bool | None = None
    motif_cloture: str | None = None
    # Social follow-up (source « suivi »)
    service: str | None = None
    referent: str | None = None
    # The household it belongs to (set by the linkage)
    menage_id: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("menage.id", name="fk_signalement_menage_id"), nullable=True, index=True),
    )


class Evenement(SQLModel, table=True):
    """A dated procedure fact carried by a signalement (one row may carry several)."""

    __tablename__ = "evenement"

    id: int | None = Field(default=None, primary_key=True)
    signalement_id: int = Field(
        sa_column=Column(Integer, ForeignKey("signalement.id", ondelete="CASCADE"), nullable=False, index=True)
    )
    code: str = Field(description="Code de l'événement (cdp, assignation, cql…)")
    date: date
    principal: bool = Field(default=False, description="Événement principal de la ligne")
    valeur: str | None = Field(default=None, description="Décision ou précision codifiée")


class Journal(SQLModel, table=True):
    """Audit journal: who did what, when, on how many rows. Never names a person."""

    __tablename__ = "journal"

    id: int | None = Field(default=None, primary_key=True)
    horodatage: datetime = Field(index=True)
    utilisateur: str
    action: str = Field(index=True)
    commande: str = ""
    filtres: str | None = Field(default=None, description="Filtres appliqués (JSON)")
    motif: str | None = None
    nb_lignes: int | None = None
    chemin: str | None = None
    sha256: str | None = None
    details: str | None = Field(default=None, description="Précisions (JSON), sans donnée nominative")


class Menage(SQLModel, table=True):
    """A household followed through time. Its number (``id``) is stable across relinking."""

    __tablename__ = "menage"

    id: int | None = Field(default=None, primary_key=True)
    cree_le: datetime
    statut: str = Field(default="ouvert", description="ouvert | clos | fusionne")
    clos_le: date | None = None
    motif_cloture: str | None = None
    clos_par: str | None = None
    departement: str | None = Field(
        default=None,
        index=True,
        description="Département de sa dernière adresse connue (exploc_cli.menages.departements)",
    )
    fusionne_dans: int | None = Field(
        default=None,
        sa_column=Column(Integer, ForeignKey("menage.id"), nullable=True, index=True),
        description="Ménage qui l'a absorbé",
    )


class Rattachement(SQLModel, table=True):
    """Why a signalement belongs to its ménage: the evidence, for ``menages expliquer``."""

    __tablename__ = "rattachement"

    signalement_id: int = Field(
        sa_column=Column(Integer, ForeignKey("signalement.id", ondelete="CASCADE"), primary_key=True)
    )
    menage_id: int = Field(sa_column=Column(Integer, ForeignKey("menage.id"), nullable=False, index=True))
    methode: str = Field(description="premier | cle | score | decision")
    lie_a: int | None = Field(default=None, description="Signalement auquel il a été rattaché")
    score: float | None = None
    detail: str | None = Field(default=None, description="Éléments de preuve (JSON)")


class Lien(SQLModel, table=True):
    """A scored pair of signalements at or above the review threshold (kept for incremental relinking)."""

    __tablename__ = "lien"
    __table_args__ = (Index("ix_lien_b", "b"),)

    a: int = Field(sa_column=Column(Integer, ForeignKey("signalement.id", ondelete="CASCADE"), primary_key=True))
    b: int = Field(sa_column=Column(Integer, ForeignKey("signalement.id", ondelete="CASCADE"), primary_key=True))
    score: float
    statut: str = Field(description="lien | a_verifier")
    detail: str | None = None


class Decision(SQLModel, table=True):
    """A human decision on the grouping (fusion, séparation, distinction), never undone by relinking."""

    __tablename__ = "decision"

    id: int | None = Field(default=None, primary_key=True)
    type: str = Field(description="fusion | separation | distinction")
    horodatage: datetime
    utilisateur: str
    motif: str | None = None
    detail: str | None = None


class Contrainte(SQLModel, table=True):
    """A pair of signalements a decision binds together (``lier``) or keeps apart (``separer``)."""

    __tablename__ = "contrainte"
    __table_args__ = (Index("ix_contrainte_a", "a"), Index("ix_contrainte_b", "b"))

    id: int | None = Field(default=None, primary_key=True)
    decision_id: int = Field(sa_column=Column(Integer, ForeignKey("decision.id"), nullable=False))
    a: int = Field(sa_column=Column(Integer, ForeignKey("signalement.id", ondelete="CASCADE"), nullable=False))
    b: int = Field(sa_column=Column(Integer, ForeignKey("signalement.id", ondelete="CASCADE"), nullable=False))
    type: str = Field(description="lier | separer")


class Note(SQLModel, table=True):
    """A dated note of the secretariat on a ménage."""

    __tablename__ = "note"

    id: int | None = Field(default=None, primary_key=True)
    menage_id: int = Field(sa_column=Column(Integer, ForeignKey("menage.id"), nullable=False, index=True))
    horodatage: datetime
    utilisateur: str
    texte: str


class CleLiaison(SQLModel, table=True):
    """A blocking key of a signalement (64-bit hash), so that new rows find their candidates."""

    __tablename__ = "cle_liaison"
    __table_args__ = (Index("ix_cle_liaison_cle", "cle"),)

    id: int | None = Field(default=None, primary_key=True)
    cle: int = Field(sa_column=Column(BigInteger, nullable=False))
    signalement_id: int = Field(
        sa_column=Column(Integer, ForeignKey("signalement.id", ondelete="CASCADE"), nullable=False, index=True)
    )


# -- Assignment to social services (sectorisation, rules, history) -----------------------
class ServiceSocial(SQLModel, table=True):
    """A service that follows households: the CAF's social workers, the Département, a bailleur, a CCAS…"""

    __tablename__ = "service_social"

    code: str = Field(primary_key=True)
    nom: str
    type: str = Field(description="caf | msa | departement | bailleur | ccas | association | autre")
    departement: str | None = Field(
        default=None, description="Département qu'il sert (colonne « Département » de la sectorisation)"
    )
    valide_du: date | None = None
    valide_au: date | None = None


class Unite(SQLModel, table=True):
    """A territorial unit of a service (MDS, UTAS, CMS…), covering the communes of its sectors."""

    __tablename__ = "unite"

    code: str = Field(primary_key=True)
    nom: str
    type: str | None = Field(default=None, description="MDS, UTAS, CMS…")
    service_code: str = Field(sa_column=Column(ForeignKey("service_social.code"), nullable=False, index=True))
    valide_du: date | None = None
    valide_au: date | None = None


class Secteur(SQLModel, table=True):
    """One commune (or, in a large city, one street or range of numbers) that a unit covers."""

    __tablename__ = "secteur"

    id: int | None = Field(default=None, primary_key=True)
    unite_code: str = Field(sa_column=Column(ForeignKey("unite.code"), nullable=False, index=True))
    code_insee: str | None = None
    commune: str | None = Field(default=None, description="Nom de la commune, tel que saisi")
    commune_cle: str | None = Field(default=None, description="Nom replié pour la recherche")
    voie: str | None = None
    voie_cle: str | None = None
    numero_min: int | None = None
    numero_max: int | None = None
    parite: str | None = Field(default=None, description="pair | impair (numéros d'un seul côté de la voie)")
    valide_du: date | None = None
    valide_au: date | None = None
    ligne: int | None = Field(default=None, description="Ligne du tableau importé")


class Affectation(SQLModel, table=True):
    """One assignment of a ménage (the history is kept: the current one has ``courante``)."""

    __tablename__ = "affectation"

    id: int | None = Field(default=None, primary_key=True)
    menage_id: int = Field(sa_column=Column(Integer, ForeignKey("menage.id"), nullable=False, index=True))
    statut: str = Field(description="affecte | a_trier")
    service_code: str | None = None
    service_libelle: str | None = Field(default=None, description="Nom du service (aussi quand le code est inconnu)")
    unite_code: str | None = None
    unite_libelle: str | None = None
    referent: str | None = None
    partenaire: str | None = Field(default=None, description="Partenaire complémentaire (ex. le bailleur)")
    origine: str = Field(description="regle | manuel")
    regle_id: str | None = None
    version_regles: str | None = None
    motif: str | None = Field(default=None, description="Motif d'une décision manuelle, ou raison du tri")
    explication: str | None = None
    horodatage: datetime
    utilisateur: str
    courante: bool = Field(default=True, index=True)


# -- CCAPEX sessions: ordre du jour, avis, préconisations and their follow-up --------------
class Seance(SQLModel, table=True):
    """A session of the CCAPEX centrale or of a CCAPEX locale."""

    __tablename__ = "seance"

    id: int | None = Field(default=None, primary_key=True)
    date_seance: date = Field(index=True)
    instance: str = Field(description="« CCAPEX centrale » ou « CCAPEX locale <nom> »")
    lieu: str | None = None
    heure: str | None = Field(default=None, description="Heure de début, « 14:00 »")
    cree_le: datetime
    cree_par: str


class Inscription(SQLModel, table=True):
    """A ménage on a session's ordre du jour, with the commission's avis once recorded."""

    __tablename__ = "inscription"
    __table_args__ = (UniqueConstraint("seance_id", "menage_id", name="uq_inscription_seance_menage"),)

    id: int | None = Field(default=None, primary_key=True)
    seance_id: int = Field(sa_column=Column(Integer, ForeignKey("seance.id"), nullable=False, index=True))
    menage_id: int = Field(sa_column=Column(Integer, ForeignKey("menage.id"), nullable=False, index=True))
    rang: int = Field(description="Rang à l'ordre du jour")
    motif: str = Field(description="Motif d'inscription")
    ajoute_le: datetime
    ajoute_par: str
    avis: str | None = Field(default=None, description="Code du type d'avis (référentiel des séances)")
    avis_texte: str | None = None
    reexamen: date | None = Field(default=None, description="Date de réexamen décidée par la commission")
    decide_le: datetime | None = None
    decide_par: str | None = None


class Preconisation(SQLModel, table=True):
    """A recommendation of the commission to one addressee, followed until done or obsolete."""

    __tablename__ = "preconisation"
    __table_args__ = (UniqueConstraint("inscription_id", "numero", name="uq_preconisation_inscription_numero"),)

    id: int | None = Field(default=None, primary_key=True)
    inscription_id: int = Field(sa_column=Column(Integer, ForeignKey("inscription.id"), nullable=False, index=True))
    menage_id: int = Field(sa_column=Column(Integer, ForeignKey("menage.id"), nullable=False, index=True))
    numero: int = Field(description="Numéro de la préconisation dans l'avis (1, 2…)")
    destinataire: str = Field(description="bailleur | locataire | fsl | caf_msa | prefet | service_social")
    type: str = Field(description="Code du type de préconisation (référentiel des séances)")
    texte: str | None = None
    echeance: date | None = None
    statut: str = Field(default="a_faire", index=True, description="a_faire | realisee | non_realisee | caduque")
    reexamen: date | None = None
    cree_le: datetime
    statut_le: datetime | None = None
    statut_par: str | None = None
    statut_note: str | None = None


class Parametre(SQLModel, table=True):
    """A setting the base keeps for itself (e.g. the secret key of stable pseudonyms)."""

    __tablename__ = "parametre"

    cle: str = Field(primary_key=True)
    valeur: str


class SignalementEfface(SQLModel, table=True):
    """The fingerprint of an erased or purged signalement (no name, no value: a hash of the row),
    so that re-importing its file or restoring an older backup never brings it back."""

    __tablename__ = "signalement_efface"

    source: str = Field(primary_key=True)
    empreinte: bytes = Field(sa_column=Column(LargeBinary(16), primary_key=True))
    efface_le: datetime
    raison: str = Field(description="effacement | purge")


class AgregatPurge(SQLModel, table=True):
    """What purged households still count for, without any of them: by month, a number of
    signalements (``indicateur`` « signalements », by source and main event) or of households
    entering a stage that month (« entrees », by stage), by place (INSEE code and commune of the
    household's last signalement, its unit) and parc (« » when unknown)."""

    __tablename__ = "agregat_purge"

    mois: str = Field(primary_key=True, max_length=7)
    indicateur: str = Field(primary_key=True)
    source: str = Field(primary_key=True)
    code: str = Field(primary_key=True)
    code_insee: str = Field(primary_key=True)
    commune: str = Field(primary_key=True)
    unite: str = Field(primary_key=True)
    parc: str = Field(primary_key=True)
    nombre: int


class ResumeMenage(SQLModel, table=True):
    """A ménage's summary as computed on ``calcule_le``, valid until the day before
    ``valable_jusqu_au`` (None: no date ahead changes it) while ``cle`` (settings, deadline rules,
    format) is the current one. Triggers delete it when the ménage's data change (migration 0008)."""

    __tablename__ = "resume_menage"

    menage_id: int = Field(primary_key=True)
    cle: str
    calcule_le: date
    valable_jusqu_au: date | None = None
    contenu: str
