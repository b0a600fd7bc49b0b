"""Benchmark of the 党费 lists: the due list's dues items, the arrears list and the year's grid.

Usage: python bench/bench_dues.py [--people 20000] [--db PATH]
The demo gives most members a base and monthly to half-yearly payments. Timed twice: on the demo's day (few owe)
and early next month (everyone owes last month until paid: the due list's worst case); a 3,000,000-step Python loop
is timed first so that figures from a busy machine can be read.
Measured 2026-12-02 (2 cores; a payment's months under one base now owe the same without a look-up each): 20,000
people (6,262 bases): due items 0.30 s on the demo's day, 1.26 s early next month; arrears 0.9–1.2 s; year grid
1.4–1.5 s. 100,000 people (31,489 bases, before that change): due items 2.3 s and 8.0 s, arrears 5.5–6.3 s, year grid
8.1 s. Every list walks every member in Python: linear in the members, and slow at a district's size.
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

from registry.demo import fill_demo
from registry.services.dues_lists import _dues_due_items, arrears_list, year_summary
from registry.storage.database import Registry


def timed(fn: Callable[[], object], repeat: int = 3) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return st.median(times)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=20_000)
    ap.add_argument("--db", type=Path)
    args = ap.parse_args()
    t = time.perf_counter()
    sum(range(3_000_000))
    print(f"calibration loop: {(time.perf_counter() - t) * 1000:.0f} ms")
    path = args.db or Path(tempfile.mkdtemp()) / "bench.db"
    reg = Registry(path, operator="bench", create=True)
    if not reg.scalar("SELECT count(*) FROM people"):
        fill_demo(reg, people=args.people, seed=7)
    print(f"{reg.scalar('SELECT count(*) FROM people')} people, {reg.scalar('SELECT count(*) FROM dues_bases')} bases,"
          f" {reg.scalar('SELECT count(*) FROM dues_payments')} payments")
    today = date.today()
    later = (today.replace(day=1) + timedelta(days=40)).replace(day=5)
    for day in (today, later):
        print(f"{day}: due items {timed(lambda d=day: _dues_due_items(reg, d, None)):.0f} ms,"
              f" arrears {timed(lambda d=day: arrears_list(reg, d)):.0f} ms,"
              f" year grid {timed(lambda d=day: year_summary(reg, d.year, d)):.0f} ms")
    reg.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
