"""Flowing members' 报到, transfers, meetings with attendance and volunteer service."""

from __future__ import annotations

import pytest

from registry.errors import UserError
from registry.services.activities import list_meetings, record_meeting, record_service, volunteer_totals
from registry.services.flowing import list_transfers, register_report, transfer_in, transfer_out
from registry.services.people import add_person, get_person
from registry.services.transfers import record_receipt
from registry.storage.database import Registry
from tests.conftest import ID_MAN_1985, ID_MAN_2000, ID_WOMAN_1992


@pytest.fixture
def members(branch: Registry) -> Registry:
    add_person(branch, name="张三", id_number=ID_MAN_1985, category="正式党员", joined_on="2010-07",
               outlet="沙河网点", organization="城南快递联合党支部")
    add_person(branch, name="李四", id_number=ID_WOMAN_1992, category="正式党员", joined_on="2015-07-01",
               outlet="春熙路网点")
    add_person(branch, name="王五", id_number=ID_MAN_2000, outlet="春熙路网点")
    return branch


def test_report_makes_a_flowing_member(members: Registry) -> None:
    register_report(members, ID_WOMAN_1992, home_organization="四川省南充市顺庆区新建村党支部",
                    reported_on="2025-03-18", certificate_no="LD001", organization="流动党员党支部")
    p = get_person(members, ID_WOMAN_1992)
    assert p["flowing"] == 1 and p["organization"] == "流动党员党支部" and p["reported_on"] == "2025-03-18"
    with pytest.raises(UserError, match="只有党员"):
        register_report(members, ID_MAN_2000, home_organization="某村党支部", reported_on="2025-03-18")


def test_transfer_in_then_out(members: Registry) -> None:
    register_report(members, ID_WOMAN_1992, home_organization="四川省南充市顺庆区新建村党支部", reported_on="2025-03")
    transfer_in(members, ID_WOMAN_1992, organization="城南快递联合党支部", from_org="四川省南充市顺庆区新建村党支部",
                letter_no="川组转〔2025〕12号", issued_on="2025-04-01", arrived_on="2025-04-10", dues_paid_to="2025-03")
    p = get_person(members, ID_WOMAN_1992)
    assert p["flowing"] == 0 and p["organization"] == "城南快递联合党支部" and p["home_organization"] is None
    transfer_out(members, ID_WOMAN_1992, to_org="湖北省武汉市某街道党工委", issued_on="2026-01-05")
    assert get_person(members, ID_WOMAN_1992)["left_on"] is None  # 转出待接收 until the 回执
    record_receipt(members, ID_WOMAN_1992, "2026-01-20")
    p = get_person(members, ID_WOMAN_1992)
    assert p["left_on"] == "2026-01-20" and "湖北省" in p["left_reason"]
    assert [t["direction"] for t in list_transfers(members, ID_WOMAN_1992)] == ["out", "in"]


def test_meeting_with_attendance(members: Registry) -> None:
    mid = record_meeting(members, organization="城南快递联合党支部", kind="主题党日", held_on="2026-11-05",
                         topic="学习", attendees=[ID_MAN_1985, (ID_WOMAN_1992, "请假"), ID_MAN_1985],
                         override_reason="补录：两人当日尚未录入本台账")  # both entered today, after the meeting
    [m] = list_meetings(members)
    assert m["id"] == mid and (m["present"], m["invited"]) == (1, 2)
    with pytest.raises(UserError, match="会议类型"):
        record_meeting(members, organization="城南快递联合党支部", kind="茶话会", held_on="2026-11-05")
    with pytest.raises(UserError, match="具体到日"):
        record_meeting(members, organization="城南快递联合党支部", kind="党课", held_on="2026-11")
    with pytest.raises(UserError, match="找不到"):
        record_meeting(members, organization="城南快递联合党支部", kind="党课", held_on="2026-11-02",
                       attendees=["11010519491231002X"])
    assert len(list_meetings(members)) == 1


def test_volunteer_service(members: Registry) -> None:
    record_service(members, ID_MAN_1985, post="平安巡查员", served_on="2026-11-02", hours=3, points=30)
    record_service(members, ID_MAN_2000, post="文明宣传员", served_on="2026-11-03", hours=1.5)
    totals = volunteer_totals(members, "2026-11-01", "2026-11-30")
    # Points typed are kept; left out, the rules give them (the default: one point an hour).
    assert (totals["people"], totals["hours"], totals["points"]) == (2, 4.5, 31.5)
    assert totals["top"][0]["name"] == "张三"
    with pytest.raises(UserError, match="时长"):
        record_service(members, ID_MAN_1985, post="平安巡查员", served_on="2026-11-02", hours=0)
