"""Anonymous monthly counts kept for the households a purge removed, for multi-year diagnostics.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "agregat_purge",
        sa.Column("mois", sa.String(7), nullable=False),
        sa.Column("indicateur", sa.String(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("code", sa.String(), nullable=False),
        sa.Column("code_insee", sa.String(), nullable=False),
        sa.Column("commune", sa.String(), nullable=False),
        sa.Column("unite", sa.String(), nullable=False),
        sa.Column("parc", sa.String(), nullable=False),
        sa.Column("nombre", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("mois", "indicateur", "source", "code", "code_insee", "commune", "unite", "parc"),
    )


def downgrade() -> None:
    op.drop_table("agregat_purge")
