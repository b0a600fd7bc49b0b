"""Import a station list (驿站名单): pick a file, see what would change and every problem, then import or undo."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from registry.errors import UserError
from registry.importing.stations import (
    PREVIEW_HEADERS,
    StationPreview,
    import_stations,
    preview_station_import,
    undo_station_import,
)
from registry.storage.database import Registry
from ui import file_dialogs
from ui.dialogs.form_parts import BAD_STYLE, NOT_FORM_DATA, OK_STYLE
from ui.fit import fit_dialog

FILE_FILTER = "表格文件 (*.xlsx *.xlsm *.xls *.ods *.csv)"


class StationImportDialog(QDialog):
    """Preview first (nothing changes), then 导入 in one operation; 撤销这次导入 takes it back."""

    def __init__(self, reg: Registry, parent: QWidget | None = None, path: Path | None = None) -> None:
        super().__init__(parent)
        self.reg = reg
        self.path: Path | None = None
        self.preview: StationPreview | None = None
        self.imported: int | None = None  # the operation of the import made here
        self.setWindowTitle("导入驿站名单")
        pick = QPushButton("选择文件…")
        pick.clicked.connect(self.choose)
        self.file = QLabel("请选择驿站名单（Excel或CSV）。同名同社区的驿站按文件更新，其余新增；先预览，确认后再导入。")
        self.file.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.file, 1)
        top.addWidget(pick)
        self.add_types = QCheckBox("添加新类型")
        self.add_services = QCheckBox("添加新服务项目")
        for check in (self.add_types, self.add_services):
            check.setProperty(NOT_FORM_DATA, True)
            check.toggled.connect(self.refresh)
        options = QHBoxLayout()
        options.addWidget(self.add_types)
        options.addWidget(self.add_services)
        options.addStretch(1)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, len(PREVIEW_HEADERS))
        self.table.setHorizontalHeaderLabels(list(PREVIEW_HEADERS))
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.problems = QPlainTextEdit()
        self.problems.setReadOnly(True)
        self.problems.setPlaceholderText("问题清单（电话无效、未知类型、未知服务项目、重复的行等）会列在这里。")
        self.problems.setMaximumHeight(120)
        buttons = QDialogButtonBox()
        self.apply_button = buttons.addButton("导入", QDialogButtonBox.ButtonRole.AcceptRole)
        self.apply_button.clicked.connect(self.apply)
        self.undo_button = buttons.addButton("撤销这次导入", QDialogButtonBox.ButtonRole.ActionRole)
        self.undo_button.clicked.connect(self.undo)
        close = buttons.addButton("关闭", QDialogButtonBox.ButtonRole.RejectRole)
        close.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(options)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(QLabel("问题清单："))
        layout.addWidget(self.problems)
        layout.addWidget(buttons)
        fit_dialog(self, (820, 560))
        if path is not None:
            self.load(path)
        self._buttons()

    def _buttons(self) -> None:
        can = self.preview is not None and self.imported is None and any(
            line.action in ("add", "update") for line in self.preview.lines)
        self.apply_button.setEnabled(can)
        self.undo_button.setVisible(self.imported is not None)

    def choose(self) -> None:
        names, _ = file_dialogs.get_open_file_names(self, "选择驿站名单", str(Path.home()), FILE_FILTER)
        if names:
            self.load(Path(names[0]))

    def load(self, path: Path) -> None:
        self.path, self.imported = Path(path), None
        self.file.setText(f"文件：{self.path.name}")
        self.refresh()

    def refresh(self) -> None:
        if self.path is None or self.imported is not None:
            return
        try:
            # A station list is a few hundred rows: read at once, no background work needed.
            preview = preview_station_import(self.reg, self.path, add_types=self.add_types.isChecked(),
                                             add_services=self.add_services.isChecked())
        except UserError as exc:
            self.preview = None
            self._show_error(exc.message)
            return
        self._show(preview, "预览（尚未导入）：")

    def _show_error(self, message: str) -> None:
        self.summary.setText(message)
        self.summary.setStyleSheet(BAD_STYLE)
        self.table.setRowCount(0)
        self.problems.setPlainText("")
        self._buttons()

    def _show(self, preview: StationPreview, lead: str) -> None:
        self.preview = preview
        self.summary.setText(lead + preview.summary())
        self.summary.setStyleSheet(OK_STYLE if self.imported else "")
        rows = preview.table()
        self.table.setRowCount(len(rows))
        for r, cells in enumerate(rows):
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setToolTip(text if len(text) > 12 else "")
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        self.problems.setPlainText("\n".join(("错误：" if p.level == "error" else "提示：") + p.sentence()
                                             for p in preview.problems))
        self._buttons()

    def apply(self) -> None:
        if self.path is None:
            return
        try:
            done = import_stations(self.reg, self.path, add_types=self.add_types.isChecked(),
                                   add_services=self.add_services.isChecked())
        except UserError as exc:
            self._show_error(exc.message)
            return
        self.imported = done.operation_id
        self._show(done, "已导入：")
        self.setResult(QDialog.DialogCode.Accepted)

    def undo(self) -> None:
        if self.imported is None:
            return
        try:
            count = undo_station_import(self.reg, self.imported)
        except UserError as exc:
            self.summary.setText(exc.message)
            self.summary.setStyleSheet(BAD_STYLE)
            return
        self.imported = None
        self.summary.setText(f"已撤销这次导入，恢复或删除了{count}项。")
        self.preview = None
        self.table.setRowCount(0)
        self._buttons()

    def reject(self) -> None:
        # Closing after an import still tells the page that data changed.
        if self.result() == QDialog.DialogCode.Accepted:
            self.done(QDialog.DialogCode.Accepted)
        else:
            super().reject()
