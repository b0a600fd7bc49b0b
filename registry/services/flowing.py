"""Flowing members (流动党员) reporting here, and transfers of the formal relationship in and out."""

from __future__ import annotations

from datetime import date
from typing import Any

from registry.display import cn_date
from registry.errors import UserError
from registry.rules.categories import is_member
from registry.rules.dates import PartialDate
from registry.rules.text import clean_text
from registry.services.dues_ledger import paid_up_to
from registry.services.organizations import require_org
from registry.services.people import prepare, require_person
from registry.services.transfers import (
    PENDING_LABEL,
    PENDING_OUT,
    STATUS_SQL,
    default_valid_until,
    pending_out,
)
from registry.storage.database import Registry
from registry.validation import user_date


def register_report(reg: Registry, key: str | int, *, home_organization: str, reported_on: object,
                    home_contact: str | None = None, certificate_no: str | None = None,
                    organization: str | None = None, station: str | int | None = None,
                    station_community: str | None = None) -> dict[str, tuple[Any, Any]]:
    """A member whose relationship is held elsewhere reports (报到) to an organisation here.

    `station`: the 党员报到点 she reported at (a care station offering 党员报到处); the record names it.
    """
    if not clean_text(home_organization):
        raise UserError("请填写流动党员组织关系所在的党组织（流出地党组织）。")
    with reg.transaction("flowing.report") as tx:
        person = require_person(tx, key)
        if not is_member(person["category"]):
            raise UserError(f"{person['name']}是{person['category']}，只有党员才能登记为流动党员报到。")
        changes: dict[str, object] = {"flowing": True, "home_organization": home_organization,
                                      "reported_on": reported_on}
        if home_contact is not None:
            changes["home_contact"] = home_contact
        if certificate_no is not None:
            changes["certificate_no"] = certificate_no
        if organization is not None:
            changes["organization"] = organization
        values = prepare(tx, changes, person)
        point = ""
        if station is not None:
            from registry.services.stations import report_point_values

            values.update(report_point_values(tx, station, station_community, values.get("reported_on")))
            point = f"（报到点：{values['report_point']}）"
        tx.summary(f"{person['name']} 流动党员报到{point}")
        return tx.update("people", person["id"], values, label=person["name"], old=person)


def transfer_in(reg: Registry, key: str | int, *, organization: str, from_org: str, letter_no: str | None = None,
                issued_on: object = None, arrived_on: object = None, dues_paid_to: object = None) -> int:
    """The member's formal relationship moves here on the arrival day: 在册 from then, no longer flowing.

    The change of relation and organisation is dated by the arrival (reports before it keep the old state); a
    person not under management before that day (managed_from on or after it) came here by 组织关系转入.
    """
    arrived = user_date("报到日期", arrived_on if arrived_on not in (None, "") else date.today().isoformat(),
                        day=True) or ""
    if arrived > date.today().isoformat():
        raise UserError(f"报到日期{arrived}晚于今天，请在党员实际报到后登记。")
    issued = user_date("介绍信开具日期", issued_on)
    if issued and arrived < PartialDate.from_iso(issued).first_day().isoformat():
        raise UserError(f"报到日期{arrived}早于介绍信开具日期{issued}，请核对这两个日期。")
    with reg.transaction("transfer.in") as tx:
        person = require_person(tx, key)
        if not is_member(person["category"]):
            raise UserError(f"{person['name']}是{person['category']}，只有党员才能转入组织关系。")
        org = require_org(tx, organization)
        row = {"person_id": person["id"], "direction": "in", "letter_no": clean_text(letter_no),
               "from_org": clean_text(from_org), "to_org": org["name"], "issued_on": issued,
               "arrived_on": arrived, "dues_paid_to": user_date("党费交至", dues_paid_to)}
        transfer_id = tx.insert("transfers", row, label=person["name"])
        changes: dict[str, object] = {"relation": "在册", "organization": org["name"], "home_organization": None,
                                      "left_on": None}
        managed = person.get("managed_from")
        if managed is not None and managed >= arrived:  # NULL: here before records were kept, nothing to date
            changes.update(managed_from=arrived, managed_how="组织关系转入")
        tx.effective = arrived
        values = prepare(tx, changes, person)
        tx.update("people", person["id"], values, label=person["name"], old=person)
        tx.summary(f"{person['name']} 组织关系转入 {org['name']}（{arrived}报到）")
        return transfer_id


