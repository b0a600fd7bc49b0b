"""Commands that print PDF reports: the monthly and half-monthly report, the roster, per-person documents."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from registry.cli import commands_papers
from registry.cli.commands_core import add_filter_args, open_registry, parse_day, people_filter
from registry.cli.output import print_json, print_table
from registry.display import cn_moment
from registry.storage.database import Registry


def _done(args: argparse.Namespace, what: str, result: dict[str, object]) -> int:
    if args.json:
        print_json({"file": str(Path(args.out).resolve()), **result})
    else:
        print(f"已生成{what}：{args.out}（共{result['pages']}页）")
    return 0


def public_figures(figures: dict[str, Any]) -> dict[str, Any]:
    """The figures as printed by --json: the rosters kept for 差异说明 (names of everyone) stay out."""
    return {k: v for k, v in figures.items() if not k.startswith("roster_at")}


def _reprint_submitted(reg: Registry, args: argparse.Namespace, found: dict[str, Any]) -> int:
    """A period already submitted prints as it was submitted: the stored PDF, byte for byte."""
    from registry.services.submissions import get_submission

    if args.json:
        stored = get_submission(reg, found["id"], with_figures=True)["figures"]
        print_json({"file": str(Path(args.out).resolve()), **public_figures(stored), "reprinted": True,
                    "submitted": True, "submission": _listed(found)})
    else:
        print(f"{found['title']}已于{_when(found)}报送，报送后的报表已锁定：已按报送存档原样重新打印到{args.out}"
              "（如需按现有数据重新计算，请加 --recompute）。")
    return 0


def cmd_report_period(args: argparse.Namespace) -> int:
    from registry.reports.choices import KIND_BY_KEY, ReportRequest, build_report
    from registry.rules.periods import parse_half, parse_month

    period = parse_month(args.month) if args.what == "monthly" else parse_half(args.period)
    req = ReportRequest(args.what, f"{KIND_BY_KEY[args.what].label}（{period.label}）", period=period, org=args.org)
    with open_registry(args) as reg:
        built = build_report(reg, req, Path(args.out), on=parse_day(args.date, "填报日期"), submit=args.submit,
                             recompute=args.recompute)
        if built.reprinted is not None:
            return _reprint_submitted(reg, args, built.reprinted)
    figures, found, out = built.result, built.submitted_before, built.path
    submission = figures.get("submission_id")
    what = f"{figures['title']}（{period.label}）"
    if args.json:
        print_json({"file": str(out.resolve()), **public_figures(figures), "submission_id": submission})
        return 0
    print(f"已生成{what}：{args.out}（共{figures['pages']}页）")
    if submission is not None:
        print(f"已报送{what}（存档编号{submission}）：本期报表已锁定，以后重新打印的都是这份报表，"
              "下期报表的上期末数以本次报送的数字为准。")
    elif found is not None:
        print(f"注意：本期已于{_when(found)}报送，这份按现有数据重新计算的报表不是报送的那份（报送存档编号{found['id']}）。")
    return 0


def _when(found: dict[str, Any]) -> str:
    return cn_moment(found["submitted_at"])


def _listed(found: dict[str, Any]) -> dict[str, Any]:
    return {k: found[k] for k in ("id", "kind", "title", "period", "organization", "submitted_at", "operator",
                                  "sha256", "size")}


def cmd_report_archive(args: argparse.Namespace) -> int:
    from registry.services.submissions import KIND_LABELS, list_submissions

    with open_registry(args) as reg:
        rows = list_submissions(reg)
    if args.json:
        print_json([_listed(r) for r in rows])
        return 0
    if not rows:
        print("还没有报送过报表。报送月报：report monthly --month 2026-11 --out 月报.pdf --submit")
        return 0
    print_table([(r["id"], KIND_LABELS[r["kind"]], r["period"]["label"], r["organization"] or "全部",
                  _when(r), r["operator"], r["sha256"][:16]) for r in rows],
                ["编号", "报表", "期间", "党组织", "报送时间", "操作员", "校验码（SHA-256前16位）"])
    return 0


def cmd_report_reprint(args: argparse.Namespace) -> int:
    from registry.services.submissions import reprint

    with open_registry(args) as reg:
        found = reprint(reg, args.submission, Path(args.out))
    if args.json:
        print_json({"file": str(Path(args.out).resolve()), "submission": _listed(found)})
    else:
        print(f"已按报送存档原样重新打印{found['title']}：{args.out}（与{_when(found)}报送的文件逐字节相同，"
              f"校验码{found['sha256'][:16]}…）。")
    return 0


def cmd_report_roster(args: argparse.Namespace) -> int:
    from registry.reports.choices import build_report, report_request

    with open_registry(args) as reg:
        req = report_request(reg, "roster", org=args.org, people=people_filter(reg, args), order=args.order,
                             show_id=args.show_id)
        result = build_report(reg, req, Path(args.out), on=parse_day(args.date, "填报日期")).result
    return _done(args, f"花名册（{result['people']}人）", result)


def cmd_report_person(args: argparse.Namespace) -> int:
    from registry.reports.choices import KIND_BY_KEY, ReportRequest, build_report

    req = ReportRequest(args.kind, KIND_BY_KEY[args.kind].label, show_id=args.show_id, person_id=args.id_number)
    with open_registry(args) as reg:
        result = build_report(reg, req, Path(args.out), on=parse_day(args.date, "填报日期")).result
    return _done(args, f"{result['name']}的{KIND_BY_KEY[args.kind].label}", result)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", required=True, metavar="文件", help="保存到的PDF文件")
    p.add_argument("--date", help="填报日期（默认今天）")
    p.add_argument("--json", action="store_true", help="以JSON输出结果摘要")


def _periodic(p: argparse.ArgumentParser) -> None:
    p.add_argument("--submit", action="store_true",
                   help="报送：保存PDF后把本期报表（数字、PDF及其校验码）存档并锁定；下期的上期末以报送数为准")
    p.add_argument("--recompute", action="store_true",
                   help="本期已报送时按现有数据重新计算（默认原样重新打印报送的那份）")


def register(sub: argparse._SubParsersAction) -> None:
    from registry.reports.choices import KIND_BY_KEY, ORDERS, PERIODIC, PERSONAL, halves_text, kinds_text

    reports = sub.add_parser("report", help=f"打印报表（PDF）：{kinds_text()}")
    kinds = reports.add_subparsers(dest="what", metavar="报表",
                                   required=True)

    p = kinds.add_parser("monthly", help=KIND_BY_KEY["monthly"].help)
    p.add_argument("--month", required=True, metavar="年-月", help="月份，如2026-11")
    p.add_argument("--org", help="党组织（含下级；默认全部）")
    _periodic(p)
    _common(p)
    p.set_defaults(handler=cmd_report_period)

    p = kinds.add_parser("halfmonth", help=KIND_BY_KEY["halfmonth"].help)
    p.add_argument("--period", required=True, metavar="年-月-1或2", help=halves_text())
    p.add_argument("--org", help="党组织（含下级；默认全部）")
    _periodic(p)
    _common(p)
    p.set_defaults(handler=cmd_report_period)

    p = kinds.add_parser("roster", help=KIND_BY_KEY["roster"].help)
    p.add_argument("--order", choices=[k for k, _ in ORDERS], default="stroke",
                   help="排序：" + "、".join(f"{k} {label}" for k, label in ORDERS) + "（默认stroke）")
    p.add_argument("--show-id", action="store_true", help="打印完整身份证号（默认打码）")
    add_filter_args(p)
    _common(p)
    p.set_defaults(handler=cmd_report_roster)

    p = kinds.add_parser("person", help="个人文书：" + "或".join(f"{KIND_BY_KEY[k].label}（{k}）" for k in PERSONAL))
    p.add_argument("id_number", metavar="ID", help="身份证号")
    p.add_argument("--kind", choices=list(PERSONAL), default="form",
                   help="、".join(f"{k} {KIND_BY_KEY[k].label}" for k in PERSONAL) + "（默认form）")
    p.add_argument("--show-id", action="store_true", help="打印完整身份证号（默认打码）")
    _common(p)
    p.set_defaults(handler=cmd_report_person)

    commands_papers.register(kinds)  # the papers of the development record

    p = kinds.add_parser("archive", help=f"报送存档：列出已报送的{kinds_text(PERIODIC)}")
    p.add_argument("--json", action="store_true", help="以JSON输出")
    p.set_defaults(handler=cmd_report_archive)

    p = kinds.add_parser("reprint", help="按报送存档原样重新打印（与报送的PDF逐字节相同）")
    p.add_argument("submission", type=int, metavar="ID", help="报送存档编号（见 report archive）")
    p.add_argument("--out", required=True, metavar="文件", help="保存到的PDF文件")
    p.add_argument("--json", action="store_true", help="以JSON输出结果摘要")
    p.set_defaults(handler=cmd_report_reprint)
