"""The local store: SQLModel tables, engine opening, migrations and queries."""
