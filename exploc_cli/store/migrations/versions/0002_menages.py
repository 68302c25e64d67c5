"""Ménages: households, how each signalement joined one, scored links, human decisions, notes.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(), nullable=False),
        sa.Column("horodatage", sa.DateTime(timezone=True), nullable=False),
        sa.Column("utilisateur", sa.String(), nullable=False),
        sa.Column("motif", sa.String(), nullable=True),
        sa.Column("detail", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "menage",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cree_le", sa.DateTime(timezone=True), nullable=False),
        sa.Column("statut", sa.String(), nullable=False),
        sa.Column("clos_le", sa.Date(), nullable=True),
        sa.Column("motif_cloture", sa.String(), nullable=True),
        sa.Column("clos_par", sa.String(), nullable=True),
        sa.Column("fusionne_dans", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["fusionne_dans"],
            ["menage.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_table(
        "note",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("menage_id", sa.Integer(), nullable=False),
        sa.Column("horodatage", sa.DateTime(timezone=True), nullable=False),
        sa.Column("utilisateur", sa.String(), nullable=False),
        sa.Column("texte", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(
            ["menage_id"],
            ["menage.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("note", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_note_menage_id"), ["menage_id"], unique=False)

    op.create_table(
        "contrainte",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("decision_id", sa.Integer(), nullable=False),
        sa.Column("a", sa.Integer(), nullable=False),
        sa.Column("b", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(), nullable=False),
        sa.ForeignKeyConstraint(["a"], ["signalement.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["b"], ["signalement.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(
            ["decision_id"],
            ["decision.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("contrainte", schema=None) as batch_op:
        batch_op.create_index("ix_contrainte_a", ["a"], unique=False)
        batch_op.create_index("ix_contrainte_b", ["b"], unique=False)

    op.create_table(
        "lien",
        sa.Column("a", sa.Integer(), nullable=False),
        sa.Column("b", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("statut", sa.String(), nullable=False),
        sa.Column("detail", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(["a"], ["signalement.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["b"], ["signalement.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("a", "b"),
    )
    with op.batch_alter_table("lien", schema=None) as batch_op:
        batch_op.create_index("ix_lien_b", ["b"], unique=False)

    op.create_table(
        "rattachement",
        sa.Column("signalement_id", sa.Integer(), nullable=False),
        sa.Column("menage_id", sa.Integer(), nullable=False),
        sa.Column("methode", sa.String(), nullable=False),
        sa.Column("lie_a", sa.Integer(), nullable=True),
        sa.Column("score", sa.Float(), nullable=True),
        sa.Column("detail", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(
            ["menage_id"],
            ["menage.id"],
        ),
        sa.ForeignKeyConstraint(["signalement_id"], ["signalement.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("signalement_id"),
    )
    with op.batch_alter_table("rattachement", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_rattachement_menage_id"), ["menage_id"], unique=False)

    op.create_table(
        "cle_liaison",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("cle", sa.BigInteger(), nullable=False),
        sa.Column("signalement_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["signalement_id"], ["signalement.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("cle_liaison", schema=None) as batch_op:
        batch_op.create_index("ix_cle_liaison_cle", ["cle"], unique=False)
        batch_op.create_index(batch_op.f("ix_cle_liaison_signalement_id"), ["signalement_id"], unique=False)

    with op.batch_alter_table("signalement", schema=None) as batch_op:
        batch_op.add_column(sa.Column("menage_id", sa.Integer(), nullable=True))
        batch_op.create_index(batch_op.f("ix_signalement_menage_id"), ["menage_id"], unique=False)
        batch_op.create_foreign_key("fk_signalement_menage_id", "menage", ["menage_id"], ["id"])


def downgrade() -> None:
    with op.batch_alter_table("signalement", schema=None) as batch_op:
        batch_op.drop_constraint("fk_signalement_menage_id", type_="foreignkey")
        batch_op.drop_index(batch_op.f("ix_signalement_menage_id"))
        batch_op.drop_column("menage_id")

    with op.batch_alter_table("cle_liaison", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_cle_liaison_signalement_id"))
        batch_op.drop_index("ix_cle_liaison_cle")

    op.drop_table("cle_liaison")
    with op.batch_alter_table("rattachement", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_rattachement_menage_id"))

    op.drop_table("rattachement")
    with op.batch_alter_table("lien", schema=None) as batch_op:
        batch_op.drop_index("ix_lien_b")

    op.drop_table("lien")
    with op.batch_alter_table("contrainte", schema=None) as batch_op:
        batch_op.drop_index("ix_contrainte_b")
        batch_op.drop_index("ix_contrainte_a")

    op.drop_table("contrainte")
    with op.batch_alter_table("note", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_note_menage_id"))

    op.drop_table("note")
    op.drop_table("menage")
    op.drop_table("decision")
