"""The registry database (see opening.py for how a file is opened) and the single audited writer."""

from __future__ import annotations

import getpass
import json
import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from datetime import date, datetime
from pathlib import Path
from typing import Any

import sqlite_utils

from registry.errors import UserError
from registry.person_keys import refresh_keys
from registry.services.backups import backup_before_upgrade
from registry.storage.migrations import migrate
from registry.storage.opening import connect, file_key, note_closed, note_open
from registry.storage.sqlite_errors import translated, user_error
from registry.storage.states import close_state


def _now() -> str:
    return datetime.now().isoformat(timespec="seconds")


def _audit_value(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


class Tx:
    """One open transaction: every write goes through here so that it lands in the audit log."""

    def __init__(self, conn: sqlite3.Connection, operation_id: int, operator: str, at: str) -> None:
        self.conn = conn
        self.operation_id = operation_id
        self.operator = operator
        self.at = at
        self.changes = 0
        # Dated membership: the day changes to a person's counted columns take effect (ISO; None: today), and
        # whether they are kept as history at all (a correction rewrites the past; an undo restores it).
        self.effective: str | None = None
        self.dated = True

    def query(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> list[dict[str, Any]]:
        """Rows as dicts, read inside the transaction (as Registry.query)."""
        cur = self.conn.execute(sql, params)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def scalar(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> Any:
        row = self.conn.execute(sql, params).fetchone()
        return row[0] if row else None

    def audit(self, rows: Iterable[tuple[Any, ...]]) -> None:
        """Write audit rows; a generator is fine (bulk imports stream theirs rather than hold them)."""
        before = self.conn.total_changes
        self.conn.executemany(
            "INSERT INTO audit_log (operation_id, at, operator, op, entity, entity_id, label, field, old, new)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        self.changes += self.conn.total_changes - before

    def insert(self, table: str, values: Mapping[str, Any], label: str | None = None) -> int:
        cols = list(values)
        cur = self.conn.execute(
            f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
            [values[c] for c in cols],
        )
        row_id = int(cur.lastrowid or 0)
        shown = {k: v for k, v in values.items() if v not in (None, "") and not k.startswith(("sort_", "search_"))}
        self.audit([(self.operation_id, self.at, self.operator, "insert", table, row_id, label, None, None,
                      _audit_value(shown))])
        return row_id

    def insert_many(self, table: str, rows: Sequence[Mapping[str, Any]], label_key: str | None = "name") -> list[int]:
        """Insert rows sharing one set of columns; ids are returned in order."""
        if not rows:
            return []
        cols = list(rows[0])
        sql = f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})"
        start = self.conn.execute(f"SELECT ifnull(max(id), 0) FROM {table}").fetchone()[0]
        self.conn.executemany(sql, ([r[c] for c in cols] for r in rows))
        ids = list(range(start + 1, start + 1 + len(rows)))
        # rowids are sequential after max(id) inside one write transaction; verify rather than assume.
        last = self.conn.execute(f"SELECT max(id) FROM {table}").fetchone()[0]
        if last != ids[-1]:
            raise RuntimeError("unexpected row ids during bulk insert")
        self.audit([
            (self.operation_id, self.at, self.operator, "insert", table, row_id,
             r.get(label_key) if label_key else None, None, None,
             _audit_value({k: v for k, v in r.items() if v not in (None, "") and not k.startswith(("sort_", "search_"))}))
            for row_id, r in zip(ids, rows, strict=True)
        ])
        return ids

    def insert_rows(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[Any]],
                    label_column: str | None = "name", *, rebuild_indexes: bool = False,
                    audited_by: str | None = None, count: int | None = None) -> int:
        """Bulk insert of plain tuples (the fast path for imports); returns the first new id.

        With rebuild_indexes the table's secondary indexes are dropped and built again afterwards, inside the
        same transaction: sorting 100,000 keys once is several times cheaper than inserting them one by one.
        The audit rows are written by SQLite from the stored rows: the inserted columns as JSON. With
        audited_by (the column naming the event, e.g. people.batch_id) the rows carry their audit event instead:
        the caller has logged that event (an import batch) in this transaction, and no row per record is written.
        Rows may be streamed (an iterator, with their count): SQLite takes them as they are made.
        """
        if count is None:
            rows = rows if isinstance(rows, Sequence) else list(rows)
            count = len(rows)
        if not count:
            return 0
        if audited_by is not None and audited_by not in columns:
            raise ValueError(f"rows audited by {audited_by} must carry that column")
        conn = self.conn
        before = conn.total_changes
        start = conn.execute(f"SELECT ifnull(max(id), 0) FROM {table}").fetchone()[0] + 1
        indexes = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ?"
                               " AND sql IS NOT NULL", (table,)).fetchall() if rebuild_indexes else []
        for name, _ in indexes:
            conn.execute(f"DROP INDEX {name}")
        conn.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})", rows)
        if conn.execute(f"SELECT max(id) FROM {table}").fetchone()[0] != start + count - 1:
            raise RuntimeError("unexpected row ids during bulk insert")
        if indexes:
            threads = conn.execute("PRAGMA threads").fetchone()[0]
            conn.execute("PRAGMA threads = 2")  # SQLite may sort the index keys with a helper thread
            try:
                for _, sql in indexes:
                    conn.execute(sql)
            finally:
                conn.execute(f"PRAGMA threads = {int(threads)}")
        if audited_by is not None:
            self.changes += conn.total_changes - before
            return int(start)
        # Blank cells of the inserted columns stay in as null: leaving them out (json_patch) doubles the cost.
        shown = ", ".join(f"'{c}', {c}" for c in columns if not c.startswith(("sort_", "search_")))
        conn.execute(
            "INSERT INTO audit_log (operation_id, at, operator, op, entity, entity_id, label, field, old, new)"
            f" SELECT ?, ?, ?, 'insert', '{table}', id, {label_column or 'NULL'}, NULL, NULL,"
            f" json_object({shown}) FROM {table} WHERE id >= ? ORDER BY id",
            (self.operation_id, self.at, self.operator, start))
        self.changes += conn.total_changes - before
        return int(start)

    def get(self, table: str, row_id: int) -> dict[str, Any] | None:
        cur = self.conn.execute(f"SELECT * FROM {table} WHERE id = ?", (row_id,))
        row = cur.fetchone()
        if row is None:
            return None
        return dict(zip([d[0] for d in cur.description], row, strict=True))

    def update(self, table: str, row_id: int, changes: Mapping[str, Any], label: str | None = None,
               old: Mapping[str, Any] | None = None) -> dict[str, tuple[Any, Any]]:
        """Write only the fields whose value really changes; return {field: (old, new)}."""
        before = old if old is not None else self.get(table, row_id)
        if before is None:
            raise UserError("要修改的记录已不存在，请刷新后重试。")
        diff = {k: (before.get(k), v) for k, v in changes.items() if before.get(k) != v}
        if not diff:
            return {}
        if table == "people" and self.dated and "state_from" not in changes:
            whole = before if "relation" in before else (self.get(table, row_id) or {})  # an import hands a subset
            started = close_state(self, {**whole, "id": row_id}, diff, self.effective or date.today().isoformat())
            if started is not None:
                diff["state_from"] = (before.get("state_from"), started)
        sets = ", ".join(f"{k} = ?" for k in diff)
        self.conn.execute(f"UPDATE {table} SET {sets} WHERE id = ?", [v[1] for v in diff.values()] + [row_id])
        self.audit([
            (self.operation_id, self.at, self.operator, "update", table, row_id, label, k,
             _audit_value(o), _audit_value(n))
            for k, (o, n) in diff.items() if not k.startswith(("sort_", "search_")) and k != "updated_at"
        ])
        return diff

    def delete(self, table: str, row_id: int, label: str | None = None) -> dict[str, Any]:
        before = self.get(table, row_id)
        if before is None:
            raise UserError("要删除的记录已不存在，请刷新后重试。")
        self.conn.execute(f"DELETE FROM {table} WHERE id = ?", (row_id,))
        shown = {k: v for k, v in before.items() if v not in (None, "") and not k.startswith(("sort_", "search_"))}
        self.audit([(self.operation_id, self.at, self.operator, "delete", table, row_id, label, None,
                      _audit_value(shown), None)])
        return before

    def summary(self, text: str) -> None:
        self.conn.execute("UPDATE operations SET summary = ? WHERE id = ?", (text, self.operation_id))


