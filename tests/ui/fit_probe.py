"""Open every screen at every office screen size in one Qt process and report, as JSON, what does not fit.

Run as a script (QT_SCALE_FACTOR must be set before Qt starts): `python tests/ui/fit_probe.py DB SCALE`.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any


def main(db: str, scale: float) -> int:
    os.environ["QT_SCALE_FACTOR"] = str(scale)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
    from PySide6.QtCore import QSettings

    from ui.app import create_app

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)  # no size a user left a dialog at is read
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tempfile.mkdtemp(prefix="fit-"))
    app = create_app([])
    from registry.storage.database import Registry
    from ui.main_window import MainWindow
    from ui.screens import SCREEN_SIZES, available_area, open_screen, screens

    reg = Registry(Path(db), operator="检查员")
    report: list[dict[str, Any]] = []
    for size in SCREEN_SIZES:
        room = available_area(*size, scale)
        window = MainWindow(reg)
        for name, screen in screens().items():
            widget = open_screen(window, name, room)
            report.append({"screen": name, "size": f"{size[0]}×{size[1]}", "opened": list(widget.size().toTuple()),
                           "offenders": offenders(widget, room)})
            if screen.kind == "dialog":
                widget.hide()  # not closed: closing would remember its size
                widget.deleteLater()
            app.processEvents()
        window.hide()
        window.deleteLater()
        app.processEvents()
    reg.close()
    print(json.dumps({"scale": scale, "screens": report}, ensure_ascii=False))
    return 0


def _name(widget: Any) -> str:
    from PySide6.QtWidgets import QAbstractButton, QComboBox, QLineEdit

    if isinstance(widget, QAbstractButton) and widget.text():
        return widget.text().replace("&", "")
    if isinstance(widget, QLineEdit):
        return f"输入框“{widget.placeholderText() or widget.text()}”"
    if isinstance(widget, QComboBox):
        return f"下拉框“{widget.currentText()}”"
    return type(widget).__name__


def offenders(top: Any, room: Any) -> list[str]:
    """Every control a user cannot reach: off the window, off the screen, squeezed, or cut off by its parent.

    A control inside a scroll area counts as reachable when the scroll area itself is.
    """
    from PySide6.QtCore import QPoint, QRect
    from PySide6.QtWidgets import (
        QAbstractButton,
        QAbstractItemView,
        QAbstractScrollArea,
        QAbstractSpinBox,
        QComboBox,
        QLineEdit,
        QPlainTextEdit,
        QTextEdit,
        QWidget,
    )

    controls = (QAbstractButton, QLineEdit, QComboBox, QAbstractSpinBox, QTextEdit, QPlainTextEdit,
                QAbstractItemView)
    found: list[str] = []
    if top.width() > room.width() or top.height() > room.height():
        found.append(f"窗口 {top.width()}×{top.height()} 大于屏幕可用的 {room.width()}×{room.height()}")
    least = top.minimumSizeHint().expandedTo(top.minimumSize())
    if least.width() > room.width() or least.height() > room.height():
        found.append(f"窗口最小 {least.width()}×{least.height()}，屏幕可用的只有 {room.width()}×{room.height()}")
    visible = QRect(0, 0, min(top.width(), room.width()), min(top.height(), room.height()))

    def rect_of(w: QWidget) -> QRect:
        return QRect(w.mapTo(top, QPoint(0, 0)), w.size())

    for widget in top.findChildren(QWidget):
        if not isinstance(widget, controls) or not widget.isVisibleTo(top) or widget.window() is not top:
            continue
        if isinstance(widget, QLineEdit) and isinstance(widget.parentWidget(), QComboBox | QAbstractSpinBox):
            continue  # the edit inside a combo or spin box is its owner's
        name = _name(widget)
        if widget.width() <= 1 or widget.height() <= 1:
            found.append(f"{name} 被挤没了")
            continue
        if isinstance(widget, QAbstractButton) and widget.width() < widget.minimumSizeHint().width() - 2:
            found.append(f"{name} 被挤窄（{widget.width()} < {widget.minimumSizeHint().width()}）")
        rect, parent = rect_of(widget), widget.parentWidget()
        while parent is not None and parent is not top:
            owner = parent.parentWidget()
            if isinstance(owner, QAbstractScrollArea) and parent is owner.viewport():
                rect, parent = rect_of(owner), owner.parentWidget()  # reachable by scrolling: the area must show
                continue
            if not rect_of(parent).contains(rect):
                found.append(f"{name} 被{type(parent).__name__}遮住一部分")
                break
            parent = owner
        if not visible.contains(rect):
            found.append(f"{name} 在窗口可见范围之外")
    return found


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], float(sys.argv[2])))
