"""The report dialog on a low screen: 1024×768 at 150 % minus a taskbar leaves 683×472 logical pixels."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QRect, QSettings, QSize
from PySide6.QtWidgets import QAbstractButton, QComboBox, QWidget

from registry.demo import fill_demo
from registry.storage.database import Registry
from ui import worker
from ui.dialogs.report_dialog import ReportDialog
from ui.fit import simulated_screen, size_key, window_room
from ui.main_window import MainWindow
from ui.screens import open_screen

LOW = QSize(683, 472)
SIZE_KEY = size_key(ReportDialog)


@pytest.fixture(autouse=True)
def private_settings(tmp_path: Path) -> None:
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    QSettings().remove(SIZE_KEY)


@pytest.fixture
def window(qtbot: Any, reg: Registry) -> MainWindow:
    fill_demo(reg, people=40)
    w = MainWindow(reg)
    qtbot.addWidget(w)
    return w


def _inside(widget: QWidget, dialog: QWidget) -> bool:
    rect = QRect(widget.mapTo(dialog, QPoint(0, 0)), widget.size())
    return dialog.rect().contains(rect)


def test_every_button_is_visible_on_a_683_by_472_screen(qtbot: Any, window: MainWindow) -> None:
    dialog = open_screen(window, "report", LOW)
    assert isinstance(dialog, ReportDialog)
    try:
        assert dialog.width() <= LOW.width() and dialog.height() <= LOW.height()
        with simulated_screen(LOW):
            room = window_room(dialog)
        assert dialog.size() == room  # as large as the screen allows (its frame too): the preview wants the room
        buttons = [b for b in dialog.findChildren(QAbstractButton) if b.isVisibleTo(dialog)
                   and not dialog.options_scroll.isAncestorOf(b)]  # the choices scroll; the buttons do not
        texts = {b.text() for b in buttons}
        assert {"打印…", "另存为PDF…", "关闭", "生成预览", "报送存档…", "上一页", "下一页"} <= texts
        outside = [b.text() for b in buttons if not _inside(b, dialog)]
        assert outside == []
        for b in buttons:  # not squeezed below their own text either
            assert b.width() >= b.minimumSizeHint().width(), b.text()
        zoom = dialog.findChildren(QComboBox)
        assert zoom and all(_inside(c, dialog) for c in zoom if c.isVisibleTo(dialog)
                            and not dialog.options_scroll.isAncestorOf(c))
        # The choices scroll inside their own area, which is itself entirely on the screen.
        assert _inside(dialog.options_scroll, dialog)
        assert dialog.isSizeGripEnabled()
    finally:
        dialog.close()
        worker.wait_idle()


def test_the_dialog_remembers_its_size_clamped_to_the_screen(qtbot: Any, reg: Registry) -> None:
    first = ReportDialog(reg)
    qtbot.addWidget(first)
    first.resize(900, 600)
    first.reject()
    assert QSettings().value(SIZE_KEY) == QSize(900, 600)
    again = ReportDialog(reg)
    qtbot.addWidget(again)
    screen = window_room(again)  # the screen less the window's frame
    assert again.size() == QSize(900, 600).boundedTo(screen).expandedTo(again.minimumSizeHint())
    assert again.sizeHint() == again.size()  # what open_screen and the window's placement start from
    again.resize(again.minimumSizeHint())
    QSettings().setValue(SIZE_KEY, QSize(5000, 4000))  # saved on a larger monitor
    huge = ReportDialog(reg)
    qtbot.addWidget(huge)
    assert huge.width() <= max(screen.width(), huge.minimumSizeHint().width())
    assert huge.height() <= max(screen.height(), huge.minimumSizeHint().height())
    assert huge.minimumSizeHint().width() <= LOW.width() and huge.minimumSizeHint().height() <= LOW.height()
