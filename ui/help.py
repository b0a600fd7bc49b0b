"""帮助 → 使用说明: the Chinese user guide (registry/resources/manual) in a window of the app, offline.

A QTextBrowser rather than the default browser: it works on every office PC without a browser set up
(统信UOS and 麒麟 installs often have none registered for local files), inside the frozen build, and with
the app's own Chinese font. 用浏览器打开 is there for printing the guide.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSize, Qt, QTimer, QUrl
from PySide6.QtGui import QDesktopServices, QImage, QResizeEvent, QTextDocument
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QMessageBox,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from registry.paths import manual_path

DEFAULT_SIZE = QSize(920, 720)
PAGE_MARGINS = 120  # the guide's body padding and margins, the document margin and the vertical scroll bar
SCROLL_BAR = 20  # about the vertical scroll bar's width: the viewport is measured without it
IMAGE_WIDTH = re.compile(r'(<img src="([^"]+)" width=")(\d+)"')


class GuideBrowser(QTextBrowser):
    """Shows the guide's pictures no wider than the window, scaled smoothly (Qt's own scaling is coarse).

    The pictures are taken at 125 % scaling; on a 100 % screen or in a narrow window they are drawn smaller,
    and a plain QTextBrowser would scale them by dropping pixels, which makes the Chinese in them unreadable.
    After the window is resized the page is laid out again for the new width, at the same place.
    """

    def __init__(self, max_width: int) -> None:
        super().__init__()
        self.max_width = max_width
        self.widths: dict[str, int] = {}  # each picture's width as shown now
        self.natural = {m[2]: int(m[3]) for m in IMAGE_WIDTH.finditer(manual_path().read_text(encoding="utf-8"))}
        self._refit = QTimer(self)
        self._refit.setSingleShot(True)
        self._refit.setInterval(150)  # once the user stops dragging the window's edge
        self._refit.timeout.connect(self.fit_width)

    def loadResource(self, kind: int, url: QUrl | str) -> Any:
        url = QUrl(url)
        if kind == QTextDocument.ResourceType.HtmlResource.value and Path(url.toLocalFile()) == manual_path():
            return IMAGE_WIDTH.sub(self._fit, manual_path().read_text(encoding="utf-8"))
        if kind == QTextDocument.ResourceType.ImageResource.value and url.fileName() in self.widths:
            image = QImage(str(manual_path().parent / url.fileName()))
            if not image.isNull():
                ratio = self.devicePixelRatioF()
                image = image.scaledToWidth(round(self.widths[url.fileName()] * ratio),
                                            Qt.TransformationMode.SmoothTransformation)
                image.setDevicePixelRatio(ratio)
                return image
        return super().loadResource(kind, url)

    def _fit(self, match: re.Match[str]) -> str:
        width = min(int(match[3]), self.max_width)
        self.widths[match[2]] = width
        return f'{match[1]}{width}"'

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._refit.start()

    def fit_width(self) -> None:
        """Lay the page out again when the pictures would be drawn at another width than now."""
        width = max(200, self.viewport().width() + SCROLL_BAR - PAGE_MARGINS)
        widest = max(self.natural.values(), default=0)
        if width == self.max_width or min(width, widest) == min(self.max_width, widest):
            return
        bar = self.verticalScrollBar()
        where = bar.value() / bar.maximum() if bar.maximum() else 0.0
        self.max_width = width
        self.widths.clear()
        self.reload()
        bar.setValue(round(where * bar.maximum()))


class ManualDialog(QDialog):
    """The guide, with its table of contents as links; stays open beside the main window (not modal)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("使用说明")
        self.setModal(False)
        screen = self.screen().availableGeometry().size() if self.screen() else DEFAULT_SIZE
        size = DEFAULT_SIZE.boundedTo(screen * 0.95)
        self.browser = GuideBrowser(size.width() - PAGE_MARGINS)
        self.browser.setOpenExternalLinks(False)  # the guide has no links out; a click never starts a browser
        self.browser.setSearchPaths([str(manual_path().parent)])
        self.browser.setSource(QUrl.fromLocalFile(str(manual_path())))
        buttons = QDialogButtonBox()
        home = QPushButton("回到目录")
        home.clicked.connect(self.browser.home)
        outside = QPushButton("用浏览器打开（可打印）")
        outside.clicked.connect(self.open_in_browser)
        close = QPushButton("关闭")
        close.clicked.connect(self.close)
        buttons.addButton(home, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(outside, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(close, QDialogButtonBox.ButtonRole.RejectRole)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        self.resize(size)

    def open_in_browser(self) -> bool:
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(manual_path())))


def open_manual(parent: QWidget) -> ManualDialog:
    """Show the guide beside `parent`: the one already open is brought forward rather than a second one."""
    found = parent.findChild(ManualDialog)
    dialog = found if isinstance(found, ManualDialog) else ManualDialog(parent)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog


def show_about(parent: QWidget) -> None:
    """The 关于 box: what the program is for."""
    QMessageBox.about(parent, "关于", "快递行业党建台账\n离线保存党员、流动党员和发展党员台账，导入摸排表，导出花名册。")
