"""党费: bases from a month on, payments over several months, each mistake one sentence, corrections audited."""

from __future__ import annotations

import datetime

import pytest

from registry.errors import UserError
from registry.services import dues
from registry.services.dues import BaseInput, PaymentInput
from registry.services.dues_ledger import bases_of, paid_up_to, payments_of
from registry.services.people import add_person
from registry.storage.database import Registry
from tests.services.dues_fixtures import id_for, member, setup_branch

TODAY = datetime.date(2026, 7, 10)


def _audit_rows(reg: Registry) -> int:
    return int(reg.scalar("SELECT count(*) FROM audit_log"))


def test_a_base_from_a_month_keeps_the_old_base_before(reg: Registry) -> None:
    setup_branch(reg)
    pid = member(reg, 1, "王芳")
    dues.set_base(reg, pid, BaseInput("2026-01", "在职", "4200"), TODAY)
    dues.set_base(reg, pid, BaseInput("2026-07", "在职", "5200"), TODAY)
    got = [(b.from_month, str(b.base), str(b.amount)) for b in bases_of(reg, pid)]
    assert got == [("2026-01", "4200.00", "42.00"), ("2026-07", "5200.00", "78.00")]
    dues.pay(reg, [pid], PaymentInput("2026-06..2026-07", "2026-07-01"), TODAY)
    assert str(payments_of(reg, pid)[0].amount) == "120.00"  # 42 for June, 78 for July


def test_one_payment_covers_several_months_and_moves_paid_to(reg: Registry) -> None:
    setup_branch(reg)
    pid = member(reg, 1, "王芳")
    dues.set_base(reg, pid, BaseInput("2026-01", "在职", "4200"), TODAY)
    assert paid_up_to(reg, pid, TODAY) is None
    dues.pay(reg, [pid], PaymentInput("2026-01..2026-06", "2026-06-30"), TODAY)
    assert paid_up_to(reg, pid, TODAY) == "2026-06"
    assert str(payments_of(reg, pid)[0].amount) == "252.00"


@pytest.mark.parametrize(("months", "paid_on", "amount", "message"), [
    ("2026-03", "2026-07-01", None, "不能重复交纳"),
    ("2026-02..2026-04", "2026-07-01", None, "不能重复交纳"),
    ("2015-01..2015-03", "2026-07-01", None, "还不是党员"),
    ("2027-08", "2026-07-01", None, "最多预交到"),
    ("2026-05", "2026-07-01", "-5", "必须大于0"),
    ("2026-05", "2026-07-01", "0", "必须大于0"),
    ("2026-05", "2026-07-01", "10", "请填写原因"),
    ("2026-05", "2026-08-01", None, "晚于今天"),
    ("2026-05", "2026-07", None, "具体到日"),
    ("2026-06..2026-05", "2026-07-01", None, "早于起始月"),
    ("2025-12", "2026-07-01", None, "没有登记党费基数"),
])
def test_each_mistake_is_one_sentence_and_changes_nothing(reg: Registry, months: str, paid_on: str,
                                                          amount: str | None, message: str) -> None:
    setup_branch(reg)
    pid = member(reg, 1, "王芳", joined_on="2015-06")
    dues.set_base(reg, pid, BaseInput("2015-01", "在职", "4200"), TODAY)  # a base older than her membership
    dues.set_base(reg, pid, BaseInput("2026-01", "在职", "4200"), TODAY)
    dues.delete_base(reg, bases_of(reg, pid)[0].id)
    dues.pay(reg, [pid], PaymentInput("2026-03", "2026-04-01"), TODAY)
    before = _audit_rows(reg)
    with pytest.raises(UserError, match=message) as raised:
        dues.pay(reg, [pid], PaymentInput(months, paid_on, amount), TODAY)
    assert "\n" not in raised.value.message
    assert _audit_rows(reg) == before


