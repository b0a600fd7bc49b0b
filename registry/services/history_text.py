"""The audit log in the user's words: one sentence per row, the same in the window, the dashboard and the CLI."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from registry.display import cn_date, cn_moment
from registry.fields import OUTLET_BY_KEY, PERSON_BY_KEY
from registry.rules.dev_steps import BY_KEY, STEPS, VOTE_KEYS
from registry.rules.idnumber import mask_id
from registry.services.care_lists import CARE_STREET_LABELS, MERCHANT_LABELS
from registry.services.history import ENTITY_LABELS, OP_LABELS, SCRUBBED, SETTING_LABELS, setting_sentence
from registry.services.stations import STATION_LABELS

# Records that are not tables of fields, and settings, by the names a user knows them by.
OTHER_ENTITIES = {"exports": "导出文件", "import_templates": "表头对应关系", "operations": "操作"}
# Columns outside the field lists of registry/fields.py, as the log shows them.
OTHER_COLUMNS: dict[str, dict[str, str]] = {
    "people": {"outlet_id": "所在网点", "organization_id": "所在党组织", "left_reason": "离开原因",
               "state_from": "本次变动日期", "batch_id": "导入批次"},
    "outlets": {"brand_id": "快递品牌", "organization_id": "覆盖党组织", "notes": "备注"},
    "organizations": {"name": "名称", "type": "类型", "parent_id": "上级党组织", "founding_mode": "组建方式",
                      "secretary": "书记", "contact": "联系人", "phone": "联系电话", "founded_on": "成立日期",
                      "notes": "备注"},
    "brands": {"name": "品牌名称"},
    "transfers": {"person_id": "人员编号", "direction": "方向", "letter_no": "介绍信编号", "from_org": "转出党组织",
                  "to_org": "转入党组织", "issued_on": "开具日期", "arrived_on": "报到日期", "dues_paid_to": "党费交至",
                  "notes": "备注", "received_on": "回执日期", "valid_until": "有效期至"},
    "meetings": {"organization_id": "党组织编号", "kind": "会议类型", "held_on": "召开日期", "topic": "主题",
                 "location": "地点", "notes": "备注", "status": "会议状态", "host": "主持人", "recorder": "记录人",
                 "minutes": "会议内容（纪要）", "group_id": "党小组"},
    "meeting_attendance": {"meeting_id": "会议编号", "person_id": "人员", "status": "出席情况", "reason": "请假或缺席原因",
                           "grade": "评议等次", "override_reason": "非本支部党员参会的原因"},
    "meeting_attachments": {"meeting_id": "会议编号", "path": "文件位置", "name": "文件名", "size": "文件大小（字节）",
                            "sha256": "文件校验码"},
    "party_groups": {"organization_id": "所在党支部", "name": "党小组名称", "leader_id": "党小组组长",
                     "since": "成立日期", "until": "撤销日期", "notes": "备注"},
    "party_group_members": {"group_id": "党小组", "person_id": "人员", "since": "编入日期", "until": "调出日期"},
    "org_life_settings": {"organization_id": "党支部", "committee": "是否设支部委员会",
                          "lessons_per_year": "每年党课次数", "records_from": "组织生活记录起始日期"},
    "volunteer_records": {"person_id": "人员", "post": "志愿岗位", "role": "角色", "served_on": "服务日期",
                          "hours": "时长（小时）", "points": "积分", "notes": "备注", "activity_id": "活动编号",
                          "adjustment": "积分调整", "adjustment_reason": "调整原因", "points_rule": "积分规则"},
    "volunteer_posts": {"name": "岗位名称", "kind": "岗位类型", "organization_id": "所属党组织", "outlet_id": "所在网点",
                        "area": "服务区域", "description": "岗位说明", "opened_on": "设岗日期", "closed_on": "关闭日期"},
    "volunteer_claims": {"post_id": "岗位", "person_id": "人员", "since": "认领日期", "until": "结束日期",
                         "notes": "备注"},
    "volunteer_activities": {"title": "活动名称", "kind": "活动类型", "held_on": "活动日期", "place": "地点",
                             "organization_id": "组织单位", "post_id": "所属岗位", "default_hours": "默认时长（小时）",
                             "notes": "备注"},
    "volunteer_point_rules": {"valid_from": "起始日期", "per_hour": "每小时积分", "per_activity": "每次活动积分",
                              "by_type": "按活动类型加分", "notes": "说明"},
    "import_batches": {"status": "状态", "people_from": "新增人员编号起", "people_to": "新增人员编号止"},
    "settings": SETTING_LABELS,
    "person_states": {"person_id": "人员", "valid_from": "起始日期", "valid_to": "截止日期",
                      "organization_id": "所在党组织", "outlet_id": "所在网点", "relation": "组织关系类型",
                      "status": "党籍状态", "lost_contact": "是否失联"},
    "development_steps": {"person_id": "人员", "step": "步骤", "on_date": "日期", "fields": "内容",
                          "meeting_id": "会议编号", "override_reason": "缺项原因"},
    "dues_bases": {"person_id": "人员", "from_month": "起始月份", "payer_class": "交纳类别", "base": "交纳基数（元）",
                   "amount": "每月应交（元）", "reason": "少交原因", "pays_at": "交纳地点", "notes": "备注"},
    "dues_payments": {"person_id": "人员", "first_month": "交纳起始月", "last_month": "交纳截止月",
                      "paid_on": "交纳日期", "amount": "交纳金额（元）", "reason": "少交原因", "notes": "备注"},
    "report_submissions": {"kind": "报表类型", "period_start": "统计期起", "period_end": "统计期止",
                           "organization": "党组织", "submitted_at": "报送时间", "operator": "报送人",
                           "title": "标题"},
    **{"care_types": {"name": "类型名称", "uses_class": "分一类/二类/三类"}, "care_services": {"name": "服务项目"},
       "care_stations": {**STATION_LABELS, "class": "类别（一类/二类/三类）"},
       "care_visits": {"station_id": "驿站", "month": "月份", "count": "服务人次"},
       "care_streets": CARE_STREET_LABELS, "care_merchants": {**MERCHANT_LABELS, "station_id": "关联驿站",
                                                              "care_street_id": "所在暖蜂一条街"}},
}
OTHER_COLUMNS["operations"] = {"status": "状态"}  # a station import taken back (registry.importing.stations)
OTHER_COLUMNS["people"].update(report_station_id="报到点（驿站）", report_point="报到点名称")
HIDDEN_COLUMNS = frozenset({"community_key", "street_key", "id", "norm_name", "created_at", "updated_at", "sort_stroke", "sort_pinyin", "search_text",
                            "operation_id", "recorded_at"})
# The person a transfer belongs to is the row's 名称 already; their database id says nothing to a user. A
# submitted report's figures, PDF and checksum are the archive itself, not words to read.
HIDDEN_OF = {"transfers": frozenset({"person_id"}), "dues_bases": frozenset({"person_id"}),
             "dues_payments": frozenset({"person_id"}),
             "report_submissions": frozenset({"figures", "pdf", "sha256"})}
VALUE_LABELS = {("import_batches", "status"): {"applied": "已导入", "undone": "已撤销"},
                ("transfers", "direction"): {"in": "转入", "out": "转出"},
                ("report_submissions", "kind"): {"monthly": "月报", "halfmonth": "半月通报"},
                ("person_states", "lost_contact"): {"0": "否", "1": "是"},
                ("operations", "status"): {"applied": "已导入", "undone": "已撤销"}}
UNKNOWN_FIELD = "其他内容"  # a column this version has no name for: never its programmer's key
STATUS_LABELS = VALUE_LABELS[("import_batches", "status")]
EMPTY = "（空）"

# For id columns (registry.services.history.REFERENCES): the current names by id, as reference_names gives them.
Names = Mapping[tuple[str, str], Mapping[str, str]]


@dataclass(frozen=True)
class AuditRow:
    """One row of the audit log with the summary of the operation it belongs to (as services.history reads it)."""

    op: str
    entity: str
    field: str | None = None
    old: str | None = None
    new: str | None = None
    label: str | None = None
    at: str | None = None
    operator: str | None = None
    summary: str | None = None
    operation: int | None = None

    @classmethod
    def of(cls, row: AuditRow | Mapping[str, Any]) -> AuditRow:
        if isinstance(row, AuditRow):
            return row
        return cls(op=row["op"], entity=row["entity"], field=row.get("field"), old=row.get("old"),
                   new=row.get("new"), label=row.get("label"), at=row.get("at"), operator=row.get("operator"),
                   summary=row.get("summary"), operation=row.get("operation"))


@dataclass(frozen=True)
class HistoryLine:
    """A log row as the history page's columns show it: 时间, 操作人, 操作, 对象, 名称, 内容."""

    at: str
    operator: str
    action: str
    entity: str
    name: str
    content: str

    def cells(self) -> tuple[str, str, str, str, str, str]:
        return (self.at, self.operator, self.action, self.entity, self.name, self.content)


