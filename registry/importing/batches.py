"""Import batches afterwards: the list, undo as a whole, and the rejected rows sent back as a workbook."""

from __future__ import annotations

import json
import math
from datetime import date, datetime
from pathlib import Path
from typing import Any

from registry import exports
from registry.display import cn_moment
from registry.errors import UserError
from registry.importing.undo_counts import undo_counts
from registry.person_keys import person_keys
from registry.services.backups import before_undo
from registry.services.history import forget_people
from registry.storage.database import Registry
from registry.storage.sqlite_errors import reason

# Tables an import writes, undone children first.
UNDO_ORDER = ("development_steps", "person_states", "people", "outlets", "brands", "org_life_settings", "organizations")
# Records that point at people; an undo that would delete a person with such records refuses.
DEPENDENTS = (("meeting_attendance", "person_id", "会议出席记录"), ("volunteer_records", "person_id", "志愿服务记录"),
              ("volunteer_claims", "person_id", "志愿服务岗位认领记录"),
              ("transfers", "person_id", "组织关系转接记录"))


def list_batches(reg: Registry) -> list[dict[str, Any]]:
    rows = reg.query("SELECT id, at, operator, files, rows, added, updated, unchanged, rejected, duplicates, status,"
                     " undone_at FROM import_batches ORDER BY id DESC")
    for r in rows:
        r["files"] = [f["name"] for f in json.loads(r["files"])]
    return rows


def _batch(reg: Registry, batch_id: int) -> dict[str, Any]:
    rows = reg.query("SELECT * FROM import_batches WHERE id = ?", (batch_id,))
    if not rows:
        raise UserError(f"没有编号为{batch_id}的导入批次，请用“import batches”查看已有批次。")
    return rows[0]


def batch_people(reg: Registry, batch_id: int) -> list[int]:
    """The people this batch added who are still registered, by id (people.batch_id)."""
    return [r[0] for r in reg.conn.execute("SELECT id FROM people WHERE batch_id = ? ORDER BY id", (batch_id,))]


def batch_status(reg: Registry, batch_id: int) -> dict[str, Any] | None:
    """A batch's status ('applied' or 'undone') and when it was undone; None when there is no such batch."""
    rows = reg.query("SELECT status, undone_at FROM import_batches WHERE id = ?", (batch_id,))
    return rows[0] if rows else None


