"""`python -m registry`: the command line over the same services the window uses."""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

from registry.cli.chinese_argparse import ChineseArgumentParser, invoked_as, localise
from registry.errors import UserError
from registry.paths import default_db_path
from registry.rules.text import garbled_message, looks_garbled
from registry.storage.sqlite_errors import user_error

Handler = Callable[[argparse.Namespace], int]


def build_parser() -> ChineseArgumentParser:
    from registry.cli import (
        commands_backup,
        commands_core,
        commands_data,
        commands_dues,
        commands_io,
        commands_meetings,
        commands_report,
        commands_volunteer,
    )

    parser = ChineseArgumentParser(prog=invoked_as(), description="快递行业党建台账 命令行")
    parser.add_argument("--db", type=Path, default=None, help="数据库文件（默认在用户数据目录）")
    parser.add_argument("--operator", default=None, help="记入操作日志的操作人")
    sub = parser.add_subparsers(dest="command", metavar="命令", parser_class=ChineseArgumentParser)
    sub.required = True
    commands_core.register(sub)
    commands_data.register(sub)
    commands_meetings.register(sub)
    commands_volunteer.register(sub)
    commands_io.register(sub)
    commands_report.register(sub)
    commands_backup.register(sub)
    from registry.cli import commands_stations  # the care network: station, merchant, care-street

    commands_stations.register(sub)
    commands_dues.register(sub)
    return localise(parser)


def main(argv: Sequence[str] | None = None) -> int:
    from registry.cli.output import set_up_streams

    set_up_streams()  # before any output, usage errors included: Chinese text on any code page
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.db is None:
        args.db = default_db_path()
    handler: Handler = args.handler
    from registry.exports import sweep_leftovers

    sweep_leftovers()  # temporary files of personal data left by a killed export or backup
    try:
        if args.operator and looks_garbled(args.operator):  # it would go into every audit row of this command
            raise UserError(garbled_message("操作人", args.operator))
        from registry.cli.commands_backup import run_daily_backup  # backups: once a day on first open
        run_daily_backup(args)
        return handler(args)
    except UserError as exc:
        print(exc.message, file=sys.stderr)
        return 2
    except sqlite3.Error as exc:  # a full disk, a read-only file, a lock held too long: the real cause
        error = user_error(exc, args.db)
        if error is None:
            return _internal_error(exc)
        print(error.message, file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("已取消，未做任何修改。", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # the last line of defence: a sentence, never a traceback
        return _internal_error(exc)


def _internal_error(exc: Exception) -> int:
    if os.environ.get("DANGJIAN_DEBUG"):
        traceback.print_exc()
    print(f"程序内部错误（{type(exc).__name__}: {exc}），数据未被修改；请把这句话发给维护人员。", file=sys.stderr)
    return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
