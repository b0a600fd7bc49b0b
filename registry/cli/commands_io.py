"""Commands that move data in and out: census import, its batches, roster and problem-list export."""

from __future__ import annotations

import argparse
from pathlib import Path

from registry.cli.commands_core import add_filter_args, open_registry, people_filter
from registry.cli.output import print_json, print_table
from registry.display import cn_moment
from registry.errors import UserError


def _mappings(items: list[str] | None) -> dict[str, str]:
    from registry.importing.templates import check_mapping

    pairs = {}
    for item in items or []:
        if "=" not in item:
            raise UserError(f"列对应“{item}”格式不对，请写成“表头=字段”，如“党员姓名=姓名”。")
        header, target = item.split("=", 1)
        pairs[header.strip()] = target.strip()
    return check_mapping(pairs)


def cmd_import(args: argparse.Namespace) -> int:
    from registry.importing.service import import_files
    from registry.importing.templates import save_mapping

    if args.files and args.files[0] == "undo":
        return cmd_import_undo(args)
    if args.files and args.files[0] == "batches":
        return cmd_import_batches(args)
    with open_registry(args) as reg:
        mappings = _mappings(args.map)
        result = import_files(reg, args.files, dry_run=args.dry_run, strict=args.strict, mappings=mappings,
                              managed_from=args.managed_from)
        if args.save_mapping and mappings and not args.dry_run:
            from registry.importing.readers import read_file

            for path in args.files:
                for sheet in read_file(Path(path)):
                    save_mapping(reg, sheet, mappings)
    if args.json:
        print_json(result.as_dict())
        return 0
    for s in result.sheets:
        kind = {"people": "人员名单", "outlets": "网点清单"}.get(s["kind"] or "", "未识别，已跳过")
        print(f"{s['file']} / {s['sheet']}：{kind}" + (f"，{s['rows']}行" if s["kind"] else f"（{s['reason']}）"))
    if result.problems:
        print_table([(p["sheet"], p["row"], p["column"], "错误" if p["level"] == "error" else "提醒", p["message"])
                     for p in result.problems], ["工作表", "行", "列", "级别", "问题"])
    state = "预览（未写入）" if result.dry_run else ("已导入" if result.applied else "有错误，按 --strict 未导入任何数据")
    print(f"{state}：共{result.rows}行，新增{result.added}，更新{result.updated}，未变{result.unchanged}，"
          f"拒绝{result.rejected}，重复合并{result.duplicates}" + (f"；批次号 {result.batch}" if result.batch else ""))
    if result.unverified:
        print(result.unverified_note())
    return 0


def cmd_import_undo(args: argparse.Namespace) -> int:
    from registry.importing.batches import undo_batch
    from registry.importing.undo_counts import undo_result

    if len(args.files) != 2 or not args.files[1].isdigit():
        raise UserError("请写成“import undo 批次号”，批次号可用“import batches”查看。")
    with open_registry(args) as reg:
        counts = undo_batch(reg, int(args.files[1]))
    if args.json:
        print_json(counts)
    else:
        print(undo_result(int(args.files[1]), counts))  # the window's words and numbers
    return 0


def cmd_import_batches(args: argparse.Namespace) -> int:
    from registry.importing.batches import list_batches

    with open_registry(args) as reg:
        rows = list_batches(reg)
    if args.json:
        print_json(rows)
    else:
        print_table([(r["id"], cn_moment(r["at"]), r["operator"], "、".join(r["files"]), r["rows"], r["added"], r["updated"],
                      r["rejected"], "已撤销" if r["status"] == "undone" else "") for r in rows],
                    ["批次", "时间", "操作人", "文件", "行数", "新增", "更新", "拒绝", "状态"])
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    with open_registry(args) as reg:
        if args.what == "roster":
            from registry.exporting.roster import export_roster

            n = export_roster(reg, Path(args.out), people_filter(reg, args), order=args.order,
                              show_id=not args.mask_id)
            print(f"已导出花名册：{args.out}（{n}人）")
        else:
            from registry.importing.batches import export_problems

            n = export_problems(reg, args.batch, Path(args.out))
            print(f"已导出问题清单：{args.out}（{n}行）")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("import", help="导入摸排表、花名册（import 文件…；import undo 批次号；import batches）")
    p.add_argument("files", nargs="+", metavar="文件")
    p.add_argument("--dry-run", action="store_true", help="只预览，不写入")
    p.add_argument("--json", action="store_true")
    p.add_argument("--strict", action="store_true", help="有任何错误行就什么都不导入")
    p.add_argument("--map", action="append", metavar="表头=字段", help="更正列对应，如 --map 党员姓名=姓名")
    p.add_argument("--save-mapping", action="store_true", help="把 --map 的更正保存到这种表格模板")
    p.add_argument("--managed-from", metavar="日期",
                   help="摸排日期：新增人员自这一天纳入管理（摸排新纳入），已登记人员的变动自这一天起算；默认今天")
    p.set_defaults(handler=cmd_import)

    ex = sub.add_parser("export", help="导出").add_subparsers(dest="what", metavar="内容", required=True)
    p = ex.add_parser("roster", help="花名册 .xlsx 或 .csv")
    p.add_argument("out", metavar="文件")
    p.add_argument("--order", choices=["stroke", "pinyin"], default="stroke")
    # Full numbers by default here, unlike the window: the exported roster must re-import as it was.
    ids = p.add_mutually_exclusive_group()
    ids.add_argument("--mask-id", action="store_true", help="身份证号打码")
    ids.add_argument("--show-id", action="store_true", help="完整身份证号（默认如此；导出记入操作日志）")
    add_filter_args(p)
    p.set_defaults(handler=cmd_export)
    p = ex.add_parser("problems", help="某批导入被拒绝的行")
    p.add_argument("batch", type=int, metavar="批次号")
    p.add_argument("out", metavar="文件")
    p.set_defaults(handler=cmd_export)