HEADERS = ("时间", "操作人", "操作", "对象", "名称", "内容")


def setting_label(key: str) -> str:
    return SETTING_LABELS.get(key, "其他设置")  # never the raw key: a user cannot read "keys_version"


def entity_label(entity: str) -> str:
    return ENTITY_LABELS.get(entity) or OTHER_ENTITIES.get(entity, "其他记录")


def field_label(entity: str, field: str) -> str:
    if entity == "settings":
        return setting_label(field)
    known = {"people": PERSON_BY_KEY, "outlets": OUTLET_BY_KEY}.get(entity, {})
    return known[field].label if field in known else OTHER_COLUMNS.get(entity, {}).get(field, UNKNOWN_FIELD)


def _named(entity: str, field: str) -> bool:
    known = {"people": PERSON_BY_KEY, "outlets": OUTLET_BY_KEY}.get(entity, {})
    return entity == "settings" or field in known or field in OTHER_COLUMNS.get(entity, {})


def value_text(entity: str, field: str, value: Any, names: Names | None = None, *, show_id: bool = False) -> str:
    """A stored value as the user reads it: names for ids, masked ID numbers, 是/否, Chinese statuses."""
    if value is None or value == "":
        return EMPTY
    text = str(value)
    if names and (entity, field) in names:
        return names[(entity, field)].get(text, f"（编号{text}，已删除）")
    if entity == "people" and field == "id_number":
        # As on the roster: the log is often read with others looking on. Masking a masked number changes nothing.
        return text if show_id else mask_id(text)
    f = PERSON_BY_KEY.get(field) if entity == "people" else None
    if f is not None and f.kind == "bool" and text in ("0", "1"):
        return "是" if text == "1" else "否"
    if _is_date(entity, field) and _ISO_DAY.fullmatch(text):
        return cn_date(text)  # 2026年4月20日, as everywhere else a user reads a date
    if entity == "development_steps":
        return _step_value(field, value, names)
    if field.endswith("_at") and _MOMENT.match(text):
        return cn_moment(text)
    return VALUE_LABELS.get((entity, field), {}).get(text, text)


