"""Writing a file of personal data: built beside the target, moved into place together with its audit row."""

from __future__ import annotations

import contextlib
import errno
import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from registry import scratch
from registry.errors import UserError
from registry.rules.filenames import filename_problem
from registry.storage.database import Registry
from registry.storage.sqlite_errors import os_reason

T = TypeVar("T")

# Kept here for the callers that import them from this module; scratch.py is where they are defined.
temp_beside = scratch.temp_beside
sweep_leftovers = scratch.sweep_leftovers
# What a secretary opens in Excel or WPS (WPS also shows PDFs): a held one gets the sentence naming them.
OPENED_IN_OFFICE = (".xlsx", ".xls", ".csv", ".pdf")


def check_target(out: Path, suffixes: tuple[str, ...], what: str, example: str) -> Path:
    """The target must be a name Windows accepts, have one of the suffixes and sit in a folder that exists."""
    out = check_name(out)
    if out.suffix.lower() not in suffixes:
        wanted = "或".join(suffixes)
        raise UserError(f"{what}只能保存为{wanted}文件，不能保存为“{out.suffix or '无扩展名'}”，"
                        f"请把文件名的扩展名改为{suffixes[0]}后重试。")
    if out.is_dir():
        raise UserError(f"“{out}”是一个文件夹，请写出要保存的文件名，如“{example}”。")
    if not out.parent.is_dir():
        raise UserError(f"文件夹“{out.parent}”不存在，请先创建该文件夹或另选保存位置。")
    return out


def check_name(out: Path) -> Path:
    """The file must open on the secretaries' Windows PCs: Windows' naming rules, on every platform."""
    problem = filename_problem(out)
    if problem:
        raise UserError(problem)
    return Path(out)


def publish(reg: Registry, out: Path, *, action: str, summary: str, write: Callable[[Path], T],
            detail: dict[str, Any] | Callable[[T], dict[str, Any]]) -> T:
    """Run write(tmp), then move the file to `out` inside the transaction that records the export.

    A failed build leaves no half-written file, and the file appears only if its audit row is committed
    (个人信息保护法: every export of personal data leaves a trail). `detail` may be computed from what
    write returned. The temporary file is readable by the user only and named as registry.scratch says,
    so that one left by a killed process is swept on the next start.
    """
    out = check_name(out)  # also for writers that check the suffix themselves (the roster's .xlsx or .csv)
    tmp = scratch.temp_name(out.parent)
    moved = False
    try:
        scratch.create_temp(tmp)
        result = write(tmp)
        record = {"file": str(out.resolve()), **(detail(result) if callable(detail) else detail)}
        with reg.transaction(action, summary) as tx:
            tx.audit([(tx.operation_id, tx.at, tx.operator, "insert", "exports", 0, out.name, None, None,
                       json.dumps(record, ensure_ascii=False, default=str))])
            os.replace(tmp, out)
            moved = True
        return result
    except OSError as exc:
        _withdraw(out, moved)
        raise UserError(write_failure(exc, out)) from exc
    except BaseException:
        _withdraw(out, moved)
        raise
    finally:
        scratch.remove_temp(tmp)


def write_failure(exc: OSError, out: Path) -> str:
    """The sentence for a file that could not be written, naming the real cause (nothing was changed)."""
    code = exc.errno
    if code in (errno.ENOSPC, getattr(errno, "EDQUOT", -1)):
        return f"磁盘空间已满，无法保存“{out.name}”；请清理磁盘或换一个位置（如U盘）后重试，数据没有改动。"
    if code == errno.EROFS:
        return f"“{out.parent}”所在的磁盘是只读的（如写保护的U盘），无法保存“{out.name}”；请换一个位置后重试。"
    if getattr(exc, "winerror", None) in (5, 32, 33) and out.exists():
        # Windows refuses to replace a file another program holds open: the everyday case of Excel or WPS.
        if out.suffix.lower() in OPENED_IN_OFFICE:
            return f"文件“{out.name}”正在被其他程序使用，请先在 Excel/WPS 中关闭该文件，再导出（或换一个文件名）。"
        return f"文件“{out.name}”正在被其他程序使用，请先关闭使用它的程序，再保存（或换一个文件名）。"
    if isinstance(exc, PermissionError):
        return f"没有在“{out.parent}”中写入文件的权限，无法保存“{out.name}”；请换一个位置（如“文档”文件夹）后重试。"
    return (f"无法写入文件“{out}”（{os_reason(exc)}），请确认文件夹存在、可以写入，"
            "且文件没有在Excel中打开（或被其他程序占用）。")


def _withdraw(out: Path, moved: bool) -> None:
    """The file was moved into place but its audit row was not committed: no unrecorded copy may stay."""
    if moved:
        with contextlib.suppress(OSError):
            out.unlink()
