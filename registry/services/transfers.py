"""Transfers out that finish: the letter's 有效期, the 回执 that ends the member's time here, or the letter cancelled.

A member whose relationship is sent on stays counted here as 转出待接收 until the receiving organisation's 回执
comes back (回执制度, RULE_RECEIPT): only the receipt sets left_on, dated by the receipt.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from registry.display import cn_date
from registry.errors import UserError
from registry.rules.dates import PartialDate
from registry.rules.deadlines import letter_valid_until
from registry.services.people import prepare, require_person
from registry.storage.database import Registry, Tx
from registry.validation import user_date

# A transfer out still waiting for its 回执, on transfers aliased t (the due list and the listings use it).
PENDING_OUT = "t.direction = 'out' AND t.received_on IS NULL"
PENDING_LABEL = "转出待接收"
STATUS_SQL = ("CASE WHEN t.direction = 'in' THEN '已转入' WHEN t.received_on IS NULL THEN '转出待接收'"
              " ELSE '已回执' END")


def default_valid_until(issued_on: str) -> str:
    """The 有效期 a letter issued on `issued_on` gets when none is written on it (stored ISO text)."""
    return str(letter_valid_until(PartialDate.from_iso(issued_on)))


def pending_out(reg: Registry | Tx, person_id: int) -> dict[str, Any] | None:
    """The person's transfer out still waiting for its 回执 (there is at most one), or None."""
    cur = reg.conn.execute(f"SELECT * FROM transfers t WHERE t.person_id = ? AND {PENDING_OUT}"
                           " ORDER BY t.id DESC LIMIT 1", (person_id,))
    row = cur.fetchone()
    return dict(zip([d[0] for d in cur.description], row, strict=True)) if row else None


def describe_pending(transfer: dict[str, Any]) -> str:
    """One line for a pending transfer out, as `person show` and the dialog print it."""
    parts = [f"转往{transfer['to_org'] or '（未填写）'}"]
    if transfer.get("letter_no"):
        parts.append(f"介绍信{transfer['letter_no']}")
    parts.append(f"{cn_date(transfer['issued_on'])}开具")
    if transfer.get("valid_until"):
        parts.append(f"有效期至{cn_date(transfer['valid_until'])}")
    if transfer.get("dues_paid_to"):
        parts.append(f"党费交至{cn_date(transfer['dues_paid_to'])}")
    return f"{PENDING_LABEL}（{'，'.join(parts)}），待回执"


def transfer_status(reg: Registry, key: str | int) -> str | None:
    """The person's pending transfer out in words, or None when there is none."""
    pending = pending_out(reg, require_person(reg, key)["id"])
    return describe_pending(pending) if pending else None


def _chosen(tx: Tx, person: dict[str, Any], transfer_id: int | None) -> dict[str, Any]:
    """The pending transfer out a receipt or a cancellation is about; a sentence when there is none."""
    if transfer_id is None:
        found = pending_out(tx, person["id"])
        if found is None:
            raise UserError(f"{person['name']}没有待回执的组织关系转出记录；请先登记组织关系转出。")
        return found
    row = tx.get("transfers", transfer_id)
    if row is None or row["person_id"] != person["id"] or row["direction"] != "out":
        raise UserError(f"找不到{person['name']}编号为{transfer_id}的组织关系转出记录，请用 transfer list 核对编号。")
    if row["received_on"]:
        raise UserError(f"这次转出已于{cn_date(row['received_on'])}登记回执，不能再登记或撤销。")
    return row


def record_receipt(reg: Registry, key: str | int, received_on: object, transfer_id: int | None = None) -> int:
    """The receiving organisation's 回执 came back: the transfer is complete and the person leaves on that day."""
    received = user_date("回执日期", received_on, required=True, day=True) or ""  # required: never empty
    if received > date.today().isoformat():
        raise UserError(f"回执日期{received}晚于今天，请在收到回执后按实际日期登记。")
    with reg.transaction("transfer.receipt") as tx:
        person = require_person(tx, key)
        transfer = _chosen(tx, person, transfer_id)
        issued = transfer["issued_on"]
        if issued and received < PartialDate.from_iso(issued).first_day().isoformat():
            raise UserError(f"回执日期{received}早于介绍信开具日期{issued}，请核对回执上的日期。")
        managed = person.get("managed_from")
        if managed and received < managed:
            raise UserError(f"回执日期{received}早于{person['name']}的纳入管理日期{managed}，请核对这两个日期。")
        tx.effective = received
        tx.update("transfers", transfer["id"], {"received_on": received}, label=person["name"], old=transfer)
        values = prepare(tx, {"left_on": received, "left_how": "组织关系转出"}, person)
        values["left_reason"] = f"组织关系转出至{transfer['to_org']}"
        tx.update("people", person["id"], values, label=person["name"], old=person)
        tx.summary(f"{person['name']} 组织关系转出回执（转往{transfer['to_org']}，{received}）")
        return int(transfer["id"])


def cancel_transfer(reg: Registry, key: str | int, transfer_id: int | None = None) -> int:
    """The letter was not used: the pending transfer out is deleted and the person simply stays."""
    with reg.transaction("transfer.cancel") as tx:
        person = require_person(tx, key)
        transfer = _chosen(tx, person, transfer_id)
        tx.delete("transfers", transfer["id"], label=person["name"])
        tx.summary(f"{person['name']} 撤销组织关系转出（介绍信{cn_date(transfer['issued_on'])}开具，未使用）")
        return int(transfer["id"])
