"""党费 records: a member's monthly base (dated), payments covering one or several months, their corrections.

Every check is one Chinese sentence and changes nothing; every write goes through the audited writer, and a save
that changes nothing writes nothing.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from registry.display import cn_date
from registry.errors import UserError
from registry.rules import dues as rules
from registry.rules.categories import is_member
from registry.rules.text import clean_text
from registry.services.dues_ledger import DuesBase, DuesPayment, bases_of, payments_of
from registry.services.people import require_person
from registry.storage.database import Registry, Tx
from registry.validation import user_date

_RANGE = re.compile(r"\s*(.+?)\s*(?:\.\.|至|~|～|—|－|--)\s*(.+?)\s*$")


def parse_month(value: object, label: str = "月份") -> str:
    """'2026-03', '2026.3', '2026年3月' (a day is dropped: a payment is for a month) as 'YYYY-MM'."""
    iso = user_date(label, value, required=True) or ""
    return iso[:7]


def parse_months(value: object) -> tuple[str, str]:
    """'2026-01..2026-06' (or 至, ~), or a single month: (first, last)."""
    text = str(value or "").strip()
    if not text:
        raise UserError("请填写交纳的月份，如 2026-01..2026-06 或 2026-03。")
    found = _RANGE.match(text) if not re.fullmatch(r"\d{4}-\d{1,2}(-\d{1,2})?", text) else None
    first, last = (parse_month(found.group(1)), parse_month(found.group(2))) if found else \
        (parse_month(text), parse_month(text))
    if last < first:
        raise UserError(f"交纳月份“{text}”的结束月早于起始月，请按“起始月..结束月”填写，如 2026-01..2026-06。")
    return first, last


def _amount(value: object, label: str) -> Decimal:
    try:
        return rules.money(value, label)
    except ValueError as exc:
        raise UserError(str(exc)) from exc


def _member(tx: Registry | Tx, key: str | int) -> dict[str, Any]:
    person = require_person(tx, key)
    if not is_member(person["category"]):
        raise UserError(f"{person['name']}是{person['category']}，只有预备党员和正式党员交纳党费。")
    if person.get("left_on"):
        raise UserError(f"{person['name']}已于{cn_date(person['left_on'])}离开本单位，不再登记党费。")
    return person


@dataclass(frozen=True)
class BaseInput:
    """What set-base is given, before checking."""

    from_month: object
    payer_class: str | None = None
    base: object = None
    amount: object = None
    reason: str | None = None
    pays_at: str | None = None
    notes: str | None = None


def checked_base(person: dict[str, Any], given: BaseInput, today: datetime.date) -> dict[str, Any]:
    """The stored values of a base row, or a sentence saying what is wrong."""
    name = person["name"]
    from_month = parse_month(given.from_month, "起始月份")
    if from_month > rules.prepay_limit(today):
        raise UserError(f"起始月份{cn_date(from_month)}太远，最多登记到{cn_date(rules.prepay_limit(today))}，请核对年份。")
    pays_at = given.pays_at or rules.PAYS_AT[0]
    if pays_at not in rules.PAYS_AT:
        raise UserError(f"交纳地点只能是{'或'.join(rules.PAYS_AT)}。")
    notes = clean_text(given.notes)
    if pays_at == rules.PAYS_HOME:
        if person.get("relation") != "流入":
            raise UserError(f"{name}的组织关系在本单位，应向本单位党支部交纳党费，不能登记为在原籍党组织交纳。")
        return {"from_month": from_month, "payer_class": None, "base": None, "amount": None, "reason": None,
                "pays_at": pays_at, "notes": notes}
    payer_class = given.payer_class or rules.DEFAULT_CLASS
    if payer_class not in rules.CLASSES:
        raise UserError(f"没有“{payer_class}”这一交纳类别，请从{'、'.join(rules.CLASS_NAMES)}中选择。")
    cls = rules.CLASSES[payer_class]
    base = None
    if cls.needs_base:
        if given.base in (None, ""):
            raise UserError(f"{payer_class}党员按{cls.base_label}计算党费，请填写交纳基数（元）。")
        base = _amount(given.base, "交纳基数")
        if base <= 0:
            raise UserError("交纳基数必须大于0；没有收入的党员请选择下岗失业等类别。")
    rate = rules.monthly_amount(payer_class, base)
    amount = rate if given.amount in (None, "") else _amount(given.amount, "每月党费")
    if amount < 0:
        raise UserError("每月党费不能是负数。")
    reason = clean_text(given.reason)
    if amount < rate and not reason:
        raise UserError(f"按规定{name}每月应交{rules.money_text(rate)}元（{rules.rate_text(payer_class, base)}），"
                        f"登记的{rules.money_text(amount)}元少于此数；少交或免交须经党支部研究、报上级党委批准，"
                        "请填写原因。")
    return {"from_month": from_month, "payer_class": payer_class, "base": rules.money_text(base) or None,
            "amount": rules.money_text(amount), "reason": reason,
            "pays_at": pays_at, "notes": notes}


def _label(person: dict[str, Any]) -> str:
    return str(person["name"])


def set_base(reg: Registry, key: str | int, given: BaseInput, today: datetime.date | None = None) -> int | None:
    """Register a member's base from a month on (a later change keeps the earlier months' base); the id of the row,
    or None when the same row was already there unchanged."""
    today = today or datetime.date.today()
    with reg.transaction("dues.base") as tx:
        person = _member(tx, key)
        values = checked_base(person, given, today)
        existing = tx.conn.execute("SELECT id FROM dues_bases WHERE person_id = ? AND from_month = ?",
                                   (person["id"], values["from_month"])).fetchone()
        if existing:
            changed = tx.update("dues_bases", existing[0], values, label=_label(person))
            if changed:
                tx.summary(f"{person['name']} 修改党费基数（{cn_date(values['from_month'])}起）")
            return int(existing[0]) if changed else None
        row_id = tx.insert("dues_bases", {"person_id": person["id"], **values}, label=_label(person))
        what = "在原籍党组织交纳党费" if values["pays_at"] == rules.PAYS_HOME else \
            f"{values['payer_class']}，每月{values['amount']}元"
        tx.summary(f"{person['name']} 登记党费基数（{cn_date(values['from_month'])}起，{what}）")
        return row_id


def _base_row(tx: Registry | Tx, base_id: int) -> tuple[DuesBase, dict[str, Any]]:
    row = tx.conn.execute("SELECT person_id FROM dues_bases WHERE id = ?", (base_id,)).fetchone()
    if row is None:
        raise UserError(f"找不到编号为{base_id}的党费基数记录，请用 dues list 核对编号。")
    person = require_person(tx, int(row[0]))
    return next(b for b in bases_of(tx, person["id"]) if b.id == base_id), person


def _payments_still_based(tx: Tx, person: dict[str, Any]) -> None:
    """After a base changed or went: every payment still falls in months she pays here."""
    bases = bases_of(tx, person["id"])
    for p in payments_of(tx, person["id"]):
        for m in p.months:
            base = next((b for b in reversed(bases) if b.from_month <= m), None)
            if base is None or not base.pays_here:
                raise UserError(f"{person['name']}{cn_date(p.paid_on)}交纳的{_span(p.first_month, p.last_month)}党费"
                                f"将没有在本单位交纳的基数；请先修改或删除那条交纳记录。")


def edit_base(reg: Registry, base_id: int, given: BaseInput, today: datetime.date | None = None) -> bool:
    """Correct a base row; True if anything changed (an unchanged save writes nothing)."""
    today = today or datetime.date.today()
    with reg.transaction("dues.base.edit") as tx:
        old, person = _base_row(tx, base_id)
        values = checked_base(person, given, today)
        clash = tx.conn.execute("SELECT id FROM dues_bases WHERE person_id = ? AND from_month = ? AND id <> ?",
                                (person["id"], values["from_month"], base_id)).fetchone()
        if clash:
            raise UserError(f"{person['name']}已有{cn_date(values['from_month'])}起的党费基数（编号{clash[0]}），"
                            "请修改那一条。")
        changed = tx.update("dues_bases", base_id, values, label=_label(person))
        if changed:
            _payments_still_based(tx, person)
            tx.summary(f"{person['name']} 修改党费基数（{cn_date(old.from_month)}起）")
        return bool(changed)


def delete_base(reg: Registry, base_id: int) -> None:
    with reg.transaction("dues.base.delete") as tx:
        old, person = _base_row(tx, base_id)
        tx.delete("dues_bases", base_id, label=_label(person))
        _payments_still_based(tx, person)
        tx.summary(f"{person['name']} 删除党费基数（{cn_date(old.from_month)}起）")


# Payments --------------------------------------------------------------------------------------------------------

def _span(first: str, last: str) -> str:
    return cn_date(first) if first == last else f"{cn_date(first)}至{cn_date(last)}"


@dataclass(frozen=True)
class PaymentInput:
    """What a payment is given, before checking: months as '2026-01..2026-06', the amount for all of them."""

    months: object
    paid_on: object
    amount: object = None
    reason: str | None = None
    notes: str | None = None


def due_for(bases: list[DuesBase], months: list[str]) -> list[Decimal | None]:
    """What each month owes here (None: no base, or she pays at home that month)."""
    out: list[Decimal | None] = []
    for m in months:
        base = next((b for b in reversed(bases) if b.from_month <= m), None)
        out.append(None if base is None or not base.pays_here else base.amount or Decimal(0))
    return out


def checked_payment(tx: Registry | Tx, person: dict[str, Any], given: PaymentInput, today: datetime.date,
                    skip_id: int | None = None) -> dict[str, Any]:
    """The stored values of a payment, or a sentence saying what is wrong."""
    name = person["name"]
    first, last = parse_months(given.months)
    paid_on = user_date("交纳日期", given.paid_on, required=True, day=True) or ""
    if paid_on > today.isoformat():
        raise UserError(f"交纳日期{cn_date(paid_on)}晚于今天，请按实际交纳的日期登记。")
    limit = rules.prepay_limit(today)
    if last > limit:
        raise UserError(f"{_span(first, last)}超出可预交的范围：最多预交到{cn_date(limit)}"
                        f"（{rules.PREPAY_MONTHS}个月），请核对月份。")
    joined = (person.get("joined_on") or "")[:7]
    if joined and first < joined:
        raise UserError(f"{name}于{cn_date(person['joined_on'])}成为预备党员，自该月起交纳党费；"
                        f"{cn_date(first)}还不是党员，请核对月份。")
    months = rules.months(first, last)
    bases = bases_of(tx, person["id"])
    owed = due_for(bases, months)
    if not bases or months[0] < bases[0].from_month:
        start = f"（现登记自{cn_date(bases[0].from_month)}起）" if bases else ""
        raise UserError(f"{name}{cn_date(months[0])}没有登记党费基数{start}，请先登记该月起的基数再登记交纳。")
    home = [m for m, d in zip(months, owed, strict=True) if d is None]
    if home:
        raise UserError(f"{name}{cn_date(home[0])}在原籍党组织交纳党费，本单位不登记这个月的交纳。")
    for p in payments_of(tx, person["id"]):
        if p.id != skip_id and p.first_month <= last and first <= p.last_month:
            twice = max(first, p.first_month)
            raise UserError(f"{name}{cn_date(twice)}的党费已于{cn_date(p.paid_on)}交纳（记录编号{p.id}），不能重复交纳；"
                            "如需更正，请修改那条记录。")
    due = sum((d or Decimal(0) for d in owed), Decimal(0))
    if given.amount in (None, ""):
        if due == 0:
            raise UserError(f"{name}{_span(first, last)}免交党费，无需登记交纳。")
        amount = due
    else:
        amount = _amount(given.amount, "交纳金额")
        if amount <= 0:
            raise UserError("交纳金额必须大于0元；免交党费请在基数中登记每月0元并写明原因。")
    reason = clean_text(given.reason)
    if amount < due and not reason:
        raise UserError(f"{name}{_span(first, last)}应交{rules.money_text(due)}元，登记的{rules.money_text(amount)}元"
                        "少于此数；少交须经党支部研究、报上级党委批准，请填写原因。")
    return {"first_month": first, "last_month": last, "paid_on": paid_on, "amount": rules.money_text(amount),
            "reason": reason, "notes": clean_text(given.notes)}


def pay(reg: Registry, keys: Sequence[str | int], given: PaymentInput, today: datetime.date | None = None) -> list[int]:
    """One payment per member for the same months (a branch collecting for several at once), all or none."""
    today = today or datetime.date.today()
    if not keys:
        raise UserError("请选择交纳党费的党员。")
    with reg.transaction("dues.pay") as tx:
        ids, names, total = [], [], Decimal(0)
        seen: set[int] = set()
        for key in keys:
            person = _member(tx, key)
            if person["id"] in seen:
                continue
            seen.add(person["id"])
            values = checked_payment(tx, person, given, today)
            ids.append(tx.insert("dues_payments", {"person_id": person["id"], **values}, label=_label(person)))
            names.append(person["name"])
            total += Decimal(values["amount"])
        first, last = parse_months(given.months)
        who = names[0] if len(names) == 1 else f"{names[0]}等{len(names)}人"
        tx.summary(f"{who} 交纳党费（{_span(first, last)}，合计{rules.money_text(total)}元）")
        return ids


def _payment_row(tx: Registry | Tx, payment_id: int) -> tuple[DuesPayment, dict[str, Any]]:
    row = tx.conn.execute("SELECT person_id FROM dues_payments WHERE id = ?", (payment_id,)).fetchone()
    if row is None:
        raise UserError(f"找不到编号为{payment_id}的党费交纳记录，请用 dues list 核对编号。")
    person = require_person(tx, int(row[0]))
    return next(p for p in payments_of(tx, person["id"]) if p.id == payment_id), person


def edit_payment(reg: Registry, payment_id: int, given: PaymentInput, today: datetime.date | None = None) -> bool:
    """Correct a payment; True if anything changed (an unchanged save writes nothing)."""
    today = today or datetime.date.today()
    with reg.transaction("dues.pay.edit") as tx:
        old, person = _payment_row(tx, payment_id)
        values = checked_payment(tx, person, given, today, skip_id=payment_id)
        changed = tx.update("dues_payments", payment_id, values, label=_label(person))
        if changed:
            tx.summary(f"{person['name']} 修改党费交纳记录（{_span(old.first_month, old.last_month)}）")
        return bool(changed)


def delete_payment(reg: Registry, payment_id: int) -> None:
    with reg.transaction("dues.pay.delete") as tx:
        old, person = _payment_row(tx, payment_id)
        tx.delete("dues_payments", payment_id, label=_label(person))
        tx.summary(f"{person['name']} 删除党费交纳记录（{_span(old.first_month, old.last_month)}，"
                   f"{rules.money_text(old.amount)}元）")


def payment_input(p: DuesPayment) -> PaymentInput:
    """A stored payment as the input that would save it unchanged (the dialog and `dues edit` start from it)."""
    return PaymentInput(f"{p.first_month}..{p.last_month}", p.paid_on, rules.money_text(p.amount), p.reason, p.notes)


def base_input(b: DuesBase) -> BaseInput:
    return BaseInput(b.from_month, b.payer_class, rules.money_text(b.base) or None,
                     rules.money_text(b.amount) or None, b.reason, b.pays_at, b.notes)


def rate_sentence(payer_class: str | None, base: object) -> str:
    """What the rules ask a month for this class and base, as the dialog shows it while the user types."""
    if not payer_class or payer_class not in rules.CLASSES:
        return ""
    cls = rules.CLASSES[payer_class]
    amount: Decimal | None = None
    if cls.needs_base:
        if base in (None, ""):
            return f"{payer_class}党员以{cls.base_label}为基数，请填写基数。"
        try:
            amount = rules.money(base, "交纳基数")
        except ValueError as exc:
            return str(exc)
        if amount <= 0:
            return "交纳基数必须大于0。"
    due = rules.monthly_amount(payer_class, amount)
    source = f"中组发〔2008〕3号{cls.article}"
    if not cls.needs_base:
        return f"按规定{rules.rate_text(payer_class, None)}（{source}），默认{rules.money_text(due)}元。"
    return f"按规定每月应交{rules.money_text(due)}元（{rules.rate_text(payer_class, amount)}，{source}）。"


def months_due_sentence(reg: Registry, person_ids: Sequence[int], months: object) -> str:
    """What the chosen months owe, for the payment dialog's hint: each member's amount for one or two, the total
    for more (empty months or a member without a base here are said so)."""
    try:
        first, last = parse_months(months)
    except UserError as exc:
        return exc.message
    span = rules.months(first, last)
    owed: list[tuple[str, Decimal | None]] = []
    for pid in person_ids:
        per_month = due_for(bases_of(reg, pid), span)
        name = require_person(reg, pid)["name"]
        owed.append((name, None if any(d is None for d in per_month)
                     else sum((d or Decimal(0) for d in per_month), Decimal(0))))
    missing = [n for n, a in owed if a is None]
    lead = f"{_span(first, last)}共{len(span)}个月："
    if missing:
        return lead + f"{'、'.join(missing[:3])}{'等' if len(missing) > 3 else ''}尚未登记这些月份在本单位交纳的基数。"
    if len(owed) <= 2:
        return lead + "；".join(f"{n}应交{rules.money_text(a)}元" for n, a in owed) + "。"
    total = sum((a or Decimal(0) for _, a in owed), Decimal(0))
    return lead + f"{len(owed)}人合计应交{rules.money_text(total)}元，每人按各自的基数计算。"


def bases_text(bases: Sequence[DuesBase]) -> str:
    """A member's bases in one line, as the base dialog lists them ("已登记：2026年1月起 在职 每月42.00元；…")."""
    if not bases:
        return "尚未登记党费基数。"
    parts = []
    for b in bases:
        what = "在原籍党组织交纳" if not b.pays_here else f"{b.payer_class} 每月{rules.money_text(b.amount)}元"
        parts.append(f"{cn_date(b.from_month)}起 {what}")
    return "已登记：" + "；".join(parts) + "。同一起始月份再次登记即修改该条。"