class Registry:
    """An open registry database.

    Opening never creates a file unless create=True (init, demo, an import, the window's 新建), refuses files
    that are not this program's or are damaged, and leaves them untouched. After every committed transaction
    the WAL is checkpointed (PASSIVE), so the .db file itself holds the data within moments of each change.
    """

    def __init__(self, path: str | Path, operator: str | None = None, *, create: bool = False,
                 check: bool = True) -> None:
        self.path = Path(path)
        conn, self.created = connect(self.path, create=create, check=check)
        self.conn = conn
        self._key = file_key(self.path) if str(path) != ":memory:" else None
        if self._key:
            note_open(self._key)
        try:
            self.db = sqlite_utils.Database(conn)
            with translated(self.path):
                backup_before_upgrade(conn, self.path)  # a checked copy first if migrate/refresh_keys will change data
                migrate(conn)
                refresh_keys(conn)  # sort and search keys made by an older rule are rebuilt once
                self.operator = operator or self.setting("operator") or _default_operator()
        except BaseException:
            self.close()
            raise
        self.checkpoint()

    def close(self) -> None:
        if self._key:
            note_closed(self._key)
            self._key = None
            self._empty_wal_if_idle()
        self.conn.close()

    def _empty_wal_if_idle(self) -> None:
        """On close, empty the WAL unless another connection is in the middle of using it (busy timeout 0).

        SQLite's own close does not do this any more (see opening.disable_checkpoint_on_close), and a WAL
        left full of already-copied frames could be replayed onto a .db file that was replaced meanwhile.
        """
        try:
            self.conn.execute("PRAGMA busy_timeout = 0")
            self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        except sqlite3.Error:
            pass  # a damaged or read-only file, or a closed connection: nothing to tidy

    def clone(self) -> Registry:
        """Another connection to the same file, for work on a background thread (WAL lets both read)."""
        return Registry(self.path, operator=self.operator, check=False)

    def checkpoint(self, mode: str = "PASSIVE") -> bool:
        """Copy the WAL into the .db file; True if all of it went in (TRUNCATE also empties the WAL file).

        Coordinated through the -shm file's locks, so it is safe even if this process lost its locks on the
        .db file. A failed checkpoint loses nothing (the committed data stays in the WAL): it is not an error.
        """
        if mode not in ("PASSIVE", "FULL", "RESTART", "TRUNCATE"):
            raise ValueError(mode)
        try:
            busy, _, _ = self.conn.execute(f"PRAGMA wal_checkpoint({mode})").fetchone()
        except sqlite3.Error:
            return False
        return not busy

    def __enter__(self) -> Registry:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # Reads -----------------------------------------------------------------------------------------------
    def query(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> list[dict[str, Any]]:
        cur = self.conn.execute(sql, params)
        names = [d[0] for d in cur.description]
        return [dict(zip(names, row, strict=True)) for row in cur.fetchall()]

    def scalar(self, sql: str, params: Sequence[Any] | Mapping[str, Any] = ()) -> Any:
        row = self.conn.execute(sql, params).fetchone()
        return row[0] if row else None

    def setting(self, key: str, default: str | None = None) -> str | None:
        row = self.conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return row[0] if row and row[0] is not None else default

    # Writes ----------------------------------------------------------------------------------------------
    @contextmanager
    def transaction(self, action: str, summary: str | None = None) -> Iterator[Tx]:
        """One use case: commits whole with its audit trail, or not at all.

        SQLite's user situations (disk full, read-only, locked by another writer, damaged) come out as one
        UserError sentence; a ROLLBACK that fails afterwards never hides the original cause.
        """
        at = _now()
        with translated(self.path):
            self.conn.execute("BEGIN IMMEDIATE")
        committed = False
        try:
            cur = self.conn.execute(
                "INSERT INTO operations (at, operator, action, summary) VALUES (?, ?, ?, ?)",
                (at, self.operator, action, summary),
            )
            tx = Tx(self.conn, int(cur.lastrowid or 0), self.operator, at)
            yield tx
            if tx.changes:
                self.conn.execute("COMMIT")
                committed = True
            else:
                self.conn.execute("ROLLBACK")
        except BaseException as exc:
            self._rollback_quietly()
            error = user_error(exc, self.path)
            if error is not None:
                raise error from exc
            raise
        if committed:
            self.checkpoint()

    def _rollback_quietly(self) -> None:
        """Undo an open transaction after a failure; SQLite may already have rolled it back itself (a full disk
        does that), and an error here must not replace the one that explains what happened."""
        if not self.conn.in_transaction:
            return
        with suppress(sqlite3.Error):
            self.conn.execute("ROLLBACK")


def _default_operator() -> str:
    try:
        return getpass.getuser() or "本机用户"
    except Exception:
        return "本机用户"
