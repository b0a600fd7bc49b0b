"""Benchmark of the registry core at 100,000 people: stats, due lists and a search keystroke.

Usage: python bench/bench_core.py [--people 100000] [--db PATH]
Targets (issue 2): stats and due under 200 ms; a search keystroke under 30 ms.
"""

from __future__ import annotations

import argparse
import statistics as st
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from registry import sorting
from registry.demo import fill_demo
from registry.reports.monthly import monthly_figures
from registry.services.due import due_items
from registry.services.search import PeopleFilter, count_people, rows_for_ids, search_ids
from registry.services.stats import statistics
from registry.storage.database import Registry


def timed(fn: Callable[[], object], repeat: int = 7) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return st.median(times), max(times)


def _last_month(today: date) -> tuple[date, date]:
    end = today.replace(day=1) - timedelta(days=1)
    return end.replace(day=1), end


def _dated_changes(reg: Registry, today: date, share: int = 20) -> None:
    """One person in `share` changes outlet or relation on a day in the last 60 days: the spans a year of
    real use leaves behind."""
    t = time.perf_counter()
    outlets = [r[0] for r in reg.conn.execute("SELECT id FROM outlets")]
    ids = [r[0] for r in reg.conn.execute(f"SELECT id FROM people WHERE id % {share} = 0")]
    with reg.transaction("bench.changes", "基准测试：有日期的变动") as tx:
        for i, pid in enumerate(ids):
            tx.effective = (today - timedelta(days=1 + i % 60)).isoformat()
            tx.update("people", pid, {"outlet_id": outlets[i % len(outlets)]} if i % 3 else {"relation": "流出"})
    print(f"{len(ids)} dated changes in {time.perf_counter() - t:.1f} s")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=100_000)
    ap.add_argument("--db", type=Path)
    args = ap.parse_args()
    path = args.db or Path(tempfile.mkdtemp()) / "bench.db"
    reg = Registry(path, operator="bench", create=True)
    if not reg.scalar("SELECT count(*) FROM people"):
        t = time.perf_counter()
        counts = fill_demo(reg, people=args.people, seed=7)
        print(f"demo data: {counts} in {time.perf_counter() - t:.1f} s")
    n = reg.scalar("SELECT count(*) FROM people")
    today = date.today()
    if not reg.scalar("SELECT count(*) FROM person_states"):
        _dated_changes(reg, today)
    loads = []
    for _ in range(3):
        sorting._tables.cache_clear()
        t = time.perf_counter()
        sorting._tables()
        loads.append(time.perf_counter() - t)
    print(f"stroke and pinyin tables load: {min(loads) * 1000:.1f} ms (best of 3; target < 30 ms)")
    t = time.perf_counter()
    search_ids(reg, PeopleFilter(text="王"))
    print(f"roster index first load: {(time.perf_counter() - t) * 1000:.0f} ms (once per change from elsewhere)")
    results = {
        "stats (whole registry)": timed(lambda: statistics(reg, today)),
        "stats (whole registry, 6 months ago)": timed(lambda: statistics(reg, date(today.year - (today.month <= 6),
                                                                                   (today.month - 7) % 12 + 1, 1))),
        "stats (one branch subtree)": timed(lambda: statistics(reg, today, org="城南快递物流联合党支部")),
        "stats (last month's end, dated)": timed(lambda: statistics(reg, today.replace(day=1) - timedelta(days=1))),
        "stats (subtree, last month's end)": timed(lambda: statistics(reg, today.replace(day=1) - timedelta(days=1),
                                                                      org="城南快递物流联合党支部")),
        "monthly report figures (balanced)": timed(lambda: monthly_figures(reg, *_last_month(today)), repeat=3),
        "due lists": timed(lambda: due_items(reg, today)),
    }
    # A keystroke: the filtered count plus the ids in stroke order plus the first screenful of rows.
    for text in ("王", "王芳", "1380", "zhang", "5101041985"):
        def keystroke(text: str = text) -> None:
            f = PeopleFilter(text=text)
            ids = search_ids(reg, f)
            rows_for_ids(reg, ids[:60])
        results[f"search keystroke {text!r}"] = timed(keystroke)
    results["count by category filter"] = timed(lambda: count_people(reg, PeopleFilter(categories=["正式党员"])))
    print(f"people: {n}")
    for name, (median, worst) in results.items():
        print(f"{name:34s} median {median:7.1f} ms   worst {worst:7.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
