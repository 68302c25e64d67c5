"""Ménage summaries kept on PostgreSQL too: the triggers that drop them, and a change generation.

Revision ID: 0010
Revises: 0009
Create Date: 2026-11-24

Migration 0008 gave SQLite the triggers that delete a kept summary whenever the rows it was
computed from change (``exploc_cli/parcours/summary_cache.py``). PostgreSQL gets the same here,
as statement triggers reading the transition tables: a COPY of 400,000 événements fires one
trigger, not 400,000. Each also raises, once per transaction, the change generation kept in
``parametre`` (key ``resume_generation``): a command that computed summaries stores them only if
the generation it read before its first read is still the one in force and no writer holds it
(``parcours/summary_pg.py``), so no summary computed from rows that have since changed is kept.

The functions run with the rights of the role that writes (a role that may write signalements
must also be allowed to delete summaries and raise the generation: ``store/denied.py`` checks it
before an import); a read-only role never fires them. Their cost is one call per statement: the
bulk writes of exploc are single statements on PostgreSQL (COPY, updates over arrays:
``store/driver.py``).
SQLite: nothing changes (its triggers are those of 0008, its write-back checks its snapshot).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_GENERATION = """
CREATE FUNCTION exploc_resume_generation() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  IF current_setting('exploc.resume_generation', true) IS DISTINCT FROM 'on' THEN
    INSERT INTO parametre (cle, valeur) VALUES ('resume_generation', '1')
      ON CONFLICT (cle) DO UPDATE SET valeur = (parametre.valeur::bigint + 1)::text;
    PERFORM set_config('exploc.resume_generation', 'on', true);
  END IF;
END $$
"""

# table -> the ménage numbers a changed row concerns, from a transition table named {rows}
_MENAGES_OF = {
    "signalement": "SELECT menage_id FROM {rows}",
    "evenement": "SELECT s.menage_id FROM signalement s WHERE s.id IN (SELECT signalement_id FROM {rows})",
    "menage": "SELECT id FROM {rows} UNION ALL SELECT fusionne_dans FROM {rows}",
    "affectation": "SELECT menage_id FROM {rows}",
}
# the préconisations, the sessions' bookings and the sessions: rarely written, rows of merged ménages
_EVERY_SUMMARY = {"preconisation": "IUD", "inscription": "UD", "seance": "UD"}
_EVENTS = {"I": "INSERT", "U": "UPDATE", "D": "DELETE"}


def _function(table: str) -> str:
    if table in _MENAGES_OF:
        of = _MENAGES_OF[table]
        drop_new = f"DELETE FROM resume_menage WHERE menage_id IN ({of.format(rows='nouveaux')});"
        drop_old = f"DELETE FROM resume_menage WHERE menage_id IN ({of.format(rows='anciens')});"
    else:
        drop_new = drop_old = "DELETE FROM resume_menage;"
    return f"""
CREATE FUNCTION exploc_resume_{table}() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP IN ('INSERT', 'UPDATE') THEN
    IF NOT EXISTS (SELECT 1 FROM nouveaux) THEN RETURN NULL; END IF;
    PERFORM exploc_resume_generation();
    {drop_new}
  END IF;
  IF TG_OP IN ('UPDATE', 'DELETE') THEN
    IF NOT EXISTS (SELECT 1 FROM anciens) THEN RETURN NULL; END IF;
    PERFORM exploc_resume_generation();
    {drop_old}
  END IF;
  RETURN NULL;
END $$
"""


def _triggers() -> list[tuple[str, str, str]]:
    """(table, event, transition clause) of every trigger."""
    events = {table: "IUD" for table in _MENAGES_OF if table != "menage"} | {"menage": "UD"} | _EVERY_SUMMARY
    found = []
    for table, letters in events.items():
        for letter in letters:
            clause = {
                "I": "NEW TABLE AS nouveaux",
                "U": "OLD TABLE AS anciens NEW TABLE AS nouveaux",
                "D": "OLD TABLE AS anciens",
            }[letter]
            found.append((table, letter, clause))
    return found


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(_GENERATION)
    op.execute("INSERT INTO parametre (cle, valeur) VALUES ('resume_generation', '1') ON CONFLICT (cle) DO NOTHING")
    for table in (*_MENAGES_OF, *_EVERY_SUMMARY):
        op.execute(_function(table))
    for table, letter, clause in _triggers():
        op.execute(
            f"CREATE TRIGGER resume_{table}_{letter.lower()} AFTER {_EVENTS[letter]} ON {table} "
            f"REFERENCING {clause} FOR EACH STATEMENT EXECUTE FUNCTION exploc_resume_{table}()"
        )
    op.execute("DELETE FROM resume_menage")  # none was kept before; start clean


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, letter, _ in _triggers():
        op.execute(f"DROP TRIGGER IF EXISTS resume_{table}_{letter.lower()} ON {table}")
    for table in (*_MENAGES_OF, *_EVERY_SUMMARY):
        op.execute(f"DROP FUNCTION IF EXISTS exploc_resume_{table}()")
    op.execute("DROP FUNCTION IF EXISTS exploc_resume_generation()")
    op.execute("DELETE FROM parametre WHERE cle = 'resume_generation'")
