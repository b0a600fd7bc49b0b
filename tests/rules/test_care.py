"""The care network's rules: 社区/街道 keys, classes, services split and folded, opening days, visitor months."""

from __future__ import annotations

from datetime import date

import pytest

from registry.rules.care import (
    community_key,
    is_open,
    normalise_class,
    parse_month,
    previous_visit_months,
    split_services,
    street_key,
    visit_months,
)


def test_community_and_street_keys() -> None:
    assert community_key("武车社区") == community_key(" 武车 ") == community_key("武车社区居委会") == "武车"
    assert community_key("社区") == "社区" and community_key(None) == ""
    assert street_key("沙河街道办事处") == street_key("沙河街道") == street_key("沙河") == "沙河"


@pytest.mark.parametrize(("text", "expected"), [
    ("一类", "一类"), ("1类", "一类"), ("三类蜂巢", "三类"), ("2", "二类"), (2.0, "二类"), ("二级", "二类"),
    ("", None), ("五类", None), ("甲类", None)])
def test_classes(text: object, expected: str | None) -> None:
    assert normalise_class(text) == expected


def test_services_are_split_and_folded() -> None:
    assert split_services("热水、手机充电，休息/党员报到点;饮水") == ["饮水", "充电", "休息", "党员报到处"]
    assert split_services(None) == []


def test_opening_days_and_months() -> None:
    assert is_open(None, None, date(2026, 1, 1))
    assert not is_open("2026-02-01", None, date(2026, 1, 31))
    assert is_open("2026-02", None, date(2026, 2, 1))
    assert not is_open(None, "2026-03-01", date(2026, 3, 1))
    assert visit_months(date(2026, 11, 16), date(2027, 1, 5)) == ["2026-11", "2026-12", "2027-01"]
    # a half-month compares with the month before its own
    assert previous_visit_months(["2026-11"], date(2026, 11, 1), date(2026, 11, 15)) == ["2026-10"]
    assert previous_visit_months(["2026-01"], date(2025, 12, 16), date(2025, 12, 31)) == ["2025-12"]
    assert previous_visit_months(["2026-11"], date(2026, 10, 1), date(2026, 10, 31)) == ["2026-10"]
    assert [parse_month(t) for t in ("2026-11", "2026年1月", "202611", "2026.13", "")] == [
        "2026-11", "2026-01", "2026-11", None, None]
