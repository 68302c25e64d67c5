"""Settings the base keeps for itself (the secret key of the stable pseudonyms of extractions).

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "parametre",
        sa.Column("cle", sa.String(), nullable=False),
        sa.Column("valeur", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("cle"),
    )


def downgrade() -> None:
    op.drop_table("parametre")
