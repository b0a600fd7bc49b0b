"""Record one stint of volunteer service (志愿服务) for a person: post, date, hours, points typed or by the rules."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QComboBox,
    QDoubleSpinBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from registry.errors import UserError
from registry.rules.volunteer_kinds import POST_KINDS
from registry.services.people import get_person
from registry.services.volunteer import record_service
from registry.storage.database import Registry
from ui.dialogs.form_parts import FormDialog, date_hint, finish_form, reserve_lines, show_hint


class VolunteerDialog(FormDialog):
    def __init__(self, reg: Registry, person_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reg = reg
        self.person_id = person_id
        self.record_id: int | None = None
        person = get_person(reg, person_id)
        self.setWindowTitle("登记志愿服务")
        form = QFormLayout()
        form.addRow("姓名", QLabel(person["name"]))
        self.post = QComboBox()
        self.post.setEditable(True)
        self.post.addItems(list(POST_KINDS))
        extra = person.get("volunteer_post")
        if extra and extra not in POST_KINDS:
            self.post.addItem(extra)
        self.post.setCurrentText(extra or POST_KINDS[0])
        form.addRow("志愿岗位", self.post)
        self.role = QLineEdit()
        self.role.setPlaceholderText("如 队长、组员（可不填）")
        form.addRow("角色", self.role)
        self.served_on = QLineEdit(date.today().isoformat())
        self.served_on.setPlaceholderText("如 2026-05-08")
        self.date_hint = QLabel()
        reserve_lines(self.date_hint)
        box = QVBoxLayout()
        box.setSpacing(0)
        box.addWidget(self.served_on)
        box.addWidget(self.date_hint)
        form.addRow("服务日期", box)
        self.served_on.textChanged.connect(self._check_date)
        self.hours = QDoubleSpinBox()
        self.hours.setRange(0, 24 * 31)
        self.hours.setDecimals(1)
        self.hours.setSingleStep(0.5)
        self.hours.setSuffix(" 小时")
        form.addRow("时长（小时）", self.hours)
        self.points = QDoubleSpinBox()
        self.points.setRange(0, 100_000)
        self.points.setDecimals(1)
        self.points.setSpecialValueText("按积分规则计算")  # 0: the rules give the points
        form.addRow("积分", self.points)
        self.notes = QPlainTextEdit()
        self.notes.setFixedHeight(60)
        form.addRow("备注", self.notes)
        self.error = finish_form(self, form, self.save, (420, 0))
        self.mark_clean()

    def _check_date(self) -> None:
        text = self.served_on.text().strip()
        show_hint(self.date_hint, *(date_hint(text, day_required=True) if text else ("请填写服务日期。", False)))

    def save(self) -> None:
        try:
            self.record_id = record_service(
                self.reg, self.person_id, post=self.post.currentText().strip(),
                served_on=self.served_on.text().strip(), hours=self.hours.value(), points=self.points.value() or None,
                role=self.role.text().strip() or None, notes=self.notes.toPlainText().strip() or None)
        except UserError as exc:
            self.error.setText(exc.message)
            return
        self.accept()
