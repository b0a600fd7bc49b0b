"""Member-development stage rules: each rule firing, staying quiet, and coping with month-only dates."""

from __future__ import annotations

import datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from registry.rules.dates import PartialDate
from registry.rules.development import (
    RuleIssue,
    check_development,
    probation_end,
    target_eligible_on,
)
from registry.rules.idnumber import check_char

TODAY = datetime.date(2025, 6, 15)
FAST = settings(max_examples=100, deadline=None, database=None)


def _id(born: str, sequence: str = "001") -> str:
    first17 = f"110105{born}{sequence}"
    return first17 + check_char(first17)


# A complete, correct record: every rule should stay quiet.
CLEAN = {
    "category": "正式党员",
    "id_number": _id("19900115", "001"),  # male
    "gender": "男",
    "birth_date": "1990-01-15",
    "applied_on": "2018-03-01",
    "talked_on": "2018-03-20",
    "activist_on": "2018-06-01",
    "target_on": "2019-06-10",
    "joined_on": "2019-12-01",
    "full_on": "2020-12-01",
    "extension_months": None,
}


def _rules(person: dict[str, object], today: datetime.date = TODAY) -> list[str]:
    return [issue.rule for issue in check_development(person, today)]


def _only(person: dict[str, object], rule: str, today: datetime.date = TODAY) -> RuleIssue:
    issues = [i for i in check_development(person, today) if i.rule == rule]
    assert len(issues) == 1, issues
    return issues[0]


def test_clean_record_has_no_issues() -> None:
    assert check_development(CLEAN, TODAY) == []


def test_empty_record_has_no_issues() -> None:
    assert check_development({}, TODAY) == []
    assert check_development(dict.fromkeys(CLEAN), TODAY) == []


def test_partial_dates_and_iso_strings_are_both_accepted() -> None:
    as_objects = {k: PartialDate.from_iso(v) if k.endswith("_on") and v else v for k, v in CLEAN.items()}
    assert check_development(as_objects, TODAY) == []


def test_helpers() -> None:
    assert probation_end(PartialDate(2024, 2, 29)) == PartialDate(2025, 2, 28)
    assert probation_end(PartialDate(2024, 3), 6) == PartialDate(2025, 9)
    assert probation_end(PartialDate(2024, 3), None) == PartialDate(2025, 3)
    assert target_eligible_on(PartialDate(2020, 10)) == PartialDate(2021, 10)
    assert target_eligible_on(PartialDate(2020, 1, 31)) == PartialDate(2021, 1, 31)


# --- stage_order ---------------------------------------------------------------------------------


def test_stage_order_flags_each_violating_pair_on_the_later_stage() -> None:
    person = {**CLEAN, "talked_on": "2018-02-01", "full_on": "2019-11-01"}
    issues = [i for i in check_development(person, TODAY) if i.rule == "stage_order"]
    assert [(i.field, i.severity) for i in issues] == [("talked_on", "error"), ("full_on", "error")]
    assert issues[0].message == (
        "谈话日期（2018-02-01）早于申请入党日期（2018-03-01），各阶段日期应依次在后，请核对。"
    )


def test_stage_order_skips_missing_stages() -> None:
    person = {"applied_on": "2020-05-01", "activist_on": "2020-03-01"}
    issue = _only(person, "stage_order")
    assert issue.field == "activist_on"
    assert "申请入党日期（2020-05-01）" in issue.message


def test_stage_order_compares_month_only_dates_by_month() -> None:
    assert "stage_order" not in _rules({"applied_on": "2020-05-10", "talked_on": "2020-05"})
    assert "stage_order" not in _rules({"applied_on": "2020-05", "talked_on": "2020-05-01"})
    assert "stage_order" in _rules({"applied_on": "2020-05", "talked_on": "2020-04-30"})
    assert "stage_order" not in _rules({"applied_on": "2020-05-10", "talked_on": "2020-05-10"})


# --- future_date ---------------------------------------------------------------------------------


def test_future_dates() -> None:
    issue = _only({"joined_on": "2025-06-16"}, "future_date")
    assert issue.field == "joined_on" and issue.severity == "error"
    assert "2025年6月16日" in issue.message and "2025年6月15日" in issue.message
    assert "future_date" not in _rules({"joined_on": "2025-06-15"})
    assert "future_date" not in _rules({"joined_on": "2025-06"})  # this month is not the future
    assert "future_date" in _rules({"joined_on": "2025-07"})


# --- age_under_18 --------------------------------------------------------------------------------


def test_under_18_from_birth_date() -> None:
    issue = _only({"birth_date": "2002-05-10", "applied_on": "2020-05-09"}, "age_under_18")
    assert issue.field == "applied_on" and issue.severity == "error"
    assert "2020-05-09" in issue.message and "18周岁" in issue.message
    assert "age_under_18" not in _rules({"birth_date": "2002-05-10", "applied_on": "2020-05-10"})


def test_under_18_from_id_number_when_no_birth_date() -> None:
    person = {"id_number": _id("20020510"), "applied_on": "2020-05-09"}
    assert "age_under_18" in _rules(person)
    assert "age_under_18" not in _rules({**person, "applied_on": "2020-05-10"})


