"""Memoising the pure one-argument rules: census columns repeat the same few values thousands of times."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
_MISSING = object()


def memo(maxsize: int = 65536) -> Callable[[Callable[[object], T]], Callable[[object], T]]:
    """Cache results by value and type (1, 1.0 and True stay apart); unhashable values are not cached.

    A plain dict emptied when full rather than an LRU: a lookup costs a fraction of functools.lru_cache's
    miss path, which matters when every one of 100,000 ID numbers is new.
    """

    def wrap(fn: Callable[[object], T]) -> Callable[[object], T]:
        cache: dict[object, T] = {}

        @functools.wraps(fn)
        def call(value: object) -> T:
            key = value if value.__class__ is str else (value.__class__, value)
            try:
                result = cache.get(key, _MISSING)
            except TypeError:  # unhashable input
                return fn(value)
            if result is not _MISSING:
                return result  # type: ignore[return-value]
            result = fn(value)
            if len(cache) >= maxsize:
                cache.clear()
            cache[key] = result
            return result

        def remember(value: object, result: T) -> None:
            """Store an answer found another way (the import's column checks) as the function's own."""
            if len(cache) >= maxsize:
                cache.clear()
            cache[value if value.__class__ is str else (value.__class__, value)] = result

        call.cache_clear = cache.clear  # type: ignore[attr-defined]
        call.remember = remember  # type: ignore[attr-defined]
        return call

    return wrap
