"""Reading the audit log, what it keeps of a deleted person, reveals of full ID numbers, and the settings."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from typing import Any

from registry.errors import UserError
from registry.rules.idnumber import mask_id
from registry.storage.database import Registry, Tx

ENTITY_LABELS = {"people": "人员", "organizations": "党组织", "outlets": "网点", "brands": "品牌",
                 "meetings": "会议", "meeting_attendance": "会议出席", "volunteer_records": "志愿服务",
                 "transfers": "组织关系转接", "settings": "设置", "import_batches": "导入批次",
                 "exports": "导出", "import_templates": "表头对应关系", "backups": "备份",
                 "reveals": "显示完整号码", "person_states": "人员变动前状态", "report_submissions": "报送报表",
                 "development_steps": "发展党员步骤", "volunteer_posts": "志愿服务岗位",
                 "volunteer_claims": "岗位认领", "volunteer_activities": "志愿服务活动",
                 "volunteer_point_rules": "志愿服务积分规则", "meeting_attachments": "会议附件", "party_groups": "党小组",
                 "party_group_members": "党小组成员", "org_life_settings": "组织生活设置",
                 "dues_bases": "党费基数", "dues_payments": "党费交纳",
                 **{"care_types": "驿站类型", "care_services": "驿站服务项目", "care_stations": "关爱阵地驿站",
                    "care_visits": "驿站服务人次", "care_streets": "暖蜂一条街", "care_merchants": "暖蜂商户"}}
OP_LABELS = {"insert": "新增", "update": "修改", "delete": "删除"}
# The settings a user gives, by the names the window asks for them with.
SETTING_LABELS = {"unit": "本单位名称", "operator": "填报人", "keys_version": "排序规则版本"}


def history(reg: Registry, *, limit: int | None = 1000, entity: str | None = None, entity_id: int | None = None,
            operation_id: int | None = None, text: str | None = None) -> list[dict[str, Any]]:
    clauses = ["1"]
    params: list[object] = []  # texts and ids alike
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
        # % and _ typed by the user are searched for literally, not as LIKE wildcards.
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        clauses.append("(a.label LIKE ? ESCAPE '\\' OR o.summary LIKE ? ESCAPE '\\')")
        params.extend([pattern, pattern])
    sql = (f"SELECT a.id, a.at, a.operator, o.id AS operation, o.action, o.summary, a.op, a.entity, a.entity_id,"
           f" a.label, a.field, a.old, a.new FROM audit_log a JOIN operations o ON o.id = a.operation_id"
           f" WHERE {' AND '.join(clauses)} ORDER BY a.id DESC")
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    rows = reg.query(sql, params)
    if entity in (None, "people") and (entity_id is not None or text):
        # Looking for one person: the batch that added her is her 新增 entry (no log row of her own).
        rows = sorted([*rows, *batch_added(reg, entity_id=entity_id, text=text, operation_id=operation_id,
                                           limit=limit)], key=lambda r: r["id"], reverse=True)[:limit]
    return rows


def batch_added(reg: Registry, *, entity_id: int | None = None, text: str | None = None,
                operation_id: int | None = None, limit: int | None = 1000) -> list[dict[str, Any]]:
    """People added by an import batch, as 新增 entries of the log read from people.batch_id (the batch row is
    the audit event of what it adds): ordered with the batch's own log row, whose id they take."""
    clauses = ["p.batch_id IS NOT NULL"]
    params: list[object] = []
    if entity_id is not None:
        clauses.append("p.id = ?")
        params.append(entity_id)
    if operation_id is not None:
        clauses.append("b.operation_id = ?")
        params.append(operation_id)
    if text:
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        clauses.append("p.name LIKE ? ESCAPE '\\'")  # the batch's own row answers for its summary
        params.append(pattern)
    sql = ("SELECT a.id, b.at, b.operator, o.id AS operation, o.action, o.summary, 'insert' AS op,"
           " 'people' AS entity, p.id AS entity_id, p.name AS label, NULL AS field, NULL AS old,"
           " json_object('_batch', b.id) AS new FROM people p JOIN import_batches b ON b.id = p.batch_id"
           " JOIN operations o ON o.id = b.operation_id JOIN audit_log a ON a.operation_id = b.operation_id"
           " AND a.entity = 'import_batches' AND a.entity_id = b.id AND a.op = 'insert'"
           f" WHERE {' AND '.join(clauses)} ORDER BY p.id DESC")
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return reg.query(sql, params)


