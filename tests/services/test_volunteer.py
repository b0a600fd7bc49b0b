"""Volunteer posts and claims, activities with many participants, points by dated rules, ranking and history."""

from __future__ import annotations

from pathlib import Path

import pytest

from registry.errors import UserError
from registry.services.people import add_person, edit_person
from registry.services.volunteer import (
    delete_activity,
    delete_record,
    edit_activity,
    edit_record,
    record_activity,
    record_service,
    set_rule,
)
from registry.services.volunteer_posts import (
    add_post,
    claim_post,
    delete_post,
    edit_post,
    list_claims,
    list_posts,
    release_claim,
)
from registry.services.volunteer_queries import get_activity, list_activities, person_history, ranking
from registry.storage.database import Registry
from tests.conftest import ID_MAN_1985, ID_MAN_2000, ID_WOMAN_1992

COURIER = "11010519491231002X"  # a 群众 courier who is no member


@pytest.fixture
def team(branch: Registry) -> Registry:
    add_person(branch, name="张三", id_number=ID_MAN_1985, category="正式党员", joined_on="2010-07",
               outlet="沙河网点", organization="城南快递联合党支部")
    add_person(branch, name="李四", id_number=ID_WOMAN_1992, category="预备党员", joined_on="2026-03-01",
               outlet="沙河网点")
    add_person(branch, name="王五", id_number=ID_MAN_2000, outlet="春熙路网点")
    add_person(branch, name="赵快递", id_number=COURIER, outlet="沙河网点")
    return branch


def _count(reg: Registry, table: str) -> int:
    return int(reg.scalar(f"SELECT count(*) FROM {table}"))


def _patrol(reg: Registry, day: str = "2026-10-10", **extra: object) -> int:
    return record_activity(reg, title="夜间平安巡查", kind="平安巡查", held_on=day, place="城南街道",
                           organization="城南快递联合党支部", default_hours=2,
                           participants=[(ID_MAN_1985, None), (ID_WOMAN_1992, 3), (COURIER, None)], **extra)


def test_posts_are_data_and_a_new_registry_writes_none(team: Registry) -> None:
    assert list_posts(team) == [] and _count(team, "volunteer_point_rules") == 0
    pid = add_post(team, name="城南平安巡查岗", kind="平安巡查员", organization="城南快递联合党支部", area="城南街道")
    add_post(team, name="沙河党员示范岗", kind="党员示范岗", outlet="沙河网点", brand="极兔速递")
    with pytest.raises(UserError, match="已有名为"):
        add_post(team, name="城南平安巡查岗", kind="文明宣传员")
    with pytest.raises(UserError, match="岗位类型"):
        add_post(team, name="空类型", kind=" ")
    rows = {r["name"]: r for r in list_posts(team)}
    assert rows["沙河党员示范岗"]["outlet"] == "沙河网点" and rows["城南平安巡查岗"]["organization"] == "城南快递联合党支部"
    assert edit_post(team, pid, name="城南平安巡查岗", kind="平安巡查员", area="城南街道") == {}


