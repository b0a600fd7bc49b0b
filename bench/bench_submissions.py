"""Benchmark of 报送: storing a submission (roster included), reading it back as the next period's 上期末, reprinting.

Usage: python bench/bench_submissions.py [--people 100000] [--db PATH]
The roster stored with a submission names everyone counted at the period end, so its cost grows with the registry;
reading the previous submission happens on every report of the next period.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from registry.demo import fill_demo
from registry.rules.periods import parse_month
from registry.services.stats import statistics
from registry.services.submissions import apply_submitted, list_submissions, reprint, roster_at, submit
from registry.storage.database import Registry

TODAY = date(2026, 11, 24)
OCTOBER, NOVEMBER = parse_month("2026-10"), parse_month("2026-11")


def timed(label: str, fn: Callable[[], Any]) -> Any:
    start = time.perf_counter()
    result = fn()
    print(f"{label:<58}{(time.perf_counter() - start) * 1000:9.0f} ms")
    return result


def counts(reg: Registry, day: date) -> dict[str, Any]:
    s = statistics(reg, day)
    return {"members": s["members"], "by_category": s["by_category"]}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=100_000)
    ap.add_argument("--db", type=Path)
    args = ap.parse_args()
    folder = Path(tempfile.mkdtemp())
    path = args.db or folder / "bench.db"
    with Registry(path, operator="bench", create=True) as reg:
        if not reg.scalar("SELECT count(*) FROM people"):
            timed(f"fill_demo({args.people})", lambda: fill_demo(reg, people=args.people, seed=7, today=TODAY))
        reg.conn.execute("DELETE FROM report_submissions")  # a reused bench database: submit again
        october = {"title": "快递行业党建工作月报", "current": counts(reg, OCTOBER.end)}
        roster = timed("roster_at(October end)", lambda: roster_at(reg, OCTOBER.end))
        pdf = b"%PDF-1.4\n" + bytes(300_000)  # about the size of a monthly report
        timed(f"submit (roster computed inside, ~{len(roster)} people)",
              lambda: submit(reg, "monthly", OCTOBER, None, october, pdf))
        november = {"current": counts(reg, NOVEMBER.end), "previous": counts(reg, OCTOBER.end), "changes": []}
        timed("apply_submitted, no difference", lambda: apply_submitted(reg, november, "monthly", NOVEMBER))
        november = {"current": counts(reg, NOVEMBER.end), "previous": counts(reg, OCTOBER.end), "changes": []}
        november["previous"]["members"]["registered"] += 1  # as if a late correction changed October
        timed("apply_submitted, a difference (recomputed roster)",
              lambda: apply_submitted(reg, november, "monthly", NOVEMBER))
        timed("list_submissions", lambda: list_submissions(reg))
        sid = list_submissions(reg)[0]["id"]
        timed("reprint (300 KB PDF)", lambda: reprint(reg, sid, folder / "r.pdf"))
        size = reg.scalar("SELECT length(figures) FROM report_submissions WHERE id = ?", [sid])
        print(f"stored figures JSON: {size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