def test_a_month_before_she_joined_is_refused_with_a_month_only_date(reg: Registry) -> None:
    setup_branch(reg)
    pid = member(reg, 1, "李娜", category="预备党员", joined_on="2026-03")
    dues.set_base(reg, pid, BaseInput("2026-01", "在职", "3000"), TODAY)
    with pytest.raises(UserError, match="2026年3月成为预备党员"):
        dues.pay(reg, [pid], PaymentInput("2026-02..2026-04", "2026-05-01"), TODAY)
    dues.pay(reg, [pid], PaymentInput("2026-03..2026-04", "2026-05-01"), TODAY)
    assert str(payments_of(reg, pid)[0].amount) == "30.00"


def test_less_than_the_rate_needs_a_reason_more_is_welcome(reg: Registry) -> None:
    setup_branch(reg)
    pid = member(reg, 1, "王芳")
    with pytest.raises(UserError, match="少交或免交须经党支部研究"):
        dues.set_base(reg, pid, BaseInput("2026-01", "在职", "4200", amount="20"), TODAY)
    dues.set_base(reg, pid, BaseInput("2026-01", "在职", "4200", amount="20", reason="家庭困难，支部研究同意"), TODAY)
    dues.set_base(reg, pid, BaseInput("2026-03", "在职", "4200", amount="100"), TODAY)  # 自愿多交
    assert [str(b.amount) for b in bases_of(reg, pid)] == ["20.00", "100.00"]
    dues.pay(reg, [pid], PaymentInput("2026-01", "2026-02-01", "50"), TODAY)


def test_a_non_member_gets_a_sentence(reg: Registry) -> None:
    setup_branch(reg)
    pid = add_person(reg, name="赵强", id_number=id_for(9), category="群众")
    with pytest.raises(UserError, match="赵强是群众，只有预备党员和正式党员交纳党费"):
        dues.set_base(reg, pid, BaseInput("2026-01", "在职", "4200"), TODAY)


def test_a_flowing_in_member_may_pay_at_home_and_owes_nothing_here(reg: Registry) -> None:
    setup_branch(reg)
    pid = member(reg, 1, "周敏", relation="流入", flowing="是", home_organization="南充市某村党支部")
    here = member(reg, 2, "王芳")
    with pytest.raises(UserError, match="组织关系在本单位"):
        dues.set_base(reg, here, BaseInput("2026-01", pays_at="原籍党组织"), TODAY)
    dues.set_base(reg, pid, BaseInput("2026-01", pays_at="原籍党组织"), TODAY)
    with pytest.raises(UserError, match="在原籍党组织交纳党费"):
        dues.pay(reg, [pid], PaymentInput("2026-02", "2026-03-01"), TODAY)
    assert paid_up_to(reg, pid, TODAY) is None


def test_edits_and_deletions_are_audited_and_an_unchanged_save_writes_nothing(reg: Registry) -> None:
    setup_branch(reg)
    pid = member(reg, 1, "王芳")
    dues.set_base(reg, pid, BaseInput("2026-01", "在职", "4200"), TODAY)
    [pay_id] = dues.pay(reg, [pid], PaymentInput("2026-01..2026-03", "2026-04-01"), TODAY)
    before = _audit_rows(reg)
    payment = payments_of(reg, pid)[0]
    assert dues.edit_payment(reg, pay_id, dues.payment_input(payment), TODAY) is False
    base = bases_of(reg, pid)[0]
    assert dues.edit_base(reg, base.id, dues.base_input(base), TODAY) is False
    assert dues.set_base(reg, pid, BaseInput("2026-01", "在职", "4200"), TODAY) is None
    assert _audit_rows(reg) == before
    assert dues.edit_payment(reg, pay_id, PaymentInput("2026-01..2026-03", "2026-04-02"), TODAY) is True
    rows = reg.query("SELECT op, entity, field, old, new FROM audit_log WHERE id > ?", [before])
    assert [(r["op"], r["entity"], r["field"], r["old"], r["new"]) for r in rows] == [
        ("update", "dues_payments", "paid_on", "2026-04-01", "2026-04-02")]
    with pytest.raises(UserError, match="请先修改或删除那条交纳记录"):
        dues.delete_base(reg, base.id)
    dues.delete_payment(reg, pay_id)
    assert reg.scalar("SELECT op FROM audit_log ORDER BY id DESC LIMIT 1") == "delete"
    dues.delete_base(reg, base.id)
    assert bases_of(reg, pid) == []


