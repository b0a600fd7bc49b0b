"""Commands that read or set up the registry: init, demo, idcheck, people, stats, due, history."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from registry.cli.output import print_json, print_table
from registry.display import cn_date
from registry.errors import UserError
from registry.rules.categories import normalise_category
from registry.rules.dates import parse_date
from registry.rules.idnumber import check_id, mask_id
from registry.rules.text import garbled_message, looks_garbled
from registry.services.due import due_items
from registry.services.history import (
    ENTITY_LABELS,
    full_ids_in,
    history,
    masked_entry,
    record_reveal,
    reference_names,
    set_setting,
)
from registry.services.organizations import require_org, subtree_ids
from registry.services.search import PeopleFilter, public_person, search_people
from registry.services.stats import statistics
from registry.storage.database import Registry

CREATING_COMMANDS = ("init", "demo")  # besides a real import: the only commands that may make a new file


def open_registry(args: argparse.Namespace) -> Registry:
    """The database named by --db; only init, demo and a non-preview import may create it.

    A mistyped path must not silently become an empty database, so every other command answers with a
    sentence. An import preview of a file that does not exist yet runs against an empty in-memory registry.
    """
    path = Path(args.db)
    command = getattr(args, "command", None)
    files = getattr(args, "files", None) or [""]
    importing = command == "import" and files[0] not in ("undo", "batches")
    dry_run = bool(getattr(args, "dry_run", False))
    if importing and dry_run and not path.exists():
        return Registry(":memory:", operator=args.operator)
    create = command in CREATING_COMMANDS or (importing and not dry_run)
    return Registry(path, operator=args.operator, create=create)


def parse_day(value: str | None, label: str = "日期") -> date | None:
    if not value:
        return None
    d = parse_date(value)
    if not d.ok or d.value is None:
        raise UserError(f"{label}“{value}”无法识别，请按2026-11-30格式填写。")
    return d.value.last_day() if d.value.month_only else d.value.first_day()


def cmd_init(args: argparse.Namespace) -> int:
    if args.unit and looks_garbled(args.unit):  # before the database is made: a refused init leaves nothing
        raise UserError(garbled_message("本单位名称", args.unit))
    with open_registry(args) as reg:
        if args.unit:
            set_setting(reg, "unit", args.unit)
        print(f"数据库已就绪：{reg.path}")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    from registry.demo import fill_demo

    with open_registry(args) as reg:
        counts = fill_demo(reg, people=args.people, seed=args.seed)
        print(f"已生成演示数据：{counts['organizations']}个党组织、{counts['outlets']}个网点、{counts['people']}名人员。")
    return 0


def cmd_idcheck(args: argparse.Namespace) -> int:
    bad = 0
    for value in args.numbers:
        c = check_id(value)
        if c.ok:
            extra = "（由15位升级）" if c.upgraded else ""
            print(f"{c.number}\t{c.birth_date}\t{c.gender}{extra}")
        else:
            bad += 1
            print(f"{value}\t无效：{c.message}")
    return 1 if bad else 0


def people_filter(reg: Registry, args: argparse.Namespace) -> PeopleFilter:
    cats = []
    for c in args.category or []:
        canonical = normalise_category(c)
        if canonical is None:
            raise UserError(f"人员类别“{c}”无法识别，请使用群众、入党申请人、入党积极分子、发展对象、预备党员或正式党员。")
        cats.append(canonical)
    flowing = True if args.flowing else (False if args.registered else None)
    org_ids = subtree_ids(reg, require_org(reg, args.org)["id"]) if args.org else None
    return PeopleFilter(text=args.search or "", categories=cats, flowing=flowing, outlet=args.outlet,
                        brand=args.brand, org_ids=org_ids, include_left=args.all)


def add_filter_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--category", action="append", help="人员类别（可多次）")
    group = p.add_mutually_exclusive_group()
    group.add_argument("--flowing", action="store_true", help="只看流动党员")
    group.add_argument("--registered", action="store_true", help="只看非流动（在册）人员")
    p.add_argument("--outlet", help="网点名称")
    p.add_argument("--brand", help="快递品牌")
    p.add_argument("--org", help="党组织（含下级）")
    p.add_argument("--search", help="姓名、身份证号或手机号的一部分")
    p.add_argument("--all", action="store_true", help="包括已离开的人员")


def cmd_people(args: argparse.Namespace) -> int:
    with open_registry(args) as reg:
        f = people_filter(reg, args)
        rows = search_people(reg, f, order=args.order)
        if args.show_id:  # logged before anything is printed; masked otherwise, as on the roster
            record_reveal(reg, f"命令 people{' --json' if args.json else ''}列出的{len(rows)}人",
                          sum(1 for r in rows if r["id_number"]), "命令行")
        shown = (lambda n: n) if args.show_id else mask_id
        if args.json:
            print_json([{**public_person(r), "id_number": shown(r["id_number"])} for r in rows])
            return 0
        print_table([(r["name"], r["gender"], r["category"], "是" if r["flowing"] else "", r["outlet"],
                      r["organization"], shown(r["id_number"]), r["phone"]) for r in rows],
                    ["姓名", "性别", "类别", "流动", "网点", "党组织", "身份证号", "电话"])
        print(f"共 {len(rows)} 人")
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    with open_registry(args) as reg:
        s = statistics(reg, parse_day(args.date) or date.today(), args.org)
    if args.json:
        print_json(s)
        return 0
    print(f"统计日期：{cn_date(s['date'])}　范围：{s['organization'] or '全部'}")
    print_table([(k, v) for k, v in s["by_category"].items()], ["人员类别", "人数"])
    m, o = s["members"], s["outlets"]
    print(f"党员合计 {m['total']}：在册 {m['registered']}，流入 {m['flowing_in']}，停止党籍 {m['stopped']}，失联 {m['lost_contact']}")
    print(f"网点 {o['total']} 个：有党组织 {o['with_organization']}（{o['organization_coverage']}%），"
          f"有党员 {o['with_members']}，工作覆盖 {o['work_covered']}（{o['work_coverage']}%）")
    return 0


def cmd_due(args: argparse.Namespace) -> int:
    with open_registry(args) as reg:
        org_ids = subtree_ids(reg, require_org(reg, args.org)["id"]) if args.org else None
        items = due_items(reg, parse_day(args.date) or date.today(), org_ids)
        if args.show_id:  # logged before anything is printed; masked otherwise, as on the roster
            record_reveal(reg, f"命令 due 列出的{len(items)}项到期事项", len(items), "命令行")
    if args.json:
        print_json(items if args.show_id else [{**i, "id_number": mask_id(i["id_number"]) if i["id_number"] else None}
                                               for i in items])
        return 0
    print_table([(i["class_label"], cn_date(i["due"]), i["name"], i["category"] or "党支部", i["label"],
                  i["outlet"] or "", i["rule"])
                 for i in items], ["状态", "到期日", "姓名", "类别", "事项", "网点", "依据"])
    print(f"共 {len(items)} 项")
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    from registry.services.history_text import HEADERS, history_line

    with open_registry(args) as reg:
        rows = history(reg, limit=args.limit, entity=args.entity, text=args.search)
        if args.show_id:  # logged before anything is printed
            record_reveal(reg, f"命令 history 列出的{len(rows)}条日志", full_ids_in(rows), "命令行")
        names = reference_names(reg)
    if args.json:
        print_json(rows if args.show_id else [masked_entry(r) for r in rows])
        return 0
    # The same sentences as the window's history page (registry.services.history_text).
    print_table([history_line(r, names, show_id=args.show_id).cells() for r in rows], HEADERS)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("init", help="创建（或升级）数据库")
    p.add_argument("--unit", help="本单位（党组织）名称")
    p.set_defaults(handler=cmd_init)

    p = sub.add_parser("demo", help="填入虚构的演示数据")
    p.add_argument("--people", type=int, default=300, help="人数（默认300）")
    p.add_argument("--seed", type=int, default=2026)
    p.set_defaults(handler=cmd_demo)

    p = sub.add_parser("idcheck", help="校验身份证号")
    p.add_argument("numbers", nargs="+", metavar="ID")
    p.set_defaults(handler=cmd_idcheck)

    p = sub.add_parser("people", help="列出人员")
    p.add_argument("--json", action="store_true")
    p.add_argument("--show-id", action="store_true", help="显示完整身份证号（默认打码；显示会记入操作日志）")
    p.add_argument("--order", choices=["stroke", "pinyin", "name", "category"], default="stroke",
                   help="排序")
    add_filter_args(p)
    p.set_defaults(handler=cmd_people)

    p = sub.add_parser("stats", help="统计")
    p.add_argument("--json", action="store_true")
    p.add_argument("--date", help="统计日期（默认今天）")
    p.add_argument("--org", help="党组织（含下级）")
    p.set_defaults(handler=cmd_stats)

    p = sub.add_parser("due", help="到期事项")
    p.add_argument("--json", action="store_true")
    p.add_argument("--show-id", action="store_true", help="显示完整身份证号（记入操作日志；默认打码）")
    p.add_argument("--date", help="以哪一天为今天（默认今天）")
    p.add_argument("--org", help="党组织（含下级）")
    p.set_defaults(handler=cmd_due)

    p = sub.add_parser("history", help="操作日志")
    p.add_argument("--json", action="store_true")
    p.add_argument("--limit", type=int, default=1000)
    p.add_argument("--entity", choices=sorted(ENTITY_LABELS))
    p.add_argument("--search", help="按名称或摘要筛选")
    p.add_argument("--show-id", action="store_true", help="显示完整身份证号（默认打码；显示会记入操作日志）")
    p.set_defaults(handler=cmd_history)
