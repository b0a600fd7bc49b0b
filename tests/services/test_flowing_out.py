"""Flowing out (流出) and back: dated moves of a member held here who works elsewhere, service and command line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from registry.cli.main import main
from registry.errors import UserError
from registry.services.flowing import flow_out, flow_return, register_report
from registry.services.people import add_person, get_person
from registry.storage.database import Registry
from tests.conftest import ID_MAN_1985, ID_MAN_2000, ID_WOMAN_1992


@pytest.fixture
def members(reg: Registry) -> Registry:
    add_person(reg, name="张三", id_number=ID_MAN_1985, category="正式党员", joined_on="2010-07",
               managed_from="2026-01-05")
    add_person(reg, name="李四", id_number=ID_WOMAN_1992, category="正式党员", joined_on="2015-07",
               managed_from="2026-01-05")
    add_person(reg, name="王五", id_number=ID_MAN_2000, category="群众", managed_from="2026-01-05")
    return reg


def spans(reg: Registry, key: str) -> list[dict[str, object]]:
    pid = get_person(reg, key)["id"]
    return reg.query("SELECT valid_from, valid_to, relation FROM person_states WHERE person_id = ? ORDER BY id", (pid,))


def test_out_and_back_are_dated_spans(members: Registry) -> None:
    flow_out(members, ID_MAN_1985, destination="广东省深圳市", left_on="2026-11-03", contact="深圳某街道党工委 0755-1234")
    p = get_person(members, ID_MAN_1985)
    assert (p["relation"], p["flowing"], p["flow_destination"], p["flow_left_on"], p["flow_contact"], p["state_from"]) == (
        "流出", 0, "广东省深圳市", "2026-11-03", "深圳某街道党工委 0755-1234", "2026-11-03")
    assert spans(members, ID_MAN_1985) == [{"valid_from": "2026-01-05", "valid_to": "2026-11-03", "relation": "在册"}]
    flow_return(members, ID_MAN_1985, returned_on="2026-11-20")
    p = get_person(members, ID_MAN_1985)
    assert (p["relation"], p["flow_destination"], p["flow_left_on"], p["flow_contact"]) == ("在册", None, None, None)
    assert spans(members, ID_MAN_1985)[-1] == {"valid_from": "2026-11-03", "valid_to": "2026-11-20", "relation": "流出"}


@pytest.mark.parametrize(("key", "prepare", "kwargs", "words"), [
    (ID_MAN_2000, None, {}, "只有党员"),
    (ID_WOMAN_1992, "inflow", {}, "流入党员"),
    (ID_MAN_1985, "out", {}, "已登记为外出"),
    (ID_WOMAN_1992, "unverified", {}, "待核实"),
    (ID_MAN_1985, None, {"destination": "  "}, "外出流向"),
    (ID_MAN_1985, None, {"left_on": "2026-11"}, "具体到日"),
    (ID_MAN_1985, None, {"left_on": (dt.date.today() + dt.timedelta(days=1)).isoformat()}, "晚于今天"),
    (ID_MAN_1985, None, {"left_on": "2025-12-31"}, "早于张三上一次变动"),
])
def test_who_cannot_flow_out(members: Registry, key: str, prepare: str | None, kwargs: dict[str, str],
                             words: str) -> None:
    if prepare == "inflow":
        register_report(members, key, home_organization="四川省南充市某村党支部", reported_on="2026-02-01")
    elif prepare == "out":
        flow_out(members, key, destination="浙江省杭州市", left_on="2026-10-01")
    elif prepare == "unverified":
        members.conn.execute("UPDATE people SET relation = '待核实' WHERE id_number = ?", (key,))
    before = members.conn.execute("SELECT * FROM people ORDER BY id").fetchall()
    with pytest.raises(UserError, match=words):
        flow_out(members, key, **{"destination": "广东省深圳市", "left_on": "2026-11-03", **kwargs})
    assert members.conn.execute("SELECT * FROM people ORDER BY id").fetchall() == before


def test_return_only_for_a_member_who_went_out(members: Registry) -> None:
    with pytest.raises(UserError, match="没有登记为外出"):
        flow_return(members, ID_MAN_1985, returned_on="2026-11-03")
    flow_out(members, ID_MAN_1985, destination="广东省深圳市", left_on="2026-11-03")
    with pytest.raises(UserError, match="早于"):
        flow_return(members, ID_MAN_1985, returned_on="2026-11-01")


def test_command_line(members: Registry, capsys: pytest.CaptureFixture[str]) -> None:
    db: Path = members.path
    members.close()
    assert main(["--db", str(db), "flowing", "out", ID_MAN_1985, "--destination", "广东省深圳市",
                 "--date", "2026-11-03", "--contact", "13800138000"]) == 0
    assert "流出" in capsys.readouterr().out
    assert main(["--db", str(db), "flowing", "out", ID_MAN_1985, "--destination", "广东省深圳市",
                 "--date", "2026-11-03"]) == 2
    assert "已登记为外出" in capsys.readouterr().err
    assert main(["--db", str(db), "flowing", "return", ID_MAN_1985, "--date", "2026-11-20"]) == 0
    reg = Registry(db)
    try:
        assert get_person(reg, ID_MAN_1985)["relation"] == "在册"
    finally:
        reg.close()
