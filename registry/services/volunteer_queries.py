"""Reading volunteer service: activities with their participants, the points ranking and a person's history."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from registry.rules.volunteer_kinds import MEMBER_LABEL, OTHER_LABEL, is_member
from registry.services.organizations import require_org, subtree_ids
from registry.services.people import require_person
from registry.services.volunteer import ActivityRow, require_activity
from registry.storage.database import Registry
from registry.storage.fragments import subtree_clause

MEMBER_SQL = "p.category IN ('正式党员','预备党员')"


@dataclass(frozen=True)
class RankRow:
    """One person in a points ranking (competition ranking: equal points share a place)."""

    rank: int
    person_id: int
    name: str
    category: str
    member: str  # 党员 or 群众及其他, as the report splits them
    organization: str | None
    outlet: str | None
    activities: int
    hours: float
    points: float

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _org_ids(reg: Registry, org: str | None) -> list[int] | None:
    return subtree_ids(reg, require_org(reg, org)["id"]) if org else None


def list_activities(reg: Registry, start: str | None = None, end: str | None = None, org: str | None = None,
                    kind: str | None = None, search: str | None = None) -> list[ActivityRow]:
    """Activities newest first; `org`: organised by it or a branch below it."""
    clauses: list[str] = ["1"]
    params: list[object] = []
    org_ids = _org_ids(reg, org)
    if org_ids is not None:
        clauses.append(f"a.organization_id IN ({','.join('?' * len(org_ids))})")
        params += org_ids
    for column, op, value in (("a.held_on", ">=", start), ("a.held_on", "<=", end), ("a.kind", "=", kind)):
        if value:
            clauses.append(f"{column} {op} ?")
            params.append(value)
    if search:
        clauses.append("(a.title LIKE ? OR ifnull(a.place, '') LIKE ?)")
        params += [f"%{search.strip()}%"] * 2
    rows = reg.conn.execute(
        f"""SELECT a.id, a.title, a.kind, a.held_on, a.place, g.name, t.name, count(v.id),
                   count(CASE WHEN {MEMBER_SQL} THEN 1 END), ifnull(sum(v.hours), 0), ifnull(sum(v.points), 0)
            FROM volunteer_activities a LEFT JOIN organizations g ON g.id = a.organization_id
            LEFT JOIN volunteer_posts t ON t.id = a.post_id
            LEFT JOIN volunteer_records v ON v.activity_id = a.id LEFT JOIN people p ON p.id = v.person_id
            WHERE {' AND '.join(clauses)} GROUP BY a.id ORDER BY a.held_on DESC, a.id DESC""", params).fetchall()
    return [ActivityRow(*r) for r in rows]


def get_activity(reg: Registry, activity_id: int | str) -> dict[str, Any]:
    """An activity with its organisation, post and every participant's record (name, category, no ID number)."""
    activity = require_activity(reg, activity_id)
    org = reg.scalar("SELECT name FROM organizations WHERE id = ?", (activity["organization_id"],))
    post = reg.scalar("SELECT name FROM volunteer_posts WHERE id = ?", (activity["post_id"],))
    people = reg.query(
        "SELECT v.id AS record_id, v.person_id, p.name, p.category, p.id_number, v.hours, v.points, v.adjustment,"
        " v.adjustment_reason, v.points_rule, v.role, v.notes FROM volunteer_records v"
        " JOIN people p ON p.id = v.person_id WHERE v.activity_id = ? ORDER BY p.sort_stroke, p.id", (activity["id"],))
    return {**activity, "organization": org, "post": post, "participants": people}


