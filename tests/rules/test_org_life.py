"""三会一课 rules per branch: the committee by 正式党员 (6 vs 7) or as recorded, 党小组, 党课 by setting, founding
mid-year, the running period pending, and the gaps on the due list."""

from __future__ import annotations

import datetime
import random

import pytest

from registry.demo import make_id
from registry.rules import org_life
from registry.services.due import due_counts, due_items, due_person_ids, due_summary
from registry.services.meetings import add_meeting
from registry.services.org_life_gaps import DUE_KIND, branch_checks
from registry.services.organizations import add_org, edit_org
from registry.services.party_groups import add_group, set_branch_settings
from registry.services.people import add_person
from registry.storage.database import Registry
from tests.conftest import records_since_founding

TODAY = datetime.date(2026, 12, 1)
D = datetime.date


def test_periods_and_states() -> None:
    assert org_life.period_containing(D(2026, 11, 5), 3) == (D(2026, 10, 1), D(2026, 12, 31))
    assert org_life.period_containing(D(2026, 2, 5), 1) == (D(2026, 2, 1), D(2026, 2, 28))
    assert org_life.period_containing(D(2026, 8, 5), 6) == (D(2026, 7, 1), D(2026, 12, 31))
    assert [s.month for s, _ in org_life.periods_between(D(2026, 2, 10), D(2026, 11, 1), 3)] == [1, 4, 7, 10]
    assert org_life.period_label(D(2026, 7, 1), 3) == "2026年第3季度"
    assert org_life.period_state(0, D(2026, 11, 30), TODAY) == "gap"
    assert org_life.period_state(0, D(2026, 12, 31), TODAY) == "pending"
    assert org_life.period_state(2, D(2026, 11, 30), TODAY) == "done"
    assert org_life.due_class("pending", D(2026, 12, 31), TODAY) == "this_month"
    assert org_life.due_class("pending", D(2027, 1, 31), TODAY) == "next_month"
    assert org_life.due_class("pending", D(2027, 12, 31), D(2027, 1, 5)) is None  # a year still far off
    assert org_life.due_class("gap", D(2026, 9, 30), TODAY) == "overdue"
    assert org_life.pending_label("主题党日", 1) == "本月还需开展1次主题党日"
    assert org_life.gap_label("支部党员大会", D(2026, 7, 1), 3) == "2026年第3季度未召开支部党员大会"


def test_committee_by_count_or_as_recorded() -> None:
    assert not org_life.has_committee("自动", 6) and org_life.has_committee("自动", 7)
    assert org_life.has_committee("有", 2) and not org_life.has_committee("无", 30)


def test_founding_mid_period() -> None:
    assert org_life.owed(D(2026, 4, 1), D(2026, 3, 10), None)
    assert not org_life.owed(D(2026, 1, 1), D(2026, 3, 10), None)
    assert not org_life.owed(D(2026, 3, 1), D(2026, 3, 10), None)  # founded mid-month: that month is not owed
    assert not org_life.owed(D(2026, 4, 1), None, D(2026, 5, 1))


def _branch(reg: Registry, name: str, full: int, founded: str = "2020-01-01", seed: int = 1) -> str:
    add_org(reg, name=name, type="党支部", founded_on=founded)
    records_since_founding(reg, name)
    rng = random.Random(seed)
    for i in range(full):
        add_person(reg, name=f"{name[:2]}{i}", id_number=make_id(rng, D(1980 + i, 1, 5), i % 2 == 0),
                   category="正式党员", joined_on="2010-07-01", full_on="2011-07-01", organization=name,
                   managed_from="2020-01-01")
    return name


def _kinds(reg: Registry, name: str, today: datetime.date = TODAY) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for c in branch_checks(reg, today):
        if c.organization == name:
            out.setdefault(c.kind, []).append(c.state)
    return out


@pytest.mark.parametrize(("full", "owed"), [(6, False), (7, True)])
def test_committee_meetings_only_where_7_full_members(reg: Registry, full: int, owed: bool) -> None:
    name = _branch(reg, "甲快递党支部", full)
    assert ("支部委员会" in _kinds(reg, name)) is owed
    set_branch_settings(reg, name, committee="无" if owed else "有")
    assert ("支部委员会" in _kinds(reg, name)) is not owed


def test_group_meetings_per_group_only_where_groups_exist(reg: Registry) -> None:
    name = _branch(reg, "乙快递党支部", 3)
    assert "党小组会" not in _kinds(reg, name)
    add_group(reg, name, "第一党小组", since="2026-06-01")
    add_group(reg, name, "第二党小组", since="2026-06-01")
    checks = [c for c in branch_checks(reg, TODAY) if c.kind == "党小组会"]
    assert {c.group for c in checks} == {"第一党小组", "第二党小组"}
    assert min(c.start for c in checks) == D(2026, 6, 1)  # owed from the month the groups began
    add_meeting(reg, organization=name, kind="党小组会", held_on="2026-11-12", group="第一党小组", today=TODAY)
    november = {c.group: c.state for c in checks if c.start == D(2026, 11, 1)}
    assert november == {"第一党小组": "gap", "第二党小组": "gap"}
    again = {c.group: c.state for c in branch_checks(reg, TODAY) if c.kind == "党小组会" and c.start == D(2026, 11, 1)}
    assert again == {"第一党小组": "done", "第二党小组": "gap"}


