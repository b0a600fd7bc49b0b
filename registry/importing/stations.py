"""Importing a station list (驿站名单) from Excel/CSV with the census readers: preview with problems, apply, undo.

The file is read and checked as a census is (registry.importing.readers: merged titles, header rows found
among the first rows, 合计/填表人 rows skipped, broken and password-protected files refused in one sentence).
Rows match existing stations by name + 社区: those are updated with the cells the file fills in (an empty cell
erases nothing), the rest are added. The whole apply is one audited operation, so it can be taken back whole.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from registry.errors import UserError
from registry.fields import Field
from registry.importing.layout import (
    HEADER_SEARCH_ROWS,
    SheetLayout,
    _HeaderScan,
    _synonyms,
    iter_records,
)
from registry.importing.readers import SheetData, read_file
from registry.names import norm_name
from registry.rules.care import community_key, normalise_class, split_services
from registry.rules.phone import check_phone
from registry.rules.text import clean_text, looks_garbled, normalise_name
from registry.services.stations import (
    STATION_LABELS,
    find_type,
    station_services,
)
from registry.storage.database import Registry, Tx
from registry.validation import user_date

# The columns of a station list and the headers they go by.
STATION_IMPORT_FIELDS: tuple[Field, ...] = (
    Field("name", "驿站名称", "text", ("驿站名称", "站点名称", "名称", "阵地名称", "驿站", "站点", "点位名称", "蜂巢名称",
                                   "服务站名称", "阵地")),
    Field("type", "类型", "text", ("类型", "驿站类型", "站点类型", "阵地类型", "建设类型")),
    Field("class", "类别", "text", ("星级", "等级", "类别", "级别", "分类", "驿站等级", "蜂巢类别", "站点等级")),
    Field("address", "地址", "text", ("地址", "详细地址", "站点地址", "驿站地址", "具体位置", "位置")),
    Field("district", "区", "text", ("所属区", "区县", "所在区", "区")),
    Field("street", "街道", "text", ("所属街道", "街道", "所在街道", "街镇", "街道(镇)")),
    Field("community", "社区", "text", ("社区", "所属社区", "所在社区", "村(社区)")),
    Field("host_unit", "承建单位", "text", ("承建单位", "依托单位", "建设单位", "主办单位", "共建单位", "运营单位")),
    Field("opening_hours", "开放时间", "text", ("开放时间", "服务时间", "营业时间", "开放时段")),
    Field("services", "服务内容", "text", ("服务内容", "服务项目", "服务功能", "功能", "提供服务", "设施")),
    Field("contact", "联系人", "text", ("联系人", "负责人", "站长")),
    Field("phone", "联系电话", "phone", ("联系电话", "电话", "手机", "联系方式", "手机号码")),
    Field("opened_on", "启用日期", "date", ("启用日期", "启用时间", "建成时间", "挂牌时间", "建成日期")),
    Field("notes", "备注", "text", ("备注",)),
)
LABELS = {f.key: f.label for f in STATION_IMPORT_FIELDS}
ACTION_LABELS = {"add": "新增", "update": "更新", "unchanged": "未变", "rejected": "不导入"}
PREVIEW_HEADERS = ("行号", "驿站名称", "类型", "街道", "社区", "处理", "更新内容")


@dataclass
class StationProblem:
    """One thing wrong in the file, at a row (0: the file as a whole)."""

    sheet: str
    row: int
    level: str  # error: the row is not imported | warning: imported without that value
    message: str

    def sentence(self) -> str:
        where = f"工作表“{self.sheet}”第{self.row}行：" if self.row else ""
        return where + self.message


@dataclass
class StationLine:
    """One row of the file as it would be applied."""

    sheet: str
    row: int
    values: dict[str, Any]
    action: str = "add"  # add | update | unchanged | rejected
    station_id: int | None = None
    changes: dict[str, tuple[Any, Any]] = field(default_factory=dict)
    type_unknown: str | None = None  # the type as written, when it is not in the list
    services_unknown: list[str] = field(default_factory=list)


@dataclass
class StationPreview:
    """What an import of the file would do."""

    file: str
    lines: list[StationLine]
    problems: list[StationProblem]
    new_types: list[str]  # types in the file not in the list: offered to add
    new_services: list[str]  # likewise services
    operation_id: int | None = None  # set once applied

    def table(self) -> list[tuple[str, ...]]:
        """The preview's rows as the window and the CLI show them (PREVIEW_HEADERS)."""
        return [(f"{line.sheet} 第{line.row}行", str(line.values.get("name") or ""), str(line.values.get("type") or ""),
                 str(line.values.get("street") or ""), str(line.values.get("community") or ""),
                 ACTION_LABELS[line.action],
                 "；".join(f"{LABELS.get(k, STATION_LABELS.get(k, k))}：{old or '（空）'}→{new}"
                          for k, (old, new) in line.changes.items())) for line in self.lines]

    def count(self, action: str) -> int:
        return sum(1 for line in self.lines if line.action == action)

    def summary(self) -> str:
        text = (f"“{self.file}”共{len(self.lines)}行：新增{self.count('add')}个驿站，更新{self.count('update')}个，"
                f"未变{self.count('unchanged')}个，不能导入{self.count('rejected')}行")
        if self.new_types:
            text += f"；新类型：{'、'.join(self.new_types)}"
        if self.new_services:
            text += f"；新服务项目：{'、'.join(self.new_services)}"
        return text + "。"