def transfer_out(reg: Registry, key: str | int, *, to_org: str, letter_no: str | None = None,
                 issued_on: object = None, dues_paid_to: object = None, valid_until: object = None) -> int:
    """The member's relationship is sent on with a letter: recorded with its 有效期 (default LETTER_VALID_MONTHS).

    The member stays counted here as 转出待接收 until the 回执 is recorded (services.transfers.record_receipt).
    """
    if not clean_text(to_org):
        raise UserError("请填写组织关系转往的党组织。")
    issued = user_date("介绍信开具日期", issued_on)
    if not issued:
        raise UserError("请填写介绍信开具日期。")
    valid = user_date("介绍信有效期", valid_until) or default_valid_until(issued)
    if PartialDate.from_iso(valid).last_day() < PartialDate.from_iso(issued).first_day():
        raise UserError(f"介绍信有效期{valid}早于开具日期{issued}，请核对介绍信上的有效期。")
    with reg.transaction("transfer.out") as tx:
        person = require_person(tx, key)
        if not is_member(person["category"]):
            raise UserError(f"{person['name']}是{person['category']}，只有党员才能转出组织关系。")
        if person["flowing"]:
            raise UserError(f"{person['name']}是流动党员，组织关系不在本地，无法从这里转出；如已离开，请登记离开日期。")
        if person.get("left_on"):
            raise UserError(f"{person['name']}已于{cn_date(person['left_on'])}离开本单位，不能再转出组织关系。")
        waiting = pending_out(tx, person["id"])
        if waiting is not None:
            raise UserError(f"{person['name']}已有一份{cn_date(waiting['issued_on'])}开具、转往{waiting['to_org']}的介绍信尚未回执；"
                            "请先登记回执，或撤销那次转出后再开。")
        org_name = None
        if person.get("organization_id"):
            org_name = tx.conn.execute("SELECT name FROM organizations WHERE id = ?",
                                       (person["organization_id"],)).fetchone()[0]
        row = {"person_id": person["id"], "direction": "out", "letter_no": clean_text(letter_no),
               "from_org": org_name, "to_org": clean_text(to_org), "issued_on": issued, "arrived_on": None,
               "dues_paid_to": user_date("党费交至", dues_paid_to) or paid_up_to(tx, person["id"]),  # from the dues
               "valid_until": valid}
        transfer_id = tx.insert("transfers", row, label=person["name"])
        tx.summary(f"{person['name']} 组织关系转出至{clean_text(to_org)}（{PENDING_LABEL}，有效期至{valid}，待回执）")
        return transfer_id


def list_transfers(reg: Registry, key: str | int | None = None, *, pending: bool = False) -> list[dict[str, Any]]:
    """Transfers, newest first, each with its status (已转入 / 转出待接收 / 已回执); `pending`: only 转出待接收."""
    clauses, params = ["1"], []
    if key is not None:
        clauses.append("t.person_id = ?")
        params.append(require_person(reg, key)["id"])
    if pending:
        clauses.append(PENDING_OUT)
    return reg.query(f"SELECT t.*, {STATUS_SQL} AS status, p.name, p.id_number FROM transfers t"
                     f" JOIN people p ON p.id = t.person_id WHERE {' AND '.join(clauses)}"
                     f" ORDER BY coalesce(t.issued_on, t.arrived_on) DESC, t.id DESC", params)


# Flowing out (流出) and back: a member held here who goes to work elsewhere stays counted here (在册 group) ----


def _move_day(label: str, value: object, person: dict[str, Any]) -> str:
    """The day a flowing move took effect: a whole day, not in the future, not before her current state began."""
    import datetime

    day = user_date(label, value, required=True, day=True) or ""  # required: never empty here
    if day > datetime.date.today().isoformat():
        raise UserError(f"{label}{day}晚于今天；尚未发生的变动请到当天再登记。")
    start = person.get("state_from") or person.get("managed_from")
    if start and day < start:
        raise UserError(f"{label}{day}早于{person['name']}上一次变动或纳入管理的日期{start}，请核对日期；"
                        "如以前的记录有误，请先在人员信息中更正。")
    return day


def flow_out(reg: Registry, key: str | int, *, destination: str, left_on: object,
             contact: str | None = None) -> dict[str, tuple[Any, Any]]:
    """A member held here goes to work elsewhere (流出): where to, since when, a contact there; dated by left_on."""
    where = clean_text(destination)
    if not where:
        raise UserError("请填写外出流向（如：广东省深圳市），即该党员外出工作生活的地方。")
    with reg.transaction("flowing.out") as tx:
        person = require_person(tx, key)
        name = person["name"]
        if not is_member(person["category"]):
            raise UserError(f"{name}是{person['category']}，只有党员才能登记为外出流动党员。")
        if person.get("left_on"):
            raise UserError(f"{name}已于{cn_date(person['left_on'])}离开本单位，不能再登记外出；如已回来，请先清除离开日期。")
        relation = person.get("relation") or "在册"
        if relation == "流入":
            raise UserError(f"{name}是流入党员，组织关系不在本单位，不能登记为从本单位流出；"
                            "如已离开本地，请登记离开日期，并告知其组织关系所在党组织。")
        if relation == "流出":
            raise UserError(f"{name}已登记为外出流动党员（外出流向：{person.get('flow_destination') or '未填写'}），"
                            "如流向有变，请在人员信息中修改外出流向。")
        if relation == "待核实":
            raise UserError(f"{name}的组织关系待核实，请先核实并登记为在册后，再登记外出。")
        day = _move_day("外出日期", left_on, person)
        tx.effective = day
        changes: dict[str, object] = {"relation": "流出", "flow_destination": where, "flow_left_on": day}
        if contact is not None:
            changes["flow_contact"] = contact
        values = prepare(tx, changes, person)
        tx.summary(f"{name} 外出流动（流出至{where}）")
        return tx.update("people", person["id"], values, label=name, old=person)


def flow_return(reg: Registry, key: str | int, *, returned_on: object) -> dict[str, tuple[Any, Any]]:
    """A member who had gone elsewhere (流出) is back: 在册 again from returned_on, the destination cleared."""
    with reg.transaction("flowing.return") as tx:
        person = require_person(tx, key)
        name = person["name"]
        if person.get("relation") != "流出":
            raise UserError(f"{name}没有登记为外出流动党员（流出），无需登记返回。")
        day = _move_day("返回日期", returned_on, person)
        if person.get("flow_left_on") and day < person["flow_left_on"]:
            raise UserError(f"返回日期{day}早于外出日期{person['flow_left_on']}，请核对日期。")
        tx.effective = day
        values = prepare(tx, {"relation": "在册", "flow_destination": None, "flow_left_on": None,
                              "flow_contact": None}, person)
        tx.summary(f"{name} 外出返回")
        return tx.update("people", person["id"], values, label=name, old=person)
