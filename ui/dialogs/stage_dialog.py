"""Advance a person to the next development stage, with the date, the fields of the step that enters it, the live
findings and, when steps before it are missing, a recorded reason to go on."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QDialogButtonBox, QFormLayout, QLabel, QLineEdit, QPushButton, QWidget

from registry.errors import UserError
from registry.rules.dates import PartialDate
from registry.rules.deadlines import probation_end
from registry.rules.dev_steps import BY_KEY, ENTRY_KEY
from registry.services.development import advance_stage, next_category
from registry.services.development_steps import findings, preview_findings
from registry.services.people import get_person
from registry.services.pipeline import advance_refusal, branch_meetings, full_member_names
from registry.storage.database import Registry
from ui.dialogs.form_parts import FormDialog, finish_form, hinted_field
from ui.dialogs.step_fields import FindingsBox, NamesCompleter, StepFields, new_findings

REASON_TIP = "只在确需跳过尚未登记的步骤，或转正时间不是预备期满之日时填写；原因将记入纪实。"


def default_day(person: dict[str, object], target: str | None) -> str:
    """转正 defaults to the day probation ends (党龄 counts from it); every other stage to today."""
    if target == "正式党员" and person.get("joined_on"):
        try:
            months = person.get("extension_months")
            end = probation_end(PartialDate.from_iso(str(person["joined_on"])), int(str(months)) if months else None)
        except ValueError:
            return date.today().isoformat()
        if not end.month_only:
            return str(end)
    return date.today().isoformat()


class StageDialog(FormDialog):
    """Advance one person by one stage; asks before discarding a filled-in date or names."""

    def __init__(self, reg: Registry, person_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reg = reg
        self.person_id = person_id
        person = get_person(reg, person_id)
        self.target = next_category(person["category"])
        self.entry = BY_KEY[ENTRY_KEY[self.target]] if self.target else None
        self.setWindowTitle("推进发展阶段")
        self.before = findings(reg, person_id)
        names = full_member_names(reg)
        form = QFormLayout()
        form.addRow("姓名", QLabel(person["name"]))
        form.addRow("目前阶段", QLabel(person["category"]))
        form.addRow("推进到", QLabel(f"{self.target}（{self.entry.label}）" if self.entry else "（已是正式党员）"))
        self.fields = StepFields(self.entry or BY_KEY["application"], names=names, meetings=branch_meetings(reg),
                                 on=default_day(person, self.target))
        self.on = self.fields.on
        form.addRow(self.fields)
        self.contacts = QLineEdit(person.get("contacts") or "")
        self.introducers = QLineEdit(person.get("introducers") or "")
        for edit in (self.contacts, self.introducers):
            edit.setCompleter(NamesCompleter(names, edit))
            edit.setPlaceholderText("从花名册的正式党员中选择，多人用“、”分开")
            edit.textChanged.connect(lambda _t: self.box.timer.start())
        if self.target == "入党积极分子":
            form.addRow("培养联系人", self.contacts)
        if self.target == "发展对象":
            form.addRow("入党介绍人", self.introducers)
        self.reason, _ = hinted_field(form, "原因", "", "确需跳过缺少的步骤时填写（记入纪实）")
        self.reason.setToolTip(REASON_TIP)
        self.reason.textChanged.connect(lambda _t: self.box.timer.start())
        self.box = FindingsBox()
        self.box.timer.timeout.connect(lambda: self.isVisible() and self.check())  # a hidden dialog checks nothing
        self.finished.connect(self.box.timer.stop)  # no check may run once the dialog is done
        self.fields.changed.connect(self.box.timer.start)
        self.error = finish_form(self, form, self.save, (560, 540), (QLabel("检查结果"), self.box))
        self.record_missing = QPushButton("登记缺少的步骤…")
        self.record_missing.setToolTip("先补录缺少的步骤，再推进发展阶段")
        self.record_missing.clicked.connect(self.open_step)
        buttons = self.findChild(QDialogButtonBox)
        buttons.addButton(self.record_missing, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.button(QDialogButtonBox.StandardButton.Save).setEnabled(self.target is not None)
        self.check()
        self.mark_clean()

    def refusal(self) -> str | None:
        if self.target is None or self.reason.text().strip():
            return None
        return advance_refusal(self.reg, self.person_id, self.target, self.fields.date())

    def check(self) -> None:
        if self.entry is None:
            self.box.show_problem("已是正式党员，没有下一个发展阶段。")
            return
        refusal = self.refusal()
        try:
            found = preview_findings(self.reg, self.person_id, self.entry.key, self.fields.date(),
                                     override_reason=self.reason.text().strip() or None, **self.fields.values())
        except UserError as exc:
            self.box.show_problem(exc.message)
            return
        self.box.show_findings(new_findings(found, self.before, self.entry.key), refusal)

    def open_step(self) -> None:
        from ui.dialogs.step_dialog import StepDialog

        if StepDialog(self.reg, self.person_id, parent=self).exec():
            self.before = findings(self.reg, self.person_id)
            self.check()

    def save(self) -> None:
        if self.target is None:
            return
        try:
            advance_stage(self.reg, self.person_id, self.target, self.fields.date(),
                          contacts=self.contacts.text().strip() or None,
                          introducers=self.introducers.text().strip() or None,
                          fields=self.fields.values() or None,
                          override_reason=self.reason.text().strip() or None)
        except UserError as exc:
            self.error.setText(exc.message)
            if "原因" in exc.message:
                self.reason.setFocus()
            return
        self.accept()
