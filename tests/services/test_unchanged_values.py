"""A stored value handed back to an edit, in any spelling the rules read the same, writes nothing (issue 9 §1)."""

from __future__ import annotations

import pytest

from registry.errors import UserError
from registry.services.organizations import edit_org
from registry.services.outlets import edit_outlet
from registry.services.people import add_person, edit_person
from registry.storage.database import Registry
from tests.conftest import ID_MAN_1985, ID_WOMAN_1992


def _counts(reg: Registry) -> tuple[int, int]:
    return reg.scalar("SELECT count(*) FROM audit_log"), reg.scalar("SELECT count(*) FROM operations")


@pytest.fixture
def member(branch: Registry) -> int:
    return add_person(branch, name="张三", id_number=ID_MAN_1985, category="正式党员", joined_on="2010-07",
                      full_on="2011-07", phone="13800138000", outlet="沙河网点", brand="极兔速递", flowing="是",
                      home_organization="四川省南充市顺庆区新建村党支部", extension_months=None)


@pytest.mark.parametrize("changes", [
    {"joined_on": "2010.07"}, {"joined_on": "2010年7月"}, {"full_on": "2011.7"}, {"phone": "138 0013 8000"},
    {"phone": "+86 138-0013-8000"}, {"flowing": True}, {"flowing": "是"}, {"flowing": 1}, {"gender": "男"},
    {"id_number": ID_MAN_1985.lower()}, {"name": " 张三 "}, {"category": "中共党员"}, {"notes": ""}, {"notes": None},
    {"outlet": "沙河网点", "brand": "极兔"}, {"organization": None}, {"birth_date": "1985.03.15"},
    {"home_organization": "四川省南充市顺庆区新建村党支部 "},
])
def test_same_value_in_another_spelling_is_no_change(branch: Registry, member: int, changes: dict) -> None:
    before = _counts(branch)
    assert edit_person(branch, member, **changes) == {}
    assert _counts(branch) == before


def test_a_stored_value_todays_rules_refuse_can_be_handed_back(branch: Registry, member: int) -> None:
    """A phone an import kept as text (lenient) must not block saving the person again."""
    with branch.transaction("test", "旧数据") as tx:
        tx.update("people", member, {"phone": "138001380"})
    assert edit_person(branch, member, phone="138001380", job="快递员") == {"job": (None, "快递员")}
    with pytest.raises(UserError):
        edit_person(branch, member, phone="13800138")  # a new bad phone is still refused


def test_only_new_rule_errors_block_an_edit(branch: Registry) -> None:
    pid = add_person(branch, name="李芳", id_number=ID_WOMAN_1992, category="正式党员", joined_on="2018-07-01",
                     full_on="2019-07-01")
    with branch.transaction("test", "旧数据") as tx:  # stored before the rule existed: 转正 before 入党
        tx.update("people", pid, {"full_on": "2018-01-01"})
    changed = edit_person(branch, pid, job="分拣员")
    changed.pop("updated_at", None)  # a second may pass between the two writes (slow machines, Wine)
    assert changed == {"job": (None, "分拣员")}
    with pytest.raises(UserError):
        edit_person(branch, pid, applied_on="2030-01-01")  # a new error is still refused


def test_organisation_and_outlet_values_handed_back_are_no_change(branch: Registry) -> None:
    with branch.transaction("test", "旧数据") as tx:  # spellings an older version stored
        tx.conn.execute("UPDATE organizations SET secretary = '王　五', founded_on = '2019-07' WHERE name = '城南快递联合党支部'")
        tx.conn.execute("UPDATE outlets SET address = '示例市  城南街道１号' WHERE name = '沙河网点'")
        tx.changes += 1
    before = _counts(branch)
    assert edit_org(branch, "城南快递联合党支部", secretary="王　五", founded_on="2019.07", type="联合党支部") == {}
    assert edit_outlet(branch, "沙河网点", "极兔速递", address="示例市  城南街道１号", workers="69",
                       organization="城南快递联合党支部", brand="极兔") == {}
    assert _counts(branch) == before
