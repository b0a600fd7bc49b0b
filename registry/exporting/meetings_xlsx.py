"""The 组织生活 list as an Excel workbook (the page's 导出), with the gaps per branch on a second sheet."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from registry import exports
from registry.display import cn_date
from registry.exporting.xlsx_writer import ColumnSpec, XlsxWriter
from registry.rules.org_life import STATE_LABELS
from registry.storage.database import Registry

MEETING_HEADERS = ("编号", "日期", "党组织", "会议类型", "党小组", "状态", "主题", "主持人", "记录人", "地点", "应到", "实到",
                   "请假", "缺席", "出勤率（%）", "附件")
GAP_HEADERS = ("党支部", "事项", "状态", "期限", "依据")


def meeting_cells(m: dict[str, Any]) -> list[object]:
    """One meeting's row as the page and the workbook show it."""
    rate = round(100 * m["present"] / m["invited"], 1) if m["invited"] else None
    return [m["id"], cn_date(m["held_on"]), m["organization"], m["kind"], m["group"] or "", m["status"],
            m["topic"] or "", m["host"] or "", m["recorder"] or "", m["location"] or "", m["invited"], m["present"],
            m["leave"], m["absent"], rate, m["attachments"]]


def export_meetings(reg: Registry, out: Path, meetings: Sequence[dict[str, Any]],
                    gaps: Sequence[dict[str, Any]] = (), scope: str = "") -> int:
    """Write the meetings listed (as filtered on the page) and the gaps; recorded as an export. Returns rows."""
    out = exports.check_target(Path(out), (".xlsx",), "组织生活记录", "组织生活记录.xlsx")
    unit = reg.setting("unit") or ""
    title = f"{scope or unit}组织生活记录"

    def write(tmp: Path) -> None:
        with XlsxWriter(tmp, title=title) as writer:
            sheet = writer.add_sheet("组织生活", [ColumnSpec(6, center=True), ColumnSpec(14), ColumnSpec(26),
                                              ColumnSpec(12), ColumnSpec(10), ColumnSpec(8, center=True),
                                              ColumnSpec(30), *(ColumnSpec(10) for _ in range(3)),
                                              *(ColumnSpec(6, numeric=True) for _ in range(6))])
            sheet.title(title)
            sheet.subtitle(f"导出日期：{cn_date(date.today())}　　共 {len(meetings)} 次")
            sheet.header(MEETING_HEADERS)
            sheet.freeze_below_header()
            sheet.print_setup()
            sheet.rows(meeting_cells(m) for m in meetings)
            second = writer.add_sheet("未落实事项", [ColumnSpec(26), ColumnSpec(34), ColumnSpec(8, center=True),
                                                  ColumnSpec(14), ColumnSpec(40)])
            second.header(GAP_HEADERS)
            second.freeze_below_header()
            second.rows([g["organization"], g["label"], STATE_LABELS.get(g["state"], g["state"]),
                         cn_date(g["period_end"]), g["rule"]] for g in gaps)

    exports.publish(reg, out, action="export.meetings", summary=f"导出组织生活记录 {out.name}（{len(meetings)}次）",
                    write=write, detail={"format": "xlsx", "rows": len(meetings), "gaps": len(gaps)})
    return len(meetings)
