"""The 党费 year summary and the arrears list as an .xlsx workbook, audited like every export of personal data."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from registry import exports
from registry.display import cn_date
from registry.exporting.xlsx_writer import ColumnSpec, XlsxWriter
from registry.rules.idnumber import mask_id
from registry.services.dues_lists import ArrearsList, arrears_list, year_summary

DEFAULT_UNIT = "本单位"


def _cell(c: dict[str, Any]) -> str:
    """A month as the sheet shows it: the amount paid, or what the month is (欠缴 42.00, 原籍交纳, …)."""
    if c["state"] == "paid":
        return c["paid"]
    if c["state"] == "unpaid":
        return f"欠缴{c['due']}"
    return str(c["label"])


def write_dues_workbook(path: Path, summary: dict[str, Any], arrears: ArrearsList, unit: str,
                        on: datetime.date) -> int:
    """Two sheets: 年度汇总 (members × months, totals) and 欠缴名单 (with 未登记党费基数 after it); returns rows named."""
    year = summary["year"]
    title = f"{unit}{year}年党费收缴汇总表"
    with XlsxWriter(path, title=title) as writer:
        months = [f"{int(m[5:])}月" for m in summary["months"]]
        sheet = writer.add_sheet("年度汇总", [ColumnSpec(6, center=True), ColumnSpec(10), ColumnSpec(10, center=True),
                                            ColumnSpec(9, center=True), ColumnSpec(9),
                                            *[ColumnSpec(9, center=True)] * 12, ColumnSpec(10), ColumnSpec(10),
                                            ColumnSpec(10, center=True)])
        sheet.title(title)
        sheet.subtitle(f"填报单位（盖章）：{unit}　　　　填报日期：{cn_date(on)}　　　　单位：元")
        sheet.header(["序号", "姓名", "类别", "交纳类别", "每月应交", *months, "应交合计", "实交合计", "党费交至"])
        sheet.freeze_below_header()
        sheet.print_setup()
        rows = summary["rows"]
        sheet.rows([str(i), r["name"], "已离开" if r["left_on"] else r["category"], r["payer_class"] or ("原籍交纳" if not r["pays_here"] else ""),
                    r["monthly"], *(_cell(c) for c in r["cells"]), r["due"], r["paid"], cn_date(r["paid_to"])]
                   for i, r in enumerate(rows, 1))
        sheet.rows([["", "应交合计", "", "", "", *summary["due_by_month"], summary["due"], "", ""],
                    ["", "实交合计", "", "", "", *summary["paid_by_month"], "", summary["paid"], ""]])
        owing = writer.add_sheet("欠缴名单", [ColumnSpec(6, center=True), ColumnSpec(10), ColumnSpec(22),
                                          ColumnSpec(24), ColumnSpec(10, center=True), ColumnSpec(10),
                                          ColumnSpec(12, center=True), ColumnSpec(50)])
        owing.title(f"{unit}欠缴党费名单（截至{cn_date(arrears['as_of'])}）")
        owing.subtitle(f"填报单位（盖章）：{unit}　　　　填报日期：{cn_date(on)}")
        owing.header(["序号", "姓名", "公民身份号码", "所在党组织", "欠缴月数", "欠缴金额", "党费交至", "说明"])
        owing.freeze_below_header()
        owing.print_setup()
        listed = arrears["arrears"] + arrears["unregistered"]
        owing.rows([str(i), a["name"], mask_id(a["id_number"]), a["organization"] or "", str(a.get("count", "")),
                    a.get("amount", ""), cn_date(a.get("paid_to")), a["text"]] for i, a in enumerate(listed, 1))
    return len(rows) + len(listed)


def export_dues(reg: Any, year: int, out: Path, org_ids: list[int] | None = None,
                today: datetime.date | None = None, organization: str | None = None) -> int:
    """Save the year's summary and the arrears list to `out` (.xlsx); returns how many rows name a person."""
    today = today or datetime.date.today()
    out = exports.check_target(Path(out), (".xlsx",), "党费汇总表", "党费汇总.xlsx")
    summary = year_summary(reg, year, today, org_ids)
    owing = arrears_list(reg, today, org_ids)
    unit = organization or reg.setting("unit") or DEFAULT_UNIT
    return exports.publish(reg, out, action="export.dues", summary=f"导出{year}年党费收缴汇总表 {out.name}",
                           write=lambda tmp: write_dues_workbook(tmp, summary, owing, unit, today),
                           detail=lambda n: {"format": "xlsx", "rows": n, "year": year, "organization": organization})
