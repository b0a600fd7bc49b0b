"""An organisation or outlet that organisational life or service still names is not deleted under it."""

from __future__ import annotations

import pytest

from registry.errors import UserError
from registry.services.organizations import add_org, delete_org
from registry.services.outlets import add_outlet, delete_outlet
from registry.services.party_groups import add_group, set_branch_settings
from registry.services.volunteer_posts import add_post
from registry.storage.database import Registry


def test_a_branch_with_a_group_or_a_post_stays(reg: Registry) -> None:
    add_org(reg, name="城南党支部", type="党支部")
    add_group(reg, "城南党支部", "第一党小组", since="2026-01-01")
    with pytest.raises(UserError, match="1个党小组"):
        delete_org(reg, "城南党支部")
    add_org(reg, name="城北党支部", type="党支部")
    add_post(reg, name="城北平安巡查岗", kind="平安巡查员", organization="城北党支部", opened_on="2026-01-01")
    with pytest.raises(UserError, match="1个志愿服务岗位"):
        delete_org(reg, "城北党支部")
    assert reg.scalar("SELECT count(*) FROM organizations") == 2


def test_a_branchs_settings_go_with_it_in_the_log(reg: Registry) -> None:
    add_org(reg, name="城南党支部", type="党支部")
    set_branch_settings(reg, "城南党支部", committee="有")
    delete_org(reg, "城南党支部")
    assert reg.scalar("SELECT count(*) FROM org_life_settings") == 0
    assert reg.scalar("SELECT count(*) FROM audit_log WHERE entity = 'org_life_settings' AND op = 'delete'") == 1


def test_an_outlet_with_a_post_stays(reg: Registry) -> None:
    add_outlet(reg, name="沙河网点", brand="极兔速递")
    add_post(reg, name="沙河示范岗", kind="党员示范岗", outlet="沙河网点", opened_on="2026-01-01")
    with pytest.raises(UserError, match="志愿服务岗位"):
        delete_outlet(reg, "沙河网点", "极兔速递")
    assert reg.scalar("SELECT count(*) FROM outlets") == 1
