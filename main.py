"""Start the desktop application: `python main.py [--db PATH] [--screenshot OUT.png --page NAME]`."""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass
class Attempt:
    """A database to open for the window; setup runs once it is open (first run: unit, demo data)."""

    path: Path
    create: bool = False
    setup: Callable[[Any], None] | None = None


def main() -> int:
    import multiprocessing

    multiprocessing.freeze_support()  # imports run in a child process; needed in the frozen Windows build
    from registry.cli.chinese_argparse import ChineseArgumentParser

    parser = ChineseArgumentParser(prog="main.py", description="快递行业党建台账", command_name="python main.py")
    parser.add_argument("--db", type=Path, default=None, help="数据库文件（默认在用户数据目录）")
    parser.add_argument("--screenshot", type=Path, default=None, help="把页面保存为图片后退出")
    parser.add_argument("--page", choices=["dashboard", "roster", "import", "history"], default="dashboard")
    args = parser.parse_args()

    from registry.exports import sweep_leftovers
    from ui.app import create_app

    sweep_leftovers()  # temporary files of personal data left by a killed export or backup
    app = create_app(sys.argv[:1])
    if args.screenshot:
        return _screenshot(args)
    from PySide6.QtCore import QSettings

    from registry.paths import data_dir, default_db_path

    first = first_attempt(args.db, data_dir(), default_db_path(), QSettings())
    window = start_window(first, ask_after_failure) if first is not None else None
    if window is None:
        return 0
    window.show()
    window.daily_backup()  # backups: once a day on first open
    return app.exec()


def first_attempt(db: Path | None, folder: Path, default: Path, settings: Any) -> Attempt | None:
    """--db, else the last database, else the default one, else the first-run choice (None: cancelled)."""
    if db is not None:
        return Attempt(db)
    last = settings.value("last_db")
    if last and Path(str(last)).exists():
        return Attempt(Path(str(last)))
    if default.exists():
        return Attempt(default)
    from ui.dialogs.welcome_dialog import WelcomeDialog

    dialog = WelcomeDialog(str(folder))
    if not dialog.exec():
        return None
    if dialog.choice == "new":
        unit, secretary = dialog.unit.text().strip(), dialog.secretary.text().strip()
        return Attempt(default, create=True, setup=lambda reg: _first_settings(reg, unit, secretary))
    return Attempt(folder / "demo.db", create=True, setup=_demo_if_new)


def start_window(attempt: Attempt, on_failure: Callable[[str, Path], Attempt | None]) -> Any:
    """The main window on the first database that opens; a failure asks on_failure what next (None: quit).

    Nothing is remembered as the last database until it has opened and its window was built, so a damaged
    or missing file can never stop the next start from reaching this choice.
    """
    from PySide6.QtWidgets import QMessageBox

    from registry.errors import UserError
    from registry.storage.sqlite_errors import user_error
    from ui.main_window import MainWindow, open_for_window, remember_database
    from ui.single_instance import DatabaseInUse
    from ui.worker import UNEXPECTED

    current: Attempt | None = attempt
    while current is not None:
        try:
            reg, lock = open_for_window(current.path, create=current.create)
            try:
                if current.setup is not None:
                    current.setup(reg)
                window = MainWindow(reg, lock)
            except BaseException:
                reg.close()
                lock.release()
                raise
        except DatabaseInUse as exc:  # the other window has been called up; this start ends here
            QMessageBox.information(None, "数据库已经打开", exc.message)
            return None
        except Exception as exc:
            error = exc if isinstance(exc, UserError) else user_error(exc, current.path)
            if error is None:
                traceback.print_exception(type(exc), exc, exc.__traceback__, file=sys.stderr)
            current = on_failure(error.message if error is not None else UNEXPECTED, current.path)
            continue
        remember_database(reg.path)
        return window
    return None


def ask_after_failure(message: str, path: Path) -> Attempt | None:
    """The sentence, and the ways on: another database, a new one, or quit."""
    from PySide6.QtWidgets import QMessageBox

    from registry.paths import data_dir
    from registry.services.backups import newest_good_backup
    from ui.file_dialogs import database_file

    folder = path.parent if path.parent.is_dir() else data_dir()
    while True:
        box = QMessageBox(QMessageBox.Icon.Warning, "无法打开数据库", message)
        other = box.addButton("打开其他数据库…", QMessageBox.ButtonRole.AcceptRole)
        new = box.addButton("新建数据库…", QMessageBox.ButtonRole.AcceptRole)
        restore = (box.addButton("从备份恢复…", QMessageBox.ButtonRole.AcceptRole)
                   if newest_good_backup(path) is not None else None)
        box.addButton("退出", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        clicked = box.clickedButton()
        if restore is not None and clicked is restore:
            from ui.dialogs.restore_dialog import RestoreDialog

            if RestoreDialog(path, None, damaged=message).exec():
                return Attempt(path)
        elif clicked is other:
            chosen = database_file(None, "打开数据库", str(folder))
            if chosen:
                return Attempt(Path(chosen))
        elif clicked is new:
            suggested = path if not path.exists() and path.parent.is_dir() else folder / "新台账.db"
            chosen = database_file(None, "新建数据库", str(suggested), save=True)
            if chosen and Path(chosen).exists():
                QMessageBox.warning(None, "新建数据库", "这个文件已经存在；如要使用它，请选“打开其他数据库”。")
            elif chosen:
                return Attempt(Path(chosen), create=True)
        else:
            return None


def _first_settings(reg: Any, unit: str, secretary: str) -> None:
    from registry.services.history import set_setting

    set_setting(reg, "unit", unit)
    if secretary:
        set_setting(reg, "operator", secretary)


def _demo_if_new(reg: Any) -> None:
    from registry.demo import fill_demo
    from registry.services.history import set_setting

    if reg.created:
        fill_demo(reg)
        set_setting(reg, "unit", "示例市快递物流行业党委（演示数据）")


def _screenshot(args: argparse.Namespace) -> int:
    """A page of the window as an image, on --db (made with demo data when it does not exist)."""
    from PySide6.QtWidgets import QApplication, QMessageBox

    from registry.errors import UserError
    from registry.storage.database import Registry
    from ui.main_window import MainWindow

    if args.db is None:
        from registry.paths import data_dir

        args.db = data_dir() / "demo.db"
    try:
        reg = Registry(args.db, create=True)
    except UserError as exc:
        QMessageBox.critical(None, "无法打开数据库", exc.message)
        return 2
    _demo_if_new(reg)
    window = MainWindow(reg)
    window.resize(1280, 800)
    window.show_page(args.page)
    window.show()
    QApplication.processEvents()
    window.grab().save(str(args.screenshot))
    return 0


if __name__ == "__main__":
    sys.exit(main())
