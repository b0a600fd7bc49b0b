"""A branch entered today is owed 组织生活 from the month it was entered, not for the year before it was ever here."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from registry.importing.batches import undo_batch
from registry.importing.service import import_files
from registry.rules.org_life import records_begin
from registry.services.org_life_gaps import org_life_due_items
from registry.services.org_life_start import begun_note
from registry.services.organizations import add_org, edit_org, find_org
from registry.services.party_groups import branch_settings, set_branch_settings
from registry.storage.database import Registry
from tests.conftest import ID_MAN_1985, ID_WOMAN_1992


def test_records_begin_the_month_a_branch_is_entered() -> None:
    assert records_begin(date(2026, 12, 17)) == date(2026, 12, 1)
    assert records_begin(date(2027, 1, 1)) == date(2027, 1, 1)


def test_a_branch_added_today_has_no_missed_periods_from_before(reg: Registry) -> None:
    today = date.today()
    org_id = add_org(reg, name="顺丰南桥党支部", type="党支部", founded_on="2015-03-01")
    begun = records_begin(today).isoformat()
    assert branch_settings(reg, org_id).records_from == begun
    items = org_life_due_items(reg, today)
    assert items and all(i["class"] != "overdue" and i["period_start"] >= begun for i in items)
    assert any(i["meeting_kind"] == "主题党日" and i["period_start"] == begun for i in items)  # this month's is owed
    note = begun_note(reg, org_id)
    assert note is not None and note.startswith(f"“顺丰南桥党支部”的组织生活自{today.year}年{today.month}月1日起记录")
    # The secretary has entered the branch's earlier meetings: she sets the records' first day back.
    set_branch_settings(reg, "顺丰南桥党支部", records_from=f"{today.year - 1}-01-01")
    assert any(i["class"] == "overdue" for i in org_life_due_items(reg, today))


def test_a_committee_is_owed_nothing_until_it_is_made_a_branch(reg: Registry) -> None:
    org_id = add_org(reg, name="某快递公司党委", type="党委")
    assert reg.scalar("SELECT count(*) FROM org_life_settings") == 0 and begun_note(reg, org_id) is None
    audited = reg.scalar("SELECT count(*) FROM audit_log")
    assert edit_org(reg, "某快递公司党委", type="党委") == {}  # the same type again changes nothing
    assert reg.scalar("SELECT count(*) FROM audit_log") == audited
    edit_org(reg, "某快递公司党委", type="党支部")
    assert branch_settings(reg, org_id).records_from == records_begin(date.today()).isoformat()


def test_settings_a_branch_already_has_are_kept(reg: Registry) -> None:
    org_id = add_org(reg, name="某快递公司党委", type="党支部")
    set_branch_settings(reg, "某快递公司党委", records_from="2025-06-01")
    edit_org(reg, "某快递公司党委", type="党委")
    edit_org(reg, "某快递公司党委", type="联合党支部")  # a branch again: her chosen day stays
    assert branch_settings(reg, org_id).records_from == "2025-06-01"


def test_a_branch_a_census_creates_begins_its_records_and_undo_takes_both_back(reg: Registry, tmp_path: Path) -> None:
    census = tmp_path / "c.csv"
    census.write_text(f"姓名,身份证号,人员类别,入党时间,所在党支部\n张三,{ID_MAN_1985},正式党员,2010-07-01,城北快递党支部\n"
                      f"李四,{ID_WOMAN_1992},群众,,\n", encoding="utf-8")
    result = import_files(reg, [census])
    org = find_org(reg, "城北快递党支部")
    assert org is not None and result.created["organizations_added"] == 1
    assert branch_settings(reg, org["id"]).records_from == records_begin(date.today()).isoformat()
    assert result.batch is not None
    undo_batch(reg, result.batch)
    assert find_org(reg, "城北快递党支部") is None and reg.scalar("SELECT count(*) FROM org_life_settings") == 0
    assert reg.scalar("SELECT count(*) FROM audit_log WHERE entity = 'org_life_settings' AND op = 'delete'") == 1


@pytest.mark.parametrize("kind", ["党支部", "联合党支部", "流动党员党支部", "功能型党组织"])
def test_every_kind_of_branch_begins_its_records(reg: Registry, kind: str) -> None:
    assert begun_note(reg, add_org(reg, name=f"某{kind}", type=kind)) is not None
