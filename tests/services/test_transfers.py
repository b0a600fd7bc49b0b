"""Transfers that finish: 转出待接收 until the 回执, the letter's 有效期 on the due list, cancelling, arrival dates."""

from __future__ import annotations

import itertools
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from registry.errors import UserError
from registry.rules.dates import PartialDate
from registry.rules.deadlines import CLASSES, LETTER_VALID_MONTHS, RULES, due_class
from registry.services.due import due_counts, due_items, due_summary
from registry.services.flowing import list_transfers, transfer_in, transfer_out
from registry.services.people import add_person, get_person
from registry.services.stats import statistics
from registry.services.transfers import cancel_transfer, record_receipt, transfer_status
from registry.storage.database import Registry
from tests.conftest import ID_MAN_1985, ID_MAN_2000, ID_WOMAN_1992

TO = "湖北省武汉市江汉区某街道党工委"


@pytest.fixture
def member(branch: Registry) -> Registry:
    add_person(branch, name="张三", id_number=ID_MAN_1985, category="正式党员", joined_on="2010-07-01",
               full_on="2011-07-01", outlet="沙河网点", organization="城南快递联合党支部", managed_from="2020-01-01")
    return branch


def _writes(reg: Registry) -> tuple[int, int]:
    return reg.scalar("SELECT count(*) FROM audit_log"), reg.scalar("SELECT count(*) FROM operations")


# --- 1. a transfer out keeps the member here (转出待接收) --------------------------------------------------
def test_transfer_out_leaves_the_member_counted_here_until_the_receipt(member: Registry) -> None:
    tid = transfer_out(member, ID_MAN_1985, to_org=TO, letter_no="组转〔2026〕018号", issued_on="2026-04-20",
                       dues_paid_to="2026-03")
    p = get_person(member, ID_MAN_1985)
    assert p["left_on"] is None and p["left_how"] is None
    (t,) = list_transfers(member, ID_MAN_1985)
    assert (t["id"], t["status"], t["valid_until"], t["dues_paid_to"], t["received_on"]) == (
        tid, "转出待接收", "2026-07-20", "2026-03", None)
    assert LETTER_VALID_MONTHS == 3
    assert [r["id"] for r in list_transfers(member, pending=True)] == [tid]
    assert statistics(member, date(2026, 5, 1))["members"]["registered"] == 1
    status = transfer_status(member, ID_MAN_1985)
    assert status is not None and status.startswith("转出待接收") and "有效期至2026年7月20日" in status and TO in status
    history = member.scalar("SELECT summary FROM operations WHERE action = 'transfer.out'")
    assert "转出待接收" in history and "2026-07-20" in history


def test_the_letter_validity_as_written_and_its_default_at_month_end(member: Registry) -> None:
    add_person(member, name="李芳", id_number=ID_WOMAN_1992, category="正式党员", joined_on="2018-07-01",
               managed_from="2020-01-01")
    transfer_out(member, ID_MAN_1985, to_org=TO, issued_on="2025-11-30")
    transfer_out(member, ID_WOMAN_1992, to_org=TO, issued_on="2026-03-02", valid_until="2026-03-31")
    assert {t["name"]: t["valid_until"] for t in list_transfers(member)} == {"张三": "2026-02-28", "李芳": "2026-03-31"}


def test_a_transfer_out_refused_in_sentences_changes_nothing(member: Registry) -> None:
    before = _writes(member)
    with pytest.raises(UserError, match="有效期2026-04-01早于开具日期"):
        transfer_out(member, ID_MAN_1985, to_org=TO, issued_on="2026-04-20", valid_until="2026-04-01")
    assert _writes(member) == before
    transfer_out(member, ID_MAN_1985, to_org=TO, issued_on="2026-04-20")
    before = _writes(member)
    with pytest.raises(UserError, match="尚未回执"):
        transfer_out(member, ID_MAN_1985, to_org="另一个党组织", issued_on="2026-05-01")
    assert _writes(member) == before


# --- 2. the 回执 ends the member's time here; a cancelled letter leaves them here --------------------------
def test_receipt_dates_the_leaving(member: Registry) -> None:
    tid = transfer_out(member, ID_MAN_1985, to_org=TO, issued_on="2026-04-20")
    assert record_receipt(member, ID_MAN_1985, "2026-05-06") == tid
    p = get_person(member, ID_MAN_1985)
    assert (p["left_on"], p["left_how"], p["left_reason"]) == ("2026-05-06", "组织关系转出", f"组织关系转出至{TO}")
    (t,) = list_transfers(member, ID_MAN_1985)
    assert (t["received_on"], t["status"]) == ("2026-05-06", "已回执")
    assert statistics(member, date(2026, 5, 5))["members"]["registered"] == 1
    assert statistics(member, date(2026, 5, 6))["members"]["registered"] == 0
    assert transfer_status(member, ID_MAN_1985) is None and list_transfers(member, pending=True) == []


