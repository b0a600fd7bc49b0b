"""Benchmark of opening a registry: the damage check (PRAGMA quick_check) and the checkpoint after each change.

Usage: python bench/bench_open.py [--people 100000] [--db PATH]
Prints the open time with and without the check, the check alone, and one small change with its checkpoint.
"""

from __future__ import annotations

import argparse
import statistics as st
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from registry.demo import fill_demo
from registry.services.organizations import add_org, delete_org
from registry.storage.database import Registry
from registry.storage.opening import quick_check


def ms(fn: object, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append((time.perf_counter() - t) * 1000)
    return st.median(times)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=100_000)
    ap.add_argument("--db", type=Path)
    args = ap.parse_args()
    path = args.db or Path(tempfile.mkdtemp()) / "bench.db"
    if not path.exists():
        with Registry(path, operator="bench", create=True) as reg:
            fill_demo(reg, people=args.people)
            reg.checkpoint("TRUNCATE")
    with Registry(path) as reg:
        size = reg.scalar("PRAGMA page_count") * reg.scalar("PRAGMA page_size") / 1e6
        people = reg.scalar("SELECT count(*) FROM people")
        check = ms(lambda: quick_check(reg.conn, path, seconds=60))

        def change() -> None:
            add_org(reg, name="基准党支部")
            delete_org(reg, "基准党支部")

        write = ms(change) / 2
    print(f"{people} people, {size:.1f} MB")
    print(f"open with check    {ms(lambda: Registry(path).close()):8.1f} ms")
    print(f"open without check {ms(lambda: Registry(path, check=False).close()):8.1f} ms")
    print(f"quick_check alone  {check:8.1f} ms")
    print(f"one change + PASSIVE checkpoint {write:8.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