def test_lessons_default_once_a_year_configurable(reg: Registry) -> None:
    name = _branch(reg, "丙快递党支部", 3)
    lessons = [c for c in branch_checks(reg, TODAY) if c.kind == "党课"]
    assert [(c.start, c.end, c.state) for c in lessons] == [(D(2025, 1, 1), D(2025, 12, 31), "gap"),
                                                            (D(2026, 1, 1), D(2026, 12, 31), "pending")]
    assert lessons[0].article == "《中国共产党支部工作条例（试行）》第十六条"
    set_branch_settings(reg, name, lessons_per_year=4)
    quarters = [c for c in branch_checks(reg, TODAY) if c.kind == "党课"]
    assert [c.start.month for c in quarters] == [10, 1, 4, 7, 10]


def test_a_branch_founded_mid_year_is_not_owed_before(reg: Registry) -> None:
    name = _branch(reg, "丁快递党支部", 3, founded="2026-03-10")
    checks = [c for c in branch_checks(reg, TODAY) if c.organization == name]
    assert min(c.start for c in checks if c.kind == "主题党日") == D(2026, 4, 1)
    assert min(c.start for c in checks if c.kind == "支部党员大会") == D(2026, 4, 1)
    assert not [c for c in checks if c.kind in ("组织生活会", "党课")]  # the founding year is not owed
    edit_org(reg, name, founded_on="2025-12-01")
    assert {c.start.year for c in branch_checks(reg, TODAY) if c.kind == "组织生活会"} == {2026}


def test_only_held_meetings_count_and_the_running_month_is_pending(reg: Registry) -> None:
    name = _branch(reg, "戊快递党支部", 3)
    add_meeting(reg, organization=name, kind="主题党日", held_on="2026-11-08", today=TODAY)
    add_meeting(reg, organization=name, kind="主题党日", held_on="2026-12-20", status="计划", today=TODAY)
    days = {c.start.month: c.state for c in branch_checks(reg, TODAY) if c.kind == "主题党日" and c.start.year == 2026}
    assert days[10] == "gap" and days[11] == "done" and days[12] == "pending"  # the planned one does not count
    items = [i for i in due_items(reg, TODAY) if i["kind"] == DUE_KIND and i["organization"] == name]
    december = [i for i in items if i["meeting_kind"] == "主题党日" and i["class"] == "this_month"]
    assert [i["label"] for i in december] == ["本月还需开展1次主题党日"]
    october = [i for i in items if i["meeting_kind"] == "主题党日" and i["period_end"] == "2026-10-31"]
    assert october[0]["label"] == "2026年10月未开展主题党日" and october[0]["class"] == "overdue"
    assert all(i["person_id"] is None and i["rule"].startswith("《中国共产党支部工作条例（试行）》") for i in items)


def test_committees_and_party_committees_are_not_branches(reg: Registry) -> None:
    add_org(reg, name="某快递公司党委", type="党委")
    add_org(reg, name="某快递公司党总支", type="党总支")
    assert branch_checks(reg, TODAY) == []


def test_due_counts_agree_with_the_items_and_never_name_a_person(reg: Registry) -> None:
    _branch(reg, "己快递党支部", 8)
    items = due_items(reg, TODAY)
    assert due_counts(reg, TODAY)[DUE_KIND] == due_summary(items)[DUE_KIND]
    assert due_counts(reg, TODAY)[DUE_KIND]["overdue"] > 0
    assert due_person_ids(reg, today=TODAY, kind=DUE_KIND) == frozenset()


def test_the_committee_count_agrees_with_dated_membership(reg: Registry) -> None:
    """The committee rule's own count of 正式党员 per organisation equals states_at's, on days before and after
    people came, left, changed branch or were made 正式党员."""
    from collections import Counter

    from registry.demo import fill_demo
    from registry.services.membership import states_at
    from registry.services.org_life_gaps import _FullMembers

    fill_demo(reg, people=300, today=TODAY)
    full = _FullMembers(reg)
    for day in (D(2024, 6, 30), D(2025, 12, 31), D(2026, 9, 30), TODAY):
        expected = Counter(s.organization_id for s in states_at(reg, day).values()
                           if s.category == "正式党员" and s.group in ("registered", "flowing_in", "unverified"))
        orgs = {r[0] for r in reg.conn.execute("SELECT id FROM organizations")}
        assert {o: full.count(o, day) for o in orgs} == {o: expected[o] for o in orgs}, day
        assert sum(expected.values()) > 0
