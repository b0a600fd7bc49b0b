"""The development record as a secretary keeps it: steps recorded, checked, cancelled with history, 党龄."""

from __future__ import annotations

import json
from datetime import date

import pytest

from registry.errors import UserError
from registry.rules.idnumber import check_char
from registry.services.activities import record_meeting
from registry.services.development import advance_stage
from registry.services.development_steps import (
    admissions_between,
    cancel_probation,
    findings,
    party_age_of,
    pending_approvals,
    preview_findings,
    record_outline,
    record_step,
    step_rows,
)
from registry.services.people import add_person, delete_person, edit_person, get_person
from registry.services.stats import statistics
from registry.storage.database import Registry
from tests.conftest import ID_MAN_1985, ID_WOMAN_1992


def _id(born: str, seq: str = "003") -> str:
    first17 = f"110105{born}{seq}"
    return first17 + check_char(first17)


CANDIDATE = _id("19980305")


def _entered(reg: Registry, number: str, day: str) -> None:
    """The person was entered in the registry on `day` (tests cannot wait for the calendar)."""
    reg.conn.execute("UPDATE people SET created_at = ? WHERE id_number = ?", (f"{day}T09:00:00", number))


def _rules(reg: Registry, number: str, level: str | None = None) -> list[str]:
    return [f.rule for f in findings(reg, number) if level is None or f.level == level]


@pytest.fixture
def members(branch: Registry) -> Registry:
    add_person(branch, name="张三", id_number=ID_MAN_1985, category="正式党员", joined_on="2010-07-01",
               full_on="2011-07-01", managed_from="2020-01-01", organization="城南快递联合党支部")
    add_person(branch, name="李四", id_number=ID_WOMAN_1992, category="正式党员", joined_on="2015-07-01",
               full_on="2016-07-01", managed_from="2020-01-01", organization="城南快递联合党支部")
    return branch


# --- the six cases of the issue ------------------------------------------------------------------------


def test_a_17_year_old_admitted_without_an_application_date_is_flagged(branch: Registry) -> None:
    number = _id("20080601")
    add_person(branch, name="少年甲", id_number=number, category="预备党员", joined_on="2026-03-01",
               managed_from="2026-01-05")
    assert "age_admission" in [w["code"] for w in get_person(branch, number)["warnings"]]
    assert "age_admission" in _rules(branch, number, "error")


def test_a_minor_imported_as_applicant_gets_a_warning(branch: Registry) -> None:
    number = _id("20100301")
    add_person(branch, name="少年乙", id_number=number, category="入党申请人")
    assert [w["code"] for w in get_person(branch, number)["warnings"]] == ["minor_in_pipeline"]
    assert "minor_in_pipeline" in _rules(branch, number, "warning")


def test_full_on_is_the_day_probation_ends_and_party_age_counts_from_it(members: Registry) -> None:
    add_person(members, name="王五", id_number=CANDIDATE, category="预备党员", joined_on="2025-06-10",
               managed_from="2025-01-01")
    with pytest.raises(UserError, match="预备期满之日（2026-06-10）"):
        advance_stage(members, CANDIDATE, "正式党员", "2026-09-20")
    advance_stage(members, CANDIDATE, "正式党员", "2026-09-20", override_reason="支部大会因疫情推迟召开")
    found = {f.rule: f for f in findings(members, CANDIDATE)}
    assert found["full_on_reason"].level == "warning" and "疫情" in found["full_on_reason"].message
    assert party_age_of(members, CANDIDATE, date(2026, 12, 1)) == (0, 2)
    stored_wrong = _id("19900101", "011")
    add_person(members, name="赵六", id_number=stored_wrong, category="正式党员", joined_on="2025-06-10",
               full_on="2026-09-20", managed_from="2025-01-01")
    assert "full_on_not_end" in _rules(members, stored_wrong, "error")


def test_introducers_and_contacts_must_be_full_members_on_the_roster(members: Registry) -> None:
    add_person(members, name="王五", id_number=CANDIDATE, category="入党积极分子", applied_on="2025-01-02",
               activist_on="2025-03-01", managed_from="2025-01-01")
    advance_stage(members, CANDIDATE, "发展对象", "2026-03-10", introducers="张三", override_reason="历史资料补录中")
    errors = _rules(members, CANDIDATE, "error")
    assert "introducers_count" in errors
    record_step(members, CANDIDATE, "contacts", "2025-03-01", persons=f"{ID_WOMAN_1992}、不在册的人")
    errors = _rules(members, CANDIDATE, "error")
    assert "contacts_not_on_roster" in errors
    record_step(members, CANDIDATE, "introducers", "2026-03-10", persons=f"张三、{ID_WOMAN_1992}")
    assert "introducers_count" not in _rules(members, CANDIDATE)
    assert get_person(members, CANDIDATE)["introducers"] == "张三、李四"