_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def _step_value(field: str, value: Any, names: Names | None) -> str:
    """A development step's key as its Chinese name, its fields as 字段：值 (see registry.rules.dev_steps)."""
    if field == "step":
        step = BY_KEY.get(str(value))
        return step.label if step is not None else str(value)
    if field == "fields":
        data = _json(str(value))
        if isinstance(data, dict):
            parts = []
            for k, v in data.items():
                if v in (None, "", [], {}):
                    continue
                shown = "、".join(str(x.get("name") or "") if isinstance(x, dict) else str(x) for x in v) \
                    if isinstance(v, list) else (
                    "，".join(f"{_VOTE_LABELS.get(a, UNKNOWN_FIELD)}{b}" for a, b in v.items())
                    if isinstance(v, dict) else str(v))
                parts.append(f"{_STEP_FIELD_LABELS.get(k, UNKNOWN_FIELD)}：{shown}")
            return "，".join(parts) or EMPTY
    return str(value)


def _step_field_labels() -> dict[str, str]:
    return {f.key: f.label for step in STEPS for f in step.fields}


_STEP_FIELD_LABELS = _step_field_labels()
_VOTE_LABELS = dict(VOTE_KEYS)


_ISO_DAY = re.compile(r"\d{4}-\d{2}(-\d{2})?")
_DATE_SUFFIXES = ("_on", "_date", "_from", "_until", "_to", "_since", "_month")


def _is_date(entity: str, field: str) -> bool:
    f = PERSON_BY_KEY.get(field) if entity == "people" else None
    return (f.kind == "date") if f is not None else field.endswith(_DATE_SUFFIXES)


def _json(text: str | None) -> Any:
    try:
        return json.loads(text or "")
    except ValueError:
        return text or ""


def fields_text(entity: str, text: str | None, names: Names | None = None, *, show_id: bool = False) -> str:
    """An inserted or deleted record (stored as JSON) as 字段：值；字段：值, blank fields left out."""
    values = _json(text)
    if not isinstance(values, dict):
        return str(values)
    return "；".join(f"{field_label(entity, k)}：{value_text(entity, k, v, names, show_id=show_id)}"
                    for k, v in values.items()
                    if k not in HIDDEN_COLUMNS and k not in HIDDEN_OF.get(entity, ()) and v is not None and v != ""
                    and _named(entity, k))


