"""File dialogs that never open the files they list: opening and closing a live database file in this process
would drop SQLite's POSIX locks on it (see registry/storage/opening.py)."""

from __future__ import annotations

import sys

from PySide6.QtCore import QFileInfo
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QFileDialog, QFileIconProvider, QStyle, QWidget

DATABASE_FILTER = "台账数据库 (*.db)"


class PlainIconProvider(QFileIconProvider):
    """A folder or a file icon from the style, decided by stat() alone; never a look inside the file."""

    def icon(self, what: object) -> QIcon:  # type: ignore[override]
        style = QApplication.style()
        is_dir = what.isDir() if isinstance(what, QFileInfo) else what == QFileIconProvider.IconType.Folder
        return style.standardIcon(QStyle.StandardPixmap.SP_DirIcon if is_dir else QStyle.StandardPixmap.SP_FileIcon)

    def type(self, info: QFileInfo) -> str:  # type: ignore[override]
        return "文件夹" if info.isDir() else (f"{info.suffix()} 文件" if info.suffix() else "文件")


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
    dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave if save else QFileDialog.AcceptMode.AcceptOpen)
    dialog.setFileMode(QFileDialog.FileMode.AnyFile if save else QFileDialog.FileMode.ExistingFile)
    if save:
        dialog.setDefaultSuffix("db")
    return dialog


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
