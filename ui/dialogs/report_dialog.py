"""The reports dialog: choose a report, preview its PDF, then print it, save it or export its figures to Excel."""

from __future__ import annotations

from dataclasses import dataclass, replace
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
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QRadioButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from registry import scratch
from registry.display import cn_moment
from registry.errors import UserError
from registry.paths import data_dir, private_dir
from registry.reports.figures_xlsx import export_monthly_figures
from registry.reports.monthly import build_monthly_pdf, monthly_figures
from registry.reports.output import reporting_unit
from registry.reports.periods import Period, month_period, parse_half
from registry.reports.person import build_person_pdf, write_person_report
from registry.reports.roster import build_roster_pdf, describe_filter, write_roster_report
from registry.services.flowing import list_transfers
from registry.services.history import record_reveal
from registry.services.organizations import list_orgs, subtree_ids
from registry.services.people import get_person
from registry.services.search import PeopleFilter, search_people
from registry.services.submissions import (
    apply_submitted,
    find_submission,
    reprint,
    stored_pdf,
    submit,
    write_report,
)
from registry.storage.database import Registry
from ui import file_dialogs
from ui.worker import own_connection, run_in_background, show_error

KINDS = (("monthly", "月报"), ("halfmonth", "半月通报"), ("roster", "花名册"), ("form", "党员信息登记表"),
         ("record", "发展党员纪实"))
PERIODIC, PERSONAL = ("monthly", "halfmonth"), ("form", "record")
ORDERS = (("stroke", "按姓氏笔画"), ("pinyin", "按拼音"))
ZOOMS = (("适合宽度", QPdfView.ZoomMode.FitToWidth), ("整页", QPdfView.ZoomMode.FitInView), ("50%", 0.5),
         ("75%", 0.75), ("100%", 1.0), ("125%", 1.25), ("150%", 1.5), ("200%", 2.0))
PRINT_DPI = 300  # pages are printed as images: sharp enough, and an A4 page stays ~35 MB in memory
NOTE_STYLE = "color: #5f5f5f;"


@dataclass(frozen=True)
class ReportRequest:
    """Everything one report is made from; the preview shown is always for exactly one request."""

    kind: str
    label: str  # 月报（2026年11月） — for titles and file names
    period: Period | None = None
    org: str | None = None
    people: PeopleFilter | None = None
    order: str = "stroke"
    show_id: bool = False
    person_id: int | None = None


def build_preview(reg: Registry, req: ReportRequest, out: Path) -> dict[str, Any] | None:
    """The report laid out at `out` exactly as saving would, but with no audit row: it is a throwaway preview.

    Returns the figures of a monthly / half-monthly report (for the Excel export), else None.
    """
    if req.kind in PERIODIC:
        assert req.period is not None
        found = find_submission(reg, req.kind, req.period.start, req.period.end, req.org)
        if found is not None:  # a submitted report is frozen: what is shown is the PDF that was submitted
            out.write_bytes(stored_pdf(reg, found["id"]))
            return {**found["figures"], "submitted": True, "submission": submission_note(found)}
        figures = monthly_figures(reg, req.period.start, req.period.end, req.org)
        apply_submitted(reg, figures, req.kind, req.period, req.org)  # 上期末 as submitted, with 差异说明
        build_monthly_pdf(figures, out)
        return figures
    if req.kind == "roster":
        f = req.people or PeopleFilter()
        people = search_people(reg, f, order=req.order)
        if req.show_id:  # full numbers on screen are a reveal too, logged before they are shown
            record_reveal(reg, f"{req.label}（预览）", len(people), "报表预览")
        build_roster_pdf(people, out, unit=reporting_unit(reg, req.org),
                         on=date.today(), show_id=req.show_id, scope=describe_filter(f))
        return None
    person = get_person(reg, req.person_id or 0)
    if req.show_id:
        record_reveal(reg, f"{req.label}（预览）", 1, "报表预览")
    transfers = list_transfers(reg, person["id"]) if req.kind == "record" else []
    build_person_pdf(person, out, kind=req.kind, show_id=req.show_id, transfers=transfers,
                     unit=person.get("organization") or reporting_unit(reg, None), on=date.today())
    return None


def submission_note(found: dict[str, Any]) -> dict[str, Any]:
    return {k: found[k] for k in ("id", "submitted_at", "operator", "sha256")}


