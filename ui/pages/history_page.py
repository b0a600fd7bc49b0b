"""The audit log (who changed what, when) and the list of import batches, with undo of a whole batch."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from registry.display import cn_moment
from registry.fields import OUTLET_BY_KEY, PERSON_BY_KEY
from registry.importing.batches import list_batches, undo_batch
from registry.rules.idnumber import mask_id
from registry.services.history import ENTITY_LABELS, OP_LABELS, SCRUBBED, history, reference_names
from registry.storage.database import Registry
from ui.pages.import_parts import save_problem_list
from ui.table_model import HeaderedTableModel
from ui.worker import own_connection, run_in_background

LIMIT = 1000
MAX_SHOWN = 160  # characters of 内容 in the cell; the tooltip holds the whole text
OTHER_ENTITIES = {"exports": "导出文件", "import_templates": "表头对应关系", "operations": "操作"}
# Columns outside the field lists of registry/fields.py, as the log shows them.
OTHER_COLUMNS: dict[str, dict[str, str]] = {
    "people": {"outlet_id": "所在网点", "organization_id": "所在党组织", "left_reason": "离开原因",
               "state_from": "本次变动日期"},
    "outlets": {"brand_id": "快递品牌", "organization_id": "覆盖党组织", "notes": "备注"},
    "organizations": {"name": "名称", "type": "类型", "parent_id": "上级党组织", "founding_mode": "组建方式",
                      "secretary": "书记", "contact": "联系人", "phone": "联系电话", "founded_on": "成立日期",
                      "notes": "备注"},
    "brands": {"name": "品牌名称"},
    "transfers": {"person_id": "人员编号", "direction": "方向", "letter_no": "介绍信编号", "from_org": "转出党组织",
                  "to_org": "转入党组织", "issued_on": "开具日期", "arrived_on": "报到日期", "dues_paid_to": "党费交至",
                  "notes": "备注", "received_on": "回执日期", "valid_until": "有效期至"},
    "meetings": {"organization_id": "党组织编号", "kind": "会议类型", "held_on": "召开日期", "topic": "主题",
                 "location": "地点", "notes": "备注"},
    "meeting_attendance": {"meeting_id": "会议编号", "person_id": "人员编号", "status": "出席情况"},
    "volunteer_records": {"person_id": "人员编号", "post": "志愿岗位", "role": "角色", "served_on": "服务日期",
                          "hours": "时长（小时）", "points": "积分", "notes": "备注"},
    "import_batches": {"status": "状态"},
    "settings": {"unit": "单位名称", "operator": "操作人"},
}
HIDDEN_COLUMNS = frozenset({"norm_name", "created_at", "updated_at", "sort_stroke", "sort_pinyin", "search_text"})
VALUE_LABELS = {("import_batches", "status"): {"applied": "已导入", "undone": "已撤销"},
                ("transfers", "direction"): {"in": "转入", "out": "转出"}}
STATUS_LABELS = VALUE_LABELS[("import_batches", "status")]
Index = QModelIndex | QPersistentModelIndex


def field_label(entity: str, field: str) -> str:
    known = {"people": PERSON_BY_KEY, "outlets": OUTLET_BY_KEY}.get(entity, {})
    return known[field].label if field in known else OTHER_COLUMNS.get(entity, {}).get(field, field)


Names = dict[tuple[str, str], dict[str, str]]


def _value(entity: str, field: str, value: Any, names: Names | None = None) -> str:
    if value is None or value == "":
        return "（空）"
    text = str(value)
    if names and (entity, field) in names:
        return names[(entity, field)].get(text, f"（编号{text}，已删除）")
    if entity == "people" and field == "id_number":
        return mask_id(text)  # as on the roster: the log is often read with others looking on
    f = PERSON_BY_KEY.get(field) if entity == "people" else None
    if f is not None and f.kind == "bool" and text in ("0", "1"):
        return "是" if text == "1" else "否"
    return VALUE_LABELS.get((entity, field), {}).get(text, text)


def _json(text: str | None) -> Any:
    try:
        return json.loads(text or "")
    except ValueError:
        return text or ""


def _fields(entity: str, text: str | None, names: Names | None = None) -> str:
    """An inserted or deleted record (stored as JSON) as 字段：值；字段：值, blank fields left out."""
    values = _json(text)
    if not isinstance(values, dict):
        return str(values)
    return "；".join(f"{field_label(entity, k)}：{_value(entity, k, v, names)}" for k, v in values.items()
                    if k not in HIDDEN_COLUMNS and v is not None and v != "")


def _special(row: dict[str, Any]) -> str | None:
    """Records whose stored form is not a list of fields: exports, import batches, saved column mappings."""
    entity, data = row["entity"], _json(row["new"])
    if not isinstance(data, dict):
        return None
    if entity == "exports":
        full = "，含完整身份证号" if data.get("show_id") else ""
        who = f"{data['person']}的报表" if data.get("person") else f"{data.get('rows', 0)}人"
        return f"导出{who}到“{data.get('file', '')}”{full}"
    if entity == "reveals":
        return f"显示了{data.get('count', 0)}个完整身份证号（{data.get('where', '')}：{data.get('what', '')}）"
    if entity == "import_batches" and row["op"] == "insert":
        files = "、".join(f.get("name", "") for f in _json(data.get("files")) or [] if isinstance(f, dict))
        return (f"导入{files}：共{data.get('rows', 0)}行，新增{data.get('added', 0)}，更新{data.get('updated', 0)}，"
                f"未变{data.get('unchanged', 0)}，拒绝{data.get('rejected', 0)}")
    if entity == "import_templates":
        labels = {k: f.label for k, f in {**OUTLET_BY_KEY, **PERSON_BY_KEY}.items()}
        return "；".join(f"“{h}”导入为{labels.get(k, k) if k else '（不导入）'}" for h, k in data.items())
    return None


def describe(row: dict[str, Any], names: Names | None = None) -> str:
    """The 内容 column: what exactly changed, in the user's words."""
    entity, op, field = row["entity"], row["op"], row["field"]
    special = _special(row)
    if special is not None:
        return special
    if op == "update" and field and row["old"] == row["new"] == SCRUBBED:
        return f"{field_label(entity, field)}：已修改（该人员已删除，原值已清除）"
    if op == "update" and field:
        return (f"{field_label(entity, field)}：{_value(entity, field, row['old'], names)}"
                f" → {_value(entity, field, row['new'], names)}")
    if op == "insert":
        return _fields(entity, row["new"], names)
    if op == "delete":
        return "删除前：" + _fields(entity, row["old"], names)
    return row.get("summary") or ""


