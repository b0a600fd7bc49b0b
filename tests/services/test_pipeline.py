"""The 发展党员 list (pipeline): next step, time limit, what is missing, filters, and its cache never stale;
correcting a recorded step; the refusal sentence before 保存; 党龄 for a page of the roster."""

from __future__ import annotations

from datetime import date

import pytest

from registry.errors import UserError
from registry.rules.idnumber import check_char
from registry.services.activities import record_meeting
from registry.services.development import advance_stage
from registry.services.development_steps import edit_step, findings, party_age_of, record_step, step_rows
from registry.services.organizations import find_org, subtree_ids
from registry.services.party_ages import party_ages
from registry.services.people import add_person, edit_person, get_person
from registry.services.pipeline import (
    advance_refusal,
    branch_meetings,
    full_member_names,
    next_step_key,
    pipeline,
    pipeline_row,
)
from registry.storage.database import Registry
from tests.conftest import ID_MAN_1985, ID_WOMAN_1992


def person_id(born: str, seq: str = "003") -> str:
    first17 = f"110105{born}{seq}"
    return first17 + check_char(first17)


CANDIDATE = person_id("19980305")
APPLICANT = person_id("19990101", "015")


def entered(reg: Registry, number: str, day: str) -> None:
    """The person was entered in the registry on `day` (tests cannot wait for the calendar)."""
    reg.conn.execute("UPDATE people SET created_at = ? WHERE id_number = ?", (f"{day}T09:00:00", number))


@pytest.fixture
def members(branch: Registry) -> Registry:
    add_person(branch, name="张三", id_number=ID_MAN_1985, category="正式党员", joined_on="2010-07-01",
               full_on="2011-07-01", managed_from="2020-01-01", organization="城南快递联合党支部")
    add_person(branch, name="李四", id_number=ID_WOMAN_1992, category="正式党员", joined_on="2015-07-01",
               full_on="2016-07-01", managed_from="2020-01-01", organization="城南快递联合党支部")
    return branch


def full_process(reg: Registry) -> int:
    """王五 taken from application to 预备党员 step by step: the vote below threshold, 政审 missing (overridden)
    and the approval late; returns her id."""
    add_person(reg, name="王五", id_number=CANDIDATE, managed_from="2023-01-01", organization="城南快递联合党支部")
    entered(reg, CANDIDATE, "2023-01-01")
    advance_stage(reg, CANDIDATE, "入党申请人", "2023-03-01")
    record_step(reg, CANDIDATE, "application_talk", "2023-03-20", talker="张三")
    record_step(reg, CANDIDATE, "activist_recommendation", "2023-05-20", method="党员推荐")
    advance_stage(reg, CANDIDATE, "入党积极分子", "2023-06-01")
    record_step(reg, CANDIDATE, "activist_filing", "2023-06-10")
    record_step(reg, CANDIDATE, "contacts", "2023-06-01", persons="张三、李四")
    for day in ("2023-12-01", "2024-06-01"):
        record_step(reg, CANDIDATE, "activist_review", day, conclusion="表现良好")
    advance_stage(reg, CANDIDATE, "发展对象", "2024-06-20", introducers="张三、李四")
    record_step(reg, CANDIDATE, "target_filing", "2024-06-25")
    record_step(reg, CANDIDATE, "introducers", "2024-06-20", persons="张三、李四")
    record_step(reg, CANDIDATE, "training", "2024-07-01", end_on="2024-07-03", hours=24, certificate="2024-017")
    record_step(reg, CANDIDATE, "target_publicity", "2024-07-08", end_on="2024-07-12")
    record_step(reg, CANDIDATE, "pre_review", "2024-08-01")
    record_step(reg, CANDIDATE, "application_form", "2024-08-05", number="0012345")
    meeting = record_meeting(reg, organization="城南快递联合党支部", kind="支部党员大会", held_on="2024-09-01")
    vote = {"meeting_id": meeting, "expected": 12, "present": 10, "voting_expected": 10, "voting_present": 8,
            "yes": 5, "no": 2, "abstain": 1}
    advance_stage(reg, CANDIDATE, "预备党员", "2024-09-01", fields=vote, override_reason="政审函调材料尚未寄回")
    record_step(reg, CANDIDATE, "committee_talk", "2024-09-10", talker="张三")
    record_step(reg, CANDIDATE, "admission_approval", "2025-01-15")
    return int(get_person(reg, CANDIDATE)["id"])


