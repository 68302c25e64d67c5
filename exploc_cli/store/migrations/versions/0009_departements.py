"""Every signalement and ménage carries its département; a service may name the one it serves.

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-24

A regional base holds several départements. The signalements already stored get theirs from
their code INSEE, else their postcode (``normalize/departements.py``; a row with neither stays
without); each ménage then gets that of its latest known address (``menages/departements.py``).
``service_social.departement`` is filled by the next import of a sectorisation that has the
column « Département » (or deduced from its units' communes, ``affectation/sectorisation.py``).
"""

from collections import defaultdict
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_CHUNK = 5000


def upgrade() -> None:
    op.add_column("signalement", sa.Column("departement", sa.String(), nullable=True))
    op.add_column("menage", sa.Column("departement", sa.String(), nullable=True))
    op.create_index("ix_menage_departement", "menage", ["departement"])
    op.add_column("service_social", sa.Column("departement", sa.String(), nullable=True))
    _fill(op.get_bind())


def _fill(connection: sa.Connection) -> None:
    # imported here: the functions are those of this version of exploc (the rule is stable)
    from exploc_cli.menages.departements import refresh_menage_departements
    from exploc_cli.normalize.departements import departement_of

    ids: dict[str, list[int]] = defaultdict(list)
    for signalement, code_insee, code_postal in connection.execute(
        sa.text(
            "SELECT id, code_insee, code_postal FROM signalement "
            "WHERE code_insee IS NOT NULL OR code_postal IS NOT NULL"
        )
    ):
        found = departement_of(code_insee, code_postal)
        if found is not None:
            ids[found].append(int(signalement))
    update = sa.text("UPDATE signalement SET departement = :d WHERE id IN :ids").bindparams(
        sa.bindparam("ids", expanding=True)
    )
    for departement, members in ids.items():
        for start in range(0, len(members), _CHUNK):
            connection.execute(update, {"d": departement, "ids": members[start : start + _CHUNK]})
    refresh_menage_departements(connection)


def downgrade() -> None:
    op.drop_column("service_social", "departement")
    op.drop_index("ix_menage_departement", table_name="menage")
    op.drop_column("menage", "departement")
    op.drop_column("signalement", "departement")
