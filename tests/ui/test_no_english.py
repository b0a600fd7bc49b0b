"""No English reaches a window user: every text of every page and dialog, the menus and Qt's own dialogs."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractListModel,
    QAbstractTableModel,
    QDate,
    QLocale,
    QModelIndex,
    QSize,
    Qt,
)
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QCalendarWidget,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListView,
    QMenu,
    QMessageBox,
    QPlainTextEdit,
    QProgressDialog,
    QTabWidget,
    QTextEdit,
    QWidget,
)

from registry.demo import fill_demo
from registry.importing.service import import_files
from registry.services.backups import make_backup
from registry.services.history import set_setting
from registry.storage.database import Registry
from tests.cli.test_cli_import import roster
from tests.test_no_english import latin_words
from ui import file_dialogs
from ui.app import install_translations
from ui.main_window import MainWindow
from ui.screens import open_screen, screens

SCREEN = QSize(1366, 768)
ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
_KEYS = re.compile(r"\b(?:(?:Ctrl|Shift|Alt|Meta)\+)+\S+|\bF\d{1,2}\b|\bEsc\b")  # shortcuts, as Windows writes them
_TAGS = re.compile(r"<[^>]+>|&nbsp;|&amp;|&lt;|&gt;")
_MNEMONIC = re.compile(r"(?<=[^\x00-\x7f])\(&?[A-Za-z0-9]\)")  # 打开(&O): the key to press with Alt, as Chinese Windows writes it


@pytest.fixture()
def translated(qapp: QApplication) -> Iterator[None]:
    """Qt's catalogues as the program installs them, removed again so other tests see Qt as it was."""
    locale = QLocale()
    installed = install_translations(qapp)
    yield
    for translator in installed:
        qapp.removeTranslator(translator)
    QLocale.setDefault(locale)


@pytest.fixture()
def demo(tmp_path: Path) -> Iterator[Registry]:
    reg = Registry(tmp_path / "台账.db", operator="测试员", create=True)
    fill_demo(reg, people=80)
    set_setting(reg, "unit", "示例市快递物流行业党委")  # as the first start writes them
    set_setting(reg, "operator", "王书记")
    import_files(reg, [roster(tmp_path / "摸排表.xlsx")])  # a batch on the history page
    make_backup(reg.conn, reg.path, "手动", datetime(2026, 12, 1, 9, 30))  # a backup to restore
    yield reg
    reg.close()


def _clean(text: str) -> str:
    text = _MNEMONIC.sub("", _TAGS.sub(" ", text.split("\t")[0])).replace("&", "")
    return _KEYS.sub(" ", text)


def _model_texts(model: QAbstractItemModel, parent: QModelIndex, rows: int = 30) -> Iterator[str]:
    # PySide makes columnCount of a list model and hasChildren of list and table models private: they are flat
    flat = isinstance(model, (QAbstractListModel, QAbstractTableModel))
    columns = 1 if isinstance(model, QAbstractListModel) else model.columnCount(parent)
    for c in range(columns):
        yield str(model.headerData(c, Qt.Orientation.Horizontal) or "")
    for r in range(min(rows, model.rowCount(parent))):
        for c in range(columns):
            index = model.index(r, c, parent)
            for role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
                value = model.data(index, role)
                if isinstance(value, str):
                    yield value
            if c == 0 and not flat and model.hasChildren(index):
                yield from _model_texts(model, index, rows=10)


def _menu_texts(menu: QMenu) -> Iterator[str]:
    yield menu.title()
    for action in menu.actions():
        yield action.text()
        yield action.toolTip() if action.toolTip() != action.text().replace("&", "") else ""
        if action.menu() is not None:
            yield from _menu_texts(action.menu())


