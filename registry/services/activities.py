"""Volunteer service records; the meeting names of old (record_meeting, list_meetings …) from services.meetings."""

from __future__ import annotations

from collections.abc import Iterable

from registry.rules.org_life import ATTENDANCE, MEETING_KINDS
from registry.services.meetings import Attendee, add_meeting, delete_meeting, list_meetings
from registry.storage.database import Registry

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


# The volunteer part moved to registry.services.volunteer (posts, activities with many participants, points);
# these names stay importable from here for older callers.
from registry.services.volunteer import record_service as record_service  # noqa: E402
from registry.services.volunteer import volunteer_totals as volunteer_totals  # noqa: E402
