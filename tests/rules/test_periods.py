"""Report periods: months and half-months, the one before, what falls due after."""

from __future__ import annotations

from datetime import date

import pytest

from registry.errors import UserError
from registry.rules.periods import parse_half, parse_month, period_for


def test_month_and_previous() -> None:
    p = parse_month("2026-03")
    assert (p.kind, p.start, p.end, p.label) == ("month", date(2026, 3, 1), date(2026, 3, 31), "2026年3月")
    assert parse_month("2026年3月") == parse_month("2026.3") == p
    prev = parse_month("2026-01").previous()
    assert (prev.start, prev.end) == (date(2025, 12, 1), date(2025, 12, 31))
    assert p.next_window() == (date(2026, 4, 1), date(2026, 4, 30))


def test_half_months() -> None:
    first, second = parse_half("2026-02-1"), parse_half("2026-02-2")
    assert (first.start, first.end, first.label) == (date(2026, 2, 1), date(2026, 2, 15), "2026年2月上半月")
    assert (second.start, second.end, second.label) == (date(2026, 2, 16), date(2026, 2, 28), "2026年2月下半月")
    assert second.previous() == first
    assert first.previous() == parse_half("2026-01-2")
    assert parse_half("2026年2月下半月") == second
    assert first.next_window() == (date(2026, 2, 16), date(2026, 3, 15))
    assert second.next_window() == (date(2026, 3, 1), date(2026, 3, 31))


def test_period_for_recognises_the_kind() -> None:
    assert period_for(date(2026, 11, 1), date(2026, 11, 30)).kind == "month"
    assert period_for(date(2026, 11, 16), date(2026, 11, 30)).kind == "half"
    custom = period_for(date(2026, 11, 3), date(2026, 11, 9))
    assert custom.kind == "custom" and custom.previous().end == date(2026, 11, 2)
    assert custom.previous().start == date(2026, 10, 27)


@pytest.mark.parametrize("text", ["2026-13", "11/2026", "", "2026"])
def test_bad_month(text: str) -> None:
    with pytest.raises(UserError, match="2026-11"):
        parse_month(text)


@pytest.mark.parametrize("text", ["2026-11-3", "2026-11", "2026-00-1"])
def test_bad_half(text: str) -> None:
    with pytest.raises(UserError, match="上半月"):
        parse_half(text)
