"""Whether work can be shared with a forked second process."""

from __future__ import annotations

import multiprocessing
import os


def can_fork() -> bool:
    """A second core, and ``fork`` (the worker inherits the parent's data without pickling it).

    Not on Windows (no ``fork``) nor on a single core: callers then do everything in one process.
    """
    if "fork" not in multiprocessing.get_all_start_methods():
        return False
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return cores >= 2