def widget_texts(root: QWidget) -> Iterator[tuple[str, str]]:
    """(where, text) for every text a user can read in the widget and its children."""
    for action in root.findChildren(QAction):  # menus built on demand (a header's, a list's right click)
        yield f"QAction {action.objectName()}".strip(), action.text()
    for w in [root, *root.findChildren(QWidget)]:
        where = f"{type(w).__name__} {w.objectName()}".strip()
        yield where, w.windowTitle() if w.isWindow() else ""
        yield where, w.toolTip()
        if isinstance(w, (QLabel, QAbstractButton)):
            yield where, w.text()
        if isinstance(w, QLineEdit):
            yield where, w.placeholderText()
        if isinstance(w, (QTextEdit, QPlainTextEdit)):
            yield where, w.placeholderText()
            yield where, w.toPlainText()
        if isinstance(w, QGroupBox):
            yield where, w.title()
        if isinstance(w, QTabWidget):
            for i in range(w.count()):
                yield where, w.tabText(i)
                yield where, w.tabToolTip(i)
        if isinstance(w, QComboBox):
            for i in range(w.count()):
                yield where, w.itemText(i)
        if isinstance(w, QAbstractItemView) and w.model() is not None:
            for text in _model_texts(w.model(), w.rootIndex()):
                yield where, text
        if isinstance(w, QMenu):
            for text in _menu_texts(w):
                yield where, text
        for action in w.actions():
            yield where, action.text()
            yield where, action.toolTip()


def english_in(root: QWidget) -> list[str]:
    """Each text with a Latin word (or an ISO time) outside the allowed ones, named by its widget."""
    found = []
    for where, text in widget_texts(root):
        if not text:
            continue
        words = latin_words(_clean(text))
        if words or ISO_TIME.search(text):
            found.append(f"{where}: {text!r} {words}")
    return sorted(set(found))


def test_the_walker_finds_english(qtbot) -> None:
    box = QGroupBox("Settings")
    qtbot.addWidget(box)
    QLabel("<b>已保存</b> 2026-12-01T07:26", box)
    QLineEdit(box).setPlaceholderText("YYYY-MM-DD")
    found = english_in(box)
    assert any("Settings" in f for f in found) and any("YYYY" in f for f in found)
    assert any("2026-12-01T07:26" in f for f in found)


@pytest.mark.parametrize("name", list(screens()))
def test_every_page_and_dialog_speaks_chinese(qtbot, translated: None, demo: Registry, name: str) -> None:
    window = MainWindow(demo)
    qtbot.addWidget(window)
    widget = open_screen(window, name, SCREEN)
    try:
        assert len([t for _, t in widget_texts(widget) if t]) > 5  # the walk reached the screen's texts
        found = english_in(widget)
        assert found == [], "\n".join(found)
    finally:
        if isinstance(widget, QDialog):
            widget.done(0)


def test_the_main_windows_menus_speak_chinese(qtbot, translated: None, demo: Registry) -> None:
    window = MainWindow(demo)
    qtbot.addWidget(window)
    menus = [a.menu() for a in window.menuBar().actions() if a.menu() is not None]
    assert len(menus) >= 4
    found = [f"{m.title()}: {t!r}" for m in menus for t in _menu_texts(m) if t and latin_words(_clean(t))]
    assert found == []


