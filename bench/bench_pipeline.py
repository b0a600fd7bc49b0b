"""Benchmark of the 发展党员 list: pipeline() cold (nothing cached), warm (after warm_in_steps or a first read),
filtered, and one slice of the idle-time warm-up, on the demo data and on about 2,000 pipeline people.

Usage: python bench/bench_pipeline.py [--people 6600] [--db PATH]   (a demo database of that many people is
made at PATH if it does not exist; 6,600 people hold about 1,800 in the pipeline).
Target (issue 13): the list back in ≤ 200 ms for ~2,000 pipeline people.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _ms(fn: object) -> tuple[float, object]:
    start = time.perf_counter()
    out = fn()  # type: ignore[operator]
    return (time.perf_counter() - start) * 1000, out


def main() -> int:
    from registry.demo import fill_demo
    from registry.services import pipeline as module
    from registry.storage.database import Registry

    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=6600)
    ap.add_argument("--db", type=Path, default=None)
    args = ap.parse_args()
    db = args.db or Path(tempfile.gettempdir()) / f"bench-pipeline-{args.people}.db"
    if not db.exists():
        with Registry(db, create=True) as reg:
            fill_demo(reg, people=args.people)
    with Registry(db) as reg:
        module._CACHE.clear()
        cold, rows = _ms(lambda: module.pipeline(reg))
        warm = min(_ms(lambda: module.pipeline(reg))[0] for _ in range(3))
        filtered = min(_ms(lambda: module.pipeline(reg, category="发展对象"))[0] for _ in range(3))
        module._CACHE.clear()
        steps = module.warm_in_steps(reg)
        first_slice, _ = _ms(lambda: next(steps))
        whole, _ = _ms(lambda: sum(1 for _ in steps))
        after_warm, _ = _ms(lambda: module.pipeline(reg))
        print(f"pipeline people: {len(rows)}")  # type: ignore[arg-type]
        print(f"cold {cold:.0f} ms; warm {warm:.0f} ms; one stage {filtered:.0f} ms")
        print(f"warm-up: first slice {first_slice:.0f} ms, the rest {whole:.0f} ms; list after it {after_warm:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