def test_the_list_says_next_step_limit_and_what_is_missing(members: Registry) -> None:
    pid = full_process(members)
    add_person(members, name="赵六", id_number=APPLICANT, category="入党申请人", applied_on="2026-10-01",
               managed_from="2026-09-01", organization="城南快递联合党支部")
    rows = {r["name"]: r for r in pipeline(members, today=date(2026, 12, 1))}
    assert set(rows) == {"王五", "赵六"}  # the two 正式党员 are not in the pipeline
    wang = rows["王五"]
    assert (wang["person_id"], wang["category"], wang["stage_on"]) == (pid, "预备党员", "2024-09-01")
    assert wang["next_step"] == "入党宣誓" and wang["limit"] == ""
    assert any("赞成5票" in m for m in wang["errors"]) and any("超过3个月" in m for m in wang["errors"])
    assert any("政审函调材料尚未寄回" in m for m in wang["warnings"])
    zhao = rows["赵六"]
    # The talk is due a month after the application, and that day has passed.
    assert (zhao["next_step"], zhao["limit"], zhao["late"]) == ("党组织派人谈话", "2026-11-01前", True)
    assert [r["name"] for r in pipeline(members, category="入党申请人", today=date(2026, 12, 1))] == ["赵六"]


def test_the_list_filters_by_branch(members: Registry) -> None:
    add_person(members, name="赵六", id_number=APPLICANT, category="入党申请人", applied_on="2026-10-01",
               organization="城南快递联合党支部")
    add_person(members, name="钱七", id_number=CANDIDATE, category="入党申请人", applied_on="2026-10-01",
               outlet="春熙路网点", brand="中通快递")
    branch = find_org(members, "城南快递联合党支部")
    flowing = find_org(members, "流动党员党支部")
    committee = find_org(members, "示例区快递行业党委")
    assert branch and flowing and committee
    assert [r["name"] for r in pipeline(members, org_ids=subtree_ids(members, branch["id"]))] == ["赵六"]
    assert [r["name"] for r in pipeline(members, org_ids=subtree_ids(members, committee["id"]))] == ["赵六"]
    assert pipeline(members, org_ids=subtree_ids(members, flowing["id"])) == []
    assert {r["name"] for r in pipeline(members)} == {"赵六", "钱七"}


def test_the_list_is_never_stale(members: Registry) -> None:
    """Rows are cached per person: a step recorded, or an introducer who leaves the party, shows at once."""
    add_person(members, name="赵六", id_number=APPLICANT, category="入党申请人", applied_on="2026-10-01",
               managed_from="2026-09-01")
    today = date(2026, 12, 1)
    assert pipeline(members, today=today)[0]["next_step"] == "党组织派人谈话"
    record_step(members, APPLICANT, "application_talk", "2026-10-20", talker="张三")
    row = pipeline(members, today=today)[0]
    assert row["next_step"] == "推荐入党积极分子人选" and not row["errors"]
    record_step(members, APPLICANT, "thought_report", "2026-11-01")  # not mandatory: the next step stays
    assert pipeline(members, today=today)[0]["next_step"] == "推荐入党积极分子人选"
    pid = full_process(members)
    before = next(r for r in pipeline(members, today=today) if r["person_id"] == pid)
    edit_person(members, ID_WOMAN_1992, category="群众", correction=True)  # 李四, her 介绍人, is not a member now
    after = next(r for r in pipeline(members, today=today) if r["person_id"] == pid)
    assert len(after["errors"]) > len(before["errors"])
    assert any("李四" in m and "群众" in m for m in after["errors"])


