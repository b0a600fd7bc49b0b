"""One person's record of an activity: hours, a manual points adjustment with its reason, role and notes."""

from __future__ import annotations

from PySide6.QtWidgets import QDoubleSpinBox, QFormLayout, QLabel, QLineEdit, QPlainTextEdit, QWidget

from registry.errors import UserError
from registry.services.volunteer import edit_record
from registry.storage.database import Registry
from ui.dialogs.form_parts import NOTE_STYLE, FormDialog, finish_form


class RecordDialog(FormDialog):
    def __init__(self, reg: Registry, record_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reg, self.record_id = reg, record_id
        rows = reg.query("SELECT v.*, p.name, a.title FROM volunteer_records v JOIN people p ON p.id = v.person_id"
                         " LEFT JOIN volunteer_activities a ON a.id = v.activity_id WHERE v.id = ?", (record_id,))
        if not rows:
            raise UserError("这条志愿服务记录已不存在，请刷新后重试。")
        r = self.record = rows[0]
        self.setWindowTitle("修改服务记录")
        form = QFormLayout()
        form.addRow("姓名", QLabel(r["name"]))
        form.addRow("活动", QLabel(r["title"] or r["post"]))
        self.hours = QDoubleSpinBox()
        self.hours.setRange(0.1, 24 * 31)
        self.hours.setDecimals(1)
        self.hours.setSuffix(" 小时")
        self.hours.setValue(r["hours"])
        form.addRow("服务时长", self.hours)
        self.adjustment = QDoubleSpinBox()
        self.adjustment.setRange(-10_000, 10_000)
        self.adjustment.setDecimals(1)
        self.adjustment.setValue(r["adjustment"] or 0)
        form.addRow("积分调整", self.adjustment)
        self.reason = QLineEdit(r["adjustment_reason"] or "")
        self.reason.setPlaceholderText("调整积分时必须填写，如 冒雨巡查，支部决定加分")
        form.addRow("调整原因", self.reason)
        rule = QLabel(f"积分：{r['points']:g}分（{r['points_rule'] or '手工填写'}）")
        rule.setWordWrap(True)
        rule.setStyleSheet(NOTE_STYLE)
        form.addRow(rule)
        self.role = QLineEdit(r["role"] or "")
        form.addRow("角色", self.role)
        self.notes = QPlainTextEdit(r["notes"] or "")
        self.notes.setFixedHeight(60)
        form.addRow("备注", self.notes)
        self.error = finish_form(self, form, self.save, (440, 0))
        self.mark_clean()

    def save(self) -> None:
        r = self.record
        try:
            edit_record(self.reg, self.record_id, hours=round(self.hours.value(), 1), adjustment=self.adjustment.value(),
                        reason=self.reason.text() or r["adjustment_reason"], role=self.role.text(),
                        notes=self.notes.toPlainText())
        except UserError as exc:
            self.error.setText(exc.message)
            return
        self.accept()