def test_under_18_is_conservative_with_month_only_dates() -> None:
    # born some day in May 2002: in May 2020 they may already be 18
    assert "age_under_18" not in _rules({"birth_date": "2002-05", "applied_on": "2020-05"})
    assert "age_under_18" not in _rules({"birth_date": "2002-05", "applied_on": "2020-05-01"})
    assert "age_under_18" in _rules({"birth_date": "2002-05", "applied_on": "2020-04-30"})
    assert "age_under_18" in _rules({"birth_date": "2002-05-20", "applied_on": "2020-04"})
    assert "age_under_18" not in _rules({"birth_date": "2002-05-20", "applied_on": "2020-05"})


def test_born_on_29_february() -> None:
    assert "age_under_18" not in _rules({"birth_date": "2004-02-29", "applied_on": "2022-02-28"})
    assert "age_under_18" in _rules({"birth_date": "2004-02-29", "applied_on": "2022-02-27"})


# --- talk_late -----------------------------------------------------------------------------------


def test_talk_late() -> None:
    issue = _only({"applied_on": "2020-01-31", "talked_on": "2020-03-01"}, "talk_late")
    assert issue.severity == "warning" and issue.field == "talked_on"
    assert "1个月" in issue.message
    assert "talk_late" not in _rules({"applied_on": "2020-01-31", "talked_on": "2020-02-29"})
    assert "talk_late" not in _rules({"applied_on": "2020-05", "talked_on": "2020-06"})
    assert "talk_late" in _rules({"applied_on": "2020-05", "talked_on": "2020-07"})
    assert "talk_late" not in _rules({"applied_on": "2020-05-31", "talked_on": "2020-06"})


# --- activist_one_year ---------------------------------------------------------------------------


def test_activist_one_year_message() -> None:
    issue = _only({"activist_on": "2020-10", "target_on": "2021-03"}, "activist_one_year")
    assert issue.severity == "error" and issue.field == "target_on"
    assert issue.message == (
        "列为发展对象日期（2021-03）距确定积极分子日期（2020-10）不满一年，按规定至少需培养考察一年，请核对。"
    )


@pytest.mark.parametrize(
    ("activist", "target", "flagged"),
    [
        ("2020-10-15", "2021-10-14", True),
        ("2020-10-15", "2021-10-15", False),
        ("2020-10", "2021-09", True),
        ("2020-10", "2021-10", False),  # may be a full year: not certainly early
        ("2020-10-31", "2021-10", False),
        ("2020-10", "2021-09-30", True),
        ("2020-10", "2021-10-01", False),
        ("2024-02-29", "2025-02-28", False),
        ("2024-02-29", "2025-02-27", True),
    ],
)
def test_activist_one_year(activist: str, target: str, flagged: bool) -> None:
    rules = _rules({"activist_on": activist, "target_on": target})
    assert ("activist_one_year" in rules) is flagged


def test_target_before_activist_is_an_order_problem_only() -> None:
    assert _rules({"activist_on": "2021-01", "target_on": "2020-06"}) == ["stage_order"]


# --- probation -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("joined", "full", "extension", "flagged"),
    [
        ("2024-02-29", "2025-02-28", None, False),
        ("2024-02-29", "2025-02-27", None, True),
        ("2020-05", "2021-05", None, False),
        ("2020-05", "2021-04", None, True),
        ("2020-05-20", "2021-05-19", None, True),
        ("2020-05", "2021-08", 6, True),
        ("2020-05", "2021-11", 6, False),
        ("2020-05-20", "2022-05-19", 12, True),
        ("2020-05-20", "2022-05-20", 12, False),
    ],
)
def test_probation_one_year(joined: str, full: str, extension: int | None, flagged: bool) -> None:
    rules = _rules({"joined_on": joined, "full_on": full, "extension_months": extension})
    assert ("probation_one_year" in rules) is flagged


def test_probation_messages() -> None:
    plain = _only({"joined_on": "2020-05", "full_on": "2021-04"}, "probation_one_year")
    assert plain.field == "full_on" and "2021-04" in plain.message and "2020-05" in plain.message
    extended = _only({"joined_on": "2020-05", "full_on": "2021-08", "extension_months": 6},
                     "probation_one_year")
    assert "2021-11" in extended.message and "6个月" in extended.message


@pytest.mark.parametrize(("months", "flagged"), [(6, False), (12, False), (9, False), (3, True), (13, True),
                                                 (24, True), (None, False), (0, False), ("6", False)])
def test_extension_range(months: object, flagged: bool) -> None:
    rules = _rules({"extension_months": months})
    assert ("extension_range" in rules) is flagged


def test_extension_range_message() -> None:
    issue = _only({"extension_months": 18}, "extension_range")
    assert issue.field == "extension_months" and "18个月" in issue.message and "6至12个月" in issue.message


