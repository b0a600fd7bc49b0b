"""Volunteer service as data: the kinds of post a new registry offers, activity types and the limits of a record."""

from __future__ import annotations

from datetime import date, timedelta

from registry.rules import categories

# The posts the field reports name (长沙: 流动网格员/平安巡查员/文明宣传员; 深圳: 党员示范岗/党员责任区/党员先锋队;
# 奉贤: 认领志愿服务岗位). A post is a named post of one of these kinds (or of a kind the user types), possibly for
# one branch, outlet or area; the list of kinds is offered, never written into a new database as rows.
POST_KINDS = ("流动网格员", "平安巡查员", "文明宣传员", "政策宣传员", "党员示范岗", "党员责任区", "党员先锋队",
              "志愿服务队员")
ACTIVITY_TYPES = ("平安巡查", "文明宣传", "政策宣传", "关爱服务", "应急救援", "环境整治", "交通劝导", "社区服务",
                  "志愿服务")
# A record made before activities existed (or by the one-person form) is a one-person activity of this type.
SINGLE_TYPE = "志愿服务"
# One person's hours at one event (a day has 24), and, for the old one-person form that took a stint's total,
# no more than a month's hours.
MAX_EVENT_HOURS = 24.0
MAX_STINT_HOURS = 24.0 * 31
MEMBER_LABEL, OTHER_LABEL = "党员", "群众及其他"


# 党员 for the report's split: 正式党员 and 预备党员; applicants, activists, targets and 群众 are others.
is_member = categories.is_member


def holds_on(since: str, until: str | None, day: date) -> bool:
    """Whether a claim dated [since, until] covers `day` (ISO dates; until None: still held)."""
    iso = day.isoformat()
    return since <= iso and (until is None or until >= iso)


def overlaps(a_since: str, a_until: str | None, b_since: str, b_until: str | None) -> bool:
    """Whether two dated claims of one post by one person overlap."""
    return a_since <= (b_until or "9999-12-31") and b_since <= (a_until or "9999-12-31")


def period_choices(today: date) -> list[tuple[str, str | None, str | None]]:
    """The periods the 志愿服务 page filters by: (label, first day, last day) in ISO, None for open-ended."""
    month = today.replace(day=1)
    last_month = (month - timedelta(days=1)).replace(day=1)
    return [("全部时间", None, None), ("本月", month.isoformat(), today.isoformat()),
            ("上月", last_month.isoformat(), (month - timedelta(days=1)).isoformat()),
            ("今年", date(today.year, 1, 1).isoformat(), today.isoformat()),
            ("去年", date(today.year - 1, 1, 1).isoformat(), date(today.year - 1, 12, 31).isoformat())]
