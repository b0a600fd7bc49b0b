"""Commands that change data: organisations, outlets, people, stages, flowing members (meetings: commands_meetings;
volunteer service: commands_volunteer)."""

from __future__ import annotations

import argparse
from typing import Any

from registry.cli.commands_core import open_registry
from registry.cli.commands_development import add_step_flags, register_person, register_stage, step_fields
from registry.cli.output import print_json, print_table
from registry.display import cn_date, yes_no
from registry.fields import PERSON_FIELDS
from registry.rules.categories import MEMBER_CATEGORIES
from registry.rules.idnumber import mask_id
from registry.rules.membership import LEFT_HOW, MANAGED_HOW, RELATIONS, TRACKED_COLUMNS
from registry.rules.party_age import party_age_text
from registry.services import (
    development,
    development_steps,
    flowing,
    organizations,
    outlets,
    people,
    transfers,
)
from registry.services.dues_ledger import paid_up_to
from registry.services.history import record_reveal
from registry.services.org_life_start import begun_note

PERSON_FLAG_ALIASES = {"organization": ["--org"], "id_number": ["--id"]}
PERSON_HELP = {"managed_from": "纳入管理日期（写到日；报表自这一天起计入；新增时默认今天）",
               "managed_how": "纳入方式（新增时默认新录入）"}
PERSON_CHOICES = {"relation": RELATIONS, "managed_how": MANAGED_HOW, "left_how": LEFT_HOW}
# Columns the writer keeps for itself: an edit that touches only these changed nothing a user typed.
BOOKKEEPING = ("updated_at", "state_from", "sort_", "search_")
# Membership columns printed for a non-member only when they hold something other than the default.
MEMBER_DEFAULTS = {"relation": "在册", "status": "正常", "lost_contact": 0}


def _given(args: argparse.Namespace, keys: tuple[str, ...] | list[str]) -> dict[str, Any]:
    return {k: getattr(args, k) for k in keys if getattr(args, k, None) is not None}


def _flag(key: str) -> list[str]:
    flags = [f"--{key.replace('_', '-')}"]
    if "_" in key:
        flags.append(f"--{key}")
    return flags


# The placeholder a person flag shows in the help, by the field's kind.
KIND_METAVARS = {"date": "日期", "id": "身份证号", "phone": "号码", "category": "类别", "gender": "性别",
                 "bool": "是或否", "int": "整数", "ref": "名称"}


def shown(kind: str, value: Any) -> str:
    """A person's value as `person show` prints it: 是/否 for a flag, 2026年11月3日 for a date."""
    if kind == "bool":
        return yes_no(value)
    return cn_date(value) if kind == "date" else str(value)


def _add_person_flags(p: argparse.ArgumentParser) -> None:
    for f in PERSON_FIELDS:
        flags = _flag(f.key) + PERSON_FLAG_ALIASES.get(f.key, [])
        metavar = KIND_METAVARS.get(f.kind, "文字")
        if f.kind == "bool":
            p.add_argument(*flags, dest=f.key, nargs="?", const="是", default=None, metavar=metavar,
                           help=f"{f.label}（是/否）")
        elif f.kind in PERSON_CHOICES:
            p.add_argument(*flags, dest=f.key, default=None, metavar="取值",
                           help=f"{PERSON_HELP.get(f.key, f.label)}：{'、'.join(PERSON_CHOICES[f.kind])}")
        else:
            p.add_argument(*flags, dest=f.key, default=None, metavar=metavar, help=PERSON_HELP.get(f.key, f.label))


def cmd_org_add(args: argparse.Namespace) -> int:
    with open_registry(args) as reg:
        org_id = organizations.add_org(reg, **_given(args, organizations.ORG_FIELDS))
        print(f"已添加党组织：{args.name}")
        note = begun_note(reg, org_id)
        if note:
            print(f"{note}（命令行：meeting rules --org {args.name} --records-from 日期）")
    return 0


def cmd_org_edit(args: argparse.Namespace) -> int:
    with open_registry(args) as reg:
        changes = _given(args, [k for k in organizations.ORG_FIELDS if k != "name"])
        if args.new_name:
            changes["name"] = args.new_name
        diff = organizations.edit_org(reg, args.name, **changes)
        print(f"已修改{len(diff)}项。" if diff else "没有需要修改的内容。")
    return 0


