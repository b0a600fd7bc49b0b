"""The 组织生活 page: the meetings (sortable, filtered by branch, kind, period and status, exported to Excel), what
each branch still owes (未开/待开 with the article), and the buttons to add, edit, hold and delete."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from registry.display import cn_date
from registry.errors import UserError
from registry.exporting.meetings_xlsx import MEETING_HEADERS, STATE_LABELS, export_meetings, meeting_cells
from registry.rules.org_life import MEETING_KINDS, MEETING_STATUSES
from registry.services.meetings import delete_meeting, list_meetings, meeting_references
from registry.services.org_life_gaps import gap_rows
from registry.services.organizations import subtree_ids
from registry.storage.database import Registry
from registry.validation import user_date
from ui import file_dialogs
from ui.table_model import HeaderedTableModel
from ui.widgets.flow_layout import FlowLayout

ALL = "全部"
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole
STATE_COLOURS = {"gap": "#c62828", "pending": "#e65100"}


class MeetingsModel(HeaderedTableModel):
    """The listed meetings, one row each, with the raw values to sort by."""

    HEADERS = MEETING_HEADERS

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[dict[str, Any]] = []
        self.cells: list[list[object]] = []

    def load(self, rows: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.cells = [meeting_cells(r) for r in rows]
        self.endResetModel()

    def row_count(self) -> int:
        return len(self.rows)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        value = self.cells[index.row()][index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return "" if value is None else str(value)
        if role == SORT_ROLE:  # dates sort by their ISO form, numbers as numbers
            return self.rows[index.row()]["held_on"] if index.column() == 1 else (-1 if value is None else value)
        if role == ID_ROLE:
            return self.rows[index.row()]["id"]
        if role == Qt.ItemDataRole.TextAlignmentRole and isinstance(value, int | float):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ForegroundRole and index.column() == 5 and value == "计划":
            return QColor("#1565c0")
        return None


class OrgLifePage(QWidget):
    """Meetings and gaps in the scope chosen in the tree (all, or one organisation with those below it)."""

    changed = Signal()
    message = Signal(str)

    def __init__(self, reg: Registry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reg = reg
        self.org_ids: list[int] | None = None
        self.scope_title = ""
        self.last_message = ""
        self.scope = QLabel()
        self.kind = QComboBox()
        self.kind.addItems([ALL, *MEETING_KINDS])
        self.status = QComboBox()
        self.status.addItems([ALL, *MEETING_STATUSES])
        self.start, self.end = QLineEdit(), QLineEdit()
        for field, hint in ((self.start, "起始日期"), (self.end, "截止日期")):
            field.setPlaceholderText(hint)
            field.setClearButtonEnabled(True)
            field.setMaximumWidth(field.fontMetrics().horizontalAdvance("2026-12-31") + 40)
            field.editingFinished.connect(self.refresh)
        self.kind.currentIndexChanged.connect(self.refresh)
        self.status.currentIndexChanged.connect(self.refresh)
        filters = FlowLayout()
        for widget in (self.scope, QLabel("类型"), self.kind, QLabel("状态"), self.status, QLabel("日期"), self.start,
                       QLabel("至"), self.end):
            filters.add(widget)

        self.buttons: dict[str, QPushButton] = {}
        actions = FlowLayout()
        for key, text, tip in (("add", "新增", "登记一次组织生活（默认全支部点名、全部出席）"),
                               ("edit", "编辑", "修改所选记录（也可双击）"),
                               ("hold", "召开", "把计划召开的会议转为已召开，并登记出席情况"),
                               ("delete", "删除", "删除所选记录及其出席情况"),
                               ("groups", "党小组…", "党支部的党小组及其成员"),
                               ("settings", "组织生活设置…", "是否设支部委员会、每年党课次数"),
                               ("export", "导出…", "把当前列表和未落实事项导出为 Excel")):
            button = QPushButton(text)
            button.setToolTip(tip)
            self.buttons[key] = button
            actions.add(button)
        self.buttons["add"].clicked.connect(lambda: self.open_meeting(None))
        self.buttons["edit"].clicked.connect(lambda: self.open_meeting(self.selected_id()))
        self.buttons["hold"].clicked.connect(self.hold)
        self.buttons["delete"].clicked.connect(self.delete)
        self.buttons["groups"].clicked.connect(self.open_groups)
        self.buttons["settings"].clicked.connect(self.open_settings)
        self.buttons["export"].clicked.connect(self.export)

        self.model = MeetingsModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(SORT_ROLE)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(1, Qt.SortOrder.DescendingOrder)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.doubleClicked.connect(lambda _i: self.open_meeting(self.selected_id()))
        self.count = QLabel()

        self.gaps = QTableWidget(0, 5)
        self.gaps.setHorizontalHeaderLabels(["党支部", "事项", "状态", "期限", "依据"])
        self.gaps.verticalHeader().hide()
        self.gaps.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.gaps.setSortingEnabled(True)
        self.gaps.horizontalHeader().setStretchLastSection(True)
        self.gap_title = QLabel()
        self.feedback = QLabel()
        self.feedback.setWordWrap(True)
        self.feedback.setStyleSheet("color: #2e7d32;")

        upper = QWidget()
        top = QVBoxLayout(upper)
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.table, 1)
        top.addWidget(self.count)
        lower = QWidget()
        bottom = QVBoxLayout(lower)
        bottom.setContentsMargins(0, 0, 0, 0)
        bottom.addWidget(self.gap_title)
        bottom.addWidget(self.gaps, 1)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(upper)
        split.addWidget(lower)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(actions)
        layout.addWidget(split, 1)
        layout.addWidget(self.feedback)
        self.set_scope()

    # Scope and filters -------------------------------------------------------------------------------
    def set_scope(self, org_id: int | None = None, title: str = "") -> None:
        """All organisations, or one with those below it (the tree's choice)."""
        self.org_ids = None if org_id is None else subtree_ids(self.reg, org_id)
        self.scope_title = title
        self.scope.setText(f"范围：{title or '全部党组织'}")
        self.refresh()

    def _day(self, field: QLineEdit, label: str) -> str | None:
        try:
            return user_date(label, field.text().strip(), day=True)
        except UserError as exc:
            self.say(exc.message, ok=False)
            return None

    def refresh(self) -> None:
        kind = None if self.kind.currentText() == ALL else self.kind.currentText()
        status = None if self.status.currentText() == ALL else self.status.currentText()
        rows = list_meetings(self.reg, self.org_ids, self._day(self.start, "起始日期"), self._day(self.end, "截止日期"),
                             kind, status)
        self.model.load(rows)
        held = [r for r in rows if r["status"] == "已召开"]
        invited = sum(r["invited"] for r in held)
        rate = f"，出勤率{100 * sum(r['present'] for r in held) / invited:.1f}%" if invited else ""
        self.count.setText(f"共{len(rows)}次（已召开{len(held)}次，计划{len(rows) - len(held)}次）{rate}")
        self.table.resizeColumnsToContents()
        self.gap_rows = gap_rows(self.reg, date.today(), self.org_ids)
        self.gaps.setSortingEnabled(False)
        self.gaps.setRowCount(len(self.gap_rows))
        for i, g in enumerate(self.gap_rows):
            for col, text in enumerate((g["organization"], g["label"], STATE_LABELS[g["state"]],
                                        cn_date(g["period_end"]), g["rule"])):
                item = QTableWidgetItem(text)
                item.setToolTip(text)  # the article and long names are cut in narrow columns
                if col == 2:
                    item.setForeground(QColor(STATE_COLOURS.get(g["state"], "#000000")))
                if col == 3:
                    item.setData(Qt.ItemDataRole.UserRole, g["period_end"])
                self.gaps.setItem(i, col, item)
        self.gaps.setSortingEnabled(True)
        self.gaps.resizeColumnsToContents()
        missed = sum(1 for g in self.gap_rows if g["state"] == "gap")
        self.gap_title.setText(f"各党支部未开和待开的组织生活（近一年）：未开{missed}项，待开{len(self.gap_rows) - missed}项")

    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return int(rows[0].data(ID_ROLE)) if rows else None

    def select_meeting(self, meeting_id: int) -> bool:
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            if index.data(ID_ROLE) == meeting_id:
                self.table.selectRow(row)
                return True
        return False

    def say(self, text: str, ok: bool = True) -> None:
        self.last_message = text
        self.feedback.setStyleSheet(f"color: {'#2e7d32' if ok else '#c62828'};")
        self.feedback.setText(text)
        if ok:
            self.message.emit(text)

    # Actions ---------------------------------------------------------------------------------------
    def _default_org(self) -> str | None:
        if not self.org_ids:
            return None
        return self.reg.scalar("SELECT name FROM organizations WHERE id = ?", (self.org_ids[0],))

    def open_meeting(self, meeting_id: int | None, hold: bool = False) -> None:
        from ui.dialogs.meeting_dialog import MeetingDialog

        if meeting_id is None and self.sender() is self.buttons["edit"]:
            QMessageBox.information(self, "请先选择", "请先在列表中选中一条组织生活记录。")
            return
        try:
            dialog = MeetingDialog(self.reg, self, organization=self._default_org(), meeting_id=meeting_id, hold=hold)
        except UserError as exc:
            QMessageBox.warning(self, "无法打开", exc.message)
            return
        if dialog.exec():
            self.after_save(dialog.saved_message, dialog.meeting_id)

    def after_save(self, message: str, meeting_id: int | None) -> None:
        self.refresh()
        if meeting_id is not None:
            self.select_meeting(meeting_id)
        self.say(message)
        self.changed.emit()

    def hold(self) -> None:
        meeting_id = self.selected_id()
        row = next((r for r in self.model.rows if r["id"] == meeting_id), None)
        if row is None or row["status"] != "计划":
            QMessageBox.information(self, "召开", "请先在列表中选中一条状态为“计划”的记录。")
            return
        self.open_meeting(meeting_id, hold=True)

    def delete(self) -> None:
        meeting_id = self.selected_id()
        if meeting_id is None:
            QMessageBox.information(self, "请先选择", "请先在列表中选中一条组织生活记录。")
            return
        refs = meeting_references(self.reg, meeting_id)
        note = f"\n这次会议被{'、'.join(refs)}引用，删除后这些步骤保留日期，不再关联会议记录。" if refs else ""
        if QMessageBox.question(self, "删除", f"确定要删除这条组织生活记录及其出席情况吗？{note}") \
                != QMessageBox.StandardButton.Yes:
            return
        self.delete_now(meeting_id)

    def delete_now(self, meeting_id: int) -> None:
        try:
            sentence = delete_meeting(self.reg, meeting_id)
        except UserError as exc:
            self.say(exc.message, ok=False)
            return
        self.refresh()
        self.say(sentence)
        self.changed.emit()

    def _branch_name(self) -> str | None:
        """The branch in scope, or the branch of the selected meeting."""
        meeting_id = self.selected_id()
        row = next((r for r in self.model.rows if r["id"] == meeting_id), None)
        return row["organization"] if row else self._default_org()

    def open_groups(self) -> None:
        from ui.dialogs.party_group_dialog import PartyGroupDialog

        self._run_branch_dialog(PartyGroupDialog)

    def open_settings(self) -> None:
        from ui.dialogs.branch_settings_dialog import BranchSettingsDialog

        self._run_branch_dialog(BranchSettingsDialog)

    def _run_branch_dialog(self, cls: Any) -> None:
        try:
            dialog = cls(self.reg, self._branch_name(), self)
        except UserError as exc:
            QMessageBox.warning(self, "无法打开", exc.message)
            return
        dialog.exec()
        if dialog.saved_message:
            self.refresh()
            self.say(dialog.saved_message)
            self.changed.emit()

    def export(self) -> None:
        default = str(Path.home() / f"{self.scope_title or '组织生活'}记录.xlsx")
        name, _ = file_dialogs.get_save_file_name(self, "导出组织生活记录", default, "Excel 工作簿 (*.xlsx)")
        if name:
            self.export_to(Path(name if name.lower().endswith(".xlsx") else name + ".xlsx"))

    def export_to(self, out: Path) -> None:
        rows = [self.model.rows[self.proxy.mapToSource(self.proxy.index(r, 0)).row()]
                for r in range(self.proxy.rowCount())]  # in the order shown
        try:
            n = export_meetings(self.reg, out, rows, self.gap_rows, self.scope_title)
        except UserError as exc:
            self.say(exc.message, ok=False)
            return
        self.say(f"已导出{n}条组织生活记录到 {out}。")
