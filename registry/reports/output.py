"""Writing a report file safely: built beside the target, moved over it, and recorded in the audit log."""

from __future__ import annotations

import contextlib
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from registry.errors import UserError
from registry.services.organizations import require_org
from registry.storage.database import Registry


def reporting_unit(reg: Registry, org: str | None) -> str:
    """Who reports: the organisation asked for, else the unit set up with `init --unit`, else the single root."""
    if org:
        return require_org(reg, org)["name"]
    unit = reg.setting("unit")
    if unit:
        return unit
    roots = [r[0] for r in reg.conn.execute("SELECT name FROM organizations WHERE parent_id IS NULL LIMIT 2")]
    return roots[0] if len(roots) == 1 else "快递行业党组织"


def check_target(out: Path) -> Path:
    """The target must be a .pdf in a folder that exists."""
    out = Path(out)
    if out.suffix.lower() != ".pdf":
        raise UserError(f"报表只能保存为.pdf文件，不能保存为“{out.suffix or '无扩展名'}”，请把文件名的扩展名改为.pdf后重试。")
    if not out.parent.is_dir():
        raise UserError(f"文件夹“{out.parent}”不存在，请先创建该文件夹或另选保存位置。")
    if out.is_dir():
        raise UserError(f"“{out}”是一个文件夹，请写出要保存的文件名，如“月报.pdf”。")
    return out


def publish(reg: Registry, out: Path, kind: str, title: str, detail: dict[str, Any],
            write: Callable[[Path], Any]) -> Any:
    """Run `write(tmp)` and move the file into place together with its audit row; returns what write returned.

    A failed build leaves no half-written file behind, and the file appears only if the audit row is
    committed (个人信息保护法: every export of personal data leaves a trail).
    """
    out = check_target(out)
    tmp: Path | None = None
    try:
        fd, name = tempfile.mkstemp(prefix=f".{out.stem}.", suffix=".tmp", dir=out.parent)
        os.close(fd)
        tmp = Path(name)
        result = write(tmp)
        record = {"file": str(out.resolve()), "format": "pdf", "report": kind, **detail}
        with reg.transaction(f"report.{kind}", f"生成{title} {out.name}") as tx:
            tx.audit([(tx.operation_id, tx.at, tx.operator, "insert", "exports", 0, out.name, None, None,
                       json.dumps(record, ensure_ascii=False, default=str))])
            os.replace(tmp, out)
        return result
    except OSError as exc:
        raise UserError(f"无法写入文件“{out}”，请确认文件夹可以写入，且该文件没有在其他程序中打开。") from exc
    finally:
        if tmp is not None:
            with contextlib.suppress(OSError):
                tmp.unlink(missing_ok=True)