def cmd_org_delete(args: argparse.Namespace) -> int:
    with open_registry(args) as reg:
        organizations.delete_org(reg, args.name)
        print(f"已删除党组织：{args.name}")
    return 0


def cmd_org_list(args: argparse.Namespace) -> int:
    with open_registry(args) as reg:
        rows = organizations.list_orgs(reg)
    if args.json:
        print_json(rows)
    else:
        print_table([("　" * r["depth"] + r["name"], r["type"], r["secretary"], r["people"], r["outlets"]) for r in rows],
                    ["党组织", "类型", "书记", "人数", "网点"])
    return 0


def cmd_outlet_add(args: argparse.Namespace) -> int:
    with open_registry(args) as reg:
        outlets.add_outlet(reg, **_given(args, outlets.OUTLET_FIELDS))
        print(f"已添加网点：{args.name}")
    return 0


def cmd_outlet_edit(args: argparse.Namespace) -> int:
    with open_registry(args) as reg:
        changes = _given(args, [k for k in outlets.OUTLET_FIELDS if k not in ("name", "brand")])
        if args.new_name:
            changes["name"] = args.new_name
        if args.new_brand:
            changes["brand"] = args.new_brand
        diff = outlets.edit_outlet(reg, args.name, args.brand, **changes)
        print(f"已修改{len(diff)}项。" if diff else "没有需要修改的内容。")
    return 0


def cmd_outlet_delete(args: argparse.Namespace) -> int:
    with open_registry(args) as reg:
        outlets.delete_outlet(reg, args.name, args.brand)
        print(f"已删除网点：{args.name}")
    return 0


def cmd_outlet_list(args: argparse.Namespace) -> int:
    with open_registry(args) as reg:
        rows = outlets.list_outlets(reg)
    if args.json:
        print_json(rows)
    else:
        print_table([(r["name"], r["brand"], r["street"], r["workers"], r["organization"], r["people"], r["members"])
                     for r in rows], ["网点", "品牌", "街道", "从业人员", "党组织", "登记人数", "党员"])
    return 0


def cmd_person_add(args: argparse.Namespace) -> int:
    with open_registry(args) as reg:
        people.add_person(reg, **_given(args, [f.key for f in PERSON_FIELDS]))
        print(f"已添加：{args.name}")
    return 0


def cmd_person_edit(args: argparse.Namespace) -> int:
    with open_registry(args) as reg:
        diff = people.edit_person(reg, args.key, changed_on=args.changed_on, correction=args.correction,
                                  **_given(args, [f.key for f in PERSON_FIELDS]))
    changed = [k for k in diff if not k.startswith(BOOKKEEPING)]
    print(f"已修改{len(changed)}项。" if changed else "没有需要修改的内容。")
    if set(changed) & set(TRACKED_COLUMNS):
        if args.correction:
            print("已作为更正保存：以前的报表也按新值统计。")
        else:
            print(f"变动日期：{cn_date(diff.get('state_from', (None, None))[1] or args.changed_on) or '今天'}；此前各期报表仍按原值统计。")
    return 0


def cmd_person_delete(args: argparse.Namespace) -> int:
    with open_registry(args) as reg:
        person = people.require_person(reg, args.key)
        people.delete_person(reg, args.key)
        print(f"已删除：{person['name']}（{mask_id(person['id_number'])}）")
    return 0


