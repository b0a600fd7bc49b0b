"""Commands that print the papers of the development record: report record|review|target-notice|… ID --out FILE."""

from __future__ import annotations

import argparse
from pathlib import Path

from registry.cli.commands_core import open_registry, parse_day
from registry.cli.output import print_json


def cmd_report_paper(args: argparse.Namespace) -> int:
    from registry.reports.choices import KIND_BY_KEY, ReportRequest, build_report

    kind = KIND_BY_KEY[args.what]
    req = ReportRequest(kind.key, kind.label, show_id=args.show_id, person_id=args.id_number)
    with open_registry(args) as reg:
        result = build_report(reg, req, Path(args.out), on=parse_day(args.date, "填报日期")).result
    if args.json:
        print_json({"file": str(Path(args.out).resolve()), **result})
        return 0
    pages = f"（共{result['pages']}页）" if result.get("format") != "xlsx" else "（Excel表格，可直接填写）"
    print(f"已生成{result['name']}的{kind.label}：{args.out}{pages}")
    errors = result.get("errors") or []
    if errors:
        print(f"注意：{result['name']}的发展记录有{len(errors)}项错误，存档或张贴前请先处理（详见 person rules）：")
        for i, text in enumerate(errors, 1):
            print(f"  {i}. {text}")
    return 0


def register(kinds: argparse._SubParsersAction) -> None:
    """report <paper> ID --out FILE.pdf|FILE.xlsx for every paper of the development record."""
    from registry.reports.choices import KIND_BY_KEY
    from registry.reports.development_papers import PAPERS

    for key in PAPERS:
        p = kinds.add_parser(key, help=KIND_BY_KEY[key].help + "：PDF，或.xlsx表格供手工填写")
        p.add_argument("id_number", metavar="ID", help="身份证号")
        p.add_argument("--out", required=True, metavar="OUT.pdf|OUT.xlsx", help="保存到的文件（.pdf或.xlsx）")
        p.add_argument("--show-id", action="store_true", help="打印完整身份证号（默认打码）")
        p.add_argument("--date", help="填报日期，也是检查发展记录所按的日期（默认今天）")
        p.add_argument("--json", action="store_true", help="以JSON输出结果摘要")
        p.set_defaults(handler=cmd_report_paper)
