"""Commands that print PDF reports: the monthly and half-monthly report, the roster, per-person documents."""

from __future__ import annotations

import argparse
from pathlib import Path

from registry.cli.commands_core import add_filter_args, open_registry, parse_day, people_filter
from registry.cli.output import print_json


def _done(args: argparse.Namespace, what: str, result: dict[str, object]) -> int:
    if args.json:
        print_json({"file": str(Path(args.out).resolve()), **result})
    else:
        print(f"已生成{what}：{args.out}（共{result['pages']}页）")
    return 0


def cmd_report_period(args: argparse.Namespace) -> int:
    from registry.reports.monthly import write_monthly_report
    from registry.reports.periods import parse_half, parse_month

    period = parse_month(args.month) if args.what == "monthly" else parse_half(args.period)
    with open_registry(args) as reg:
        figures = write_monthly_report(reg, Path(args.out), period, args.org, parse_day(args.date, "填报日期"))
    members = figures["members"]
    return _done(args, f"{figures['title']}（{period.label}）",
                 {"pages": figures["pages"], "period": period.as_dict(), "organization": figures["organization"],
                  "by_category": figures["by_category"], "members": members})


def cmd_report_roster(args: argparse.Namespace) -> int:
    from registry.reports.roster import write_roster_report

    with open_registry(args) as reg:
        result = write_roster_report(reg, Path(args.out), people_filter(reg, args), order=args.order,
                                     show_id=args.show_id, org=args.org, on=parse_day(args.date, "填报日期"))
    return _done(args, f"花名册（{result['people']}人）", result)


def cmd_report_person(args: argparse.Namespace) -> int:
    from registry.reports.person import KINDS, write_person_report

    with open_registry(args) as reg:
        result = write_person_report(reg, args.id_number, Path(args.out), kind=args.kind, show_id=args.show_id,
                                     on=parse_day(args.date, "填报日期"))
    return _done(args, f"{result['name']}的{KINDS[args.kind]}", result)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", required=True, metavar="OUT.pdf", help="保存到的PDF文件")
    p.add_argument("--date", help="填报日期（默认今天）")
    p.add_argument("--json", action="store_true", help="以JSON输出结果摘要")


def register(sub: argparse._SubParsersAction) -> None:
    reports = sub.add_parser("report", help="打印报表（PDF）：月报、半月通报、花名册、登记表、发展党员纪实")
    kinds = reports.add_subparsers(dest="what", metavar="monthly|halfmonth|roster|person", required=True)

    p = kinds.add_parser("monthly", help="月报")
    p.add_argument("--month", required=True, metavar="YYYY-MM", help="月份，如2026-11")
    p.add_argument("--org", help="党组织（含下级；默认全部）")
    _common(p)
    p.set_defaults(handler=cmd_report_period)

    p = kinds.add_parser("halfmonth", help="半月通报")
    p.add_argument("--period", required=True, metavar="YYYY-MM-1|YYYY-MM-2", help="2026-11-1为上半月，2026-11-2为下半月")
    p.add_argument("--org", help="党组织（含下级；默认全部）")
    _common(p)
    p.set_defaults(handler=cmd_report_period)

    p = kinds.add_parser("roster", help="花名册（A4横向，身份证号默认打码）")
    p.add_argument("--order", choices=["stroke", "pinyin"], default="stroke", help="排序：stroke 姓氏笔画（默认）")
    p.add_argument("--show-id", action="store_true", help="打印完整身份证号（默认打码）")
    add_filter_args(p)
    _common(p)
    p.set_defaults(handler=cmd_report_roster)

    p = kinds.add_parser("person", help="个人文书：党员信息登记表（form）或发展党员纪实（record）")
    p.add_argument("id_number", metavar="ID", help="身份证号")
    p.add_argument("--kind", choices=["form", "record"], default="form", help="form 登记表（默认）、record 发展党员纪实")
    p.add_argument("--show-id", action="store_true", help="打印完整身份证号（默认打码）")
    _common(p)
    p.set_defaults(handler=cmd_report_person)
