"""报送存档: the submitted reports, each reprinted or saved exactly as it was submitted."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QStandardPaths, Qt
from PySide6.QtGui import QPageLayout, QPageSize
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from registry.display import cn_moment
from registry.errors import UserError
from registry.services.submissions import KIND_LABELS, list_submissions, reprint, stored_pdf
from registry.storage.database import Registry
from ui import file_dialogs
from ui.fit import fit_dialog
from ui.worker import own_connection, run_in_background, show_error

HEADERS = ("编号", "报表", "统计期间", "党组织", "报送时间", "操作员", "校验码（SHA-256）")


def _cells(row: dict[str, Any]) -> tuple[str, ...]:
    return (str(row["id"]), KIND_LABELS.get(row["kind"], row["kind"]), row["period"]["label"],
            row["organization"] or "全部", cn_moment(row["submitted_at"]), row["operator"],
            row["sha256"][:16] + "…")


class ArchiveDialog(QDialog):
    """The list of submitted reports; 重新打印 and 另存为PDF hand out the stored PDF, never a recomputed one."""

    def __init__(self, reg: Registry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reg = reg
        self.rows: list[dict[str, Any]] = []
        self.printer: QPrinter | None = None
        self._busy = False
        self.setWindowTitle("报送存档")
        self.note = QLabel("报送后的报表已锁定：这里重新打印或另存的，都与报送时的PDF逐字节相同（校验码一致）。")
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #5f5f5f;")
        self.table = QTableWidget(0, len(HEADERS))
        self.table.setHorizontalHeaderLabels(HEADERS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._show_state)
        self.empty = QLabel("还没有报送过报表。在报表窗口中生成月报或半月通报的预览后，点击“报送/存档…”即可报送。")
        self.empty.setWordWrap(True)
        self.empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.print_button, self.save_button = QPushButton("重新打印…"), QPushButton("另存为PDF…")
        close = QPushButton("关闭")
        self.print_button.clicked.connect(self.print_selected)
        self.save_button.clicked.connect(self.save_selected)
        close.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        for button in (self.print_button, self.save_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty, 1)
        layout.addLayout(buttons)
        fit_dialog(self, (860, 480))
        self.reload()

    def reload(self) -> None:
        self.rows = list_submissions(self.reg)
        self.table.setRowCount(len(self.rows))
        for r, row in enumerate(self.rows):
            for c, text in enumerate(_cells(row)):
                item = QTableWidgetItem(text)
                if c == len(HEADERS) - 1:
                    item.setToolTip(row["sha256"])
                self.table.setItem(r, c, item)
        self.table.setVisible(bool(self.rows))
        self.empty.setVisible(not self.rows)
        if self.rows:
            self.table.selectRow(0)
        self._show_state()

    def selected(self) -> dict[str, Any] | None:
        rows = self.table.selectionModel().selectedRows()
        return self.rows[rows[0].row()] if rows else None

    def _show_state(self) -> None:
        chosen = self.selected() is not None and not self._busy
        self.print_button.setEnabled(chosen)
        self.save_button.setEnabled(chosen)

    def done(self, result: int) -> None:
        if self._busy:  # not while a file is being written
            return
        super().done(result)

    # Output ----------------------------------------------------------------------------------------
    def save_selected(self) -> None:
        row = self.selected()
        if row is None:
            return
        documents = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        start = Path(documents or Path.home()) / f"{row['title']}.pdf"
        chosen, _ = file_dialogs.get_save_file_name(self, "另存为PDF", str(start), "PDF 文件 (*.pdf)")
        if not chosen:
            return
        out = Path(chosen)
        out = out if out.suffix.lower() == ".pdf" else out.with_name(out.name + ".pdf")
        self._busy = True
        self._show_state()
        reg = self.reg
        run_in_background(self, lambda _p, _c: own_connection(reg, reprint, row["id"], out),
                          lambda _r: self._saved(out), self._failed, title="正在保存PDF", cancellable=False)

    def _saved(self, out: Path) -> None:
        self._busy = False
        self._show_state()
        QMessageBox.information(self, "保存完成", f"已按报送存档原样保存到“{out}”。")

    def _failed(self, exc: BaseException) -> None:
        self._busy = False
        self._show_state()
        show_error(self, exc)

    def print_selected(self) -> None:
        from ui.dialogs.report_dialog import print_pdf  # the report dialog opens this one: imported when used

        row = self.selected()
        if row is None:
            return
        try:
            data = stored_pdf(self.reg, row["id"])
        except UserError as exc:
            show_error(self, exc)
            return
        buffer = QBuffer(self)
        buffer.setData(QByteArray(data))
        buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        document = QPdfDocument(self)
        document.load(buffer)
        try:
            count = document.pageCount()
            if document.status() != QPdfDocument.Status.Ready or not count:
                show_error(self, UserError("无法读取存档中的这份报表，请改用“另存为PDF…”保存后再打印。"))
                return
            if self.printer is None:
                self.printer = QPrinter(QPrinter.PrinterMode.HighResolution)
                self.printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
            points = document.pagePointSize(0)
            self.printer.setPageOrientation(QPageLayout.Orientation.Landscape if points.width() > points.height()
                                            else QPageLayout.Orientation.Portrait)
            self.printer.setDocName(row["title"])
            dialog = QPrintDialog(self.printer, self)
            dialog.setWindowTitle("重新打印")
            dialog.setMinMax(1, count)
            dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintPageRange, True)
            if dialog.exec() != QDialog.DialogCode.Accepted:
                return
            first, last = 1, count
            if self.printer.printRange() == QPrinter.PrintRange.PageRange and self.printer.fromPage():
                first, last = max(1, self.printer.fromPage()), min(count, self.printer.toPage() or count)
            print_pdf(document, self.printer, range(first - 1, last))
        except UserError as exc:
            show_error(self, exc)
        finally:
            document.close()
            buffer.close()
