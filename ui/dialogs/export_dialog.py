"""The roster export dialog: format, order, which people, full ID numbers or masked; then the file and a background export."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from registry.exporting.roster import export_roster
from registry.rules.categories import CATEGORIES, normalise_category
from registry.services.outlets import list_outlets
from registry.services.search import PeopleFilter, count_people
from registry.storage.database import Registry
from ui import file_dialogs
from ui.fit import fit_dialog
from ui.worker import own_connection, run_in_background, show_error

FORMATS = ((".xlsx", "Excel 花名册（.xlsx，上报用）", "Excel 工作簿 (*.xlsx)"), (".csv", "CSV 文本（.csv）", "CSV 文件 (*.csv)"))
ORDERS = (("stroke", "按姓氏笔画"), ("pinyin", "按拼音"))
FLOWING = (("全部", None), ("只看流动党员", True), ("只看非流动党员", False))
ALL_OUTLETS = "（全部网点）"


def _radios(choices: tuple[tuple[str, str], ...]) -> tuple[QWidget, QButtonGroup, list[QRadioButton]]:
    box, group, buttons = QWidget(), QButtonGroup(), []
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    for i, (_key, text) in enumerate(choices):
        button = QRadioButton(text)
        group.addButton(button, i)
        row.addWidget(button)
        buttons.append(button)
    row.addStretch(1)
    buttons[0].setChecked(True)
    return box, group, buttons


class ExportDialog(QDialog):
    """Export the roster; starts from the roster's current filter, which the user can still narrow or widen."""

    def __init__(self, reg: Registry, initial: PeopleFilter | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reg = reg
        self.initial = initial or PeopleFilter()
        self.exported: tuple[int, Path] | None = None
        self.setWindowTitle("导出花名册")
        format_box, self.format_group, self.format_buttons = _radios(tuple((s, t) for s, t, _ in FORMATS))
        order_box, self.order_group, self.order_buttons = _radios(ORDERS)
        self.format_group.setParent(self)
        self.order_group.setParent(self)
        self.categories = QListWidget()
        chosen = {normalise_category(c) or c for c in self.initial.categories}
        for category in CATEGORIES:
            item = QListWidgetItem(category)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if category in chosen else Qt.CheckState.Unchecked)
            self.categories.addItem(item)
        self.categories.setMaximumHeight(self.categories.sizeHintForRow(0) * len(CATEGORIES) + 8)
        self.flowing_box = QComboBox()
        for text, value in FLOWING:
            self.flowing_box.addItem(text, value)
        self.flowing_box.setCurrentIndex([v for _t, v in FLOWING].index(self.initial.flowing))
        self.outlet_box = QComboBox()
        self.outlet_box.setEditable(True)
        self.outlet_box.addItem(ALL_OUTLETS)
        names = sorted({o["name"] for o in list_outlets(reg)})
        self.outlet_box.addItems(names)
        self.outlet_box.setCurrentText(self.initial.outlet or ALL_OUTLETS)
        # Masked unless asked for: a roster sent round a WeChat group must not carry full numbers by accident.
        self.full_id_box = QCheckBox("完整身份证号")
        self.full_id_box.setToolTip("不勾选时身份证号打码，只显示前6位和后4位；勾选后导出完整号码，并记入操作日志")
        self.count_label = QLabel()
        self.count_label.setStyleSheet("font-weight: bold;")
        form = QFormLayout()
        form.addRow("文件格式：", format_box)
        form.addRow("排序：", order_box)
        form.addRow("人员类别：", self.categories)
        form.addRow("", self._note("都不勾选表示全部类别。"))
        form.addRow("流动党员：", self.flowing_box)
        form.addRow("网点：", self.outlet_box)
        form.addRow("身份证号：", self.full_id_box)
        form.addRow("", self._note("默认打码。上报用的花名册需要完整的身份证号时请勾选，导出会记入操作日志；"
                                   "发到微信群等场合请不要勾选。"))
        scope = self._scope_note()
        buttons = QDialogButtonBox()
        self.export_button = buttons.addButton("导出…", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.export)
        buttons.rejected.connect(self.reject)
        self.body = QWidget()  # disabled as a whole while the export runs
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        body.addLayout(form)
        if scope:
            body.addWidget(self._note(scope))
        body.addWidget(self.count_label)
        body.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.body)
        fit_dialog(self, (560, 0))
        self.categories.itemChanged.connect(self._update_count)
        self.flowing_box.currentIndexChanged.connect(self._update_count)
        self.outlet_box.currentTextChanged.connect(self._update_count)
        self._update_count()

    @staticmethod
    def _note(text: str) -> QLabel:
        label = QLabel(text)
        label.setWordWrap(True)
        label.setStyleSheet("color: #5f5f5f;")
        return label

    def _scope_note(self) -> str:
        """The parts of the roster's filter this dialog cannot show, which still apply."""
        parts = []
        if self.initial.text.strip():
            parts.append(f"搜索“{self.initial.text.strip()}”")
        if self.initial.brand:
            parts.append(f"快递品牌“{self.initial.brand}”")
        if self.initial.org_ids is not None:
            parts.append("左侧所选的党组织")
        return f"同时按花名册当前的条件筛选：{'、'.join(parts)}。" if parts else ""

    # Choices ---------------------------------------------------------------------------------------
    def suffix(self) -> str:
        return FORMATS[max(0, self.format_group.checkedId())][0]

    def order(self) -> str:
        return ORDERS[max(0, self.order_group.checkedId())][0]

    def people_filter(self) -> PeopleFilter:
        categories = [self.categories.item(i).text() for i in range(self.categories.count())
                      if self.categories.item(i).checkState() == Qt.CheckState.Checked]
        outlet = self.outlet_box.currentText().strip()
        return replace(self.initial, categories=categories, flowing=self.flowing_box.currentData(),
                       outlet=None if outlet in ("", ALL_OUTLETS) else outlet)

    def _update_count(self) -> None:
        n = count_people(self.reg, self.people_filter())
        self.count_label.setText(f"符合条件的人员：{n} 人")

    # Export ----------------------------------------------------------------------------------------
    def export(self) -> None:
        f, suffix, order, show_id = self.people_filter(), self.suffix(), self.order(), self.full_id_box.isChecked()
        if count_people(self.reg, f) == 0:
            QMessageBox.information(self, "导出花名册", "没有符合条件的人员，请调整人员类别、流动党员或网点的选择。")
            return
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
        default = str(Path(folder) / f"花名册_{date.today():%Y%m%d}{suffix}")
        file_filter = next(flt for s, _t, flt in FORMATS if s == suffix)
        name, _ = file_dialogs.get_save_file_name(self, "导出花名册", default, file_filter)
        if not name:
            return
        out = Path(name)
        if out.suffix.lower() not in (".xlsx", ".csv"):
            out = out.with_name(out.name + suffix)
        reg = self.reg
        self._busy(True)
        run_in_background(self, lambda _p, _c: own_connection(reg, export_roster, out, f=f, order=order, show_id=show_id),
                          lambda n: self._done(n, out), self._failed, title="正在导出花名册", cancellable=False)

    def _busy(self, busy: bool) -> None:
        self.body.setEnabled(not busy)

    def reject(self) -> None:
        if self.body.isEnabled():  # not while the export is being written
            super().reject()

    def _failed(self, exc: BaseException) -> None:
        self._busy(False)
        show_error(self, exc)

    def _done(self, n: int, out: Path) -> None:
        self._busy(False)
        self.exported = (n, out)
        QMessageBox.information(self, "导出完成", f"已导出{n}人到“{out}”。")
        self.accept()
