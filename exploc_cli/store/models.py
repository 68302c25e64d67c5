"""Every table of the store (one module, as SQLModel recommends, to avoid circular imports).

The schema models the domain, not the spreadsheets: an import batch (``Lot``) brings
signalements (one per partner row, raw values kept), each carrying dated procedure events.
Money is always integer centimes. Later issues add ménages, assignments, sessions and avis
through new Alembic migrations.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, ForeignKey, Integer, LargeBinary, UniqueConstraint
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
