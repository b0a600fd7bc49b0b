"""Rule periods of the due list: one arithmetic with the development rules and the printed record."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from registry.rules.dates import PartialDate
from registry.rules.deadlines import due_class, due_date
from registry.rules.development import probation_end

D = PartialDate.from_iso


@pytest.mark.parametrize(("kind", "start", "ext", "due"), [
    ("probation_end", "2024-02-29", None, "2025-02-28"),  # SQLite's '+12 months' gave 2025-03-01
    ("talk_due", "2024-01-31", None, "2024-02-29"),  # SQLite's '+1 months' gave 2024-03-02
    ("probation_end", "2024-08-31", 6, "2026-02-28"),
    ("target_eligible", "2025-03", None, "2026-03"),  # month-only stays month-only, as the rules keep it
    ("lost_contact", "2025-08-31", None, "2026-02-28"),
])
def test_due_dates_clamp_to_the_month_end(kind: str, start: str, ext: int | None, due: str) -> None:
    assert str(due_date(kind, start, ext)) == due


def test_probation_end_is_the_development_rule() -> None:
    assert due_date("probation_end", "2024-02-29", 9) == probation_end(D("2024-02-29"), 9)


def test_unreadable_start_gives_no_date() -> None:
    assert due_date("talk_due", "2024-13", None) is None
    assert due_class("talk_due", None, date(2026, 1, 1)) == "unverified"


@pytest.mark.parametrize(("kind", "due", "today", "cls"), [
    ("target_eligible", "2020-01-01", date(2026, 11, 23), "eligible"),  # an eligibility is never overdue
    ("target_eligible", "2026-11", date(2026, 11, 1), "eligible"),  # reachable from the month's first day
    ("target_eligible", "2026-11-30", date(2026, 11, 23), "this_month"),
    ("target_eligible", "2026-12-05", date(2026, 11, 23), "next_month"),
    ("target_eligible", "2027-01-01", date(2026, 11, 23), None),
    ("talk_due", "2026-11-05", date(2026, 11, 23), "overdue"),  # the deadline has passed
    ("talk_due", "2026-11", date(2026, 11, 23), "this_month"),  # a month-only deadline: the whole month
    ("talk_due", "2026-10", date(2026, 11, 1), "overdue"),
    ("probation_end", "2026-12-31", date(2026, 11, 30), "next_month"),
    ("probation_end", "2027-01-01", date(2026, 11, 30), None),
])
def test_classes(kind: str, due: str, today: date, cls: str | None) -> None:
    assert due_class(kind, D(due), today) == cls


# A SQLite date modifier adding months or years: date(x, '+12 months'), '+' || n || ' months', '-1 year' …
_MODIFIER = re.compile(r"""['"][+-]\s*\d*\s*(?:months?|years?)['"]|\|\|\s*['"]\s*months?['"]""")


def test_no_sqlite_month_arithmetic_outside_rules() -> None:
    root = Path(__file__).resolve().parents[2] / "registry"
    found = [f"{p.relative_to(root)}:{n}" for p in root.rglob("*.py") if "rules" not in p.relative_to(root).parts
             for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if _MODIFIER.search(line)]
    assert found == []


def test_the_pattern_finds_the_old_modifiers() -> None:
    assert _MODIFIER.search("date(x, '+12 months')")
    assert _MODIFIER.search("'+' || (12 + ifnull(p.extension_months, 0)) || ' months')")
    assert _MODIFIER.search("date(d, '-1 year')")
    assert not _MODIFIER.search("extension_months")


def test_the_development_check_and_the_due_list_agree_on_overdue_probation() -> None:
    from registry.rules.development import check_development

    today = date(2025, 6, 15)
    for joined, overdue in (("2024-06-10", True), ("2024-06-15", False), ("2024-06", False), ("2024-05", True)):
        rules = [i.rule for i in check_development({"category": "预备党员", "joined_on": joined}, today)]
        assert ("probation_overdue" in rules) is overdue
        assert (due_class("probation_end", due_date("probation_end", joined), today) == "overdue") is overdue
