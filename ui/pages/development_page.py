"""The 发展党员 page: everyone in the pipeline with next step, time limit and what is missing; one person's
record as a timeline of the five stages, each step with its date, fields, state and findings."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from typing import Any

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from registry.errors import UserError
from registry.rules.dev_steps import BY_KEY, STAGE_NAMES, VOTE_KEYS
from registry.rules.party_age import party_age_text
from registry.services.development_steps import delete_step, record_outline
from registry.services.organizations import list_orgs, subtree_ids
from registry.services.pipeline import PIPELINE_CATEGORIES, pipeline, warm_in_steps
from registry.storage.database import Registry
from ui.dialogs.stage_dialog import StageDialog
from ui.dialogs.step_dialog import CancelDialog, StepDialog
from ui.table_model import HeaderedTableModel, Index

RED, AMBER, GREY, GREEN = QColor("#c62828"), QColor("#b26a00"), QColor("#777777"), QColor("#2e7d32")
STATE_COLORS = {"已完成": GREEN, "缺少": RED, "缺少（已记录原因）": AMBER, "未录入（历史档案）": GREY, "待进行": AMBER}
ENTRY_ROLE = Qt.ItemDataRole.UserRole + 1  # a timeline item's (step key, entry id or None)
WARM_AFTER_MS = 1500


class PipelineModel(HeaderedTableModel):
    """The rows of registry.services.pipeline.pipeline()."""

    HEADERS = ("姓名", "阶段", "下一步", "时限", "问题", "阶段日期", "所在党组织")
    KEYS = ("name", "category", "next_step", "limit", "problems", "stage_on", "organization")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.rows: list[dict[str, Any]] = []

    def set_rows(self, rows: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def row_count(self) -> int:
        return len(self.rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        r, col = self.rows[index.row()], index.column()
        if role == Qt.ItemDataRole.UserRole:
            return r["person_id"]
        if role == Qt.ItemDataRole.ForegroundRole:
            if col == 3 and r["late"]:
                return QBrush(RED)
            if col == 4:
                return QBrush(RED if r["errors"] else AMBER if r["warnings"] else GREY)
            return None
        if role == Qt.ItemDataRole.ToolTipRole and col == 4:
            lines = [f"错误：{m}" for m in r["errors"]] + [f"提醒：{m}" for m in r["warnings"]]
            if r["not_recorded"]:
                lines.append(f"另有{r['not_recorded']}个步骤在建立台账以前进行，未录入（历史档案）。")
            return "\n".join(lines) or "没有发现问题"
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        if col == 4:
            parts = [f"错误{len(r['errors'])}" if r["errors"] else "", f"提醒{len(r['warnings'])}" if r["warnings"] else ""]
            return " ".join(p for p in parts if p) or "无"
        if col == 3 and r["late"]:
            return f"已过期（{r['limit']}）"
        return r.get(self.KEYS[col]) or ""


class Timeline(QTreeWidget):
    """The stage record; Delete on an entry asks to delete it (in the window the 删除 shortcut does the same here)."""

    delete_pressed = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Delete:
            self.delete_pressed.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class DevelopmentPage(QWidget):
    """The pipeline list above, the selected person's record below."""

    changed = Signal()

    def __init__(self, reg: Registry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reg = reg
        self.stage = QComboBox()
        self.stage.addItem("全部阶段", None)
        for c in PIPELINE_CATEGORIES:
            self.stage.addItem(c, c)
        self.branch = QComboBox()
        self.branch.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.branch.setMinimumContentsLength(6)
        self._fill_branches()
        for combo in (self.stage, self.branch):
            combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.count = QLabel()
        bar = QHBoxLayout()
        bar.addWidget(self.stage)
        bar.addWidget(self.branch, 1)
        bar.addWidget(self.count)
        actions = QHBoxLayout()
        for text, tip, slot in (("登记步骤…", "为所选人员登记一个发展步骤（不改变阶段）", self.record_step),
                                ("推进发展阶段…", "把所选人员推进到下一阶段", self.advance),
                                ("取消预备党员资格…", "取消所选预备党员的资格（保留发展记录）", self.cancel)):
            button = QPushButton(text)
            button.setToolTip(tip)
            button.clicked.connect(slot)
            actions.addWidget(button)
        actions.addStretch(1)
        self.model = PipelineModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setStretchLastSection(True)
        for col, width in enumerate((72, 92, 190, 150, 96, 90)):
            self.table.setColumnWidth(col, width)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self.show_record())
        self.table.activated.connect(self.open_person)  # double-click or Enter
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.timeline = Timeline()
        self.timeline.setHeaderLabels(["步骤", "日期", "状态", "内容"])
        self.timeline.setColumnWidth(0, 270)
        self.timeline.setColumnWidth(1, 90)
        self.timeline.setColumnWidth(2, 110)
        self.timeline.header().setSectionResizeMode(3, QHeaderView.ResizeMode.Interactive)
        self.timeline.setWordWrap(True)
        self.timeline.itemActivated.connect(self._timeline_activated)
        self.timeline.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.timeline.customContextMenuRequested.connect(self._timeline_menu)
        self.timeline.setToolTip("双击一条记录可以更正；在记录上点右键（或按删除键）可以删除误登记的记录")
        self.timeline.delete_pressed.connect(self.delete_entry)
        lower = QWidget()
        ll = QVBoxLayout(lower)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.title)
        ll.addWidget(self.timeline, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.table)
        split.addWidget(lower)
        split.setSizes([420, 300])
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addLayout(actions)
        layout.addWidget(split, 1)
        self._loaded = False
        # The list's rows are computed from idle time a little after start-up, a slice at a time, so that the
        # page's first showing finds them ready (about half a millisecond a person otherwise, all at once).
        self._warming: Iterator[int] | None = None
        self._warm_timer = QTimer(self, interval=0)
        self._warm_timer.timeout.connect(self._warm_step)
        self._warm_start = QTimer(self, singleShot=True, interval=WARM_AFTER_MS)
        self._warm_start.timeout.connect(self.warm)
        self._warm_start.start()

    def warm(self) -> None:
        if not self._loaded and self._warming is None:
            self._warming = warm_in_steps(self.reg)
            self._warm_timer.start()

    def _warm_step(self) -> None:
        if self._warming is None or self._loaded:
            self._warm_timer.stop()
            self._warming = None
            return
        try:
            next(self._warming)
        except (StopIteration, sqlite3.Error):  # done, or the database went away meanwhile
            self._warming = None
            self._warm_timer.stop()

    def _fill_branches(self) -> None:
        self.branch.blockSignals(True)
        chosen = self.branch.currentData()
        self.branch.clear()
        self.branch.addItem("全部党组织", None)
        for org in list_orgs(self.reg):
            self.branch.addItem(org["name"], org["id"])
        i = self.branch.findData(chosen)
        self.branch.setCurrentIndex(max(i, 0))
        self.branch.blockSignals(False)

    def showEvent(self, event: Any) -> None:
        if not self._loaded:
            self.refresh()
        super().showEvent(event)

    # The list ----------------------------------------------------------------------------------------
    def refresh(self, select: int | None = None) -> None:
        """Read the list again with the chosen stage and branch; the selected person stays selected."""
        self._loaded = True
        keep = select if select is not None else self.selected_id()
        org = self.branch.currentData()
        rows = pipeline(self.reg, category=self.stage.currentData(),
                        org_ids=subtree_ids(self.reg, org) if org is not None else None)
        self.model.set_rows(rows)
        late = sum(1 for r in rows if r["late"])
        wrong = sum(1 for r in rows if r["errors"])
        self.count.setText(f"共 {len(rows)} 人" + (f"，{wrong}人有错误" if wrong else "")
                           + (f"，{late}人已过时限" if late else ""))
        ids = [r["person_id"] for r in rows]
        row = ids.index(keep) if keep in ids else 0
        if rows:
            self.table.selectRow(row)
        self.show_record()

    def selected_id(self) -> int | None:
        index = self.table.currentIndex()
        return self.model.data(self.model.index(index.row(), 0), Qt.ItemDataRole.UserRole) if index.isValid() else None

    def select_person(self, person_id: int) -> bool:
        if not self._loaded:
            self.refresh()
        ids = [r["person_id"] for r in self.model.rows]
        if person_id not in ids:
            return False
        self.table.selectRow(ids.index(person_id))
        return True

    def open_person(self, _index: QModelIndex | None = None) -> None:
        """Double-click or Enter on a person: their record, with the focus on it."""
        self.show_record()
        self.timeline.setFocus()

    # The record --------------------------------------------------------------------------------------
    def show_record(self) -> None:
        self.timeline.clear()
        pid = self.selected_id()
        if pid is None:
            self.title.setText("没有选中的人员。" if self._loaded else "")
            return
        try:
            outline = record_outline(self.reg, pid)
        except UserError as exc:
            self.title.setText(exc.message)
            return
        age = party_age_text(outline["party_age"])
        other = outline["other_findings"]
        self.title.setText(f"<b>{outline['name']}</b>　{outline['category']}" + (f"　党龄 {age}" if age else "")
                           + "".join(f"<br><span style='color:{'#c62828' if f['level'] == 'error' else '#b26a00'}'>"
                                     f"{f['message']}（{f['article']}）</span>" for f in other))
        bold = QFont(self.timeline.font())
        bold.setBold(True)
        for stage in STAGE_NAMES:
            steps = [s for s in outline["steps"] if s["stage"] == stage]
            done = sum(1 for s in steps if s["state"] == "已完成")
            head = QTreeWidgetItem([stage, "", f"已完成 {done}/{len(steps)}", ""])
            head.setFont(0, bold)
            self.timeline.addTopLevelItem(head)
            for s in steps:
                self._step_item(head, s)
            head.setExpanded(any(s["state"] or s["entries"] for s in steps))

    def _step_item(self, head: QTreeWidgetItem, s: dict[str, Any]) -> None:
        entries = s["entries"]
        first = entries[0] if entries else None
        shown = s["state"] or "—"
        item = QTreeWidgetItem([s["label"] + ("" if s["mandatory"] else "（视情况）"),
                                (first or {}).get("on") or "", shown, _fields_text(s["step"], first) if first else ""])
        item.setData(0, ENTRY_ROLE, (s["step"], first["id"] if first and len(entries) == 1 else None))
        item.setToolTip(0, s["article"])
        if s["state"] in STATE_COLORS:
            item.setForeground(2, QBrush(STATE_COLORS[s["state"]]))
        head.addChild(item)
        if len(entries) > 1:
            for e in entries:
                child = QTreeWidgetItem(["", e["on"] or "", "", _fields_text(s["step"], e)])
                child.setData(0, ENTRY_ROLE, (s["step"], e["id"]))
                item.addChild(child)
        for f in s["findings"]:
            word = "错误" if f["level"] == "error" else "提醒"
            text = f"{word}：{f['message']}（{f['article']}）"
            child = QTreeWidgetItem([text])
            child.setToolTip(0, text)
            child.setForeground(0, QBrush(RED if f["level"] == "error" else AMBER))
            child.setData(0, ENTRY_ROLE, (s["step"], None))
            item.addChild(child)
            child.setFirstColumnSpanned(True)  # the sentence and its article across the whole row
        item.setExpanded(bool(s["findings"]) or len(entries) > 1)

    def _timeline_activated(self, item: QTreeWidgetItem) -> None:
        """A recorded entry opens to be corrected; a step not yet recorded opens 登记步骤 on it."""
        data = item.data(0, ENTRY_ROLE)
        if not data:
            return
        step, entry = data
        if entry is None and BY_KEY[step].enters:
            self.advance() if step != "cancellation" else self.cancel()
            return
        self._dialog(lambda pid: StepDialog(self.reg, pid, step=step, entry_id=entry, parent=self))

    def _entry(self) -> tuple[str, int | None] | None:
        item = self.timeline.currentItem()
        data = item.data(0, ENTRY_ROLE) if item is not None else None
        return (str(data[0]), data[1]) if data else None

    def _timeline_menu(self, pos: Any) -> None:
        item = self.timeline.itemAt(pos)
        if item is None or not item.data(0, ENTRY_ROLE):
            return
        self.timeline.setCurrentItem(item)
        entry = self._entry()
        menu = QMenu(self)
        menu.addAction("更正…" if entry and entry[1] else "登记…", lambda: self._timeline_activated(item))
        removal = menu.addAction("删除这条记录…", self.delete_entry)
        removal.setEnabled(bool(entry and entry[1]))
        menu.exec(self.timeline.viewport().mapToGlobal(pos))

    def delete_entry(self) -> None:
        """Delete a step recorded by mistake, after asking (the stage dates stay as they are)."""
        entry = self._entry()
        if not entry or entry[1] is None:
            return
        label = BY_KEY[entry[0]].label
        question = f"确定要删除“{label}”这条记录吗？人员的发展阶段和阶段日期不会改变；删除会记入操作日志。"
        if QMessageBox.question(self, "删除步骤记录", question) != QMessageBox.StandardButton.Yes:
            return
        try:
            delete_step(self.reg, entry[1])
        except UserError as exc:
            QMessageBox.warning(self, "无法删除", exc.message)
            return
        self.refresh()
        self.changed.emit()

    # Actions -----------------------------------------------------------------------------------------
    def _dialog(self, build: Any) -> None:
        pid = self.selected_id()
        if pid is None:
            QMessageBox.information(self, "请先选择人员", "请先在列表中选中一位人员。")
            return
        try:
            dialog = build(pid)
        except UserError as exc:
            QMessageBox.warning(self, "无法操作", exc.message)
            return
        if dialog.exec():
            self.refresh(select=pid)
            self.changed.emit()

    def record_step(self) -> None:
        self._dialog(lambda pid: StepDialog(self.reg, pid, parent=self))

    def advance(self) -> None:
        self._dialog(lambda pid: StageDialog(self.reg, pid, self))

    def cancel(self) -> None:
        self._dialog(lambda pid: CancelDialog(self.reg, pid, self))


def _fields_text(step: str, entry: dict[str, Any]) -> str:
    """A recorded entry's fields in one line: 「入党介绍人：张三、李四；表决：应到人数9，…」."""
    parts = []
    for key, value in (entry.get("fields") or {}).items():
        field = BY_KEY[step].field(key)
        label = field.label if field else key
        if key == "votes" and isinstance(value, dict):
            parts.append("表决：" + "，".join(f"{name}{value[k]}" for k, name in VOTE_KEYS if k in value))
        elif isinstance(value, list):
            parts.append(f"{label}：" + "、".join(str(p.get("name")) if isinstance(p, dict) else str(p) for p in value))
        else:
            parts.append(f"{label}：" + (f"{value:g}" if isinstance(value, float) else str(value)))
    if entry.get("override_reason"):
        parts.append(f"原因：{entry['override_reason']}")
    return "；".join(parts)
