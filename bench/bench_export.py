"""Benchmark of the roster export: our streaming XLSX writer against openpyxl's write-only mode at 100,000 rows.

Usage: python bench/bench_export.py [--rows 100000] [--db PATH]
Target (export issue): our writer, with styles, takes no longer than openpyxl write-only without styles.
With --db the whole roster export (.xlsx and .csv) is timed on that database (filled with demo data if empty).
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from openpyxl import Workbook

from registry.demo import BRANDS, HOME_ORGS, PLACES, REGIONS, SURNAMES
from registry.exporting.roster import export_roster, roster_columns, roster_labels
from registry.exporting.xlsx_writer import XlsxWriter
from registry.rules.idnumber import check_char
from registry.storage.database import Registry

GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚桂英华玉兰飞斌鹏辉宇浩凯健俊帆晨阳欣怡佳琳雪梦婷涵博文"
CATEGORIES = ("群众", "入党申请人", "入党积极分子", "发展对象", "预备党员", "正式党员")


def fake_rows(n: int, seed: int = 7) -> list[list[str | None]]:
    """n rows of the 22 roster columns, all text, shaped like real data (some cells empty)."""
    rng = random.Random(seed)
    rows = []
    for _ in range(n):
        birth = date(1970, 1, 1) + timedelta(days=rng.randrange(12_000))
        body = f"{rng.choice(REGIONS)}{birth:%Y%m%d}{rng.randrange(1000):03d}"
        member = rng.random() < 0.4
        joined = birth + timedelta(days=rng.randrange(7000, 12_000)) if member else None
        flowing = member and rng.random() < 0.35
        rows.append([
            rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2)))),
            rng.choice("男男男女"), "汉族", body + check_char(body), birth.isoformat(),
            rng.choice(("初中", "高中", "中专", "大专", "本科")), rng.choice(CATEGORIES),
            f"{rng.choice(PLACES)}快递物流联合党支部", joined.strftime("%Y-%m") if joined else None,
            (joined + timedelta(days=366)).isoformat() if joined else None, rng.choice(("快递员", "分拣员", "站点负责人")),
            f"1{rng.choice('3578')}{rng.randrange(10**9):09d}",
            f"示例市城南街道{rng.choice(PLACES)}路{rng.randrange(1, 999)}号" if rng.random() < 0.6 else None,
            "正常", "否", None, "是" if flowing else "否", rng.choice(HOME_ORGS) if flowing else None,
            f"{rng.choice(PLACES)}营业部", rng.choice(BRANDS),
            (joined + timedelta(days=800)).isoformat() if flowing and joined else None,
            "备注" if rng.random() < 0.05 else None,
        ])
    return rows


def with_openpyxl(path: Path, header: list[str], rows: list[list[str | None]]) -> None:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet("花名册")
    ws.append(header)
    for row in rows:
        ws.append(row)
    wb.save(path)


def with_ours(path: Path, header: list[str], rows: list[list[str | None]]) -> None:
    with XlsxWriter(path, title="花名册") as writer:
        sheet = writer.add_sheet("花名册", roster_columns()[1:])
        sheet.title("示例市快递物流行业党委党员和入党积极分子花名册")
        sheet.subtitle(f"填报单位（盖章）：示例市快递物流行业党委　　　　填报日期：2026年1月1日　　　　共 {len(rows)} 人")
        sheet.header(header)
        sheet.freeze_below_header()
        sheet.rows(rows)


def timed(label: str, fn: Callable[..., object], *args: object) -> float:
    t = time.perf_counter()
    fn(*args)
    seconds = time.perf_counter() - t
    print(f"{label:<46} {seconds:7.2f} s")
    return seconds


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rows", type=int, default=100_000)
    ap.add_argument("--db", type=Path)
    args = ap.parse_args()
    folder = Path(tempfile.mkdtemp())
    t = time.perf_counter()
    rows = fake_rows(args.rows)
    header = roster_labels()[1:]
    print(f"{len(rows):,} rows x {len(header)} text columns built in {time.perf_counter() - t:.1f} s")
    theirs = timed("openpyxl write-only, no styles", with_openpyxl, folder / "openpyxl.xlsx", header, rows)
    ours = timed("XlsxWriter, styled official layout", with_ours, folder / "ours.xlsx", header, rows)
    for name in ("openpyxl.xlsx", "ours.xlsx"):
        print(f"  {name:<14} {(folder / name).stat().st_size / 1e6:6.1f} MB")
    print(f"ratio ours / openpyxl: {ours / theirs:.2f} ({'meets' if ours <= theirs else 'MISSES'} the target)")
    if args.db:
        reg = Registry(args.db, operator="bench")
        if not reg.scalar("SELECT count(*) FROM people"):
            from registry.demo import fill_demo

            t = time.perf_counter()
            fill_demo(reg, people=args.rows, seed=7)
            print(f"demo data: {args.rows:,} people in {time.perf_counter() - t:.1f} s")
        people = reg.scalar("SELECT count(*) FROM people")
        timed(f"export_roster .xlsx ({people:,} people)", export_roster, reg, folder / "roster.xlsx")
        timed(f"export_roster .csv ({people:,} people)", export_roster, reg, folder / "roster.csv")
        reg.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