def batch_added_sentence(batch_id: object) -> str:
    """A person an import batch added: the batch is the audit event (people.batch_id), not a row of her own."""
    return f"由第{batch_id}批导入新增"


def _special(row: AuditRow) -> str | None:
    """Records whose stored form is not a list of fields: exports, import batches, saved column mappings."""
    entity, data = row.entity, _json(row.new)
    if not isinstance(data, dict):
        return None
    if entity == "people" and row.op == "insert" and set(data) == {"_batch"}:
        return batch_added_sentence(data["_batch"])
    if entity == "exports":
        full = "，含完整身份证号" if data.get("show_id") else ""
        if not data.get("person") and "rows" not in data:  # a report, not a list of people: say which one
            return f"{row.summary or '导出文件'}：保存到“{data.get('file', '')}”{full}"
        who = f"{data['person']}的报表" if data.get("person") else f"{data.get('rows', 0)}人"
        return f"导出{who}到“{data.get('file', '')}”{full}"
    if entity == "reveals":
        return f"显示了{data.get('count', 0)}个完整身份证号（{data.get('where', '')}：{data.get('what', '')}）"
    if entity == "import_batches" and row.op == "insert":
        files = "、".join(f.get("name", "") for f in _json(data.get("files")) or [] if isinstance(f, dict))
        return (f"导入{files}：共{data.get('rows', 0)}行，新增{data.get('added', 0)}，更新{data.get('updated', 0)}，"
                f"未变{data.get('unchanged', 0)}，拒绝{data.get('rejected', 0)}")
    if entity == "import_templates":
        labels = {k: f.label for k, f in {**OUTLET_BY_KEY, **PERSON_BY_KEY}.items()}
        return "；".join(f"“{h}”导入为{labels.get(k, k) if k else '（不导入）'}" for h, k in data.items())
    return None


def describe(row: AuditRow | Mapping[str, Any], names: Names | None = None, *, show_id: bool = False) -> str:
    """The 内容 column: what exactly changed, in the user's words."""
    row = AuditRow.of(row)
    entity, op, field = row.entity, row.op, row.field
    special = _special(row)
    if special is not None:
        return special
    if op == "update" and field and row.old == row.new == SCRUBBED:
        return f"{field_label(entity, field)}：已修改（该人员已删除，原值已清除）"
    if op == "update" and field:
        return (f"{field_label(entity, field)}：{value_text(entity, field, row.old, names, show_id=show_id)}"
                f" → {value_text(entity, field, row.new, names, show_id=show_id)}")
    if op == "insert":
        return fields_text(entity, row.new, names, show_id=show_id)
    if op == "delete":
        return "删除前：" + fields_text(entity, row.old, names, show_id=show_id)
    return row.summary or ""


def record_name(row: AuditRow) -> str:
    """The 名称 column: the record's name, a setting by its Chinese label."""
    if row.entity == "settings":
        return setting_label(row.label or row.field or "")
    if row.label:
        return row.label
    values = _json(row.new if row.op == "insert" else row.old)  # e.g. an outlet deleted by an undo
    return str(values.get("name") or "") if isinstance(values, dict) else ""


def history_line(row: AuditRow | Mapping[str, Any], names: Names | None = None, *, show_id: bool = False) -> HistoryLine:
    """The row in the history page's columns; the CLI `history` prints exactly these texts."""
    row = AuditRow.of(row)
    return HistoryLine(cn_moment(row.at), row.operator or "", OP_LABELS.get(row.op, "其他"), entity_label(row.entity),
                       record_name(row), describe(row, names, show_id=show_id))


def operation_text(row: AuditRow | Mapping[str, Any]) -> str:
    """What one operation did, in a few words (its summary), for the dashboard's 最近的修改.

    Older databases hold settings summaries with the raw key ("设置 operator"): those are rebuilt from the row.
    """
    row = AuditRow.of(row)
    if row.entity == "settings" and (not row.summary or row.summary.startswith("设置 ")):
        return "设置" + setting_sentence(row.label or row.field or "", row.new)
    if row.summary:
        return row.summary
    return f"{OP_LABELS.get(row.op, '修改')}{entity_label(row.entity)} {record_name(row)}".rstrip()


def recent_line(row: AuditRow | Mapping[str, Any]) -> str:
    """One entry of the dashboard's 最近的修改: time, operator and what was done."""
    row = AuditRow.of(row)
    return f"{cn_moment(row.at)}　{row.operator or ''}　{operation_text(row)}"