class HistoryModel(HeaderedTableModel):
    HEADERS = ("时间", "操作人", "操作", "对象", "名称", "内容")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[dict[str, Any]] = []
        self.names: Names = {}
        self._texts: dict[int, tuple[str, ...]] = {}

    def set_rows(self, rows: list[dict[str, Any]], names: Names | None = None) -> None:
        """The log rows, and the current names of outlets, organisations and brands their ids point at."""
        self.beginResetModel()
        self.rows, self.names, self._texts = rows, names or {}, {}
        self.endResetModel()

    def texts(self, r: int) -> tuple[str, ...]:
        if r not in self._texts:
            row = self.rows[r]
            entity = row["entity"]
            self._texts[r] = (cn_moment(row["at"]), row["operator"] or "",
                              OP_LABELS.get(row["op"], row["op"]),
                              ENTITY_LABELS.get(entity) or OTHER_ENTITIES.get(entity, entity),
                              row["label"] or "", describe(row, self.names))
        return self._texts[r]

    def row_count(self) -> int:
        return len(self.rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        text = self.texts(index.row())[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN] + "…"
        if role == Qt.ItemDataRole.ToolTipRole:
            if index.column() == 2 and self.rows[index.row()].get("summary"):
                return f"所属操作：{self.rows[index.row()]['summary']}"
            return text if index.column() == 5 and text else None
        return None


class HistoryPage(QWidget):
    changed = Signal()

    def __init__(self, reg: Registry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reg = reg
        self.tabs = QTabWidget()
        self.tabs.addTab(self._log_tab(), "操作日志")
        self.tabs.addTab(self._batches_tab(), "导入批次")
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        self.refresh()

    def _log_tab(self) -> QWidget:
        tab = QWidget()
        self.entity_box = QComboBox()
        self.entity_box.addItem("全部", None)
        for key, label in ENTITY_LABELS.items():
            self.entity_box.addItem(label, key)
        self.entity_box.currentIndexChanged.connect(self.refresh_log)
        self.search = QLineEdit()
        self.search.setPlaceholderText("搜索名称或操作说明，如姓名、网点、文件名")
        self.search.setClearButtonEnabled(True)
        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(300)
        self._debounce.timeout.connect(self.refresh_log)
        self.search.textChanged.connect(self._debounce.start)
        refresh = QPushButton("刷新")
        refresh.clicked.connect(self.refresh)
        filters = QHBoxLayout()
        filters.addWidget(QLabel("对象："))
        filters.addWidget(self.entity_box)
        filters.addWidget(self.search, 1)
        filters.addWidget(refresh)
        self.model = HistoryModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        for column, width in enumerate((150, 80, 60, 80, 140)):
            self.table.setColumnWidth(column, width)
        self.count_label = QLabel()
        self.count_label.setStyleSheet("color: #5f5f5f;")
        layout = QVBoxLayout(tab)
        layout.addLayout(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)
        return tab

    def _batches_tab(self) -> QWidget:
        tab = QWidget()
        self.batches = QTableWidget(0, 11)
        self.batches.setHorizontalHeaderLabels(["批次号", "导入时间", "操作人", "文件", "行数", "新增", "更新", "未变",
                                                "拒绝", "重复合并", "状态"])
        self.batches.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.batches.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.batches.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.batches.verticalHeader().setVisible(False)
        self.batches.horizontalHeader().setStretchLastSection(True)
        self.batches.itemSelectionChanged.connect(self._batch_selected)
        self.undo_button = QPushButton("撤销所选批次")
        self.undo_button.clicked.connect(self.undo_selected)
        self.problems_button = QPushButton("保存所选批次的问题清单…")
        self.problems_button.clicked.connect(self.save_problems)
        buttons = QHBoxLayout()
        buttons.addWidget(self.problems_button)
        buttons.addStretch(1)
        buttons.addWidget(self.undo_button)
        note = QLabel("撤销会删除该批次新增的人员、恢复被它修改的内容；导入后又改过的记录不能撤销。")
        note.setStyleSheet("color: #5f5f5f;")
        layout = QVBoxLayout(tab)
        layout.addWidget(self.batches, 1)
        layout.addWidget(note)
        layout.addLayout(buttons)
        return tab

    # Loading ---------------------------------------------------------------------------------------
    def refresh(self) -> None:
        self.refresh_log()
        self.refresh_batches()

    def refresh_log(self) -> None:
        rows = history(self.reg, limit=LIMIT, entity=self.entity_box.currentData(),
                       text=self.search.text().strip() or None)
        self.model.set_rows(rows, reference_names(self.reg))
        more = f"（只显示最近的{LIMIT}条，可用上面的筛选缩小范围）" if len(rows) >= LIMIT else ""
        self.count_label.setText(f"共 {len(rows)} 条记录{more}")

    def refresh_batches(self) -> None:
        selected = self.selected_batch()
        self.batch_rows = list_batches(self.reg)
        self.batches.setRowCount(len(self.batch_rows))
        for r, b in enumerate(self.batch_rows):
            status = STATUS_LABELS.get(b["status"], b["status"])
            if b["undone_at"]:
                status += f"（{cn_moment(b['undone_at'])}）"
            values = (b["id"], cn_moment(b["at"]), b["operator"], "、".join(b["files"]), b["rows"],
                      b["added"], b["updated"], b["unchanged"], b["rejected"], b["duplicates"], status)
            for c, value in enumerate(values):
                item = QTableWidgetItem(str(value))
                if isinstance(value, int):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.batches.setItem(r, c, item)
        self.batches.resizeColumnsToContents()
        for c in range(self.batches.columnCount() - 1):
            self.batches.setColumnWidth(c, self.batches.columnWidth(c) + 24)
        ids = [b["id"] for b in self.batch_rows]
        self.batches.clearSelection()
        if selected is not None and selected["id"] in ids:
            self.batches.selectRow(ids.index(selected["id"]))
        self._batch_selected()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()  # exports and edits elsewhere leave entries too

    # Batches ---------------------------------------------------------------------------------------
    def selected_batch(self) -> dict[str, Any] | None:
        rows = self.batches.selectionModel().selectedRows() if self.batches.selectionModel() else []
        if not rows or not hasattr(self, "batch_rows"):
            return None
        return self.batch_rows[rows[0].row()]

    def _batch_selected(self) -> None:
        batch = self.selected_batch()
        self.undo_button.setEnabled(batch is not None and batch["status"] == "applied")
        self.problems_button.setEnabled(batch is not None and batch["rejected"] > 0)

    def undo_selected(self) -> None:
        batch = self.selected_batch()
        if batch is None:
            return
        batch_id = batch["id"]
        answer = QMessageBox.question(
            self, "撤销导入批次",
            f"确定撤销导入批次{batch_id}（{'、'.join(batch['files'])}）吗？该批次新增的{batch['added']}人会被删除，"
            "更新过的内容恢复为导入前的样子。",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        reg = self.reg
        run_in_background(self, lambda _p, _c: own_connection(reg, undo_batch, batch_id),
                          lambda counts: self._undone(batch_id, counts), title="正在撤销导入", cancellable=False)

    def _undone(self, batch_id: int, counts: dict[str, int]) -> None:
        self.refresh()
        self.changed.emit()
        QMessageBox.information(self, "已撤销", f"已撤销导入批次{batch_id}：删除{counts.get('deleted', 0)}条新增的记录，"
                                f"恢复{counts.get('restored', 0)}项被修改的内容。")

    def save_problems(self) -> None:
        batch = self.selected_batch()
        if batch is None:
            return
        save_problem_list(self, self.reg, batch["id"], Path.home())
