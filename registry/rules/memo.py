"""Memoising the pure one-argument rules: census columns repeat the same few values thousands of times."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")


def memo(maxsize: int = 65536) -> Callable[[Callable[[object], T]], Callable[[object], T]]:
    """Cache results by value and type (1, 1.0 and True stay apart); unhashable values are not cached."""

    def wrap(fn: Callable[[object], T]) -> Callable[[object], T]:
        cached = functools.lru_cache(maxsize=maxsize, typed=True)(fn)

        @functools.wraps(fn)
        def call(value: object) -> T:
            try:
                return cached(value)
            except TypeError:  # unhashable input
                return fn(value)

        call.cache_clear = cached.cache_clear  # type: ignore[attr-defined]
        return call

    return wrap
