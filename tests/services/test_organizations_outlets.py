"""The organisation tree and outlets: names matched loosely, deletes refused while something hangs off."""

from __future__ import annotations

import pytest

from registry.errors import UserError
from registry.services.organizations import add_org, delete_org, edit_org, list_orgs, subtree_ids
from registry.services.outlets import add_outlet, delete_outlet, edit_outlet, find_outlet, list_outlets
from registry.services.people import add_person
from registry.storage.database import Registry
from tests.conftest import ID_MAN_1985


def test_tree_order_and_subtree(branch: Registry) -> None:
    orgs = list_orgs(branch)
    assert orgs[0]["name"] == "示例区快递行业党委" and orgs[0]["depth"] == 0
    assert {o["depth"] for o in orgs[1:]} == {1}
    assert len(subtree_ids(branch, orgs[0]["id"])) == 3


def test_duplicate_and_bad_type(branch: Registry) -> None:
    with pytest.raises(UserError, match="已存在"):
        add_org(branch, name="城南快递联合党支部 ")
    with pytest.raises(UserError, match="组织类型"):
        add_org(branch, name="新支部", type="俱乐部")
    with pytest.raises(UserError, match="找不到党组织"):
        add_org(branch, name="新支部", parent="不存在的党委")


def test_no_cycles(branch: Registry) -> None:
    with pytest.raises(UserError, match="下级"):
        edit_org(branch, "示例区快递行业党委", parent="城南快递联合党支部")


def test_delete_refused_while_used(branch: Registry) -> None:
    with pytest.raises(UserError, match="下级组织"):
        delete_org(branch, "示例区快递行业党委")
    add_org(branch, name="空支部")
    delete_org(branch, "空支部")


def test_outlet_brand_aliases(branch: Registry) -> None:
    assert find_outlet(branch, "沙河网点", "极兔")["name"] == "沙河网点"
    add_outlet(branch, name="沙河网点", brand="顺丰速运")  # same name, other brand: a different outlet
    with pytest.raises(UserError, match="注明快递品牌"):
        find_outlet(branch, "沙河网点")
    with pytest.raises(UserError, match="已存在"):
        add_outlet(branch, name="沙河 网点", brand="顺丰")


def test_outlet_edit_delete(branch: Registry) -> None:
    edit_outlet(branch, "春熙路网点", workers="90人", organization="城南快递联合党支部")
    row = next(o for o in list_outlets(branch) if o["name"] == "春熙路网点")
    assert (row["workers"], row["organization"]) == (90, "城南快递联合党支部")
    add_person(branch, name="张三", id_number=ID_MAN_1985, outlet="春熙路网点")
    with pytest.raises(UserError, match="还有1名人员"):
        delete_outlet(branch, "春熙路网点")
    with pytest.raises(UserError, match="整数"):
        edit_outlet(branch, "春熙路网点", workers="很多")


def test_rename_org_and_outlet(branch: Registry) -> None:
    edit_org(branch, "城南快递联合党支部", name="城南快递物流联合党支部")
    assert [o["name"] for o in list_orgs(branch)][1:] == ["城南快递物流联合党支部", "流动党员党支部"]
    edit_outlet(branch, "沙河网点", "极兔速递", name="沙河营业部", brand="顺丰速运")
    assert find_outlet(branch, "沙河营业部", "顺丰")["name"] == "沙河营业部"


def test_history_reference_names(reg: Registry) -> None:
    from registry.services.history import reference_names

    org = add_org(reg, name="沙河快递联合党支部")
    outlet = add_outlet(reg, name="沙河网点", brand="中通快递", organization="沙河快递联合党支部")
    names = reference_names(reg)
    assert names[("people", "outlet_id")] == {str(outlet): "沙河网点"}
    assert names[("outlets", "organization_id")] == {str(org): "沙河快递联合党支部"}
    assert names[("people", "organization_id")] is names[("organizations", "parent_id")]
    assert list(names[("outlets", "brand_id")].values()) == ["中通快递"]