def masked_entry(row: dict[str, Any]) -> dict[str, Any]:
    """A log row with people's ID numbers masked, in field changes and in inserted or deleted records."""
    if row.get("entity") != "people":
        return row
    row = dict(row)
    if row.get("field") == "id_number":
        row["old"], row["new"] = (mask_id(v) if v else v for v in (row.get("old"), row.get("new")))
        return row
    for key in ("old", "new"):
        text = row.get(key)
        if text and "id_number" in text:
            try:
                values = json.loads(text)
            except ValueError:
                continue
            if isinstance(values, dict) and values.get("id_number"):
                values["id_number"] = mask_id(str(values["id_number"]))
                row[key] = json.dumps(values, ensure_ascii=False)
    return row


def full_ids_in(rows: list[dict[str, Any]]) -> int:
    """How many full ID numbers a list of log rows would show unmasked."""
    return sum(1 for r in rows if masked_entry(r) != r)


# Id columns the log shows by the name of what they point at, and the table holding that name.
REFERENCES = {("people", "outlet_id"): "outlets", ("people", "organization_id"): "organizations",
              ("outlets", "organization_id"): "organizations", ("outlets", "brand_id"): "brands",
              ("organizations", "parent_id"): "organizations", ("meetings", "organization_id"): "organizations",
              ("volunteer_records", "person_id"): "people", ("meeting_attendance", "person_id"): "people",
              ("development_steps", "person_id"): "people", ("person_states", "person_id"): "people",
              ("person_states", "organization_id"): "organizations", ("person_states", "outlet_id"): "outlets",
              ("people", "report_station_id"): "care_stations", ("care_visits", "station_id"): "care_stations",
              ("care_merchants", "station_id"): "care_stations", ("care_merchants", "care_street_id"): "care_streets",
              ("volunteer_posts", "organization_id"): "organizations", ("volunteer_posts", "outlet_id"): "outlets",
              ("volunteer_claims", "person_id"): "people", ("volunteer_activities", "organization_id"): "organizations",
              ("volunteer_claims", "post_id"): "volunteer_posts", ("volunteer_activities", "post_id"): "volunteer_posts",
              ("party_groups", "organization_id"): "organizations", ("party_groups", "leader_id"): "people",
              ("party_group_members", "person_id"): "people", ("party_group_members", "group_id"): "party_groups",
              ("org_life_settings", "organization_id"): "organizations", ("meetings", "group_id"): "party_groups"}


def reference_names(reg: Registry) -> dict[tuple[str, str], dict[str, str]]:
    """For each id column in REFERENCES, the current names by id (as text, the way the log stores values)."""
    names = {table: {str(i): n for i, n in reg.conn.execute(f"SELECT id, name FROM {table}")}
             for table in set(REFERENCES.values())}
    return {key: names[table] for key, table in REFERENCES.items()}


def set_setting(reg: Registry, key: str, value: str | None) -> None:
    set_settings(reg, {key: value})


def set_settings(reg: Registry, values: dict[str, str | None]) -> None:
    """Several settings in one transaction; the unchanged ones leave no row in the log."""
    with reg.transaction("settings.set", "设置" + "、".join(setting_sentence(k, v) for k, v in values.items())) as tx:
        for key, value in values.items():
            old = reg.setting(key)
            if old == value:
                continue
            tx.conn.execute("INSERT INTO settings (key, value) VALUES (?, ?)"
                            " ON CONFLICT(key) DO UPDATE SET value = excluded.value", (key, value))
            tx.audit([(tx.operation_id, tx.at, tx.operator, "update", "settings", 0, key, key, old, value)])


def setting_sentence(key: str, value: str | None) -> str:
    """本单位名称为“…” / 填报人为“…”: a setting as the log's summary and the dashboard say it."""
    label = SETTING_LABELS.get(key, "其他设置")  # never the raw key: a user cannot read "keys_version"
    return f"{label}为“{value}”" if value else f"{label}为空"


def first_settings(reg: Registry, unit: str, operator: str) -> None:
    """The unit and the secretary given at first start; the secretary is the operator of these rows already.

    Until the setting is saved the registry's operator is the computer's user name ("root", "Administrator"),
    which the log would otherwise show for the very first rows.
    """
    values: dict[str, str | None] = {"unit": unit}
    if operator:
        reg.operator = operator
        values["operator"] = operator
    set_settings(reg, values)