def test_an_activist_advanced_without_a_talk_or_date_is_flagged(members: Registry) -> None:
    add_person(members, name="王五", id_number=CANDIDATE, managed_from="2025-01-01")
    _entered(members, CANDIDATE, "2025-01-01")
    advance_stage(members, CANDIDATE, "入党申请人", "2025-02-01")
    with pytest.raises(UserError, match="党组织派人谈话"):
        advance_stage(members, CANDIDATE, "入党积极分子", "2025-04-01")
    advance_stage(members, CANDIDATE, "入党积极分子", "2025-04-01", override_reason="谈话记录待补")
    assert "step_missing_overridden" in _rules(members, CANDIDATE, "warning")
    undated = _id("19950101", "013")
    add_person(members, name="孙七", id_number=undated, category="发展对象", applied_on="2024-02-01",
               target_on="2026-02-01", managed_from="2024-01-01")
    _entered(members, undated, "2024-01-01")
    missing = [f.step for f in findings(members, undated) if f.rule == "step_missing"]
    assert "activist_committee" in missing and "application_talk" in missing


def test_cancelling_a_probation_keeps_the_months_she_was_a_probationary_member(members: Registry) -> None:
    for number, name in ((CANDIDATE, "王五"), (_id("19950101", "015"), "孙七")):
        add_person(members, name=name, id_number=number, category="预备党员", joined_on="2026-03-01",
                   managed_from="2026-01-01")
    october = date(2026, 10, 15)
    assert statistics(members, october)["by_category"]["预备党员"] == 2
    cancel_probation(members, CANDIDATE, "2026-11-20", reason="不履行党员义务", voting_expected=3, voting_present=3,
                     yes=3)
    assert statistics(members, october)["by_category"]["预备党员"] == 2
    today = statistics(members)["by_category"]
    assert (today["预备党员"], today["群众"]) == (1, 1)
    person = get_person(members, CANDIDATE)
    assert (person["category"], person["joined_on"], person["cancelled_on"]) == ("群众", "2026-03-01", "2026-11-20")
    assert person["warnings"] == []
    assert [r["step"] for r in step_rows(members, person["id"])] == ["cancellation"]
    with pytest.raises(UserError, match="只有预备党员"):
        cancel_probation(members, CANDIDATE, "2026-11-21", reason="重复")


def test_a_member_since_2010_has_only_historical_reminders(members: Registry) -> None:
    found = findings(members, ID_MAN_1985)
    assert found and {f.rule for f in found} == {"not_recorded"}
    assert all(f.level == "warning" and f.message.endswith("未录入（历史档案）。") for f in found)


# --- a full process, entered step by step ----------------------------------------------------------------


