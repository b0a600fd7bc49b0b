"""What falls due: activists ready to become targets, probation ending, talks owed, members out of touch."""

from __future__ import annotations

from datetime import date
from typing import Any

from registry.rules.dates import add_months
from registry.storage.database import Registry

# A month-only date counts from the first of its month.
_DAY = "(CASE WHEN length({c}) = 7 THEN {c} || '-01' ELSE {c} END)"

DUE_KINDS: dict[str, tuple[str, str]] = {
    # kind: (Chinese label, SQL of the due date for eligible rows)
    "target_eligible": ("入党积极分子培养满一年，可列为发展对象",
                        f"date({_DAY.format(c='p.activist_on')}, '+12 months')"),
    "probation_end": ("预备期满，应讨论转正",
                      f"date({_DAY.format(c='p.joined_on')}, '+' || (12 + ifnull(p.extension_months, 0)) || ' months')"),
    "talk_due": ("递交入党申请书一个月内应谈话", f"date({_DAY.format(c='p.applied_on')}, '+1 months')"),
    "lost_contact": ("失联超过6个月，应按党章规定处理", f"date({_DAY.format(c='p.lost_since')}, '+6 months')"),
}
_WHERE = {
    "target_eligible": "p.category = '入党积极分子' AND p.activist_on IS NOT NULL",
    "probation_end": "p.category = '预备党员' AND p.joined_on IS NOT NULL AND p.full_on IS NULL",
    "talk_due": "p.category = '入党申请人' AND p.applied_on IS NOT NULL AND p.talked_on IS NULL",
    "lost_contact": "p.category IN ('预备党员','正式党员') AND p.lost_contact = 1 AND p.lost_since IS NOT NULL",
}
BUCKETS = {"overdue": "已到期", "this_month": "本月到期", "next_month": "下月到期"}


def due_items(reg: Registry, today: date | None = None, org_ids: list[int] | None = None) -> list[dict[str, Any]]:
    """Every item due by the end of next month, oldest first; bucket says overdue / this / next month."""
    today = today or date.today()
    month_start = today.replace(day=1)
    next_start = add_months(month_start, 1)
    horizon = add_months(month_start, 2)
    scope, params = "", []
    if org_ids is not None:
        marks = ",".join("?" * len(org_ids)) or "NULL"
        scope = (f" AND (p.organization_id IN ({marks}) OR (p.organization_id IS NULL AND p.outlet_id IN"
                 f" (SELECT id FROM outlets WHERE organization_id IN ({marks}))))")
        params = [*org_ids, *org_ids]
    items: list[dict[str, Any]] = []
    for kind, (label, due_sql) in DUE_KINDS.items():
        rows = reg.conn.execute(
            f"SELECT p.id, p.name, p.id_number, p.category, {due_sql} AS due, o.name"
            f" FROM people p LEFT JOIN outlets o ON o.id = p.outlet_id"
            f" WHERE {_WHERE[kind]} AND p.left_on IS NULL{scope} AND {due_sql} < ?",
            [*params, horizon.isoformat()],
        ).fetchall()
        for pid, name, number, category, due, outlet in rows:
            if due < month_start.isoformat():
                bucket = "overdue"
            elif due < next_start.isoformat():
                bucket = "this_month"
            else:
                bucket = "next_month"
            items.append({"kind": kind, "label": label, "bucket": bucket, "bucket_label": BUCKETS[bucket],
                          "due": due, "person_id": pid, "name": name, "id_number": number,
                          "category": category, "outlet": outlet})
    items.sort(key=lambda i: (i["due"], i["name"]))
    return items


def due_person_ids(reg: Registry, bucket: str | None = None, today: date | None = None) -> frozenset[int]:
    """People with something due by the end of next month (or only in one bucket: overdue / this / next)."""
    return frozenset(i["person_id"] for i in due_items(reg, today) if bucket is None or i["bucket"] == bucket)


def due_counts(reg: Registry, today: date | None = None) -> dict[str, dict[str, int]]:
    """The same as due_summary(due_items(...)) counted in SQL: the dashboard needs numbers, not names."""
    today = today or date.today()
    month_start = today.replace(day=1)
    bounds = [month_start.isoformat(), add_months(month_start, 1).isoformat(), add_months(month_start, 2).isoformat()]
    counts: dict[str, dict[str, int]] = {}
    for kind, (_label, due_sql) in DUE_KINDS.items():
        row = reg.conn.execute(
            f"SELECT sum(d < ?), sum(d >= ? AND d < ?), sum(d >= ? AND d < ?) FROM"
            f" (SELECT {due_sql} AS d FROM people p WHERE {_WHERE[kind]} AND p.left_on IS NULL)",
            [bounds[0], bounds[0], bounds[1], bounds[1], bounds[2]]).fetchone()
        counts[kind] = dict(zip(BUCKETS, (int(n or 0) for n in row), strict=True))
    return counts


def due_summary(items: list[dict[str, Any]]) -> dict[str, dict[str, int]]:
    summary: dict[str, dict[str, int]] = {k: dict.fromkeys(BUCKETS, 0) for k in DUE_KINDS}
    for item in items:
        summary[item["kind"]][item["bucket"]] += 1
    return summary