def undo_batch(reg: Registry, batch_id: int) -> dict[str, int]:
    """Take a whole import back; refuses, changing nothing, if later work built on what it wrote.

    Returns the log entries deleted and restored ("deleted", "restored") and the people and records taken back
    (undo_counts.UndoCounts, for undo_result: the same numbers undo_question announced).
    """
    batch = _batch(reg, batch_id)
    if batch["status"] == "undone":
        raise UserError(f"导入批次{batch_id}已于{cn_moment(batch['undone_at'])}撤销过，无需再次撤销。")
    op = batch["operation_id"]
    entries = reg.query("SELECT id, op, entity, entity_id, label, field, old FROM audit_log WHERE operation_id = ?"
                        f" AND entity IN ({','.join(repr(t) for t in UNDO_ORDER)}) ORDER BY id", (op,))
    touched = {(e["entity"], e["entity_id"]) for e in entries}
    added = batch_people(reg, batch_id)  # the people it added carry the batch (no log row each)
    touched.update(("people", pid) for pid in added)
    span = (batch.get("people_from"), batch.get("people_to"))  # also those deleted since: their ids are in it
    later = reg.query("SELECT DISTINCT a.entity, a.entity_id, a.label, o.summary FROM audit_log a"
                      " JOIN operations o ON o.id = a.operation_id WHERE a.operation_id > ? AND o.action <> 'import.undo'",
                      (op,))
    clash = [r for r in later if (r["entity"], r["entity_id"]) in touched
             or (r["entity"] == "people" and span[0] is not None and span[0] <= r["entity_id"] <= span[1])]
    if clash:
        names = "、".join(sorted({r["label"] or "" for r in clash})[:5])
        raise UserError(f"导入之后又修改过其中{len(clash)}条记录（如：{names}），撤销会丢掉这些修改，因此没有撤销；"
                        "如确需撤销，请先在操作日志中核对这些修改。")
    inserted: dict[str, list[int]] = {e["entity"]: [] for e in entries}  # table -> ids this batch inserted
    for e in entries:
        if e["op"] == "insert":
            inserted[e["entity"]].append(e["entity_id"])
    if added:  # batches before 0005_import_batch_audit logged each person instead: those ids are listed above
        inserted["people"] = sorted({*inserted.get("people", []), *added})
    for table, col, what in DEPENDENTS:
        ids = inserted.get("people", [])
        for start in range(0, len(ids), 900):
            chunk = ids[start:start + 900]
            n = reg.scalar(f"SELECT count(*) FROM {table} WHERE {col} IN ({','.join('?' * len(chunk))})", chunk)
            if n:
                raise UserError(f"本批导入的人员已有{n}条{what}，撤销会一并删除它们，因此没有撤销；请先处理这些记录。")
    ids = inserted.get("people", [])
    own = set(inserted.get("development_steps", []))
    for start in range(0, len(ids), 900):  # steps recorded later for people this batch added (its own go with it)
        chunk = ids[start:start + 900]
        later_steps = [r[0] for r in reg.conn.execute(
            f"SELECT id FROM development_steps WHERE person_id IN ({','.join('?' * len(chunk))})", chunk)
            if r[0] not in own]
        if later_steps:
            raise UserError(f"本批导入的人员之后又登记了{len(later_steps)}条发展党员步骤记录，撤销会一并删除它们，"
                            "因此没有撤销；请先处理这些记录。")
    counts = {"deleted": 0, "restored": 0}
    before_undo(reg)  # backups: an automatic, checked copy before the undo writes
    with reg.transaction("import.undo", f"撤销导入批次{batch_id}") as tx:
        tx.dated = False  # restoring the state before the import is not a dated change of its own
        planned = undo_counts(reg, batch_id)  # counted as the question before the undo counted them
        restored_people = set()
        for step_id in reversed(inserted.get("development_steps", [])):  # the steps its step columns wrote
            if tx.get("development_steps", step_id) is not None:
                tx.delete("development_steps", step_id, label=None)
                counts["deleted"] += 1
        for e in reversed(entries):
            if e["op"] == "update" and e["field"]:
                current = tx.get(e["entity"], e["entity_id"])
                if current is not None:
                    tx.update(e["entity"], e["entity_id"], {e["field"]: _restore(e["field"], e["old"])},
                              label=e["label"], old=current)
                    counts["restored"] += 1
                    if e["entity"] == "people":
                        restored_people.add(e["entity_id"])
        for pid in restored_people:  # the derived search and sort columns follow the restored values
            person = tx.get("people", pid)
            if person:
                keys = person_keys(person["name"], person["id_number"], person["phone"])
                tx.conn.execute("UPDATE people SET sort_stroke = ?, sort_pinyin = ?, search_text = ? WHERE id = ?",
                                (keys["sort_stroke"], keys["sort_pinyin"], keys["search_text"], pid))
        people = inserted.get("people", [])
        for start in range(0, len(people), 900):  # deleted for real: their values leave the log too
            chunk = people[start:start + 900]
            rows = tx.conn.execute(f"SELECT id, name, id_number FROM people WHERE id IN ({','.join('?' * len(chunk))})",
                                   chunk).fetchall()
            forget_people(tx, [{"id": i, "name": n, "id_number": num} for i, n, num in rows])
            counts["deleted"] += len(rows)
        for state_id in reversed(inserted.get("person_states", [])):  # the spans the import closed
            if tx.get("person_states", state_id) is not None:
                tx.delete("person_states", state_id, label=None)
        for table in UNDO_ORDER:
            if table in ("people", "person_states", "development_steps"):
                continue
            for entity_id in reversed(inserted.get(table, [])):
                try:
                    tx.delete(table, entity_id, label=None)
                except Exception as exc:  # a foreign key from later work: refuse as a whole
                    raise UserError(f"撤销失败：本批新建的{ {'outlets': '网点', 'brands': '品牌', 'organizations': '党组织'}.get(table, '记录') }"
                                    f"已被之后的记录引用（{reason(exc)}），没有做任何修改。") from exc
                counts["deleted"] += 1
        tx.conn.execute("UPDATE import_batches SET status = 'undone', undone_at = ?, undo_operation_id = ? WHERE id = ?",
                        (tx.at, tx.operation_id, batch_id))
        tx.audit([(tx.operation_id, tx.at, tx.operator, "update", "import_batches", batch_id, f"批次{batch_id}",
                   "status", "applied", "undone")])
    return {**counts, **planned.as_dict()}


