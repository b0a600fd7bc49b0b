"""File dialogs that never open the files they list: opening and closing a live database file in this process
would drop SQLite's POSIX locks on it (see registry/storage/opening.py)."""

from __future__ import annotations

import math
import sys
from typing import Any

from PySide6.QtCore import QFileInfo, QIdentityProxyModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QAction, QIcon
from PySide6.QtWidgets import QApplication, QFileDialog, QFileIconProvider, QFileSystemModel, QStyle, QWidget

from registry.display import cn_moment

DATABASE_FILTER = "台账数据库 (*.db)"


class PlainIconProvider(QFileIconProvider):
    """A folder or a file icon from the style, decided by stat() alone; never a look inside the file."""

    def icon(self, what: object) -> QIcon:  # type: ignore[override]
        style = QApplication.style()
        is_dir = what.isDir() if isinstance(what, QFileInfo) else what == QFileIconProvider.IconType.Folder
        return style.standardIcon(QStyle.StandardPixmap.SP_DirIcon if is_dir else QStyle.StandardPixmap.SP_FileIcon)

    def type(self, info: QFileInfo) -> str:  # type: ignore[override]
        return "文件夹" if info.isDir() else (f"{info.suffix()} 文件" if info.suffix() else "文件")


# Qt's own words where its Chinese catalogue has none (the dialog's form says "&Look in:", the catalogue only
# "Look in:") or a poor one (体积 for Size).
LABELS = {
    QFileDialog.DialogLabel.LookIn: "查找范围：",
    QFileDialog.DialogLabel.FileName: "文件名(&N)：",
    QFileDialog.DialogLabel.FileType: "文件类型：",
}
SIZE_COLUMN, TYPE_COLUMN, DATE_COLUMN = 1, 2, 3
SIZE_UNITS = ("KB", "MB", "GB", "TB")


def file_size(size: int) -> str:
    """As Windows Explorer writes it: 1 KB at least, whole kilobytes rounded up, then MB/GB with one decimal."""
    kilobytes = max(1, math.ceil(size / 1024))
    if kilobytes < 1024:
        return f"{kilobytes} KB"
    value, unit = kilobytes / 1024, 1
    while value >= 1024 and unit < len(SIZE_UNITS) - 1:
        value, unit = value / 1024, unit + 1
    return f"{value:.1f} {SIZE_UNITS[unit]}"


class ChineseFileColumns(QIdentityProxyModel):
    """The dialog's file list with 大小 for Size, types as 文件夹 / xlsx 文件, and times as 2026年12月1日 07:24, whatever the system locale
    (Qt writes them in the system's format, "1 12 2026 07:24" under the C locale, and sizes as KiB)."""

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and section == SIZE_COLUMN:
            return "大小"
        return super().headerData(section, orientation, role)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        source = self.sourceModel()
        if role == Qt.ItemDataRole.DisplayRole and isinstance(source, QFileSystemModel) \
                and index.column() in (SIZE_COLUMN, TYPE_COLUMN, DATE_COLUMN):
            inner = self.mapToSource(QModelIndex(index))
            if index.column() == TYPE_COLUMN:  # the system's words otherwise ("File Folder", "xlsx Workbook")
                return plain_icons().type(source.fileInfo(inner))
            if index.column() == DATE_COLUMN:
                return cn_moment(source.lastModified(inner).toString(Qt.DateFormat.ISODate))
            return "" if source.isDir(inner) else file_size(source.size(inner))
        return super().data(index, role)


_PROVIDER: PlainIconProvider | None = None


def plain_icons() -> PlainIconProvider:
    global _PROVIDER
    if _PROVIDER is None:
        _PROVIDER = PlainIconProvider()
        _PROVIDER.setOptions(QFileIconProvider.Option.DontUseCustomDirectoryIcons)
    return _PROVIDER


def make_dialog(parent: QWidget | None, title: str, start: str, name_filter: str = DATABASE_FILTER,
                save: bool = False) -> QFileDialog:
    dialog = QFileDialog(parent, title, start, name_filter)
    if sys.platform != "win32":
        # A platform dialog (GTK, the macOS panel) runs in this process and reads files for thumbnails and
        # types; Qt's own dialog takes our icon provider. Windows has no POSIX locks to lose.
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        dialog.setIconProvider(plain_icons())
        speak_chinese(dialog)
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave if save else QFileDialog.AcceptMode.AcceptOpen)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile if save else QFileDialog.FileMode.ExistingFile)
    if save:
        dialog.setDefaultSuffix("db")
    return dialog


def speak_chinese(dialog: QFileDialog) -> None:
    """Qt's own file dialog in Chinese throughout (Windows' native dialog is Chinese by itself)."""
    for label, text in LABELS.items():
        dialog.setLabelText(label, text)
    dialog.setProxyModel(ChineseFileColumns(dialog))
    for action in dialog.findChildren(QAction):  # the detail view's header menu: 显示 体积, named before the proxy
        action.setText(action.text().replace("体积", "大小"))


def database_file(parent: QWidget | None, title: str, start: str, save: bool = False) -> str:
    """The chosen database path, or "" if cancelled."""
    dialog = make_dialog(parent, title, start, save=save)
    if not dialog.exec():
        return ""
    files = dialog.selectedFiles()
    return files[0] if files else ""


def _run(dialog: QFileDialog) -> tuple[list[str], str]:
    if not dialog.exec():
        return [], ""
    return dialog.selectedFiles(), dialog.selectedNameFilter()


def get_save_file_name(parent: QWidget | None, title: str, start: str, name_filter: str) -> tuple[str, str]:
    """QFileDialog.getSaveFileName, through a dialog that never opens the files it lists."""
    dialog = make_dialog(parent, title, start, name_filter, save=True)
    dialog.setDefaultSuffix("")
    files, chosen = _run(dialog)
    return (files[0] if files else ""), chosen


def get_open_file_names(parent: QWidget | None, title: str, start: str, name_filter: str) -> tuple[list[str], str]:
    """QFileDialog.getOpenFileNames, through a dialog that never opens the files it lists."""
    dialog = make_dialog(parent, title, start, name_filter)
    dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
    return _run(dialog)
