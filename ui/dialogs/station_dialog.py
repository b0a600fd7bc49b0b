"""Add or edit a care station (暖蜂驿站, 江城蜂巢 …): services as checkboxes, the class only for types graded by it."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QWidget,
)

from registry.errors import UserError
from registry.rules.care import CLASSES
from registry.services.stations import (
    STATION_LABELS,
    add_station,
    edit_station,
    list_stations,
    require_station,
    set_visits,
    station_services,
    station_types,
)
from registry.storage.database import Registry
from ui.dialogs.form_parts import FormDialog, date_field, finish_form, hinted_field, phone_hint, show_hint
from ui.widgets.flow_layout import FlowLayout

NO_CLASS = "（不分类）"
TEXT_FIELDS = ("address", "district", "street", "community", "host_unit", "opening_hours", "contact")
PLACEHOLDERS = {"address": "如 沙河街道白石洲路1号", "street": "如 沙河街道", "community": "如 白石洲社区",
                "host_unit": "企业、网点或社区党群服务中心", "opening_hours": "如 8:00-22:00、全天24小时"}


class StationDialog(FormDialog):
    """station None adds a station; otherwise edits the station with that id. Saves through the services."""

    def __init__(self, reg: Registry, station: int | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reg = reg
        self.station = station
        self.original: dict[str, Any] = {}
        self.setWindowTitle("新增驿站" if station is None else "编辑驿站")
        self.types = {t.name: t.uses_class for t in station_types(reg)}
        form = QFormLayout()
        self.name = QLineEdit()
        self.name.setPlaceholderText("如“白石洲暖蜂驿站”")
        form.addRow(STATION_LABELS["name"], self.name)
        self.type = QComboBox()
        self.type.addItems(list(self.types))
        form.addRow(STATION_LABELS["type"], self.type)
        self.klass = QComboBox()
        self.klass.addItems([NO_CLASS, *CLASSES])
        self.klass.setToolTip("只有分类的驿站类型（如江城蜂巢）才填一类、二类或三类")
        form.addRow(STATION_LABELS["class"], self.klass)
        self.type.currentTextChanged.connect(self._type_changed)
        self.edits: dict[str, QLineEdit] = {}
        for key in TEXT_FIELDS:
            self.edits[key] = QLineEdit()
            self.edits[key].setPlaceholderText(PLACEHOLDERS.get(key, ""))
            form.addRow(STATION_LABELS[key], self.edits[key])
        box = QWidget()
        flow = self._flow = FlowLayout(box, spacing=8)
        self.services: dict[str, QCheckBox] = {}
        for name in station_services(reg):
            check = QCheckBox(name)
            self.services[name] = check
            flow.addWidget(check)
        form.addRow(STATION_LABELS["services"], box)
        self.phone, phone_note = hinted_field(form, STATION_LABELS["phone"], placeholder="手机或带区号的固定电话")
        self.phone.textChanged.connect(lambda text: show_hint(phone_note, *phone_hint(text)))
        self.opened, _ = date_field(form, STATION_LABELS["opened_on"])
        self.closed, _ = date_field(form, STATION_LABELS["closed_on"], placeholder="仍在使用则留空")
        self.notes = QPlainTextEdit()
        self.notes.setFixedHeight(56)
        form.addRow(STATION_LABELS["notes"], self.notes)
        self.error = finish_form(self, form, self.save, (620, 640))
        if station is not None:
            self._load(station)
        self._type_changed(self.type.currentText())
        self.mark_clean()

    def _type_changed(self, name: str) -> None:
        graded = self.types.get(name, False)
        self.klass.setEnabled(graded)
        if not graded:
            self.klass.setCurrentIndex(0)

    def _load(self, station: int) -> None:
        require_station(self.reg, station)
        row = next(r for r in list_stations(self.reg) if r["id"] == station)
        if row["type"] not in self.types:  # a type no longer listed still shows as stored
            self.types[row["type"]] = bool(row["class_"])
            self.type.addItem(row["type"])
        self.name.setText(row["name"])
        self.type.setCurrentText(row["type"])
        self._type_changed(row["type"])
        self.klass.setCurrentText(row["class_"] or NO_CLASS)
        for key, edit in self.edits.items():
            edit.setText(row[key] or "")  # type: ignore[literal-required]
        for name in row["services"]:
            if name not in self.services:  # a service no longer listed still shows as stored
                self.services[name] = QCheckBox(name)
                self._flow.addWidget(self.services[name])
            self.services[name].setChecked(True)
        self.phone.setText(row["phone"] or "")
        self.opened.setText(row["opened_on"] or "")
        self.closed.setText(row["closed_on"] or "")
        self.notes.setPlainText(row["notes"] or "")
        self.original = self.values()

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name.text().strip() or None, "type": self.type.currentText() or None,
                               "class": None if self.klass.currentText() == NO_CLASS else self.klass.currentText()}
        for key, edit in self.edits.items():
            out[key] = edit.text().strip() or None
        out["services"] = [name for name, check in self.services.items() if check.isChecked()]
        out["phone"] = self.phone.text().strip() or None
        out["opened_on"] = self.opened.text().strip() or None
        out["closed_on"] = self.closed.text().strip() or None
        out["notes"] = self.notes.toPlainText().strip() or None
        return out

    def save(self) -> None:
        values = self.values()
        try:
            if self.station is None:
                self.station = add_station(self.reg, **values)
            else:
                changes = {k: v for k, v in values.items() if v != self.original.get(k)}
                if changes:
                    edit_station(self.reg, self.station, None, **changes)
        except UserError as exc:
            self.error.setText(exc.message)
            return
        self.accept()


class VisitsDialog(FormDialog):
    """A station's 服务人次 for one month."""

    def __init__(self, reg: Registry, station: int, month: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reg, self.station = reg, station
        row = require_station(reg, station)
        self.setWindowTitle(f"登记服务人次：{row['name']}")
        form = QFormLayout()
        self.month = QLineEdit(month)
        self.month.setPlaceholderText("如 2026-11")
        form.addRow("月份", self.month)
        self.count = QSpinBox()
        self.count.setRange(0, 10_000_000)
        self.count.setSuffix(" 人次")
        known = {v: c for v, c in reg.conn.execute("SELECT month, count FROM care_visits WHERE station_id = ?",
                                                     (station,))}
        self.known = known
        self.count.setValue(int(known.get(month, 0)))
        form.addRow("服务人次", self.count)
        self.error = finish_form(self, form, self.save, (360, 0), scroll=False)
        self.mark_clean()

    def save(self) -> None:
        if not self.is_dirty() and self.month.text() not in self.known:
            self.accept()  # nothing typed for a month without a figure: no 0 is recorded
            return
        try:
            set_visits(self.reg, self.station, self.month.text(), self.count.value())
        except UserError as exc:
            self.error.setText(exc.message)
            return
        self.accept()
