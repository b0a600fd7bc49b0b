"""Reading the audit log, and the few settings the user keeps (unit name, operator)."""

from __future__ import annotations

from typing import Any

from registry.storage.database import Registry

ENTITY_LABELS = {"people": "人员", "organizations": "党组织", "outlets": "网点", "brands": "品牌",
                 "meetings": "会议", "meeting_attendance": "会议出席", "volunteer_records": "志愿服务",
                 "transfers": "组织关系转接", "settings": "设置", "import_batches": "导入批次",
                 "exports": "导出", "import_templates": "表头对应关系", "backups": "备份"}
OP_LABELS = {"insert": "新增", "update": "修改", "delete": "删除"}


def history(reg: Registry, *, limit: int | None = 1000, entity: str | None = None, entity_id: int | None = None,
            operation_id: int | None = None, text: str | None = None) -> list[dict[str, Any]]:
    clauses, params = ["1"], []
    if entity:
        clauses.append("a.entity = ?")
        params.append(entity)
    if entity_id is not None:
        clauses.append("a.entity_id = ?")
        params.append(entity_id)
    if operation_id is not None:
        clauses.append("a.operation_id = ?")
        params.append(operation_id)
    if text:
        clauses.append("(a.label LIKE ? OR o.summary LIKE ?)")
        params.extend([f"%{text}%", f"%{text}%"])
    sql = (f"SELECT a.id, a.at, a.operator, o.id AS operation, o.action, o.summary, a.op, a.entity, a.entity_id,"
           f" a.label, a.field, a.old, a.new FROM audit_log a JOIN operations o ON o.id = a.operation_id"
           f" WHERE {' AND '.join(clauses)} ORDER BY a.id DESC")
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return reg.query(sql, params)


# Id columns the log shows by the name of what they point at, and the table holding that name.
REFERENCES = {("people", "outlet_id"): "outlets", ("people", "organization_id"): "organizations",
              ("outlets", "organization_id"): "organizations", ("outlets", "brand_id"): "brands",
              ("organizations", "parent_id"): "organizations", ("meetings", "organization_id"): "organizations"}


def reference_names(reg: Registry) -> dict[tuple[str, str], dict[str, str]]:
    """For each id column in REFERENCES, the current names by id (as text, the way the log stores values)."""
    names = {table: {str(i): n for i, n in reg.conn.execute(f"SELECT id, name FROM {table}")}
             for table in set(REFERENCES.values())}
    return {key: names[table] for key, table in REFERENCES.items()}


def set_setting(reg: Registry, key: str, value: str | None) -> None:
    with reg.transaction("settings.set", f"设置 {key}") as tx:
        old = reg.setting(key)
        if old == value:
            return
        tx.conn.execute("INSERT INTO settings (key, value) VALUES (?, ?)"
                        " ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))
        tx.audit([(tx.operation_id, tx.at, tx.operator, "update", "settings", 0, key, key, old, value)])