def test_receipt_refusals_are_sentences_and_change_nothing(member: Registry) -> None:
    add_person(member, name="王五", id_number=ID_MAN_2000, category="正式党员", joined_on="2019-07-01")
    with pytest.raises(UserError, match="没有待回执的组织关系转出记录"):
        record_receipt(member, ID_MAN_2000, "2026-05-06")
    tid = transfer_out(member, ID_MAN_1985, to_org=TO, issued_on="2026-04-20")
    before = _writes(member)
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    for day, message in (("2026-04-19", "早于介绍信开具日期"), (tomorrow, "晚于今天"), ("2026-05", "具体到日"),
                         ("", "请填写回执日期"), ("2026-02-30", "回执日期")):
        with pytest.raises(UserError, match=message):
            record_receipt(member, ID_MAN_1985, day)
    with pytest.raises(UserError, match="编号为999"):
        record_receipt(member, ID_MAN_1985, "2026-05-06", transfer_id=999)
    assert _writes(member) == before and get_person(member, ID_MAN_1985)["left_on"] is None
    record_receipt(member, ID_MAN_1985, "2026-04-20", transfer_id=tid)  # the letter's own day is allowed
    with pytest.raises(UserError, match="已于2026年4月20日登记回执"):
        record_receipt(member, ID_MAN_1985, "2026-05-06", transfer_id=tid)
    with pytest.raises(UserError, match="没有待回执"):
        cancel_transfer(member, ID_MAN_1985)


def test_cancel_deletes_the_unused_letter_through_the_writer(member: Registry) -> None:
    tid = transfer_out(member, ID_MAN_1985, to_org=TO, issued_on="2026-04-20")
    before = get_person(member, ID_MAN_1985)
    assert cancel_transfer(member, ID_MAN_1985) == tid
    assert list_transfers(member, ID_MAN_1985) == []
    after = get_person(member, ID_MAN_1985)
    assert after["left_on"] is None and after["updated_at"] == before["updated_at"]
    logged = member.query("SELECT op, entity, entity_id FROM audit_log WHERE op = 'delete'")
    assert logged == [{"op": "delete", "entity": "transfers", "entity_id": tid}]
    transfer_out(member, ID_MAN_1985, to_org="另一个党组织", issued_on="2026-05-01")  # a new letter can follow


# --- 3. the due list -----------------------------------------------------------------------------------------
def _receipt_items(reg: Registry, today: date) -> list[dict[str, Any]]:
    return [i for i in due_items(reg, today) if i["kind"] == "transfer_receipt"]


def test_a_pending_transfer_is_listed_then_lapses(member: Registry) -> None:
    transfer_out(member, ID_MAN_1985, to_org=TO, issued_on="2026-04-20")
    for today, cls, label in ((date(2026, 4, 25), "unverified", "转出待接收，待回执"),
                              (date(2026, 6, 1), "next_month", "转出待接收，待回执"),
                              (date(2026, 7, 20), "this_month", "转出待接收，待回执"),
                              (date(2026, 7, 21), "overdue", "介绍信已过有效期未回执")):
        (item,) = _receipt_items(member, today)
        assert (item["class"], item["class_label"], item["label"], item["due"]) == (cls, CLASSES[cls], label,
                                                                                     "2026-07-20"), today
        assert item["rule"] == RULES["transfer_receipt"].rule and "回执" in item["rule"]
        assert due_counts(member, today) == due_summary(due_items(member, today))
    record_receipt(member, ID_MAN_1985, "2026-07-25")
    assert _receipt_items(member, date(2026, 7, 26)) == []


_ids = itertools.count(1)
_days = st.dates(date(2024, 1, 1), date(2026, 11, 30))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(letters=st.lists(st.tuples(_days, st.integers(0, 200), st.one_of(st.none(), st.integers(0, 120)),
                                  st.booleans()), max_size=5),
       today=st.dates(date(2024, 1, 1), date(2027, 6, 30)))
