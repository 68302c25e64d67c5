"""Synthetic data: the partner files of a fictional département (« Val-de-Sarre », code 01).

A deterministic simulation of households through the eviction-prevention procedure, written
out as each partner would send it (CAF, commissaires de justice, social landlords, préfecture,
social services), with the errors real files carry. No real person's data.

- :func:`generate_sample` writes the small, varied files of ``sample_data/``;
- :func:`generate_bulk` streams large reference-layout CSV files for benchmarks, in the
  département or (``departements=N``) over a fictional region of N départements (``region.py``).
"""

from .bulk import generate_bulk
from .population import DEFAULT_REFERENCE_DATE
from .report import ExpectedReject, FileCount, GenerationReport
from .sample import generate_sample

__all__ = [
    "DEFAULT_REFERENCE_DATE",
    "ExpectedReject",
    "FileCount",
    "GenerationReport",
    "generate_bulk",
    "generate_sample",
]
