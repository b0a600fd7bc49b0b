"""Points rules: the version in force on a day, the arithmetic, the words, and claims' dates."""

from __future__ import annotations

from datetime import date

import pytest

from registry.rules.volunteer_kinds import holds_on, is_member, overlaps
from registry.rules.volunteer_points import DEFAULT_RULE, PointsRule, parse_by_type, points_for, rule_on

RULES = [PointsRule("2026-01-01", 20, 3), PointsRule("2025-01-01", 10, 0, {"平安巡查": 5})]


def test_the_version_in_force_is_the_latest_started_by_that_day() -> None:
    assert rule_on(RULES, "2024-12-31") is DEFAULT_RULE
    assert rule_on(RULES, "2025-01-01").per_hour == 10
    assert rule_on(RULES, "2025-12-31").per_hour == 10
    assert rule_on(RULES, "2026-01-01").per_hour == 20
    assert rule_on([], "2026-05-01") is DEFAULT_RULE


def test_points_per_hour_per_activity_and_per_type() -> None:
    assert points_for(RULES[1], 2.5, "平安巡查") == 30
    assert points_for(RULES[1], 2.5, "文明宣传") == 25
    assert points_for(RULES[0], 1.5, None) == 33


def test_rules_in_words() -> None:
    assert RULES[1].describe() == "2025年1月1日起：每小时10分，平安巡查活动另加5分"
    assert RULES[0].describe() == "2026年1月1日起：每小时20分，每参加一次活动3分"
    assert DEFAULT_RULE.describe() == "默认规则：每小时1分"


def test_type_bonus_pairs() -> None:
    assert parse_by_type(["平安巡查=5", " 应急救援 = 20 "]) == {"平安巡查": 5, "应急救援": 20}
    for bad in ("平安巡查", "=5", "平安巡查=五"):
        with pytest.raises(ValueError):
            parse_by_type([bad])


def test_claims_dates_and_who_counts_as_a_member() -> None:
    assert holds_on("2026-03-01", None, date(2026, 12, 1))
    assert holds_on("2026-03-01", "2026-06-30", date(2026, 6, 30)) and not holds_on("2026-03-01", "2026-06-30",
                                                                                    date(2026, 7, 1))
    assert overlaps("2026-01-01", None, "2026-05-01", "2026-06-01")
    assert not overlaps("2026-01-01", "2026-03-31", "2026-04-01", None)
    assert is_member("预备党员") and is_member("正式党员") and not is_member("发展对象") and not is_member("群众")
