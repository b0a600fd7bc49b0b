"""The development record's findings engine: generated correct histories give no error, and each single
violation of the 细则 gives exactly the error for it."""

from __future__ import annotations

import datetime
from dataclasses import replace
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from registry.rules.dates import add_months
from registry.rules.dev_steps import BY_KEY, STEPS
from registry.rules.development_checks import (
    PersonRef,
    StepRecord,
    check_record,
    errors_of,
    working_days,
)
from registry.rules.idnumber import check_char

TODAY = datetime.date(2026, 12, 1)
FAST = settings(max_examples=150, deadline=None, database=None)
MEMBER = PersonRef("张三", 1, "正式党员")
MEMBER2 = PersonRef("李四", 2, "正式党员")
VOTES = {"expected": 12, "present": 10, "voting_expected": 10, "voting_present": 9, "yes": 8, "no": 1, "abstain": 0}


def _id(born: datetime.date) -> str:
    first17 = f"110105{born:%Y%m%d}001"
    return first17 + check_char(first17)


def _d(day: datetime.date) -> str:
    return day.isoformat()


def history(start: datetime.date, jitter: int = 0) -> tuple[dict[str, Any], list[StepRecord]]:
    """A complete record of a member admitted by the 细则, every step dated and every rule kept."""
    j = jitter
    steps: list[StepRecord] = []

    def add(key: str, day: datetime.date, **fields: Any) -> datetime.date:
        steps.append(StepRecord(key, _d(day), fields))
        return day

    plus = datetime.timedelta
    applied = add("application", start)
    add("application_talk", applied + plus(days=10 + j % 15), talker=[MEMBER])
    recommended = add("activist_recommendation", applied + plus(days=30 + j % 20), method="党员推荐")
    activist = add("activist_committee", recommended + plus(days=5))
    add("activist_filing", activist + plus(days=3))
    add("contacts", activist, persons=[MEMBER, MEMBER2])
    target = add("target_committee", add_months(activist, 12) + plus(days=j % 60))
    day = activist + plus(days=170)
    while day < target:
        add("activist_review", day, conclusion="合格")
        day += plus(days=170)
    day = activist + plus(days=80)
    while day < target:
        add("thought_report", day)
        day += plus(days=80)
    add("target_filing", target + plus(days=2))
    add("introducers", target + plus(days=2), persons=[MEMBER, MEMBER2])
    review = add("political_review", target + plus(days=10), conclusion="合格")
    training = add("training", target + plus(days=12), end_on=_d(target + plus(days=14)), hours=24)
    publicity = add("target_publicity", target + plus(days=20), end_on=_d(target + plus(days=27)))
    pre = add("pre_review", max(review, training, publicity) + plus(days=10 + j % 7))
    form = add("application_form", pre + plus(days=3), number="0012345")
    joined = add("admission_meeting", form + plus(days=7 + j % 9), votes=dict(VOTES))
    talk = add("committee_talk", joined + plus(days=10), talker=[MEMBER])
    approval = add("admission_approval", talk + plus(days=20 + j % 30))
    add("oath", approval + plus(days=3))
    full_app = add("full_application", add_months(joined, 11))
    full_pub = add("full_publicity", full_app + plus(days=3), end_on=_d(full_app + plus(days=10)))
    meeting = add("full_meeting", full_pub + plus(days=12), votes=dict(VOTES))
    add("full_approval", meeting + plus(days=5))
    add("full_membership", add_months(joined, 12))
    person = {"id": 9, "id_number": _id(add_months(start, -12 * 20)), "category": "正式党员",
              "created_at": _d(start - plus(days=10)) + "T09:00:00"}
    return person, steps


def _set(steps: list[StepRecord], key: str, **changes: Any) -> list[StepRecord]:
    out = []
    for r in steps:
        if r.step == key:
            fields = {**r.fields, **changes.pop("fields", {})}
            r = replace(r, fields=fields, **changes)
        out.append(r)
    return out


def _errors(person: dict[str, Any], steps: list[StepRecord]) -> set[str]:
    return {f.rule for f in errors_of(check_record(person, steps, TODAY))}


STARTS = st.dates(datetime.date(2012, 1, 1), datetime.date(2021, 6, 1))
JITTER = st.integers(0, 1000)


@FAST
@given(STARTS, JITTER)
def test_every_history_that_keeps_the_rules_gives_no_error(start: datetime.date, jitter: int) -> None:
    person, steps = history(start, jitter)
    assert check_record(person, steps, TODAY) == []


