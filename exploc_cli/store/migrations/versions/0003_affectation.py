"""Assignment to social services: services, territorial units and their sectors, assignments.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Time stamps are ``DateTime(timezone=True)`` like the models' (aware, UTC). Written as plain
# ``DateTime()`` at first: the same DATETIME column on SQLite, so the SQLite bases made then are
# unchanged; on PostgreSQL (no base existed before) it is ``timestamp with time zone``.


def upgrade() -> None:
    op.create_table(
        "service_social",
        sa.Column("code", sa.String(), nullable=False),
        sa.Column("nom", sa.String(), nullable=False),
        sa.Column("type", sa.String(), nullable=False),
        sa.Column("valide_du", sa.Date(), nullable=True),
        sa.Column("valide_au", sa.Date(), nullable=True),
        sa.PrimaryKeyConstraint("code"),
    )
    op.create_table(
        "unite",
        sa.Column("code", sa.String(), nullable=False),
        sa.Column("nom", sa.String(), nullable=False),
        sa.Column("type", sa.String(), nullable=True),
        sa.Column("service_code", sa.String(), nullable=False),
        sa.Column("valide_du", sa.Date(), nullable=True),
        sa.Column("valide_au", sa.Date(), nullable=True),
        sa.ForeignKeyConstraint(["service_code"], ["service_social.code"]),
        sa.PrimaryKeyConstraint("code"),
    )
    op.create_index("ix_unite_service_code", "unite", ["service_code"])
    op.create_table(
        "secteur",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unite_code", sa.String(), nullable=False),
        sa.Column("code_insee", sa.String(), nullable=True),
        sa.Column("commune", sa.String(), nullable=True),
        sa.Column("commune_cle", sa.String(), nullable=True),
        sa.Column("voie", sa.String(), nullable=True),
        sa.Column("voie_cle", sa.String(), nullable=True),
        sa.Column("numero_min", sa.Integer(), nullable=True),
        sa.Column("numero_max", sa.Integer(), nullable=True),
        sa.Column("parite", sa.String(), nullable=True),
        sa.Column("valide_du", sa.Date(), nullable=True),
        sa.Column("valide_au", sa.Date(), nullable=True),
        sa.Column("ligne", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["unite_code"], ["unite.code"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_secteur_unite_code", "secteur", ["unite_code"])
    op.create_table(
        "affectation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("menage_id", sa.Integer(), nullable=False),
        sa.Column("statut", sa.String(), nullable=False),
        sa.Column("service_code", sa.String(), nullable=True),
        sa.Column("service_libelle", sa.String(), nullable=True),
        sa.Column("unite_code", sa.String(), nullable=True),
        sa.Column("unite_libelle", sa.String(), nullable=True),
        sa.Column("referent", sa.String(), nullable=True),
        sa.Column("partenaire", sa.String(), nullable=True),
        sa.Column("origine", sa.String(), nullable=False),
        sa.Column("regle_id", sa.String(), nullable=True),
        sa.Column("version_regles", sa.String(), nullable=True),
        sa.Column("motif", sa.String(), nullable=True),
        sa.Column("explication", sa.String(), nullable=True),
        sa.Column("horodatage", sa.DateTime(timezone=True), nullable=False),
        sa.Column("utilisateur", sa.String(), nullable=False),
        sa.Column("courante", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["menage_id"], ["menage.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_affectation_menage_id", "affectation", ["menage_id"])
    op.create_index("ix_affectation_courante", "affectation", ["courante"])


def downgrade() -> None:
    op.drop_index("ix_affectation_courante", table_name="affectation")
    op.drop_index("ix_affectation_menage_id", table_name="affectation")
    op.drop_table("affectation")
    op.drop_index("ix_secteur_unite_code", table_name="secteur")
    op.drop_table("secteur")
    op.drop_index("ix_unite_service_code", table_name="unite")
    op.drop_table("unite")
    op.drop_table("service_social")
