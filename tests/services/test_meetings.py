"""Meetings: who may attend on the day (dated membership), the roll call, planned vs held, edit/delete audited."""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from registry.errors import UserError
from registry.services.meeting_attachments import CHANGED, FOUND, MOVED
from registry.services.meetings import (
    Attendee,
    add_meeting,
    delete_meeting,
    edit_meeting,
    get_meeting,
    list_meetings,
    roll_call,
)
from registry.services.party_groups import add_group, assign
from registry.services.people import add_person, edit_person
from registry.storage.database import Registry
from tests.conftest import ID_MAN_1985, ID_MAN_2000, ID_WOMAN_1992

TODAY = datetime.date(2026, 12, 1)
SOUTH = "城南快递联合党支部"
# More valid numbers (GB 11643 check characters): the one who left in October, another branch's member, a 流入.
ID_LEFT = "11010519491231002X"
ID_OTHER = "440524188001010014"
ID_INFLOW = "110101199003070011"


def _valid(number: str) -> str:
    from registry.rules.idnumber import check_id

    assert check_id(number).ok, number
    return number


@pytest.fixture
def south(branch: Registry) -> Registry:
    common = {"organization": SOUTH, "managed_from": "2020-01-01"}
    add_person(branch, name="张三", id_number=ID_MAN_1985, category="正式党员", joined_on="2010-07-01",
               full_on="2011-07-01", **common)
    add_person(branch, name="李四", id_number=ID_WOMAN_1992, category="预备党员", joined_on="2026-03-01", **common)
    add_person(branch, name="王五", id_number=ID_MAN_2000, category="群众", **common)
    add_person(branch, name="赵六", id_number=_valid(ID_LEFT), category="正式党员", joined_on="1990-07-01",
               full_on="1991-07-01", **common)
    edit_person(branch, ID_LEFT, left_on="2026-10-15", left_how="离开本单位")
    add_person(branch, name="孙七", id_number=_valid(ID_OTHER), category="正式党员", joined_on="2000-07-01",
               full_on="2001-07-01", organization="流动党员党支部", managed_from="2020-01-01")
    add_person(branch, name="周八", id_number=_valid(ID_INFLOW), category="正式党员", joined_on="2012-07-01",
               full_on="2013-07-01", relation="流入", home_organization="四川省南充市某村党支部", **common)
    return branch


def audit_rows(reg: Registry) -> int:
    return int(reg.scalar("SELECT count(*) FROM audit_log"))


def test_a_held_meeting_cannot_be_in_the_future_a_planned_one_can(south: Registry) -> None:
    with pytest.raises(UserError, match="还没有到.*计划"):
        add_meeting(south, organization=SOUTH, kind="支部党员大会", held_on="2027-03-10", today=TODAY)
    assert list_meetings(south) == []
    saved = add_meeting(south, organization=SOUTH, kind="支部党员大会", held_on="2027-03-10", status="计划", today=TODAY)
    assert saved.message.startswith("已保存：2027年3月10日") and "（计划）" in saved.message
    with pytest.raises(UserError, match="计划召开的会议还没有出席情况"):
        add_meeting(south, organization=SOUTH, kind="党课", held_on="2027-03-10", status="计划", today=TODAY,
                    attendance=[Attendee(ID_MAN_1985)])
    # It becomes held by an edit once the day has come, taking the roll call.
    with pytest.raises(UserError, match="还没有到"):
        edit_meeting(south, saved.meeting_id, status="已召开", today=TODAY)
    later = datetime.date(2027, 3, 11)
    people = [Attendee(r["person_id"]) for r in roll_call(south, SOUTH, "2027-03-10")]
    held = edit_meeting(south, saved.meeting_id, status="已召开", attendance=people, today=later)
    assert "（已召开），应到3人，实到3人" in held.message
    assert get_meeting(south, saved.meeting_id)["status"] == "已召开"


def test_the_roll_call_is_the_branch_on_the_day(south: Registry) -> None:
    november = {r["name"] for r in roll_call(south, SOUTH, "2026-11-05")}
    assert november == {"张三", "李四", "周八"}  # the flowing-in member managed here too; no 群众, no one who left
    assert {r["name"] for r in roll_call(south, SOUTH, "2026-09-05")} == {"张三", "李四", "周八", "赵六"}
    assert {r["name"] for r in roll_call(south, SOUTH, "2026-02-05")} == {"张三", "周八", "赵六"}  # 李四 from March
    assert all(r["status"] == "出席" for r in roll_call(south, SOUTH, "2026-11-05"))


