"""欠缴 and the six-month rule (党章第九条): only months the registry can judge, on the due list and its counts."""

from __future__ import annotations

import datetime
from pathlib import Path

from registry.services import dues
from registry.services.due import due_counts, due_items
from registry.services.dues import BaseInput, PaymentInput
from registry.services.dues_lists import arrears_list, year_summary
from registry.services.figures import figure_filter
from registry.storage.database import Registry
from tests.services.dues_fixtures import meeting, member, setup_branch

TODAY = datetime.date(2026, 8, 10)  # last complete month: 2026-07


def _kinds(reg: Registry, pid: int) -> list[str]:
    return [i["kind"] for i in due_items(reg, TODAY) if i["person_id"] == pid]


def test_a_fresh_registry_is_not_one_big_arrears_list(reg: Registry) -> None:
    setup_branch(reg)
    pid = member(reg, 1, "王芳", joined_on="2001-06")
    found = arrears_list(reg, TODAY)
    assert found["arrears"] == [] and [u["name"] for u in found["unregistered"]] == ["王芳"]
    assert found["unregistered"][0]["text"] == "未登记党费基数"
    assert _kinds(reg, pid) == []


def test_arrears_from_the_first_base_month_up_to_last_month(reg: Registry) -> None:
    setup_branch(reg)
    pid = member(reg, 1, "王芳")
    dues.set_base(reg, pid, BaseInput("2026-03", "在职", "4200"), TODAY)
    dues.pay(reg, [pid], PaymentInput("2026-03..2026-04", "2026-04-30"), TODAY)
    [row] = arrears_list(reg, TODAY)["arrears"]
    assert (row["months"], row["amount"], row["paid_to"]) == (["2026-05", "2026-06", "2026-07"], "126.00", "2026-04")
    [item] = [i for i in due_items(reg, TODAY) if i["person_id"] == pid]
    assert (item["kind"], item["class"], item["due"], item["rule"]) == (
        "dues_arrears", "overdue", "2026-05", "《关于中国共产党党费收缴、使用和管理的规定》（中组发〔2008〕3号）")
    assert "欠缴3个月" in item["label"]
    assert due_counts(reg, TODAY)["dues_arrears"]["overdue"] == 1
    # the dashboard's cell opens exactly her
    ids = figure_filter(reg, "due:dues_arrears:overdue", TODAY).ids
    assert ids == frozenset({pid})
    dues.pay(reg, [pid], PaymentInput("2026-05..2026-07", "2026-08-01"), TODAY)
    assert arrears_list(reg, TODAY)["arrears"] == [] and _kinds(reg, pid) == []


def test_a_new_probationary_member_owes_from_her_admission(reg: Registry) -> None:
    setup_branch(reg)
    pid = member(reg, 1, "李娜", category="预备党员", joined_on="2026-06-20")
    dues.set_base(reg, pid, BaseInput("2026-01", "在职", "3000"), TODAY)
    [row] = arrears_list(reg, TODAY)["arrears"]
    assert row["months"] == ["2026-06", "2026-07"]


def test_six_months_with_neither_life_nor_dues_cite_article_nine(reg: Registry) -> None:
    setup_branch(reg)
    gone, excused, attends, payer = (member(reg, i, n) for i, n in
                                     enumerate(("张伟", "刘洋", "陈静", "杨帆"), 1))
    for pid in (gone, excused, attends, payer):
        dues.set_base(reg, pid, BaseInput("2026-01", "在职", "4200"), TODAY)
    dues.pay(reg, [payer], PaymentInput("2026-01..2026-07", "2026-07-31"), TODAY)
    for month in range(1, 8):
        marks = {attends: "出席", excused: "请假" if month == 4 else "缺席"}
        meeting(reg, f"2026-{month:02d}-15", marks)
    assert _kinds(reg, gone) == ["dues_arrears", "six_months"]
    item = next(i for i in due_items(reg, TODAY) if i["kind"] == "six_months")
    assert item["rule"] == "《中国共产党章程》第九条" and item["due"] == "2026-06"
    assert "2026年1月至2026年7月连续7个月" in item["label"]
    assert "连续7个月未交纳" in next(i for i in due_items(reg, TODAY) if i["person_id"] == gone
                                     and i["kind"] == "dues_arrears")["label"]
    assert _kinds(reg, excused) == ["dues_arrears"]  # 请假 in April is a good reason: the run breaks
    assert _kinds(reg, attends) == ["dues_arrears"]  # dues alone: 欠缴 (with the article), not 第九条's item
    assert _kinds(reg, payer) == []  # absent every month, but paid: only one is missing
    assert due_counts(reg, TODAY)["six_months"]["overdue"] == 1


def test_months_without_meetings_recorded_are_not_judged(reg: Registry) -> None:
    setup_branch(reg)
    pid = member(reg, 1, "张伟")
    dues.set_base(reg, pid, BaseInput("2026-01", "在职", "4200"), TODAY)
    for month in (1, 2, 3, 5, 6, 7):  # no meeting recorded in April
        meeting(reg, f"2026-{month:02d}-15", {})
    assert _kinds(reg, pid) == ["dues_arrears"]


