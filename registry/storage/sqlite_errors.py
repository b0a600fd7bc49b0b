"""One translation of SQLite's errors into sentences that name the real cause (disk full, read-only, locked…)."""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from registry.errors import DatabaseBusy, DatabaseDamaged, UserError


def _name(path: Path | None) -> str:
    return f"“{path.name}”" if path is not None and path.name else ""


def damaged_message(path: Path | None) -> str:
    return (f"数据库文件{_name(path)}已经损坏（其中一部分内容无法读出），为免损坏扩大，程序没有在其中写入任何内容；"
            "请从备份恢复，或打开其他数据库。")


def busy_message(path: Path | None) -> str:
    return (f"数据库{_name(path)}正被另一个程序（如已打开的台账窗口或正在进行的导入）写入，等了一会儿仍未轮到，"
            "本次操作没有执行；请稍后再试。")


def readonly_message(path: Path | None) -> str:
    folder = path.parent if path is not None else None
    if folder is not None and folder.is_dir() and not os.access(folder, os.W_OK):
        return (f"数据库所在的文件夹“{folder}”不允许写入（程序需要在数据库旁边写入临时文件），本次操作没有保存；"
                "请把数据库移到可写的文件夹（如“文档”）后再打开。")
    if path is not None and path.exists() and not os.access(path, os.W_OK):
        return (f"数据库文件{_name(path)}是只读的，本次操作没有保存；请在文件属性中取消“只读”，"
                "或把它复制到可写的文件夹后再打开。")
    return (f"数据库文件{_name(path)}现在不能写入（文件是只读的，或所在文件夹、U盘不允许写入），本次操作没有保存；"
            "请取消文件的只读属性，或把它移到可写的文件夹后再打开。")


def user_error(exc: BaseException, path: Path | None = None) -> UserError | None:
    """The sentence for a SQLite error that is a user situation, or None for a genuine program error."""
    if not isinstance(exc, sqlite3.Error):
        return None
    code = getattr(exc, "sqlite_errorname", None) or ""
    if code == "SQLITE_FULL" or (code.startswith("SQLITE_IOERR") and "No space" in str(exc)):
        return UserError(f"磁盘空间已满，数据库{_name(path)}所在的磁盘写不下了，本次操作没有保存；请清理磁盘空间后重试。")
    if code.startswith("SQLITE_READONLY"):
        return UserError(readonly_message(path))
    if code.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return DatabaseBusy(busy_message(path))
    if code.startswith(("SQLITE_CORRUPT", "SQLITE_NOTADB")):
        return DatabaseDamaged(damaged_message(path), path)
    if code.startswith("SQLITE_CANTOPEN"):
        return UserError(f"无法打开数据库文件{_name(path)}：文件或它所在的文件夹不存在，或者没有读写权限；"
                         "请确认文件位置（U盘是否已插好）和权限后重试。")
    if code.startswith("SQLITE_IOERR"):
        return UserError(f"读写数据库文件{_name(path)}时磁盘出错（{code}），本次操作可能没有保存；"
                         "请检查U盘或磁盘是否已拔出、是否损坏，然后重试。")
    if code == "SQLITE_NOMEM":
        return UserError("电脑内存不足，本次操作没有完成；请关闭其他程序后重试。")
    return None


@contextmanager
def translated(path: Path | None) -> Iterator[None]:
    """Re-raise a SQLite user situation as its UserError; anything else passes through unchanged."""
    try:
        yield
    except sqlite3.Error as exc:
        error = user_error(exc, path)
        if error is None:
            raise
        raise error from exc
