"""Add or edit a person, checking the ID number, phone and dates with the registry rules as the user types."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QWidget,
)

from registry.errors import UserError
from registry.rules.categories import CATEGORIES
from registry.rules.id_derivation import IdReading, conflicts, read_id, save_check
from registry.services.organizations import list_orgs
from registry.services.outlets import list_outlets
from registry.services.people import add_person, edit_person, get_person
from registry.storage.database import Registry
from ui.dialogs.form_parts import (
    BAD_STYLE,
    NOTE_STYLE,
    OK_STYLE,
    ChoiceCombo,
    FormDialog,
    date_hint,
    finish_form,
    hinted_field,
    phone_hint,
    show_hint,
)

TEXT_FIELDS = (("name", "姓名"), ("id_number", "公民身份号码"), ("ethnicity", "民族"), ("birth_date", "出生日期"),
               ("education", "学历"), ("phone", "联系电话"), ("job", "工作岗位"), ("address", "家庭住址"),
               ("applied_on", "申请入党日期"), ("activist_on", "确定积极分子日期"), ("target_on", "列为发展对象日期"),
               ("joined_on", "入党时间"), ("full_on", "转正时间"), ("home_organization", "组织关系所在党组织"),
               ("reported_on", "报到日期"))
DATE_FIELDS = {"birth_date", "applied_on", "activist_on", "target_on", "joined_on", "full_on", "reported_on"}
ID_DERIVED = ("id_number", "birth_date", "gender")
NO_OUTLET = "（未指定）"
OWN_ORG_FROM_OUTLET = "（按网点所属党组织）"


def confirm_conflict(parent: QWidget, sentence: str) -> bool:
    """Ask whether to save values that disagree with the ID number; tests replace this."""
    answer = QMessageBox.question(parent, "与身份证号不一致", sentence,
                                  QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel,
                                  QMessageBox.StandardButton.Cancel)
    return answer == QMessageBox.StandardButton.Save


class PersonDialog(FormDialog):
    """person_id None adds a new person; otherwise edits that person. Saves through the services."""

    def __init__(self, reg: Registry, person_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reg = reg
        self.person_id = person_id
        self.original: dict[str, Any] = {}
        self._loading = False
        self._id_touched = False  # derived fields follow the number only once the user has changed it
        self._derived: dict[str, str | None] = {}  # values this dialog filled in from the ID number
        self.setWindowTitle("新增人员" if person_id is None else "编辑人员")
        self.edits: dict[str, QLineEdit] = {}
        self.hints: dict[str, QLabel] = {}
        form = QFormLayout()
        for key, label in TEXT_FIELDS:
            edit, self.hints[key] = hinted_field(form, label,
                                                 placeholder="如 2020-07-01 或 2020.07" if key in DATE_FIELDS else "")
            self.edits[key] = edit
            edit.textChanged.connect(lambda _t, k=key: self._check(k))
            if key == "id_number":
                self.gender = ChoiceCombo()
                for text, value in (("", None), ("男", "男"), ("女", "女")):
                    self.gender.add_choice(text, value)
                self.gender.currentIndexChanged.connect(lambda _i: self._show_conflicts())
                self.hints["gender"] = QLabel()
                self.hints["gender"].hide()
                gender_row = QHBoxLayout()
                gender_row.addWidget(self.gender)
                gender_row.addWidget(self.hints["gender"], 1)
                form.addRow("性别", gender_row)
        self.edits["id_number"].editingFinished.connect(lambda: self._id_changed(finished=True))
        self.category = ChoiceCombo()
        for category in CATEGORIES:
            self.category.add_choice(category, category)
        form.insertRow(4, "人员类别", self.category)
        self.outlet = ChoiceCombo()
        self.outlet.add_choice(NO_OUTLET, None)
        for o in list_outlets(reg):
            self.outlet.add_choice(_outlet_label(o["name"], o["brand"]), (o["name"], o["brand"]))
        form.addRow("所在网点", self.outlet)
        self.org = ChoiceCombo()
        self.org.add_choice(OWN_ORG_FROM_OUTLET, None)
        for org in list_orgs(reg):
            self.org.add_choice("　" * org["depth"] + org["name"], org["name"])
        form.addRow("所在党组织", self.org)
        self.flowing = QCheckBox("是流动党员（组织关系在外地）")
        form.addRow("", self.flowing)
        self.notes = QPlainTextEdit()
        self.notes.setFixedHeight(60)
        form.addRow("备注", self.notes)
        self.error = finish_form(self, form, self.save, (560, 760), scroll=True)
        if person_id is not None:
            self._load()
        self.mark_clean()

    def _load(self) -> None:
        p = get_person(self.reg, self.person_id or 0)
        self._loading = True
        try:
            for key, edit in self.edits.items():
                edit.setText("" if p.get(key) is None else str(p[key]))
            self.gender.set_value(p.get("gender") or None)
            self.category.set_value(p["category"])
            if p.get("outlet"):
                self.outlet.set_value((p["outlet"], p["brand"]), _outlet_label(p["outlet"], p["brand"]))
            if p.get("organization_id") and p.get("organization"):
                self.org.set_value(p["organization"])
            self.flowing.setChecked(bool(p.get("flowing")))
            self.notes.setPlainText(p.get("notes") or "")
        finally:
            self._loading = False
        # Stored values equal to what the number yields follow the number if it is corrected later.
        reading = self._reading(finished=True)
        shown = {"birth_date": self.edits["birth_date"].text().strip() or None, "gender": self.gender.value()}
        self._derived = {k: v for k, v in reading.derived.items() if v and shown[k] == v}
        self._show_id(reading)
        self._show_conflicts()
        self.original = self.form_values()

    # Checks as the user types ----------------------------------------------------------------------------
    def _reading(self, *, finished: bool) -> IdReading:
        return read_id(self.edits["id_number"].text(), finished=finished)

    def _show_id(self, reading: IdReading) -> None:
        hint = self.hints["id_number"]
        hint.setText(reading.message)
        hint.setStyleSheet({"complete": OK_STYLE, "partial": NOTE_STYLE}.get(reading.state, BAD_STYLE))
        hint.setVisible(bool(reading.message))

    def _id_changed(self, *, finished: bool) -> None:
        """Derived fields follow the number: filled when it is complete, cleared when it no longer yields them."""
        if self._loading:
            return
        if not finished:
            self._id_touched = True
        reading = self._reading(finished=finished)
        self._show_id(reading)
        if not self._id_touched:
            return
        derived = reading.derived
        if derived or not finished:  # leaving an incomplete field keeps what the last complete number gave
            typed_birth = self.edits["birth_date"].text().strip() or None
            if typed_birth is None or typed_birth == self._derived.get("birth_date"):
                self._derived["birth_date"] = derived.get("birth_date")
                self.edits["birth_date"].setText(derived.get("birth_date") or "")
            chosen = self.gender.value()
            if chosen is None or chosen == self._derived.get("gender"):
                self._derived["gender"] = derived.get("gender")
                self.gender.set_value(derived.get("gender"))
        self._show_conflicts()

    def _show_conflicts(self) -> None:
        found = conflicts(self._reading(finished=True), self.edits["birth_date"].text(), self.gender.value())
        if "birth_date" in found:
            show_hint(self.hints["birth_date"], found["birth_date"], False)
        else:
            show_hint(self.hints["birth_date"], *date_hint(self.edits["birth_date"].text()))
        show_hint(self.hints["gender"], found.get("gender", ""), False)

    def _check(self, key: str) -> None:
        if key == "id_number":
            self._id_changed(finished=False)
        elif key == "birth_date":
            self._show_conflicts()
        elif key == "phone":
            show_hint(self.hints[key], *phone_hint(self.edits[key].text()))
        elif key in DATE_FIELDS:
            show_hint(self.hints[key], *date_hint(self.edits[key].text()))

    # Saving ----------------------------------------------------------------------------------------------
    def form_values(self) -> dict[str, Any]:
        """Every field as the services take it."""
        out: dict[str, Any] = {k: e.text().strip() or None for k, e in self.edits.items()}
        out["gender"] = self.gender.value()
        out["category"] = self.category.value()
        out["outlet"], out["brand"] = self.outlet.value() or (None, None)
        out["organization"] = self.org.value()
        out["flowing"] = "是" if self.flowing.isChecked() else "否"
        out["notes"] = self.notes.toPlainText().strip() or None
        return out

    def values(self) -> dict[str, Any]:
        """For a new person every field; for an edit only what the user changed since the form was filled."""
        out = self.form_values()
        if self.person_id is None:
            return out
        changes = {k: v for k, v in out.items() if v != self.original.get(k)}
        if "outlet" in changes or "brand" in changes:  # the pair names one outlet
            changes["outlet"], changes["brand"] = out["outlet"], out["brand"]
        return changes

    def save(self) -> None:
        self._id_changed(finished=True)  # a 15-digit number is read now, before anything is compared
        values = self.values()
        if self.person_id is not None and not values:
            self.accept()  # nothing changed: nothing is written
            return
        if self.person_id is None or set(ID_DERIVED) & set(values):  # a conflict stored earlier is not asked again
            check = save_check(self._reading(finished=True), self.edits["birth_date"].text().strip(), self.gender.value())
            if check is not None and check[0] == "block":
                self.error.setText(check[1])
                return
            if check is not None and not confirm_conflict(self, check[1]):
                return
        try:
            if self.person_id is None:
                self.person_id = add_person(self.reg, **values)
            else:
                edit_person(self.reg, self.person_id, **values)
        except UserError as exc:
            self.error.setText(exc.message)
            return
        self.accept()


def _outlet_label(name: str, brand: str | None) -> str:
    return f"{name}（{brand or '未注明品牌'}）"
