"""Start the desktop application: `python main.py [--db PATH] [--screenshot OUT.png --page NAME]`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def main() -> int:
    import multiprocessing

    multiprocessing.freeze_support()  # imports run in a child process; needed in the frozen Windows build
    parser = argparse.ArgumentParser(description="快递行业党建台账")
    parser.add_argument("--db", type=Path, default=None, help="数据库文件（默认在用户数据目录）")
    parser.add_argument("--screenshot", type=Path, default=None, help="把页面保存为图片后退出")
    parser.add_argument("--page", choices=["dashboard", "roster", "import", "history"], default="dashboard")
    args = parser.parse_args()

    from registry.errors import UserError
    from registry.exports import sweep_leftovers
    from registry.paths import data_dir, default_db_path
    from ui.app import create_app

    sweep_leftovers()  # temporary files of personal data left by a killed export or backup
    app = create_app(sys.argv[:1])
    from PySide6.QtCore import QSettings
    from PySide6.QtWidgets import QMessageBox

    try:
        reg = _open(args, data_dir(), default_db_path(), QSettings())
    except UserError as exc:
        QMessageBox.critical(None, "无法打开数据库", exc.message)
        return 2
    if reg is None:
        return 0
    from ui.main_window import MainWindow, remember_database

    if not args.screenshot:
        remember_database(reg.path)  # type: ignore[attr-defined]
    window = MainWindow(reg)
    if args.screenshot:
        window.resize(1280, 800)
        window.show_page(args.page)
        window.show()
        app.processEvents()
        window.grab().save(str(args.screenshot))
        return 0
    window.show()
    window.daily_backup()  # backups: once a day on first open
    return app.exec()


def _open(args: argparse.Namespace, folder: Path, default: Path, settings: object) -> object:
    """The database to open: --db, else the last one, else a first-run choice (demo when not interactive)."""
    from registry.demo import fill_demo
    from registry.services.history import set_setting
    from registry.storage.database import Registry

    if args.db is not None:
        fresh = not args.db.exists()
        reg = Registry(args.db)
        if fresh and args.screenshot:
            fill_demo(reg)
            set_setting(reg, "unit", "示例市快递物流行业党委（演示数据）")
        return reg
    last = settings.value("last_db")  # type: ignore[attr-defined]
    if last and Path(str(last)).exists():
        return Registry(Path(str(last)))
    if default.exists():
        return Registry(default)
    choice = "demo"
    dialog = None
    if not args.screenshot:
        from ui.dialogs.welcome_dialog import WelcomeDialog

        dialog = WelcomeDialog(str(folder))
        if not dialog.exec():
            return None
        choice = dialog.choice
    if choice == "new" and dialog is not None:
        reg = Registry(default)
        set_setting(reg, "unit", dialog.unit.text().strip())
        if dialog.secretary.text().strip():
            set_setting(reg, "operator", dialog.secretary.text().strip())
        path = default
    else:
        path = folder / "demo.db"
        fresh = not path.exists()
        reg = Registry(path)
        if fresh:
            fill_demo(reg)
            set_setting(reg, "unit", "示例市快递物流行业党委（演示数据）")
    settings.setValue("last_db", str(path))  # type: ignore[attr-defined]
    return reg


if __name__ == "__main__":
    sys.exit(main())
