"""What undoing an import batch takes back, counted once: the question before the undo and its result say the same."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import asdict, dataclass

from registry.storage.database import Registry

# Records besides people that an import creates or fills in, as the sentences name them.
OTHER_RECORDS = (("outlets", "网点"), ("brands", "品牌"), ("organizations", "党组织"))


@dataclass(frozen=True)
class UndoCounts:
    """People and other records an undo deletes (added by the import) or restores (changed by it)."""

    people_added: int = 0
    people_changed: int = 0
    outlets_added: int = 0
    brands_added: int = 0
    organizations_added: int = 0
    outlets_changed: int = 0
    brands_changed: int = 0
    organizations_changed: int = 0

    @classmethod
    def of(cls, counts: UndoCounts | Mapping[str, int]) -> UndoCounts:
        if isinstance(counts, UndoCounts):
            return counts
        return cls(**{k: int(counts.get(k, 0)) for k in cls.__dataclass_fields__})

    def as_dict(self) -> dict[str, int]:
        return asdict(self)


def undo_counts(reg: Registry, batch_id: int) -> UndoCounts:
    """Counted from the batch's own log rows, among the records that still exist: what undo_batch will do."""
    op = reg.scalar("SELECT operation_id FROM import_batches WHERE id = ?", (batch_id,))
    counts: dict[str, int] = {}
    for table in ("people", *(t for t, _ in OTHER_RECORDS)):
        added, changed = reg.conn.execute(
            f"SELECT count(DISTINCT CASE WHEN a.op = 'insert' THEN a.entity_id END),"
            f" count(DISTINCT CASE WHEN a.op = 'update' AND a.field IS NOT NULL AND a.entity_id NOT IN"
            f"  (SELECT entity_id FROM audit_log WHERE operation_id = ? AND entity = ? AND op = 'insert')"
            f"  THEN a.entity_id END)"
            f" FROM audit_log a JOIN {table} t ON t.id = a.entity_id WHERE a.operation_id = ? AND a.entity = ?",
            (op, table, op, table)).fetchone()
        counts[f"{table}_added"], counts[f"{table}_changed"] = added, changed
    # People a batch added carry its id instead of a log row each (0005_import_batch_audit); a person updated by
    # the same batch is one it added (a duplicate in the file), not one it changed.
    added, changed = reg.conn.execute(
        "SELECT count(*), (SELECT count(DISTINCT a.entity_id) FROM audit_log a JOIN people t ON t.id = a.entity_id"
        "  WHERE a.operation_id = ? AND a.entity = 'people' AND a.op = 'update' AND a.field IS NOT NULL"
        "  AND t.batch_id IS ?)"
        " FROM people WHERE batch_id = ?", (op, batch_id, batch_id)).fetchone()
    counts["people_added"] += added
    counts["people_changed"] -= changed
    return UndoCounts.of(counts)


def _parts(c: UndoCounts) -> str:
    parts = []
    if c.people_added:
        parts.append(f"删除新增的{c.people_added}人")
    if c.people_changed:
        parts.append(f"恢复修改过的{c.people_changed}人")
    added = "、".join(f"{label}{getattr(c, f'{t}_added')}个" for t, label in OTHER_RECORDS if getattr(c, f"{t}_added"))
    if added:
        parts.append(f"删除新建的{added}")
    changed = "、".join(f"{label}{getattr(c, f'{t}_changed')}个" for t, label in OTHER_RECORDS
                        if getattr(c, f"{t}_changed"))
    if changed:
        parts.append(f"恢复修改过的{changed}")
    return "，".join(parts)


def undo_question(batch_id: int, files: list[str], counts: UndoCounts | Mapping[str, int]) -> str:
    """The confirmation: 「将撤销第3批导入（摸排.xlsx）：删除新增的10人，恢复修改过的2人……」."""
    what = _parts(UndoCounts.of(counts)) or "这一批没有留下需要撤销的内容，只把它标为已撤销"
    named = f"（{'、'.join(files)}）" if files else ""
    return f"将撤销第{batch_id}批导入{named}：{what}。\n\n确定撤销吗？"


def ask_undo(reg: Registry, batch_id: int) -> str:
    """The confirmation for this batch as it stands now: its files and what its undo would take back."""
    text = reg.scalar("SELECT files FROM import_batches WHERE id = ?", (batch_id,))
    files = [f.get("name", "") for f in json.loads(text or "[]") if isinstance(f, dict)]
    return undo_question(batch_id, files, undo_counts(reg, batch_id))


def undo_result(batch_id: int, counts: UndoCounts | Mapping[str, int]) -> str:
    """The result, in the same words and numbers as the question: 「已撤销第3批导入：删除新增的10人……」."""
    what = _parts(UndoCounts.of(counts))
    return f"已撤销第{batch_id}批导入：{what}，数据已回到导入前的样子。" if what else f"已撤销第{batch_id}批导入。"
