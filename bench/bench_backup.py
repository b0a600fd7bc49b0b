"""Benchmark: automatic backup, listing and restore of a 100,000-person registry.

Usage: python bench/bench_backup.py [--people 100000] [--db PATH]
Reports the seconds of each step: the online backup copy, its integrity_check, listing the backups, and a
restore (check of the backup, the 恢复前 copy, the write into the live database, checkpoint, audit).
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from registry.demo import fill_demo
from registry.services.backups import list_backups, make_backup
from registry.services.people import add_person
from registry.services.restore import restore
from registry.storage.database import Registry


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=100_000)
    ap.add_argument("--db", type=Path)
    args = ap.parse_args()
    path = args.db or Path(tempfile.mkdtemp()) / "taizhang.db"
    reg = Registry(path, operator="bench")
    if not reg.scalar("SELECT count(*) FROM people"):
        t = time.perf_counter()
        fill_demo(reg, people=args.people, seed=7)
        print(f"demo data: {args.people} people in {time.perf_counter() - t:.1f} s")
    reg.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    print(f"database: {path.stat().st_size / 1048576:.1f} MB, {reg.scalar('SELECT count(*) FROM people')} people")

    t = time.perf_counter()
    target = sqlite3.connect(Path(tempfile.mkdtemp()) / "copy.db")
    reg.conn.backup(target)
    copy = time.perf_counter() - t
    t = time.perf_counter()
    target.execute("PRAGMA integrity_check").fetchall()
    check = time.perf_counter() - t
    target.close()
    print(f"online backup copy: {copy:.2f} s; integrity_check of the copy: {check:.2f} s")

    t = time.perf_counter()
    info = make_backup(reg.conn, path, "导入前", reuse=False)
    print(f"make_backup (copy + integrity_check + rename + rotation): {time.perf_counter() - t:.2f} s,"
          f" {info.size / 1048576:.1f} MB")
    t = time.perf_counter()
    listed = list_backups(path)
    print(f"list_backups ({len(listed)} files): {(time.perf_counter() - t) * 1000:.0f} ms")

    add_person(reg, name="基准后来人", id_number="510104198503154210")
    t = time.perf_counter()
    result = restore(path, info.path, operator="bench")
    print(f"restore (check backup, 恢复前 copy, write in, checkpoint, audit): {time.perf_counter() - t:.2f} s;"
          f" kept {result.kept.path.name if result.kept else None}")
    reg.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