def _layout(sheet: SheetData) -> SheetLayout | None:
    top = sheet.rows[:HEADER_SEARCH_ROWS]
    scan = _HeaderScan(top, _synonyms(STATION_IMPORT_FIELDS), {})

    def accept(candidate: Any) -> bool:
        keys = candidate.keys
        return "name" in keys and bool(keys & {"type", "address", "street", "community", "services"})

    best = scan.best(accept)
    if best is None:
        return None
    return SheetLayout(sheet=sheet.name, kind="stations", header_row=sheet.first_row + best.lower,
                       header_rows=2 if best.upper >= 0 else 1, columns=best.columns, labels=best.labels,
                       unmapped=best.unmapped)


def _clean_row(reg: Registry | Tx, sheet: str, row: int, raw: dict[str, object],
               problems: list[StationProblem], services: dict[str, str]) -> StationLine:
    line = StationLine(sheet, row, {})
    values = line.values

    def warn(message: str) -> None:
        problems.append(StationProblem(sheet, row, "warning", message))

    for key, value in raw.items():
        text = clean_text(value)
        if text is None:
            continue
        if key == "phone":
            check = check_phone(value)
            if check.ok:
                values[key] = check.number
            else:
                warn(f"{check.message or f'联系电话“{text}”不是有效的电话号码。'}该电话未导入，请核对后补填。")
        elif key == "class":
            klass = normalise_class(text)
            if klass is None:
                warn(f"类别“{text}”看不懂（应为一类、二类或三类），该类别未导入。")
            else:
                values[key] = klass
        elif key == "services":
            known: list[str] = []
            unknown: list[str] = []
            for s in split_services(text):
                (known if norm_name(s) in services else unknown).append(services.get(norm_name(s), s))
            values[key] = known
            line.services_unknown = unknown
        elif key == "opened_on":
            try:
                values[key] = user_date(LABELS[key], value)
            except UserError as exc:
                warn(f"{exc.message}该日期未导入。")
        elif key == "contact":
            values[key] = normalise_name(text)
        elif key == "type":
            found = find_type(reg, text)
            if found is None:
                line.type_unknown = text
                values[key] = text
            else:
                values[key] = found.name
        else:
            values[key] = text
    return line


def _read(reg: Registry | Tx, path: Path) -> StationPreview:
    sheets = read_file(path)  # raises UnusableFile (a UserError) for empty, renamed or protected files
    problems: list[StationProblem] = []
    lines: list[StationLine] = []
    services = {norm_name(s): s for s in station_services(reg)}
    found_any = False
    for sheet in sheets:
        layout = _layout(sheet)
        if layout is None:
            continue
        found_any = True
        for record in iter_records(sheet, layout):
            line = _clean_row(reg, sheet.name, record.row, record.values, problems, services)
            if line.values:
                lines.append(line)
    if not found_any:
        raise UserError(f"“{path.name}”里没有找到驿站名单：前{HEADER_SEARCH_ROWS}行里应有“驿站名称”（或“站点名称”“名称”）"
                        "和“类型”“地址”“街道”“社区”“服务内容”中的至少一列表头；请检查后再导入。")
    return StationPreview(path.name, lines, problems, [], [])


