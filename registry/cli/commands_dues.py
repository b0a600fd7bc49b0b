"""`dues …`: 党费 bases, payments and their corrections, the arrears list, the year summary and its export."""

from __future__ import annotations

import argparse
import datetime
from pathlib import Path
from typing import Any

from registry.cli.commands_core import open_registry, parse_day
from registry.cli.output import print_json, print_table
from registry.display import cn_date
from registry.errors import UserError
from registry.rules import dues as rules
from registry.rules.idnumber import mask_id
from registry.services import dues
from registry.services.dues_export import export_dues
from registry.services.dues_ledger import bases_of, member, payments_of
from registry.services.dues_lists import arrears_list, year_summary
from registry.services.organizations import require_org, subtree_ids
from registry.services.people import require_person
from registry.storage.database import Registry


def _today(args: argparse.Namespace) -> datetime.date:
    return parse_day(getattr(args, "today", None), "今天的日期") or datetime.date.today()


def _scope(reg: Registry, args: argparse.Namespace) -> list[int] | None:
    return subtree_ids(reg, require_org(reg, args.org)["id"]) if getattr(args, "org", None) else None


def cmd_set_base(args: argparse.Namespace) -> int:
    given = dues.BaseInput(args.from_month, args.payer_class, args.base, args.amount, args.reason, args.pays_at,
                           args.notes)
    with open_registry(args) as reg:
        row = dues.set_base(reg, args.key, given, _today(args))
        person = require_person(reg, args.key)
        if row is None:
            print("没有改动。")
            return 0
        b = next(b for b in bases_of(reg, person["id"]) if b.id == row)
    if not b.pays_here:
        print(f"已登记：{person['name']}自{cn_date(b.from_month)}起在原籍党组织交纳党费，本单位不再计欠缴。")
    else:
        print(f"已登记：{person['name']}自{cn_date(b.from_month)}起按{b.payer_class}"
              f"{'，基数' + rules.money_text(b.base) + '元' if b.base is not None else ''}，"
              f"每月应交{rules.money_text(b.amount)}元（编号{b.id}）。")
    return 0


def cmd_delete_base(args: argparse.Namespace) -> int:
    with open_registry(args) as reg:
        dues.delete_base(reg, args.base_id)
    print(f"已删除党费基数记录{args.base_id}。")
    return 0


def cmd_pay(args: argparse.Namespace) -> int:
    given = dues.PaymentInput(args.months, args.date, args.amount, args.reason, args.notes)
    with open_registry(args) as reg:
        ids = dues.pay(reg, args.keys, given, _today(args))
        total = sum((rules.money(r["amount"]) for r in reg.query(
            f"SELECT amount FROM dues_payments WHERE id IN ({','.join('?' * len(ids))})", ids)), rules.money("0"))
    print(f"已登记{len(ids)}人交纳党费，合计{rules.money_text(total)}元（记录编号{'、'.join(map(str, ids))}）。")
    return 0


def cmd_edit(args: argparse.Namespace) -> int:
    with open_registry(args) as reg:
        pid = reg.scalar("SELECT person_id FROM dues_payments WHERE id = ?", [args.payment_id])
        if pid is None:
            raise UserError(f"找不到编号为{args.payment_id}的党费交纳记录，请用 dues list 核对编号。")
        old = dues.payment_input(next(p for p in payments_of(reg, int(pid)) if p.id == args.payment_id))
        given = dues.PaymentInput(args.months if args.months is not None else old.months,
                                  args.date if args.date is not None else old.paid_on,
                                  args.amount if args.amount is not None else old.amount,
                                  args.reason if args.reason is not None else old.reason,
                                  args.notes if args.notes is not None else old.notes)
        changed = dues.edit_payment(reg, args.payment_id, given, _today(args))
    print("已保存修改。" if changed else "没有改动。")
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    with open_registry(args) as reg:
        dues.delete_payment(reg, args.payment_id)
    print(f"已删除党费交纳记录{args.payment_id}。")
    return 0


def _person_record(reg: Registry, key: str, year: int | None, today: datetime.date) -> dict[str, Any]:
    person = require_person(reg, key)
    m = member(reg, person["id"])
    if m is None:
        raise UserError(f"{person['name']}是{person['category']}，只有预备党员和正式党员交纳党费。")
    payments = [p for p in payments_of(reg, m.id) if year is None or p.first_month[:4] <= str(year) <= p.last_month[:4]]
    return {"person_id": m.id, "name": m.name, "id_number": mask_id(m.id_number), "paid_to": m.paid_to(today),
            "pays_here": m.pays_here(today),
            "bases": [{"id": b.id, "from_month": b.from_month, "payer_class": b.payer_class,
                       "base": rules.money_text(b.base) or None, "amount": rules.money_text(b.amount) or None,
                       "reason": b.reason, "pays_at": b.pays_at, "notes": b.notes} for b in bases_of(reg, m.id)],
            "payments": [{"id": p.id, "first_month": p.first_month, "last_month": p.last_month, "paid_on": p.paid_on,
                          "amount": rules.money_text(p.amount), "reason": p.reason, "notes": p.notes}
                         for p in payments],
            "unpaid": [month for month, _ in m.unpaid(today)]}