def cmd_person_show(args: argparse.Namespace) -> int:
    with open_registry(args) as reg:
        person = people.get_person(reg, args.key)
        person["transfer_pending"] = transfers.transfer_status(reg, person["id"])
        person["party_age"] = party_age_text(development_steps.party_age_of(reg, person["id"]))
        person["dues_paid_to"] = paid_up_to(reg, person["id"])  # 党费交至, from the payments
        if args.show_id:  # logged before it is printed
            record_reveal(reg, f"命令 person show：{person['name']}", 1, "命令行")
    if not args.show_id:
        person["id_number"] = mask_id(person["id_number"])
        person.pop("search_text", None)  # the search key holds the number in full
    if args.json:
        print_json(person)
        return 0
    member = person["category"] in MEMBER_CATEGORIES
    for f in PERSON_FIELDS:
        value = person.get(f.key)
        if value in (None, "") or f.key == "flowing":  # 组织关系类型 says 流入 (and 流出, which this flag never did)
            continue
        if not member and MEMBER_DEFAULTS.get(f.key, object()) == value:
            continue
        print(f"{f.label}：{shown(f.kind, value)}")
    if person["party_age"]:
        print(f"党龄：{person['party_age']}")
    if person["dues_paid_to"]:
        print(f"党费交至：{cn_date(person['dues_paid_to'])}")
    if person.get("report_point"):  # where a flowing member reported (a 党员报到点 station, or as written)
        print(f"报到点：{person['report_point']}")
    if person.get("state_from"):
        print(f"最近变动日期：{cn_date(person['state_from'])}")
    if person["transfer_pending"]:
        print(f"组织关系：{person['transfer_pending']}")
    for w in person["warnings"]:
        print(f"[{'错误' if w['level'] == 'error' else '提醒'}] {w['message']}")
    return 0


def cmd_stage(args: argparse.Namespace) -> int:
    with open_registry(args) as reg:
        if args.action == "advance":
            development.advance_stage(reg, args.key, args.to, args.date, contacts=args.contacts,
                                      introducers=args.introducers, fields=step_fields(args),
                                      override_reason=args.override_reason)
        elif args.action == "talk":
            development.record_talk(reg, args.key, args.date)
        elif args.action == "extend":
            development.extend_probation(reg, args.key, args.months)
        print("已保存。")
    return 0


def cmd_flowing_report(args: argparse.Namespace) -> int:
    with open_registry(args) as reg:
        flowing.register_report(reg, args.key, home_organization=args.home_org, reported_on=args.date,
                                home_contact=args.home_contact, certificate_no=args.certificate_no,
                                organization=args.org, station=args.station,
                                station_community=args.station_community)
        print(f"已登记报到（报到点：{args.station}）。" if args.station else "已登记报到。")
    return 0


def cmd_transfer(args: argparse.Namespace) -> int:
    with open_registry(args) as reg:
        if args.direction == "in":
            flowing.transfer_in(reg, args.key, organization=args.org, from_org=args.from_org,
                                letter_no=args.letter_no, issued_on=args.issued_on, arrived_on=args.arrived_on,
                                dues_paid_to=args.dues_paid_to)
            print("已登记组织关系转入。")
        else:
            flowing.transfer_out(reg, args.key, to_org=args.to_org, letter_no=args.letter_no,
                                 issued_on=args.issued_on, dues_paid_to=args.dues_paid_to,
                                 valid_until=args.valid_until)
            print(f"已登记组织关系转出：{transfers.transfer_status(reg, args.key)}。收到回执后请用 transfer receipt 登记。")
    return 0


def cmd_transfer_receipt(args: argparse.Namespace) -> int:
    with open_registry(args) as reg:
        transfers.record_receipt(reg, args.key, args.date, transfer_id=args.transfer)
        print(f"已登记回执：{people.require_person(reg, args.key)['name']}自{args.date}起组织关系转出。")
    return 0


def cmd_transfer_cancel(args: argparse.Namespace) -> int:
    with open_registry(args) as reg:
        transfers.cancel_transfer(reg, args.key, transfer_id=args.transfer)
        print("已撤销这次组织关系转出，该党员仍在本单位。")
    return 0


