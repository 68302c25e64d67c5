"""Very common surnames and first names (``noms_courants.toml``, editable data)."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path

from ..normalize.text import fold_compact

_FILE = Path(__file__).resolve().parent / "noms_courants.toml"


@lru_cache(maxsize=1)
def common_names() -> tuple[frozenset[str], frozenset[str]]:
    """(very common surnames, very common first names), folded and compacted."""
    with _FILE.open("rb") as handle:
        data = tomllib.load(handle)
    return (
        frozenset(fold_compact(n) for n in data["tres_courants_noms"]),
        frozenset(fold_compact(n) for n in data["tres_courants_prenoms"]),
    )


def very_common_pair(surname: str, firstname: str) -> bool:
    """Both names very common (either way round): MARTIN Jean."""
    surnames, firstnames = common_names()
    return (surname in surnames or surname in firstnames) and (firstname in firstnames or firstname in surnames)
