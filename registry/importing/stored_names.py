"""The registered names of the ID numbers a census holds, read as its rows are (whole, or a chunk at a time)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from typing import Any

# A census naming at least an eighth of the registry reads the stored people in one pass over the table, which
# costs a third of looking each number up (1.4 s for 100,000 in chunks of 900); fewer are looked up.
WHOLE_SHARE = 8


def reads_whole(asked: int, people: int, share: int = WHOLE_SHARE) -> bool:
    """Whether `asked` numbers out of a registry of `people` are cheaper read in one pass over the table."""
    return asked * share >= people


class StoredNames:
    """The registered name of each ID number the files hold, as the rows are read.

    A census about as large as the registry (or any census into a small one) reads every registered name at once
    (0.27 s at 100,000 people); a small one into a large registry asks for its own numbers a chunk at a time. A
    number it was not asked for reads as not registered: its row's cells are then read again from the file
    should the plan reject it (service._refetch_cells)."""

    WHOLE_BELOW = 20_000  # registered people read whole at once below this
    SHARE = WHOLE_SHARE  # ... and as soon as the rows read reach this share of the registry

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self.people = int(conn.execute("SELECT count(*) FROM people").fetchone()[0])
        self.names: dict[str, str] = {}
        self.asked = 0
        self.whole = False
        if self.people < self.WHOLE_BELOW:
            self._read_whole()

    def _read_whole(self) -> None:
        self.names = dict(self.conn.execute("SELECT id_number, name FROM people"))
        self.whole = True

    def prefetch(self, chunk: Sequence[tuple[dict[str, Any], Any]]) -> None:
        """Called with each chunk of cleaned rows before its records are made."""
        if self.whole:
            return
        self.asked += len(chunk)
        if reads_whole(self.asked, self.people, self.SHARE):
            self._read_whole()
            return
        numbers = [n for values, _ in chunk if isinstance(n := values.get("id_number"), str)]
        for start in range(0, len(numbers), 900):
            part = numbers[start:start + 900]
            self.names.update(self.conn.execute(
                f"SELECT id_number, name FROM people WHERE id_number IN ({','.join('?' * len(part))})", part))

    def get(self, number: str) -> str | None:
        return self.names.get(number)