def cmd_transfer_list(args: argparse.Namespace) -> int:
    with open_registry(args) as reg:
        rows = flowing.list_transfers(reg, args.key, pending=args.pending)
    for r in rows:  # a listing of letters needs names, not full ID numbers
        r["id_number"] = mask_id(r["id_number"])
    if args.json:
        print_json(rows)
        return 0
    print_table([(r["id"], r["name"], r["status"], r["from_org"] or "", r["to_org"] or "", r["letter_no"] or "",
                  cn_date(r["issued_on"]), cn_date(r["valid_until"]), cn_date(r["arrived_on"] or r["received_on"]),
                  cn_date(r["dues_paid_to"])) for r in rows],
                ["编号", "姓名", "状态", "原党组织", "转往党组织", "介绍信编号", "开具日期", "有效期至", "报到/回执日期",
                 "党费交至"])
    print(f"共 {len(rows)} 条")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    org = sub.add_parser("org", help="党组织").add_subparsers(dest="org_command", metavar="操作", required=True)
    for name, handler in (("add", cmd_org_add), ("edit", cmd_org_edit)):
        p = org.add_parser(name, help="添加党组织" if name == "add" else "修改党组织")
        p.add_argument("--name", required=name == "add")
        if name == "edit":
            p.add_argument("--new-name")
        p.add_argument("--type", choices=organizations.ORG_TYPES)
        p.add_argument("--parent")
        p.add_argument("--founding-mode", dest="founding_mode", choices=organizations.FOUNDING_MODES)
        for key in ("secretary", "contact", "phone", "founded_on", "notes"):
            p.add_argument(*_flag(key), dest=key)
        p.set_defaults(handler=handler)
    p = org.add_parser("delete", help="删除党组织")
    p.add_argument("--name", required=True)
    p.set_defaults(handler=cmd_org_delete)
    p = org.add_parser("list", help="列出党组织")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_org_list)

    outlet = sub.add_parser("outlet", help="网点").add_subparsers(dest="outlet_command", metavar="操作", required=True)
    for name, handler in (("add", cmd_outlet_add), ("edit", cmd_outlet_edit)):
        p = outlet.add_parser(name, help="添加网点" if name == "add" else "修改网点")
        p.add_argument("--name", required=True)
        p.add_argument("--brand")
        if name == "edit":
            p.add_argument("--new-name")
            p.add_argument("--new-brand")
        for key in ("address", "district", "street", "community", "workers", "organization", "guidance_officer",
                    "notes"):
            p.add_argument(*_flag(key), *(["--org"] if key == "organization" else []), dest=key)
        p.set_defaults(handler=handler)
    p = outlet.add_parser("delete", help="删除网点")
    p.add_argument("--name", required=True)
    p.add_argument("--brand")
    p.set_defaults(handler=cmd_outlet_delete)
    p = outlet.add_parser("list", help="列出网点")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_outlet_list)

    person = sub.add_parser("person", help="人员").add_subparsers(dest="person_command", metavar="操作", required=True)
    p = person.add_parser("add", help="新增人员")
    _add_person_flags(p)
    p.set_defaults(handler=cmd_person_add)
    p = person.add_parser("edit", help="修改人员信息")
    p.add_argument("key", metavar="ID", help="身份证号")
    _add_person_flags(p)
    dated = p.add_mutually_exclusive_group()
    dated.add_argument("--changed-on", "--changed_on", dest="changed_on", metavar="日期",
                       help="变动日期（所在党组织、网点、组织关系类型、党籍状态或失联的变动自哪天起生效；默认今天，此前各期报表仍按原值）")
    dated.add_argument("--correction", action="store_true",
                       help="这是更正：原来填错了，以前的报表也按新值统计（不记变动日期）")
    p.set_defaults(handler=cmd_person_edit)
    p = person.add_parser("delete", help="删除人员")
    p.add_argument("key", metavar="ID")
    p.set_defaults(handler=cmd_person_delete)
    p = person.add_parser("show", help="查看一个人的全部信息")
    p.add_argument("key", metavar="ID")
    p.add_argument("--json", action="store_true")
    p.add_argument("--show-id", action="store_true", help="显示完整身份证号（默认打码；显示会记入操作日志）")
    p.set_defaults(handler=cmd_person_show)
    register_person(person)

    stage = sub.add_parser("stage", help="发展党员阶段").add_subparsers(dest="action", metavar="操作", required=True)
    p = stage.add_parser("advance", help="推进到下一个发展阶段")
    p.add_argument("key", metavar="ID")
    p.add_argument("--to", required=True, help="推进到的阶段")
    p.add_argument("--date", required=True)
    p.add_argument("--contacts", help="培养联系人")
    p.add_argument("--introducers", help="入党介绍人")
    add_step_flags(p)
    p.set_defaults(handler=cmd_stage)
    p = stage.add_parser("talk", help="登记入党申请后的谈话")
    p.add_argument("key", metavar="ID")
    p.add_argument("--date", required=True)
    p.set_defaults(handler=cmd_stage)
    p = stage.add_parser("extend", help="延长预备期")
    p.add_argument("key", metavar="ID")
    p.add_argument("--months", type=int, required=True)
    p.set_defaults(handler=cmd_stage)
    register_stage(stage)

    fl = sub.add_parser("flowing", help="流动党员").add_subparsers(dest="flowing_command", metavar="操作", required=True)
    p = fl.add_parser("report", help="报到")
    p.add_argument("key", metavar="ID")
    p.add_argument("--home-org", required=True, help="组织关系所在党组织")
    p.add_argument("--date", required=True, help="报到日期")
    p.add_argument("--home-contact")
    p.add_argument("--certificate-no")
    p.add_argument("--org", help="在本地参加活动的党组织")
    p.add_argument("--station", metavar="驿站名称", help="报到的党员报到点（须是设有党员报到处的驿站）")
    p.add_argument("--station-community", metavar="社区", help="同名驿站不止一个时，报到点所在社区")
    p.set_defaults(handler=cmd_flowing_report)
    register_flowing_moves(fl)

    tr = sub.add_parser("transfer", help="组织关系转接").add_subparsers(
        dest="direction", metavar="操作", required=True)
    for direction in ("in", "out"):
        p = tr.add_parser(direction, help="组织关系转入" if direction == "in" else "开具转出介绍信")
        p.add_argument("key", metavar="ID")
        if direction == "in":
            p.add_argument("--org", required=True, help="转入的党组织")
            p.add_argument("--from-org", required=True)
            p.add_argument("--arrived-on", help="报到日期（具体到日，默认今天）")
        else:
            p.add_argument("--to-org", required=True)
            p.add_argument("--valid-until", help="介绍信有效期至（默认开具日期起3个月）")
        p.add_argument("--letter-no")
        p.add_argument("--issued-on", required=direction == "out")
        p.add_argument("--dues-paid-to", help="党费交至（年月）")
        p.set_defaults(handler=cmd_transfer)
    p = tr.add_parser("receipt", help="登记转出回执：组织关系自回执日期起转出")
    p.add_argument("key", metavar="ID")
    p.add_argument("--date", required=True, help="回执日期")
    p.add_argument("--transfer", type=int, help="转接记录编号（见 transfer list；默认待回执的那一条）")
    p.set_defaults(handler=cmd_transfer_receipt)
    p = tr.add_parser("cancel", help="撤销未使用的转出介绍信")
    p.add_argument("key", metavar="ID")
    p.add_argument("--transfer", type=int, help="转接记录编号（默认待回执的那一条）")
    p.set_defaults(handler=cmd_transfer_cancel)
    p = tr.add_parser("list", help="组织关系转接记录")
    p.add_argument("key", metavar="ID", nargs="?")
    p.add_argument("--pending", action="store_true", help="只列转出待接收（未回执）")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_transfer_list)



