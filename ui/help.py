"""帮助 → 使用说明: the Chinese user guide (registry/resources/manual) in a window of the app, offline.

A QTextBrowser rather than the default browser: it works on every office PC without a browser set up
(统信UOS and 麒麟 installs often have none registered for local files), inside the frozen build, and with
the app's own Chinese font. 用浏览器打开 is there for printing the guide.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QPushButton, QTextBrowser, QVBoxLayout, QWidget

from registry.paths import manual_path

DEFAULT_SIZE = QSize(920, 720)


class ManualDialog(QDialog):
    """The guide, with its table of contents as links; stays open beside the main window (not modal)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("使用说明")
        self.setModal(False)
        self.browser = QTextBrowser()
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
        screen = self.screen().availableGeometry().size() if self.screen() else DEFAULT_SIZE
        self.resize(DEFAULT_SIZE.boundedTo(screen * 0.95))

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
