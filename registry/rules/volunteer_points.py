"""Volunteer points (积分): the dated rules and the arithmetic that turns hours at an activity into points.

A rule version applies to service on or after its 起始日期 until the next version starts. Points are computed
once, when a record is made or its hours, date or type are edited, and stored on the record with the text of
the version that gave them (volunteer_records.points_rule): adding a version, or correcting one, never rewrites
points already given, so last year's ranking stays what was announced. A manual adjustment (with its reason) is
kept apart from the computed points and added to them.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from registry.display import cn_date


@dataclass(frozen=True)
class PointsRule:
    """One version: points per hour served, per activity attended, and extra per activity of a type."""

    valid_from: str | None  # ISO day; None: the built-in rule, in force before any version the user set
    per_hour: float = 1.0
    per_activity: float = 0.0
    by_type: Mapping[str, float] = field(default_factory=dict)
    notes: str | None = None

    def describe(self) -> str:
        """The rule in words, as the CLI, the window and each record's points_rule show it."""
        parts = [f"每小时{fmt(self.per_hour)}分"]
        if self.per_activity:
            parts.append(f"每参加一次活动{fmt(self.per_activity)}分")
        parts += [f"{kind}活动另加{fmt(extra)}分" for kind, extra in sorted(self.by_type.items()) if extra]
        start = f"{cn_date(self.valid_from)}起" if self.valid_from else "默认规则"
        return f"{start}：{'，'.join(parts)}"


# A new registry's rule until the user sets one: one point per hour, the commonest local practice (志愿服务
# 1小时积1分). It lives here, not as a row, so a new database holds nothing nobody entered.
DEFAULT_RULE = PointsRule(None, per_hour=1.0)


def fmt(value: float) -> str:
    return f"{value:g}"


def rule_on(rules: Sequence[PointsRule], day: str) -> PointsRule:
    """The version in force on `day` (ISO): the latest that started on or before it, else the default."""
    found = DEFAULT_RULE
    for rule in sorted((r for r in rules if r.valid_from), key=lambda r: r.valid_from or ""):
        if (rule.valid_from or "") <= day:
            found = rule
    return found


def points_for(rule: PointsRule, hours: float, activity_type: str | None) -> float:
    """Points one person earns at one activity by `rule`, rounded to one decimal as they are shown."""
    total = rule.per_hour * hours + rule.per_activity + float(rule.by_type.get(activity_type or "", 0))
    return round(total, 1)


def rule_from_row(row: Mapping[str, object]) -> PointsRule:
    by_type = json.loads(str(row.get("by_type") or "{}"))
    return PointsRule(str(row["valid_from"]), float(row["per_hour"] or 0), float(row["per_activity"] or 0),  # type: ignore[arg-type]
                      {str(k): float(v) for k, v in by_type.items()}, row.get("notes") or None)  # type: ignore[arg-type]


def parse_by_type(items: Sequence[str]) -> dict[str, float]:
    """`平安巡查=5` pairs from the command line or the window; ValueError with the item that is not one."""
    out: dict[str, float] = {}
    for item in items:
        kind, sep, value = item.partition("=")
        try:
            points = float(value)
        except ValueError:
            raise ValueError(item) from None
        if not sep or not kind.strip():
            raise ValueError(item)
        out[kind.strip()] = points
    return out
