"""Benchmark: what each people index costs a later, smaller census (5,000 people into 100,000), in WAL and commit.

Usage: python bench/bench_index_wal.py --db PATH [--rows 5000]   (a registry of 100,000, e.g. made by
bench/bench_import.py). On a copy for each trial: the rows (copies of random people under new ID numbers) inserted
in one transaction with every index, then without each one in turn; the WAL written and the commit
(synchronous = FULL) are printed. A wide index (a sort key and the search text, ~170 bytes an entry) has ~20
entries a page, so 5,000 random inserts dirty nearly all of its pages.
Measured 2026-12-01 at 99,231 people: every index 48.6 MB, commit 0.63–0.70 s; without people_roster_pinyin
32.8 MB, 0.39 s (dropped by migration 0006); without people_name as well 30.6 MB, 0.30 s (kept: it answers the
look-up of an introducer by name).
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path


def trial(db: Path, work: Path, rows: list[list[object]], columns: list[str], drop: str | None) -> tuple[float, float]:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{work}{suffix}").unlink(missing_ok=True)
    shutil.copy(db, work)
    conn = sqlite3.connect(work, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA cache_size = -65536")
    if drop:
        conn.execute(f"DROP INDEX {drop}")
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("BEGIN IMMEDIATE")
    conn.executemany(f"INSERT INTO people ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})", rows)
    t = time.perf_counter()
    conn.execute("COMMIT")
    took = time.perf_counter() - t
    wal = os.path.getsize(f"{work}-wal") / 1e6
    conn.close()
    return wal, took


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", type=Path, required=True)
    ap.add_argument("--rows", type=int, default=5000)
    args = ap.parse_args()
    src = sqlite3.connect(args.db)
    cur = src.execute(f"SELECT * FROM people ORDER BY random() LIMIT {int(args.rows)}")
    columns = [d[0] for d in cur.description]
    rows = [list(r) for r in cur.fetchall()]
    indexes = [r[0] for r in src.execute("SELECT name FROM sqlite_master WHERE type = 'index'"
                                         " AND tbl_name = 'people' AND sql IS NOT NULL")]
    src.close()
    at_id, at_number = columns.index("id"), columns.index("id_number")
    for k, row in enumerate(rows):
        row[at_id], row[at_number] = None, f"Z{row[at_number]}{k}"
    work = Path(tempfile.mkdtemp()) / "w.db"
    print(f"{len(rows)} rows into {args.db.name}")
    for drop in [None, *indexes]:
        wal, took = trial(args.db, work, rows, columns, drop)
        print(f"{'every index' if drop is None else 'without ' + drop:<34} WAL {wal:6.1f} MB  commit {took:5.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