def ranking(reg: Registry, start: str | None = None, end: str | None = None, org: str | None = None,
            members_only: bool = False, limit: int | None = None, org_ids: list[int] | None = None) -> list[RankRow]:
    """People by points (then hours) served in [start, end], within an organisation's people when asked."""
    clauses: list[str] = ["1"]
    params: list[object] = []
    ids = org_ids if org_ids is not None else _org_ids(reg, org)
    if ids is not None:
        scope, scope_params = subtree_clause(ids)
        clauses.append(scope)
        params += scope_params
    for op, value in ((">=", start), ("<=", end)):
        if value:
            clauses.append(f"v.served_on {op} ?")
            params.append(value)
    if members_only:
        clauses.append(MEMBER_SQL)
    rows = reg.conn.execute(
        f"""SELECT p.id, p.name, p.category, g.name, o.name, count(DISTINCT v.activity_id), sum(v.hours), sum(v.points)
            FROM volunteer_records v JOIN people p ON p.id = v.person_id
            LEFT JOIN outlets o ON o.id = p.outlet_id LEFT JOIN organizations g ON g.id = coalesce(p.organization_id,
                                                                                         o.organization_id)
            WHERE {' AND '.join(clauses)} GROUP BY p.id
            ORDER BY sum(v.points) DESC, sum(v.hours) DESC, p.sort_stroke, p.id""", params).fetchall()
    out: list[RankRow] = []
    for i, (pid, name, category, organization, outlet, count, hours, points) in enumerate(rows):
        rank = out[-1].rank if out and (out[-1].points, out[-1].hours) == (round(points, 1), round(hours, 1)) else i + 1
        if limit is not None and rank > limit:
            break
        out.append(RankRow(rank, pid, name, category, MEMBER_LABEL if is_member(category) else OTHER_LABEL,
                           organization, outlet, count, round(hours, 1), round(points, 1)))
    return out


def person_history(reg: Registry, key: str | int) -> dict[str, Any]:
    """A person's service: each activity with hours and points, the posts held (dated), and the totals."""
    person = require_person(reg, key)
    records = reg.query(
        "SELECT v.id AS record_id, a.id AS activity_id, a.title, a.kind, v.served_on, v.hours, v.points,"
        " v.adjustment, v.adjustment_reason, v.points_rule, g.name AS organization FROM volunteer_records v"
        " LEFT JOIN volunteer_activities a ON a.id = v.activity_id LEFT JOIN organizations g ON g.id = a.organization_id"
        " WHERE v.person_id = ? ORDER BY v.served_on DESC, v.id DESC", (person["id"],))
    posts = reg.query(
        "SELECT c.id AS claim_id, t.name AS post, t.kind, c.since, c.until FROM volunteer_claims c"
        " JOIN volunteer_posts t ON t.id = c.post_id WHERE c.person_id = ? ORDER BY c.since DESC", (person["id"],))
    return {"name": person["name"], "category": person["category"], "records": records, "posts": posts,
            "activities": len({r["activity_id"] for r in records}),
            "hours": round(sum(r["hours"] for r in records), 1), "points": round(sum(r["points"] for r in records), 1)}


@dataclass(frozen=True)
class Candidate:
    """Someone who may take part: a person of the branch (or anyone), with what the picker shows."""

    person_id: int
    name: str
    category: str
    outlet: str | None
    organization: str | None


CANDIDATE_LIMIT = 3000  # the picker's list; beyond it the user narrows by branch or name


def candidates(reg: Registry, org: str | None = None, search: str | None = None,
               limit: int = CANDIDATE_LIMIT) -> list[Candidate]:
    """People who have not left, of the organisation's subtree when given, by stroke order."""
    clauses: list[str] = ["p.left_on IS NULL"]
    params: list[object] = []
    ids = _org_ids(reg, org)
    if ids is not None:
        scope, scope_params = subtree_clause(ids)
        clauses.append(scope)
        params += scope_params
    if search and search.strip():
        clauses.append("p.search_text LIKE ?")
        params.append(f"%{search.strip().lower()}%")
    rows = reg.conn.execute(
        f"""SELECT p.id, p.name, p.category, o.name, g.name FROM people p LEFT JOIN outlets o ON o.id = p.outlet_id
            LEFT JOIN organizations g ON g.id = coalesce(p.organization_id, o.organization_id)
            WHERE {' AND '.join(clauses)} ORDER BY p.sort_stroke, p.id LIMIT ?""", [*params, limit]).fetchall()
    return [Candidate(*r) for r in rows]