def test_qts_file_dialog_speaks_chinese(qtbot, translated: None, tmp_path: Path) -> None:
    (tmp_path / "花名册.xlsx").write_bytes(b"x" * 30_000)
    (tmp_path / "子文件夹").mkdir()
    dialog = file_dialogs.make_dialog(None, "选择要导入的表格", str(tmp_path), "表格文件 (*.xlsx *.xls *.csv)")
    qtbot.addWidget(dialog)
    dialog.setOption(dialog.Option.DontUseNativeDialog, True)  # as on Linux; Windows' own dialog is Chinese
    file_dialogs.speak_chinese(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: any(
        "花名册.xlsx" in text for _, text in widget_texts(dialog)), timeout=5000)
    home = Path.home().name  # the sidebar names the user's home folder: a name, like a path
    found = [f for f in english_in(dialog) if f != f"QListView sidebar: {home!r} [{home!r}]"]
    assert found == []
    texts = {text for _, text in widget_texts(dialog)}
    assert {"查找范围：", "文件类型：", "大小"} <= texts
    assert not [t for t in texts if "体积" in t]  # Qt's catalogue says 体积 (volume) for a file's size
    assert "30 KB" in texts and any(re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日 \d{2}:\d{2}", t) for t in texts)
    # the Chinese columns change nothing about choosing: a double-clicked file is the dialog's answer
    view = dialog.findChild(QListView, "listView")
    assert view is not None
    model, root = view.model(), view.rootIndex()
    [row] = [model.index(r, 0, root) for r in range(model.rowCount(root)) if model.index(r, 0, root).data() == "花名册.xlsx"]
    view.setCurrentIndex(row)
    view.activated.emit(row)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert [Path(f) for f in dialog.selectedFiles()] == [tmp_path / "花名册.xlsx"]  # Qt writes / on Windows too


def test_file_sizes_as_windows_writes_them() -> None:
    assert [file_dialogs.file_size(n) for n in (0, 1, 1024, 1025, 30_000, 5 * 1024 * 1024)] == \
        ["1 KB", "1 KB", "1 KB", "2 KB", "30 KB", "5.0 MB"]


def test_qts_own_buttons_and_menus_speak_chinese(qtbot, translated: None) -> None:
    box = QMessageBox(QMessageBox.Icon.Question, "删除人员", "确定删除吗？")
    box.setStandardButtons(QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
                           | QMessageBox.StandardButton.Ok | QMessageBox.StandardButton.Cancel
                           | QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                           | QMessageBox.StandardButton.Close)
    box.setDetailedText("详情")
    qtbot.addWidget(box)
    progress = QProgressDialog()
    qtbot.addWidget(progress)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    qtbot.addWidget(buttons)
    edit = QLineEdit()
    qtbot.addWidget(edit)
    menu = edit.createStandardContextMenu()
    assert menu is not None
    calendar = QCalendarWidget()
    calendar.setSelectedDate(QDate(2026, 12, 1))
    qtbot.addWidget(calendar)
    date_edit = QDateEdit(QDate(2026, 12, 1))
    date_edit.setCalendarPopup(True)
    qtbot.addWidget(date_edit)
    for widget in (box, progress, buttons, menu, calendar, date_edit):
        widget.show()
        assert english_in(widget) == []
    assert {"撤消", "剪切", "复制", "粘贴"} <= {_clean(a.text()) for a in menu.actions()}
    assert "取消" in {b.text() for b in progress.findChildren(QAbstractButton)}
    assert "十二月" in {b.text() for b in calendar.findChildren(QAbstractButton)}  # the month, in Chinese
    assert date_edit.text() == "2026/12/1"
    menu.close()
    progress.cancel()


def test_the_import_page_speaks_chinese_at_every_step(qtbot, translated: None, reg: Registry, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """Preview (sheets, columns, problems: a bad check digit, a duplicate, an instructions sheet), then the result."""
    from tests.ui.test_import_page import Dialogs, census
    from ui import worker
    from ui.pages.import_page import ImportPage

    dialogs = Dialogs(monkeypatch)
    page = ImportPage(reg)
    qtbot.addWidget(page)
    page.resize(1280, 800)
    page.show()
    page.add_files([census.__wrapped__(tmp_path)])  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: not worker.busy(), timeout=30000)
    assert page.stack.currentIndex() == 1 and page.problem_model.rowCount() > 0
    seen = [english_in(page)]
    for step in range(page.stack.count()):
        page.stack.setCurrentIndex(step)
        seen.append(english_in(page))
    page.start_import()
    qtbot.waitUntil(lambda: not worker.busy(), timeout=30000)
    seen.append(english_in(page))
    seen.append([f"{kind}: {text}" for kind, text in dialogs.messages if latin_words(_clean(text))])
    assert [f for found in seen for f in found] == []