def test_claims_are_dated_several_posts_each_and_a_closed_post_takes_no_claim(team: Registry) -> None:
    a = add_post(team, name="城南平安巡查岗", kind="平安巡查员")
    b = add_post(team, name="文明宣传岗", kind="文明宣传员")
    claim_post(team, a, ID_MAN_1985, "2026-03-01")
    claim_post(team, b, ID_MAN_1985, "2026-04-01")  # one person, several posts
    claim_post(team, a, COURIER, "2026-05-01")  # a 群众 may volunteer
    with pytest.raises(UserError, match="不必重复认领"):
        claim_post(team, a, ID_MAN_1985, "2026-06-01")
    with pytest.raises(UserError, match="晚于今天"):
        claim_post(team, a, ID_MAN_2000, "2099-01-01")
    release_claim(team, a, COURIER, "2026-08-31")
    with pytest.raises(UserError, match="没有认领"):
        release_claim(team, a, COURIER, "2026-09-30")
    edit_post(team, a, closed_on="2026-10-31")  # closing ends the claims still held
    held = {c["name"]: c["until"] for c in list_claims(team, a)}
    assert held == {"张三": "2026-10-31", "赵快递": "2026-08-31"}
    with pytest.raises(UserError, match="已于2026年10月31日关闭"):
        claim_post(team, a, ID_MAN_2000, "2026-11-01")
    claim_post(team, a, ID_MAN_2000, "2026-09-01", until="2026-09-30")  # a past claim within its time is kept
    with pytest.raises(UserError, match="不能删除"):
        delete_post(team, a)
    edit_person(team, ID_WOMAN_1992, left_on="2026-06-30")
    with pytest.raises(UserError, match="离开"):
        claim_post(team, b, ID_WOMAN_1992, "2026-07-01")
    c = add_post(team, name="临时岗", kind="志愿服务队员")
    delete_post(team, c)
    assert [p["name"] for p in list_posts(team)] == ["文明宣传岗", "城南平安巡查岗"]  # open posts first


def test_an_activity_for_many_people_with_hours_each(team: Registry) -> None:
    activity = _patrol(team)
    a = get_activity(team, activity)
    hours = {p["name"]: p["hours"] for p in a["participants"]}
    assert hours == {"张三": 2, "李四": 3, "赵快递": 2} and a["organization"] == "城南快递联合党支部"
    assert {p["name"]: p["points"] for p in a["participants"]} == {"张三": 2, "李四": 3, "赵快递": 2}  # 1 an hour
    row = list_activities(team)[0]
    assert (row.participants, row.members, row.hours) == (3, 2, 7)
    assert [r.id for r in list_activities(team, org="示例区快递行业党委", kind="平安巡查")] == [activity]
    assert list_activities(team, start="2026-11-01") == []
    before = _count(team, "audit_log")
    with pytest.raises(UserError, match="填了两次"):
        record_activity(team, title="重复", kind="文明宣传", held_on="2026-10-11", default_hours=1,
                        participants=[(ID_MAN_1985, None), (ID_MAN_1985, 2)])
    with pytest.raises(UserError, match="晚于今天"):
        record_activity(team, title="未来", kind="文明宣传", held_on="2099-01-01", default_hours=1,
                        participants=[(ID_MAN_1985, None)])
    with pytest.raises(UserError, match="服务时长"):
        record_activity(team, title="无时长", kind="文明宣传", held_on="2026-10-11", participants=[(ID_MAN_1985, None)])
    with pytest.raises(UserError, match="不超过24小时"):
        record_activity(team, title="太长", kind="文明宣传", held_on="2026-10-11", participants=[(ID_MAN_1985, 30)])
    assert _count(team, "audit_log") == before  # a refused activity changes nothing


def test_edit_and_delete_are_audited_and_an_unchanged_save_writes_nothing(team: Registry) -> None:
    activity = _patrol(team)
    a = get_activity(team, activity)
    ops = _count(team, "operations")
    same = [(p["person_id"], p["hours"]) for p in a["participants"]]
    assert edit_activity(team, activity, title=a["title"], kind=a["kind"], held_on=a["held_on"], place=a["place"],
                         organization=a["organization"], default_hours=a["default_hours"], participants=same) == 0
    record = a["participants"][0]["record_id"]
    assert edit_record(team, record, hours=a["participants"][0]["hours"], adjustment=0) == {}
    assert _count(team, "operations") == ops
    edit_activity(team, activity, title="夜间平安巡查（城南）",
                  participants=[(ID_MAN_1985, 4), (ID_MAN_2000, None)])  # 李四 and 赵快递 removed, 王五 added
    a = get_activity(team, activity)
    assert {p["name"]: p["hours"] for p in a["participants"]} == {"张三": 4, "王五": 2}
    log = team.query("SELECT entity, op, field FROM audit_log WHERE operation_id = (SELECT max(id) FROM operations)")
    assert ("volunteer_activities", "update", "title") in {(r["entity"], r["op"], r["field"]) for r in log}
    assert sum(r["op"] == "delete" for r in log) == 2 and sum(r["op"] == "insert" for r in log) == 1
    wang = next(p for p in a["participants"] if p["name"] == "王五")
    delete_record(team, wang["record_id"])
    assert [p["name"] for p in get_activity(team, activity)["participants"]] == ["张三"]
    assert delete_activity(team, activity) == 1
    assert _count(team, "volunteer_activities") == _count(team, "volunteer_records") == 0
    assert team.scalar("SELECT count(*) FROM audit_log WHERE entity = 'volunteer_activities' AND op = 'delete'") == 1


