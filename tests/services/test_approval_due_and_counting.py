"""The approval of an admission: a due item until it is recorded, and the day new 预备党员 are counted (党统)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from registry.reports.monthly import monthly_figures
from registry.rules.idnumber import check_char
from registry.services.development import advance_stage
from registry.services.development_steps import admissions_between, pending_approvals, record_step
from registry.services.due import DUE_KINDS, due_counts, due_items, due_summary
from registry.services.people import add_person
from registry.services.stats import statistics
from registry.storage.database import Registry
from tests.conftest import ID_MAN_1985, ID_WOMAN_1992

TODAY = date(2026, 12, 1)


def _id(born: str, seq: str = "003") -> str:
    first17 = f"110105{born}{seq}"
    return first17 + check_char(first17)


CANDIDATE = _id("19980305")


@pytest.fixture
def admitted(branch: Registry) -> Registry:
    """王五, a 发展对象 since 2025-06, admitted by the 支部大会 on 2026-10-20 (two 正式党员 introduce her)."""
    for name, number, joined, full in (("张三", ID_MAN_1985, "2010-07-01", "2011-07-01"),
                                       ("李四", ID_WOMAN_1992, "2015-07-01", "2016-07-01")):
        add_person(branch, name=name, id_number=number, category="正式党员", joined_on=joined, full_on=full,
                   managed_from="2020-01-01", organization="城南快递联合党支部")
    add_person(branch, name="王五", id_number=CANDIDATE, category="发展对象", applied_on="2024-01-05",
               activist_on="2024-03-01", target_on="2025-06-01", introducers="张三、李四", managed_from="2024-01-01",
               organization="城南快递联合党支部")
    advance_stage(branch, CANDIDATE, "预备党员", "2026-10-20", override_reason="补录",
                  fields={"voting_expected": 3, "voting_present": 3, "yes": 3})
    return branch


def _kinds(reg: Registry, today: date) -> dict[str, dict[str, Any]]:
    return {i["kind"]: i for i in due_items(reg, today) if i["name"] == "王五"}


def test_the_approval_is_due_until_recorded(admitted: Registry) -> None:
    item = _kinds(admitted, TODAY)["approval_due"]
    assert (item["due"], item["class"], item["class_label"]) == ("2027-01-20", "next_month", "下月到期")
    assert "3个月内报上级党委审批" in item["label"] and "第二十五条" in item["rule"]
    assert DUE_KINDS["approval_due"][0] == item["label"]  # the dashboard's row label, in Chinese
    assert due_counts(admitted, TODAY)["approval_due"]["next_month"] == 1
    assert due_counts(admitted, TODAY) == due_summary(due_items(admitted, TODAY))
    assert _kinds(admitted, date(2026, 10, 25))["approval_due"]["class"] == "unverified"  # listed from the meeting on
    lapsed = _kinds(admitted, date(2027, 1, 21))["approval_due"]
    assert lapsed["class"] == "overdue" and "仍没有上级党委审批" in lapsed["label"]
    assert [i["meeting_on"] for i in pending_approvals(admitted, TODAY)] == ["2026-10-20"]
    record_step(admitted, CANDIDATE, "admission_approval", "2026-11-15")
    assert "approval_due" not in _kinds(admitted, TODAY)
    assert due_counts(admitted, TODAY)["approval_due"] == dict.fromkeys(due_counts(admitted, TODAY)["approval_due"], 0)


def test_an_approval_lapsed_before_the_records_is_not_due(branch: Registry) -> None:
    # Admitted in 2020, entered from a census in 2026: an approval lapsed on paper is no due item (历史档案).
    add_person(branch, name="赵六", id_number=CANDIDATE, category="预备党员", joined_on="2020-05-01",
               managed_from="2026-11-01")
    assert "approval_due" not in {i["kind"] for i in due_items(branch, TODAY)}


def test_due_json_carries_the_approval_with_its_class(admitted: Registry, capsys: Any) -> None:
    from registry.cli.main import main

    path = Path(admitted.path)
    admitted.close()
    assert main(["--db", str(path), "due", "--json", "--date", TODAY.isoformat()]) == 0
    [item] = [i for i in json.loads(capsys.readouterr().out) if i["kind"] == "approval_due"]
    assert (item["class"], item["class_label"], item["name"]) == ("next_month", "下月到期", "王五")


def test_the_half_yearly_review_is_due_from_the_last_one(branch: Registry) -> None:
    add_person(branch, name="积极", id_number=CANDIDATE, category="入党积极分子", applied_on="2026-01-05",
               activist_on="2026-03-10", managed_from="2026-01-01")
    assert _review(branch, date(2026, 9, 1)) == ("2026-09-10", "this_month")
    record_step(branch, CANDIDATE, "activist_review", "2026-09-05")
    assert _review(branch, date(2026, 9, 15)) is None  # next one in March
    assert _review(branch, date(2027, 2, 1)) == ("2027-03-05", "next_month")
    assert _review(branch, date(2027, 3, 6)) == ("2027-03-05", "overdue")
    assert DUE_KINDS["review_due"][0] == "入党积极分子每半年应考察一次"


def _review(reg: Registry, today: date) -> tuple[str, str] | None:
    found = [(i["due"], i["class"]) for i in due_items(reg, today) if i["kind"] == "review_due"]
    return found[0] if found else None


# --- counted by the approval date ----------------------------------------------------------------------------


def test_admitted_in_october_approved_in_november_counts_in_november(admitted: Registry) -> None:
    record_step(admitted, CANDIDATE, "admission_approval", "2026-11-15")
    october, november = date(2026, 10, 31), date(2026, 11, 30)
    assert statistics(admitted, october)["by_category"]["预备党员"] == 0
    assert statistics(admitted, october)["by_category"]["发展对象"] == 1
    assert statistics(admitted, november)["by_category"]["预备党员"] == 1
    assert admissions_between(admitted, "2026-10-01", "2026-10-31") == 0
    assert admissions_between(admitted, "2026-11-01", "2026-11-30") == 1
    for start, end, count in ((date(2026, 10, 1), october, 0), (date(2026, 11, 1), november, 1)):
        figures = monthly_figures(admitted, start, end, on=TODAY)
        [row] = [a for a in figures["activity"] if a["key"] == "admitted"]
        assert row["current"] == count
        lines = [c for c in figures["pipeline_changes"] if c["group"] == "预备党员" and c["line"] == "新接收预备党员"]
        assert [c["delta"] for c in lines] == ([1] if count else [])
        members = [c for c in figures["changes"] if c["line"] == "新接收预备党员"]
        assert [c["delta"] for c in members] == ([1] if count else [])
    [row] = [a for a in monthly_figures(admitted, date(2026, 11, 1), november, on=TODAY)["activity"]
             if a["key"] == "admitted"]
    assert row["people"][0]["date"] == "2026-11-15"


def test_without_an_approval_the_admission_counts_by_the_meeting(admitted: Registry) -> None:
    assert statistics(admitted, date(2026, 10, 31))["by_category"]["预备党员"] == 1
    figures = monthly_figures(admitted, date(2026, 10, 1), date(2026, 10, 31), on=TODAY)
    [row] = [a for a in figures["activity"] if a["key"] == "admitted"]
    assert row["current"] == 1 and row["people"][0]["date"] == "2026-10-20"
