"""The navigation list and the window's shortcuts: every page one click away, Ctrl keys wherever the focus is."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QEvent, QObject, QSettings, Qt
from PySide6.QtGui import QAction, QKeyEvent

from registry.demo import fill_demo
from registry.services.history import set_setting
from registry.storage.database import Registry
from ui.main_window import NAV, PAGES, MainWindow
from ui.shortcuts import ambiguous

COMMANDS = ("Ctrl+E", "Ctrl+F", "Ctrl+N", "Ctrl+I", "Ctrl+P", "Ctrl+1", "Ctrl+4")


@pytest.fixture(autouse=True)
def private_settings(tmp_path: Path) -> None:
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))


@pytest.fixture
def window(qtbot: Any, reg: Registry) -> MainWindow:
    fill_demo(reg, people=60)
    w = MainWindow(reg)
    qtbot.addWidget(w)
    w.show()
    w.activateWindow()
    return w


def spy(window: MainWindow, keys: tuple[str, ...]) -> list[str]:
    """The actions bound to these keys record that they fired instead of opening their dialogs."""
    fired: list[str] = []
    for action in window.findChildren(QAction):
        key = action.shortcut().toString()
        if key in keys:
            action.triggered.disconnect()
            action.triggered.connect(lambda _=False, k=key: fired.append(k))
    return fired


def press(qtbot: Any, widget: Any, key: str) -> None:
    letter = key.split("+")[-1]
    qtbot.keyClick(widget, getattr(Qt.Key, f"Key_{letter}"), Qt.KeyboardModifier.ControlModifier)


class X11LineEdit(QObject):
    """What a QLineEdit does under X11's keyboard scheme: it claims Ctrl+E (end of line), Ctrl+K, Ctrl+U."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and isinstance(event, QKeyEvent) \
                and event.modifiers() == Qt.KeyboardModifier.ControlModifier \
                and event.key() in (Qt.Key.Key_E, Qt.Key.Key_K, Qt.Key.Key_U, Qt.Key.Key_F, Qt.Key.Key_N,
                                    Qt.Key.Key_P, Qt.Key.Key_I):
            event.accept()
            return True
        return False


