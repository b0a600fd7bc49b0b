"""Benchmark of the due list with transfers out waiting for their 回执, at 100,000 people.

Usage: python bench/bench_transfers.py [--people 100000] [--pending 2000] [--db PATH]
Target (issue 2): the due list and its counts under 200 ms; the transfer kind should add only a few ms.
"""

from __future__ import annotations

import argparse
import random
import statistics as st
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from registry.demo import fill_demo
from registry.services.due import due_counts, due_items
from registry.storage.database import Registry


def timed(fn: Callable[[], object], repeat: int = 7) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return st.median(times), max(times)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=100_000)
    ap.add_argument("--pending", type=int, default=2000)
    ap.add_argument("--db", type=Path)
    args = ap.parse_args()
    path = args.db or Path(tempfile.mkdtemp()) / "bench.db"
    reg = Registry(path, operator="bench", create=True)
    if not reg.scalar("SELECT count(*) FROM people"):
        t = time.perf_counter()
        fill_demo(reg, people=args.people, seed=7)
        print(f"demo data in {time.perf_counter() - t:.1f} s")
    today = date.today()
    results = {"due list, no transfers": timed(lambda: due_items(reg, today)),
               "due counts, no transfers": timed(lambda: due_counts(reg, today))}
    rng = random.Random(5)
    members = [r[0] for r in reg.conn.execute(
        "SELECT id FROM people WHERE category IN ('正式党员','预备党员') AND left_on IS NULL AND flowing = 0")]
    chosen = rng.sample(members, min(args.pending, len(members)))
    with reg.transaction("bench.transfers") as tx:  # letters issued over the last year, a third received
        rows = []
        for pid in chosen:
            issued = today - timedelta(days=rng.randint(0, 365))
            rows.append({"person_id": pid, "direction": "out", "to_org": "外地某党委",
                         "issued_on": issued.isoformat(), "valid_until": (issued + timedelta(days=90)).isoformat(),
                         "received_on": (issued + timedelta(days=20)).isoformat() if rng.random() < 0.33 else None})
        tx.insert_many("transfers", rows, label_key=None)
    results[f"due list, {len(chosen)} letters"] = timed(lambda: due_items(reg, today))
    results[f"due counts, {len(chosen)} letters"] = timed(lambda: due_counts(reg, today))
    pending = sum(1 for i in due_items(reg, today) if i["kind"] == "transfer_receipt")
    print(f"people: {reg.scalar('SELECT count(*) FROM people')}, pending letters listed: {pending}")
    for name, (median, worst) in results.items():
        print(f"{name:34s} median {median:7.1f} ms   worst {worst:7.1f} ms")
    return 0


if __name__ == "__main__":
    sys.exit(main())
