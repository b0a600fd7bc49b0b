"""The 关爱阵地 section of the monthly / half-monthly report: figures, the PDF flowables and the Excel sheet."""

from __future__ import annotations

from typing import Any

from registry.rules.care import previous_visit_months, visit_months
from registry.rules.periods import Period
from registry.services.care_coverage import care_coverage
from registry.storage.database import Registry

# Comparison rows, as the coverage section has them: (key, label).
CARE_ROWS: tuple[tuple[str, str], ...] = (
    ("stations", "关爱阵地（驿站）总数（个）"), ("report_points", "其中：党员报到点（个）"),
    ("covered", "同社区有驿站的网点（个）"), ("uncovered", "同社区无驿站的网点（个）"),
    ("no_community", "未填社区的网点（个）"), ("care_coverage", "驿站覆盖率（%）"),
    ("visits", "服务人次（按月登记，人次）"),
)
TYPE_TEXT_LIMIT = 3  # types named in a street's cell; the rest as 其他


def care_figures(reg: Registry, period: Period, prev: Period, org_ids: list[int] | None) -> dict[str, Any]:
    """The section's figures (plain JSON: they are kept with a submitted report)."""
    months = visit_months(period.start, period.end)
    before_months = previous_visit_months(months, prev.start, prev.end)
    now = care_coverage(reg, period.end, months, org_ids)
    before = care_coverage(reg, prev.end, before_months, org_ids)

    def figures(c: Any) -> dict[str, float]:
        rate = c.total.rate
        return {"stations": c.total.stations, "report_points": c.total.report_points, "covered": c.total.covered,
                "uncovered": c.total.uncovered, "no_community": c.total.no_community,
                "care_coverage": rate if rate is not None else 0.0, "visits": c.total.visits}

    a, b = figures(now), figures(before)
    rows = [{"key": k, "label": label, "current": a[k], "previous": b[k],
             "change": round(a[k] - b[k], 1) if isinstance(a[k], float) else a[k] - b[k]} for k, label in CARE_ROWS]
    return {"rows": rows, "coverage": now.as_dict(), "months": months, "previous_months": before_months,
            "half": period.kind == "half"}


def type_text(by_type: dict[str, int]) -> str:
    """暖蜂驿站3、江城蜂巢2、其他1"""
    ordered = sorted(by_type.items(), key=lambda item: (-item[1], item[0]))
    shown = [f"{k}{v}" for k, v in ordered[:TYPE_TEXT_LIMIT]]
    rest = sum(v for _, v in ordered[TYPE_TEXT_LIMIT:])
    return "、".join(shown + ([f"其他{rest}"] if rest else [])) or "—"


def month_text(months: list[str]) -> str:
    return "、".join(f"{int(m[:4])}年{int(m[5:])}月" for m in months)


def _rate(value: float | None) -> str:
    return "—" if value is None else f"{value:.1f}"


def street_rows(care: dict[str, Any]) -> list[list[Any]]:
    """街道, 网点, 已覆盖, 未覆盖, 未填社区, 覆盖率, 驿站, 类型构成, 服务人次 — the streets, then 合计."""
    cov = care["coverage"]
    return [[s["street"], s["outlets"], s["covered"], s["uncovered"], s["no_community"], _rate(s["rate"]),
             s["stations"], type_text(s["by_type"]), s["visits"]] for s in [*cov["streets"], cov["total"]]]


STREET_HEADER = ("街道", "网点数", "同社区有驿站", "同社区无驿站", "未填社区", "覆盖率（%）", "驿站数", "驿站类型构成",
                 "服务人次")


def summary_sentence(care: dict[str, Any]) -> str:
    total = care["coverage"]["total"]
    where = f"（{month_text(care['months'])}，按月登记）" if care["half"] else ""
    text = (f"本期末共有关爱阵地（驿站）{total['stations']}个；{total['outlets']}个网点中，"
            f"{total['covered']}个所在社区有驿站，{total['uncovered']}个所在社区尚无驿站")
    if total["no_community"]:
        text += f"，{total['no_community']}个未填所在社区（无法判断，不计入覆盖率）"
    text += f"；本期服务人次{total['visits']}{where}。"
    gaps = [f"{s['street']}（{'、'.join(s['uncovered_communities'][:4])}）"
            for s in care["coverage"]["streets"] if s["uncovered_communities"]]
    if gaps:
        text += "尚无驿站的社区：" + "；".join(gaps[:6]) + ("等" if len(gaps) > 6 else "") + "。"
    return text


NOTE = ("注：网点所在社区有启用中的驿站即为“同社区有驿站”（社区名称去掉“社区”“居委会”等字样后比较，两者都填了街道时"
        "街道也须相同）；覆盖率＝同社区有驿站的网点÷填了社区的网点。未填社区的网点单列，不计为未覆盖。"
        "服务人次按月登记，半月通报列所在月份的人次。")


def care_flowables(f: dict[str, Any], n: str, width: float, comparison: Any) -> list[Any]:
    """The PDF section; `comparison` is the report's own 本期末/上期末/增减 table maker, so both look alike."""
    from registry.reports.styles import LIST, grid_table, heading, para
    from registry.reports.styles import NOTE as NOTE_STYLE

    care = f["care"]
    out: list[Any] = [heading(f"{n}、关爱阵地建设情况"), para(summary_sentence(care), LIST),
                      comparison(care["rows"], "项　目", "本期末", "上期末")]
    rows = street_rows(care)
    if len(rows) > 1:
        body = [[str(c) for c in r] for r in rows]
        shares = (0.16, 0.08, 0.10, 0.10, 0.09, 0.09, 0.08, 0.20, 0.10)
        from reportlab.platypus import Paragraph, Spacer

        from registry.reports.styles import SMALL_CELL

        for r in body:
            r[7] = Paragraph(r[7], SMALL_CELL)
        header = ["街道", "网点数", "同社区\n有驿站", "同社区\n无驿站", "未填\n社区", "覆盖率\n（%）", "驿站数",
                  "驿站类型构成", "服务\n人次"]
        out += [Spacer(1, 6), para("各街道关爱阵地覆盖情况：", LIST), Spacer(1, 3),
                grid_table(body, [width * s for s in shares], header=header, size=8.5,
                           numeric=(1, 2, 3, 4, 5, 6, 8), total_rows=[len(body) - 1])]
    out.append(para(NOTE, NOTE_STYLE))
    return out
