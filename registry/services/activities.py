"""Organisational life (三会一课, 主题党日) with attendance, and volunteer service records."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from registry.errors import UserError
from registry.rules.text import clean_text
from registry.services.organizations import require_org
from registry.services.people import require_person
from registry.storage.database import Registry
from registry.validation import user_date

MEETING_KINDS = ("支部党员大会", "支部委员会", "党小组会", "党课", "主题党日", "组织生活会", "民主评议党员")
# How many of each a branch should hold in a month (quarterly ones count as 1/3).
REQUIRED_PER_MONTH = {"支部党员大会": 1 / 3, "支部委员会": 1, "党小组会": 1, "党课": 1 / 3, "主题党日": 1}
ATTENDANCE = ("出席", "请假", "缺席")
VOLUNTEER_ROLES = ("流动网格员", "平安巡查员", "文明宣传员", "政策宣传员", "志愿服务队员")


def record_meeting(reg: Registry, *, organization: str, kind: str, held_on: object, topic: str | None = None,
                   location: str | None = None, attendees: Iterable[str | tuple[str, str]] = (),
                   notes: str | None = None) -> int:
    """A meeting with its attendance: attendees are ID numbers, or (ID number, 出席/请假/缺席)."""
    if kind not in MEETING_KINDS:
        raise UserError(f"会议类型“{kind}”不正确，应为：{'、'.join(MEETING_KINDS)}。")
    held = user_date("会议日期", held_on, required=True, day=True)
    with reg.transaction("meeting.record") as tx:
        org = require_org(tx, organization)
        meeting_id = tx.insert("meetings", {"organization_id": org["id"], "kind": kind, "held_on": held,
                                            "topic": clean_text(topic), "location": clean_text(location),
                                            "notes": clean_text(notes)}, label=f"{org['name']} {kind}")
        seen: set[int] = set()
        rows = []
        for entry in attendees:
            number, status = (entry, "出席") if isinstance(entry, str) else entry
            if status not in ATTENDANCE:
                raise UserError(f"出席情况“{status}”不正确，应为出席、请假或缺席。")
            person = require_person(tx, number)
            if person["id"] in seen:
                continue
            seen.add(person["id"])
            rows.append((meeting_id, person["id"], status))
        tx.conn.executemany("INSERT INTO meeting_attendance (meeting_id, person_id, status) VALUES (?, ?, ?)", rows)
        if rows:
            tx.audit([(tx.operation_id, tx.at, tx.operator, "insert", "meeting_attendance", meeting_id,
                       f"{org['name']} {kind}", "attendance", None,
                       f"出席{sum(r[2] == '出席' for r in rows)}人，请假{sum(r[2] == '请假' for r in rows)}人，"
                       f"缺席{sum(r[2] == '缺席' for r in rows)}人")])
        tx.summary(f"{org['name']} {held} {kind}")
        return meeting_id


def delete_meeting(reg: Registry, meeting_id: int) -> None:
    with reg.transaction("meeting.delete") as tx:
        tx.conn.execute("DELETE FROM meeting_attendance WHERE meeting_id = ?", (meeting_id,))
        tx.delete("meetings", meeting_id)


def list_meetings(reg: Registry, org_ids: list[int] | None = None, start: str | None = None,
                  end: str | None = None) -> list[dict[str, Any]]:
    clauses = ["1"]
    params: list[object] = []  # organisation ids and dates alike
    if org_ids is not None:
        clauses.append(f"m.organization_id IN ({','.join('?' * len(org_ids)) or 'NULL'})")
        params.extend(org_ids)
    if start:
        clauses.append("m.held_on >= ?")
        params.append(start)
    if end:
        clauses.append("m.held_on <= ?")
        params.append(end)
    return reg.query(
        f"""SELECT m.*, g.name AS organization,
                   (SELECT count(*) FROM meeting_attendance a WHERE a.meeting_id = m.id AND a.status = '出席') AS present,
                   (SELECT count(*) FROM meeting_attendance a WHERE a.meeting_id = m.id) AS invited
            FROM meetings m JOIN organizations g ON g.id = m.organization_id
            WHERE {' AND '.join(clauses)} ORDER BY m.held_on DESC, m.id DESC""",
        params,
    )


# The volunteer part moved to registry.services.volunteer (posts, activities with many participants, points);
# these names stay importable from here for older callers.
from registry.services.volunteer import record_service as record_service  # noqa: E402
from registry.services.volunteer import volunteer_totals as volunteer_totals  # noqa: E402