def test_probation_overdue() -> None:
    person = {"category": "预备党员", "joined_on": "2024-04-20"}
    issue = _only(person, "probation_overdue")
    assert issue.severity == "warning"
    assert "2025-04-20" in issue.message
    # ends this month: due, not overdue
    assert "probation_overdue" not in _rules({**person, "joined_on": "2024-06-30"})
    assert "probation_overdue" not in _rules({**person, "joined_on": "2024-06"})
    assert "probation_overdue" in _rules({**person, "joined_on": "2024-05"})
    # extended by 6 months: not yet due
    assert "probation_overdue" not in _rules({**person, "extension_months": 6})
    # already recorded as full member, or not probationary
    assert "probation_overdue" not in _rules({**person, "full_on": "2025-04-20"})
    assert "probation_overdue" not in _rules({**person, "category": "正式党员"})


# --- identity consistency ------------------------------------------------------------------------


def test_gender_mismatch() -> None:
    issue = _only({"id_number": _id("19900115", "002"), "gender": "男"}, "gender_mismatch")
    assert issue.field == "gender" and issue.severity == "error"
    assert "女" in issue.message
    assert "gender_mismatch" not in _rules({"id_number": _id("19900115", "002"), "gender": "女"})
    assert "gender_mismatch" not in _rules({"id_number": None, "gender": "男"})
    assert "gender_mismatch" not in _rules({"id_number": "not a number", "gender": "男"})


def test_birth_mismatch() -> None:
    person = {"id_number": _id("19900115")}
    issue = _only({**person, "birth_date": "1990-01-16"}, "birth_mismatch")
    assert issue.field == "birth_date" and issue.severity == "warning"
    assert "1990-01-16" in issue.message and "1990-01-15" in issue.message
    assert "birth_mismatch" not in _rules({**person, "birth_date": "1990-01"})
    month_only = _only({**person, "birth_date": "1990-02"}, "birth_mismatch")
    assert "（1990-01）" in month_only.message


# --- category consistency ------------------------------------------------------------------------


@pytest.mark.parametrize("category", ["预备党员", "正式党员"])
def test_members_without_joined_on(category: str) -> None:
    issue = _only({"category": category}, "stage_missing")
    assert issue.field == "joined_on" and issue.severity == "warning"
    assert category in issue.message


def test_category_spellings_are_understood() -> None:
    assert "stage_missing" in _rules({"category": "中共预备党员"})
    assert "category_dates" in _rules({"category": "积极分子", "joined_on": "2024-07"})


@pytest.mark.parametrize("category", ["群众", "入党申请人", "入党积极分子", "发展对象"])
def test_non_members_missing_dates_are_not_flagged(category: str) -> None:
    assert "stage_missing" not in _rules({"category": category})


def test_full_member_without_full_on_is_not_flagged() -> None:
    assert _rules({"category": "正式党员", "joined_on": "2010-07"}) == []


def test_category_dates() -> None:
    person = {"category": "入党积极分子", "activist_on": "2023-01", "joined_on": "2024-07"}
    issue = _only(person, "category_dates")
    assert issue.field == "joined_on" and issue.severity == "warning"
    assert "入党积极分子" in issue.message and "入党时间（2024-07）" in issue.message
    rules = _rules({"category": "群众", "applied_on": "2023-01", "activist_on": "2023-05"})
    assert rules.count("category_dates") == 2
    member = {"category": "预备党员", "joined_on": "2024-09", "target_on": "2024-01"}
    assert "category_dates" not in _rules(member)
    assert "category_dates" not in _rules({"category": "未知类别", "joined_on": "2024-09"})


# --- whole records -------------------------------------------------------------------------------


def test_every_issue_is_well_formed() -> None:
    messy = {
        "category": "预备党员",
        "id_number": _id("20050301", "002"),
        "gender": "男",
        "birth_date": "2005-04",
        "applied_on": "2022-01",
        "talked_on": "2022-05",
        "activist_on": "2021-12",
        "target_on": "2022-06",
        "joined_on": "2023-01",
        "full_on": "2026-01",
        "extension_months": 3,
    }
    issues = check_development(messy, TODAY)
    assert {i.rule for i in issues} >= {"stage_order", "future_date", "age_under_18", "talk_late",
                                        "activist_one_year", "extension_range", "gender_mismatch",
                                        "birth_mismatch", "category_dates"}
    for issue in issues:
        assert issue.severity in {"error", "warning"}
        assert issue.message.endswith("。")
        assert issue.field in messy


stage_days = st.dates(min_value=datetime.date(2000, 1, 1), max_value=datetime.date(2024, 12, 31))


@FAST
@given(st.lists(stage_days, min_size=6, max_size=6), st.lists(st.booleans(), min_size=6, max_size=6))
def test_sorted_dates_have_no_order_issue(days: list[datetime.date], month_only: list[bool]) -> None:
    keys = ("applied_on", "talked_on", "activist_on", "target_on", "joined_on", "full_on")
    person = {
        key: str(PartialDate(d.year, d.month, None if m else d.day))
        for key, d, m in zip(keys, sorted(days), month_only, strict=True)
    }
    rules = _rules(person)
    assert "stage_order" not in rules
    assert "future_date" not in rules
