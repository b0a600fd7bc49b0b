"""The reports dialog: choose a report, preview its PDF, then print it, save it or export its figures to Excel."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QDate,
    QIODevice,
    QMargins,
    QPointF,
    QRectF,
    QSize,
    QStandardPaths,
    Qt,
)
from PySide6.QtGui import QColor, QPageLayout, QPageSize, QPainter, QPalette
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from registry import scratch
from registry.display import cn_moment
from registry.errors import UserError
from registry.paths import data_dir, private_dir
from registry.reports.choices import (
    HALVES,
    KIND_BY_KEY,
    ORDERS,
    PERIODIC,
    PERSONAL,
    REPORT_KINDS,
    ReportRequest,
    build_preview,
    report_request,
    save_report,
    submission_note,
)
from registry.reports.figures_xlsx import export_monthly_figures
from registry.reports.roster import describe_filter
from registry.services.organizations import list_orgs
from registry.services.people import get_person
from registry.services.search import PeopleFilter
from registry.services.submissions import find_submission, submit
from registry.storage.database import Registry
from ui import file_dialogs
from ui.fit import fit_dialog
from ui.worker import own_connection, run_in_background, show_error

KINDS = tuple((k.key, k.label) for k in REPORT_KINDS)  # (key, label), in the order the dialog lists them
ZOOMS = (("适合宽度", QPdfView.ZoomMode.FitToWidth), ("整页", QPdfView.ZoomMode.FitInView), ("50%", 0.5),
         ("75%", 0.75), ("100%", 1.0), ("125%", 1.25), ("150%", 1.5), ("200%", 2.0))
PANEL_WIDTH = 250  # the choices on the left; the preview takes the rest
DEFAULT_SIZE = QSize(1100, 800)
PRINT_DPI = 300  # pages are printed as images: sharp enough, and an A4 page stays ~35 MB in memory
NOTE_STYLE = "color: #5f5f5f;"


def print_pdf(doc: QPdfDocument, printer: QPrinter, pages: range, progress: QProgressDialog | None = None) -> bool:
    """Each page rendered and scaled onto a whole sheet (the PDF has its own margins); False if cancelled."""
    printer.setFullPage(True)
    painter = QPainter()
    if not painter.begin(printer):
        raise UserError("无法开始打印，请检查打印机是否已连接、已开机，或在打印对话框中另选一台打印机。")
    try:
        for n, page in enumerate(pages):
            if progress is not None:
                progress.setValue(n)
                if progress.wasCanceled():
                    printer.abort()
                    return False
            if n:
                printer.newPage()
            sheet = QRectF(printer.pageLayout().fullRectPixels(printer.resolution()))
            points = doc.pagePointSize(page)
            dpi = min(printer.resolution(), PRINT_DPI)
            image = doc.render(page, QSize(round(points.width() / 72 * dpi), round(points.height() / 72 * dpi)))
            size = points.scaled(sheet.size(), Qt.AspectRatioMode.KeepAspectRatio)
            target = QRectF(QPointF(), size)
            target.moveCenter(sheet.center())
            painter.fillRect(target, Qt.GlobalColor.white)  # the rendered page may be transparent
            painter.drawImage(target, image)
    finally:
        painter.end()
    return True


def _note(text: str = "", style: str = NOTE_STYLE) -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    label.setStyleSheet(style)
    return label


def _group(title: str, rows: list[tuple[str, QWidget]]) -> QGroupBox:
    box = QGroupBox(title)
    form = QFormLayout(box)
    for label, widget in rows:
        form.addRow(label, widget) if label else form.addRow(widget)
    return box


def _row(*items: QWidget | None) -> QHBoxLayout:
    """Widgets side by side; None is the stretch between the left and the right group."""
    row = QHBoxLayout()
    for item in items:
        row.addStretch(1) if item is None else row.addWidget(item)
    return row


class ReportDialog(QDialog):
    """Reports with a preview; opened from the roster with its filter and, optionally, the selected person."""

    def __init__(self, reg: Registry, parent: QWidget | None = None, *, initial_filter: PeopleFilter | None = None,
                 person_id: int | None = None) -> None:
        super().__init__(parent)
        self.reg = reg
        self.initial_filter = initial_filter or PeopleFilter()
        self.person = get_person(reg, person_id) if person_id is not None else None
        self.request: ReportRequest | None = None  # what the preview shows
        self.figures: dict[str, Any] | None = None
        self.preview: Path | None = None  # the file the shown preview was built in; removed once it is read
        self._pdf = QBuffer(self)  # the document reads from memory: no file is held open (Windows could not delete it)
        self.printer: QPrinter | None = None
        # Previews hold personal data: scratch files in a private folder, swept at the next start after a kill.
        self.tmp = private_dir(data_dir() / "preview")
        self._busy = False
        self.setWindowTitle("报表")
        self.setSizeGripEnabled(True)
        top = QHBoxLayout()
        top.addWidget(self._parameters())
        top.addLayout(self._viewer(), 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top, 1)
        layout.addWidget(self.status)  # the whole width: the longest sentence still takes one or two lines
        layout.addLayout(self.buttons)
        self._kind_changed()
        self._preferred = DEFAULT_SIZE
        fit_dialog(self, (DEFAULT_SIZE.width(), DEFAULT_SIZE.height()))
        self._preferred = self.size()

    def sizeHint(self) -> QSize:
        """As large as when last closed: a preview wants room, and whoever opens the dialog bounds it to the screen."""
        return self._preferred

    # Layout ----------------------------------------------------------------------------------------
    def _parameters(self) -> QWidget:
        """The choices on the left: they scroll on a low screen, with 生成预览 always below them."""
        self.panel = QWidget()
        options = QWidget()
        options.setFixedWidth(PANEL_WIDTH)
        kinds = QGroupBox("报表类型")
        box = QVBoxLayout(kinds)
        self.kind_group = QButtonGroup(self)
        name = f"（{self.person['name']}）" if self.person else ""
        for i, (key, text) in enumerate(KINDS):
            button = QRadioButton(text + (name if key in PERSONAL else ""))
            button.setEnabled(key not in PERSONAL or self.person is not None)
            button.setToolTip("" if button.isEnabled() else "请先在花名册中选中一个人员，再打开报表。")
            self.kind_group.addButton(button, i)
            box.addWidget(button)
        self.kind_group.button(0).setChecked(True)
        self.kind_group.idToggled.connect(lambda _i, on: on and self._kind_changed())
        self.month = QDateEdit(QDate.currentDate())
        self.month.setDisplayFormat("yyyy年MM月")
        self.month.setCalendarPopup(True)
        self.half = QComboBox()
        for n, text in HALVES:
            self.half.addItem(text, n)
        self.half.setCurrentIndex(0 if date.today().day <= 15 else 1)
        self.org = QComboBox()
        self.org.addItem("全部", None)
        for org in list_orgs(self.reg):
            self.org.addItem("　" * org["depth"] + org["name"], org["name"])
            if org["id"] == (self.initial_filter.org_ids or [None])[0]:  # the roster's tree selection
                self.org.setCurrentIndex(self.org.count() - 1)
        self.org.setMinimumContentsLength(12)
        described = describe_filter(self.initial_filter)
        self.filter_note = _note(f"花名册同时按花名册页面当前的条件筛选：{described}。" if described else "")
        self.filter_note.setVisible(bool(described))
        self.order = QComboBox()
        for key, text in ORDERS:
            self.order.addItem(text, key)
        self.show_id = QCheckBox("显示完整身份证号")
        self.id_note = _note("含完整身份证号的报表属于敏感个人信息，打印和保存后请妥善保管。", "color: #b26a00;")
        self.generate_button = QPushButton("生成预览")
        self.generate_button.setDefault(True)
        self.generate_button.setMinimumHeight(36)
        self.generate_button.clicked.connect(self.generate)
        self.status = _note("请选择报表和统计期间，然后点击“生成预览”。")
        column = QVBoxLayout(options)
        column.setContentsMargins(0, 0, 0, 0)
        for w in (kinds, _group("统计期间", [("月份：", self.month), ("半月：", self.half)]),
                  _group("范围", [("党组织：", self.org), ("", self.filter_note)]),
                  _group("选项", [("排序：", self.order), ("", self.show_id), ("", self.id_note)])):
            column.addWidget(w)
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(options)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setFixedWidth(PANEL_WIDTH + scroll.verticalScrollBar().sizeHint().width() + 2)
        scroll.setMinimumHeight(120)
        self.options_scroll = scroll
        left = QVBoxLayout(self.panel)
        left.setContentsMargins(0, 0, 0, 0)
        left.addWidget(scroll, 1)
        left.addWidget(self.generate_button)
        for signal in (self.month.dateChanged, self.half.currentIndexChanged, self.org.currentIndexChanged,
                       self.order.currentIndexChanged, self.show_id.toggled):
            signal.connect(self._show_state)
        return self.panel

    def _viewer(self) -> QVBoxLayout:
        self.document = QPdfDocument(self)
        self.view = QPdfView()
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setDocument(self.document)
        self.view.setDocumentMargins(QMargins(18, 18, 18, 18))
        self.view.setPageSpacing(14)
        palette = self.view.palette()
        palette.setColor(QPalette.ColorRole.Dark, QColor("#7d838b"))  # the desk the pages lie on
        self.view.setPalette(palette)
        self.view.pageNavigator().currentPageChanged.connect(self._show_page)
        self.placeholder = QLabel("报表预览将显示在这里。")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setStyleSheet("color: #777; font-size: 15px; background: #f2f2f2;")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.placeholder)
        self.stack.addWidget(self.view)
        self.previous_button, self.next_button = QPushButton("上一页"), QPushButton("下一页")
        self.previous_button.clicked.connect(lambda: self.go_to(self.current_page() - 1))
        self.next_button.clicked.connect(lambda: self.go_to(self.current_page() + 1))
        self.page_label = QLabel()
        self.zoom = QComboBox()
        self.zoom.setToolTip("缩放")
        self.zoom.addItems([text for text, _ in ZOOMS])
        self.zoom.currentIndexChanged.connect(self._zoom)
        self._zoom()
        self.print_button, self.save_button = QPushButton("打印…"), QPushButton("另存为PDF…")
        self.excel_button, close = QPushButton("导出数据到Excel…"), QPushButton("关闭")
        self.submit_button, self.archive_button = QPushButton("报送/存档…"), QPushButton("报送存档…")
        self.submit_button.setToolTip("把当前预览的月报或半月通报报送并存档：报送后本期报表将被锁定。")
        self.archive_button.setToolTip("查看已报送的报表，按报送时的原样重新打印或另存为PDF。")
        for button, slot in ((self.print_button, self.print_report), (self.save_button, self.save_pdf),
                             (self.excel_button, self.export_excel), (self.submit_button, self.submit_report),
                             (self.archive_button, self.open_archive), (close, self.reject)):
            button.clicked.connect(slot)
        self.stack.setMinimumSize(200, 120)  # the preview gives way on a small screen; the pages scroll inside it
        column = QVBoxLayout()
        column.addLayout(_row(self.previous_button, self.next_button, self.page_label, None, self.zoom))
        column.addWidget(self.stack, 1)
        # Below everything and across the whole width, so that no screen hides them.
        self.buttons = _row(self.print_button, self.save_button, self.excel_button, self.submit_button, None,
                            self.archive_button, close)
        return column

    # Parameters ------------------------------------------------------------------------------------
    def kind(self) -> str:
        return KINDS[max(0, self.kind_group.checkedId())][0]

    def _kind_changed(self) -> None:
        kind = self.kind()
        chosen = KIND_BY_KEY[kind]
        self.month.setEnabled(chosen.periodic)
        self.half.setEnabled(chosen.period == "half")
        self.org.setEnabled(chosen.scope in ("org", "roster"))
        self.filter_note.setEnabled(kind == "roster")
        self.order.setEnabled(kind == "roster")
        self.show_id.setEnabled(chosen.full_ids)
        self._show_state()

    def current_request(self) -> ReportRequest:
        """The report the parameters on the left describe."""
        kind = self.kind()
        return report_request(self.reg, kind, month=self.month.date().toPython(), half=self.half.currentData(),
                              org=self.org.currentData(), people=self.initial_filter, order=self.order.currentData(),
                              show_id=self.show_id.isChecked(), person=self.person)

    def _show_state(self) -> None:
        loaded = self.request is not None and not self._busy
        self.id_note.setVisible(self.show_id.isChecked() and self.show_id.isEnabled())
        self.panel.setEnabled(not self._busy)
        self.print_button.setEnabled(loaded)
        self.save_button.setEnabled(loaded)
        self.excel_button.setEnabled(loaded and self.figures is not None)
        self.excel_button.setVisible(self.kind() in PERIODIC or self.figures is not None)
        submission = (self.figures or {}).get("submission") if self.figures and self.figures.get("submitted") else None
        periodic = self.request is not None and self.request.kind in PERIODIC
        self.submit_button.setVisible(self.kind() in PERIODIC or periodic)
        self.submit_button.setEnabled(loaded and periodic and self.figures is not None and submission is None)
        self.archive_button.setEnabled(not self._busy)
        if self.request is None or self._busy:
            return
        pages = self.document.pageCount()
        text = f"当前预览：{self.request.label}，共 {pages} 页。"
        if submission:
            text += (f"本期已于{cn_moment(submission['submitted_at'])}报送，显示、打印和保存的都是"
                     "报送存档中的原件（报送后的报表已锁定）。")
        if self.request != self.current_request():
            text += "左侧的选择已更改，点击“生成预览”查看新的报表；打印和保存的仍是当前预览的报表。"
        self.status.setText(text)

    # Preview ---------------------------------------------------------------------------------------
    def generate(self) -> None:
        req = self.current_request()
        out = scratch.temp_name(self.tmp)
        try:
            scratch.create_temp(out)
        except OSError:
            show_error(self, UserError("无法创建预览的临时文件，请检查磁盘空间后重试。"))
            return
        reg = self.reg
        self._set_busy(True)
        run_in_background(self, lambda _p, _c: own_connection(reg, build_preview, req, out),
                          lambda figures: self._loaded(req, out, figures), lambda exc: self._failed(exc, out),
                          title=f"正在生成{KIND_BY_KEY[req.kind].label}", cancellable=False)

    def _loaded(self, req: ReportRequest, out: Path, figures: dict[str, Any] | None) -> None:
        self.document.close()
        self._pdf.close()
        try:
            data = out.read_bytes()
        except OSError:
            data = b""
        scratch.remove_temp(out)  # the preview holds personal data: on disk only while it is being built
        self._pdf.setData(QByteArray(data))
        self._pdf.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(self._pdf)
        if not data or self.document.status() != QPdfDocument.Status.Ready:
            self.document.close()
            self.request = self.figures = self.preview = None
            self._set_busy(False)
            show_error(self, UserError("报表已生成，但无法显示预览。请关闭本窗口后重试。"))
            return
        self.preview = out
        self.request, self.figures = req, figures
        self.stack.setCurrentWidget(self.view)
        self._zoom()
        self.go_to(0)
        self._set_busy(False)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self._show_state()
        self._show_page()

    def _failed(self, exc: BaseException, out: Path | None = None) -> None:
        if out is not None:
            scratch.remove_temp(out)
        self._set_busy(False)
        show_error(self, exc)

    def done(self, result: int) -> None:
        if self._busy:  # not while a report is being written
            return
        self.document.close()
        self._pdf.close()
        self.request = self.figures = self.preview = None
        self.stack.setCurrentWidget(self.placeholder)
        self._set_busy(False)
        super().done(result)

    # Navigation ------------------------------------------------------------------------------------
    def current_page(self) -> int:
        return self.view.pageNavigator().currentPage()

    def go_to(self, page: int) -> None:
        if 0 <= page < self.document.pageCount():
            self.view.pageNavigator().jump(page, QPointF(), self.view.pageNavigator().currentZoom())
        self._show_page()

    def _show_page(self) -> None:
        count = self.document.pageCount()
        page = self.current_page()
        self.page_label.setText(f"第 {page + 1} 页 共 {count} 页" if count else "")
        self.previous_button.setEnabled(count > 0 and page > 0)
        self.next_button.setEnabled(page + 1 < count)

    def _zoom(self) -> None:
        value = ZOOMS[self.zoom.currentIndex()][1]
        if isinstance(value, QPdfView.ZoomMode):
            self.view.setZoomMode(value)
        else:
            self.view.setZoomMode(QPdfView.ZoomMode.Custom)
            self.view.setZoomFactor(value)

    # Output ----------------------------------------------------------------------------------------
    def _ask_file(self, title: str, name: str, file_filter: str, suffix: str) -> Path | None:
        documents = QStandardPaths.StandardLocation.DocumentsLocation
        folder = QStandardPaths.writableLocation(documents) or str(Path.home())
        chosen, _ = file_dialogs.get_save_file_name(self, title, str(Path(folder) / name), file_filter)
        if not chosen:
            return None
        out = Path(chosen)
        return out if out.suffix.lower() == suffix else out.with_name(out.name + suffix)

    def _write(self, title: str, out: Path, use_case: Any, *args: Any) -> None:
        """Run use_case(reg, *args, out) in the background, on its own connection."""
        self._set_busy(True)
        reg = self.reg
        run_in_background(self, lambda _p, _c: own_connection(reg, use_case, *args, out),
                          lambda _r: self._written(out), self._failed, title=title, cancellable=False)

    def _written(self, out: Path) -> None:
        self._set_busy(False)
        QMessageBox.information(self, "保存完成", f"已保存到“{out}”。")

    def save_pdf(self) -> None:
        req = self.request
        if req is None:
            return
        out = self._ask_file("另存为PDF", req.file_name(".pdf"), "PDF 文件 (*.pdf)", ".pdf")
        if out is not None:
            self._write("正在保存PDF", out, save_report, req)

    def export_excel(self) -> None:
        figures, req = self.figures, self.request
        if figures is None or req is None:
            return
        out = self._ask_file("导出数据到Excel", req.file_name("数据.xlsx"), "Excel 工作簿 (*.xlsx)", ".xlsx")
        if out is not None:
            self._write("正在导出数据", out, export_monthly_figures, figures)

    def submit_report(self) -> None:
        """报送 the previewed report: exactly the PDF on screen, with its figures; asked once, never undone."""
        req, figures = self.request, self.figures
        if req is None or figures is None or req.kind not in PERIODIC or req.period is None:
            return
        answer = QMessageBox.question(
            self, "报送/存档",
            f"报送后本期报表将被锁定：以后再打印或保存{req.label}，得到的都是现在预览的这份报表，"
            "下期报表的上期末数也以本次报送的数字为准；报送不能撤销。\n\n确定报送当前预览的报表吗？",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        data = bytes(self._pdf.data().data())
        period, reg = req.period, self.reg
        self._set_busy(True)
        run_in_background(self, lambda _p, _c: own_connection(reg, submit, req.kind, period, req.org, figures, data),
                          lambda sid: self._submitted(req, sid), self._failed, title="正在报送", cancellable=False)

    def _submitted(self, req: ReportRequest, submission_id: int) -> None:
        found = None
        if req.period is not None:
            found = find_submission(self.reg, req.kind, req.period.start, req.period.end, req.org, with_figures=False)
        if self.request == req and self.figures is not None and found is not None:
            self.figures = {**self.figures, "submitted": True, "submission": submission_note(found)}
        self._set_busy(False)
        QMessageBox.information(self, "报送完成", f"{req.label}已报送并存档（存档编号{submission_id}），本期报表已锁定。")

    def open_archive(self) -> None:
        from ui.dialogs.archive_dialog import ArchiveDialog

        ArchiveDialog(self.reg, self).exec()

    def print_report(self) -> None:
        count = self.document.pageCount()
        if self.request is None or not count:
            return
        if self.printer is None:
            self.printer = QPrinter(QPrinter.PrinterMode.HighResolution)
            self.printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        points = self.document.pagePointSize(0)
        self.printer.setPageOrientation(QPageLayout.Orientation.Landscape if points.width() > points.height()
                                        else QPageLayout.Orientation.Portrait)
        self.printer.setDocName(self.request.label)
        dialog = QPrintDialog(self.printer, self)
        dialog.setWindowTitle("打印")
        dialog.setMinMax(1, count)
        dialog.setOption(QAbstractPrintDialog.PrintDialogOption.PrintPageRange, True)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        first, last = 1, count
        if self.printer.printRange() == QPrinter.PrintRange.PageRange and self.printer.fromPage():
            first, last = max(1, self.printer.fromPage()), min(count, self.printer.toPage() or count)
        progress = QProgressDialog("正在发送到打印机…", "取消", 0, last - first + 1, self)
        progress.setWindowTitle("打印")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        try:
            print_pdf(self.document, self.printer, range(first - 1, last), progress)
        except UserError as exc:
            show_error(self, exc)
        finally:
            progress.close()
