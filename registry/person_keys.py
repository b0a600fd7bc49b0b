"""The derived columns stored with each person (sort keys, search text), and keeping them current."""

from __future__ import annotations

import functools
import sqlite3

from registry.sorting import name_keys, pinyin

# Raise when stroke_key, pinyin_key or the search text change: stored keys are then rebuilt on open.
KEYS_VERSION = "2"


@functools.cache
def _syllable(ch: str) -> str:
    py = pinyin(ch)
    return py.rstrip("012345") if py else ch.lower()


def person_keys(name: str, id_number: str, phone: str | None) -> dict[str, str]:
    """The derived sort and search columns stored with each person."""
    syll = list(map(_syllable, name))
    # Both sort keys from one normalisation of the name (not memoised: most names in a census are distinct).
    stroke, pinyin_order = name_keys(name)
    search = "\x1f".join([name, id_number, phone or "", "".join(syll), "".join(s[:1] for s in syll)])
    return {"sort_stroke": stroke, "sort_pinyin": pinyin_order, "search_text": search.lower()}


def refresh_keys(conn: sqlite3.Connection) -> int:
    """Rebuild every person's derived columns if they were made by an older rule; returns rows rebuilt."""
    row = conn.execute("SELECT value FROM settings WHERE key = 'keys_version'").fetchone()
    if row and row[0] == KEYS_VERSION:
        return 0
    conn.execute("BEGIN IMMEDIATE")
    try:
        rows = conn.execute("SELECT id, name, id_number, phone FROM people").fetchall()
        conn.executemany(
            "UPDATE people SET sort_stroke = ?, sort_pinyin = ?, search_text = ? WHERE id = ?",
            [(*person_keys(name, number, phone).values(), pid) for pid, name, number, phone in rows])
        conn.execute("INSERT INTO settings (key, value) VALUES ('keys_version', ?)"
                     " ON CONFLICT(key) DO UPDATE SET value = excluded.value", (KEYS_VERSION,))
        conn.execute("COMMIT")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    return len(rows)
