"""Benchmark of the 组织生活 rules: the branch items of the due list (dashboard counts), the meetings list and the
report section, on a demo database.

Usage: python bench/bench_org_life.py [--people 20000] [--db PATH]   (a demo database of that many people is made
at PATH if it does not exist). Measured on the shared 2-core machine, 20,000 people (≈130 meetings, 400,000
attendance rows): the branch due counts ~0.14 s, the meetings list ~0.06 s.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _ms(fn: object) -> float:
    start = time.perf_counter()
    fn()  # type: ignore[operator]
    return (time.perf_counter() - start) * 1000


def main() -> int:
    from registry.demo import fill_demo
    from registry.reports.org_life_section import org_life_section
    from registry.rules.periods import parse_month
    from registry.services.meetings import list_meetings
    from registry.services.org_life_gaps import org_life_due_counts
    from registry.storage.database import Registry

    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=20000)
    ap.add_argument("--db", type=Path, default=None)
    args = ap.parse_args()
    db = args.db or Path(tempfile.gettempdir()) / f"bench-org-life-{args.people}.db"
    if not db.exists():
        with Registry(db, create=True) as reg:
            fill_demo(reg, people=args.people)
    month = parse_month(f"{date.today().year}-{date.today().month:02d}").previous()
    with Registry(db) as reg:
        print(f"branch due counts: {_ms(lambda: org_life_due_counts(reg, date.today())):.0f} ms")
        print(f"meetings list:     {_ms(lambda: list_meetings(reg)):.0f} ms")
        print(f"report section:    {_ms(lambda: org_life_section(reg, month, month.previous(), None)):.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
