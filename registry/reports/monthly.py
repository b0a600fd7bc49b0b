"""The figures of the monthly report (月报) and half-monthly report (半月通报), as a plain dict.

Everything the printed report shows is gathered here, headless and testable; `monthly_pdf` only lays it out.
Totals come from `statistics()` at the end of this period and of the previous one, so the report agrees
with the registry's own statistics by construction; changes are the stage dates and transfers falling in
the period. Names are listed with their outlet, never with an ID number.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from registry.reports.balance import balance
from registry.reports.care_section import care_figures
from registry.reports.compare import compare, scope_clause
from registry.reports.dues_section import dues_figures
from registry.reports.output import reporting_unit
from registry.reports.volunteer_section import volunteer_section
from registry.rules.categories import CATEGORIES
from registry.rules.dates import PartialDate
from registry.rules.deadlines import RULES
from registry.rules.periods import Period, period_for
from registry.services.due import DUE_KINDS, due_items
from registry.services.dues_lists import DUES_KINDS
from registry.services.membership import PersonState
from registry.services.org_life_gaps import BRANCH_DUE_KINDS
from registry.services.organizations import require_org, subtree_ids
from registry.services.stats import statistics
from registry.storage.database import Registry
from registry.storage.fragments import ADMISSION_APPROVED, ADMITTED_ON, first_day

TITLES = {"month": "快递行业党建工作月报", "half": "快递行业党建工作半月通报", "custom": "快递行业党建工作情况报告"}

# (key, label, people column) — stage dates in pipeline order, then flowing members reporting here. New 预备党员
# count by the approval where a step records it, else by 入党时间 (as 党统 counts them; see ADMITTED_ON).
STAGE_CHANGES: tuple[tuple[str, str, str], ...] = (
    ("applied", "新递交入党申请书", "applied_on"),
    ("activist", "新确定入党积极分子", "activist_on"),
    ("target", "新列为发展对象", "target_on"),
    ("admitted", "新接收预备党员", "joined_on"),
    ("full", "预备党员转为正式党员", "full_on"),
)
CHANGE_LABELS = {**{k: label for k, label, _ in STAGE_CHANGES}, "transfer_in": "组织关系转入",
                 "transfer_out": "组织关系转出", "reported": "流动党员报到", "left": "离开（离职等）"}

# Rows of the totals table: (key, label, where the figure is in statistics()).
TOTAL_ROWS: tuple[tuple[str, str, tuple[str, str]], ...] = (
    ("full_members", "正式党员", ("by_category", "正式党员")),
    ("probationary", "预备党员", ("by_category", "预备党员")),
    ("members", "党员合计", ("members", "total")),
    ("registered", "其中：在册党员", ("members", "registered")),
    ("flowing_out", "含外出流动（流出）", ("members", "flowing_out")),
    ("flowing_in", "流入党员", ("members", "flowing_in")),
    ("unverified", "组织关系待核实", ("members", "unverified")),
    ("stopped", "停止党籍", ("members", "stopped")),
    ("lost_contact", "失联党员", ("members", "lost_contact")),
    ("targets", "发展对象", ("by_category", "发展对象")),
    ("activists", "入党积极分子", ("by_category", "入党积极分子")),
    ("applicants", "入党申请人", ("by_category", "入党申请人")),
    ("masses", "群众", ("by_category", "群众")),
    ("people", "人员合计", ("people", "")),
)
COVERAGE_ROWS: tuple[tuple[str, str], ...] = (
    ("total", "网点总数（个）"), ("with_members", "有党员的网点（个）"), ("without_members", "无党员的网点（个）"),
    ("with_organization", "有党组织覆盖的网点（个）"), ("organization_coverage", "组织覆盖率（%）"),
    ("work_covered", "党的工作覆盖网点（个）"), ("work_coverage", "工作覆盖率（%）"),
)


def _figure(stats: dict[str, Any], where: tuple[str, str]) -> Any:
    value = stats[where[0]]
    return value[where[1]] if where[1] else value


def _person(row: tuple[Any, ...]) -> dict[str, Any]:
    name, outlet, on, category = row[:4]
    return {"name": name, "outlet": outlet, "date": on, "category": category}


def _activity(reg: Registry, period: Period, prev: Period, org_ids: list[int] | None) -> list[dict[str, Any]]:
    """Each kind of event with the people it concerns in this period and the count in the previous one."""
    scope, params = scope_clause(org_ids)
    lo, mid, hi = prev.start.isoformat(), period.start.isoformat(), period.end.isoformat()
    found: dict[str, list[tuple[Any, ...]]] = {}
    base = "FROM people p LEFT JOIN outlets o ON o.id = p.outlet_id"
    for key, _, col in STAGE_CHANGES:
        day = first_day(ADMITTED_ON if key == "admitted" else f"p.{col}")
        # A flowing-in member is admitted and made full by the organisation holding the relationship, not here.
        ours = " AND p.relation <> '流入'" if key in ("admitted", "full") else ""
        # Only people with a 入党时间 or an approval are looked up for their approval (a subquery per row).
        dated = f"(p.joined_on IS NOT NULL OR p.id IN ({ADMISSION_APPROVED})) AND " if key == "admitted" else ""
        found[key] = reg.conn.execute(
            f"SELECT p.name, o.name, {day}, p.category {base} WHERE {dated}{day} BETWEEN ? AND ? AND {scope}{ours}"
            f" ORDER BY {day}, p.sort_stroke, p.id", [lo, hi, *params]).fetchall()
    day = first_day("p.reported_on")
    found["reported"] = reg.conn.execute(
        f"SELECT p.name, o.name, {day}, p.category {base} WHERE p.flowing = 1 AND {day} BETWEEN ? AND ?"
        f" AND {scope} ORDER BY {day}, p.sort_stroke, p.id", [lo, hi, *params]).fetchall()
    for direction in ("in", "out"):
        day = first_day("coalesce(t.arrived_on, t.issued_on)" if direction == "in" else "t.issued_on")
        found[f"transfer_{direction}"] = reg.conn.execute(
            f"SELECT p.name, o.name, {day}, p.category, t.from_org, t.to_org FROM transfers t"
            f" JOIN people p ON p.id = t.person_id LEFT JOIN outlets o ON o.id = p.outlet_id"
            f" WHERE t.direction = ? AND {day} BETWEEN ? AND ? AND {scope} ORDER BY {day}, p.sort_stroke, p.id",
            [direction, lo, hi, *params]).fetchall()
    # Leaving by transfer is listed under 转出 already; here the people who left for other reasons. A transfer
    # leaves on its 回执 (received_on); older records left on the letter's date.
    day = first_day("p.left_on")
    found["left"] = reg.conn.execute(
        f"SELECT p.name, o.name, {day}, p.category, p.left_reason {base} WHERE {day} BETWEEN ? AND ? AND {scope}"
        f" AND NOT EXISTS (SELECT 1 FROM transfers t WHERE t.person_id = p.id AND t.direction = 'out'"
        f" AND p.left_on IN (t.issued_on, t.received_on)) ORDER BY {day}, p.sort_stroke, p.id",
        [lo, hi, *params]).fetchall()
    out = []
    for key in (*(k for k, _, _ in STAGE_CHANGES), "transfer_in", "transfer_out", "reported", "left"):
        rows = found[key]
        current = [r for r in rows if r[2] >= mid]
        people = [_person(r) for r in current]
        if key.startswith("transfer_"):
            for person, r in zip(people, current, strict=True):
                person["from_org"], person["to_org"] = r[4], r[5]
        if key == "left":
            for person, r in zip(people, current, strict=True):
                person["reason"] = r[4]
        out.append({**compare(key, CHANGE_LABELS[key], len(current), len(rows) - len(current)),
                    "people": people})
    return out


def _org_life(reg: Registry, period: Period, prev: Period, org_ids: list[int] | None) -> dict[str, Any]:
    """Meetings each branch held against the 三会一课 rules (registry.reports.org_life_section)."""
    from registry.reports.org_life_section import org_life_section

    return org_life_section(reg, period, prev, org_ids)


def _due(reg: Registry, period: Period, org_ids: list[int] | None) -> dict[str, Any]:
    """What falls due in the month after the period, by kind, and how much is already overdue."""
    start, end = period.next_window()
    # People's items; a branch's 组织生活 items are in the report's 组织生活 section.
    listed = [i for i in due_items(reg, start, org_ids) if i["person_id"] is not None]
    items = [i for i in listed if i["due"] is not None]  # 待核实 items have no date to fall in the window
    lo, hi = start.isoformat(), end.isoformat()

    def day(item: dict[str, Any]) -> date:
        return PartialDate.from_iso(item["due"]).first_day()  # a month-only date falls in its month

    # 欠缴 and the six-month rule are due as long as they stand: listed with the items to handle next month.
    upcoming = [i for i in items if start <= day(i) <= end or i["kind"] in DUES_KINDS]
    kinds = [{"kind": kind, "label": label, "count": sum(1 for i in upcoming if i["kind"] == kind),
              "people": [{"name": i["name"], "outlet": i["outlet"], "date": i["due"], "category": i["category"]}
                         for i in upcoming if i["kind"] == kind]}
             for kind, (label, _) in DUE_KINDS.items()
             if kind not in BRANCH_DUE_KINDS and not (kind in RULES and RULES[kind].missing)]
    return {"start": lo, "end": hi, "kinds": kinds, "total": len(upcoming),
            "overdue": sum(1 for i in items if i["class"] == "overdue" and day(i) < start and i["kind"] not in DUES_KINDS),
            "unverified": sum(1 for i in listed if i["class"] == "unverified")}


def monthly_figures(reg: Registry, start: date, end: date, org: str | None = None,
                    on: date | None = None) -> dict[str, Any]:
    """Every figure of the report for [start, end] (a month or a half-month) in the subtree of `org`.

    Who was counted at the period's ends (submissions.roster_at) is read only when a submission needs it:
    at 100,000 people it takes ~2 s.
    """
    period = period_for(start, end)
    prev = period.previous()
    org_ids = subtree_ids(reg, require_org(reg, org)["id"]) if org else None
    now = statistics(reg, period.end, org)
    before = statistics(reg, prev.end, org)
    scope = set(org_ids) if org_ids is not None else None

    def in_scope(state: PersonState) -> bool:
        return scope is None or state.organization_id in scope

    lines = balance(reg, prev.end, period.end, in_scope)
    totals = [compare(key, label, _figure(now, where), _figure(before, where)) for key, label, where in TOTAL_ROWS]
    coverage = [compare(key, label, now["outlets"][key], before["outlets"][key]) for key, label in COVERAGE_ROWS]
    brands = now["by_brand"]
    return {
        "title": TITLES[period.kind],
        "unit": reporting_unit(reg, org),
        "reporter": reg.setting("operator") or "",  # 填报人: the secretary named at first start
        "organization": now["organization"],
        "period": period.as_dict(),
        "previous_period": prev.as_dict(),
        "generated_on": (on or date.today()).isoformat(),
        "totals": totals,
        "by_category": {c: now["by_category"][c] for c in reversed(CATEGORIES)},
        "members": now["members"],
        "current": {"members": now["members"], "by_category": now["by_category"]},
        "previous": {"members": before["members"], "by_category": before["by_category"], "source": "computed"},
        "changes": lines["members"],  # groups: registered / flowing_in / unverified / stopped
        "pipeline_changes": lines["pipeline"],  # groups: the six categories
        "differences": [],
        "submitted": False,
        "activity": _activity(reg, period, prev, org_ids),
        "coverage": coverage,
        "brands": brands,
        # Members counted above but at no outlet (no outlet recorded), so missing from the per-brand table;
        # members whose 党籍 is stopped are counted in 党员合计 but not at outlets.
        "without_outlet": now["members"]["total"] - now["members"]["stopped"] - sum(b["members"] for b in brands),
        "stopped_not_in_brands": now["members"]["stopped"],
        "org_life": _org_life(reg, period, prev, org_ids),
        "volunteer": volunteer_section(reg, period, prev, org_ids),
        "dues": dues_figures(reg, period, prev, org_ids),
        "due": _due(reg, period, org_ids),
        "care": care_figures(reg, period, prev, org_ids),  # 关爱阵地: stations and coverage per 街道
        "chart": {"title": "各快递品牌党员人数", "labels": [b["brand"] for b in brands],
                  "series": [("在册党员", [b["members"] - b["flowing"] for b in brands]),
                             ("流动党员", [b["flowing"] for b in brands])]},
    }


def build_monthly_pdf(figures: dict[str, Any], out: Path) -> int:
    """Lay the figures out as the printed report at `out`; returns the number of pages."""
    from registry.reports.monthly_pdf import build_monthly_pdf as build

    return build(figures, out)


def write_monthly_report(reg: Registry, out: Path, period: Period, org: str | None = None,
                         on: date | None = None) -> dict[str, Any]:
    """Gather, lay out and save the report for `period`, recorded in the audit log; returns the figures.

    The one way a report is written (registry.services.submissions.write_report): the previous period as
    it was submitted, with any difference explained.
    """
    from registry.services.submissions import write_report  # it builds on this module

    return write_report(reg, out, period, org, on)