# What the log keeps of a deleted person's values: their name and masked ID number stay, the rest goes.
SCRUBBED = "（已清除）"
KEPT_OF_DELETED = ("name", "id_number")


def forget_person(tx: Tx, person: dict[str, Any]) -> None:
    """Delete the person's row, logging only name and masked ID, and clear the values of their earlier log rows."""
    forget_people(tx, [person])


def forget_people(tx: Tx, people: Sequence[dict[str, Any]]) -> None:
    """Delete these people's rows, logging only name and masked ID, and clear the values of their earlier log rows.

    Otherwise the log would keep every ID number, phone and birth date a person ever had
    (个人信息保护法: deletion means deletion). Updates of other fields stay as a fact (who changed which field
    when) with both values replaced by SCRUBBED; ID-number changes keep the masked numbers. Set-wise, so that
    undoing an import of 100,000 people scrubs them in a few statements.
    """
    if not people:
        return
    conn = tx.conn
    conn.create_function("dj_mask_id", 1, _mask_or_none, deterministic=True)
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS forget (pid INTEGER PRIMARY KEY, name TEXT, number TEXT,"
                 " since INTEGER)")
    conn.execute("DELETE FROM temp.forget")
    conn.executemany("INSERT INTO temp.forget (pid, name, number) VALUES (?, ?, ?)",
                     [(p["id"], p["name"], p["id_number"]) for p in people])
    # Row ids are reused after a delete: only the rows since the last delete of an id are this person's.
    conn.execute("UPDATE temp.forget SET since = (SELECT ifnull(max(a.id), 0) FROM audit_log a"
                 " WHERE a.entity = 'people' AND a.entity_id = forget.pid AND a.op = 'delete')")
    mine = ("entity = 'people' AND entity_id IN (SELECT pid FROM temp.forget)"
            " AND id > (SELECT since FROM temp.forget WHERE pid = audit_log.entity_id)")
    mine_too = "(SELECT {} FROM temp.forget WHERE pid = audit_log.entity_id)"
    conn.execute(f"UPDATE audit_log SET new = json_object("
                 f"'name', coalesce(CASE WHEN json_valid(new) THEN json_extract(new, '$.name') END, {mine_too.format('name')}),"
                 f"'id_number', dj_mask_id(coalesce(CASE WHEN json_valid(new) THEN json_extract(new, '$.id_number') END,"
                 f" {mine_too.format('number')}))) WHERE {mine} AND op = 'insert'")
    conn.execute(f"UPDATE audit_log SET old = dj_mask_id(old), new = dj_mask_id(new)"
                 f" WHERE {mine} AND op = 'update' AND field = 'id_number'")
    conn.execute(f"UPDATE audit_log SET old = ?, new = ? WHERE {mine} AND op = 'update'"
                 f" AND field NOT IN ({', '.join('?' * len(KEPT_OF_DELETED))})",
                 (SCRUBBED, SCRUBBED, *KEPT_OF_DELETED))
    conn.execute("DELETE FROM people WHERE id IN (SELECT pid FROM temp.forget)")
    conn.execute("DELETE FROM temp.forget")
    tx.audit((tx.operation_id, tx.at, tx.operator, "delete", "people", p["id"], p["name"], None,
              json.dumps({"name": p["name"], "id_number": mask_id(p["id_number"])}, ensure_ascii=False), None)
             for p in people)


def _mask_or_none(value: str | bytes | int | float | None) -> str | bytes | int | float | None:
    # Any SQLite value may come in; empty ones (NULL, '') go back unchanged.
    return mask_id(str(value)) if value else value


def record_reveal(reg: Registry, what: str, count: int, where: str) -> None:
    """Log that full ID numbers were shown (who, when, what, how many) before they are shown.

    A reveal that cannot be logged (a read-only or locked database) is refused with a sentence.
    """
    if count <= 0:
        return
    detail = {"what": what, "count": count, "where": where}
    try:
        with reg.transaction("reveal.id", f"显示完整身份证号：{what}（{count}个）") as tx:
            tx.audit([(tx.operation_id, tx.at, tx.operator, "insert", "reveals", 0, what, None, None,
                       json.dumps(detail, ensure_ascii=False))])
    except sqlite3.OperationalError as exc:
        raise UserError("无法在操作日志中记录这次显示完整身份证号，因此没有显示；请确认数据库可以写入、"
                        "没有被其他程序占用后重试。") from exc
