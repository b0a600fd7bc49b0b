"""Benchmark: a 100,000-row × 15-column census .xlsx, imported end to end vs a bare python-calamine read.

Usage: python bench/bench_import.py [--rows 100000] [--file census.xlsx] [--repeat 3] [--big] [--floor] [--steps]
Each run measures, in fresh processes (peak memory = ru_maxrss of that step alone): the bare read; the import
into an empty registry (with the per-step table of registry.importing.timing); the same file again into the
registry it made (0 added, 0 updated); 5,000 other people into that registry of 100,000. --big adds a
300,000-row census in three sheets; --floor the floors: storage (the same rows stored with nothing else to do),
matching (the stored people a plan compares with, read into Python) and the pre-import backup alone.
--steps adds the development-step columns of issue 13 (确定为积极分子时间, 推荐方式, 入党志愿书编号, 上级党委审批时间).
Targets (issue 15): into an empty registry ≤ 2.0 × the read and < 500 MB; again ≤ 1.5 × the read; 5,000 into
100,000 ≤ 1.0 s; 300,000 in three sheets ≤ 2.0 × its read and < 1 GB. The machine is shared: compare ratios
within one run, and repeat.
Measured 2026-12-01, session 7 (2 cores, load ~1; 3 runs each, two sets of runs an hour apart): read 2.7–3.4 s;
into an empty registry 4.7–6.2 × (peak 263 MB; 7.1 × at the session's start on the same machine); again 4.1–5.4 ×
(4.6 ×); 5,000 into 100,000 1.7–2.0 s (5.5 s; 8.1–9.2 s in session 6), the backup now made alongside and
quick_checked; 300,000 in three sheets 5.3–6.0 ×, peak 625 MB (7.8–8.8 ×). Floors (--floor) in the same run:
storage 4.2 s, so read + storage = 2.4 × the read; matching 2.2 s, so read + matching = 1.7 ×; the backup alone 0.7 s.
Measured 2026-12-02, session 8 (the stored people now read beside the parse when a census names much of a large
registry): read 2.1–2.6 s; into an empty registry 6.0–6.4 × (peak 261 MB); again 4.1–6.7 × (10.5–14.2 s; by itself,
alternating with the read switched off in one process: 11.8–14.0 s against 13.4–15.0 s, peak 577 MB against 521 MB);
5,000 into 100,000 1.32–1.51 s; 300,000 in three sheets 4.8–5.5 ×, peak 622 MB. Floors: storage 3.8 s (2.75 ×),
matching 2.1 s (1.95 ×), backup 0.6 s. The read itself varied by 20 % between runs, which moves every ratio.
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

HEADER = ["序号", "姓名", "性别", "身份证号", "出生年月", "民族", "学历", "政治面貌", "入党时间", "所属企业", "网点名称",
          "联系电话", "党组织关系所在地", "报到日期", "备注"]

READ = """
import resource, sys, time
from python_calamine import CalamineWorkbook
t = time.perf_counter()
wb = CalamineWorkbook.from_path(sys.argv[1])
n = sum(len(wb.get_sheet_by_name(s).to_python()) for s in wb.sheet_names)
print(f"{time.perf_counter() - t:.3f} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} {n}")
"""

IMPORT = """
import json, resource, shutil, sys, time, tempfile
from pathlib import Path
sys.path.insert(0, sys.argv[2])
from registry.storage.database import Registry
from registry.importing import timing
from registry.importing.service import import_files
db = Path(sys.argv[3])
if len(sys.argv) > 4:  # into a copy of a registry made by an earlier step
    shutil.copy(sys.argv[4], db)
reg = Registry(db, operator="bench", create=True)
t = time.perf_counter()
r = import_files(reg, [sys.argv[1]])
took = time.perf_counter() - t
reg.close()
print(json.dumps({"s": took, "mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "added": r.added,
                  "updated": r.updated, "rejected": r.rejected, "steps": timing.spent()}))
"""


# The storage floor: the same people rows (already validated, keys computed) written to a fresh registry with
# nothing else to do — one bulk insert, the indexes built once, the commit. No import can beat it.
FLOOR = """
import sys, time, tempfile, sqlite3
from pathlib import Path
sys.path.insert(0, sys.argv[2])
from registry.storage.database import Registry
source = Registry(sys.argv[1])
cur = source.conn.execute("SELECT * FROM people")
cols = [d[0] for d in cur.description if d[0] not in ("id", "outlet_id", "organization_id")
        and source.scalar(f"SELECT 1 FROM people WHERE {d[0]} IS NOT NULL LIMIT 1")]  # as the import: filled ones
