"""Benchmark: counting what an undo takes back (the confirmation shown on the GUI thread) for a large batch.

Usage: python bench/bench_undo_question.py [--rows 50000]
Measured 2026-12-01 on the 2-core build machine: 50,000 people → 0.14 s.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from registry.demo import make_id  # noqa: E402
from registry.importing.service import import_files  # noqa: E402
from registry.importing.undo_counts import ask_undo  # noqa: E402
from registry.storage.database import Registry  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50000)
    rows = parser.parse_args().rows
    rng = random.Random(1)
    folder = Path(tempfile.mkdtemp())
    numbers: set[str] = set()
    while len(numbers) < rows:
        numbers.add(make_id(rng, date(1960, 1, 1) + timedelta(days=rng.randrange(15000)), rng.random() < 0.5))
    lines = ["姓名,身份证号,政治面貌,所在网点"] + [f"张{i},{n},中共党员,网点{i % 50}" for i, n in enumerate(numbers)]
    census = folder / "census.csv"
    census.write_text("\n".join(lines), encoding="utf-8-sig")
    with Registry(folder / "b.db", operator="bench", create=True) as reg:
        batch = import_files(reg, [census]).batch
        assert batch is not None
        start = time.perf_counter()
        question = ask_undo(reg, batch)
        print(f"ask_undo for {rows} people: {time.perf_counter() - start:.3f} s — {question.splitlines()[0]}")


if __name__ == "__main__":
    main()