def cmd_list(args: argparse.Namespace) -> int:
    today = _today(args)
    with open_registry(args) as reg:
        if args.key:
            record = _person_record(reg, args.key, args.year, today)
            if args.json:
                print_json(record)
                return 0
            where = "在本单位交纳" if record["pays_here"] else "在原籍党组织交纳"
            print(f"{record['name']}（{record['id_number']}），{where}，党费交至：{cn_date(record['paid_to']) or '（无）'}")
            print_table([(b["id"], cn_date(b["from_month"]), b["pays_at"], b["payer_class"] or "", b["base"] or "",
                          b["amount"] or "", b["reason"] or "") for b in record["bases"]],
                        ["编号", "起始月份", "交纳地点", "交纳类别", "基数（元）", "每月应交（元）", "少交原因"])
            print_table([(p["id"], f"{cn_date(p['first_month'])}至{cn_date(p['last_month'])}", cn_date(p["paid_on"]),
                          p["amount"], p["reason"] or "", p["notes"] or "") for p in record["payments"]],
                        ["编号", "交纳月份", "交纳日期", "金额（元）", "少交原因", "备注"])
            if record["unpaid"]:
                print(f"欠缴月份：{'、'.join(cn_date(m) for m in record['unpaid'])}")
            return 0
        grid = year_summary(reg, args.year or today.year, today, _scope(reg, args))
    rows = [{k: v for k, v in r.items() if k != "cells"} | {"id_number": mask_id(r["id_number"])} for r in grid["rows"]]
    if args.json:
        print_json(rows)
        return 0
    print_table([(r["name"], r["id_number"], r["category"], r["payer_class"] or ("原籍交纳" if not r["pays_here"] else
                                                                              "未登记"),
                  r["monthly"], cn_date(r["paid_to"]), r["unpaid"]) for r in rows],
                ["姓名", "公民身份号码", "类别", "交纳类别", "每月应交（元）", "党费交至", "欠缴月数"])
    print(f"共 {len(rows)} 名党员")
    return 0


def cmd_arrears(args: argparse.Namespace) -> int:
    today = _today(args)
    with open_registry(args) as reg:
        found = arrears_list(reg, today, _scope(reg, args))
    for group in ("arrears", "unregistered"):
        for row in found[group]:
            row["id_number"] = mask_id(row["id_number"])
    if args.json:
        print_json(found)
        return 0
    if found["arrears"]:
        print_table([(a["name"], a["id_number"], a["organization"] or "", a["count"], a["amount"],
                      cn_date(a["paid_to"]), a["text"]) for a in found["arrears"]],
                    ["姓名", "公民身份号码", "所在党组织", "欠缴月数", "欠缴金额（元）", "党费交至", "说明"])
    print(f"截至{cn_date(found['as_of'])}欠缴党费 {len(found['arrears'])} 人；应在本单位交纳 {found['paying_here']} 人，"
          f"在原籍党组织交纳 {found['paying_home']} 人。")
    if found["unregistered"]:
        names = "、".join(u["name"] for u in found["unregistered"][:20])
        more = "等" if len(found["unregistered"]) > 20 else ""
        print(f"未登记党费基数 {len(found['unregistered'])} 人（不计为欠缴，请登记基数）：{names}{more}")
    return 0