def save_report(reg: Registry, req: ReportRequest, out: Path) -> None:
    """The report saved at `out` through the registry, which records the export in the audit log."""
    if req.kind in PERIODIC:
        assert req.period is not None
        found = find_submission(reg, req.kind, req.period.start, req.period.end, req.org, with_figures=False)
        if found is not None:  # saved as submitted, byte for byte
            reprint(reg, found["id"], out)
        else:
            write_report(reg, out, req.period, req.org)
    elif req.kind == "roster":
        write_roster_report(reg, out, req.people, order=req.order, show_id=req.show_id, org=req.org)
    else:
        # By database id, which get_person takes as well as an ID number (the hint says str).
        key: Any = req.person_id
        write_person_report(reg, key, out, kind=req.kind, show_id=req.show_id)


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
        self.resize(1100, 800)
        layout = QHBoxLayout(self)
        layout.addWidget(self._parameters())
        layout.addLayout(self._viewer(), 1)
        self._kind_changed()

    # Layout ----------------------------------------------------------------------------------------
    def _parameters(self) -> QWidget:
        self.panel = QWidget()
        self.panel.setFixedWidth(310)
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
        self.half.addItems(["上半月（1日至15日）", "下半月（16日至月底）"])
        self.half.setCurrentIndex(0 if date.today().day <= 15 else 1)
        self.org = QComboBox()
        self.org.addItem("全部", None)
        self.org_ids = {o["name"]: o["id"] for o in list_orgs(self.reg)}
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
        column = QVBoxLayout(self.panel)
        column.setContentsMargins(0, 0, 0, 0)
        for w in (kinds, _group("统计期间", [("月份：", self.month), ("半月：", self.half)]),
                  _group("范围", [("党组织：", self.org), ("", self.filter_note)]),
                  _group("选项", [("排序：", self.order), ("", self.show_id), ("", self.id_note)]),
                  self.generate_button, self.status):
            column.addWidget(w)
        column.addStretch(1)
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
        column = QVBoxLayout()
        column.addLayout(_row(self.previous_button, self.next_button, self.page_label, None, QLabel("缩放："),
                              self.zoom))
        column.addWidget(self.stack, 1)
        column.addLayout(_row(self.print_button, self.save_button, self.excel_button, self.submit_button, None,
                              self.archive_button, close))
        return column

    # Parameters ------------------------------------------------------------------------------------
    def kind(self) -> str:
        return KINDS[max(0, self.kind_group.checkedId())][0]

    def _kind_changed(self) -> None:
        kind = self.kind()
        self.month.setEnabled(kind in PERIODIC)
        self.half.setEnabled(kind == "halfmonth")
        self.org.setEnabled(kind in (*PERIODIC, "roster"))
        self.filter_note.setEnabled(kind == "roster")
        self.order.setEnabled(kind == "roster")
        self.show_id.setEnabled(kind not in PERIODIC)
        self._show_state()

    def current_request(self) -> ReportRequest:
        """The report the parameters on the left describe."""
        kind, org = self.kind(), self.org.currentData()
        label = dict(KINDS)[kind]
        if kind in PERIODIC:
            day = self.month.date().toPython()
            period = (month_period(day) if kind == "monthly"
                      else parse_half(f"{day.year}-{day.month}-{self.half.currentIndex() + 1}"))
            return ReportRequest(kind, f"{label}（{period.label}）", period=period, org=org)
        show_id = self.show_id.isChecked()
        if kind == "roster":
            org_ids = subtree_ids(self.reg, self.org_ids[org]) if org else None
            return ReportRequest(kind, f"{label}（{date.today():%Y%m%d}）", org=org, show_id=show_id,
                                 people=replace(self.initial_filter, org_ids=org_ids),
                                 order=self.order.currentData())
        assert self.person is not None
        return ReportRequest(kind, f"{label}（{self.person['name']}）", show_id=show_id, person_id=self.person["id"])

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
                          title=f"正在生成{dict(KINDS)[req.kind]}", cancellable=False)

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
        out = self._ask_file("另存为PDF", f"{req.label}.pdf", "PDF 文件 (*.pdf)", ".pdf")
        if out is not None:
            self._write("正在保存PDF", out, save_report, req)

    def export_excel(self) -> None:
        figures, req = self.figures, self.request
        if figures is None or req is None:
            return
        out = self._ask_file("导出数据到Excel", f"{req.label}数据.xlsx", "Excel 工作簿 (*.xlsx)", ".xlsx")
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
