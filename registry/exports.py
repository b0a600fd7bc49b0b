"""Writing a file of personal data: built beside the target, moved into place together with its audit row."""

from __future__ import annotations

import contextlib
import json
import os
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from registry.errors import UserError
from registry.storage.database import Registry

T = TypeVar("T")


def check_target(out: Path, suffixes: tuple[str, ...], what: str, example: str) -> Path:
    """The target must have one of the suffixes and sit in a folder that exists."""
    out = Path(out)
    if out.suffix.lower() not in suffixes:
        wanted = "或".join(suffixes)
        raise UserError(f"{what}只能保存为{wanted}文件，不能保存为“{out.suffix or '无扩展名'}”，"
                        f"请把文件名的扩展名改为{suffixes[0]}后重试。")
    if out.is_dir():
        raise UserError(f"“{out}”是一个文件夹，请写出要保存的文件名，如“{example}”。")
    if not out.parent.is_dir():
        raise UserError(f"文件夹“{out.parent}”不存在，请先创建该文件夹或另选保存位置。")
    return out


def temp_beside(out: Path) -> Path:
    """A new empty file in the target's folder; unlike mkstemp's 0600 it gets the user's usual permissions."""
    tmp = out.with_name(f".{out.stem}.{uuid.uuid4().hex[:12]}.tmp")
    os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666))
    return tmp


def publish(reg: Registry, out: Path, *, action: str, summary: str, write: Callable[[Path], T],
            detail: dict[str, Any] | Callable[[T], dict[str, Any]]) -> T:
    """Run write(tmp), then move the file to `out` inside the transaction that records the export.

    A failed build leaves no half-written file, and the file appears only if its audit row is committed
    (个人信息保护法: every export of personal data leaves a trail). `detail` may be computed from what
    write returned.
    """
    out = Path(out)
    tmp: Path | None = None
    try:
        tmp = temp_beside(out)
        result = write(tmp)
        record = {"file": str(out.resolve()), **(detail(result) if callable(detail) else detail)}
        with reg.transaction(action, summary) as tx:
            tx.audit([(tx.operation_id, tx.at, tx.operator, "insert", "exports", 0, out.name, None, None,
                       json.dumps(record, ensure_ascii=False, default=str))])
            os.replace(tmp, out)
        return result
    except OSError as exc:
        raise UserError(f"无法写入文件“{out}”，请确认文件夹存在、可以写入，且文件没有在Excel中打开（或被其他程序占用）。") from exc
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
