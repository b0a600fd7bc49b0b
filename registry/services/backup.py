"""Backing the registry up to a file (and checking a backup opens), recorded in the audit log."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from registry import exports
from registry.errors import UserError
from registry.storage.database import Registry


def backup_to(reg: Registry, out: Path) -> int:
    """A consistent copy of the whole database (SQLite's online backup), even while it is in use.

    Returns the number of people in the copy, read back from it as a check that it opens.
    """
    out = Path(out)
    if out.resolve() == reg.path.resolve():
        raise UserError("备份文件不能与正在使用的数据库是同一个文件，请换一个位置或名称。")
    if not out.parent.is_dir():
        raise UserError(f"文件夹“{out.parent}”不存在，请先创建或换一个位置。")

    def write(tmp: Path) -> int:
        target = sqlite3.connect(tmp)
        try:
            reg.conn.backup(target)
            people = target.execute("SELECT count(*) FROM people").fetchone()[0]
            ok = target.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        finally:
            target.close()
        if not ok:
            raise UserError("备份文件校验未通过，请换一个位置（如U盘损坏）后重试。")
        return int(people)

    return exports.publish(reg, out, action="backup", summary=f"备份数据库到 {out.name}", write=write,
                           detail=lambda people: {"kind": "backup", "people": people})
