"""Benchmark: which people indexes the screens need, at 100,000 people (issue 15 §3).

Usage: python bench/bench_indexes.py --db PATH   (a registry of 100,000, e.g. made by bench/bench_import.py)
For each secondary index of people: what building it costs after a first census, and what the screen query it
serves costs with it and without it (the same SQL without its INDEXED BY hint, on a copy without the index).
Targets the queries serve: roster and search ≤ 100 ms (issue 4), statistics ≤ 200 ms, the dashboard's due counts.
Measured 2026-12-01 at 99,231 people (shared machine; build / with / without): roster_stroke 0.42 s / 250 / 479 ms,
roster_pinyin 0.44 s / 290 / 591 ms, due 0.42 s / 2 / 16 ms per kind (the dashboard counts 13 kinds), organization
0.11 s / 0 / 19 ms, name 0.22 s / 0 / 36 ms per look-up, stats 0.43 s / 117 / 185 ms: each serves a screen within
its target only with it, so none is dropped; together they cost about 2 s to build after a first census.
Since then (issue 15): people_roster_pinyin is gone (migration 0006). The roster sorts pinyin order in memory from
the stroke order and one pass over the table (303 ms against 258 ms from the index), and a later census pays for
every wide index it touches (bench/bench_index_wal.py: 48.6 MB of WAL with it, 32.8 MB without).
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

# index -> (what it serves, the query as the service runs it without its INDEXED BY hint)
QUERIES = {
    "people_roster_stroke": ("名册与检索（笔画序，内存索引的来源）",
                             "SELECT id, search_text, category, flowing, outlet_id, organization_id, left_on IS NULL"
                             " FROM people ORDER BY sort_stroke, search_text"),
    "people_stats": ("统计（按网点、类别、关系计数）",
                     "SELECT outlet_id, category, relation, status, lost_contact, count(*) FROM people"
                     " WHERE left_on IS NULL GROUP BY 1, 2, 3, 4, 5"),
    "people_due": ("首页待办计数（按类别与日期）",
                   "SELECT applied_on, count(*) FROM people WHERE category = '入党申请人' AND left_on IS NULL"
                   " GROUP BY applied_on"),
    "people_organization": ("党组织的人员（删除、下级范围）", "SELECT count(*) FROM people WHERE organization_id = 1"),
    "people_name": ("按姓名查找介绍人", "SELECT id FROM people WHERE name = '张伟' AND left_on IS NULL"),
}


def best(conn: sqlite3.Connection, sql: str, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        conn.execute(sql).fetchall()
        times.append(time.perf_counter() - t)
    return min(times)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--db", type=Path, required=True)
    args = ap.parse_args()
    work = Path(tempfile.mkdtemp()) / "i.db"
    shutil.copy(args.db, work)
    conn = sqlite3.connect(work)
    people = conn.execute("SELECT count(*) FROM people").fetchone()[0]
    indexes = dict(conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'people'"
                                " AND sql IS NOT NULL"))
    print(f"{people} people; times are the best of 5 runs")
    print(f"{'index':<22} {'build':>7} {'with':>8} {'without':>8}  serves")
    for name, sql in indexes.items():
        serves, query = QUERIES.get(name, ("?", None))
        with_index = best(conn, query) if query else float("nan")
        conn.execute(f"DROP INDEX {name}")
        without = best(conn, query) if query else float("nan")
        t = time.perf_counter()
        conn.execute(sql)
        build = time.perf_counter() - t
        print(f"{name:<22} {build:6.2f}s {with_index * 1000:6.0f}ms {without * 1000:6.0f}ms  {serves}")
    conn.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