def test_transfer_due_items_agree_with_the_rule(reg: Registry, letters: list[tuple[date, int, int | None, bool]],
                                               today: date) -> None:
    """Any letters (some received, some month-only validity, some of people who left) get the rule's class."""
    with reg.transaction("test.reset") as tx:
        for (old,) in tx.conn.execute("SELECT id FROM people").fetchall():
            tx.delete("people", old)
        stamp = "2026-01-01T00:00:00"
        want = set()
        for n, (issued, valid_days, received_days, left) in enumerate(letters):
            pid = tx.insert("people", {"name": f"人{n}", "id_number": f"T{next(_ids):017d}", "category": "正式党员",
                                       "left_on": "2026-05-01" if left else None,
                                       "created_at": stamp, "updated_at": stamp})
            valid = issued + timedelta(days=valid_days)
            valid_text = valid.isoformat()[:7] if valid_days % 7 == 0 else valid.isoformat()
            received = None if received_days is None else (issued + timedelta(days=received_days)).isoformat()
            tx.insert("transfers", {"person_id": pid, "direction": "out", "to_org": TO,
                                    "issued_on": issued.isoformat(), "valid_until": valid_text,
                                    "received_on": received})
            if received is None and not left:
                cls = due_class("transfer_receipt", PartialDate.from_iso(valid_text), today)
                want.add((f"人{n}", valid_text, cls))
    items = _receipt_items(reg, today)
    assert {(i["name"], i["due"], i["class"]) for i in items} == want
    assert len(items) == len(want)  # a pending letter is always listed, never dropped for being far off
    assert all(i["label"] == ("介绍信已过有效期未回执" if i["class"] == "overdue" else "转出待接收，待回执")
               for i in items)
    assert due_counts(reg, today) == due_summary(due_items(reg, today))


# --- 4. transfer in: managed from the arrival, relation change dated by it --------------------------------
def test_transfer_in_dates_the_arrival(branch: Registry) -> None:
    add_person(branch, name="李芳", id_number=ID_WOMAN_1992, category="正式党员", joined_on="2015-07-01")
    transfer_in(branch, ID_WOMAN_1992, organization="城南快递联合党支部", from_org="湖北省黄冈市某镇党委",
                issued_on="2026-10-02", arrived_on="2026-10-08")
    p = get_person(branch, ID_WOMAN_1992)
    assert (p["managed_from"], p["managed_how"], p["relation"]) == ("2026-10-08", "组织关系转入", "在册")
    assert statistics(branch, date(2026, 10, 7))["members"]["registered"] == 0  # not ours before arriving
    assert statistics(branch, date(2026, 10, 8))["members"]["registered"] == 1


def test_a_flowing_member_transferred_in_keeps_the_day_they_reported(branch: Registry) -> None:
    add_person(branch, name="李芳", id_number=ID_WOMAN_1992, category="正式党员", joined_on="2015-07-01",
               managed_from="2026-03-05", managed_how="流入报到", relation="流入",
               home_organization="湖北省黄冈市某镇党委", reported_on="2026-03-05")
    transfer_in(branch, ID_WOMAN_1992, organization="城南快递联合党支部", from_org="湖北省黄冈市某镇党委",
                arrived_on="2026-10-08")
    p = get_person(branch, ID_WOMAN_1992)
    assert (p["managed_from"], p["managed_how"], p["relation"]) == ("2026-03-05", "流入报到", "在册")
    (span,) = branch.query("SELECT valid_to, relation FROM person_states WHERE person_id = ?", (p["id"],))
    assert span == {"valid_to": "2026-10-08", "relation": "流入"}  # dated by the arrival, not by today
    assert statistics(branch, date(2026, 10, 7))["members"]["flowing_in"] == 1
    after = statistics(branch, date(2026, 10, 8))["members"]
    assert (after["registered"], after["flowing_in"]) == (1, 0)


def test_transfer_in_without_records_before_leaves_managed_from_empty(branch: Registry) -> None:
    pid = add_person(branch, name="李芳", id_number=ID_WOMAN_1992, category="正式党员", joined_on="2015-07-01")
    with branch.transaction("test.legacy") as tx:  # a row from before dated membership: managed_from NULL
        tx.update("people", pid, {"managed_from": None})
    transfer_in(branch, ID_WOMAN_1992, organization="城南快递联合党支部", from_org="某镇党委", arrived_on="2026-10-08")
    p = get_person(branch, ID_WOMAN_1992)
    assert p["managed_from"] is None and p["managed_how"] == "新录入"


def test_transfer_in_arrival_is_a_whole_past_day_defaulting_to_today(branch: Registry) -> None:
    add_person(branch, name="李芳", id_number=ID_WOMAN_1992, category="正式党员", joined_on="2015-07-01")
    before = _writes(branch)
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    for day, message in (("2026-10", "具体到日"), (tomorrow, "晚于今天"), ("2026-09-30", "早于介绍信开具日期")):
        with pytest.raises(UserError, match=message):
            transfer_in(branch, ID_WOMAN_1992, organization="城南快递联合党支部", from_org="某镇党委",
                        issued_on="2026-10-02", arrived_on=day)
    assert _writes(branch) == before
    transfer_in(branch, ID_WOMAN_1992, organization="城南快递联合党支部", from_org="某镇党委")
    (t,) = list_transfers(branch, ID_WOMAN_1992)
    assert (t["arrived_on"], t["status"]) == (date.today().isoformat(), "已转入")
