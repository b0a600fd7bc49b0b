"""Set the volunteer points rule from a day on (a new version; points already recorded keep their value)."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QDoubleSpinBox, QFormLayout, QLabel, QLineEdit, QWidget

from registry.errors import UserError
from registry.rules.volunteer_points import DEFAULT_RULE, fmt, parse_by_type
from registry.services.volunteer import list_rules, set_rule
from registry.storage.database import Registry
from ui.dialogs.form_parts import NOTE_STYLE, FormDialog, date_field, finish_form


def _spin(value: float) -> QDoubleSpinBox:
    spin = QDoubleSpinBox()
    spin.setRange(0, 10_000)
    spin.setDecimals(1)
    spin.setSuffix(" 分")
    spin.setValue(value)
    return spin


class RulesDialog(FormDialog):
    def __init__(self, reg: Registry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reg = reg
        rules = list_rules(reg)
        latest = rules[-1] if rules else DEFAULT_RULE
        self.setWindowTitle("设置积分规则")
        form = QFormLayout()
        now = QLabel("现行规则：" + "；".join(r.describe() for r in [DEFAULT_RULE, *rules][-3:]))
        now.setWordWrap(True)
        form.addRow(now)
        self.valid_from, _ = date_field(form, "起始日期", date.today().isoformat())
        self.per_hour = _spin(latest.per_hour)
        form.addRow("每服务1小时", self.per_hour)
        self.per_activity = _spin(latest.per_activity)
        form.addRow("每参加一次活动", self.per_activity)
        self.by_type = QLineEdit("，".join(f"{k}={fmt(v)}" for k, v in sorted(latest.by_type.items())))
        self.by_type.setPlaceholderText("如 应急救援=20，平安巡查=5")
        form.addRow("按活动类型另加", self.by_type)
        self.notes = QLineEdit()
        form.addRow("说明", self.notes)
        note = QLabel("新规则适用于起始日期及以后的服务；此前已记录的积分不会改变。")
        note.setWordWrap(True)
        note.setStyleSheet(NOTE_STYLE)
        form.addRow(note)
        self.error = finish_form(self, form, self.save, (460, 0))
        self.mark_clean()

    def save(self) -> None:
        items = [p for p in self.by_type.text().replace("，", ",").replace("、", ",").split(",") if p.strip()]
        try:
            try:
                by_type = parse_by_type(items)
            except ValueError as exc:
                raise UserError(f"“{exc}”的写法不对：请写成 类型=分数，多个用逗号分开，如 应急救援=20，平安巡查=5。") from None
            set_rule(self.reg, self.valid_from.text().strip(), self.per_hour.value(), self.per_activity.value(), by_type,
                     self.notes.text())
        except UserError as exc:
            self.error.setText(exc.message)
            return
        self.accept()
