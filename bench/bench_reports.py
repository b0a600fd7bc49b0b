"""Benchmark of the PDF reports: the monthly report, and the roster against a bare reportlab LongTable.

Usage: python bench/bench_reports.py [--people 10000] [--outlets 1000] [--db PATH]
Targets (reports issue): the monthly report for 1,000 outlets and 10,000 people in at most 2 s; a
10,000-row roster PDF in at most 1.5 x the time a bare reportlab LongTable of the same cells takes.
The roster is timed whole (query, cells, layout, file, audit row); the bare table only builds its PDF.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reportlab.platypus import LongTable, SimpleDocTemplate, TableStyle

from registry.demo import BRANDS, PLACES, fill_demo
from registry.reports.fonts import FONT, register_fonts
from registry.reports.monthly import write_monthly_report
from registry.reports.roster import MARGINS, column_layout, roster_cells, write_roster_report
from registry.reports.styles import LANDSCAPE
from registry.rules.periods import month_period
from registry.services.outlets import brand_id_for
from registry.services.search import PeopleFilter, search_people
from registry.storage.database import Registry

TODAY = date(2026, 11, 24)


def fill(reg: Registry, people: int, outlets: int) -> None:
    """Demo data, then more outlets (the demo makes one per 25 people) with a third of the people moved there."""
    fill_demo(reg, people=people, seed=7, today=TODAY)
    have = reg.scalar("SELECT count(*) FROM outlets")
    rng = random.Random(7)
    with reg.transaction("bench.outlets", "更多网点") as tx:
        orgs = [r[0] for r in tx.conn.execute("SELECT id FROM organizations WHERE parent_id IS NOT NULL")]
        rows = [{"name": f"{PLACES[i % len(PLACES)]}{i}号网点", "norm_name": f"{PLACES[i % len(PLACES)]}{i}号网点",
                 "brand_id": brand_id_for(tx, BRANDS[i % len(BRANDS)]), "workers": rng.randrange(10, 120),
                 "organization_id": rng.choice([*orgs, None, None])} for i in range(have, outlets)]
        ids = tx.insert_many("outlets", rows)
        people_ids = [r[0] for r in tx.conn.execute("SELECT id FROM people")]
        if ids:
            tx.conn.executemany("UPDATE people SET outlet_id = ? WHERE id = ?",
                                [(rng.choice(ids), pid) for pid in people_ids if rng.random() < 0.33])


def bare_longtable(path: Path, header: list[str], rows: list[list[str]], size: float, widths: list[float]) -> None:
    """The same cells in a LongTable with nothing but the font: no grid, header repeat, page furniture."""
    doc = SimpleDocTemplate(str(path), pagesize=LANDSCAPE, leftMargin=MARGINS[0], rightMargin=MARGINS[1],
                            topMargin=MARGINS[2], bottomMargin=MARGINS[3])
    table = LongTable([header, *rows], colWidths=widths)
    table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), FONT), ("FONTSIZE", (0, 0), (-1, -1), size),
                               ("LEADING", (0, 0), (-1, -1), size * 1.18)]))
    doc.build([table])


def timed(label: str, fn: Callable[[], object], repeat: int = 1) -> float:
    best = float("inf")
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    print(f"{label:<52} {best:7.2f} s")
    return best


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--people", type=int, default=10_000)
    ap.add_argument("--outlets", type=int, default=1_000)
    ap.add_argument("--db", type=Path)
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    folder = Path(tempfile.mkdtemp())
    reg = Registry(args.db or folder / "bench.db", operator="bench", create=True)
    if not reg.scalar("SELECT count(*) FROM people"):
        t = time.perf_counter()
        fill(reg, args.people, args.outlets)
        print(f"demo data built in {time.perf_counter() - t:.1f} s")
    n_people = reg.scalar("SELECT count(*) FROM people")
    n_outlets = reg.scalar("SELECT count(*) FROM outlets")
    print(f"{n_people:,} people, {n_outlets:,} outlets")
    register_fonts()

    period = month_period(TODAY)
    monthly = timed("monthly report (figures + PDF + audit)",
                    lambda: write_monthly_report(reg, folder / "monthly.pdf", period, on=TODAY), args.repeat)
    pages = write_monthly_report(reg, folder / "monthly.pdf", period, on=TODAY)["pages"]
    print(f"  {pages} pages; target <= 2.0 s: {'meets' if monthly <= 2.0 else 'MISSES'}")

    people = search_people(reg, PeopleFilter())
    size, widths = column_layout()
    header, rows = roster_cells(people, False, size, widths)
    bare = timed(f"bare LongTable of the same cells ({len(rows):,} rows)",
                 lambda: bare_longtable(folder / "bare.pdf", header, rows, size, widths), args.repeat)
    ours = timed("roster PDF (query + cells + PDF + audit)",
                 lambda: write_roster_report(reg, folder / "roster.pdf", on=TODAY), args.repeat)
    print(f"  ratio roster / bare: {ours / bare:.2f}; target <= 1.5: {'meets' if ours <= 1.5 * bare else 'MISSES'}")
    for name in ("monthly.pdf", "bare.pdf", "roster.pdf"):
        print(f"  {name:<12} {(folder / name).stat().st_size / 1e6:6.2f} MB")
    reg.close()
    if not args.db:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
