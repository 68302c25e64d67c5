"""Fast draws on a seeded ``random.Random`` (the stdlib helpers cost several calls each)."""

from __future__ import annotations

import random
from bisect import bisect
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


def randint(rng: random.Random, low: int, high: int) -> int:
    """An integer in [low, high], like ``rng.randint`` but with one call to ``rng.random``."""
    return low + int(rng.random() * (high - low + 1))


def pick(rng: random.Random, options: Sequence[T]) -> T:
    """One element, uniformly."""
    return options[int(rng.random() * len(options))]


def weighted(rng: random.Random, options: Sequence[T], cum_weights: Sequence[float]) -> T:
    """One element, with cumulative weights (like ``rng.choices(...)[0]``)."""
    return options[bisect(cum_weights, rng.random() * cum_weights[-1])]


class Counters:
    """Sequence numbers for partner references, starting after ``base`` (one range per chunk
    of households in bulk mode, so that parallel chunks never reuse a reference)."""

    def __init__(self, base: int = 0) -> None:
        self.base = base
        self._last: dict[str, int] = {}

    def next(self, kind: str) -> int:
        value = self._last.get(kind, self.base) + 1
        self._last[kind] = value
        return value
