"""Care stations: validation, duplicates, edits that change nothing, deletes, visitors and 报到 at a point."""

from __future__ import annotations

import pytest

from registry.errors import UserError
from registry.services import care_lists, stations
from registry.services.flowing import register_report
from registry.services.history import history
from registry.services.people import add_person, find_person
from registry.storage.database import Registry
from tests.conftest import ID_MAN_1985, ID_WOMAN_1992


def _ops(reg: Registry) -> int:
    return int(reg.conn.execute("SELECT count(*) FROM audit_log").fetchone()[0])


def _point(reg: Registry, **extra: object) -> int:
    fields = {"name": "白石洲暖蜂驿站", "type": "暖蜂驿站", "street": "沙河街道", "community": "白石洲社区",
              "services": "饮水、充电、党员报到处", "phone": "138 0013 8000", **extra}
    return stations.add_station(reg, **fields)


def test_a_station_is_stored_clean(reg: Registry) -> None:
    sid = _point(reg, contact="王　站长", opened_on="2025.3")
    [row] = stations.list_stations(reg)
    assert row["id"] == sid and row["phone"] == "13800138000" and row["contact"] == "王站长"
    assert row["services"] == ["饮水", "充电", "党员报到处"] and row["opened_on"] == "2025-03"
    assert stations.find_station(reg, "白石洲暖蜂驿站", "白石洲")["community_key"] == "白石洲"


@pytest.mark.parametrize(("fields", "words"), [
    ({"type": "外星驿站"}, "不在类型列表中"),
    ({"type": "暖蜂驿站", "class": "一类"}, "不分一类"),
    ({"type": "江城蜂巢", "class": "五类"}, "看不懂"),
    ({"type": "暖蜂驿站", "services": "饮水、按摩"}, "按摩"),
    ({"type": "暖蜂驿站", "phone": "12345"}, "12345"),
    ({"type": "暖蜂驿站", "opened_on": "2026-05-01", "closed_on": "2026-01-01"}, "早于启用日期"),
    ({"type": ""}, "请选择驿站类型"),
])
def test_bad_values_are_refused_with_a_sentence(reg: Registry, fields: dict[str, str], words: str) -> None:
    before = _ops(reg)
    with pytest.raises(UserError) as caught:
        stations.add_station(reg, name="某驿站", **fields)
    assert words in caught.value.message
    assert _ops(reg) == before and stations.list_stations(reg) == []


def test_class_is_kept_for_a_type_that_uses_it(reg: Registry) -> None:
    stations.add_station(reg, name="武车江城蜂巢", type="江城蜂巢", **{"class": "3类"}, community="武车社区")
    assert stations.list_stations(reg)[0]["class_"] == "三类"


def test_same_name_in_the_same_community_is_refused(reg: Registry) -> None:
    _point(reg)
    with pytest.raises(UserError, match="已有名为“白石洲暖蜂驿站”的驿站"):
        stations.add_station(reg, name="白石洲暖蜂驿站 ", type="红色之家", community="白石洲")  # 社区 spelt shorter
    stations.add_station(reg, name="白石洲暖蜂驿站", type="暖蜂驿站", community="华侨城社区")  # another 社区: fine
    with pytest.raises(UserError, match="请同时注明社区"):
        stations.require_station(reg, "白石洲暖蜂驿站")
    with pytest.raises(UserError, match="已有名为"):
        stations.edit_station(reg, "白石洲暖蜂驿站", "华侨城", community="白石洲社区")


def test_an_unchanged_save_writes_nothing(reg: Registry) -> None:
    _point(reg, contact="王站长", opened_on="2025-03-01")
    current = stations.find_station(reg, "白石洲暖蜂驿站")
    before, ops = _ops(reg), reg.conn.execute("SELECT count(*) FROM operations").fetchone()[0]
    diff = stations.edit_station(reg, current["id"], None, **{k: current[k] for k in stations.STATION_FIELDS},)
    assert diff == {}
    assert stations.edit_station(reg, current["id"], None, services=["饮水", "充电", "党员报到处"]) == {}
    assert _ops(reg) == before and reg.conn.execute("SELECT count(*) FROM operations").fetchone()[0] == ops
    assert stations.find_station(reg, current["id"]) == current


def test_an_edit_is_audited(reg: Registry) -> None:
    sid = _point(reg)
    diff = stations.edit_station(reg, sid, None, opening_hours="8:00-22:00", services="饮水、党员报到处")
    assert set(diff) == {"opening_hours", "services"}
    fields = {r["field"] for r in history(reg, entity="care_stations", entity_id=sid) if r["op"] == "update"}
    assert fields == {"opening_hours", "services"}


