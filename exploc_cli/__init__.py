"""exploc: the core library of the CCAPEX secretariat toolkit (no Typer, no Rich, no print)."""

__version__ = "0.1.0"
