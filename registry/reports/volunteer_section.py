"""The report's 志愿服务 section: activities, participants (党员 / others), hours, points, posts, the top list.

Scoped like the rest of the report: service counts when the participant is one of the organisation's people
(their own organisation, else the one covering their outlet); a post counts when it belongs to the organisation
(directly or through its outlet) or one of its people holds it.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from registry.reports.compare import compare, scope_clause
from registry.rules.periods import Period
from registry.services.volunteer_queries import MEMBER_SQL, ranking
from registry.storage.database import Registry

TOP = 10


def _service(reg: Registry, start: date, end: date, org_ids: list[int] | None) -> dict[str, Any]:
    scope, params = scope_clause(org_ids)
    row = reg.conn.execute(
        f"""SELECT count(DISTINCT v.activity_id), count(DISTINCT v.person_id),
                   count(DISTINCT CASE WHEN {MEMBER_SQL} THEN v.person_id END), count(v.id),
                   ifnull(sum(v.hours), 0), ifnull(sum(v.points), 0)
            FROM volunteer_records v JOIN people p ON p.id = v.person_id
            WHERE v.served_on BETWEEN ? AND ? AND {scope}""", [start.isoformat(), end.isoformat(), *params]).fetchone()
    activities, people, members, times, hours, points = row
    return {"activities": activities, "people": people, "members": members, "others": people - members,
            "times": times, "hours": round(float(hours), 1), "points": round(float(points), 1)}


def _posts(reg: Registry, start: date, end: date, org_ids: list[int] | None) -> dict[str, Any]:
    scope, params = scope_clause(org_ids)
    day, first = end.isoformat(), start.isoformat()
    held = f"c.since <= ? AND (c.until IS NULL OR c.until >= ?) AND {scope}"
    claims = reg.conn.execute(
        f"""SELECT count(*), count(CASE WHEN {MEMBER_SQL} THEN 1 END), count(CASE WHEN c.since >= ? THEN 1 END)
            FROM volunteer_claims c JOIN people p ON p.id = c.person_id WHERE {held}""",
        [first, day, day, *params]).fetchone()
    if org_ids is None:
        mine, mine_params = "1", []
    else:
        marks = ",".join("?" * len(org_ids))
        mine = (f"(t.organization_id IN ({marks}) OR t.outlet_id IN (SELECT id FROM outlets WHERE organization_id"
                f" IN ({marks})) OR t.id IN (SELECT c.post_id FROM volunteer_claims c JOIN people p ON p.id = c.person_id"
                f" WHERE {held}))")
        mine_params = [*org_ids, *org_ids, day, day, *params]
    open_posts = reg.conn.execute(
        f"SELECT count(*) FROM volunteer_posts t WHERE (t.opened_on IS NULL OR t.opened_on <= ?)"
        f" AND (t.closed_on IS NULL OR t.closed_on >= ?) AND {mine}", [day, day, *mine_params]).fetchone()[0]
    return {"open": open_posts, "held": claims[0], "held_by_members": claims[1], "claimed": claims[2]}


def _by_type(reg: Registry, start: date, end: date, org_ids: list[int] | None) -> list[dict[str, Any]]:
    scope, params = scope_clause(org_ids)
    rows = reg.conn.execute(
        f"""SELECT a.kind, count(DISTINCT a.id), count(v.id), count(CASE WHEN {MEMBER_SQL} THEN 1 END),
                   ifnull(sum(v.hours), 0), ifnull(sum(v.points), 0)
            FROM volunteer_records v JOIN volunteer_activities a ON a.id = v.activity_id
            JOIN people p ON p.id = v.person_id WHERE v.served_on BETWEEN ? AND ? AND {scope}
            GROUP BY a.kind ORDER BY sum(v.hours) DESC, a.kind""", [start.isoformat(), end.isoformat(), *params])
    return [{"kind": k, "activities": n, "times": t, "member_times": m, "hours": round(float(h), 1),
             "points": round(float(pts), 1)} for k, n, t, m, h, pts in rows.fetchall()]


def volunteer_section(reg: Registry, period: Period, prev: Period, org_ids: list[int] | None) -> dict[str, Any]:
    """The section's figures for this period beside the previous one."""
    now, before = _service(reg, period.start, period.end, org_ids), _service(reg, prev.start, prev.end, org_ids)
    posts, posts_before = _posts(reg, period.start, period.end, org_ids), _posts(reg, prev.start, prev.end, org_ids)
    rows = [
        compare("activities", "开展志愿服务活动（次）", now["activities"], before["activities"]),
        compare("people", "参与志愿服务人数（人）", now["people"], before["people"]),
        compare("members", "其中：党员（人）", now["members"], before["members"]),
        compare("others", "　　　群众及其他（人）", now["others"], before["others"]),
        compare("times", "参与人次（人次）", now["times"], before["times"]),
        compare("hours", "服务时长（小时）", now["hours"], before["hours"]),
        compare("points", "获得积分（分）", now["points"], before["points"]),
        compare("posts_open", "期末在设岗位（个）", posts["open"], posts_before["open"]),
        compare("posts_held", "期末在岗认领（人次）", posts["held"], posts_before["held"]),
        compare("posts_members", "其中：党员认领（人次）", posts["held_by_members"], posts_before["held_by_members"]),
        compare("posts_claimed", "本期新认领岗位（人次）", posts["claimed"], posts_before["claimed"]),
    ]
    top = [{"rank": r.rank, "name": r.name, "member": r.member, "outlet": r.outlet, "activities": r.activities,
            "hours": r.hours, "points": r.points}
           for r in ranking(reg, period.start.isoformat(), period.end.isoformat(), limit=TOP,
                            org_ids=org_ids if org_ids is not None else None)]
    return {**now, "previous": before, "posts": posts, "rows": rows, "by_type": _by_type(reg, period.start, period.end,
                                                                                         org_ids), "top": top}