def test_types_and_services_are_lists_a_user_extends(reg: Registry) -> None:
    assert reg.conn.execute("SELECT count(*) FROM care_types").fetchone()[0] == 0  # defaults are not written
    assert "江城蜂巢" in [t.name for t in stations.station_types(reg)]
    with pytest.raises(UserError, match="已在列表中"):
        stations.add_station_type(reg, "暖蜂驿站")
    stations.add_station_type(reg, "小哥加油站", uses_class=True)
    stations.add_station_service(reg, "共享雨伞")
    stations.add_station(reg, name="加油站一号", type="小哥加油站", **{"class": "二类"}, services="共享雨伞")
    assert stations.list_stations(reg, service="共享雨伞")[0]["class_"] == "二类"
    assert {r["entity"] for r in history(reg)} >= {"care_types", "care_services"}


def test_visits_per_month(reg: Registry) -> None:
    _point(reg)
    assert stations.set_visits(reg, "白石洲暖蜂驿站", "2026年11月", 320)
    assert not stations.set_visits(reg, "白石洲暖蜂驿站", "2026-11", "320")  # the same: nothing written
    assert stations.set_visits(reg, "白石洲暖蜂驿站", "2026.11", 300)
    assert stations.list_visits(reg, "白石洲暖蜂驿站") == [{"month": "2026-11", "count": 300}]
    for bad in ("2026-13", "下个月"):
        with pytest.raises(UserError, match="月份"):
            stations.set_visits(reg, "白石洲暖蜂驿站", bad, 1)
    with pytest.raises(UserError, match="不能小于0"):
        stations.set_visits(reg, "白石洲暖蜂驿站", "2026-10", -5)


def _flowing(reg: Registry, id_number: str = ID_MAN_1985) -> int:
    return add_person(reg, name="张三", id_number=id_number, category="正式党员", joined_on="2010-07",
                      managed_from="2026-01-01")


def test_a_flowing_member_reports_at_a_point(reg: Registry) -> None:
    sid = _point(reg)
    _flowing(reg)
    register_report(reg, ID_MAN_1985, home_organization="四川省南充市某村党支部", reported_on="2026-11-02",
                    station="白石洲暖蜂驿站")
    person = find_person(reg, ID_MAN_1985)
    assert (person["report_station_id"], person["report_point"], person["reported_on"]) == (
        sid, "白石洲暖蜂驿站", "2026-11-02")
    assert stations.list_stations(reg)[0]["reported"] == 1
    summary = reg.conn.execute("SELECT summary FROM operations ORDER BY id DESC").fetchone()[0]
    assert "报到点：白石洲暖蜂驿站" in summary


def test_a_station_without_the_service_is_not_a_report_point(reg: Registry) -> None:
    stations.add_station(reg, name="南桥爱心驿站", type="爱心驿站", services="饮水、休息")
    _flowing(reg)
    before = find_person(reg, ID_MAN_1985)
    with pytest.raises(UserError, match="没有“党员报到处”服务"):
        register_report(reg, ID_MAN_1985, home_organization="某村党支部", reported_on="2026-11-02",
                        station="南桥爱心驿站")
    assert find_person(reg, ID_MAN_1985) == before  # nothing of the 报到 was written either
    with pytest.raises(UserError, match="找不到驿站"):
        register_report(reg, ID_MAN_1985, home_organization="某村党支部", reported_on="2026-11-02", station="无此站")


def test_renaming_a_point_renames_it_in_the_report_records(reg: Registry) -> None:
    sid = _point(reg)
    _flowing(reg)
    register_report(reg, ID_MAN_1985, home_organization="某村党支部", reported_on="2026-11-02", station=sid)
    stations.edit_station(reg, sid, None, name="白石洲暖蜂驿站（一号）")
    assert find_person(reg, ID_MAN_1985)["report_point"] == "白石洲暖蜂驿站（一号）"