def test_dues_not_tracked_are_not_judged(reg: Registry) -> None:
    setup_branch(reg)
    pid = member(reg, 1, "张伟")
    for month in range(1, 8):
        meeting(reg, f"2026-{month:02d}-15", {})
    assert _kinds(reg, pid) == []
    dues.set_base(reg, pid, BaseInput("2026-03", "在职", "4200"), TODAY)  # tracked from March: 5 months
    assert _kinds(reg, pid) == ["dues_arrears"]


def test_the_year_grid_adds_up(reg: Registry) -> None:
    setup_branch(reg)
    a, b = member(reg, 1, "王芳"), member(reg, 2, "李强")
    dues.set_base(reg, a, BaseInput("2026-01", "在职", "4200"), TODAY)
    dues.set_base(reg, b, BaseInput("2026-01", "离退休", "6000"), TODAY)
    dues.pay(reg, [a], PaymentInput("2026-01..2026-06", "2026-06-30"), TODAY)
    dues.pay(reg, [b], PaymentInput("2026-01", "2026-01-20", "100"), TODAY)  # 自愿多交
    grid = year_summary(reg, 2026, TODAY)
    rows = {r["name"]: r for r in grid["rows"]}
    assert [c["label"] for c in rows["王芳"]["cells"]][:8] == ["已交"] * 6 + ["欠缴", "未到期"]
    assert rows["李强"]["cells"][0]["paid"] == "100.00" and rows["李强"]["unpaid"] == 6
    assert grid["paid_by_month"][0] == "142.00" and grid["due_by_month"][0] == "102.00"
    assert grid["paid"] == "352.00"
    assert grid["due"] == f"{42 * 7 + 60 * 7}.00"  # owed up to last month (July); August on is not due yet


def test_a_member_who_left_keeps_her_payments_in_the_years_summary(reg: Registry) -> None:
    from registry.services.people import edit_person

    setup_branch(reg)
    pid = member(reg, 1, "王芳")
    dues.set_base(reg, pid, BaseInput("2026-01", "在职", "4200"), TODAY)
    dues.pay(reg, [pid], PaymentInput("2026-01..2026-04", "2026-04-30"), TODAY)
    edit_person(reg, pid, left_on="2026-05-12", changed_on="2026-05-12")
    [row] = year_summary(reg, 2026, TODAY)["rows"]
    assert (row["left_on"], row["paid"], row["unpaid"]) == ("2026-05-12", "168.00", 0)
    assert [c["state"] for c in row["cells"]][3:6] == ["paid", "not_member", "not_member"]
    assert arrears_list(reg, TODAY)["arrears"] == [] and _kinds(reg, pid) == []


def test_the_due_lists_sql_prefilter_keeps_everyone_who_owes(tmp_path: Path) -> None:
    """The SQL that skips members paid up agrees with the exact count on the demo's mix of payments."""
    from registry.demo import fill_demo
    from registry.services.dues_ledger import members

    demo = Registry(tmp_path / "demo.db", create=True)
    fill_demo(demo, people=400, today=datetime.date(2026, 11, 24))
    every = members(demo, tracked_only=True)
    for day in (datetime.date(2026, 11, 24), datetime.date(2026, 12, 1), datetime.date(2026, 6, 3)):
        owing = {m.id for m in every if m.unpaid(day)}
        loaded = {m.id for m in members(demo, tracked_only=True, owing_by=day)}
        assert owing and owing <= loaded
        if day.month != 12:  # on 1 December nobody has paid November yet (the demo was made on 24 November)
            assert len(loaded) < len(owing) * 2 < len(every)  # those paid up, or paying at home, are not loaded
    demo.close()


def test_nothing_is_owed_here_before_she_came_under_this_unit(reg: Registry) -> None:
    setup_branch(reg)
    pid = member(reg, 1, "王芳", managed_from="2026-05-10")  # found by the census in May
    dues.set_base(reg, pid, BaseInput("2026-01", "在职", "4200"), TODAY)
    [row] = arrears_list(reg, TODAY)["arrears"]
    assert row["months"] == ["2026-05", "2026-06", "2026-07"]
    dues.pay(reg, [pid], PaymentInput("2026-05..2026-07", "2026-08-01"), TODAY)
    assert arrears_list(reg, TODAY)["arrears"] == [] and _kinds(reg, pid) == []


def test_a_planned_meeting_is_no_organisational_life(reg: Registry) -> None:
    """Six months judged on held meetings only: being down for a 计划 is no attendance."""
    setup_branch(reg)
    pid = member(reg, 1, "张伟")
    dues.set_base(reg, pid, BaseInput("2026-01", "在职", "4200"), TODAY)
    for month in range(1, 8):
        meeting(reg, f"2026-{month:02d}-15", {})  # held, and she was not there
    planned = meeting(reg, "2026-04-25", {pid: "出席"})  # April's second one was only planned
    reg.conn.execute("UPDATE meetings SET status = '计划' WHERE id = ?", (planned,))
    assert _kinds(reg, pid) == ["dues_arrears", "six_months"]
