"""A branch's 组织生活 settings: whether it has a 支部委员会 (自动 by 正式党员, 有, 无), 党课 a year, records since."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from registry.errors import UserError
from registry.rules.org_life import COMMITTEE_SETTINGS, LESSONS_PER_YEAR
from registry.services.org_life_gaps import committee_note
from registry.services.party_groups import branch_settings, set_branch_settings
from registry.storage.database import Registry
from ui.dialogs.form_parts import BAD_STYLE, FormDialog, branch_combo
from ui.fit import fit_dialog

LESSON_LABELS = {1: "每年1次（全国最低要求）", 2: "每半年1次", 4: "每季度1次", 12: "每月1次"}


class BranchSettingsDialog(FormDialog):
    """One branch at a time, chosen in the list (starting on `branch` when it is one)."""

    def __init__(self, reg: Registry, branch: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reg = reg
        self.saved_message = ""
        self.setWindowTitle("组织生活设置")
        self.branch = branch_combo(reg, branch)
        self.committee = QComboBox()
        self.committee.addItems(list(COMMITTEE_SETTINGS))
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.lessons = QComboBox()
        for n in LESSONS_PER_YEAR:
            self.lessons.addItem(LESSON_LABELS[n], n)
        self.records_from = QLineEdit()
        self.records_from.setPlaceholderText("如 2026-01-01；留空：自成立起")
        form = QFormLayout()
        form.addRow("党支部", self.branch)
        form.addRow("支部委员会", self.committee)
        form.addRow("", self.note)
        form.addRow("党课", self.lessons)
        form.addRow("记录起始日期", self.records_from)
        self.error = QLabel()
        self.error.setStyleSheet(BAD_STYLE)
        self.error.setWordWrap(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("“自动”：会议当期最后一天有正式党员7人以上的党支部应设支部委员会，每月召开支部委员会会议。"))
        layout.addWidget(self.error)
        layout.addWidget(buttons)
        self.branch.currentIndexChanged.connect(self.load)
        self.load()
        fit_dialog(self)

    def load(self) -> None:
        org_id = int(self.branch.currentData())
        s = branch_settings(self.reg, org_id)
        self.committee.setCurrentText(s.committee)
        self.lessons.setCurrentIndex(max(0, self.lessons.findData(s.lessons_per_year)))
        self.records_from.setText(s.records_from or "")
        self.note.setText(committee_note(self.reg, org_id, date.today()))
        self.mark_clean()

    def save(self) -> None:
        try:
            set_branch_settings(self.reg, self.branch.currentText(), committee=self.committee.currentText(),
                                lessons_per_year=self.lessons.currentData(), records_from=self.records_from.text())
        except UserError as exc:
            self.error.setText(exc.message)
            return
        self.saved_message = f"已保存{self.branch.currentText()}的组织生活设置。"
        self.accept()