def test_points_follow_the_rule_of_the_day_and_a_new_rule_never_rewrites_the_past(team: Registry) -> None:
    set_rule(team, "2025-01-01", per_hour=10, by_type={"平安巡查": 5})
    last_year = _patrol(team, "2025-10-10")
    set_rule(team, "2026-01-01", per_hour=20, per_activity=3)
    this_year = _patrol(team, "2026-10-10")
    old = {p["name"]: p["points"] for p in get_activity(team, last_year)["participants"]}
    new = {p["name"]: p["points"] for p in get_activity(team, this_year)["participants"]}
    assert old == {"张三": 25, "李四": 35, "赵快递": 25}
    assert new == {"张三": 43, "李四": 63, "赵快递": 43}
    set_rule(team, "2025-01-01", per_hour=1)  # the 2025 version corrected afterwards
    assert {p["name"]: p["points"] for p in get_activity(team, last_year)["participants"]} == old
    rule = get_activity(team, last_year)["participants"][0]["points_rule"]
    assert rule.startswith("2025年1月1日起：每小时10分")  # which rule gave them is kept with the points
    # Edited hours are scored by the rule in force now for that day; an adjustment needs its reason.
    zhang = next(p for p in get_activity(team, last_year)["participants"] if p["name"] == "张三")
    with pytest.raises(UserError, match="原因"):
        edit_record(team, zhang["record_id"], adjustment=10)
    edit_record(team, zhang["record_id"], adjustment=10, reason="冒雨巡查，支部决定加分")
    edit_record(team, zhang["record_id"], hours=3)
    after = team.query("SELECT points, adjustment, adjustment_reason FROM volunteer_records WHERE id = ?",
                       (zhang["record_id"],))[0]
    assert after == {"points": 13.0, "adjustment": 10.0, "adjustment_reason": "冒雨巡查，支部决定加分"}
    with pytest.raises(UserError, match="小于0"):
        edit_record(team, zhang["record_id"], adjustment=-50, reason="扣分")
    with pytest.raises(UserError, match="负数"):
        set_rule(team, "2027-01-01", per_hour=-1)


def test_the_old_one_person_form_is_a_one_person_activity(team: Registry) -> None:
    rid = record_service(team, ID_MAN_1985, post="平安巡查员", served_on="2026-09-02", hours=40, points=30, role="队长")
    row = team.query("SELECT * FROM volunteer_records WHERE id = ?", (rid,))[0]
    assert (row["hours"], row["points"], row["points_rule"], row["role"]) == (40, 30, None, "队长")  # typed points
    activity = get_activity(team, row["activity_id"])
    assert activity["title"] == "平安巡查员" and [p["name"] for p in activity["participants"]] == ["张三"]
    record_service(team, COURIER, post="文明宣传员", served_on="2026-09-03", hours=2)
    assert team.scalar("SELECT points FROM volunteer_records WHERE person_id = (SELECT id FROM people WHERE name = '赵快递')") == 2


