"""Benchmark: a 100,000-row × 15-column census .xlsx, imported end to end vs a bare python-calamine read.

Usage: python bench/bench_import.py [--rows 100000] [--file census.xlsx] [--steps]
--steps adds the development-step columns of issue 13 (确定为积极分子时间, 推荐方式, 入党志愿书编号, 上级党委审批时间):
every member's 志愿书编号 and 审批时间 and every activist's 推荐方式 are written as steps.
Figures (issue 13 §7, 2 shared cores, 2026-12-01): 100,000 rows without step columns: the step planning and the
missing-step checks add 0.7 s of 23 s; with them (80,640 steps written): 1.9 s planning + 2.7 s writing of 31 s.
The checks run whole only on rows where a step can be missing (a stage date on or after the census day).
Target (issue 3): import ≤ 2.0 × the bare read, peak memory < 500 MB. Each measurement runs in a fresh
process so that peak memory (ru_maxrss) belongs to that step alone.
"""

from __future__ import annotations

import argparse
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
import resource, sys, time, tempfile
from pathlib import Path
sys.path.insert(0, sys.argv[2])
from registry.storage.database import Registry
from registry.importing.service import import_files
reg = Registry(Path(tempfile.mkdtemp()) / "b.db", operator="bench", create=True)
t = time.perf_counter()
r = import_files(reg, [sys.argv[1]])
print(f"{time.perf_counter() - t:.3f} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} {r.added} {r.rejected}")
"""


# The storage floor: the same people rows (already validated, keys computed) written to a fresh registry with
# nothing else to do — one bulk insert, the indexes built once, the audit rows, the commit. No import can beat it.
FLOOR = """
import resource, sys, time, tempfile, sqlite3
from pathlib import Path
sys.path.insert(0, sys.argv[2])
from registry.storage.database import Registry
from registry.importing.service import import_files
source = Registry(Path(tempfile.mkdtemp()) / "s.db", operator="bench", create=True)
import_files(source, [sys.argv[1]])
cur = source.conn.execute("SELECT * FROM people")
cols = [d[0] for d in cur.description if d[0] not in ("id", "outlet_id", "organization_id")
        and source.scalar(f"SELECT 1 FROM people WHERE {d[0]} IS NOT NULL LIMIT 1")]  # as the import: filled ones
rows = source.conn.execute(f"SELECT {', '.join(cols)} FROM people").fetchall()
reg = Registry(Path(tempfile.mkdtemp()) / "f.db", operator="bench", create=True)
t = time.perf_counter()
with reg.transaction("bench") as tx:
    tx.insert_rows("people", cols, rows, rebuild_indexes=True)
print(f"{time.perf_counter() - t:.3f}")
"""


STEP_HEADER = ["确定为积极分子时间", "推荐方式", "入党志愿书编号", "上级党委审批时间"]


def make_census(path: Path, rows: int, steps: bool = False) -> None:
    from openpyxl import Workbook

    from registry.demo import GIVEN, HOME_ORGS, SURNAMES, make_id

    rng = random.Random(3)
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("摸排表")
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
    wb.save(path)


def run(script: str, *args: str) -> list[str]:
    out = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, check=True)
    return out.stdout.split()


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--file", type=Path)
    ap.add_argument("--no-floor", action="store_true", help="skip measuring the storage floor")
    ap.add_argument("--steps", action="store_true", help="add the development-step columns (issue 13)")
    args = ap.parse_args()
    path = args.file or Path(tempfile.gettempdir()) / f"census_{args.rows}{'_steps' if args.steps else ''}.xlsx"
    if not path.exists():
        t = time.perf_counter()
        make_census(path, args.rows, args.steps)
        print(f"made {path} in {time.perf_counter() - t:.1f} s")
    read_s, read_mb, n = run(READ, str(path))
    imp_s, imp_mb, added, rejected = run(IMPORT, str(path), str(ROOT))
    print(f"bare calamine read : {float(read_s):6.2f} s  peak {read_mb} MB  ({n} rows)")
    print(f"import end to end  : {float(imp_s):6.2f} s  peak {imp_mb} MB  (added {added}, rejected {rejected})")
    print(f"ratio              : {float(imp_s) / float(read_s):.2f} × (target ≤ 2.0)")
    if not args.no_floor:
        (floor_s,) = run(FLOOR, str(path), str(ROOT))
        print(f"storage floor      : {float(floor_s):6.2f} s  (the same rows stored with nothing else to do:"
              f" read + floor = {(float(read_s) + float(floor_s)) / float(read_s):.2f} × the read)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