def test_a_full_process_with_one_step_late_one_missing_and_one_vote_below_threshold(members: Registry) -> None:
    add_person(members, name="王五", id_number=CANDIDATE, managed_from="2023-01-01",
               organization="城南快递联合党支部")
    _entered(members, CANDIDATE, "2023-01-01")
    advance_stage(members, CANDIDATE, "入党申请人", "2023-03-01")
    record_step(members, CANDIDATE, "application_talk", "2023-03-20", talker="张三")
    record_step(members, CANDIDATE, "activist_recommendation", "2023-05-20", method="党员推荐")
    advance_stage(members, CANDIDATE, "入党积极分子", "2023-06-01")
    record_step(members, CANDIDATE, "activist_filing", "2023-06-10")
    record_step(members, CANDIDATE, "contacts", "2023-06-01", persons="张三、李四")
    for day in ("2023-12-01", "2024-06-01"):
        record_step(members, CANDIDATE, "activist_review", day, conclusion="表现良好")
    for day in ("2023-09-01", "2023-12-01", "2024-03-01", "2024-06-01"):
        record_step(members, CANDIDATE, "thought_report", day)
    advance_stage(members, CANDIDATE, "发展对象", "2024-06-20", introducers="张三、李四")
    record_step(members, CANDIDATE, "target_filing", "2024-06-25")
    record_step(members, CANDIDATE, "introducers", "2024-06-20", persons="张三、李四")
    record_step(members, CANDIDATE, "training", "2024-07-01", end_on="2024-07-03", hours=24, certificate="2024-017")
    record_step(members, CANDIDATE, "target_publicity", "2024-07-08", end_on="2024-07-12")
    record_step(members, CANDIDATE, "pre_review", "2024-08-01")
    record_step(members, CANDIDATE, "application_form", "2024-08-05", number="0012345")
    meeting = record_meeting(members, organization="城南快递联合党支部", kind="支部党员大会", held_on="2024-09-01")
    vote = {"meeting_id": meeting, "expected": 12, "present": 10, "voting_expected": 10, "voting_present": 8,
            "yes": 5, "no": 2, "abstain": 1}
    with pytest.raises(UserError, match="政治审查"):  # the missing step stops the admission …
        advance_stage(members, CANDIDATE, "预备党员", "2024-09-01", fields=vote)
    advance_stage(members, CANDIDATE, "预备党员", "2024-09-01", fields=vote, override_reason="政审函调材料尚未寄回")
    record_step(members, CANDIDATE, "committee_talk", "2024-09-10", talker="张三")
    record_step(members, CANDIDATE, "admission_approval", "2025-01-15")  # more than 3 months after the meeting
    record_step(members, CANDIDATE, "oath", "2025-01-20")
    found = {f.rule: f for f in findings(members, CANDIDATE)}
    assert sorted(r for r, f in found.items() if f.level == "error") == ["approval_late", "vote_not_passed"]
    assert "赞成5票" in found["vote_not_passed"].message and "10人" in found["vote_not_passed"].message
    assert found["approval_late"].article.endswith("第二十五条")
    assert "政审函调材料尚未寄回" in found["step_missing_overridden"].message
    rows = step_rows(members, get_person(members, CANDIDATE)["id"])
    admission = next(r for r in rows if r["step"] == "admission_meeting")
    assert (admission["meeting_id"], admission["fields"]["votes"]["yes"]) == (meeting, 5)
    assert admission["override_reason"] == "政审函调材料尚未寄回"


# --- recording steps -------------------------------------------------------------------------------------


def test_record_step_refuses_what_it_cannot_record(members: Registry) -> None:
    add_person(members, name="王五", id_number=CANDIDATE, category="入党申请人", applied_on="2026-01-05")
    with pytest.raises(UserError, match="stage advance"):
        record_step(members, CANDIDATE, "admission_meeting", "2026-02-01")
    with pytest.raises(UserError, match="没有“宣誓仪式”这一步骤"):
        record_step(members, CANDIDATE, "宣誓仪式", "2026-02-01")
    with pytest.raises(UserError, match="推荐方式"):
        record_step(members, CANDIDATE, "推荐入党积极分子人选", "2026-02-01", method="自荐")
    with pytest.raises(UserError, match="晚于今天"):
        record_step(members, CANDIDATE, "application_talk", "2099-01-01")
    with pytest.raises(UserError, match="没有这些项目"):
        record_step(members, CANDIDATE, "application_talk", "2026-01-20", hours=3)
    record_step(members, CANDIDATE, "党组织派人谈话", "2026-01-20", talker=ID_MAN_1985)
    with pytest.raises(UserError, match="已登记过"):
        record_step(members, CANDIDATE, "application_talk", "2026-01-21")
    person = get_person(members, CANDIDATE)
    assert person["talked_on"] == "2026-01-20"
    assert step_rows(members, person["id"])[0]["fields"] == {"talker": [{"name": "张三", "person_id": 1}]}


def test_party_age_leaves_out_the_time_party_membership_was_stopped(members: Registry) -> None:
    assert party_age_of(members, ID_MAN_1985, date(2026, 7, 1)) == (15, 0)
    edit_person(members, ID_MAN_1985, changed_on="2024-01-01", status="停止党籍")
    edit_person(members, ID_MAN_1985, changed_on="2025-01-01", status="正常")
    assert party_age_of(members, ID_MAN_1985, date(2026, 7, 1)) == (14, 0)


