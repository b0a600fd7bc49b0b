"""Add or edit a courier outlet (网点): its brand, place, head count and the party organisation covering it."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from registry.errors import UserError
from registry.services.organizations import list_orgs
from registry.services.outlets import add_outlet, edit_outlet, list_outlets, require_outlet
from registry.storage.database import Registry
from ui.dialogs.form_parts import ChoiceCombo, FormDialog, finish_form

BRANDS = ("顺丰速运", "京东物流", "中通快递", "圆通速递", "申通快递", "韵达快递", "极兔速递", "邮政EMS", "德邦快递",
          "跨越速运")
NO_ORG = "（未建党组织）"
TEXT_FIELDS = (("address", "地址"), ("district", "区"), ("street", "街道"), ("community", "社区"))
UNKNOWN_WORKERS = -1  # the spin box's lowest value stands for "not filled in"


class OutletDialog(FormDialog):
    """outlet None adds a new outlet; otherwise edits the outlet (name, brand). Saves through the services."""

    def __init__(self, reg: Registry, outlet: tuple[str, str | None] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reg = reg
        self.outlet = outlet
        self.original: dict[str, Any] = {}
        self.setWindowTitle("新增网点" if outlet is None else "编辑网点")
        rows = list_outlets(reg)

        form = QFormLayout()
        self.name = QLineEdit()
        self.name.setPlaceholderText("如“沙河网点”")
        form.addRow("网点名称", self.name)
        self.brand = QComboBox()
        self.brand.setEditable(True)
        known = [b for b in sorted({r["brand"] for r in rows if r["brand"]}) if b not in BRANDS]
        self.brand.addItems(["", *BRANDS, *known])
        self.brand.lineEdit().setPlaceholderText("选择或输入快递品牌")
        form.addRow("快递品牌", self.brand)
        self.edits: dict[str, QLineEdit] = {}
        for key, label in TEXT_FIELDS:
            self.edits[key] = QLineEdit()
            form.addRow(label, self.edits[key])
        self.workers = QSpinBox()
        self.workers.setRange(UNKNOWN_WORKERS, 999_999)
        self.workers.setSpecialValueText("未填写")
        self.workers.setSuffix(" 人")
        self.workers.setValue(UNKNOWN_WORKERS)
        form.addRow("从业人员数", self.workers)
        self.org = ChoiceCombo()
        self.org.add_choice(NO_ORG, None)
        for org in list_orgs(reg):
            self.org.add_choice("　" * org["depth"] + org["name"], org["name"])
        form.addRow("覆盖党组织", self.org)
        self.officer = QLineEdit()
        form.addRow("党建指导员", self.officer)
        self.notes = QPlainTextEdit()
        self.notes.setFixedHeight(60)
        form.addRow("备注", self.notes)

        self.error = finish_form(self, form, self.save, (460, 460))
        if outlet is not None:
            own_id = require_outlet(reg, outlet[0], outlet[1])["id"]
            self._load(next(r for r in rows if r["id"] == own_id))
        self.mark_clean()

    def _load(self, row: dict[str, Any]) -> None:
        self.name.setText(row["name"])
        self.brand.setCurrentText(row["brand"] or "")
        for key, edit in self.edits.items():
            edit.setText(row[key] or "")
        self.workers.setValue(UNKNOWN_WORKERS if row["workers"] is None else int(row["workers"]))
        self.org.set_value(row["organization"])
        self.officer.setText(row["guidance_officer"] or "")
        self.notes.setPlainText(row["notes"] or "")
        self.original = self.values()

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name.text().strip() or None,
                               "brand": self.brand.currentText().strip() or None}
        for key, edit in self.edits.items():
            out[key] = edit.text().strip() or None
        out["workers"] = None if self.workers.value() == UNKNOWN_WORKERS else self.workers.value()
        out["organization"] = self.org.value()
        out["guidance_officer"] = self.officer.text().strip() or None
        out["notes"] = self.notes.toPlainText().strip() or None
        return out

    def save(self) -> None:
        values = self.values()
        try:
            if self.outlet is None:
                add_outlet(self.reg, **values)
            else:
                changes = {k: v for k, v in values.items() if v != self.original.get(k)}
                if changes:
                    edit_outlet(self.reg, self.outlet[0], self.outlet[1], **changes)
        except UserError as exc:
            self.error.setText(exc.message)
            return
        self.outlet = (values["name"] or "", values["brand"])
        self.accept()
