"""Add or edit a person, checking the ID number, phone and dates with the registry rules as the user types."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)

from registry.errors import UserError
from registry.rules.categories import CATEGORIES
from registry.rules.idnumber import check_id
from registry.services.organizations import list_orgs
from registry.services.outlets import list_outlets
from registry.services.people import add_person, edit_person, get_person
from registry.storage.database import Registry
from ui.dialogs.form_parts import date_hint, finish_form, hinted_field, phone_hint, show_hint

TEXT_FIELDS = (("name", "姓名"), ("id_number", "公民身份号码"), ("ethnicity", "民族"), ("birth_date", "出生日期"),
               ("education", "学历"), ("phone", "联系电话"), ("job", "工作岗位"), ("address", "家庭住址"),
               ("applied_on", "申请入党日期"), ("activist_on", "确定积极分子日期"), ("target_on", "列为发展对象日期"),
               ("joined_on", "入党时间"), ("full_on", "转正时间"), ("home_organization", "组织关系所在党组织"),
               ("reported_on", "报到日期"))
DATE_FIELDS = {"birth_date", "applied_on", "activist_on", "target_on", "joined_on", "full_on", "reported_on"}


class PersonDialog(QDialog):
    """person_id None adds a new person; otherwise edits that person. Saves through the services."""

    def __init__(self, reg: Registry, person_id: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reg = reg
        self.person_id = person_id
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
                gender_row = QHBoxLayout()
                self.gender = QComboBox()
                self.gender.addItems(["", "男", "女"])
                gender_row.addWidget(self.gender)
                gender_row.addStretch(1)
                form.addRow("性别", gender_row)
        self.category = QComboBox()
        self.category.addItems(list(CATEGORIES))
        form.insertRow(4, "人员类别", self.category)
        self.outlet = QComboBox()
        self.outlet.addItem("（未指定）", None)
        for o in list_outlets(reg):
            self.outlet.addItem(f"{o['name']}（{o['brand'] or '未注明品牌'}）", (o["name"], o["brand"]))
        form.addRow("所在网点", self.outlet)
        self.org = QComboBox()
        self.org.addItem("（按网点所属党组织）", None)
        for org in list_orgs(reg):
            self.org.addItem("　" * org["depth"] + org["name"], org["name"])
        form.addRow("所在党组织", self.org)
        self.flowing = QCheckBox("是流动党员（组织关系在外地）")
        form.addRow("", self.flowing)
        self.notes = QPlainTextEdit()
        self.notes.setFixedHeight(60)
        form.addRow("备注", self.notes)
        self.error = finish_form(self, form, self.save, (560, 760))
        if person_id is not None:
            self._load()

    def _load(self) -> None:
        p = get_person(self.reg, self.person_id or 0)
        self.original = p
        for key, edit in self.edits.items():
            edit.setText("" if p.get(key) is None else str(p[key]))
        self.gender.setCurrentText(p.get("gender") or "")
        self.category.setCurrentText(p["category"])
        if p.get("outlet"):
            i = self.outlet.findData((p["outlet"], p["brand"]))
            self.outlet.setCurrentIndex(max(i, 0))
        if p.get("organization_id") and p.get("organization"):
            self.org.setCurrentIndex(max(self.org.findData(p["organization"]), 0))
        self.flowing.setChecked(bool(p.get("flowing")))
        self.notes.setPlainText(p.get("notes") or "")

    def _show(self, key: str, text: str, ok: bool) -> None:
        show_hint(self.hints[key], text, ok)

    def _check(self, key: str) -> None:
        text = self.edits[key].text().strip()
        if not text:
            self._show(key, "", True)
            return
        if key == "id_number":
            c = check_id(text)
            if c.ok:
                self._show(key, f"✓ {c.number}　出生 {c.birth_date}　{c.gender}", True)
                if not self.edits["birth_date"].text().strip() and c.birth_date:
                    self.edits["birth_date"].setText(c.birth_date.isoformat())
                if not self.gender.currentText() and c.gender:
                    self.gender.setCurrentText(c.gender)
            else:
                self._show(key, c.message or "身份证号不正确。", False)
        elif key == "phone":
            self._show(key, *phone_hint(text))
        elif key in DATE_FIELDS:
            self._show(key, *date_hint(text))

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {k: e.text().strip() or None for k, e in self.edits.items()}
        out["gender"] = self.gender.currentText() or None
        out["category"] = self.category.currentText()
        outlet = self.outlet.currentData()
        out["outlet"], out["brand"] = (outlet if outlet else (None, None))
        out["organization"] = self.org.currentData()
        out["flowing"] = "是" if self.flowing.isChecked() else "否"
        out["notes"] = self.notes.toPlainText().strip() or None
        if self.person_id is not None:  # only what changed, so a blank never clears by accident
            return {k: v for k, v in out.items() if _differs(self.original.get(k), v)}
        return out

    def save(self) -> None:
        try:
            if self.person_id is None:
                self.person_id = add_person(self.reg, **self.values())
            else:
                changes = self.values()
                if changes:
                    edit_person(self.reg, self.person_id, **changes)
        except UserError as exc:
            self.error.setText(exc.message)
            return
        self.accept()


def _differs(old: Any, new: Any) -> bool:
    if isinstance(old, int) and new in ("是", "否"):
        return bool(old) != (new == "是")
    return ("" if old is None else str(old)) != ("" if new is None else str(new))