def test_deleting_a_person_deletes_their_steps(members: Registry) -> None:
    add_person(members, name="王五", id_number=CANDIDATE, category="入党申请人", applied_on="2026-01-05")
    record_step(members, CANDIDATE, "application_talk", "2026-01-20")
    delete_person(members, CANDIDATE)
    assert members.scalar("SELECT count(*) FROM development_steps") == 0


def test_preview_says_what_a_step_would_break_and_writes_nothing(members: Registry) -> None:
    add_person(members, name="王五", id_number=CANDIDATE, category="发展对象", applied_on="2024-01-05",
               activist_on="2024-03-01", target_on="2025-06-01", introducers="张三、李四")
    before = members.scalar("SELECT count(*) FROM audit_log")
    found = preview_findings(members, CANDIDATE, "target_publicity", "2025-07-03", end_on="2025-07-04")
    assert [f.rule for f in found if f.level == "error"] == ["publicity_short"]
    assert "只有2个工作日" in next(f.message for f in found if f.rule == "publicity_short")
    found = preview_findings(members, CANDIDATE, "introducers", "2025-06-01", persons="张三")
    assert "introducers_count" in [f.rule for f in found if f.level == "error"]
    assert members.scalar("SELECT count(*) FROM audit_log") == before
    with pytest.raises(UserError, match="推荐方式"):
        preview_findings(members, CANDIDATE, "activist_recommendation", "2024-02-01", method="抽签")


def test_approval_falls_due_and_admissions_count_by_the_approval(members: Registry) -> None:
    add_person(members, name="王五", id_number=CANDIDATE, category="发展对象", applied_on="2024-01-05",
               activist_on="2024-03-01", target_on="2025-06-01", introducers="张三、李四")
    advance_stage(members, CANDIDATE, "预备党员", "2026-10-20", override_reason="补录",
                  fields={"voting_expected": 3, "voting_present": 3, "yes": 3})
    [item] = pending_approvals(members, date(2026, 12, 1))
    assert (item["kind"], item["due"], item["class"], item["name"]) == ("approval_due", "2027-01-20", "next_month",
                                                                        "王五")
    assert pending_approvals(members, date(2027, 1, 25))[0]["class"] == "overdue"
    assert admissions_between(members, "2026-10-01", "2026-10-31") == 1
    record_step(members, CANDIDATE, "admission_approval", "2026-11-15")
    assert pending_approvals(members, date(2026, 12, 1)) == []
    assert admissions_between(members, "2026-10-01", "2026-10-31") == 0
    assert admissions_between(members, "2026-11-01", "2026-11-30") == 1


def test_the_outline_gives_every_step_its_state(members: Registry) -> None:
    outline = record_outline(members, ID_MAN_1985)
    states = {s["step"]: s["state"] for s in outline["steps"]}
    assert states["application"] == "未录入（历史档案）" and states["full_membership"] == "已完成"
    assert states["cancellation"] == "" and outline["party_age"] is not None
    add_person(members, name="王五", id_number=CANDIDATE, managed_from="2025-01-01")
    _entered(members, CANDIDATE, "2025-01-01")
    advance_stage(members, CANDIDATE, "入党申请人", "2025-02-01")
    advance_stage(members, CANDIDATE, "入党积极分子", "2025-04-01", override_reason="谈话记录待补",
                  fields={})
    record_step(members, CANDIDATE, "contacts", "2025-04-01", persons="张三")
    outline = record_outline(members, CANDIDATE)
    states = {s["step"]: s["state"] for s in outline["steps"]}
    assert (states["application"], states["application_talk"], states["activist_filing"]) == (
        "已完成", "缺少（已记录原因）", "待进行")
    assert states["admission_meeting"] == "" and outline["party_age"] is None
    contacts = next(s for s in outline["steps"] if s["step"] == "contacts")
    assert contacts["entries"][0]["fields"]["persons"] == [{"name": "张三", "person_id": 1, "category": "正式党员"}]
    json.dumps(outline, ensure_ascii=False)


def test_correcting_a_stage_date_corrects_its_recorded_step(members: Registry) -> None:
    from registry.services.development import correct_stage

    add_person(members, name="王五", id_number=CANDIDATE, category="入党申请人", applied_on="2026-01-05")
    record_step(members, CANDIDATE, "application_talk", "2026-01-20")
    correct_stage(members, CANDIDATE, talked_on="2026-01-25")
    [row] = step_rows(members, get_person(members, CANDIDATE)["id"])
    assert row["on_date"] == "2026-01-25"
