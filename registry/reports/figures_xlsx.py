"""The monthly / half-monthly report's figures as an Excel workbook: one tidy sheet per section, audited."""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from registry import exports
from registry.reports.dues_section import dues_rows
from registry.reports.org_life_section import gap_sentence
from registry.rules.text import formula_safe
from registry.storage.database import Registry

COMPARE_HEADER = ("本期末", "上期末", "增减")
NAMES_WIDTH = 70  # a names column wraps rather than growing across the screen
LINE_HEIGHT = 16.5  # points per wrapped line of 11-point text
HEADER_FILL = PatternFill("solid", start_color="FFE8E8E8")
Row = Sequence[Any]


def _text(value: str) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", value)


def _put_text(cell: Any, value: str) -> None:
    """Text that stays text: a value starting with = + - @ is never written as a formula."""
    cell.value = _text(value)
    if not formula_safe(cell.value):
        cell.data_type = "s"  # openpyxl would otherwise write "=…" as a formula
        cell.quotePrefix = True


def _width(value: Any) -> int:
    """Display width in Excel characters: a Chinese character takes two."""
    text = value if isinstance(value, str) else f"{value}"
    return max((sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
                for line in text.split("\n")), default=0)


def _lines(text: str, width: float) -> int:
    return max(1, -(-_width(text) // max(1, int(width) - 2)))


def _sheet(wb: Workbook, name: str, header: Row, rows: Sequence[Row], *, total_rows: Sequence[int] = (),
           names_column: int | None = None, signed_column: int | None = None) -> Worksheet:
    """One table: bold header in row 1, numbers as numbers, text never read as a formula."""
    ws = wb.create_sheet(name)
    bold = Font(bold=True)
    for c, label in enumerate(header, 1):
        cell = ws.cell(1, c)
        _put_text(cell, str(label))  # program-made today, but every cell of an export is neutralised
        cell.font, cell.fill = bold, HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for r, row in enumerate(rows, 2):
        for c, value in enumerate(row, 1):
            cell = ws.cell(r, c)
            if isinstance(value, str):
                _put_text(cell, value)
            else:
                cell.value = value
                if isinstance(value, float):
                    cell.number_format = "0.0"
            if c - 1 == signed_column and isinstance(value, int | float):
                cell.number_format = "+0.0;-0.0;0.0" if isinstance(value, float) else "+0;-0;0"
            if c - 1 == names_column:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            elif r - 2 in total_rows:
                cell.font = bold
    widths = []
    for c, label in enumerate(header):
        # A long header wraps over two or three lines instead of widening its column.
        widest = max([min(_width(label), 16), *(_width(row[c]) for row in rows if row[c] is not None)])
        widths.append(min(NAMES_WIDTH if c == names_column else 48, max(8, widest + 2)))
        ws.column_dimensions[get_column_letter(c + 1)].width = widths[-1]
    # Heights for wrapped cells, since Excel does not always grow a row to fit when it opens a file.
    ws.row_dimensions[1].height = LINE_HEIGHT * max(map(_lines, header, widths))
    if names_column is not None:
        for r, row in enumerate(rows, 2):
            if isinstance(row[names_column], str):
                ws.row_dimensions[r].height = LINE_HEIGHT * _lines(row[names_column], widths[names_column])
    ws.freeze_panes = "A2"
    return ws


def _compare_rows(rows: list[dict[str, Any]]) -> list[Row]:
    return [(r["label"], r["current"], r["previous"], r["change"]) for r in rows]


def _who(key: str, p: dict[str, Any]) -> str:
    """One person in a names list: name, outlet and date, where from / where to for transfers."""
    parts = [p.get("outlet") or "未注明网点", p.get("date") or ""]
    if key == "transfer_in":
        parts.append(f"自{p.get('from_org') or '外单位'}转入")
    elif key == "transfer_out":
        parts.append(f"转往{p.get('to_org') or '外单位'}")
    elif key == "left" and p.get("reason"):
        parts.append(p["reason"])
    return f"{p['name']}（{'，'.join(x for x in parts if x)}）"


def _org_life(f: dict[str, Any]) -> tuple[list[str], list[Row], list[int]]:
    life = f["org_life"]
    kinds, branches = life["kinds"], life["branches"]
    header = ["党支部", "组织类型", "本期会议（次）", "上期会议（次）", "出席人次", "应出席人次", "出勤率（%）",
              "上期出勤率（%）", *(f"{k}（已开/应开）" for k in kinds), "落实情况", "本年未落实事项及依据"]
    rows: list[Row] = []
    for b in branches:
        req = b["requirements"]
        notes = "、".join(f"{k}{'未开' if req[k]['state'] == 'gap' else '待开'}" for k in b["missing"])
        gaps = gap_sentence(b["gaps"]) if b["gaps"] else ""
        rows.append((b["organization"], b["type"], b["meetings"], b["previous"], b["present"], b["invited"],
                     b["attendance_rate"], b["previous_attendance_rate"],
                     *("不适用" if req[k]["state"] == "na" else f"{req[k]['held']}/{req[k]['required']}" for k in kinds),
                     notes or "已落实", gaps or "无"))
    if branches:
        sums = [sum(row[i] for row in rows) for i in range(2, 6)]
        rows.append(("合计", "", *sums, life["attendance"]["current"], life["attendance"]["previous"],
                     *([""] * len(kinds)), f"{len(branches)}个党支部中{life['complete']}个已全部落实",
                     f"共{life['gap_count']}项"))
    return header, rows, [len(rows) - 1] if branches else []


def _brands(f: dict[str, Any]) -> tuple[list[str], list[Row], list[int]]:
    header = ["快递品牌", "网点数", "从业人员", "有党员网点", "有党组织网点", "在册党员", "流动党员", "党员合计"]
    rows: list[Row] = [(b["brand"], b["outlets"], b["workers"], b["with_members"], b["with_organization"],
                        b["members"] - b["flowing"], b["flowing"], b["members"]) for b in f["brands"]]
    if not rows:
        return header, rows, []
    rows.append(("合计", *(sum(row[i] for row in rows) for i in range(1, 8))))
    if f.get("without_outlet"):
        rows.append((f"另有{f['without_outlet']}名党员未登记所在网点，未计入上表", *([None] * 7)))
    return header, rows, [len(f["brands"])]


def _about(f: dict[str, Any]) -> list[Row]:
    due = f["due"]
    return [("报表", f["title"]), ("填报单位", f["unit"]), ("党组织范围", f.get("organization") or "全部"),
            ("统计期间", f["period"]["span"]), ("对比上期", f["previous_period"]["span"]),
            ("到期事项统计区间", f"{due['start']}至{due['end']}"), ("生成日期", f["generated_on"]),
            ("说明", "“本期末”“上期末”为统计期间和上一期间最后一天的人数；人员名单只列姓名和网点，不含身份证号。")]


def build_workbook(f: dict[str, Any]) -> Workbook:
    """The workbook for figures from `monthly_figures`, not yet saved."""
    wb = Workbook()
    wb.remove(wb.active)
    wb.properties.title = f"{f['title']}（{f['period']['label']}）数据"
    wb.properties.creator = "快递行业党建台账"
    _sheet(wb, "总体情况", ("项目（人）", *COMPARE_HEADER), _compare_rows(f["totals"]), signed_column=3,
           total_rows=[i for i, r in enumerate(f["totals"]) if r["key"] in ("members", "people")])
    changes = [(*row, "、".join(_who(r["key"], p) for p in r["people"]))
               for r, row in zip(f["activity"], _compare_rows(f["activity"]), strict=True)]
    _sheet(wb, "人员变动", ("变动事项（人）", "本期", "上期", "增减", "本期人员名单"), changes,
           signed_column=3, names_column=4)
    _sheet(wb, "网点覆盖", ("项目", *COMPARE_HEADER), _compare_rows(f["coverage"]), signed_column=3)
    header, rows, totals = _brands(f)
    _sheet(wb, "品牌分布", header, rows, total_rows=totals)
    if "care" in f:  # 关爱阵地 (a report submitted before the care network has none)
        from registry.reports.care_section import STREET_HEADER, street_rows

        _sheet(wb, "关爱阵地", ("项目", *COMPARE_HEADER), _compare_rows(f["care"]["rows"]), signed_column=3)
        streets = street_rows(f["care"])
        _sheet(wb, "各街道关爱阵地", STREET_HEADER, streets, total_rows=[len(streets) - 1])
    header, rows, totals = _org_life(f)
    _sheet(wb, "组织生活", header, rows, total_rows=totals)
    if "dues" in f:  # figures submitted before 党费 was recorded have no such section
        _sheet(wb, "党费收缴", ("项目", "本期", "上期", "增减"), dues_rows(f["dues"]))
    _sheet(wb, "志愿服务", ("项目", "本期", "上期", "增减"), _compare_rows(f["volunteer"]["rows"]), signed_column=3)
    top = [(t.get("rank", i), t["name"], t.get("member", ""), t.get("outlet") or "", t.get("activities"),
            float(t["hours"]), float(t["points"])) for i, t in enumerate(f["volunteer"]["top"], 1)]
    _sheet(wb, "志愿服务排名", ("名次", "姓名", "身份", "网点", "服务次数", "服务时长（小时）", "积分"), top)
    kinds = [(t["kind"], t["activities"], t["times"], t["member_times"], t["hours"], t["points"])
             for t in f["volunteer"].get("by_type", [])]
    _sheet(wb, "志愿服务类型", ("活动类型", "活动（次）", "参与（人次）", "其中党员（人次）", "服务时长（小时）", "积分"), kinds)
    due = f["due"]
    rows = [(k["label"], k["count"], "、".join(_who("due", p) for p in k["people"])) for k in due["kinds"]]
    rows += [("合计", due["total"], ""), ("另有已到期尚未办理的事项（项）", due["overdue"], "")]
    _sheet(wb, "到期事项", ("事项", "人数", "人员名单（姓名、网点、到期日）"), rows, names_column=2,
           total_rows=[len(due["kinds"])])
    _sheet(wb, "报表说明", ("项目", "内容"), _about(f), names_column=1)
    return wb


def _named(f: dict[str, Any]) -> int:
    """How many entries name a person: what the audit row counts as exported."""
    return (sum(len(r["people"]) for r in f["activity"]) + sum(len(k["people"]) for k in f["due"]["kinds"])
            + len(f["volunteer"]["top"]))


def export_monthly_figures(reg: Registry, figures: dict[str, Any], out: Path) -> None:
    """Save the figures to `out` (.xlsx), built beside it and moved into place with its audit row."""
    out = exports.check_target(out, (".xlsx",), "报表数据", "月报数据.xlsx")
    period = figures["period"]
    kind = "monthly" if period["kind"] == "month" else "halfmonth" if period["kind"] == "half" else "custom"
    exports.publish(reg, out, action=f"report.{kind}.figures",
                    summary=f"导出{figures['title']}（{period['label']}）数据 {out.name}",
                    write=lambda tmp: build_workbook(figures).save(tmp),
                    detail={"format": "xlsx", "report": f"{kind}.figures", "rows": _named(figures),
                            "period": period, "organization": figures.get("organization")})
