"""An in-memory roster index for as-you-type search: ids in both name orders with the filter columns.

Scanning 100,000 short strings in Python takes a few milliseconds, several times less than SQLite's
LIKE over the covering index, and the window searches on every keystroke. The index is rebuilt from
the covering index (~100 ms) whenever the database has changed, by this connection or another one.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from registry.names import brand_key, norm_name
from registry.rules.categories import normalise_category
from registry.storage.database import Registry

# (id, search_text, category, flowing, outlet_id, organization_id, present 0/1)
Entry = tuple[int, str, str, int, int | None, int | None, int]


@dataclass
class _Snapshot:
    version: tuple[int, int]
    stroke: list[Entry]
    outlet_org: dict[int, int | None]
    pinyin: list[Entry] | None = None  # loaded the first time pinyin order is asked for


_cache: weakref.WeakKeyDictionary[Registry, _Snapshot] = weakref.WeakKeyDictionary()


def _version(reg: Registry) -> tuple[int, int]:
    return int(reg.scalar("PRAGMA data_version")), reg.conn.total_changes


def _load(reg: Registry) -> list[Entry]:
    sql = ("SELECT id, search_text, category, flowing, outlet_id, organization_id, left_on IS NULL"
           " FROM people INDEXED BY people_roster_stroke ORDER BY sort_stroke, search_text")
    return reg.conn.execute(sql).fetchall()  # tuples as they come: present is 0/1, tested for truth only


def _pinyin_order(reg: Registry, stroke: list[Entry]) -> list[Entry]:
    """The same entries in pinyin order (sort_pinyin, then search_text as SQL breaks ties), sorted in memory:
    no index keeps this order (migration 0006), and one pass over the table is as quick as reading one."""
    key = dict(reg.conn.execute("SELECT id, sort_pinyin FROM people").fetchall())
    # Another window may delete someone between the snapshot and this read: that entry sorts last, not a KeyError.
    return sorted(stroke, key=lambda e: (key.get(e[0], "~"), e[1]))


def snapshot(reg: Registry) -> _Snapshot:
    version = _version(reg)
    snap = _cache.get(reg)
    if snap is None or snap.version != version:
        snap = _Snapshot(version, _load(reg),
                         dict(reg.conn.execute("SELECT id, organization_id FROM outlets").fetchall()))
        _cache[reg] = snap
    return snap


def is_current(reg: Registry) -> bool:
    """Whether the in-memory index is loaded and no change has happened since."""
    snap = _cache.get(reg)
    return snap is not None and snap.version == _version(reg)


def load_in_steps(reg: Registry, rows_per_step: int = 4000) -> Iterator[None]:
    """Build the index a slice at a time (a window drives this from idle time, never stalling for long)."""
    version = _version(reg)
    cur = reg.conn.execute(
        "SELECT id, search_text, category, flowing, outlet_id, organization_id, left_on IS NULL"
        " FROM people INDEXED BY people_roster_stroke ORDER BY sort_stroke, search_text")
    entries: list[Entry] = []
    while rows := cur.fetchmany(rows_per_step):
        entries.extend(rows)
        yield
    if _version(reg) == version:
        _cache[reg] = _Snapshot(version, entries,
                                dict(reg.conn.execute("SELECT id, organization_id FROM outlets").fetchall()))


def _outlet_ids(reg: Registry, sql: str, key: str) -> set[int]:
    return {r[0] for r in reg.conn.execute(sql, (key,))}


def matching_ids(reg: Registry, *, text: str = "", categories: list[str] | None = None,
                 flowing: bool | None = None, outlet: str | None = None, brand: str | None = None,
                 org_ids: list[int] | None = None, include_left: bool = False, ids: frozenset[int] | None = None,
                 outlet_ids: list[int] | None = None, order: str = "stroke",
                 descending: bool = False) -> list[int]:
    snap = snapshot(reg)
    if order == "pinyin" and snap.pinyin is None:
        snap.pinyin = _pinyin_order(reg, snap.stroke)
    entries = snap.pinyin if order == "pinyin" and snap.pinyin is not None else snap.stroke
    tests: list[Callable[[Entry], object]] = []  # each is tested for truth only (present comes as 0/1)
    needle = text.strip().lower()
    if needle:
        tests.append(lambda e: needle in e[1])
    if ids is not None:
        tests.insert(0, lambda e: e[0] in ids)
    if not include_left:
        tests.append(lambda e: e[6])
    if categories:
        cats = {normalise_category(c) or c for c in categories}
        tests.append(lambda e: e[2] in cats)
    if flowing is not None:
        want = 1 if flowing else 0
        tests.append(lambda e: e[3] == want)
    if outlet:
        outlets = _outlet_ids(reg, "SELECT id FROM outlets WHERE norm_name = ?", norm_name(outlet))
        tests.append(lambda e: e[4] in outlets)
    if brand:
        branded = _outlet_ids(reg, "SELECT o.id FROM outlets o JOIN brands b ON b.id = o.brand_id"
                                   " WHERE b.norm_name = ?", brand_key(brand))
        tests.append(lambda e: e[4] in branded)
    if outlet_ids is not None:
        chosen = set(outlet_ids)
        tests.append(lambda e: e[4] in chosen)
    if org_ids is not None:
        orgs = set(org_ids)
        covering = snap.outlet_org
        tests.append(lambda e: e[5] in orgs if e[5] is not None else covering.get(e[4] or 0) in orgs)
    # The first test is the most selective one (the text) when there is text; it runs alone first.
    result: Any = entries
    for test in tests:
        result = [e for e in result if test(e)]
    found: list[int] = [e[0] for e in result]
    if descending:
        found.reverse()
    return found
