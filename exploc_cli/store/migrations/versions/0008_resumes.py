"""Ménage summaries kept between commands, and the triggers that drop a summary when its data change.

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-23

A summary (stage, debt, alerts, next deadline of a ménage: ``exploc_cli/parcours/summary_cache.py``)
is valid as long as the rows it was computed from are unchanged. The triggers delete it with every
insert, update or delete of those rows, whatever the code path that made the change: the base
itself guarantees that no stale summary is ever read. The préconisations' tables are rarely
written (a session's decisions) and their rows may belong to a merged ménage: a change there drops
every summary.

PostgreSQL gets the table but no trigger: summaries are not kept there yet (see the module).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_DROP_ALL = "DELETE FROM resume_menage;"

# (trigger suffix, table, event, WHEN clause or "", statement)
_TRIGGERS: tuple[tuple[str, str, str, str, str], ...] = (
    ("signalement_i", "signalement", "INSERT", "NEW.menage_id IS NOT NULL",
     "DELETE FROM resume_menage WHERE menage_id = NEW.menage_id;"),
    ("signalement_u", "signalement", "UPDATE", "",
     "DELETE FROM resume_menage WHERE menage_id IN (OLD.menage_id, NEW.menage_id);"),
    ("signalement_d", "signalement", "DELETE", "OLD.menage_id IS NOT NULL",
     "DELETE FROM resume_menage WHERE menage_id = OLD.menage_id;"),
    ("evenement_i", "evenement", "INSERT", "",
     "DELETE FROM resume_menage WHERE menage_id = (SELECT menage_id FROM signalement WHERE id = NEW.signalement_id);"),
    ("evenement_u", "evenement", "UPDATE", "",
     "DELETE FROM resume_menage WHERE menage_id IN (SELECT menage_id FROM signalement "
     "WHERE id IN (OLD.signalement_id, NEW.signalement_id));"),
    ("evenement_d", "evenement", "DELETE", "",
     "DELETE FROM resume_menage WHERE menage_id = (SELECT menage_id FROM signalement WHERE id = OLD.signalement_id);"),
    ("menage_u", "menage", "UPDATE", "",
     "DELETE FROM resume_menage WHERE menage_id IN (OLD.id, NEW.id, OLD.fusionne_dans, NEW.fusionne_dans);"),
    ("menage_d", "menage", "DELETE", "", "DELETE FROM resume_menage WHERE menage_id = OLD.id;"),
    ("affectation_i", "affectation", "INSERT", "", "DELETE FROM resume_menage WHERE menage_id = NEW.menage_id;"),
    ("affectation_u", "affectation", "UPDATE", "",
     "DELETE FROM resume_menage WHERE menage_id IN (OLD.menage_id, NEW.menage_id);"),
    ("affectation_d", "affectation", "DELETE", "", "DELETE FROM resume_menage WHERE menage_id = OLD.menage_id;"),
    ("preconisation_i", "preconisation", "INSERT", "", _DROP_ALL),
    ("preconisation_u", "preconisation", "UPDATE", "", _DROP_ALL),
    ("preconisation_d", "preconisation", "DELETE", "", _DROP_ALL),
    ("inscription_u", "inscription", "UPDATE", "", _DROP_ALL),
    ("inscription_d", "inscription", "DELETE", "", _DROP_ALL),
    ("seance_u", "seance", "UPDATE", "", _DROP_ALL),
    ("seance_d", "seance", "DELETE", "", _DROP_ALL),
)  # fmt: skip


def upgrade() -> None:
    op.create_table(
        "resume_menage",
        sa.Column("menage_id", sa.Integer(), nullable=False),
        sa.Column("cle", sa.String(), nullable=False),
        sa.Column("calcule_le", sa.Date(), nullable=False),
        sa.Column("valable_jusqu_au", sa.Date(), nullable=True),
        sa.Column("contenu", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("menage_id"),
    )
    if op.get_bind().dialect.name != "sqlite":
        return
    for suffix, table, action, when, statement in _TRIGGERS:
        condition = f" WHEN {when}" if when else ""
        op.execute(
            f"CREATE TRIGGER resume_{suffix} AFTER {action} ON {table} FOR EACH ROW{condition} BEGIN {statement} END"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for suffix, *_ in _TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS resume_{suffix}")
    op.drop_table("resume_menage")
