"""登记步骤 (record one step of the development record, or correct one recorded) and 取消预备党员资格."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from registry.errors import UserError
from registry.rules.categories import stage_index
from registry.rules.dev_steps import BY_KEY, STEPS, Step
from registry.services.development_steps import (
    cancel_probation,
    edit_step,
    findings,
    preview_findings,
    record_step,
    step_rows,
)
from registry.services.people import get_person
from registry.services.pipeline import branch_meetings, full_member_names, next_step_key
from registry.storage.database import Registry
from ui.dialogs.form_parts import FormDialog, finish_form
from ui.dialogs.step_fields import FindingsBox, StepFields, new_findings


def recordable(category: str) -> list[Step]:
    """The steps 登记步骤 offers someone of this category: a step entering a later stage is 推进发展阶段's."""
    return [s for s in STEPS if s.key != "cancellation"
            and not (s.enters and stage_index(s.enters) > stage_index(category))]


class StepDialog(FormDialog):
    """Record one step (step given, or chosen), or correct the recorded entry `entry_id`; live findings below."""

    def __init__(self, reg: Registry, person_id: int, step: str | None = None, entry_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reg, self.person_id, self.entry_id = reg, person_id, entry_id
        person = get_person(reg, person_id)
        entry = next((r for r in step_rows(reg, person_id) if r["id"] == entry_id), None) if entry_id else None
        if entry_id is not None and entry is None:
            raise UserError("要更正的步骤记录已不存在，请刷新后重试。")
        self.setWindowTitle("更正步骤" if entry else "登记步骤")
        self.names, self.meetings = full_member_names(reg), branch_meetings(reg)
        self.before = findings(reg, person_id)
        form = QFormLayout()
        form.addRow("姓名", QLabel(f"{person['name']}（{person['category']}）"))
        self.choice = QComboBox()
        self.steps = [BY_KEY[entry["step"]]] if entry else recordable(person["category"])
        for s in self.steps:
            self.choice.addItem(f"{s.stage}：{s.label}", s.key)
        chosen = entry["step"] if entry else (step or next_step_key(reg, person_id))
        if chosen in [s.key for s in self.steps]:
            self.choice.setCurrentIndex([s.key for s in self.steps].index(chosen))
        self.choice.setEnabled(entry is None)
        self.choice.currentIndexChanged.connect(self._step_chosen)
        form.addRow("步骤", self.choice)
        self.article = QLabel()
        self.article.setWordWrap(True)
        self.article.setStyleSheet("color: #666666;")
        form.addRow("依据", self.article)
        self.holder = QVBoxLayout()
        self.holder.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.holder)
        self.fields: StepFields | None = None
        self.box = FindingsBox()
        self.box.timer.timeout.connect(lambda: self.isVisible() and self.check())  # a hidden dialog checks nothing
        self.finished.connect(self.box.timer.stop)  # no check may run once the dialog is done
        self._fill(entry)
        self.error = finish_form(self, form, self.save, (560, 520), (QLabel("检查结果"), self.box))
        self.check()
        self.mark_clean()

    @property
    def step(self) -> Step:
        return BY_KEY[str(self.choice.currentData())]

    def _fill(self, entry: dict[str, Any] | None = None) -> None:
        if self.fields is not None:
            self.holder.removeWidget(self.fields)
            self.fields.deleteLater()
        step = self.step
        values = dict((entry or {}).get("fields") or {})
        if entry and entry.get("meeting_id"):
            values["meeting_id"] = entry["meeting_id"]
        self.fields = StepFields(step, names=self.names, meetings=self.meetings, values=values,
                                 on=(entry or {}).get("on_date") or date.today().isoformat())
        self.fields.changed.connect(self.box.timer.start)
        self.holder.addWidget(self.fields)
        self.article.setText(step.article)

    def _step_chosen(self) -> None:
        self._fill()
        self.check()

    def check(self) -> None:
        """The findings the record would have with this entry: nothing is written."""
        assert self.fields is not None
        try:
            found = preview_findings(self.reg, self.person_id, self.step.key, self.fields.date(),
                                     **self.fields.values())
        except UserError as exc:
            self.box.show_problem(exc.message)
            return
        self.box.show_findings(new_findings(found, self.before, self.step.key))

    def save(self) -> None:
        assert self.fields is not None
        if self.entry_id is not None and not self.is_dirty():
            self.accept()  # nothing was changed: nothing is written
            return
        try:
            if self.entry_id is not None:
                edit_step(self.reg, self.entry_id, self.fields.date(), **self.fields.values())
            else:
                record_step(self.reg, self.person_id, self.step.key, self.fields.date(), **self.fields.values())
        except UserError as exc:
            self.error.setText(exc.message)
            return
        self.accept()


class CancelDialog(FormDialog):
    """取消预备党员资格: the day, the reason and the 支部大会's vote; the person is 预备党员 until that day."""

    def __init__(self, reg: Registry, person_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reg, self.person_id = reg, person_id
        person = get_person(reg, person_id)
        if person["category"] != "预备党员":
            raise UserError(f"{person['name']}是{person['category']}，只有预备党员才能取消预备党员资格。")
        self.setWindowTitle("取消预备党员资格")
        self.before = findings(reg, person_id)
        form = QFormLayout()
        form.addRow("姓名", QLabel(f"{person['name']}（入党时间 {person.get('joined_on') or '未填写'}）"))
        note = QLabel("取消后此人为群众；取消之日以前仍按预备党员统计，原有发展记录保留。")
        note.setWordWrap(True)
        note.setStyleSheet("color: #666666;")
        form.addRow(note)
        self.fields = StepFields(BY_KEY["cancellation"], names=full_member_names(reg), meetings=branch_meetings(reg),
                                 on=date.today().isoformat())
        form.addRow(self.fields)
        self.box = FindingsBox()
        self.box.timer.timeout.connect(lambda: self.isVisible() and self.check())  # a hidden dialog checks nothing
        self.finished.connect(self.box.timer.stop)  # no check may run once the dialog is done
        self.fields.changed.connect(self.box.timer.start)
        self.error = finish_form(self, form, self.save, (560, 480), (QLabel("检查结果"), self.box))
        self.check()
        self.mark_clean()

    def check(self) -> None:
        try:
            found = preview_findings(self.reg, self.person_id, "cancellation", self.fields.date(),
                                     **self.fields.values())
        except UserError as exc:
            self.box.show_problem(exc.message)
            return
        self.box.show_findings(new_findings(found, self.before, "cancellation"))

    def save(self) -> None:
        values = self.fields.values()
        reason = str(values.pop("reason", ""))
        try:
            cancel_probation(self.reg, self.person_id, self.fields.date(), reason=reason, **values)
        except UserError as exc:
            self.error.setText(exc.message)
            return
        self.accept()
