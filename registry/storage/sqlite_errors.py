"""One translation of SQLite's errors into sentences that name the real cause (disk full, read-only, locked…)."""

from __future__ import annotations

import errno
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
        return UserError(f"读写数据库文件{_name(path)}时磁盘出错，本次操作可能没有保存；"
                         "请检查U盘或磁盘是否已拔出、是否损坏，然后重试。")
    if code == "SQLITE_NOMEM":
        return UserError("电脑内存不足，本次操作没有完成；请关闭其他程序后重试。")
    return None


# What went wrong, in a few Chinese words to put inside a sentence, by SQLite's result code (its prefix).
SQLITE_REASONS = (
    ("SQLITE_FULL", "磁盘空间已满"),
    ("SQLITE_READONLY", "文件不允许写入"),
    ("SQLITE_BUSY", "数据库正被另一个程序使用"),
    ("SQLITE_LOCKED", "数据库正被另一个程序使用"),
    ("SQLITE_NOTADB", "这个文件不是数据库，或者已经损坏"),
    ("SQLITE_CORRUPT", "数据库文件已经损坏"),
    ("SQLITE_CANTOPEN", "文件打不开（不存在或没有权限）"),
    ("SQLITE_IOERR", "磁盘读写出错"),
    ("SQLITE_NOMEM", "内存不足"),
    ("SQLITE_CONSTRAINT", "与已有的记录相冲突"),
    ("SQLITE_PERM", "没有权限"),
    ("SQLITE_AUTH", "没有权限"),
    ("SQLITE_INTERRUPT", "操作被中断"),
    ("SQLITE_TOOBIG", "内容太大"),
)
# The same for the English messages SQLite gives without a code (integrity_check's lines, older Pythons).
SQLITE_WORDS = (
    ("file is not a database", "这个文件不是数据库，或者已经损坏"),
    ("database disk image is malformed", "数据库文件已经损坏"),
    ("database is locked", "数据库正被另一个程序使用"),
    ("database table is locked", "数据库正被另一个程序使用"),
    ("disk i/o error", "磁盘读写出错"),
    ("attempt to write a readonly database", "文件不允许写入"),
    ("readonly database", "文件不允许写入"),
    ("database or disk is full", "磁盘空间已满"),
    ("unable to open database file", "文件打不开（不存在或没有权限）"),
    ("no such table", "文件中缺少本程序的数据表"),
    ("no such column", "文件中的数据表与本程序不符"),
    ("out of memory", "内存不足"),
    ("foreign key constraint failed", "还有其他记录引用它"),
    ("constraint failed", "与已有的记录相冲突"),
    ("interrupted", "操作被中断"),
)
# An operating-system error, by errno (the same numbers on Windows for these), in a few Chinese words.
OS_REASONS = {
    errno.ENOSPC: "磁盘空间已满",
    errno.EROFS: "磁盘是只读的（如写保护的U盘）",
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.ENOENT: "文件或文件夹不存在",
    errno.EEXIST: "文件已经存在",
    errno.EISDIR: "这是一个文件夹",
    errno.ENOTDIR: "路径中有一部分不是文件夹",
    errno.EBUSY: "文件正被其他程序使用",
    errno.EIO: "磁盘读写出错（U盘或磁盘可能已拔出或损坏）",
    errno.ENAMETOOLONG: "文件名或路径太长",
    errno.EINVAL: "文件名中有不允许的字符",
    errno.EMFILE: "打开的文件太多",
    errno.EXDEV: "不能跨磁盘移动",
}
# Windows' own codes (winerror) that say more than their errno.
WINDOWS_REASONS = {5: "没有权限（或文件正被其他程序使用）", 32: "文件正被其他程序使用", 33: "文件正被其他程序锁定",
                   112: "磁盘空间已满", 19: "磁盘是写保护的", 21: "设备没有准备好（U盘是否已插好）",
                   123: "文件名中有不允许的字符", 206: "文件名或路径太长"}


def sqlite_reason(exc: BaseException) -> str:
    """SQLite's complaint in a few Chinese words, for inside a sentence; never SQLite's English."""
    code = getattr(exc, "sqlite_errorname", None) or ""
    for prefix, words in SQLITE_REASONS:
        if code.startswith(prefix):
            return words
    return sqlite_text_reason(str(exc))


def sqlite_text_reason(text: str) -> str:
    """An English line of SQLite's (an exception's text, a line of integrity_check) in a few Chinese words."""
    lowered = text.lower()
    for english, words in SQLITE_WORDS:
        if english in lowered:
            return words
    if any(w in lowered for w in ("page", "btree", "freelist", "row ", "index", "wrong # of entries", "missing")):
        return "数据库文件中有损坏的部分"
    return "数据库读写出错"


def os_reason(exc: OSError) -> str:
    """An operating-system error in a few Chinese words (exc.strerror is English, or in the system's language)."""
    winerror = getattr(exc, "winerror", None)
    if winerror in WINDOWS_REASONS:
        return WINDOWS_REASONS[winerror]
    if exc.errno in OS_REASONS:
        return OS_REASONS[exc.errno]
    if isinstance(exc, PermissionError):
        return "没有权限"
    if isinstance(exc, FileNotFoundError):
        return "文件或文件夹不存在"
    return "读写文件时出错" + (f"（错误代码{exc.errno}）" if exc.errno else "")


def reason(exc: BaseException) -> str:
    """What went wrong in a few Chinese words, for a SQLite or an operating-system error; else a general phrase."""
    if isinstance(exc, sqlite3.Error):
        return sqlite_reason(exc)
    if isinstance(exc, OSError):
        return os_reason(exc)
    return "出现了意外的错误"


def user_message(exc: BaseException, path: Path | None = None) -> str:
    """The sentence a user reads for any failure: a UserError's own, SQLite's and the system's in Chinese."""
    if isinstance(exc, UserError):
        return exc.message
    error = user_error(exc, path)
    if error is not None:
        return error.message
    if isinstance(exc, (sqlite3.Error, OSError)):
        return f"操作没有完成（{reason(exc)}），数据没有改动；请检查文件和磁盘后重试。"
    return "操作没有完成：程序遇到了意外问题，数据没有改动；请再试一次，如果仍然出现，请告诉技术支持人员。"


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
