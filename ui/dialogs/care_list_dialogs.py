"""Add or edit a 暖蜂商户 (merchant) or a 暖蜂一条街 (care street)."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QFormLayout, QLineEdit, QWidget

from registry.errors import UserError
from registry.services.care_lists import (
    CARE_STREET_FIELDS,
    CARE_STREET_LABELS,
    MERCHANT_LABELS,
    add_care_street,
    add_merchant,
    edit_care_street,
    edit_merchant,
    list_care_streets,
    list_merchants,
)
from registry.services.stations import list_stations
from registry.storage.database import Registry
from ui.dialogs.form_parts import FormDialog, finish_form, hinted_field, phone_hint, show_hint

NONE = "（无）"
MERCHANT_TEXT = ("address", "street", "community", "offers", "contact", "notes")


class MerchantDialog(FormDialog):
    """merchant None adds one; otherwise edits the merchant with that id."""

    def __init__(self, reg: Registry, merchant: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reg, self.merchant = reg, merchant
        self.original: dict[str, Any] = {}
        self.setWindowTitle("新增暖蜂商户" if merchant is None else "编辑暖蜂商户")
        form = QFormLayout()
        self.name = QLineEdit()
        form.addRow(MERCHANT_LABELS["name"], self.name)
        self.edits = {key: QLineEdit() for key in MERCHANT_TEXT}
        for key, edit in self.edits.items():
            form.addRow(MERCHANT_LABELS[key], edit)
        self.edits["offers"].setPlaceholderText("如 免费热水、手机充电、小哥九折")
        self.station = QComboBox()
        self.station.addItems([NONE, *sorted({s["name"] for s in list_stations(reg)})])
        form.addRow(MERCHANT_LABELS["station"], self.station)
        self.street = QComboBox()
        self.street.addItems([NONE, *(c["name"] for c in list_care_streets(reg))])
        form.addRow(MERCHANT_LABELS["care_street"], self.street)
        self.phone, note = hinted_field(form, MERCHANT_LABELS["phone"])
        self.phone.textChanged.connect(lambda text: show_hint(note, *phone_hint(text)))
        self.error = finish_form(self, form, self.save, (480, 520))
        if merchant is not None:
            row = next(r for r in list_merchants(reg) if r["id"] == merchant)
            self.name.setText(row["name"])
            for key, edit in self.edits.items():
                edit.setText(row[key] or "")
            for combo, value in ((self.station, row["station"]), (self.street, row["care_street"])):
                if value and combo.findText(value) < 0:
                    combo.addItem(value)
                combo.setCurrentText(value or NONE)
            self.phone.setText(row["phone"] or "")
            self.original = self.values()
            self.key = (row["name"], row["community"])
        self.mark_clean()

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name.text().strip() or None}
        out.update({key: edit.text().strip() or None for key, edit in self.edits.items()})
        out["station"] = None if self.station.currentText() == NONE else self.station.currentText()
        out["care_street"] = None if self.street.currentText() == NONE else self.street.currentText()
        out["phone"] = self.phone.text().strip() or None
        return out

    def save(self) -> None:
        values = self.values()
        try:
            if self.merchant is None:
                self.merchant = add_merchant(self.reg, **values)
            else:
                changes = {k: v for k, v in values.items() if v != self.original.get(k)}
                if changes:
                    edit_merchant(self.reg, self.key[0], self.key[1], **changes)
        except UserError as exc:
            self.error.setText(exc.message)
            return
        self.accept()


class CareStreetDialog(FormDialog):
    """street None adds a 暖蜂一条街; otherwise edits the one with that name."""

    def __init__(self, reg: Registry, street: str | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reg, self.street = reg, street
        self.original: dict[str, Any] = {}
        self.setWindowTitle("新增暖蜂一条街" if street is None else "编辑暖蜂一条街")
        form = QFormLayout()
        self.edits = {key: QLineEdit() for key in CARE_STREET_FIELDS}
        for key, edit in self.edits.items():
            form.addRow(CARE_STREET_LABELS[key], edit)
        self.edits["name"].setPlaceholderText("如“沙河暖蜂一条街”")
        self.error = finish_form(self, form, self.save, (420, 0), scroll=False)
        if street is not None:
            row = next(r for r in list_care_streets(reg) if r["name"] == street)
            for key, edit in self.edits.items():
                edit.setText(row[key] or "")
            self.original = self.values()
        self.mark_clean()

    def values(self) -> dict[str, Any]:
        return {key: edit.text().strip() or None for key, edit in self.edits.items()}

    def save(self) -> None:
        values = self.values()
        try:
            if self.street is None:
                add_care_street(self.reg, **values)
            else:
                changes = {k: v for k, v in values.items() if v != self.original.get(k)}
                if changes:
                    edit_care_street(self.reg, self.street, **changes)
        except UserError as exc:
            self.error.setText(exc.message)
            return
        self.street = values["name"]
        self.accept()