@pytest.mark.parametrize(("number", "why"), [
    (ID_MAN_2000, "王五在会议当日是群众"),
    (ID_LEFT, "赵六已于2026年10月15日离开"),
    (ID_OTHER, "孙七是流动党员党支部的党员"),
])
def test_a_non_member_is_refused_unless_a_reason_is_given(south: Registry, number: str, why: str) -> None:
    people = [Attendee(ID_MAN_1985), Attendee(number)]
    with pytest.raises(UserError, match=why) as refused:
        add_meeting(south, organization=SOUTH, kind="支部党员大会", held_on="2026-11-05", attendance=people, today=TODAY)
    assert "--override-reason" in refused.value.message
    assert list_meetings(south) == []
    saved = add_meeting(south, organization=SOUTH, kind="支部党员大会", held_on="2026-11-05", attendance=people,
                        today=TODAY, override_reason="上级党委指派列席")
    rows = {a["name"]: a["override_reason"] for a in get_meeting(south, saved.meeting_id)["attendance"]}
    assert rows == {"张三": None, why[:2]: "上级党委指派列席"}  # kept only on the row that needed it


def test_who_left_in_october_attended_in_september(south: Registry) -> None:
    saved = add_meeting(south, organization=SOUTH, kind="主题党日", held_on="2026-09-20",
                        attendance=[Attendee(ID_LEFT), Attendee(ID_MAN_1985, "请假", "外出派件")], today=TODAY)
    m = get_meeting(south, saved.meeting_id)
    assert (m["invited"], m["present"], m["leave"]) == (2, 1, 1)
    assert [a["reason"] for a in m["attendance"] if a["status"] == "请假"] == ["外出派件"]
    # Moving the meeting to November checks the stored attendance again.
    with pytest.raises(UserError, match="赵六已于2026年10月15日离开"):
        edit_meeting(south, saved.meeting_id, held_on="2026-11-20", today=TODAY)


def test_an_unchanged_save_writes_nothing_and_each_change_is_audited(south: Registry) -> None:
    people = [Attendee(r["person_id"]) for r in roll_call(south, SOUTH, "2026-11-05")]
    saved = add_meeting(south, organization=SOUTH, kind="主题党日", held_on="2026-11-05", topic="学习", attendance=people,
                        today=TODAY)
    before = audit_rows(south)
    again = edit_meeting(south, saved.meeting_id, topic="学习", attendance=people, today=TODAY)
    assert not again.changed and again.message == "没有修改任何内容。" and audit_rows(south) == before
    assert not edit_meeting(south, saved.meeting_id, today=TODAY).changed and audit_rows(south) == before
    marked = [Attendee(p.person, "缺席", "未请假") if p.person == people[0].person else p for p in people]
    done = edit_meeting(south, saved.meeting_id, topic="学习党章", attendance=marked, today=TODAY)
    assert done.changed and "缺席1人" in done.message
    rows = south.query("SELECT entity, field, old, new FROM audit_log WHERE id > ? ORDER BY id", (before,))
    assert ("meetings", "topic", "学习", "学习党章") in [tuple(r.values()) for r in rows]
    assert {(r["field"], r["new"]) for r in rows if r["entity"] == "meeting_attendance"} == {("status", "缺席"),
                                                                                             ("reason", "未请假")}


def test_delete_is_audited_with_its_attendance_and_unlinks_steps(south: Registry) -> None:
    people = [Attendee(r["person_id"]) for r in roll_call(south, SOUTH, "2026-11-05")]
    saved = add_meeting(south, organization=SOUTH, kind="支部党员大会", held_on="2026-11-05", attendance=people,
                        today=TODAY)
    with south.transaction("test.step") as tx:
        step = tx.insert("development_steps", {"person_id": people[1].person, "step": "admission_meeting",
                                               "on_date": "2026-11-05", "meeting_id": saved.meeting_id,
                                               "recorded_at": "2026-11-05T10:00:00"})
    before = audit_rows(south)
    sentence = delete_meeting(south, saved.meeting_id)
    assert sentence.startswith("已删除：城南快递联合党支部2026年11月5日支部党员大会") and "引用" in sentence
    assert south.scalar("SELECT meeting_id FROM development_steps WHERE id = ?", (step,)) is None
    assert south.scalar("SELECT count(*) FROM meeting_attendance") == 0
    deleted = south.query("SELECT entity, op FROM audit_log WHERE id > ?", (before,))
    assert sum(r["entity"] == "meeting_attendance" and r["op"] == "delete" for r in deleted) == len(people)
    assert {"meetings", "development_steps"} <= {r["entity"] for r in deleted}


def test_group_meetings_belong_to_a_group_and_call_its_members(south: Registry) -> None:
    with pytest.raises(UserError, match="哪个党小组"):
        add_meeting(south, organization=SOUTH, kind="党小组会", held_on="2026-11-05", today=TODAY)
    add_group(south, SOUTH, "第一党小组", leader=ID_MAN_1985, since="2026-01-01")
    assign(south, SOUTH, "第一党小组", [ID_MAN_1985, ID_INFLOW], since="2026-01-01")
    assert {r["name"] for r in roll_call(south, SOUTH, "2026-11-05", "第一党小组")} == {"张三", "周八"}
    saved = add_meeting(south, organization=SOUTH, kind="党小组会", held_on="2026-11-05", group="第一党小组",
                        today=TODAY)
    assert list_meetings(south)[0]["group"] == "第一党小组"
    with pytest.raises(UserError, match="只有党小组会"):
        edit_meeting(south, saved.meeting_id, kind="党课", group="第一党小组", today=TODAY)
    edit_meeting(south, saved.meeting_id, kind="党课", today=TODAY)  # no longer the group's
    assert get_meeting(south, saved.meeting_id)["group"] is None