def _restore(field: str, old: str | None) -> Any:
    """Audit values are text; integer columns get their numbers back."""
    if old is None:
        return None
    if field in ("flowing", "lost_contact", "outlet_id", "organization_id", "extension_months", "workers", "brand_id",
                 "parent_id"):
        return int(old)
    return old


def _cell(value: Any) -> Any:
    if isinstance(value, dict) and "date" in value:
        text = value["date"]
        return datetime.fromisoformat(text) if "T" in text else date.fromisoformat(text)
    return value


def excel_general(value: float) -> str:
    """A number as Excel's General format showed it in an 11-character column: 5.10104E+17 for an ID
    number Excel had turned into a number, so the user finds in the problem list what she saw."""
    if value.is_integer() and abs(value) < 1e11:
        return str(int(value))
    mantissa, exponent = f"{value:.5E}".split("E")
    mantissa = mantissa.rstrip("0").rstrip(".")
    power = int(exponent)
    return f"{mantissa}E{'+' if power >= 0 else '-'}{abs(power):02d}"


def _neutralise(ws: Any) -> None:
    """No cell of the sheet is a formula, header included (=cmd|' /C calc'!A0 stays visible text); big
    numbers go back as the text Excel showed, in text-formatted cells, never as a float."""
    for row in ws.iter_rows():
        for c in row:
            value = c.value
            if isinstance(value, float) and math.isfinite(value) and abs(value) >= 1e11:
                c.value = excel_general(value)
                c.number_format = "@"
            elif isinstance(value, str):
                c.data_type = "s"  # text as it was, never a formula
                c.number_format = "@"


def export_problems(reg: Registry, batch_id: int, out: Path) -> int:
    """The rejected rows exactly as they were, one sheet per source sheet, plus a column of reasons."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    batch = _batch(reg, batch_id)
    data = json.loads(batch["rejected_rows"] or '{"headers": {}, "rows": []}')
    rows = data["rows"]
    out = exports.check_target(out, (".xlsx",), "问题清单", "问题清单.xlsx")
    wb = Workbook()
    wb.remove(wb.active)
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for r in rows:
        groups.setdefault((r["file"], r["sheet"]), []).append(r)
    if not groups:
        ws = wb.create_sheet("问题清单")
        ws.append(["本批导入没有被拒绝的行。"])
    red = PatternFill("solid", fgColor="FFF2CC")
    for (file, sheet), items in groups.items():
        title = sheet[:28] if sheet not in wb.sheetnames else f"{sheet[:24]}_{len(wb.sheetnames)}"
        ws = wb.create_sheet(title.replace("/", "_").replace("\\", "_").replace("*", "_").replace("?", "_")
                             .replace("[", "(").replace("]", ")").replace(":", "_") or "问题清单")
        header = data["headers"].get(f"{file}\x1f{sheet}", [])
        width = max([len(header)] + [len(i["cells"]) for i in items])
        ws.append([*header, *[""] * (width - len(header)), "问题说明", "原表位置"])
        for c in ws[1]:
            c.font = Font(bold=True)
        for item in items:
            cells = [_cell(v) for v in item["cells"]]
            ws.append([*cells, *[None] * (width - len(cells)), item["reasons"], f"{file} {sheet} 第{item['row']}行"])
            note = ws.cell(row=ws.max_row, column=width + 1)
            note.fill = red
            note.alignment = Alignment(wrap_text=True)
        _neutralise(ws)
        ws.column_dimensions["A"].width = 8
        ws.freeze_panes = "A2"
    if data.get("omitted"):
        ws = wb.worksheets[0]
        ws.append([f"另有{data['omitted']}行被拒绝的行未列出（问题清单最多列出前{len(rows)}行），请先改正以上各行再重新导入。"])
    # Rejected rows carry names and ID numbers: the export is audited like every other.
    exports.publish(reg, out, action="import.problems", summary=f"导出批次{batch_id}的问题清单 {out.name}",
                    write=wb.save, detail={"format": "xlsx", "batch": batch_id, "rows": len(rows)})
    return len(rows)
