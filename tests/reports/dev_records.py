"""Development records built through the services, for the paper tests: a complete correct one, a flawed one and
a member admitted long before the registry existed."""

from __future__ import annotations

from registry.rules.idnumber import check_char
from registry.services.activities import record_meeting
from registry.services.development import advance_stage
from registry.services.development_steps import record_step
from registry.services.people import add_person
from registry.storage.database import Registry

BRANCH = "城南快递联合党支部"


def make_id(born: str, seq: str) -> str:
    first17 = f"110105{born}{seq}"
    return first17 + check_char(first17)


CANDIDATE = make_id("19980305", "023")  # 女
MEMBER_2010 = make_id("19800101", "011")


def entered(reg: Registry, number: str, day: str) -> None:
    """The person was entered in the registry on `day` (tests cannot wait for the calendar)."""
    reg.conn.execute("UPDATE people SET created_at = ? WHERE id_number = ?", (f"{day}T09:00:00", number))


def members(reg: Registry) -> None:
    """Four 正式党员 who act as 培养联系人, 入党介绍人 and 谈话人."""
    for seq, name in (("031", "张三"), ("051", "李四"), ("071", "王五"), ("091", "赵六")):
        add_person(reg, name=name, id_number=make_id("19750601", seq), category="正式党员", joined_on="2000-07-01",
                   full_on="2001-07-01", managed_from="2015-01-01", organization=BRANCH)


def _vote(reg: Registry, day: str, yes: int = 9) -> dict[str, object]:
    meeting = record_meeting(reg, organization=BRANCH, kind="支部党员大会", held_on=day, location="城南网点会议室")
    return {"meeting_id": meeting, "expected": 12, "present": 11, "voting_expected": 10, "voting_present": 9,
            "yes": yes, "no": 9 - yes, "abstain": 0}


def complete_record(reg: Registry) -> str:
    """Every step of the 细则 in order and on time, up to 转为正式党员; returns the ID number."""
    members(reg)
    add_person(reg, name="陈晓红", id_number=CANDIDATE, managed_from="2022-01-01", organization=BRANCH,
               ethnicity="汉族", education="大专", job="快递员", outlet="沙河网点", phone="13800138000")
    entered(reg, CANDIDATE, "2022-01-01")
    n = CANDIDATE
    advance_stage(reg, n, "入党申请人", "2022-03-01")
    record_step(reg, n, "application_talk", "2022-03-20", talker="张三")
    record_step(reg, n, "activist_recommendation", "2022-05-20", method="党员推荐")
    advance_stage(reg, n, "入党积极分子", "2022-06-01")
    record_step(reg, n, "activist_filing", "2022-06-10")
    record_step(reg, n, "contacts", "2022-06-01", persons="张三、李四")
    for day, text in (("2022-12-01", "工作积极，主动参加支部活动"), ("2023-06-01", "思想进步明显，群众评价好")):
        record_step(reg, n, "activist_review", day, conclusion=text)
    for day in ("2022-09-01", "2022-12-01", "2023-03-01", "2023-06-01"):
        record_step(reg, n, "thought_report", day)
    advance_stage(reg, n, "发展对象", "2023-06-20", introducers="王五、赵六")
    record_step(reg, n, "target_filing", "2023-06-25")
    record_step(reg, n, "introducers", "2023-06-20", persons="王五、赵六")
    record_step(reg, n, "political_review", "2023-07-10", conclusion="政治历史清白，现实表现好，政审合格")
    record_step(reg, n, "training", "2023-07-01", end_on="2023-07-03", hours=24, certificate="城南党校〔2023〕017号")
    record_step(reg, n, "target_publicity", "2023-07-17", end_on="2023-07-21")
    record_step(reg, n, "pre_review", "2023-08-01")
    record_step(reg, n, "application_form", "2023-08-05", number="0012345")
    advance_stage(reg, n, "预备党员", "2023-09-01", fields=_vote(reg, "2023-09-01"))
    record_step(reg, n, "committee_talk", "2023-09-10", talker="王五")
    record_step(reg, n, "admission_approval", "2023-10-15")
    record_step(reg, n, "oath", "2023-10-20")
    record_step(reg, n, "full_application", "2024-08-01")
    record_step(reg, n, "full_publicity", "2024-08-12", end_on="2024-08-16")
    record_step(reg, n, "full_meeting", fields_date := "2024-08-26", **_vote(reg, fields_date))
    record_step(reg, n, "full_approval", "2024-08-30")
    advance_stage(reg, n, "正式党员", "2024-09-01")
    return n


def flawed_record(reg: Registry) -> str:
    """A 预备党员 whose talk came late, whose 政审 is missing (skipped with a reason), whose admission vote fell
    below the threshold and whose approval came more than 3 months after the 支部大会; returns the ID number."""
    members(reg)
    add_person(reg, name="陈晓红", id_number=CANDIDATE, managed_from="2023-01-01", organization=BRANCH,
               ethnicity="汉族", education="大专", job="快递员", outlet="沙河网点")
    entered(reg, CANDIDATE, "2023-01-01")
    n = CANDIDATE
    advance_stage(reg, n, "入党申请人", "2023-03-01")
    record_step(reg, n, "application_talk", "2023-05-20", talker="张三")  # more than a month on
    record_step(reg, n, "activist_recommendation", "2023-05-20", method="群团推优")
    advance_stage(reg, n, "入党积极分子", "2023-06-01")
    record_step(reg, n, "activist_filing", "2023-06-10")
    record_step(reg, n, "contacts", "2023-06-01", persons="张三、李四")
    for day in ("2023-12-01", "2024-06-01"):
        record_step(reg, n, "activist_review", day, conclusion="表现良好")
    advance_stage(reg, n, "发展对象", "2024-06-20", introducers="王五、赵六")
    record_step(reg, n, "target_filing", "2024-06-25")
    record_step(reg, n, "introducers", "2024-06-20", persons="王五、赵六")
    record_step(reg, n, "training", "2024-07-01", end_on="2024-07-03", hours=24)
    record_step(reg, n, "target_publicity", "2024-07-08", end_on="2024-07-10")  # 3 working days
    record_step(reg, n, "pre_review", "2024-08-01")
    record_step(reg, n, "application_form", "2024-08-05", number="0012346")
    advance_stage(reg, n, "预备党员", "2024-09-01", fields=_vote(reg, "2024-09-01", yes=5),
                  override_reason="政审函调材料尚未寄回")
    record_step(reg, n, "committee_talk", "2024-09-10", talker="王五")
    record_step(reg, n, "admission_approval", "2025-01-15")  # more than 3 months after the meeting
    record_step(reg, n, "oath", "2025-01-20")
    return n


def member_since_2010(reg: Registry) -> str:
    """A 正式党员 admitted in 2009 who came under the registry in 2020: no step recorded."""
    add_person(reg, name="刘建国", id_number=MEMBER_2010, category="正式党员", joined_on="2009-07-01",
               full_on="2010-07-01", managed_from="2020-01-01", organization=BRANCH, job="网点负责人")
    return MEMBER_2010
