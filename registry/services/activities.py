"""Volunteer service records; the meeting names of old (record_meeting, list_meetings …) from services.meetings."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from registry.errors import UserError
from registry.rules.org_life import ATTENDANCE, MEETING_KINDS
from registry.rules.text import clean_text
from registry.services.meetings import Attendee, add_meeting, delete_meeting, list_meetings
from registry.services.people import require_person
from registry.storage.database import Registry
from registry.validation import user_date

# Meetings live in registry.services.meetings (rules: registry.rules.org_life); the old names stay importable here.
VOLUNTEER_ROLES = ("流动网格员", "平安巡查员", "文明宣传员", "政策宣传员", "志愿服务队员")

__all__ = ["ATTENDANCE", "MEETING_KINDS", "VOLUNTEER_ROLES", "delete_meeting", "list_meetings", "record_meeting",
           "record_service", "volunteer_totals"]


def record_meeting(reg: Registry, *, organization: str, kind: str, held_on: object, topic: str | None = None,
                   location: str | None = None, attendees: Iterable[str | tuple[str, str]] = (),
                   notes: str | None = None, override_reason: str | None = None) -> int:
    """A held meeting with its attendance: attendees are ID numbers, or (ID number, 出席/请假/缺席)."""
    people = [Attendee(a) if isinstance(a, str) else Attendee(a[0], a[1]) for a in attendees]
    return add_meeting(reg, organization=organization, kind=kind, held_on=held_on, topic=topic, location=location,
                       notes=notes, attendance=people, override_reason=override_reason).meeting_id


def record_service(reg: Registry, key: str | int, *, post: str, served_on: object, hours: float,
                   points: float = 0, role: str | None = None, notes: str | None = None) -> int:
    """Volunteer service: the post claimed, hours served and points earned."""
    if not clean_text(post):
        raise UserError("请填写志愿服务岗位。")
    try:
        hours_f, points_f = float(hours), float(points or 0)
    except (TypeError, ValueError):
        raise UserError("服务时长和积分应为数字，请重新填写。") from None
    if not 0 < hours_f <= 24 * 31:
        raise UserError("服务时长应大于0小时且不超过一个月的总时数，请核对。")
    if points_f < 0:
        raise UserError("积分不能为负数，请核对。")
    served = user_date("服务日期", served_on, required=True, day=True)
    with reg.transaction("volunteer.record") as tx:
        person = require_person(tx, key)
        row = {"person_id": person["id"], "post": clean_text(post), "role": clean_text(role), "served_on": served,
               "hours": hours_f, "points": points_f, "notes": clean_text(notes)}
        tx.summary(f"{person['name']} 志愿服务 {hours_f:g} 小时")
        return tx.insert("volunteer_records", row, label=person["name"])


def volunteer_totals(reg: Registry, start: str, end: str, limit: int = 10) -> dict[str, Any]:
    total = reg.conn.execute(
        "SELECT count(DISTINCT person_id), ifnull(sum(hours), 0), ifnull(sum(points), 0)"
        " FROM volunteer_records WHERE served_on BETWEEN ? AND ?", (start, end)).fetchone()
    top = reg.query(
        "SELECT p.name, sum(v.hours) AS hours, sum(v.points) AS points FROM volunteer_records v"
        " JOIN people p ON p.id = v.person_id WHERE v.served_on BETWEEN ? AND ?"
        " GROUP BY v.person_id ORDER BY hours DESC, points DESC LIMIT ?", (start, end, limit))
    return {"people": total[0], "hours": total[1], "points": total[2], "top": top}