def test_several_members_pay_at_once_or_none_do(reg: Registry) -> None:
    setup_branch(reg)
    a, b = member(reg, 1, "王芳"), member(reg, 2, "李强")
    dues.set_base(reg, a, BaseInput("2026-01", "在职", "4200"), TODAY)
    with pytest.raises(UserError, match="李强2026年1月没有登记党费基数"):
        dues.pay(reg, [a, b], PaymentInput("2026-01..2026-02", "2026-03-01"), TODAY)
    assert payments_of(reg, a) == []
    dues.set_base(reg, b, BaseInput("2026-01", "学生"), TODAY)
    ids = dues.pay(reg, [a, b], PaymentInput("2026-01..2026-02", "2026-03-01"), TODAY)
    assert len(ids) == 2 and str(payments_of(reg, b)[0].amount) == "0.40"


def test_transfer_letter_defaults_to_paid_to(reg: Registry) -> None:
    from registry.services.flowing import transfer_out

    setup_branch(reg)
    pid = member(reg, 1, "王芳")
    dues.set_base(reg, pid, BaseInput("2026-01", "在职", "4200"), datetime.date.today())
    dues.pay(reg, [pid], PaymentInput("2026-01..2026-04", "2026-04-30"), datetime.date.today())
    transfer_out(reg, pid, to_org="成都市某党支部", issued_on="2026-05-06")
    assert reg.scalar("SELECT dues_paid_to FROM transfers") == "2026-04"


def test_the_log_reads_dues_rows_in_chinese(reg: Registry) -> None:
    from registry.services.history import history, reference_names
    from registry.services.history_text import history_line

    setup_branch(reg)
    pid = member(reg, 1, "王芳")
    dues.set_base(reg, pid, BaseInput("2026-01", "在职", "4200"), TODAY)
    dues.pay(reg, [pid], PaymentInput("2026-01..2026-06", "2026-06-30"), TODAY)
    names = reference_names(reg)
    lines = [history_line(r, names).cells() for r in history(reg) if r["entity"].startswith("dues_")]
    assert [c[3] for c in lines] == ["党费交纳", "党费基数"]
    assert lines[0][5] == "交纳起始月：2026年1月；交纳截止月：2026年6月；交纳日期：2026年6月30日；交纳金额（元）：252.00"
    assert "交纳地点：本单位" in lines[1][5] and "person_id" not in lines[1][5]


def test_each_month_of_a_payment_shows_its_own_share_across_a_change_of_base(reg: Registry) -> None:
    from registry.services.dues_lists import year_summary

    setup_branch(reg)
    pid = member(reg, 1, "王芳")
    dues.set_base(reg, pid, BaseInput("2026-01", "在职", "4200"), TODAY)
    dues.set_base(reg, pid, BaseInput("2026-05", "在职", "5200"), TODAY)
    dues.pay(reg, [pid], PaymentInput("2026-03..2026-06", "2026-07-01"), TODAY)  # across the new base: 42 42 78 78
    dues.pay(reg, [pid], PaymentInput("2026-01..2026-02", "2026-07-01", "100", "多交"), TODAY)  # one base: 50 50
    [row] = [r for r in year_summary(reg, 2026, TODAY)["rows"] if r["person_id"] == pid]
    paid = {c["month"]: c["paid"] for c in row["cells"] if c["paid"]}
    assert paid == {"2026-01": "50.00", "2026-02": "50.00", "2026-03": "42.00", "2026-04": "42.00",
                    "2026-05": "78.00", "2026-06": "78.00"}
