"""Record a meeting (三会一课, 主题党日) with the attendance of the organisation's members."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from registry.errors import UserError
from registry.services.activities import ATTENDANCE, MEETING_KINDS, record_meeting
from registry.services.organizations import list_orgs, subtree_ids
from registry.services.search import PeopleFilter, search_people
from registry.storage.database import Registry
from ui.dialogs.form_parts import BAD_STYLE, NOT_FORM_DATA, FormDialog, date_hint, reserve_lines, show_hint
from ui.fit import fit_dialog
from ui.table_model import HeaderedTableModel

NOT_NOTIFIED = "未通知"
STATUSES = (*ATTENDANCE, NOT_NOTIFIED)
STATUS_COLOURS = {"出席": "#2e7d32", "请假": "#e65100", "缺席": "#c62828", NOT_NOTIFIED: "#757575"}
NAME, OUTLET, STATUS = range(3)


class AttendanceModel(HeaderedTableModel):
    """The members and their attendance, filtered in Python; the view asks only for the rows it shows.

    A committee's subtree can hold thousands of members. A model keeps filling, filtering and
    "全部出席" to one reset each, where a QTableWidget needs several Qt calls per row.
    """

    HEADERS = ("姓名", "网点", "出席情况")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.members: list[dict[str, Any]] = []
        self.status: list[str] = []
        self.visible: list[int] = []  # indices into members, in display order

    def load(self, members: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self.members = members
        self.status = ["出席"] * len(members)
        self.visible = list(range(len(members)))
        self.endResetModel()

    def set_filter(self, text: str) -> None:
        needle = text.strip().lower()
        self.beginResetModel()
        # search_text holds name, ID number, phone and pinyin; the outlet and brand are matched as well.
        self.visible = [i for i, m in enumerate(self.members)
                        if not needle or needle in m["search_text"] or needle in (m["outlet"] or "").lower()
                        or needle in (m["brand"] or "").lower()]
        self.endResetModel()

    def set_all(self, status: str) -> None:
        """Every row the filter shows."""
        for i in self.visible:
            self.status[i] = status
        if self.visible:
            self.dataChanged.emit(self.index(0, STATUS), self.index(len(self.visible) - 1, STATUS))

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(STATUSES, 0)
        for status in self.status:
            counts[status] += 1
        return counts

    def attendees(self) -> list[tuple[str, str]]:
        """(ID number, status) for everyone notified; 未通知 rows are left out of the meeting."""
        return [(m["id_number"], s) for m, s in zip(self.members, self.status, strict=True) if s != NOT_NOTIFIED]

    def row_count(self) -> int:
        return len(self.visible)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return base | Qt.ItemFlag.ItemIsEditable if index.column() == STATUS else base

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        i = self.visible[index.row()]
        m, col = self.members[i], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == NAME:
                return m["name"] if m["category"] == "正式党员" else f"{m['name']}（预备）"
            if col == OUTLET:
                return m["outlet"] or ""
            return f"{self.status[i]}  ▾"
        if role == Qt.ItemDataRole.EditRole and col == STATUS:
            return self.status[i]
        if role == Qt.ItemDataRole.ForegroundRole and col == STATUS:
            return QColor(STATUS_COLOURS[self.status[i]])
        if role == Qt.ItemDataRole.ToolTipRole:
            return m.get("organization") or ""
        return None

    def setData(self, index: QModelIndex | QPersistentModelIndex, value: Any,
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        if index.column() != STATUS or value not in STATUSES:
            return False
        self.status[self.visible[index.row()]] = value
        self.dataChanged.emit(index, index)
        return True


class StatusDelegate(QStyledItemDelegate):
    """A combo box over the attendance cell while it is being changed; one click opens its list."""

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: QModelIndex | QPersistentModelIndex) -> QWidget:
        editor = QComboBox(parent)
        editor.addItems(list(STATUSES))
        editor.activated.connect(lambda _i: (self.commitData.emit(editor), self.closeEditor.emit(editor)))
        QTimer.singleShot(0, editor, editor.showPopup)
        return editor

    def setEditorData(self, editor: QWidget, index: QModelIndex | QPersistentModelIndex) -> None:
        assert isinstance(editor, QComboBox)
        editor.setCurrentText(str(index.data(Qt.ItemDataRole.EditRole)))

    def setModelData(self, editor: QWidget, model: Any, index: QModelIndex | QPersistentModelIndex) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentText())


class MeetingDialog(FormDialog):
    """One meeting and its attendance; asks before discarding what was filled in."""

    def __init__(self, reg: Registry, parent: QWidget | None = None, *, organization: str | None = None) -> None:
        super().__init__(parent)
        self.reg = reg
        self.meeting_id: int | None = None
        self.setWindowTitle("登记组织生活会议")
        form = QFormLayout()
        self.org = QComboBox()
        orgs = list_orgs(reg)
        for org in orgs:
            self.org.addItem("　" * org["depth"] + org["name"], (org["name"], org["id"]))
        # Meetings are mostly held by branches, so start on the first branch rather than the committee.
        start = organization or next((o["name"] for o in orgs if (o["type"] or "").endswith("支部")), None)
        names = [o["name"] for o in orgs]
        self.org.setCurrentIndex(names.index(start) if start in names else 0)
        form.addRow("党组织", self.org)
        self.kind = QComboBox()
        self.kind.addItems(list(MEETING_KINDS))
        form.addRow("会议类型", self.kind)
        self.held_on = QLineEdit(date.today().isoformat())
        self.held_on.setPlaceholderText("具体到日，如 2026-05-08")
        self.date_hint = QLabel()
        reserve_lines(self.date_hint)
        box = QVBoxLayout()
        box.setSpacing(0)
        box.addWidget(self.held_on)
        box.addWidget(self.date_hint)
        form.addRow("日期", box)
        self.topic = QLineEdit()
        form.addRow("主题", self.topic)
        self.location = QLineEdit()
        form.addRow("地点", self.location)

        self.filter = QLineEdit()
        self.filter.setPlaceholderText("按姓名、拼音首字母或网点筛选")
        self.filter.setClearButtonEnabled(True)
        self.filter.setProperty(NOT_FORM_DATA, True)  # narrowing the list is not an edit
        all_present = QPushButton("全部出席")
        all_clear = QPushButton("全部清空")
        for button, status in ((all_present, "出席"), (all_clear, NOT_NOTIFIED)):
            button.setToolTip(f"把列表中当前显示的人员都设为“{status}”")
            button.clicked.connect(lambda _c=False, s=status: self.set_all(s))
        tools = QHBoxLayout()
        tools.addWidget(self.filter, 1)
        tools.addWidget(all_present)
        tools.addWidget(all_clear)
        self.summary = QLabel()
        self.model = AttendanceModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.verticalHeader().hide()
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed)
        self.table.setItemDelegateForColumn(STATUS, StatusDelegate(self.table))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(OUTLET, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(NAME, 120)
        self.table.setColumnWidth(STATUS, 100)
        self.table.clicked.connect(self._clicked)
        self.model.dataChanged.connect(self._count)
        self.model.modelReset.connect(self._count)
        self._filter_timer = QTimer(self, singleShot=True, interval=150)
        self._filter_timer.timeout.connect(self.apply_filter)
        self.filter.textChanged.connect(lambda _t: self._filter_timer.start())

        self.error = QLabel()
        self.error.setStyleSheet(BAD_STYLE)
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("参会人员（本组织及下级组织的正式党员、预备党员）"))
        layout.addLayout(tools)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.summary)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        fit_dialog(self, (560, 720))  # the attendance table shrinks on a small screen
        self.held_on.textChanged.connect(self._check_date)
        self.org.currentIndexChanged.connect(self.load_members)
        self._check_date()
        self.load_members()
        self.mark_clean()

    def extra_state(self) -> tuple[object, ...]:
        return tuple(self.model.status)

    def _check_date(self) -> None:
        text = self.held_on.text().strip()
        show_hint(self.date_hint, *(date_hint(text, day_required=True) if text else ("请填写会议日期。", False)))

    def load_members(self) -> None:
        """The members of the chosen organisation's subtree, all marked 出席, under the current filter."""
        chosen = self.org.currentData()
        members = [] if chosen is None else search_people(
            self.reg, PeopleFilter(org_ids=subtree_ids(self.reg, chosen[1]), categories=["正式党员", "预备党员"]))
        self.model.load(members)
        self.apply_filter()

    def apply_filter(self) -> None:
        self.model.set_filter(self.filter.text())

    def _clicked(self, index: QModelIndex) -> None:
        if index.column() == STATUS:
            self.table.edit(index)

    def set_status(self, row: int, status: str) -> None:
        """Row as shown (after filtering)."""
        if not self.model.setData(self.model.index(row, STATUS), status):
            raise ValueError(f"unknown attendance status {status!r}")

    def set_all(self, status: str) -> None:
        self.model.set_all(status)

    def attendees(self) -> list[tuple[str, str]]:
        return self.model.attendees()

    def _count(self, *_: object) -> None:
        total = len(self.model.members)
        shown = f"（当前显示{len(self.model.visible)}人）" if len(self.model.visible) != total else ""
        self.summary.setText(f"共{total}名党员{shown}：" + "，".join(f"{s}{n}人" for s, n in self.model.counts().items())
                             if total else "该党组织及其下级组织暂无正式党员或预备党员。")

    def save(self) -> None:
        chosen = self.org.currentData()
        try:
            if chosen is None:
                raise UserError("还没有党组织，请先在组织树中添加党组织，再登记会议。")
            self.meeting_id = record_meeting(
                self.reg, organization=chosen[0], kind=self.kind.currentText(), held_on=self.held_on.text().strip(),
                topic=self.topic.text().strip() or None, location=self.location.text().strip() or None,
                attendees=self.attendees())
        except UserError as exc:
            self.error.setText(exc.message)
            return
        self.accept()