def test_one_row_and_the_step_proposed_first(members: Registry) -> None:
    pid = full_process(members)
    assert pipeline_row(members, pid)["next_key"] == next_step_key(members, pid) == "oath"  # type: ignore[index]
    zhang = get_person(members, ID_MAN_1985)["id"]
    assert pipeline_row(members, zhang) is None and next_step_key(members, zhang) is None
    assert full_member_names(members) == ["李四", "张三"] or set(full_member_names(members)) == {"张三", "李四"}
    assert [m["held_on"] for m in branch_meetings(members)] == ["2024-09-01"]


def test_a_step_saved_again_unchanged_writes_nothing_and_a_correction_keeps_the_summary(members: Registry) -> None:
    pid = full_process(members)
    operations = members.scalar("SELECT count(*) FROM operations")
    for row in step_rows(members, pid):
        fields = dict(row["fields"])
        votes = fields.pop("votes", {})
        persons = {k: "、".join(p["name"] for p in v) for k, v in fields.items() if isinstance(v, list)}
        assert edit_step(members, row["id"], row["on_date"], override_reason=row["override_reason"],
                         meeting_id=row["meeting_id"], **{**fields, **persons, **votes}) == {}, row["step"]
    assert members.scalar("SELECT count(*) FROM operations") == operations
    talk = next(r for r in step_rows(members, pid) if r["step"] == "application_talk")
    diff = edit_step(members, talk["id"], "2023-03-25", talker="李四")
    assert diff["on_date"] == ("2023-03-20", "2023-03-25")
    assert get_person(members, pid)["talked_on"] == "2023-03-25"
    with pytest.raises(UserError, match="已不存在"):
        edit_step(members, 999_999, "2023-03-25")


def test_the_refusal_is_known_before_saving(members: Registry) -> None:
    add_person(members, name="赵六", id_number=APPLICANT, category="入党申请人", applied_on="2026-10-01",
               managed_from="2026-09-01")
    entered(members, APPLICANT, "2026-09-01")
    sentence = advance_refusal(members, APPLICANT, "入党积极分子", "2026-11-20")
    assert sentence and "党组织派人谈话" in sentence and "原因" in sentence
    with pytest.raises(UserError) as refused:
        advance_stage(members, APPLICANT, "入党积极分子", "2026-11-20")
    assert refused.value.message == sentence
    assert advance_refusal(members, APPLICANT, "入党积极分子", "") is None
    record_step(members, APPLICANT, "application_talk", "2026-10-20", talker="张三")
    record_step(members, APPLICANT, "activist_recommendation", "2026-11-01", method="群团推优")
    assert advance_refusal(members, APPLICANT, "入党积极分子", "2026-11-20") is None


def test_party_ages_of_a_page_are_those_of_each_person(members: Registry) -> None:
    full_process(members)
    edit_person(members, ID_WOMAN_1992, status="停止党籍", changed_on="2020-06-01")
    ids = [r[0] for r in members.conn.execute("SELECT id FROM people ORDER BY id")]
    today = date(2026, 12, 1)
    ages = party_ages(members, ids, today)
    assert set(ages) == {get_person(members, ID_MAN_1985)["id"], get_person(members, ID_WOMAN_1992)["id"]}
    assert ages[get_person(members, ID_MAN_1985)["id"]] == "15年5个月"
    for pid, text in ages.items():
        from registry.rules.party_age import party_age_text

        assert text == party_age_text(party_age_of(members, pid, today))
    assert findings(members, CANDIDATE)  # the flawed record stays flawed


def test_a_second_person_of_an_introducers_name_shows_at_once(members: Registry) -> None:
    """介绍人 known only by name: once the name is borne by two people it can no longer be confirmed."""
    add_person(members, name="赵六", id_number=APPLICANT, category="发展对象", applied_on="2020-01-01",
               activist_on="2020-06-01", target_on="2021-07-01", introducers="张三、李四", managed_from="2022-01-01")
    today = date(2026, 12, 1)
    before = pipeline(members, today=today)[0]
    assert not any("张三" in m for m in before["errors"] + before["warnings"])
    add_person(members, name="张三", id_number=CANDIDATE, category="群众")
    after = pipeline(members, today=today)[0]
    assert any("张三" in m for m in after["errors"] + after["warnings"])