# flowing out / flowing return: members held here who work elsewhere (流出) ---------------------------------


def cmd_flowing_out(args: argparse.Namespace) -> int:
    with open_registry(args) as reg:
        flowing.flow_out(reg, args.key, destination=args.destination, left_on=args.date, contact=args.contact)
        print("已登记外出流动（流出）。")
    return 0


def cmd_flowing_return(args: argparse.Namespace) -> int:
    with open_registry(args) as reg:
        flowing.flow_return(reg, args.key, returned_on=args.date)
        print("已登记外出返回，恢复为在册党员。")
    return 0


def register_flowing_moves(fl: argparse._SubParsersAction) -> None:
    p = fl.add_parser("out", help="外出流动（流出）：组织关系在本单位，到外地工作生活")
    p.add_argument("key", metavar="ID")
    p.add_argument("--destination", required=True, help="外出流向，如 广东省深圳市")
    p.add_argument("--date", required=True, help="外出日期")
    p.add_argument("--contact", help="外出地联系方式")
    p.set_defaults(handler=cmd_flowing_out)
    p = fl.add_parser("return", help="外出返回：恢复为在册党员")
    p.add_argument("key", metavar="ID")
    p.add_argument("--date", required=True, help="返回日期")
    p.set_defaults(handler=cmd_flowing_return)
