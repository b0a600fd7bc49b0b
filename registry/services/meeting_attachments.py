"""A meeting's attachments kept by reference (a photo of the sign-in sheet): path, name, size and sha256, so that
a file moved or changed since is noticed. The file itself is never copied into the database."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from registry.errors import UserError
from registry.storage.database import Registry, Tx

MOVED = "文件已移动或删除"
CHANGED = "文件内容已改变"
FOUND = "正常"


def _digest(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def attachment_rows(reg: Registry, paths: Sequence[str],
                    current: Sequence[dict[str, Any]] = ()) -> list[dict[str, Any]]:
    """The rows for the attachments at `paths`: those already attached keep their stored row (a file moved since
    is still listed, as it was recorded); new ones are read now. UserError for a missing file."""
    known = {a["path"]: a for a in current}
    rows: list[dict[str, Any]] = []
    for raw in paths:
        text = str(raw).strip()
        if not text:
            continue
        if text in known:
            rows.append({k: known[text][k] for k in ("path", "name", "size", "sha256")})
            continue
        path = Path(text).expanduser().resolve()
        if str(path) in known:
            rows.append({k: known[str(path)][k] for k in ("path", "name", "size", "sha256")})
            continue
        if not path.is_file():
            raise UserError(f"找不到附件文件“{text}”，请检查路径。")
        if path == Path(reg.path).resolve():
            raise UserError("不能把数据库文件本身作为会议附件。")
        rows.append({"path": str(path), "name": path.name, "size": path.stat().st_size, "sha256": _digest(path)})
    seen: set[str] = set()
    return [r for r in rows if not (r["path"] in seen or seen.add(r["path"]))]  # type: ignore[func-returns-value]


def sync_attachments(tx: Tx, meeting_id: int, current: Sequence[dict[str, Any]], wanted: Sequence[dict[str, Any]],
                     label: str) -> bool:
    """Delete the attachments no longer wanted and add the new ones; returns whether anything changed."""
    keep = {r["path"] for r in wanted}
    have = {a["path"] for a in current}
    changed = False
    for a in current:
        if a["path"] not in keep:
            tx.delete("meeting_attachments", a["id"], label=label)
            changed = True
    for r in wanted:
        if r["path"] not in have:
            tx.insert("meeting_attachments", {"meeting_id": meeting_id, **r}, label=label)
            changed = True
    return changed


def attachment_state(row: dict[str, Any]) -> str:
    """正常, 文件已移动或删除, or 文件内容已改变 (its size or checksum differ from when it was attached)."""
    path = Path(row["path"])
    if not path.is_file():
        return MOVED
    if row.get("size") is not None and path.stat().st_size != row["size"]:
        return CHANGED
    if row.get("sha256") and _digest(path) != row["sha256"]:
        return CHANGED
    return FOUND


def list_attachments(reg: Registry, meeting_id: int) -> list[dict[str, Any]]:
    rows = reg.query("SELECT id, path, name, size, sha256 FROM meeting_attachments WHERE meeting_id = ? ORDER BY id",
                     (meeting_id,))
    for r in rows:
        r["state"] = attachment_state(r)
    return rows