def test_deleting_a_point_keeps_the_reports(reg: Registry) -> None:
    sid = _point(reg)
    _flowing(reg)
    _flowing(reg, ID_WOMAN_1992)
    for key in (ID_MAN_1985, ID_WOMAN_1992):
        register_report(reg, key, home_organization="某村党支部", reported_on="2026-11-02", station=sid)
    stations.set_visits(reg, sid, "2026-11", 40)
    care_lists.add_merchant(reg, name="白石洲便利店", community="白石洲社区", station="白石洲暖蜂驿站")
    done = stations.delete_station(reg, sid)
    assert (done.visits, done.reported, done.merchants) == (1, 2, 1)
    assert "报到记录保留" in done.sentence("白石洲暖蜂驿站")
    person = find_person(reg, ID_MAN_1985)
    assert (person["report_station_id"], person["report_point"], person["reported_on"], person["flowing"]) == (
        None, "白石洲暖蜂驿站", "2026-11-02", 1)
    assert reg.conn.execute("SELECT count(*) FROM care_visits").fetchone()[0] == 0
    assert care_lists.list_merchants(reg)[0]["station"] is None
    deleted = {r["entity"] for r in history(reg) if r["op"] == "delete"}
    assert deleted == {"care_stations", "care_visits"}  # each removal has its audit row


def test_merchants_and_care_streets(reg: Registry) -> None:
    _point(reg)
    care_lists.add_care_street(reg, name="沙河暖蜂一条街", district="南山区", street="沙河街道")
    with pytest.raises(UserError, match="不能重复添加"):
        care_lists.add_care_street(reg, name="沙河暖蜂一条街", street="沙河")
    care_lists.add_merchant(reg, name="暖蜂超市", street="沙河街道", community="白石洲社区", offers="免费热水",
                            care_street="沙河暖蜂一条街", phone="0755-2666 8888")
    with pytest.raises(UserError, match="已有暖蜂商户"):
        care_lists.add_merchant(reg, name="暖蜂超市", community="白石洲")
    with pytest.raises(UserError, match="找不到驿站"):
        care_lists.add_merchant(reg, name="另一家", station="不存在的驿站")
    [m] = care_lists.list_merchants(reg)
    assert (m["care_street"], m["phone"]) == ("沙河暖蜂一条街", "0755-26668888")
    before = _ops(reg)
    assert care_lists.edit_merchant(reg, "暖蜂超市", None, offers="免费热水", care_street="沙河暖蜂一条街") == {}
    assert care_lists.edit_care_street(reg, "沙河暖蜂一条街", street="沙河街道") == {}
    assert _ops(reg) == before
    assert care_lists.list_care_streets(reg)[0]["merchants"] == 1
    assert care_lists.delete_care_street(reg, "沙河暖蜂一条街") == 1
    assert care_lists.list_merchants(reg)[0]["care_street"] is None
    care_lists.delete_merchant(reg, "暖蜂超市")
    assert care_lists.list_merchants(reg) == []


def test_a_type_the_user_added_can_be_renamed_with_its_stations_or_deleted_when_unused(reg: Registry) -> None:
    stations.add_station_type(reg, "小哥加由站", uses_class=True)  # a typo
    sid = stations.add_station(reg, name="加油站一号", type="小哥加由站", **{"class": "二类"})
    for bad, message in (("暖蜂驿站", "预置的驿站类型"), ("没有的类型", "没有名为")):
        with pytest.raises(UserError, match=message):
            stations.rename_station_type(reg, bad, "新名称")
    with pytest.raises(UserError, match="已在列表中"):
        stations.rename_station_type(reg, "小哥加由站", "江城蜂巢")
    with pytest.raises(UserError, match="有1个驿站是“小哥加由站”（如加油站一号）"):
        stations.delete_station_type(reg, "小哥加由站")
    audited = reg.scalar("SELECT count(*) FROM audit_log")
    assert stations.rename_station_type(reg, "小哥加由站", "小哥加由站") == 0  # the same name: nothing written
    assert reg.scalar("SELECT count(*) FROM audit_log") == audited
    assert stations.rename_station_type(reg, "小哥加由站", "小哥加油站") == 1
    assert reg.scalar("SELECT type FROM care_stations WHERE id = ?", (sid,)) == "小哥加油站"
    assert [t.name for t in stations.station_types(reg) if not t.default] == ["小哥加油站"]
    ops = reg.conn.execute("SELECT DISTINCT operation_id FROM audit_log WHERE id > ?",
                           (reg.scalar("SELECT max(id) FROM audit_log") - 2,)).fetchall()
    assert len(ops) == 1  # the type and its station in one operation
    stations.add_station_type(reg, "临时类型")
    stations.delete_station_type(reg, "临时类型")
    assert "临时类型" not in [t.name for t in stations.station_types(reg)]
    assert reg.scalar("SELECT count(*) FROM audit_log WHERE entity = 'care_types' AND op = 'delete'") == 1
