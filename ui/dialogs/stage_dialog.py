"""Advance a person to the next development stage, with the date and the people the stage needs."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from registry.errors import UserError
from registry.rules.dates import parse_date
from registry.services.development import advance_stage, next_category
from registry.services.people import get_person
from registry.storage.database import Registry
from ui.dialogs.form_parts import FormDialog, reserve_lines
from ui.fit import fit_dialog


class StageDialog(FormDialog):
    """Advance one person by one stage; asks before discarding a filled-in date or names."""

    def __init__(self, reg: Registry, person_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reg = reg
        self.person_id = person_id
        person = get_person(reg, person_id)
        self.target = next_category(person["category"])
        self.setWindowTitle("推进发展阶段")
        form = QFormLayout()
        form.addRow("姓名", QLabel(person["name"]))
        form.addRow("目前阶段", QLabel(person["category"]))
        form.addRow("推进到", QLabel(self.target or "（已是正式党员）"))
        self.on = QLineEdit(date.today().isoformat())
        self.hint = QLabel()
        reserve_lines(self.hint)
        self.on.textChanged.connect(self._check)
        form.addRow("日期", self.on)
        form.addRow("", self.hint)
        self.contacts = QLineEdit(person.get("contacts") or "")
        self.introducers = QLineEdit(person.get("introducers") or "")
        if self.target == "入党积极分子":
            form.addRow("培养联系人", self.contacts)
        if self.target == "发展对象":
            form.addRow("入党介绍人", self.introducers)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #c62828;")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(self.target is not None)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        fit_dialog(self, (420, 260))
        self.mark_clean()

    def _check(self) -> None:
        d = parse_date(self.on.text())
        self.hint.setText("" if d.ok and d.value else (d.message or "请填写日期。"))

    def save(self) -> None:
        if self.target is None:
            return
        try:
            advance_stage(self.reg, self.person_id, self.target, self.on.text().strip(),
                          contacts=self.contacts.text().strip() or None,
                          introducers=self.introducers.text().strip() or None)
        except UserError as exc:
            self.error.setText(exc.message)
            return
        self.accept()
