"""Adding, editing and deleting people: normalised, validated, audited, all or nothing."""

from __future__ import annotations

import pytest

from registry.errors import UserError
from registry.services.history import history
from registry.services.people import add_person, delete_person, edit_person, get_person
from registry.storage.database import Registry
from tests.conftest import ID_MAN_1985, ID_WOMAN_1992


def test_add_normalises_and_derives(branch: Registry) -> None:
    add_person(branch, name=" 张　三 ", id_number="５１０１０４１９８５０３１５４２１０", category="中共党员",
               phone="+86 138-0013-8000", joined_on="2010年7月", outlet="沙河网点")
    p = get_person(branch, ID_MAN_1985)
    assert (p["name"], p["gender"], p["birth_date"], p["category"]) == ("张三", "男", "1985-03-15", "正式党员")
    assert (p["phone"], p["joined_on"], p["outlet"], p["brand"]) == ("13800138000", "2010-07", "沙河网点", "极兔速递")
    assert p["organization"] == "城南快递联合党支部"  # from the outlet's covering organisation


def test_fifteen_digit_number_is_the_same_person(branch: Registry) -> None:
    add_person(branch, name="赵六", id_number="110105491231002")
    assert get_person(branch, "11010519491231002X")["name"] == "赵六"
    with pytest.raises(UserError, match="已登记"):
        add_person(branch, name="赵六", id_number="11010519491231002X")


@pytest.mark.parametrize(("fields", "message"), [
    ({"name": "", "id_number": ID_MAN_1985}, "姓名"),
    ({"name": "张三", "id_number": ""}, "身份证号"),
    ({"name": "张三", "id_number": "510104198503154211"}, "校验"),
    ({"name": "张三", "id_number": 5.10104198503154e17}, "Excel"),
    ({"name": "张三", "id_number": ID_MAN_1985, "category": "路人"}, "人员类别"),
    ({"name": "张三", "id_number": ID_MAN_1985, "phone": "12345"}, "电话|手机"),
    ({"name": "张三", "id_number": ID_MAN_1985, "gender": "女"}, "性别"),
    ({"name": "张三", "id_number": ID_MAN_1985, "outlet": "不存在网点"}, "找不到网点"),
    ({"name": "张三", "id_number": ID_MAN_1985, "category": "发展对象", "activist_on": "2024-01-01",
      "target_on": "2024-06-01"}, "一年"),
    ({"name": "张三", "id_number": ID_MAN_1985, "applied_on": "2020-01-01", "activist_on": "2019-01-01"}, "日期"),
])
def test_bad_input_is_refused_and_changes_nothing(branch: Registry, fields: dict, message: str) -> None:
    before = branch.scalar("SELECT count(*) FROM audit_log")
    with pytest.raises(UserError, match=message):
        add_person(branch, **fields)
    assert branch.scalar("SELECT count(*) FROM people") == 0
    assert branch.scalar("SELECT count(*) FROM audit_log") == before


def test_edit_logs_each_field(branch: Registry) -> None:
    add_person(branch, name="李四", id_number=ID_WOMAN_1992, phone="13800138000")
    diff = edit_person(branch, ID_WOMAN_1992, phone="139 0013 9000", notes="调岗")
    assert diff["phone"] == ("13800138000", "13900139000")
    logged = {(r["field"], r["old"], r["new"]) for r in history(branch) if r["op"] == "update"}
    assert ("phone", "13800138000", "13900139000") in logged
    assert ("notes", None, "调岗") in logged
    assert get_person(branch, ID_WOMAN_1992)["phone"] == "13900139000"


def test_edit_cannot_clear_name(branch: Registry) -> None:
    add_person(branch, name="李四", id_number=ID_WOMAN_1992)
    with pytest.raises(UserError):
        edit_person(branch, ID_WOMAN_1992, name="")


def test_delete_really_deletes(branch: Registry) -> None:
    add_person(branch, name="李四", id_number=ID_WOMAN_1992)
    delete_person(branch, ID_WOMAN_1992)
    assert branch.scalar("SELECT count(*) FROM people") == 0
    assert history(branch)[0]["op"] == "delete"
    with pytest.raises(UserError, match="找不到"):
        get_person(branch, ID_WOMAN_1992)


def test_rule_warnings_shown_with_person(branch: Registry) -> None:
    add_person(branch, name="王五", id_number=ID_MAN_1985, category="预备党员", joined_on="2020-01-01")
    codes = {w["code"] for w in get_person(branch, ID_MAN_1985)["warnings"]}
    assert "probation_overdue" in codes
