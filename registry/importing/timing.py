"""Where an import's time goes: named steps summed with perf_counter, for bench/bench_import.py's step table."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

_spent: dict[str, float] = {}


@contextmanager
def step(name: str) -> Iterator[None]:
    """Add the time the block takes to the step's total (a few hundred calls per import: negligible)."""
    start = time.perf_counter()
    try:
        yield
    finally:
        _spent[name] = _spent.get(name, 0.0) + time.perf_counter() - start


def add(name: str, seconds: float) -> None:
    _spent[name] = _spent.get(name, 0.0) + seconds


def spent() -> dict[str, float]:
    """The steps' totals since the last reset, in the order they were first timed."""
    return dict(_spent)


def reset() -> None:
    _spent.clear()