def _violations(person: dict[str, Any], steps: list[StepRecord]) -> dict[str, tuple[dict[str, Any], list[StepRecord]]]:
    """One break of the rules each, keyed by the error it must give (and nothing else)."""
    day = {r.step: datetime.date.fromisoformat(r.on) for r in steps if not BY_KEY[r.step].repeated}
    joined = day["admission_meeting"]
    plus = datetime.timedelta
    out: dict[str, tuple[dict[str, Any], list[StepRecord]]] = {}
    out["activist_one_year"] = (person, [r for r in _set(
        steps, "target_committee", on=_d(day["activist_committee"] + plus(days=300)))])
    out["publicity_short"] = (person, _set(steps, "target_publicity",
                                           fields={"end_on": _d(day["target_publicity"] + plus(days=1))}))
    out["training_short"] = (person, _set(steps, "training", fields={"end_on": _d(day["training"] + plus(days=1)),
                                                                      "hours": 16}))
    out["approval_late"] = (person, _set(_set(steps, "admission_approval", on=_d(add_months(joined, 4))), "oath",
                                         on=_d(add_months(joined, 4) + plus(days=1))))
    out["vote_not_passed"] = (person, _set(steps, "admission_meeting",
                                           fields={"votes": {**VOTES, "yes": 5, "no": 3, "abstain": 1}}))
    out["vote_quorum"] = (person, _set(steps, "full_meeting", fields={"votes": {**VOTES, "voting_present": 5,
                                                                                "yes": 6, "no": 0}}))
    out["step_missing"] = (person, [r for r in steps if r.step != "political_review"])
    out["introducers_count"] = (person, _set(steps, "introducers", fields={"persons": [MEMBER]}))
    out["introducers_not_member"] = (person, _set(steps, "introducers",
                                                  fields={"persons": [MEMBER, PersonRef("王五", 3, "预备党员")]}))
    out["contacts_not_on_roster"] = (person, _set(steps, "contacts", fields={"persons": [PersonRef("赵六")]}))
    adult_on = day["application"] + plus(days=20)  # 18 after applying, before admission
    out["age_under_18"] = ({**person, "id_number": _id(add_months(adult_on, -12 * 18))}, steps)
    out["full_on_not_end"] = (person, _set(steps, "full_membership", on=_d(add_months(joined, 12) + plus(days=10))))
    out["probation_one_year"] = (person, _set(steps, "full_membership", on=_d(add_months(joined, 12) - plus(days=10))))
    out["extension_range"] = (person, [*_set(steps, "full_membership", on=_d(add_months(joined, 15))),
                                       StepRecord("extension", _d(add_months(joined, 12)), {"months": 3,
                                                                                           "votes": dict(VOTES)})])
    out["step_order"] = (person, _set(steps, "oath", on=_d(day["admission_approval"] - plus(days=1))))
    out["future_date"] = (person, _set(steps, "oath", on=_d(TODAY + plus(days=30))))
    return out


KINDS = sorted(_violations(*history(datetime.date(2015, 3, 2))))


@FAST
@given(STARTS, JITTER, st.sampled_from(KINDS))
def test_every_single_violation_gives_exactly_its_error(start: datetime.date, jitter: int, kind: str) -> None:
    person, steps = _violations(*history(start, jitter))[kind]
    assert _errors(person, steps) == {kind}


def test_every_mandatory_step_is_required_once_the_record_is_kept() -> None:
    person, steps = history(datetime.date(2016, 5, 9))
    for step in STEPS:
        if not step.mandatory or step.enters:
            continue
        found = [f for f in check_record(person, [r for r in steps if r.step != step.key], TODAY)
                 if f.level == "error"]
        assert [(f.rule, f.step) for f in found] == [("step_missing", step.key)], step.key


def test_a_member_admitted_before_records_has_reminders_not_errors() -> None:
    """正式党员 since 2010, entered in the registry in 2026: nothing recorded is 未录入（历史档案）, a 提醒."""
    person = {"id": 1, "id_number": _id(datetime.date(1985, 3, 15)), "category": "正式党员", "joined_on": "2010-07-01",
              "full_on": "2011-07-01", "created_at": "2026-11-30T10:00:00"}
    found = check_record(person, [], TODAY)
    assert found and all(f.level == "warning" and f.rule == "not_recorded" for f in found)
    assert any(f.message == "递交入党申请书：未录入（历史档案）。" for f in found)


def test_an_activist_advanced_without_a_talk_in_the_registry_is_an_error() -> None:
    person = {"id": 1, "id_number": _id(datetime.date(1995, 1, 1)), "category": "入党积极分子",
              "applied_on": "2026-01-05", "activist_on": "2026-06-01", "created_at": "2025-12-01T10:00:00"}
    found = {(f.rule, f.step) for f in check_record(person, [], TODAY) if f.level == "error"}
    assert ("step_missing", "application_talk") in found
    assert ("step_missing", "activist_recommendation") in found


def test_reviews_and_reports_fall_due_for_an_activist() -> None:
    person = {"id": 1, "id_number": _id(datetime.date(1995, 1, 1)), "category": "入党积极分子",
              "created_at": "2025-01-01T10:00:00"}
    steps = [StepRecord("application", "2025-02-01"), StepRecord("application_talk", "2025-02-10"),
             StepRecord("activist_recommendation", "2025-03-01", {"method": "群团推优"}),
             StepRecord("activist_committee", "2025-03-10"), StepRecord("activist_review", "2025-09-01")]
    rules = {f.rule for f in check_record(person, steps, TODAY)}
    assert {"activist_review_due", "thought_report_due"} <= rules
    assert not errors_of(check_record(person, steps, TODAY))


def test_working_days() -> None:
    assert working_days(datetime.date(2026, 11, 30), datetime.date(2026, 12, 4)) == 5  # Monday to Friday
    assert working_days(datetime.date(2026, 12, 4), datetime.date(2026, 12, 8)) == 3  # Fri, Mon, Tue
    assert working_days(datetime.date(2026, 12, 8), datetime.date(2026, 12, 7)) == 0


def test_a_17_year_old_admitted_is_an_error_and_a_minor_applicant_a_warning() -> None:
    person = {"id": 1, "id_number": _id(datetime.date(2008, 6, 1)), "category": "预备党员", "joined_on": "2026-03-01",
              "created_at": "2026-11-01T10:00:00"}
    assert "age_admission" in {f.rule for f in errors_of(check_record(person, [], TODAY))}
    minor = {"id": 2, "id_number": _id(datetime.date(2010, 5, 1)), "category": "入党申请人"}
    assert [f.rule for f in check_record(minor, [], TODAY) if f.rule == "minor_in_pipeline"] == ["minor_in_pipeline"]


def test_the_older_check_copes_with_29_february() -> None:
    from registry.rules.development import check_development

    minor = {"id_number": _id(datetime.date(2012, 2, 29)), "category": "入党申请人"}
    assert [i.rule for i in check_development(minor, datetime.date(2028, 2, 29))] == ["minor_in_pipeline"]
