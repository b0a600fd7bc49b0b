"""A backup to a file the user chooses (a USB stick, the Documents folder), checked and recorded in the audit log."""

from __future__ import annotations

import os
from pathlib import Path

from registry import exports
from registry.errors import UserError
from registry.services.backups import copy_checked
from registry.services.restore import own_files
from registry.storage.database import Registry


def check_backup_target(reg: Registry, out: Path, *, force: bool = False) -> Path:
    """Refuse, with one sentence each, the database's own files, a non-.db name, and (without force) an existing file."""
    out = exports.check_name(out)  # first: on Windows "nul.db" is the null device, which "exists" as every file
    for own in own_files(reg.path):
        if out.resolve() == own.resolve() or (out.exists() and own.exists() and os.path.samefile(out, own)):
            which = "正在使用的数据库" if own == reg.path else f"数据库的日志文件（{own.name}）"
            raise UserError(f"备份文件不能是{which}，请换一个位置或名称，如“台账备份.db”。")
    exports.check_target(out, (".db",), "备份", "台账备份.db")
    if out.exists() and not force:
        raise UserError(f"文件“{out}”已经存在，没有覆盖它；请换一个文件名，或加上--force覆盖。")
    return out


def backup_to(reg: Registry, out: Path, *, force: bool = False) -> int:
    """A consistent, integrity-checked copy of the whole database (SQLite's online backup), even while in use.

    Returns the number of people in the copy. The file is readable by the user only (0600 on Linux).
    """
    out = check_backup_target(reg, out, force=force)

    def write(tmp: Path) -> int:
        tmp.unlink()  # copy_checked creates its file itself, private from the start
        try:
            people, _, _ = copy_checked(reg.conn, tmp)
        except UserError as exc:
            raise UserError(f"备份没有完成：{exc.message}") from exc
        return people

    return exports.publish(reg, out, action="backup", summary=f"备份数据库到 {out.name}", write=write,
                           detail=lambda people: {"kind": "backup", "people": people})
