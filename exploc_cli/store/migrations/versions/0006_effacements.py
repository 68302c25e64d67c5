"""Erased and purged signalements: their fingerprints, so that no re-import or restore brings them back.

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "signalement_efface",
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("empreinte", sa.LargeBinary(16), nullable=False),
        sa.Column("efface_le", sa.DateTime(timezone=True), nullable=False),
        sa.Column("raison", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("source", "empreinte"),
    )


def downgrade() -> None:
    op.drop_table("signalement_efface")
