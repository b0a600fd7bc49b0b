"""Commands for backups: backup to a file, list the automatic backups, restore one; and the daily backup."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from registry.cli.commands_core import open_registry
from registry.cli.output import print_json, print_table
from registry.errors import UserError
from registry.services.backups import BackupInfo, backup_dir, daily_backup, list_backups

NO_DAILY = {"idcheck", "restore", "backups"}  # commands that do not open the database as it is


def size_text(size: int) -> str:
    return f"{size / 1048576:.1f} MB" if size >= 1048576 else f"{max(1, round(size / 1024))} KB"


def describe(info: BackupInfo) -> str:
    people = f"{info.people}人" if info.readable else "无法读取"
    return (f"备份时间 {info.at_text}（{info.reason}），{people}，"
            f"最后一次修改 {info.last_change_text}，{size_text(info.size)}")


def run_daily_backup(args: argparse.Namespace) -> None:
    """Once a day, before the first command that opens the database; a failure is a warning, not a stop."""
    if getattr(args, "command", None) in NO_DAILY or args.db is None:
        return
    try:
        daily_backup(Path(args.db))
    except UserError as exc:
        print(f"提示：今天的自动备份没有完成。{exc.message}", file=sys.stderr)


def cmd_backup(args: argparse.Namespace) -> int:
    from registry.services.backup import backup_to

    with open_registry(args) as reg:
        n = backup_to(reg, Path(args.out), force=args.force)
    print(f"已备份到 {args.out}（{n}人）。")
    return 0


def cmd_backups(args: argparse.Namespace) -> int:
    rows = list_backups(Path(args.db))
    if args.json:
        print_json([r.as_dict() for r in rows])
        return 0
    print_table([(r.at_text, r.reason, r.people if r.readable else "无法读取",
                  r.last_change_text, size_text(r.size), str(r.path)) for r in rows],
                ["备份时间", "原因", "人数", "最后修改", "大小", "文件"])
    print(f"共 {len(rows)} 个备份，在 {backup_dir(Path(args.db))}")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from registry.services.restore import inspect_backup, restore

    db = Path(args.db)
    info = inspect_backup(Path(args.backup), db)
    print(f"将用备份“{info.path.name}”替换数据库“{db}”：{describe(info)}。")
    if not args.yes:
        if not sys.stdin.isatty():
            raise UserError("恢复会替换当前数据库（当前数据会先另存为备份），请加上--yes确认后重试。")
        if input("确定要恢复吗？当前数据会先另存为备份。（输入“是”或 y 恢复，直接回车取消）").strip().lower() \
                not in ("y", "yes", "是", "是的"):
            print("已取消，未做任何修改。")
            return 0
    result = restore(db, info.path, operator=args.operator)
    if result.kept is not None:
        print(f"恢复前的数据已另存为 {result.kept.path}。")
    if result.moved_aside:
        print(f"损坏的数据库已改名保留为 {result.moved_aside[0]}。")
    print(f"已从备份恢复（{info.people}人）。")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("backup", help="把数据库备份到一个文件（如U盘）")
    p.add_argument("out", metavar="备份文件")
    p.add_argument("--force", action="store_true", help="覆盖已经存在的文件")
    p.set_defaults(handler=cmd_backup)

    p = sub.add_parser("backups", help="列出自动备份")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=cmd_backups)

    p = sub.add_parser("restore", help="从备份恢复数据库")
    p.add_argument("backup", metavar="备份文件")
    p.add_argument("--yes", action="store_true", help="不再询问，直接恢复")
    p.set_defaults(handler=cmd_restore)
