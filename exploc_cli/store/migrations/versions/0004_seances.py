"""CCAPEX sessions: ordre du jour (inscriptions), avis and préconisations with their follow-up;
an index on the ménages merged into another.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Time stamps are ``DateTime(timezone=True)`` like the models' (aware, UTC). Written as plain
# ``DateTime()`` at first: the same DATETIME column on SQLite, so the SQLite bases made then are
# unchanged; on PostgreSQL (no base existed before) it is ``timestamp with time zone``.


def upgrade() -> None:
    # the ménages merged into a given one (préconisations follow a household through merges)
    op.create_index("ix_menage_fusionne_dans", "menage", ["fusionne_dans"])
    op.create_table(
        "seance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("date_seance", sa.Date(), nullable=False),
        sa.Column("instance", sa.String(), nullable=False),
        sa.Column("lieu", sa.String(), nullable=True),
        sa.Column("heure", sa.String(), nullable=True),
        sa.Column("cree_le", sa.DateTime(timezone=True), nullable=False),
        sa.Column("cree_par", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_seance_date_seance", "seance", ["date_seance"])
    op.create_table(
        "inscription",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seance_id", sa.Integer(), nullable=False),
        sa.Column("menage_id", sa.Integer(), nullable=False),
        sa.Column("rang", sa.Integer(), nullable=False),
        sa.Column("motif", sa.String(), nullable=False),
        sa.Column("ajoute_le", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ajoute_par", sa.String(), nullable=False),
        sa.Column("avis", sa.String(), nullable=True),
        sa.Column("avis_texte", sa.String(), nullable=True),
        sa.Column("reexamen", sa.Date(), nullable=True),
        sa.Column("decide_le", sa.DateTime(timezone=True), nullable=True),
        sa.Column("decide_par", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(["seance_id"], ["seance.id"]),
        sa.ForeignKeyConstraint(["menage_id"], ["menage.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("seance_id", "menage_id", name="uq_inscription_seance_menage"),
    )
    op.create_index("ix_inscription_seance_id", "inscription", ["seance_id"])
    op.create_index("ix_inscription_menage_id", "inscription", ["menage_id"])
    op.create_table(
        "preconisation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inscription_id", sa.Integer(), nullable=False),
        sa.Column("menage_id", sa.Integer(), nullable=False),
        sa.Column("numero", sa.Integer(), nullable=False),
        sa.Column("destinataire", sa.String(), nullable=False),
        sa.Column("type", sa.String(), nullable=False),
        sa.Column("texte", sa.String(), nullable=True),
        sa.Column("echeance", sa.Date(), nullable=True),
        sa.Column("statut", sa.String(), nullable=False),
        sa.Column("reexamen", sa.Date(), nullable=True),
        sa.Column("cree_le", sa.DateTime(timezone=True), nullable=False),
        sa.Column("statut_le", sa.DateTime(timezone=True), nullable=True),
        sa.Column("statut_par", sa.String(), nullable=True),
        sa.Column("statut_note", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(["inscription_id"], ["inscription.id"]),
        sa.ForeignKeyConstraint(["menage_id"], ["menage.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("inscription_id", "numero", name="uq_preconisation_inscription_numero"),
    )
    op.create_index("ix_preconisation_inscription_id", "preconisation", ["inscription_id"])
    op.create_index("ix_preconisation_menage_id", "preconisation", ["menage_id"])
    op.create_index("ix_preconisation_statut", "preconisation", ["statut"])


def downgrade() -> None:
    op.drop_table("preconisation")
    op.drop_table("inscription")
    op.drop_index("ix_seance_date_seance", table_name="seance")
    op.drop_table("seance")
    op.drop_index("ix_menage_fusionne_dans", table_name="menage")