def cmd_summary(args: argparse.Namespace) -> int:
    today = _today(args)
    with open_registry(args) as reg:
        grid = year_summary(reg, args.year, today, _scope(reg, args))
    for r in grid["rows"]:
        r["id_number"] = mask_id(r["id_number"])
    if args.json:
        print_json(grid)
        return 0
    short = {"paid": "", "unpaid": "欠", "exempt": "免", "home": "原籍", "untracked": "－", "not_member": "",
             "not_due": ""}
    months = [f"{int(m[5:])}月" for m in grid["months"]]
    print_table([(r["name"], *(c["paid"] if c["state"] == "paid" else short[c["state"]] for c in r["cells"]),
                  r["due"], r["paid"]) for r in grid["rows"]] +
                [("应交合计", *grid["due_by_month"], grid["due"], ""), ("实交合计", *grid["paid_by_month"], "", grid["paid"])],
                ["姓名", *months, "应交（元）", "实交（元）"])
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    with open_registry(args) as reg:
        n = export_dues(reg, args.year, Path(args.out), _scope(reg, args), _today(args), args.org)
    print(f"已导出{args.year}年党费收缴汇总表和欠缴名单：{args.out}（{n}行）")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    du = sub.add_parser("dues", help="党费").add_subparsers(dest="dues_command", metavar="操作", required=True)
    p = du.add_parser("set-base", help="登记党费基数（自某月起；同一月份再次登记即修改）")
    p.add_argument("key", metavar="身份证号", help="党员的身份证号")
    p.add_argument("--from", dest="from_month", required=True, metavar="年月", help="自哪个月起，如2026-01")
    p.add_argument("--base", metavar="金额", help="交纳基数：每月税后工资收入等（元）")
    p.add_argument("--class", dest="payer_class", metavar="类别",
                   help=f"交纳类别：{'、'.join(rules.CLASS_NAMES)}（默认在职）")
    p.add_argument("--amount", metavar="金额", help="每月交纳金额（默认按规定比例计算；少于规定须写原因）")
    p.add_argument("--reason", metavar="文字", help="少交或免交的原因（党支部研究、上级党委批准）")
    p.add_argument("--pays-at", dest="pays_at", metavar="地点", help="交纳地点：本单位（默认）或原籍党组织（流入党员）")
    p.add_argument("--notes", metavar="文字", help="备注")
    p.add_argument("--today", metavar="日期", help=argparse.SUPPRESS)
    p.set_defaults(handler=cmd_set_base)

    p = du.add_parser("delete-base", help="删除一条党费基数记录")
    p.add_argument("base_id", type=int, metavar="编号", help="基数记录编号（见 dues list 身份证号）")
    p.set_defaults(handler=cmd_delete_base)

    for name, handler, text in (("pay", cmd_pay, "登记交纳党费（可一次交纳多个月、多名党员）"),
                                ("edit", cmd_edit, "修改一条党费交纳记录")):
        p = du.add_parser(name, help=text)
        if name == "pay":
            p.add_argument("keys", nargs="+", metavar="身份证号", help="交纳党费的党员的身份证号（可写多个）")
        else:
            p.add_argument("payment_id", type=int, metavar="编号", help="交纳记录编号（见 dues list 身份证号）")
        p.add_argument("--months", required=name == "pay", metavar="月份",
                       help="交纳的月份：2026-01..2026-06，或一个月 2026-03")
        p.add_argument("--date", required=name == "pay", metavar="日期", help="交纳日期，如2026-06-30")
        p.add_argument("--amount", metavar="金额", help="每人交纳的总金额（默认按基数计算这些月份应交的金额）")
        p.add_argument("--reason", metavar="文字", help="少交的原因")
        p.add_argument("--notes", metavar="文字", help="备注")
        p.add_argument("--today", metavar="日期", help=argparse.SUPPRESS)
        p.set_defaults(handler=handler)

    p = du.add_parser("delete", help="删除一条党费交纳记录")
    p.add_argument("payment_id", type=int, metavar="编号", help="交纳记录编号（见 dues list 身份证号）")
    p.set_defaults(handler=cmd_delete)

    p = du.add_parser("list", help="党员的党费情况；写身份证号时列出其基数和交纳记录")
    p.add_argument("key", nargs="?", metavar="身份证号", help="只看一名党员")
    p.add_argument("--year", type=int, metavar="年份", help="年份（默认今年）")
    p.add_argument("--org", metavar="党组织", help="党组织（含下级）")
    p.add_argument("--json", action="store_true", help="以JSON格式输出（供其他程序读取）")
    p.add_argument("--today", metavar="日期", help=argparse.SUPPRESS)
    p.set_defaults(handler=cmd_list)

    p = du.add_parser("arrears", help="欠缴党费名单（截至上月）和未登记党费基数的党员")
    p.add_argument("--org", metavar="党组织", help="党组织（含下级）")
    p.add_argument("--json", action="store_true", help="以JSON格式输出（供其他程序读取）")
    p.add_argument("--today", metavar="日期", help=argparse.SUPPRESS)
    p.set_defaults(handler=cmd_arrears)

    p = du.add_parser("summary", help="党费年度汇总：每名党员每月交纳情况和合计")
    p.add_argument("--year", type=int, required=True, metavar="年份", help="年份，如2026")
    p.add_argument("--org", metavar="党组织", help="党组织（含下级）")
    p.add_argument("--json", action="store_true", help="以JSON格式输出（供其他程序读取）")
    p.add_argument("--today", metavar="日期", help=argparse.SUPPRESS)
    p.set_defaults(handler=cmd_summary)

    p = du.add_parser("export", help="导出党费年度汇总表和欠缴名单（.xlsx）")
    p.add_argument("--year", type=int, required=True, metavar="年份", help="年份，如2026")
    p.add_argument("out", metavar="文件", help="保存为的.xlsx文件")
    p.add_argument("--org", metavar="党组织", help="党组织（含下级）")
    p.add_argument("--today", metavar="日期", help=argparse.SUPPRESS)
    p.set_defaults(handler=cmd_export)
