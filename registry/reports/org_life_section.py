"""The report's 组织生活 section: per branch, what each rule asks in the period's month/quarter/year against what was
held, the attendance rate, the periods missed this year with their articles, and the previous period beside it."""

from __future__ import annotations

import datetime
from typing import Any

from registry.rules.org_life import MEETING_KINDS, frequency_label
from registry.rules.periods import Period
from registry.services.meetings import list_meetings
from registry.services.org_life_gaps import PeriodCheck, branch_checks, branches
from registry.storage.database import Registry

WINDOWS = {1: "month", 3: "quarter", 6: "half", 12: "year"}


def gap_sentence(gaps: list[dict[str, Any]]) -> str:
    """A branch's missed periods in one sentence, with the articles they break: 2026年第1季度未召开支部党员大会、
    2026年3月未开展主题党日（依据：《中国共产党支部工作条例（试行）》第十一条、第十六条）。"""
    from registry.rules.org_life import TIAOLI

    articles = list(dict.fromkeys(g["article"] for g in gaps))
    numbers = [a.removeprefix(TIAOLI) for a in articles if a != TIAOLI]
    cited = f"{TIAOLI}{'、'.join(numbers)}" if numbers else TIAOLI
    if numbers and TIAOLI in articles:
        cited += "及有关规定"
    return f"{'、'.join(g['label'] for g in gaps)}（依据：{cited}）。"


def _rate(present: int, invited: int) -> float | None:
    return round(100 * present / invited, 1) if invited else None


def _requirement(kind: str, checks: list[PeriodCheck]) -> dict[str, Any]:
    """The kind's period containing the report's end: owed (1, or one per 党小组), held, and its state."""
    if not checks:
        return {"required": 0, "held": 0, "state": "na", "done": True, "closed": False, "window": None,
                "frequency": "不适用", "labels": [], "article": None}
    gaps = [c for c in checks if c.state == "gap"]
    pending = [c for c in checks if c.state == "pending"]
    state = "gap" if gaps else "pending" if pending else "done"
    return {"required": len(checks), "held": sum(min(c.held, 1) for c in checks), "count": sum(c.held for c in checks),
            "state": state, "done": state == "done", "closed": all(c.state != "pending" for c in checks),
            "window": WINDOWS.get(checks[0].months, "year"), "frequency": frequency_label(kind, checks[0].months),
            "labels": [c.label for c in gaps + pending], "article": checks[0].article}


def org_life_section(reg: Registry, period: Period, prev: Period, org_ids: list[int] | None) -> dict[str, Any]:
    """The section's figures; the report is read as on the day after the period (its own last day is over)."""
    found = branches(reg, org_ids)
    after = period.day_after
    now = branch_checks(reg, after, [b["id"] for b in found], first=period.end, last=period.end)
    year = branch_checks(reg, after, [b["id"] for b in found], first=datetime.date(period.end.year, 1, 1),
                         last=period.end)
    meetings = [m for m in list_meetings(reg, [b["id"] for b in found], prev.start.isoformat(), period.end.isoformat())
                if m["status"] == "已召开"]
    rows = []
    for b in found:
        own = [m for m in meetings if m["organization_id"] == b["id"]]
        cur = [m for m in own if m["held_on"] >= period.start.isoformat()]
        before = [m for m in own if prev.start.isoformat() <= m["held_on"] <= prev.end.isoformat()]
        present, invited = sum(m["present"] for m in cur), sum(m["invited"] for m in cur)
        p_present, p_invited = sum(m["present"] for m in before), sum(m["invited"] for m in before)
        req = {k: _requirement(k, [c for c in now if c.organization_id == b["id"] and c.kind == k])
               for k in MEETING_KINDS}
        gaps = [{"kind": c.kind, "label": c.label, "article": c.article, "period_end": c.end.isoformat()}
                for c in year if c.organization_id == b["id"] and c.state == "gap"]
        rows.append({"organization": b["name"], "type": b["type"], "meetings": len(cur), "previous": len(before),
                     "present": present, "invited": invited, "attendance_rate": _rate(present, invited),
                     "previous_present": p_present, "previous_invited": p_invited,
                     "previous_attendance_rate": _rate(p_present, p_invited),
                     "by_kind": {k: sum(1 for m in cur if m["kind"] == k) for k in MEETING_KINDS},
                     "requirements": req, "missing": [k for k, v in req.items() if v["state"] in ("gap", "pending")],
                     "gaps": gaps})
    total, previous = sum(r["meetings"] for r in rows), sum(r["previous"] for r in rows)
    present, invited = sum(r["present"] for r in rows), sum(r["invited"] for r in rows)
    p_present, p_invited = sum(r["previous_present"] for r in rows), sum(r["previous_invited"] for r in rows)
    return {"branches": rows, "kinds": list(MEETING_KINDS),
            "summary": {"key": "meetings", "label": "召开组织生活会议（次）", "current": total, "previous": previous,
                        "change": total - previous},
            "attendance": {"current": _rate(present, invited), "previous": _rate(p_present, p_invited)},
            "complete": sum(1 for r in rows if not r["missing"]),
            "gap_count": sum(len(r["gaps"]) for r in rows)}

