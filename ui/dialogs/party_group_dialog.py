"""A branch's 党小组: add, rename and delete groups, choose the leader, tick who is in each (from a day, default today)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from registry.errors import UserError
from registry.services.meetings import roll_call
from registry.services.party_groups import add_group, delete_group, edit_group, list_groups, save_group
from registry.storage.database import Registry
from ui.dialogs.form_parts import BAD_STYLE, FormDialog, branch_combo
from ui.fit import fit_dialog


class PartyGroupDialog(FormDialog):
    """The groups of one branch (chosen in the list) and the members of the group selected."""

    def __init__(self, reg: Registry, branch: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reg = reg
        self.saved_message = ""
        self.setWindowTitle("党小组")
        self.branch = branch_combo(reg, branch)
        self.groups = QListWidget()
        new, rename, drop = QPushButton("新增党小组…"), QPushButton("改名…"), QPushButton("删除")
        new.clicked.connect(self.add)
        rename.clicked.connect(self.rename)
        drop.clicked.connect(self.delete)
        left = QVBoxLayout()
        left.addWidget(QLabel("党小组"))
        left.addWidget(self.groups, 1)
        for b in (new, rename, drop):
            left.addWidget(b)
        self.leader = QComboBox()
        self.since = QLineEdit()
        self.since.setPlaceholderText("如 2026-01-01")
        self.on = QLineEdit()  # when the ticks and unticks below take effect: groups are often entered after the fact
        self.on.setPlaceholderText("留空为今天，如 2026-01-01")
        self.on.setToolTip("下面勾选编入、取消勾选调出的成员，自这一天起算；补录以往的编组时写当时的日期。")
        self.members = QListWidget()
        form = QFormLayout()
        form.addRow("组长", self.leader)
        form.addRow("成立日期", self.since)
        form.addRow("编入/调出日期", self.on)
        right = QVBoxLayout()
        right.addLayout(form)
        right.addWidget(QLabel("成员（勾选编入本小组；本支部今天的党员）"))
        right.addWidget(self.members, 1)
        body = QHBoxLayout()
        body.addLayout(left, 1)
        body.addLayout(right, 2)
        self.error = QLabel()
        self.error.setStyleSheet(BAD_STYLE)
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close)
        buttons.button(QDialogButtonBox.StandardButton.Save).setText("保存本组")
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        top = QFormLayout()
        top.addRow("党支部", self.branch)
        layout.addLayout(top)
        layout.addLayout(body, 1)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.branch.currentIndexChanged.connect(lambda _i: self.load())
        self.groups.currentRowChanged.connect(lambda _r: self.show_group())
        self.load()
        fit_dialog(self, (640, 520))

    def _name(self) -> str:
        return self.branch.currentText()

    def load(self, select: str | None = None) -> None:
        self.data = list_groups(self.reg, [int(self.branch.currentData())])
        self.people = roll_call(self.reg, self._name(), date.today().isoformat())
        self.groups.blockSignals(True)
        self.groups.clear()
        for g in self.data:
            self.groups.addItem(g["name"])
        self.groups.blockSignals(False)
        names = [g["name"] for g in self.data]
        self.groups.setCurrentRow(names.index(select) if select in names else (0 if names else -1))
        self.show_group()

    def group(self) -> dict | None:  # type: ignore[type-arg]
        row = self.groups.currentRow()
        return self.data[row] if 0 <= row < len(self.data) else None

    def show_group(self) -> None:
        g = self.group()
        inside = {m["person_id"] for m in g["members"]} if g else set()
        self.leader.clear()
        self.leader.addItem("", None)
        self.members.clear()
        if g and g["leader_id"] and all(p["person_id"] != g["leader_id"] for p in self.people):
            self.leader.addItem(g["leader"] or "", g["leader_id"])  # a leader no longer on today's roll stays
        for p in self.people:
            self.leader.addItem(p["name"], p["person_id"])
            item = QListWidgetItem(f"{p['name']}（{p['category']}）")
            item.setData(Qt.ItemDataRole.UserRole, p["person_id"])
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if p["person_id"] in inside else Qt.CheckState.Unchecked)
            self.members.addItem(item)
        self.leader.setCurrentIndex(max(0, self.leader.findData(g["leader_id"] if g else None)))
        self.since.setText((g or {}).get("since") or "")
        for w in (self.leader, self.since, self.on, self.members):
            w.setEnabled(g is not None)
        self.mark_clean()

    def checked(self) -> set[int]:
        return {int(self.members.item(i).data(Qt.ItemDataRole.UserRole)) for i in range(self.members.count())
                if self.members.item(i).checkState() == Qt.CheckState.Checked}

    def add(self) -> None:
        name, ok = QInputDialog.getText(self, "新增党小组", "党小组名称：", text=f"第{len(self.data) + 1}党小组")
        if ok:
            self._do(lambda: add_group(self.reg, self._name(), name), f"已新增党小组{name.strip()}。", name.strip())

    def rename(self) -> None:
        g = self.group()
        if g is None:
            return
        name, ok = QInputDialog.getText(self, "党小组改名", "新名称：", text=g["name"])
        if ok and name.strip() != g["name"]:
            self._do(lambda: edit_group(self.reg, self._name(), g["name"], name=name), f"已改名为{name.strip()}。",
                     name.strip())

    def delete(self) -> None:
        g = self.group()
        if g is None or QMessageBox.question(self, "删除", f"确定要删除{g['name']}吗？该组的党小组会保留。") \
                != QMessageBox.StandardButton.Yes:
            return
        self._do(lambda: delete_group(self.reg, self._name(), g["name"]), f"已删除{g['name']}。")

    def _do(self, action: object, message: str, select: str | None = None) -> bool:
        try:
            action()  # type: ignore[operator]
        except UserError as exc:
            self.error.setText(exc.message)
            return False
        self.error.clear()
        self.saved_message = message
        self.load(select)
        return True

    def save(self) -> None:
        """The leader, the date and the members of the group shown; the same again writes nothing."""
        g = self.group()
        if g is None:
            self.error.setText("请先新增一个党小组。")
            return
        # Members not on today's roll call (not shown) stay as they are.
        shown = {p["person_id"] for p in self.people}
        before = {m["person_id"] for m in g["members"]} & shown
        wanted = self.checked()

        saved: list[str] = []

        def apply() -> None:
            saved.append(save_group(self.reg, self._name(), g["name"], leader=self.leader.currentData(),
                                    since=self.since.text(), join=sorted(wanted - before), leave=sorted(before - wanted),
                                    on=self.on.text()))

        if self._do(apply, "", g["name"]):
            self.saved_message = saved[0]
