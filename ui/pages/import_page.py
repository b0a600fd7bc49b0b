"""Importing census sheets step by step: choose files, check sheets and columns, preview, apply, undo."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QDragEnterEvent, QDropEvent, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from registry.display import cn_moment
from registry.fields import IMPORT_FIELDS, OUTLET_FIELDS
from registry.importing.batches import batch_status, undo_batch
from registry.importing.readers import read_file
from registry.importing.remote import run_import
from registry.importing.service import ImportResult
from registry.importing.templates import save_mapping
from registry.importing.undo_counts import ask_undo, undo_result
from registry.storage.database import Registry
from ui import file_dialogs
from ui.pages.import_parts import (
    HEADING,
    NOTE,
    FieldCombo,
    ProblemFilter,
    ProblemModel,
    button_row,
    count_card,
    fit_columns,
    plain_table,
    save_problem_list,
    wrapped_label,
)
from ui.widgets.flow_layout import FlowLayout
from ui.worker import in_process, own_connection, run_in_background, show_error

STEPS = ("选择文件", "核对表格", "预览结果", "完成")
SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")
FILE_FILTER = "摸排表 (*.xlsx *.xlsm *.xls *.ods *.csv);;所有文件 (*)"
KIND_LABELS = {"people": "人员名单", "outlets": "网点清单"}
IGNORE = "（不导入）"
COUNTS = (("added", "新增"), ("updated", "更新"), ("unchanged", "未变"), ("rejected", "拒绝"),
          ("duplicates", "重复合并"))
SheetKey = tuple[str, str]


class ImportPage(QWidget):
    changed = Signal()

    def __init__(self, reg: Registry, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reg = reg
        self.paths: list[Path] = []
        self.mappings: dict[str, str] = {}  # header text -> field key ('' = do not import), for every sheet
        self.preview: ImportResult | None = None
        self.result: ImportResult | None = None
        self.undone = False
        self._headers: dict[SheetKey, list[str]] = {}  # every header seen per sheet, in first-seen order
        self._selected: SheetKey | None = None
        self._good: tuple[list[Path], dict[str, str]] = ([], {})  # files and mappings of the shown preview
        self._last_dir = str(Path.home())
        self.setAcceptDrops(True)
        self.steps = QLabel()
        self.steps.setStyleSheet("font-size: 15px; padding: 4px 2px 8px 2px;")
        self.steps.setWordWrap(True)
        self.stack = QStackedWidget()
        for build in (self._choose_step, self._sheets_step, self._preview_step, self._summary_step):
            self.stack.addWidget(build())
        layout = QVBoxLayout(self)
        layout.addWidget(self.steps)
        layout.addWidget(self.stack, 1)
        self._go(0)

    # Steps -----------------------------------------------------------------------------------------
    def _choose_step(self) -> QWidget:
        page = QWidget()
        self.drop_zone = QLabel("把摸排表拖到这里")
        self.drop_zone.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.drop_zone.setMinimumHeight(150)
        self.drop_zone.setStyleSheet("QLabel { border: 2px dashed #c99a92; border-radius: 12px; color: #8a4b42;"
                                     " font-size: 22px; background: #fffaf8; }")
        self.choose_button = QPushButton("选择文件…")
        self.choose_button.setMinimumSize(180, 40)
        self.choose_button.setStyleSheet("font-size: 15px;")
        self.choose_button.clicked.connect(self.choose_files)
        layout = QVBoxLayout(page)
        layout.addWidget(wrapped_label("导入摸排表", HEADING))
        layout.addWidget(wrapped_label("支持 Excel（.xlsx .xlsm .xls）、WPS/LibreOffice（.ods）和 .csv 文件，可以一次选多个。"
                                "导入前会先预览，确认无误后才写入；导入后也可以整批撤销。", NOTE))
        layout.addWidget(self.drop_zone, 1)
        layout.addLayout(button_row(None, self.choose_button, None))
        return page

    def _sheets_step(self) -> QWidget:
        page = QWidget()
        self.files_label = wrapped_label()
        self.sheets = plain_table(["文件", "工作表", "识别为", "表头行", "行数", "原因"])
        self.sheets.itemSelectionChanged.connect(self._sheet_selected)
        self.mapping_title = wrapped_label("", "font-weight: bold;")
        self.mapping = plain_table(["表头", "导入为字段"])
        self.mapping.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.mapping.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.mapping.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.save_mapping_box = QCheckBox("保存此对应关系，下次同样的表格自动使用")
        self.tally = wrapped_label("", "font-weight: bold;")
        back, more, forward = QPushButton("重新选择文件"), QPushButton("添加文件…"), QPushButton("下一步：预览结果")
        back.clicked.connect(self.restart)
        more.clicked.connect(self.choose_files)
        forward.clicked.connect(lambda: self._go(2))
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.mapping_title)
        lower_layout.addWidget(self.mapping, 1)
        lower_layout.addWidget(self.save_mapping_box)
        split = QSplitter(Qt.Orientation.Vertical)
        split.addWidget(self.sheets)
        split.addWidget(lower)
        split.setSizes([200, 400])
        layout = QVBoxLayout(page)
        layout.addWidget(wrapped_label("核对表格：每张工作表识别成了什么，每一列导入到哪个字段", HEADING))
        layout.addWidget(self.files_label)
        layout.addWidget(split, 1)
        layout.addWidget(self.tally)
        layout.addLayout(button_row(back, more, None, forward))
        return page

    def _preview_step(self) -> QWidget:
        page = QWidget()
        cards = QHBoxLayout()
        self.count_labels: dict[str, QLabel] = {}
        for key, title in COUNTS:
            frame, self.count_labels[key] = count_card(title)
            cards.addWidget(frame)
        self.problem_note = wrapped_label("", NOTE)
        self.problem_model = ProblemModel(self)
        self.problem_filter = ProblemFilter(self.problem_model)
        self.problems = QTableView()
        self.problems.setModel(self.problem_model)
        self.problems.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.problems.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.problems.verticalHeader().setVisible(False)
        self.problems.horizontalHeader().setStretchLastSection(True)
        self.strict_box = QCheckBox("有错误时整批不导入（严格模式）")
        back, self.apply_button = QPushButton("返回"), QPushButton("开始导入")
        self.apply_button.setStyleSheet("font-weight: bold; padding: 6px 18px;")
        back.clicked.connect(lambda: self._go(1))
        self.apply_button.clicked.connect(self.start_import)
        layout = QVBoxLayout(page)
        layout.addWidget(wrapped_label("预览结果（还没有写入）", HEADING))
        layout.addLayout(cards)
        layout.addWidget(self.problem_note)
        layout.addWidget(self.problem_filter)
        layout.addWidget(self.problems, 1)
        layout.addWidget(self.strict_box)
        layout.addLayout(button_row(back, None, self.apply_button))
        return page

    def _summary_step(self) -> QWidget:
        page = QWidget()
        self.summary_title = wrapped_label("", "font-size: 22px; font-weight: bold; color: #b71c1c;")
        self.summary_batch = wrapped_label("", "font-size: 16px; font-weight: bold;")
        self.summary_counts = wrapped_label("", "font-size: 15px;")
        self.summary_note = wrapped_label("", NOTE + " font-size: 14px;")
        self.problems_button = QPushButton("保存问题清单…")
        self.undo_button = QPushButton("撤销本次导入")
        self.back_to_preview = QPushButton("返回预览")
        self.again_button = QPushButton("继续导入其他文件")
        for button in (self.problems_button, self.undo_button, self.back_to_preview, self.again_button):
            button.setMinimumHeight(34)
        self.back_to_preview.clicked.connect(lambda: self._go(2))
        self.problems_button.clicked.connect(self.save_problems)
        self.undo_button.clicked.connect(self.undo)
        self.again_button.clicked.connect(self.restart)
        layout = QVBoxLayout(page)
        layout.setSpacing(14)
        for w in (self.summary_title, self.summary_batch, self.summary_counts, self.summary_note):
            layout.addWidget(w)
        layout.addSpacing(10)
        actions = FlowLayout()  # wraps on a narrow screen rather than widening the window
        for button in (self.back_to_preview, self.problems_button, self.undo_button, self.again_button):
            actions.addWidget(button)
        layout.addLayout(actions)
        layout.addStretch(1)
        return page

    def _go(self, step: int) -> None:
        self.stack.setCurrentIndex(step)
        parts = [f"<b style='color:#b71c1c'>{i + 1}. {name}</b>" if i == step else f"{i + 1}. {name}"
                 for i, name in enumerate(STEPS)]
        self.steps.setText("　→　".join(parts))

    def _busy(self, busy: bool) -> None:
        self.stack.setEnabled(not busy)

    # Choosing files --------------------------------------------------------------------------------
    def choose_files(self) -> None:
        names, _ = file_dialogs.get_open_file_names(self, "选择摸排表", self._last_dir, FILE_FILTER)
        if names:
            self.add_files([Path(n) for n in names])

    def add_files(self, paths: list[Path]) -> None:
        """Start (or, while checking sheets, extend) an import with these files and preview it."""
        if not self.stack.isEnabled():  # a preview or an import is running; one at a time
            QMessageBox.information(self, "请稍候", "正在处理上一批文件，请等它完成后再添加。")
            return
        paths = [Path(p) for p in paths]
        wrong = [p.name for p in paths if p.suffix.lower() not in SUFFIXES]
        paths = [p for p in paths if p.suffix.lower() in SUFFIXES]
        if wrong:
            QMessageBox.warning(self, "不能导入", f"“{'、'.join(wrong)}”不是表格文件，已跳过；"
                                "请选择 .xlsx、.xls、.ods 或 .csv 文件。")
        if not paths:
            return
        if self.stack.currentIndex() in (1, 2) and self.paths:
            paths = self.paths + [p for p in paths if p not in self.paths]
        else:
            self._reset()
        self.paths = paths
        self._last_dir = str(paths[-1].parent)
        self.run_preview()

    def _reset(self) -> None:
        self.paths, self.mappings, self._headers = [], {}, {}
        self.preview = self.result = None
        self._selected = None
        self.undone = False
        self.save_mapping_box.setChecked(False)

    def restart(self) -> None:
        self._reset()
        self._go(0)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if any(u.toLocalFile().lower().endswith(SUFFIXES) for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        files = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        if files:
            event.acceptProposedAction()
            self.add_files(files)

    # Preview ---------------------------------------------------------------------------------------
    def run_preview(self) -> None:
        reg, paths, mappings = self.reg, list(self.paths), dict(self.mappings)
        self._busy(True)
        run_in_background(
            self, lambda progress, cancelled: in_process(progress, cancelled, run_import, str(reg.path), reg.operator,
                                                         [str(p) for p in paths],
                                                         {"dry_run": True, "mappings": mappings or None}),
            self._show_preview, self._preview_failed, title="正在读取表格", on_cancel=self._preview_cancelled)

    def _preview_failed(self, exc: BaseException) -> None:
        show_error(self, exc)
        self._preview_cancelled()

    def _preview_cancelled(self) -> None:
        """Back to the last preview that worked (without the file or the column choice that failed)."""
        self._busy(False)
        if self.preview is None:
            self.restart()
            return
        self.paths, self.mappings = list(self._good[0]), dict(self._good[1])
        self._fill_mapping()

    def _show_preview(self, result: ImportResult) -> None:
        self._busy(False)
        self.preview = result
        self._good = (list(self.paths), dict(self.mappings))
        for s in result.sheets:
            seen = self._headers.setdefault((s["file"], s["sheet"]), [])
            seen.extend(h for h in [*s["columns"], *s["unmapped"]] if h not in seen)
        self.files_label.setText("文件：" + "、".join(p.name for p in self.paths))
        self._fill_sheets(result)
        self._fill_counts(result)
        if self.stack.currentIndex() == 0:
            self._go(1)

    def _fill_sheets(self, result: ImportResult) -> None:
        keys = [(s["file"], s["sheet"]) for s in result.sheets]
        chosen = self._selected if self._selected in keys else next(
            ((s["file"], s["sheet"]) for s in result.sheets if s["kind"]), keys[0] if keys else None)
        self.sheets.blockSignals(True)
        self.sheets.setRowCount(len(result.sheets))
        for r, s in enumerate(result.sheets):
            values = (s["file"], s["sheet"], KIND_LABELS.get(s["kind"] or "", "未识别"),
                      s["header_row"] or "", s["rows"] if s["kind"] else "", s["reason"])
            for c, value in enumerate(values):
                item = QTableWidgetItem(str(value))
                item.setToolTip(str(value))
                if not s["kind"]:
                    item.setForeground(QColor("#8a8a8a"))
                self.sheets.setItem(r, c, item)
        fit_columns(self.sheets)
        self._selected = chosen
        if chosen is not None:
            self.sheets.selectRow(keys.index(chosen))
        self.sheets.blockSignals(False)
        self._fill_mapping()

    def _sheet_selected(self) -> None:
        rows = self.sheets.selectionModel().selectedRows()
        if rows and self.preview is not None:
            s = self.preview.sheets[rows[0].row()]
            self._selected = (s["file"], s["sheet"])
            self._fill_mapping()

    def _fill_mapping(self) -> None:
        sheet = next((s for s in (self.preview.sheets if self.preview else [])
                      if (s["file"], s["sheet"]) == self._selected), None)
        self.mapping.setRowCount(0)
        if sheet is None or not sheet["kind"]:
            self.mapping_title.setText("这张工作表没有识别出人员名单或网点清单，不会导入。" if sheet else "")
            return
        self.mapping_title.setText(f"“{sheet['sheet']}”的列（第{sheet['header_row']}行是表头）：如果对应错了，"
                                   "在右边改选正确的字段")
        fields = IMPORT_FIELDS if sheet["kind"] == "people" else OUTLET_FIELDS  # with the step columns
        headers = self._headers.get(self._selected or ("", ""), [])
        self.mapping.setRowCount(len(headers))
        for r, header in enumerate(headers):
            self.mapping.setItem(r, 0, QTableWidgetItem(header))
            combo = FieldCombo()
            combo.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            combo.addItem(IGNORE, "")
            for f in fields:
                combo.addItem(f.label, f.key)
            combo.setCurrentIndex(max(0, combo.findData(sheet["columns"].get(header, ""))))
            combo.currentIndexChanged.connect(lambda _i, h=header, c=combo: self._mapping_changed(h, c.currentData()))
            self.mapping.setCellWidget(r, 1, combo)

    def _mapping_changed(self, header: str, key: str) -> None:
        self.mappings[header] = key
        self.run_preview()

    def _fill_counts(self, result: ImportResult) -> None:
        for key, _title in COUNTS:
            self.count_labels[key].setText(str(getattr(result, key)))
        errors = sum(p["level"] == "error" for p in result.problems)
        warnings = len(result.problems) - errors
        self.tally.setText(f"共读取{result.rows}行：新增{result.added}，更新{result.updated}，未变{result.unchanged}，"
                           f"拒绝{result.rejected}，重复合并{result.duplicates}；错误{errors}处，提醒{warnings}处。")
        self.problem_note.setText(
            f"发现错误{errors}处（浅红色，这些行不会导入）、提醒{warnings}处（浅黄色，照常导入）。导入后可以"
            "“保存问题清单”，把有错误的行原样发回填报人修改。" if result.problems else "没有发现问题。")
        self.problem_model.set_problems(result.problems, len(self.paths) > 1)
        self.problem_filter.refresh()
        fit_columns(self.problems)

    # Apply -----------------------------------------------------------------------------------------
    def _mappings_to_save(self) -> dict[SheetKey, dict[str, str]]:
        if not self.save_mapping_box.isChecked() or not self.mappings or self.preview is None:
            return {}
        out = {}
        for s in self.preview.sheets:
            key = (s["file"], s["sheet"])
            chosen = {h: self.mappings[h] for h in self._headers.get(key, []) if h in self.mappings}
            if s["kind"] and chosen:
                out[key] = chosen
        return out

    def start_import(self) -> None:
        reg, paths, mappings = self.reg, list(self.paths), dict(self.mappings)
        strict, to_save = self.strict_box.isChecked(), self._mappings_to_save()

        def work(progress: Any, cancelled: Any) -> ImportResult:
            result = in_process(progress, cancelled, run_import, str(reg.path), reg.operator, [str(p) for p in paths],
                                {"strict": strict, "mappings": mappings or None})
            if result.applied and to_save:
                for path in paths:
                    for sheet in read_file(path):
                        if (path.name, sheet.name) in to_save:
                            save_mapping(reg, sheet, to_save[(path.name, sheet.name)])
            return result

        self._busy(True)
        run_in_background(self, work, self._imported, self._import_failed, title="正在导入",
                          on_cancel=lambda: self._busy(False))

    def _import_failed(self, exc: BaseException) -> None:
        self._busy(False)
        show_error(self, exc)

    def _imported(self, result: ImportResult) -> None:
        self._busy(False)
        self.result, self.undone = result, False
        if result.applied:
            self.summary_title.setText("导入完成")
            self.summary_batch.setText(f"批次号：{result.batch}")
            self.summary_note.setText("被拒绝的行没有导入，可以“保存问题清单”发回填报人修改后再导入。如果导错了，"
                                      "可以“撤销本次导入”，数据会恢复到导入前的样子。")
        else:
            self.summary_title.setText("没有导入任何数据")
            self.summary_batch.setText("")
            self.summary_note.setText(f"表格中有{result.rejected}行错误，按严格模式整批没有导入。请返回预览查看问题，"
                                      "改正后重新导入，或不勾选严格模式只导入正确的行。")
        self.summary_counts.setText(f"共读取{result.rows}行：新增{result.added}人，更新{result.updated}人，"
                                    f"未变{result.unchanged}人，拒绝{result.rejected}行，重复合并{result.duplicates}行。"
                                    + (f"\n{result.unverified_note()}" if result.applied and result.unverified else ""))
        self.problems_button.setEnabled(result.applied and result.rejected > 0)
        self.undo_button.setEnabled(result.applied)
        self.back_to_preview.setVisible(not result.applied)
        self.problems_button.setVisible(result.applied)
        self.undo_button.setVisible(result.applied)
        self._go(3)
        if result.applied:
            self.changed.emit()

    # After the import ------------------------------------------------------------------------------
    def save_problems(self) -> None:
        if self.result is None or self.result.batch is None:
            return
        save_problem_list(self, self.reg, self.result.batch, Path(self._last_dir))

    def undo(self) -> None:
        if self.result is None or self.result.batch is None or self.undone:
            return
        batch = self.result.batch
        answer = QMessageBox.question(
            self, "撤销本次导入", ask_undo(self.reg, batch),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        reg = self.reg
        self._busy(True)
        run_in_background(self, lambda _p, _c: own_connection(reg, undo_batch, batch), self._undone, self._import_failed,
                          title="正在撤销导入", cancellable=False)

    def check_batch(self) -> None:
        """The summary's batch undone elsewhere (操作日志): it says so and offers no second undo."""
        if self.result is None or self.result.batch is None or not self.result.applied or self.undone:
            return
        status = batch_status(self.reg, self.result.batch)
        if status is not None and status["status"] != "undone":
            return
        self.undone = True
        self.undo_button.setEnabled(False)
        self.summary_title.setText("本次导入已撤销")
        when = f"已于{cn_moment(status['undone_at'])}" if status and status["undone_at"] else "已"
        self.summary_note.setText(f"批次{self.result.batch}{when}在“操作日志”中撤销，数据已回到导入前的样子。")

    def showEvent(self, event: QShowEvent) -> None:
        self.check_batch()
        super().showEvent(event)

    def _undone(self, counts: dict[str, int]) -> None:
        self._busy(False)
        self.undone = True
        self.undo_button.setEnabled(False)
        self.summary_title.setText("本次导入已撤销")
        self.summary_note.setText(undo_result(self.result.batch if self.result else 0, counts))
        self.changed.emit()
