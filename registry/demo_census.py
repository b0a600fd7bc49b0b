"""A small census workbook as one arrives from an outlet (title rows, a bad ID, a repeated person), for screens."""

from __future__ import annotations

import random
from datetime import date
from pathlib import Path

import openpyxl

from registry.demo import make_id

HEADER = ["序号", "姓\u3000名", "性别", "身份证号", "政治面貌", "联系电话", "所在网点", "入党日期", "常住地点"]
PEOPLE = (("周\u3000敏", False, date(1991, 4, 12), "中共党员", "13800001111", "沙河营业部", "2015.07"),
          ("吴海涛", True, date(1988, 9, 3), "中共预备党员", "139 0000 2222", "沙河营业部", "2025年3月"),
          ("郑小雪", False, date(1999, 1, 25), "入党积极分子", 13700003333, "春熙路网点", None),
          ("孙鹏", True, date(1995, 6, 30), "群众", "13600004444", "春熙路网点", None),
          ("欧阳俊", True, date(1986, 11, 8), "中共党员", "1350000555", "牛市口配送站", "2009-07-01"))


def write_demo_census(path: Path, seed: int = 12) -> Path:
    """Write the workbook to path: five people, one of them twice, and one more whose ID number is mistyped."""
    rng = random.Random(seed)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "城南网点摸排"
    ws["A1"] = "城南街道快递行业党员及入党积极分子摸排表（演示）"
    ws.merge_cells("A1:I1")
    ws["A2"] = "填报单位（盖章）：城南快递联合党支部"
    ws["G2"] = "填报时间：2026年11月"
    ws.append(HEADER)
    rows = []
    for n, (name, male, birth, category, phone, outlet, joined) in enumerate(PEOPLE, start=1):
        rows.append([n, name, "男" if male else "女", make_id(rng, birth, male), category, phone, outlet, joined,
                     "示例市城南区"])
    wrong = make_id(rng, date(1993, 2, 14), True)
    rows.append([6, "钱\u3000亮", "男", wrong[:-1] + ("1" if wrong[-1] != "1" else "2"), "中共党员", "13400006666",
                 "沙河营业部", "2018.06", "示例市城北区"])
    rows.append([7, *rows[0][1:]])  # the same person again, as happens when two outlets both list someone
    for row in rows:
        ws.append(row)
    ws.append([None, "合计", f"{len(rows)}人"])
    notes = wb.create_sheet("填表说明")
    notes["A1"] = "1. 身份证号请填写18位。"
    path.parent.mkdir(parents=True, exist_ok=True)
    wb.save(path)
    return path
