"""One volunteer activity for many people at once: the event, then everyone who took part with their hours."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from registry.errors import UserError
from registry.rules.volunteer_kinds import ACTIVITY_TYPES
from registry.services.organizations import list_orgs
from registry.services.volunteer import edit_activity, record_activity
from registry.services.volunteer_posts import list_posts
from registry.services.volunteer_queries import CANDIDATE_LIMIT, Candidate, candidates, get_activity
from registry.storage.database import Registry
from ui.dialogs.form_parts import NOT_FORM_DATA, NOTE_STYLE, ChoiceCombo, FormDialog, date_field, finish_form
from ui.widgets.flow_layout import FlowLayout

PID_ROLE = Qt.ItemDataRole.UserRole


class ActivityDialog(FormDialog):
    """New (activity_id None) or an existing activity; saving unchanged writes nothing."""

    def __init__(self, reg: Registry, activity_id: int | None = None, parent: QWidget | None = None,
                 organization: str | None = None) -> None:
        super().__init__(parent)
        self.reg = reg
        self.activity_id = activity_id
        current = get_activity(reg, activity_id) if activity_id is not None else None
        self.setWindowTitle("编辑志愿服务活动" if current else "新增志愿服务活动")
        form = QFormLayout()
        self.title_edit = QLineEdit(current["title"] if current else "")
        self.title_edit.setPlaceholderText("如 夜间平安巡查、文明交通劝导")
        form.addRow("活动名称", self.title_edit)
        self.kind = QComboBox()
        self.kind.setEditable(True)
        self.kind.addItems(list(ACTIVITY_TYPES))
        self.kind.setCurrentText(current["kind"] if current else ACTIVITY_TYPES[0])
        form.addRow("活动类型", self.kind)
        self.held_on, self.date_hint = date_field(form, "活动日期", current["held_on"] if current else date.today().isoformat())
        self.place = QLineEdit((current or {}).get("place") or "")
        form.addRow("地点", self.place)
        self.org = ChoiceCombo()
        self.org.add_choice("（不指定）", None)
        for org in list_orgs(reg):
            self.org.add_choice("　" * org["depth"] + org["name"], org["name"])
        self.org.set_value((current or {}).get("organization") or organization)
        form.addRow("组织单位", self.org)
        self.post = ChoiceCombo()
        self.post.add_choice("（不属于某个岗位）", None)
        for post in list_posts(reg):
            if not post["closed_on"] or (current and current["post_id"] == post["id"]):
                self.post.add_choice(f"{post['name']}（{post['kind']}）", str(post["id"]))
        self.post.set_value(str(current["post_id"]) if current and current["post_id"] else None)
        form.addRow("所属岗位", self.post)
        self.default_hours = QDoubleSpinBox()
        self.default_hours.setRange(0, 24 * 31)  # an older one-person stint may hold a month's hours
        self.default_hours.setDecimals(1)
        self.default_hours.setSingleStep(0.5)
        self.default_hours.setSuffix(" 小时")
        self.default_hours.setSpecialValueText("未填写")
        self.default_hours.setValue(float((current or {}).get("default_hours") or 0))
        form.addRow("每人时长", self.default_hours)
        # Who took part: the chosen branch's people (or anyone), ticked; an hours cell only where it differs.
        self.chosen: dict[int, str] = {}  # person id -> hours text ('' = the default)
        self.known: dict[int, Candidate] = {}
        for p in (current or {}).get("participants", []):
            hours = "" if p["hours"] == (current or {}).get("default_hours") else f"{p['hours']:g}"
            self.chosen[p["person_id"]] = hours
            self.known[p["person_id"]] = Candidate(p["person_id"], p["name"], p["category"], None, None)
        self.search = QLineEdit()
        self.search.setPlaceholderText("按姓名、拼音或身份证号查找")
        self.search.setClearButtonEnabled(True)
        self.search.setProperty(NOT_FORM_DATA, True)
        self.only_chosen = QCheckBox("只显示已选")
        self.only_chosen.setProperty(NOT_FORM_DATA, True)
        tick_all, clear = QPushButton("全选所列"), QPushButton("全部取消")
        tick_all.clicked.connect(lambda: self._tick_all(True))
        clear.clicked.connect(lambda: self._tick_all(False))
        tools = FlowLayout(fill=True)  # wraps on a narrow screen
        tools.add(self.search, 1)
        tools.addWidget(self.only_chosen)
        tools.addWidget(tick_all)
        tools.addWidget(clear)
        form.addRow("参加人员", tools)
        self.table = QTableWidget(0, 4)
        self.table.setHorizontalHeaderLabels(["姓名", "类别", "网点", "时长（空为每人时长）"])
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(0, 120)
        self.table.setMinimumHeight(150)
        self.table.itemChanged.connect(self._item_changed)
        form.addRow(self.table)
        self.count = QLabel()
        self.count.setStyleSheet(NOTE_STYLE)
        form.addRow(self.count)
        self.search.textChanged.connect(self._fill)
        self.only_chosen.toggled.connect(self._fill)
        self.org.currentIndexChanged.connect(self._fill)
        self._fill()
        self.error = finish_form(self, form, self.save, (640, 620))
        self.mark_clean()

    def extra_state(self) -> tuple[object, ...]:
        return tuple(sorted(self.chosen.items()))

    def _fill(self) -> None:
        shown = [] if self.only_chosen.isChecked() else candidates(self.reg, self.org.value(), self.search.text())
        for c in shown:
            self.known.setdefault(c.person_id, c)
        ids = [c.person_id for c in shown]
        ids += [pid for pid in self.chosen if pid not in set(ids)]  # those chosen stay in view
        self.table.blockSignals(True)
        self.table.setRowCount(len(ids))
        for row, pid in enumerate(ids):
            c = self.known[pid]
            name = QTableWidgetItem(c.name)
            name.setData(PID_ROLE, pid)
            name.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            name.setCheckState(Qt.CheckState.Checked if pid in self.chosen else Qt.CheckState.Unchecked)
            self.table.setItem(row, 0, name)
            for col, text in ((1, c.category), (2, c.outlet or "")):
                item = QTableWidgetItem(text)
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                self.table.setItem(row, col, item)
            hours = QTableWidgetItem(self.chosen.get(pid, ""))
            hours.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsEditable)
            self.table.setItem(row, 3, hours)
        self.table.blockSignals(False)
        more = "（只列出前3000人，请选择组织单位或输入姓名查找）" if len(shown) >= CANDIDATE_LIMIT else ""
        self.count.setText(f"已选 {len(self.chosen)} 人{more}")

    def _item_changed(self, item: QTableWidgetItem) -> None:
        pid = self.table.item(item.row(), 0).data(PID_ROLE)
        if item.column() == 0:
            if item.checkState() == Qt.CheckState.Checked:
                self.chosen.setdefault(pid, self.table.item(item.row(), 3).text().strip())
            else:
                self.chosen.pop(pid, None)
        elif item.column() == 3:
            text = item.text().strip()
            if text and pid not in self.chosen:  # typing hours ticks the person
                self.chosen[pid] = text
                self.table.blockSignals(True)
                self.table.item(item.row(), 0).setCheckState(Qt.CheckState.Checked)
                self.table.blockSignals(False)
            elif pid in self.chosen:
                self.chosen[pid] = text
        self.count.setText(f"已选 {len(self.chosen)} 人")

    def _tick_all(self, on: bool) -> None:
        for row in range(self.table.rowCount()):
            self.table.item(row, 0).setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)

    def participants(self) -> list[tuple[str | int, float | None]]:
        out: list[tuple[str | int, float | None]] = []
        for pid, text in self.chosen.items():
            try:
                out.append((pid, float(text) if text else None))
            except ValueError:
                raise UserError(f"{self.known[pid].name}的时长“{text}”不是数字，请填写小时数，如 2 或 1.5。") from None
        return out

    def values(self) -> dict[str, Any]:
        return {"title": self.title_edit.text(), "kind": self.kind.currentText(), "held_on": self.held_on.text().strip(),
                "place": self.place.text(), "organization": self.org.value(), "post": self.post.value(),
                "default_hours": self.default_hours.value() or None}

    def save(self) -> None:
        try:
            participants = self.participants()
            if self.activity_id is None:
                self.activity_id = record_activity(self.reg, participants=participants, **self.values())
            else:
                edit_activity(self.reg, self.activity_id, participants=participants, **self.values())
        except UserError as exc:
            self.error.setText(exc.message)
            return
        self.accept()