def _judge(reg: Registry | Tx, preview: StationPreview, add_types: bool, add_services: bool) -> None:
    """Decide each line's action against the database and the file's other rows."""
    seen: dict[tuple[str, str], int] = {}
    new_types: list[str] = []
    new_services: list[str] = []
    problems = preview.problems
    for line in preview.lines:
        v = line.values

        def reject(message: str, line: StationLine = line) -> None:
            line.action = "rejected"
            problems.append(StationProblem(line.sheet, line.row, "error", message))

        name = v.get("name")
        if not name:
            reject("没有驿站名称，该行未导入。")
            continue
        if looks_garbled(name):
            reject(f"驿站名称“{name}”看起来是乱码，该行未导入。")
            continue
        key = (norm_name(name), community_key(v.get("community")))
        if key in seen:
            reject(f"“{name}”（{v.get('community') or '未填社区'}）与第{seen[key]}行重复，该行未导入。")
            continue
        seen[key] = line.row
        if line.type_unknown and line.type_unknown not in new_types:
            new_types.append(line.type_unknown)
        for s in line.services_unknown:
            if s not in new_services:
                new_services.append(s)
        if line.services_unknown and not add_services:
            problems.append(StationProblem(line.sheet, line.row, "warning",
                                           f"服务项目“{'、'.join(line.services_unknown)}”不在列表中，未导入；"
                                           "如要保留，请勾选“添加新服务项目”后再导入。"))
        elif line.services_unknown:
            v["services"] = [*v.get("services", []), *line.services_unknown]
        existing = reg.conn.execute("SELECT * FROM care_stations WHERE norm_name = ? AND community_key = ?",
                                    key).fetchone()
        kind_name = v.get("type")
        if existing is None and not kind_name:
            reject(f"“{name}”没有填写类型，新驿站须有类型（如暖蜂驿站），该行未导入。")
            continue
        if line.type_unknown and not add_types:
            reject(f"类型“{line.type_unknown}”不在类型列表中，该行未导入；如是新的类型，请勾选“添加新类型”后再导入。")
            continue
        kind = find_type(reg, kind_name) if kind_name else None
        if v.get("class") and kind is not None and not kind.uses_class:
            preview.problems.append(StationProblem(line.sheet, line.row, "warning",
                                                   f"{kind.name}不分一类、二类、三类，类别“{v['class']}”未导入。"))
            v.pop("class")
        if "services" in v:
            v["services"] = "、".join(dict.fromkeys(v["services"])) or None
        if existing is None:
            line.action = "add"
            continue
        cols = [d[0] for d in reg.conn.execute("SELECT * FROM care_stations LIMIT 0").description]
        current = dict(zip(cols, existing, strict=True))
        line.station_id = current["id"]
        line.changes = {k: (current.get(k), val) for k, val in v.items()
                        if k not in ("name", "community") and val is not None and current.get(k) != val}
        line.action = "update" if line.changes else "unchanged"
    preview.new_types, preview.new_services = new_types, new_services


def preview_station_import(reg: Registry, path: Path, *, add_types: bool = False,
                           add_services: bool = False) -> StationPreview:
    """What importing the file would do, changing nothing."""
    preview = _read(reg, Path(path))
    _judge(reg, preview, add_types, add_services)
    return preview


def import_stations(reg: Registry, path: Path, *, add_types: bool = False, add_services: bool = False) -> StationPreview:
    """Apply the file in one audited operation; returns the preview as applied (its operation_id set)."""
    path = Path(path)
    preview = _read(reg, path)
    with reg.transaction("station.import") as tx:
        _judge(tx, preview, add_types, add_services)
        if add_types:
            for name in preview.new_types:
                tx.insert("care_types", {"name": name, "norm_name": norm_name(name), "uses_class": 0}, label=name)
        if add_services:
            for name in preview.new_services:
                tx.insert("care_services", {"name": name, "norm_name": norm_name(name)}, label=name)
        for line in preview.lines:
            if line.action == "add":
                values = {k: val for k, val in line.values.items() if val is not None}
                values["norm_name"] = norm_name(values["name"])
                values["community_key"] = community_key(values.get("community"))
                line.station_id = tx.insert("care_stations", values, label=values["name"])
            elif line.action == "update" and line.station_id is not None:
                tx.update("care_stations", line.station_id, {k: new for k, (_old, new) in line.changes.items()},
                          label=line.values["name"])
        tx.summary(f"导入驿站名单 {preview.summary()}")
        preview.operation_id = tx.operation_id if tx.changes else None
    return preview