def test_ranking_by_period_branch_and_members_only_and_a_persons_history(team: Registry) -> None:
    _patrol(team, "2026-10-10")
    record_activity(team, title="文明交通劝导", kind="文明宣传", held_on="2026-09-20", default_hours=5,
                    participants=[(COURIER, None), (ID_MAN_2000, 1)])
    october = ranking(team, "2026-10-01", "2026-10-31")
    assert [(r.rank, r.name) for r in october] == [(1, "李四"), (2, "张三"), (2, "赵快递")]  # equal points share a place
    assert [r.member for r in october] == ["党员", "党员", "群众及其他"]
    assert [r.name for r in ranking(team, "2026-10-01", "2026-10-31", members_only=True)] == ["李四", "张三"]
    everyone = ranking(team)
    assert everyone[0].name == "赵快递" and everyone[0].hours == 7 and everyone[0].activities == 2
    assert [r.name for r in ranking(team, org="城南快递联合党支部")] == ["赵快递", "李四", "张三"]  # 王五 is at 春熙路
    assert [r.name for r in ranking(team, limit=1)] == ["赵快递"]
    post = add_post(team, name="城南平安巡查岗", kind="平安巡查员")
    claim_post(team, post, COURIER, "2026-06-01")
    h = person_history(team, COURIER)
    assert (h["activities"], h["hours"], h["points"]) == (2, 7, 7)
    assert [r["title"] for r in h["records"]] == ["夜间平安巡查", "文明交通劝导"]
    assert [(p["post"], p["since"], p["until"]) for p in h["posts"]] == [("城南平安巡查岗", "2026-06-01", None)]


def test_deleting_a_person_takes_their_claims_with_an_audit_row(team: Registry) -> None:
    from registry.services.people import delete_person

    post = add_post(team, name="城南平安巡查岗", kind="平安巡查员")
    claim_post(team, post, COURIER, "2026-06-01")
    delete_person(team, COURIER)
    assert _count(team, "volunteer_claims") == 0
    assert team.scalar("SELECT count(*) FROM audit_log WHERE entity = 'volunteer_claims' AND op = 'delete'") == 1


def test_older_records_become_one_person_activities_on_upgrade(tmp_path: Path) -> None:
    import sqlite3

    from registry.storage.migrations import MIGRATIONS

    db = tmp_path / "old.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE migrations (name TEXT PRIMARY KEY, applied_at TEXT NOT NULL)")
    for name, step in MIGRATIONS[:3]:
        step(conn)
        conn.execute("INSERT INTO migrations VALUES (?, '2026-01-01')", (name,))
    conn.execute("INSERT INTO people (id, id_number, name, category, created_at, updated_at)"
                 f" VALUES (1, '{ID_MAN_1985}', '张三', '正式党员', '2026', '2026')")
    conn.execute("INSERT INTO volunteer_records (person_id, post, served_on, hours, points)"
                 " VALUES (1, '平安巡查员', '2026-05-01', 3, 30)")
    conn.commit()
    conn.close()
    with Registry(db) as reg:
        record = reg.query("SELECT * FROM volunteer_records")[0]
        assert (record["points"], record["points_rule"], record["adjustment"]) == (30, None, 0)
        a = get_activity(reg, record["activity_id"])
        assert (a["title"], a["held_on"], [p["name"] for p in a["participants"]]) == ("平安巡查员", "2026-05-01", ["张三"])


def test_the_log_names_posts_people_and_columns_in_chinese(team: Registry) -> None:
    from registry.services.history import history, reference_names
    from registry.services.history_text import history_line

    post = add_post(team, name="城南平安巡查岗", kind="平安巡查员")
    claim_post(team, post, COURIER, "2026-06-01")
    _patrol(team, post=str(post))
    names = reference_names(team)
    lines = [" ".join(history_line(r, names).cells()) for r in history(team, limit=None)
             if r["entity"].startswith("volunteer_")]
    claim = next(line for line in lines if "认领日期" in line)
    assert "岗位：城南平安巡查岗" in claim and "人员：赵快递" in claim
    assert not any(key in " ".join(lines) for key in ("post_id", "activity_id", "points_rule", "held_on"))