def test_nav_lists_every_page_and_marks_the_one_in_view(qtbot: Any, window: MainWindow) -> None:
    texts = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert texts == ["首页", "花名册", "发展", "组织生活", "党费", "志愿服务", "关爱阵地", "导入", "报表", "日志"]
    for name in PAGES:
        window.show_page(name)  # from a menu, the tree or a figure: the list follows
        selected = window.nav.selectedItems()
        assert [i.data(Qt.ItemDataRole.UserRole) for i in selected] == [name]
    row = [k for k, _ in NAV].index("roster")
    rect = window.nav.visualItemRect(window.nav.item(row))
    qtbot.mouseClick(window.nav.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.pages.currentWidget() is window.roster


def test_nav_with_the_keyboard(qtbot: Any, window: MainWindow) -> None:
    window.show_page("dashboard")
    window.nav.setFocus()
    qtbot.keyClick(window.nav, Qt.Key.Key_Down)
    assert window.pages.currentWidget() is window.roster
    qtbot.keyClick(window.nav, Qt.Key.Key_Down)
    assert window.pages.currentWidget() is window.development
    qtbot.keyClick(window.nav, Qt.Key.Key_Down)
    assert window.pages.currentWidget() is window.org_life
    qtbot.keyClick(window.nav, Qt.Key.Key_Down)
    assert window.pages.currentWidget() is window.dues
    qtbot.keyClick(window.nav, Qt.Key.Key_Down)
    assert window.pages.currentWidget() is window.volunteer
    qtbot.keyClick(window.nav, Qt.Key.Key_Down)
    assert window.pages.currentWidget() is window.care
    qtbot.keyClick(window.nav, Qt.Key.Key_Down)
    assert window.pages.currentWidget() is window.importer
    opened: list[bool] = []
    window.reports = lambda: opened.append(True)  # type: ignore[method-assign]
    qtbot.keyClick(window.nav, Qt.Key.Key_Down)  # onto 报表: only Enter opens it, the page stays marked
    assert window.pages.currentWidget() is window.importer
    assert [i.text() for i in window.nav.selectedItems()] == ["导入"]
    qtbot.keyClick(window.nav, Qt.Key.Key_Return)
    assert opened == [True]
    assert [i.text() for i in window.nav.selectedItems()] == ["导入"]
    press(qtbot, window.nav, "Ctrl+5")
    assert window.pages.currentWidget() is window.history
    assert [i.text() for i in window.nav.selectedItems()] == ["日志"]
    press(qtbot, window.nav, "Ctrl+8")  # 志愿服务 keeps the number issue 14 gives it
    assert window.pages.currentWidget() is window.volunteer
    assert [i.text() for i in window.nav.selectedItems()] == ["志愿服务"]
    press(qtbot, window.nav, "Ctrl+7")  # 党费 (Ctrl+6 is 组织生活's)
    assert window.pages.currentWidget() is window.dues
    assert [i.text() for i in window.nav.selectedItems()] == ["党费"]


@pytest.fixture
def app_font(qapp: Any) -> Any:
    """The bundled CJK font at 10 pt, as the application sets it (wider than the test default)."""
    from PySide6.QtGui import QFont, QFontDatabase

    from registry.paths import font_path

    before = qapp.font()
    families = QFontDatabase.applicationFontFamilies(QFontDatabase.addApplicationFont(str(font_path())))
    if families:
        font = QFont(families[0])
        font.setPointSize(10)
        qapp.setFont(font)
    yield
    qapp.setFont(before)


def test_navigation_tree_and_pages_fit_a_small_screen(qtbot: Any, reg: Registry, app_font: Any) -> None:
    """1024×768 at 150 % leaves 683×472 logical pixels: the list, the tree and the dashboard or roster fit in it."""
    fill_demo(reg, people=60)
    set_setting(reg, "unit", "示例市快递物流行业党委（演示数据）")  # the heading's long name wraps
    window = MainWindow(reg)
    qtbot.addWidget(window)
    window.show()
    chrome = window.nav.width() + window.tree.minimumWidth() + window.split.handleWidth()
    assert window.nav.width() <= 80
    for page in (window.dashboard, window.roster):
        assert chrome + page.minimumSizeHint().width() <= 683, (type(page).__name__, page.minimumSizeHint())
        assert page.minimumSizeHint().height() <= 472 - window.menuBar().height() - window.statusBar().height()


def test_no_shortcut_is_bound_twice(window: MainWindow) -> None:
    assert ambiguous(window.findChildren(QAction)) == {}


def test_shortcuts_fire_while_the_search_box_has_focus(qtbot: Any, window: MainWindow) -> None:
    fired = spy(window, COMMANDS)
    window.focus_search()
    search = window.roster.search
    qtbot.waitUntil(search.hasFocus)
    for key in COMMANDS:
        press(qtbot, search, key)
    assert fired == list(COMMANDS)


def test_shortcuts_fire_when_the_line_edit_claims_them(qtbot: Any, window: MainWindow) -> None:
    """Under X11 the search box claims Ctrl+E for itself; the window's export must still fire."""
    search = window.roster.search
    claim = X11LineEdit(search)
    search.installEventFilter(claim)
    window.command_keys.watch(window)  # the guard sees the key first, as it does for a box made after it
    fired = spy(window, COMMANDS)
    window.focus_search()
    qtbot.waitUntil(search.hasFocus)
    for key in ("Ctrl+E", "Ctrl+F", "Ctrl+N", "Ctrl+I", "Ctrl+P"):
        press(qtbot, search, key)
    assert fired == ["Ctrl+E", "Ctrl+F", "Ctrl+N", "Ctrl+I", "Ctrl+P"]
    press(qtbot, search, "Ctrl+K")  # not a window command: the box keeps it
    assert fired == ["Ctrl+E", "Ctrl+F", "Ctrl+N", "Ctrl+I", "Ctrl+P"]


def test_editing_keys_stay_with_the_search_box(qtbot: Any, window: MainWindow) -> None:
    fired = spy(window, ("Del",))
    window.focus_search()
    search = window.roster.search
    qtbot.waitUntil(search.hasFocus)
    search.setText("张三丰")
    search.setCursorPosition(0)
    qtbot.keyClick(search, Qt.Key.Key_Delete)
    assert search.text() == "三丰" and fired == []
    qtbot.keyClick(search, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    assert search.selectedText() == "三丰"