# Undo -----------------------------------------------------------------------------------------------------

UNDO_TABLES = ("care_stations", "care_types", "care_services")


def last_station_import(reg: Registry) -> int | None:
    row = reg.conn.execute("SELECT id FROM operations WHERE action = 'station.import' ORDER BY id DESC LIMIT 1").fetchone()
    return int(row[0]) if row else None


def undo_station_import(reg: Registry, operation_id: int | None = None) -> int:
    """Take a station import back whole (added stations deleted, updated fields restored); returns rows touched.

    Refused, changing nothing, when later work touched what it wrote (an edit, visitor counts, a 报到 there).
    """
    op = operation_id if operation_id is not None else last_station_import(reg)
    action = reg.conn.execute("SELECT action FROM operations WHERE id = ?", (op,)).fetchone() if op else None
    if action is None or action[0] != "station.import":
        raise UserError(f"操作{op or ''}不是一次驿站名单导入，无法撤销；请在操作日志中查看导入的操作编号。")
    undone = {r[0] for r in reg.conn.execute("SELECT entity_id FROM audit_log WHERE entity = 'operations'"
                                             " AND field = 'status' AND new = 'undone'")}
    if op in undone:
        raise UserError(f"操作{op}的驿站名单导入已经撤销过，无需再次撤销。")
    entries = reg.query("SELECT op, entity, entity_id, label, field, old FROM audit_log WHERE operation_id = ?"
                        " ORDER BY id", (op,))
    touched = {(e["entity"], e["entity_id"]) for e in entries}
    # Later work, less imports already taken back and the undos themselves (they restored what was there).
    later = [r for r in reg.query("SELECT DISTINCT a.operation_id, a.entity, a.entity_id, a.label, o.action"
                                  " FROM audit_log a JOIN operations o ON o.id = a.operation_id WHERE a.operation_id > ?",
                                  (op,)) if r["operation_id"] not in undone and r["action"] != "station.import.undo"]
    clash = sorted({r["label"] or "" for r in later if (r["entity"], r["entity_id"]) in touched})
    added = [e["entity_id"] for e in entries if e["op"] == "insert" and e["entity"] == "care_stations"]
    used = reg.conn.execute(
        f"SELECT (SELECT count(*) FROM care_visits WHERE station_id IN ({','.join('?' * len(added))}))"
        f" + (SELECT count(*) FROM people WHERE report_station_id IN ({','.join('?' * len(added))}))"
        f" + (SELECT count(*) FROM care_merchants WHERE station_id IN ({','.join('?' * len(added))}))",
        added * 3).fetchone()[0] if added else 0
    if clash or used:
        what = f"（如：{'、'.join(clash[:5])}）" if clash else ""
        raise UserError(f"导入之后又修改或使用过其中的驿站{what}，撤销会丢掉这些后来的记录，因此没有撤销；"
                        "如确需撤销，请先在操作日志中核对这些修改。")
    count = 0
    with reg.transaction("station.import.undo", f"撤销驿站名单导入（操作{op}）") as tx:
        for e in reversed(entries):
            if e["entity"] not in UNDO_TABLES:
                continue
            if e["op"] == "update" and e["field"]:
                tx.update(e["entity"], e["entity_id"], {e["field"]: e["old"]}, label=e["label"])
                count += 1
            elif e["op"] == "insert":
                tx.delete(e["entity"], e["entity_id"], label=e["label"])
                count += 1
        tx.audit([(tx.operation_id, tx.at, tx.operator, "update", "operations", op, f"操作{op}", "status", "applied",
                   "undone")])
    return count