def test_democratic_review_grades(south: Registry) -> None:
    people = [Attendee(ID_MAN_1985, grade="优秀"), Attendee(ID_WOMAN_1992, grade="合格")]
    saved = add_meeting(south, organization=SOUTH, kind="民主评议党员", held_on="2026-11-28", attendance=people,
                        today=TODAY)
    assert {a["name"]: a["grade"] for a in get_meeting(south, saved.meeting_id)["attendance"]} == {"张三": "优秀",
                                                                                                  "李四": "合格"}
    with pytest.raises(UserError, match="评议等次“良好”不正确"):
        edit_meeting(south, saved.meeting_id, attendance=[Attendee(ID_MAN_1985, grade="良好")], today=TODAY)
    with pytest.raises(UserError, match="只用于民主评议党员"):
        add_meeting(south, organization=SOUTH, kind="党课", held_on="2026-11-28", attendance=people, today=TODAY)


def test_attachments_are_kept_by_reference(south: Registry, tmp_path: Path) -> None:
    photo = tmp_path / "签到表.jpg"
    photo.write_bytes(b"sign-in sheet")
    saved = add_meeting(south, organization=SOUTH, kind="主题党日", held_on="2026-11-05", attachments=[str(photo)],
                        today=TODAY)
    [a] = get_meeting(south, saved.meeting_id)["attachments"]
    assert (a["name"], a["size"], a["state"]) == ("签到表.jpg", 13, FOUND) and len(a["sha256"]) == 64
    before = audit_rows(south)
    assert not edit_meeting(south, saved.meeting_id, attachments=[a["path"]], today=TODAY).changed
    assert audit_rows(south) == before
    photo.write_bytes(b"another sheet")
    assert get_meeting(south, saved.meeting_id)["attachments"][0]["state"] == CHANGED
    photo.unlink()
    assert get_meeting(south, saved.meeting_id)["attachments"][0]["state"] == MOVED
    with pytest.raises(UserError, match="找不到附件文件"):
        edit_meeting(south, saved.meeting_id, attachments=[a["path"], str(tmp_path / "无.jpg")], today=TODAY)
    assert edit_meeting(south, saved.meeting_id, attachments=[], today=TODAY).changed
    assert get_meeting(south, saved.meeting_id)["attachments"] == []


def test_list_filters(south: Registry) -> None:
    for kind, day, status in (("主题党日", "2026-10-08", "已召开"), ("党课", "2026-11-08", "已召开"),
                              ("支部党员大会", "2026-12-20", "计划")):
        add_meeting(south, organization=SOUTH, kind=kind, held_on=day, status=status, today=TODAY)
    add_meeting(south, organization="流动党员党支部", kind="主题党日", held_on="2026-11-08", today=TODAY)
    assert [m["kind"] for m in list_meetings(south, kind="主题党日")] == ["主题党日", "主题党日"]
    assert [m["held_on"] for m in list_meetings(south, start="2026-11-01", end="2026-11-30")] == ["2026-11-08"] * 2
    assert [m["kind"] for m in list_meetings(south, status="计划")] == ["支部党员大会"]
    south_id = south.scalar("SELECT id FROM organizations WHERE name = ?", (SOUTH,))
    assert len(list_meetings(south, [south_id])) == 3


def test_a_group_saved_from_the_window_is_one_transaction_from_the_day_given(south: Registry) -> None:
    from registry.services.party_groups import group_member_ids, save_group

    group_id = add_group(south, SOUTH, "第一党小组", since="2026-01-01")
    assign(south, SOUTH, "第一党小组", [ID_MAN_1985], since="2026-01-01")
    zhang, li = (south.scalar("SELECT id FROM people WHERE id_number = ?", (n,)) for n in (ID_MAN_1985, ID_WOMAN_1992))
    before = audit_rows(south)
    with pytest.raises(UserError, match="成员变动日期"):
        save_group(south, SOUTH, "第一党小组", leader=ID_WOMAN_1992, since="2026-01-01", join=[li], leave=[zhang],
                   on="2026-02-30")
    assert audit_rows(south) == before  # the leader is not changed either: all or nothing
    assert save_group(south, SOUTH, "第一党小组", leader=None, since="2026-01-01") == "已保存第一党小组：1名成员。"
    assert audit_rows(south) == before  # the same again writes nothing
    said = save_group(south, SOUTH, "第一党小组", leader=ID_WOMAN_1992, since="2026-01-01", join=[li], leave=[zhang],
                      on="2026-06-01")
    assert said == "已保存第一党小组：1名成员（2026年6月1日起编入1人；调出1人）。"
    assert group_member_ids(south, group_id, "2026-05-31") == {zhang} and group_member_ids(south, group_id, "2026-06-01") == {li}
    assert south.scalar("SELECT count(DISTINCT operation_id) FROM audit_log WHERE id > ?",
                        (south.scalar("SELECT max(id) FROM audit_log") - (audit_rows(south) - before),)) == 1
