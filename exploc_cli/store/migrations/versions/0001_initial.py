"""initial schema: lots, signalements, evenements, journal

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "journal",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("horodatage", sa.DateTime(timezone=True), nullable=False),
        sa.Column("utilisateur", sa.String(), nullable=False),
        sa.Column("action", sa.String(), nullable=False),
        sa.Column("commande", sa.String(), nullable=False),
        sa.Column("filtres", sa.String(), nullable=True),
        sa.Column("motif", sa.String(), nullable=True),
        sa.Column("nb_lignes", sa.Integer(), nullable=True),
        sa.Column("chemin", sa.String(), nullable=True),
        sa.Column("sha256", sa.String(), nullable=True),
        sa.Column("details", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("journal", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_journal_action"), ["action"], unique=False)
        batch_op.create_index(batch_op.f("ix_journal_horodatage"), ["horodatage"], unique=False)

    op.create_table(
        "lot",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("fichier", sa.String(), nullable=False),
        sa.Column("chemin", sa.String(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("taille", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("profil", sa.String(), nullable=True),
        sa.Column("format", sa.String(), nullable=False),
        sa.Column("encodage", sa.String(), nullable=True),
        sa.Column("separateur", sa.String(), nullable=True),
        sa.Column("feuilles", sa.String(), nullable=True),
        sa.Column("entetes", sa.String(), nullable=False),
        sa.Column("lignes_lues", sa.Integer(), nullable=False),
        sa.Column("importees", sa.Integer(), nullable=False),
        sa.Column("deja_presentes", sa.Integer(), nullable=False),
        sa.Column("rejetees", sa.Integer(), nullable=False),
        sa.Column("avertissements", sa.Integer(), nullable=False),
        sa.Column("debut", sa.DateTime(timezone=True), nullable=False),
        sa.Column("fin", sa.DateTime(timezone=True), nullable=True),
        sa.Column("utilisateur", sa.String(), nullable=False),
        sa.Column("statut", sa.String(), nullable=False),
        sa.Column("annule_le", sa.DateTime(timezone=True), nullable=True),
        sa.Column("annule_par", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("lot", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_lot_sha256"), ["sha256"], unique=False)
        batch_op.create_index(batch_op.f("ix_lot_source"), ["source"], unique=False)

    op.create_table(
        "signalement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("lot_id", sa.Integer(), nullable=False),
        sa.Column("ligne", sa.Integer(), nullable=False),
        sa.Column("feuille", sa.String(), nullable=True),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("reference", sa.String(), nullable=True),
        sa.Column("empreinte", sa.LargeBinary(length=16), nullable=False),
        sa.Column("brut", sa.String(), nullable=False),
        sa.Column("avertissements", sa.String(), nullable=True),
        sa.Column("civilite", sa.String(), nullable=True),
        sa.Column("nom", sa.String(), nullable=True),
        sa.Column("nom_naissance", sa.String(), nullable=True),
        sa.Column("prenoms", sa.String(), nullable=True),
        sa.Column("nom_cle", sa.String(), nullable=True),
        sa.Column("prenom_cle", sa.String(), nullable=True),
        sa.Column("date_naissance", sa.Date(), nullable=True),
        sa.Column("civilite2", sa.String(), nullable=True),
        sa.Column("nom2", sa.String(), nullable=True),
        sa.Column("nom_naissance2", sa.String(), nullable=True),
        sa.Column("prenoms2", sa.String(), nullable=True),
        sa.Column("adresse_brute", sa.String(), nullable=True),
        sa.Column("numero", sa.String(), nullable=True),
        sa.Column("suffixe", sa.String(), nullable=True),
        sa.Column("voie", sa.String(), nullable=True),
        sa.Column("complement", sa.String(), nullable=True),
        sa.Column("code_postal", sa.String(), nullable=True),
        sa.Column("commune", sa.String(), nullable=True),
        sa.Column("code_insee", sa.String(), nullable=True),
        sa.Column("telephone", sa.String(), nullable=True),
        sa.Column("bailleur", sa.String(), nullable=True),
        sa.Column("type_bailleur", sa.String(), nullable=True),
        sa.Column("parc", sa.String(), nullable=True),
        sa.Column("numero_logement", sa.String(), nullable=True),
        sa.Column("date_bail", sa.Date(), nullable=True),
        sa.Column("loyer", sa.Integer(), nullable=True),
        sa.Column("charges", sa.Integer(), nullable=True),
        sa.Column("loyer_charges", sa.Integer(), nullable=True),
        sa.Column("dette", sa.Integer(), nullable=True),
        sa.Column("numero_allocataire", sa.String(), nullable=True),
        sa.Column("organisme", sa.String(), nullable=True),
        sa.Column("montant_aide", sa.Integer(), nullable=True),
        sa.Column("tiers_payant", sa.Boolean(), nullable=True),
        sa.Column("enfants", sa.Integer(), nullable=True),
        sa.Column("situation_familiale", sa.String(), nullable=True),
        sa.Column("decision", sa.String(), nullable=True),
        sa.Column("delais", sa.String(), nullable=True),
        sa.Column("nb_mois_impayes", sa.Integer(), nullable=True),
        sa.Column("plan_apurement", sa.Boolean(), nullable=True),
        sa.Column("accompagnement_bailleur", sa.Boolean(), nullable=True),
        sa.Column("motif_cloture", sa.String(), nullable=True),
        sa.Column("service", sa.String(), nullable=True),
        sa.Column("referent", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(["lot_id"], ["lot.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("source", "empreinte", name="uq_signalement_source_empreinte"),
    )
    with op.batch_alter_table("signalement", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_signalement_lot_id"), ["lot_id"], unique=False)

    op.create_table(
        "evenement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("signalement_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(), nullable=False),
        sa.Column("date", sa.Date(), nullable=False),
        sa.Column("principal", sa.Boolean(), nullable=False),
        sa.Column("valeur", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(["signalement_id"], ["signalement.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("evenement", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_evenement_signalement_id"), ["signalement_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("evenement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_evenement_signalement_id"))

    op.drop_table("evenement")
    with op.batch_alter_table("signalement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_signalement_lot_id"))

    op.drop_table("signalement")
    with op.batch_alter_table("lot", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lot_source"))
        batch_op.drop_index(batch_op.f("ix_lot_sha256"))

    op.drop_table("lot")
    with op.batch_alter_table("journal", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_journal_horodatage"))
        batch_op.drop_index(batch_op.f("ix_journal_action"))

    op.drop_table("journal")