rows = source.conn.execute(f"SELECT {', '.join(cols)} FROM people").fetchall()
reg = Registry(Path(tempfile.mkdtemp()) / "f.db", operator="bench", create=True)
t = time.perf_counter()
with reg.transaction("bench") as tx:
    tx.insert_rows("people", cols, rows, rebuild_indexes=True, audited_by="batch_id")
print(f"{time.perf_counter() - t:.3f}")
"""


# The matching floor of the same file again: the stored people a plan compares the census with, read into Python
# (the census's fields and what the rules and the writer need, as registry.importing.plan reads them).
MATCH_FLOOR = """
import sys, time
sys.path.insert(0, sys.argv[2])
from registry.storage.database import Registry
from registry.importing.plan import Planner
reg = Registry(sys.argv[1])
numbers = [r[0] for r in reg.conn.execute("SELECT id_number FROM people")]
fields = {"gender", "birth_date", "ethnicity", "education", "category", "joined_on", "phone", "home_organization",
          "reported_on", "notes"}
t = time.perf_counter()
found = Planner(reg, None)._existing(numbers, fields)
print(f"{time.perf_counter() - t:.3f}")
"""

# The backup floor of 5,000 into 100,000: the automatic pre-import backup of the registry alone (copy, quick_check).
BACKUP_FLOOR = """
import sys, time, tempfile
from pathlib import Path
sys.path.insert(0, sys.argv[2])
from registry.storage.database import Registry
from registry.services.backups import copy_checked
reg = Registry(sys.argv[1])
t = time.perf_counter()
copy_checked(reg.conn, Path(tempfile.mkdtemp()) / "b.db", "quick_check")
print(f"{time.perf_counter() - t:.3f}")
"""


STEP_HEADER = ["确定为积极分子时间", "推荐方式", "入党志愿书编号", "上级党委审批时间"]


def make_census(path: Path, rows: int, steps: bool = False, seed: int = 3, sheets: int = 1) -> None:
    """A census of `rows` people per sheet; other seeds give other people (the same seed, the same people)."""
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    for n in range(sheets):
        _census_sheet(wb.create_sheet(f"摸排表{n + 1}" if sheets > 1 else "摸排表"), rows, steps, seed + n)
    wb.save(path)


def _census_sheet(ws, rows: int, steps: bool, seed: int) -> None:  # type: ignore[no-untyped-def]
    from registry.demo import GIVEN, HOME_ORGS, SURNAMES, make_id

    rng = random.Random(seed)
    ws.append(["某区快递行业党员摸排表"])
    ws.append(["填报单位（盖章）：某街道", None, None, None, "填报时间：2026年11月"])
    ws.append(HEADER + (STEP_HEADER if steps else []))
    import datetime as dt

    cats = ["群众"] * 5 + ["中共党员"] * 3 + ["入党积极分子", "递交入党申请书", "中共预备党员"]
    for i in range(1, rows + 1):
        male = rng.random() < 0.8
        birth = dt.date(1970, 1, 1) + dt.timedelta(days=rng.randrange(12000))
        cat = rng.choice(cats)
        member = cat in ("中共党员", "中共预备党员")
        joined = f"{birth.year + 25}年{rng.randrange(1, 13)}月" if member and cat == "中共党员" else (
            f"{2025}.{rng.randrange(12, 13)}" if member else None)
        ws.append([i, rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(2)), "男" if male else "女",
                   make_id(rng, birth, male), f"{birth.year}.{birth.month:02d}", "汉族", rng.choice(["高中", "大专", "本科"]),
                   cat, joined, rng.choice(["顺丰速运", "中通快递", "京东物流", "极兔速递"]), f"网点{rng.randrange(800)}",
                   f"1{rng.choice('3578')}{rng.randrange(10**9):09d}",
                   rng.choice(HOME_ORGS) if member else None, dt.date(2025, 3, rng.randrange(1, 28)), None]
                  + ([f"2025-0{rng.randrange(1, 10)}-01" if cat == "入党积极分子" else None,
                      "党员推荐" if cat == "入党积极分子" else None, f"NO.{i:06d}" if member else None,
                      joined] if steps else []))
    ws.append(["合计", f"{rows}人"])


def run(script: str, *args: str) -> list[str]:
    out = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, check=True)
    return out.stdout.split()


def run_json(script: str, *args: str) -> dict:  # type: ignore[type-arg]
    out = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def census(rows: int, steps: bool = False, seed: int = 3, sheets: int = 1) -> Path:
    path = Path(tempfile.gettempdir()) / (f"census_{rows}{'_steps' if steps else ''}"
                                          f"{f'_seed{seed}' if seed != 3 else ''}{f'_x{sheets}' if sheets > 1 else ''}.xlsx")
    if not path.exists():
        t = time.perf_counter()
        make_census(path, rows, steps, seed, sheets)
        print(f"made {path} in {time.perf_counter() - t:.1f} s")
    return path


def spread(values: list[float]) -> str:
    return f"{min(values):.2f}–{max(values):.2f}" if len(values) > 1 else f"{values[0]:.2f}"


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--file", type=Path)
    ap.add_argument("--repeat", type=int, default=3, help="runs of every measurement (the spread is reported)")
    ap.add_argument("--big", action="store_true", help="also the 300,000-row census in three sheets")
    ap.add_argument("--floor", action="store_true", help="also measure the storage floor")
    ap.add_argument("--steps", action="store_true", help="add the development-step columns (issue 13)")
    args = ap.parse_args()
    path = args.file or census(args.rows, args.steps)
    small = census(5000, args.steps, seed=11)
    work = Path(tempfile.mkdtemp())
    ratios: dict[str, list[float]] = {"import": [], "again": []}
    small_s: list[float] = []
    steps: dict[str, list[dict[str, float]]] = {"into an empty registry": [], "the same file again": [],
                                                  "5,000 into 100,000": []}
    for n in range(args.repeat):
        read_s, read_mb, rows = run(READ, str(path))
        first = run_json(IMPORT, str(path), str(ROOT), str(work / f"first{n}.db"))
        again = run_json(IMPORT, str(path), str(ROOT), str(work / f"again{n}.db"), str(work / f"first{n}.db"))
        more = run_json(IMPORT, str(small), str(ROOT), str(work / f"small{n}.db"), str(work / f"first{n}.db"))
        read = float(read_s)
        ratios["import"].append(first["s"] / read)
        ratios["again"].append(again["s"] / read)
        small_s.append(more["s"])
        for kind, r in zip(steps, (first, again, more), strict=True):
            steps[kind].append(r["steps"])
        print(f"run {n + 1}: read {read:.2f} s ({read_mb} MB, {rows} rows) | into an empty registry {first['s']:.2f} s"
              f" = {first['s'] / read:.2f}× (peak {first['mb']:.0f} MB, added {first['added']}, rejected"
              f" {first['rejected']}) | again {again['s']:.2f} s = {again['s'] / read:.2f}× (peak {again['mb']:.0f} MB,"
              f" added {again['added']},"
              f" updated {again['updated']}) | 5,000 into it {more['s']:.2f} s (added {more['added']})")
    print(f"\n{args.repeat} runs: import {spread(ratios['import'])}× the read (target ≤ 2.0), again"
          f" {spread(ratios['again'])}× (≤ 1.5), 5,000 rows into 100,000 {spread(small_s)} s (≤ 1.0)")
    for kind, tables in steps.items():
        print(f"\nwhere the time goes ({kind}, s per run):")
        for name in tables[0]:
            print(f"  {name:<28} {' '.join(f'{s.get(name, 0):6.2f}' for s in tables)}")
    if args.big:
        big = census(100_000, args.steps, seed=21, sheets=3)
        for n in range(args.repeat):
            read_s, read_mb, rows = run(READ, str(big))
            r = run_json(IMPORT, str(big), str(ROOT), str(work / f"big{n}.db"))
            print(f"300,000 in three sheets, run {n + 1}: read {float(read_s):.2f} s | import {r['s']:.2f} s ="
                  f" {r['s'] / float(read_s):.2f}× (peak {r['mb']:.0f} MB, added {r['added']})")
            (work / f"big{n}.db").unlink()
    if args.floor:
        read = float(run(READ, str(path))[0])
        (floor_s,) = run(FLOOR, str(work / "first0.db"), str(ROOT))
        (match_s,) = run(MATCH_FLOOR, str(work / "first0.db"), str(ROOT))
        (backup_s,) = run(BACKUP_FLOOR, str(work / "first0.db"), str(ROOT))
        print(f"floors (read again: {read:.2f} s):\n"
              f"  storage: {float(floor_s):.2f} s (the same rows stored with nothing else to do): read + storage ="
              f" {1 + float(floor_s) / read:.2f}× the read\n"
              f"  matching: {float(match_s):.2f} s (the stored people a plan compares with, read into Python):"
              f" read + matching = {1 + float(match_s) / read:.2f}× the read\n"
              f"  backup: {float(backup_s):.2f} s (the pre-import backup of the 100,000-person registry alone)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
