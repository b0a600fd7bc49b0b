"""The registered people a large census is compared with, read on a helper thread while the file is parsed."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from registry.importing.stored_names import reads_whole
from registry.services.backups import fingerprint
from registry.storage.opening import connect_live

# Never compared with a census (derived keys, bookkeeping): left out of the read.
_NOT_COMPARED = frozenset({"sort_stroke", "sort_pinyin", "search_text", "norm_name", "updated_at", "batch_id"})
# What plan._existing joins onto each person: the outlet's and organisation's stored names.
JOINED = ("_outlet_norm", "_outlet_brand", "_org_norm")
_CHUNK = 5000


@dataclass
class StoredPeople:
    """Every registered person's comparable columns, as one read transaction saw them (and that data's
    fingerprint, which tells the plan whether anyone has written since)."""

    fingerprint: str
    columns: tuple[str, ...]  # the people columns read, then JOINED
    rows: dict[str, tuple[object, ...]]  # id number -> the row


def select_sql(columns: tuple[str, ...]) -> str:
    """The stored people with their outlet's and organisation's names, as plan._existing reads them."""
    return (f"SELECT {', '.join(f'p.{c}' for c in columns)}, o.norm_name, b.norm_name, g.norm_name"
            " FROM people p LEFT JOIN outlets o ON o.id = p.outlet_id LEFT JOIN brands b ON b.id = o.brand_id"
            " LEFT JOIN organizations g ON g.id = p.organization_id")


def read_stored_people(db_path: Path, stop: threading.Event) -> StoredPeople | None:
    """Read on a read-only connection of its own (a connection stays in its thread); None when stopped or when
    the file cannot be read (the plan then reads the people itself, as it would have)."""
    try:
        conn = connect_live(db_path, "ro")
    except sqlite3.Error:
        return None
    try:
        conn.execute("BEGIN")  # the fingerprint and the rows from one snapshot
        state = fingerprint(conn)
        columns = tuple(r[1] for r in conn.execute("PRAGMA table_info(people)") if r[1] not in _NOT_COMPARED)
        at = columns.index("id_number")
        cur = conn.execute(select_sql(columns))
        rows: dict[str, tuple[object, ...]] = {}
        while chunk := cur.fetchmany(_CHUNK):
            if stop.is_set():
                return None
            for row in chunk:
                rows[row[at]] = row
        return StoredPeople(state, columns + JOINED, rows)
    except sqlite3.Error:
        return None
    finally:
        conn.close()


class Prefetch:
    """Starts the read once a census turns out to name a good share of a large registry, hands it to the plan if
    nobody wrote meanwhile, and stops it when it is not wanted. Only time is at stake: without it, or when it is
    stale, the plan reads the stored people itself."""

    LARGE = 20_000  # registries smaller than this are read quickly enough by the plan itself

    def __init__(self, db_path: Path, people: int,
                 reader: Callable[[Path, threading.Event], StoredPeople | None] = read_stored_people) -> None:
        self.db_path = db_path
        self.people = people
        self.reader = reader
        self.stop = threading.Event()
        self.future: Future[StoredPeople | None] | None = None
        self.started = False
        self._pool: ThreadPoolExecutor | None = None

    def rows_known(self, rows: int) -> None:
        """Told the census's size as soon as it is known (before its cells are parsed): start if worth it."""
        if not self.started and self.people >= self.LARGE and reads_whole(rows, self.people):
            self.started = True
            self._pool = ThreadPoolExecutor(1, thread_name_prefix="prefetch")
            self.future = self._pool.submit(self.reader, self.db_path, self.stop)

    def result(self, state: str | None) -> StoredPeople | None:
        """The people read, if the data is still as it was then (state: the registry's fingerprint now)."""
        future, self.future = self.future, None  # handed over once: the plan holds the rows only while it needs them
        if future is None or state is None:
            return None
        try:
            found = future.result()
        except Exception:
            return None
        return found if found is not None and found.fingerprint == state else None

    def close(self) -> None:
        """Stop a read still running and let its thread end (called however the import ends)."""
        self.stop.set()
        if self._pool is not None:
            self._pool.shutdown(wait=True)
            self._pool = None
