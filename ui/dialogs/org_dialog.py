"""Add or edit a party organisation, checking its phone and founding date as the user types."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from registry.errors import UserError
from registry.rules.dates import parse_date
from registry.rules.phone import check_phone
from registry.services.org_life_start import begun_note
from registry.services.organizations import (
    FOUNDING_MODES,
    ORG_TYPES,
    add_org,
    edit_org,
    list_orgs,
    require_org,
    subtree_ids,
)
from registry.storage.database import Registry
from ui.dialogs.form_parts import (
    ChoiceCombo,
    FormDialog,
    date_hint,
    finish_form,
    hinted_field,
    phone_hint,
    show_hint,
)

NO_PARENT = "（无，最上级）"
TEXT_FIELDS = (("secretary", "书记"), ("contact", "联系人"), ("phone", "联系电话"), ("founded_on", "成立日期"))


class OrgDialog(FormDialog):
    """name None adds a new organisation; otherwise edits the one of that name. Saves through the services."""

    def __init__(self, reg: Registry, name: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reg = reg
        self.name = name
        self.notice: str | None = None  # shown in the status bar after a branch is added
        self.original: dict[str, Any] = {}
        self.setWindowTitle("新增党组织" if name is None else "编辑党组织")
        current = require_org(reg, name) if name is not None else None
        # An organisation cannot sit under itself or under one of its own branches.
        excluded = set(subtree_ids(reg, current["id"])) if current else set()
        orgs = list_orgs(reg)

        form = QFormLayout()
        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText("党组织全称，如“城南快递联合党支部”")
        form.addRow("名称", self.name_edit)
        self.type = QComboBox()
        self.type.addItems(list(ORG_TYPES))
        self.type.setCurrentText("党支部")
        form.addRow("类型", self.type)
        self.parent_org = ChoiceCombo()
        self.parent_org.add_choice(NO_PARENT, None)
        for org in orgs:
            if org["id"] not in excluded:
                self.parent_org.add_choice("　" * org["depth"] + org["name"], org["name"])
        form.addRow("上级组织", self.parent_org)
        self.founding_mode = QComboBox()
        self.founding_mode.addItems(["", *FOUNDING_MODES])
        form.addRow("组建方式", self.founding_mode)
        self.edits: dict[str, QLineEdit] = {}
        self.hints: dict[str, QLabel] = {}
        for key, label in TEXT_FIELDS:
            self.edits[key], self.hints[key] = hinted_field(form, label)
        self.edits["phone"].setPlaceholderText("11位手机号，或如 021-12345678")
        self.edits["founded_on"].setPlaceholderText("如 2020-07-01 或 2020.07")
        self.edits["phone"].textChanged.connect(self._check_phone)
        self.edits["founded_on"].textChanged.connect(self._check_date)
        self.notes = QPlainTextEdit()
        self.notes.setFixedHeight(60)
        form.addRow("备注", self.notes)

        self.error = finish_form(self, form, self.save, (480, 460))
        if current is not None:
            self._load(next(o for o in orgs if o["id"] == current["id"]))
        self.mark_clean()

    def _load(self, org: dict[str, Any]) -> None:
        self.name_edit.setText(org["name"])
        self.type.setCurrentText(org["type"] or "党支部")
        self.parent_org.set_value(org["parent"])
        self.founding_mode.setCurrentText(org["founding_mode"] or "")
        for key, edit in self.edits.items():
            edit.setText(org[key] or "")
        self.notes.setPlainText(org["notes"] or "")
        self.original = self.values()

    def _check_phone(self) -> None:
        show_hint(self.hints["phone"], *phone_hint(self.edits["phone"].text()))

    def _check_date(self) -> None:
        show_hint(self.hints["founded_on"], *date_hint(self.edits["founded_on"].text()))

    def values(self) -> dict[str, Any]:
        """Every field as the service takes it; phone and date in their stored form when readable."""
        out: dict[str, Any] = {"name": self.name_edit.text().strip() or None, "type": self.type.currentText(),
                               "parent": self.parent_org.value(),
                               "founding_mode": self.founding_mode.currentText() or None}
        for key, edit in self.edits.items():
            out[key] = edit.text().strip() or None
        phone = check_phone(out["phone"])
        if phone.ok:
            out["phone"] = phone.number
        founded = parse_date(out["founded_on"])
        if founded.ok and founded.value is not None:
            out["founded_on"] = str(founded.value)
        out["notes"] = self.notes.toPlainText().strip() or None
        return out

    def save(self) -> None:
        values = self.values()
        try:
            phone = check_phone(values["phone"])
            if not phone.ok:  # the organisation service stores the phone as typed, so refuse it here
                raise UserError(phone.message or "联系电话不正确，请核对。")
            if self.name is None:
                self.notice = begun_note(self.reg, add_org(self.reg, **values))
            else:
                changes = {k: v for k, v in values.items() if v != self.original.get(k)}
                if changes:
                    edit_org(self.reg, self.name, **changes)
        except UserError as exc:
            self.error.setText(exc.message)
            return
        self.name = values["name"]
        self.accept()
