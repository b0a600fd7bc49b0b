"""Add or edit a meeting: its fields, the roll call of the branch on the day (everyone 出席, mark who was on leave
or absent, with reasons; 民主评议 grades), and attachments kept by reference."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer, QUrl
from PySide6.QtGui import QColor, QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from registry.errors import UserError
from registry.rules.org_life import ATTENDANCE, GRADES, MEETING_KINDS, MEETING_STATUSES
from registry.services.meetings import Attendee, add_meeting, edit_meeting, get_meeting, roll_call
from registry.services.organizations import list_orgs
from registry.services.party_groups import list_groups
from registry.storage.database import Registry
from ui import file_dialogs
from ui.dialogs.form_parts import BAD_STYLE, NOT_FORM_DATA, FormDialog, date_hint, show_hint
from ui.fit import fit_dialog, scrolling
from ui.table_model import HeaderedTableModel

NOT_NOTIFIED = "未通知"
STATUSES = (*ATTENDANCE, NOT_NOTIFIED)
STATUS_COLOURS = {"出席": "#2e7d32", "请假": "#e65100", "缺席": "#c62828", NOT_NOTIFIED: "#757575"}
NAME, OUTLET, STATUS, REASON, GRADE = range(5)
NO_GRADE = ""


class AttendanceModel(HeaderedTableModel):
    """The roll call and each one's attendance, reason and grade, filtered in Python; the view asks only for the
    rows it shows (a committee's subtree can hold thousands of members)."""

    HEADERS = ("姓名", "网点", "出席情况", "请假或缺席原因", "评议等次")

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.members: list[dict[str, Any]] = []
        self.status: list[str] = []
        self.reason: list[str] = []
        self.grade: list[str] = []
        self.visible: list[int] = []  # indices into members, in display order

    def load(self, members: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self.members = members
        self.status = [m.get("status") or "出席" for m in members]
        self.reason = [m.get("reason") or "" for m in members]
        self.grade = [m.get("grade") or NO_GRADE for m in members]
        self.visible = list(range(len(members)))
        self.endResetModel()

    def set_filter(self, text: str) -> None:
        needle = text.strip().lower()
        self.beginResetModel()
        # search_text holds name, ID number, phone and pinyin; the outlet and brand are matched as well.
        self.visible = [i for i, m in enumerate(self.members)
                        if not needle or needle in (m.get("search_text") or "") or needle in (m.get("outlet") or "").lower()
                        or needle in (m.get("brand") or "").lower() or needle in m["name"]]
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

    def attendees(self) -> list[Attendee]:
        """Everyone notified, with status, reason and grade; 未通知 rows are left out of the meeting."""
        return [Attendee(m["person_id"], s, r or None, g or None)
                for m, s, r, g in zip(self.members, self.status, self.reason, self.grade, strict=True)
                if s != NOT_NOTIFIED]

    def row_count(self) -> int:
        return len(self.visible)

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        return base | Qt.ItemFlag.ItemIsEditable if index.column() in (STATUS, REASON, GRADE) else base

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        i = self.visible[index.row()]
        m, col = self.members[i], index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            if col == NAME:
                return m["name"] if m["category"] == "正式党员" else f"{m['name']}（{m['category'][:2]}）"
            if col == OUTLET:
                return m.get("outlet") or ""
            if col == STATUS:
                return f"{self.status[i]}  ▾"
            if col == REASON:
                return self.reason[i]
            return self.grade[i]
        if role == Qt.ItemDataRole.EditRole:
            return {STATUS: self.status[i], REASON: self.reason[i], GRADE: self.grade[i]}.get(col)
        if role == Qt.ItemDataRole.ForegroundRole and col == STATUS:
            return QColor(STATUS_COLOURS[self.status[i]])
        if role == Qt.ItemDataRole.ToolTipRole and m.get("override_reason"):
            return f"非本支部当日党员，登记原因：{m['override_reason']}"
        return None

    def setData(self, index: QModelIndex | QPersistentModelIndex, value: Any,
                role: int = Qt.ItemDataRole.EditRole) -> bool:
        i = self.visible[index.row()]
        col = index.column()
        if col == STATUS and value in STATUSES:
            self.status[i] = value
        elif col == REASON:
            self.reason[i] = str(value or "").strip()
        elif col == GRADE and value in (NO_GRADE, *GRADES):
            self.grade[i] = value
        else:
            return False
        self.dataChanged.emit(index, index)
        return True


class ChoiceDelegate(QStyledItemDelegate):
    """A combo box over a cell while it is being changed; one click opens its list."""

    def __init__(self, choices: tuple[str, ...], parent: QWidget) -> None:
        super().__init__(parent)
        self.choices = choices

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem,
                     index: QModelIndex | QPersistentModelIndex) -> QWidget:
        editor = QComboBox(parent)
        editor.addItems(list(self.choices))
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
    """One meeting, new (organization: the branch to start on) or stored (meeting_id); asks before discarding."""

    def __init__(self, reg: Registry, parent: QWidget | None = None, *, organization: str | None = None,
                 meeting_id: int | None = None, hold: bool = False) -> None:
        super().__init__(parent)
        self.reg = reg
        self.meeting_id = meeting_id
        self.saved_message = ""
        self.current = get_meeting(reg, meeting_id) if meeting_id is not None else None
        self.setWindowTitle("修改组织生活记录" if self.current else "登记组织生活")
        form = QFormLayout()
        self.org = QComboBox()
        orgs = list_orgs(reg)
        for org in orgs:
            self.org.addItem("　" * org["depth"] + org["name"], (org["name"], org["id"]))
        # Meetings are mostly held by branches, so start on the first branch rather than the committee.
        start = (self.current or {}).get("organization") or organization or \
            next((o["name"] for o in orgs if (o["type"] or "").endswith("支部")), None)
        names = [o["name"] for o in orgs]
        self.org.setCurrentIndex(names.index(start) if start in names else 0)
        form.addRow("党组织", self.org)
        self.kind = QComboBox()
        self.kind.addItems(list(MEETING_KINDS))
        self.status = QComboBox()
        self.status.addItems(list(reversed(MEETING_STATUSES)))  # 已召开 first
        self.group = QComboBox()
        kind_row = QHBoxLayout()
        kind_row.addWidget(self.kind, 2)
        kind_row.addWidget(QLabel("状态"))
        kind_row.addWidget(self.status, 1)
        kind_row.addWidget(QLabel("党小组"))
        kind_row.addWidget(self.group, 2)
        form.addRow("会议类型", kind_row)
        self.held_on = QLineEdit(date.today().isoformat())
        self.held_on.setPlaceholderText("具体到日，如 2026-05-08")
        self.held_on.setMaximumWidth(self.held_on.fontMetrics().horizontalAdvance("2026-05-08") * 2)
        self.date_hint = QLabel()  # beside the date: a line of its own would take the attendance table's room
        box = QHBoxLayout()
        box.addWidget(self.held_on, 1)
        box.addWidget(self.date_hint, 2)
        form.addRow("日期", box)
        self.topic = QLineEdit()
        self.notes = QLineEdit()
        topic_row = QHBoxLayout()
        topic_row.addWidget(self.topic, 3)
        topic_row.addWidget(QLabel("备注"))
        topic_row.addWidget(self.notes, 1)
        form.addRow("主题", topic_row)
        self.host, self.recorder, self.location = QLineEdit(), QLineEdit(), QLineEdit()
        people_row = QHBoxLayout()
        for label, field in (("主持人", self.host), ("记录人", self.recorder), ("地点", self.location)):
            if label != "主持人":
                people_row.addWidget(QLabel(label))
            people_row.addWidget(field, 1)
        form.addRow("主持人", people_row)
        self.minutes = QPlainTextEdit()
        self.minutes.setPlaceholderText("会议内容或纪要")
        self.minutes.setFixedHeight(self.minutes.fontMetrics().lineSpacing() * 2 + 12)
        form.addRow("会议内容", self.minutes)

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
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.EditKeyPressed
                                   | QAbstractItemView.EditTrigger.DoubleClicked)
        self.table.setItemDelegateForColumn(STATUS, ChoiceDelegate(STATUSES, self.table))
        self.table.setItemDelegateForColumn(GRADE, ChoiceDelegate((NO_GRADE, *GRADES), self.table))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(REASON, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(NAME, 110)
        self.table.setColumnWidth(OUTLET, 120)
        self.table.setColumnWidth(STATUS, 90)
        self.table.setColumnWidth(GRADE, 80)
        self.table.clicked.connect(self._clicked)
        self.model.dataChanged.connect(self._count)
        self.model.modelReset.connect(self._count)
        self._filter_timer = QTimer(self, singleShot=True, interval=150)
        self._filter_timer.timeout.connect(self.apply_filter)
        self.filter.textChanged.connect(lambda _t: self._filter_timer.start())
        self.override = QLineEdit()
        self.override.setPlaceholderText("出席人员中有不是本支部当日党员的人（如列席的入党积极分子）时，写明原因")

        self.files = QListWidget()
        self.files.setFixedHeight(self.files.fontMetrics().lineSpacing() * 2 + 10)
        add_file, open_file, drop_file = QPushButton("添加附件…"), QPushButton("打开"), QPushButton("移除")
        add_file.setToolTip("如签到表照片；只记录文件位置，文件不复制进台账")
        add_file.clicked.connect(self.add_attachment)
        open_file.clicked.connect(self.open_attachment)
        drop_file.clicked.connect(self.remove_attachment)
        file_buttons = QVBoxLayout()
        file_buttons.setSpacing(2)
        file_buttons.addWidget(add_file)
        pair = QHBoxLayout()
        pair.addWidget(open_file)
        pair.addWidget(drop_file)
        file_buttons.addLayout(pair)
        file_row = QHBoxLayout()
        file_row.addWidget(self.files, 1)
        file_row.addLayout(file_buttons)

        self.error = QLabel()
        self.error.setStyleSheet(BAD_STYLE)
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        # Everything but the buttons scrolls: on a small screen at 150 % the dialog still fits, and on a larger one
        # the attendance table takes the room.
        inner = QWidget()
        body = QVBoxLayout(inner)
        body.setContentsMargins(0, 0, 0, 0)
        body.addLayout(form)
        self.roll_label = QLabel("出席情况（会议当日本支部的正式党员、预备党员和管理的流入党员，默认全部出席）")
        self.roll_label.setWordWrap(True)
        body.addWidget(self.roll_label)
        body.addLayout(tools)
        self.table.setMinimumHeight(self.table.verticalHeader().defaultSectionSize() * 5)
        body.addWidget(self.table, 1)
        body.addWidget(self.summary)
        extra = QFormLayout()
        extra.addRow("参会原因", self.override)
        extra.addRow("附件", file_row)
        body.addLayout(extra)
        body.addWidget(self.error)
        layout = QVBoxLayout(self)
        layout.addWidget(scrolling(inner), 1)
        layout.addWidget(buttons)
        fit_dialog(self, (760, 760))  # the attendance table shrinks on a small screen
        self._fill(hold)
        self.held_on.textChanged.connect(self._check_date)
        self.held_on.editingFinished.connect(self.load_members)
        self.org.currentIndexChanged.connect(self._org_changed)
        self.kind.currentIndexChanged.connect(self._kind_changed)
        self.group.currentIndexChanged.connect(self.load_members)
        self.status.currentIndexChanged.connect(self._status_changed)
        self._check_date()
        self.mark_clean()

    # Filling ---------------------------------------------------------------------------------------
    def _fill(self, hold: bool) -> None:
        m = self.current
        self._load_groups()
        if m is not None:
            self.kind.setCurrentText(m["kind"])
            self.status.setCurrentText("已召开" if hold else m["status"])
            self.group.setCurrentIndex(max(0, self.group.findText(m["group"] or "")))
            self.held_on.setText(m["held_on"])
            for field, key in ((self.topic, "topic"), (self.host, "host"), (self.recorder, "recorder"),
                               (self.location, "location"), (self.notes, "notes")):
                field.setText(m[key] or "")
            self.minutes.setPlainText(m["minutes"] or "")
            for a in m["attachments"]:
                self._add_file_item(a["path"], a["name"], a["state"])
        self._kind_changed()
        self._status_changed(load=False)
        self.load_members()

    def _load_groups(self) -> None:
        chosen = self.org.currentData()
        self.group.blockSignals(True)
        self.group.clear()
        self.group.addItem("", None)
        for g in list_groups(self.reg, [chosen[1]] if chosen else []):
            self.group.addItem(g["name"], g["name"])
        self.group.blockSignals(False)

    def _org_changed(self) -> None:
        self._load_groups()
        self.load_members()

    def _kind_changed(self) -> None:
        grouped = self.kind.currentText() == "党小组会"
        self.group.setEnabled(grouped)
        if not grouped:
            self.group.setCurrentIndex(0)
        self.table.setColumnHidden(GRADE, self.kind.currentText() != "民主评议党员")
        self.load_members()

    def _status_changed(self, *_: object, load: bool = True) -> None:
        held = self.status.currentText() == "已召开"
        for w in (self.table, self.filter, self.override):
            w.setEnabled(held)
        self.roll_label.setText("出席情况（会议当日本支部的正式党员、预备党员和管理的流入党员，默认全部出席）" if held else
                                "计划召开的会议：召开后再登记出席情况（在列表中选中后点“召开”）。")
        if load:
            self.load_members()

    def extra_state(self) -> tuple[object, ...]:
        return (tuple(self.model.status), tuple(self.model.reason), tuple(self.model.grade), tuple(self._paths()))

    def _check_date(self) -> None:
        text = self.held_on.text().strip()
        show_hint(self.date_hint, *(date_hint(text, day_required=True) if text else ("请填写会议日期。", False)))

    def load_members(self) -> None:
        """The roll call on the day: the stored attendance of this meeting first, the branch's (or group's) other
        members as 未通知 (a stored meeting) or 出席 (a new one); marks already made are kept."""
        chosen = self.org.currentData()
        kept = {m["person_id"]: (s, r, g) for m, s, r, g in
                zip(self.model.members, self.model.status, self.model.reason, self.model.grade, strict=True)}
        try:
            called = [] if chosen is None or self.status.currentText() == "计划" else roll_call(
                self.reg, chosen[0], self.held_on.text().strip(), self.group.currentData())
        except UserError:
            called = []
        stored = {a["person_id"]: a for a in (self.current or {}).get("attendance", [])}
        members = [dict(a) for a in stored.values()]
        fresh = self.current is None or not stored
        members += [{**r, "status": "出席" if fresh else NOT_NOTIFIED} for r in called if r["person_id"] not in stored]
        by_id = {r["person_id"]: r for r in called}
        for m in members:  # outlet and search text from the roll call where the person is on it
            m.update({k: v for k, v in by_id.get(m["person_id"], {}).items() if k in ("outlet", "brand", "search_text")})
            if m["person_id"] in kept:
                m["status"], m["reason"], m["grade"] = kept[m["person_id"]]
        self.model.load(members)
        self.apply_filter()

    def apply_filter(self) -> None:
        self.model.set_filter(self.filter.text())

    def _clicked(self, index: QModelIndex) -> None:
        if index.column() in (STATUS, GRADE):
            self.table.edit(index)

    def set_status(self, row: int, status: str, reason: str | None = None) -> None:
        """Row as shown (after filtering)."""
        if not self.model.setData(self.model.index(row, STATUS), status):
            raise ValueError(f"unknown attendance status {status!r}")
        if reason is not None:
            self.model.setData(self.model.index(row, REASON), reason)

    def set_all(self, status: str) -> None:
        self.model.set_all(status)

    def attendees(self) -> list[Attendee]:
        return self.model.attendees()

    def _count(self, *_: object) -> None:
        total = len(self.model.members)
        shown = f"（当前显示{len(self.model.visible)}人）" if len(self.model.visible) != total else ""
        self.summary.setText(f"共{total}人{shown}：" + "，".join(f"{s}{n}人" for s, n in self.model.counts().items())
                             if total else "会议当日该党组织暂无应到的正式党员或预备党员。")

    # Attachments ------------------------------------------------------------------------------------
    def _add_file_item(self, path: str, name: str, state: str) -> None:
        item = QListWidgetItem(name if state == "正常" else f"{name}（{state}）")
        item.setData(Qt.ItemDataRole.UserRole, path)
        item.setToolTip(path)
        self.files.addItem(item)

    def _paths(self) -> list[str]:
        return [str(self.files.item(i).data(Qt.ItemDataRole.UserRole)) for i in range(self.files.count())]

    def add_attachment(self) -> None:
        names, _ = file_dialogs.get_open_file_names(self, "选择附件（如签到表照片）", str(Path.home()),
                                                    "所有文件 (*)")
        self.add_paths(names)

    def add_paths(self, names: list[str]) -> None:
        for name in names:
            path = str(Path(name).resolve())
            if path not in self._paths():
                self._add_file_item(path, Path(path).name, "正常")

    def open_attachment(self) -> None:
        item = self.files.currentItem()
        if item is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(item.data(Qt.ItemDataRole.UserRole))))

    def remove_attachment(self) -> None:
        row = self.files.currentRow()
        if row >= 0:
            self.files.takeItem(row)

    # Saving ----------------------------------------------------------------------------------------
    def save(self) -> None:
        chosen = self.org.currentData()
        held = self.status.currentText() == "已召开"
        fields: dict[str, Any] = {
            "organization": chosen[0] if chosen else "", "kind": self.kind.currentText(),
            "held_on": self.held_on.text().strip(), "status": self.status.currentText(),
            "group": self.group.currentData(), "topic": self.topic.text(), "host": self.host.text(),
            "recorder": self.recorder.text(), "location": self.location.text(),
            "minutes": self.minutes.toPlainText(), "notes": self.notes.text()}
        try:
            if chosen is None:
                raise UserError("还没有党组织，请先在组织树中添加党组织，再登记会议。")
            attendance = self.attendees() if held else []
            reason = self.override.text().strip() or None
            if self.current is None:
                saved = add_meeting(self.reg, attendance=attendance, attachments=self._paths(),
                                    override_reason=reason, **fields)
            else:
                saved = edit_meeting(self.reg, self.current["id"], attendance=attendance, attachments=self._paths(),
                                     override_reason=reason, **fields)
        except UserError as exc:
            self.error.setText(exc.message)
            return
        self.meeting_id, self.saved_message = saved.meeting_id, saved.message
        self.accept()
