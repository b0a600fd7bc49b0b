"""Start the desktop application: `python main.py [--db PATH]`, or save one screen: `--screenshot OUT.png --page NAME`."""

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


SCREENSHOT_FLAGS = ("--screenshot", "--page", "--dialog", "--size", "--scale")


def build_parser(names: dict[str, str] | None) -> argparse.ArgumentParser:
    """The options; names (each screen of ui.screens and its kind) are listed only when a screenshot is asked for."""
    pages = "、".join(n for n, kind in names.items() if kind == "page") if names else "dashboard、roster 等"
    dialogs = "、".join(n for n, kind in names.items() if kind == "dialog") if names else "person、report 等"
    from registry.cli.chinese_argparse import ChineseArgumentParser

    parser = ChineseArgumentParser(
        prog="main.py", command_name="python main.py", description="快递行业党建台账", add_help=False,
        usage="main.py [--db 数据库文件] [--screenshot 图片.png [--page 名称 | --dialog 名称] [--size 宽×高] [--scale 倍数]]")
    options = parser.add_argument_group("选项")  # argparse's own heading is English
    options.add_argument("-h", "--help", action="help", help="显示本帮助后退出")
    options.add_argument("--db", type=Path, default=None, metavar="数据库文件", help="数据库文件（默认在用户数据目录）")
    options.add_argument("--screenshot", type=Path, default=None, metavar="图片.png",
                        help="把一个页面或对话框保存为图片后退出（数据库不存在时先用演示数据创建）")
    options.add_argument("--page", default=None, metavar="名称", help=f"截图的页面：{pages}")
    options.add_argument("--dialog", default=None, metavar="名称", help=f"截图的对话框：{dialogs}")
    options.add_argument("--size", default="1280x800", metavar="宽×高", help="屏幕大小（像素），默认 1280×800")
    options.add_argument("--scale", default="1", metavar="倍数", help="屏幕缩放，如 1.25 表示 125%%，默认 1")
    return parser


def main() -> int:
    import multiprocessing

    multiprocessing.freeze_support()  # imports run in a child process; needed in the frozen Windows build
    argv = sys.argv[1:]
    # The names come from the window's own list of screens; only looked up when needed, to keep the start quick.
    wanted = any(a.split("=")[0] in (*SCREENSHOT_FLAGS, "-h", "--help") for a in argv)
    names = _screen_names() if wanted else None
    args = build_parser(names).parse_args(argv)
    if args.screenshot:
        shot = screenshot_request(args, names or {})
        if isinstance(shot, str):
            print(shot, file=sys.stderr)
            return 2
        return _screenshot(args.db, *shot)
    if args.page or args.dialog:
        print("--page 和 --dialog 只和 --screenshot 一起使用，例如：main.py --screenshot 首页.png --page dashboard",
              file=sys.stderr)
        return 2

    from registry.exports import sweep_leftovers
    from ui.app import create_app

    sweep_leftovers()  # temporary files of personal data left by a killed export or backup
    app = create_app(sys.argv[:1])
    from PySide6.QtCore import QSettings

    from registry.paths import data_dir, default_db_path

    first = first_attempt(args.db, data_dir(), default_db_path(), QSettings())
    window = start_window(first, ask_after_failure) if first is not None else None
    if window is None:
        return 0
    window.show()
    window.daily_backup()  # backups: once a day on first open
    return app.exec()


def _screen_names() -> dict[str, str]:
    from ui.screens import screens

    return {name: screen.kind for name, screen in screens().items()}


def screenshot_request(args: argparse.Namespace, names: dict[str, str]) -> tuple[Path, str, tuple[int, int], float] | str:
    """(image, screen name, screen size, scale) from the options, or the Chinese sentence saying what is wrong."""
    if args.page and args.dialog:
        return "请只给 --page 或 --dialog 其中一个。"
    name = args.dialog or args.page or "dashboard"
    if name not in names:
        return f"没有名为“{name}”的页面或对话框；可以用的名称有：{'、'.join(names)}。"
    size = args.size.lower().replace("×", "x").replace("*", "x").split("x")
    if len(size) != 2 or not all(part.strip().isdigit() for part in size):
        return f"屏幕大小“{args.size}”无法识别，请写成 宽×高，如 1024×768。"
    width, height = (int(part) for part in size)
    if not (640 <= width <= 7680 and 480 <= height <= 4320):
        return f"屏幕大小“{args.size}”超出范围，宽请在 640 到 7680、高在 480 到 4320 像素之间。"
    try:
        scale = float(args.scale.replace("%", "")) / (100 if "%" in args.scale else 1)
    except ValueError:
        return f"缩放“{args.scale}”无法识别，请写成数字，如 1.25（表示 125%）。"
    if not 0.5 <= scale <= 4:
        return f"缩放“{args.scale}”超出范围，请在 0.5 到 4 之间（1.5 表示 150%）。"
    if args.screenshot.suffix.lower() not in (".png", ".jpg", ".jpeg", ".bmp"):
        return f"图片文件“{args.screenshot}”请以 .png 结尾。"
    return args.screenshot, name, (width, height), scale


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
    from registry.services.history import first_settings

    first_settings(reg, unit, secretary)  # its log rows are the secretary's, not the computer user's


def _demo_if_new(reg: Any) -> None:
    from registry.demo import fill_demo

    if reg.created:
        fill_demo(reg, unit="示例市快递物流行业党委（演示数据）")


def _screenshot(db: Path | None, image: Path, name: str, size: tuple[int, int], scale: float) -> int:
    """One page or dialog as it opens on a size[0]×size[1] screen at that scaling, saved as image; works headless."""
    import os
    import tempfile

    # Both are read when the application starts, so they are set before it exists.
    if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    os.environ["QT_SCALE_FACTOR"] = f"{scale:g}"
    from PySide6.QtCore import QSettings, qInstallMessageHandler

    # The offscreen platform says, for every window, that it cannot pass size hints on; nothing a reader can use.
    qInstallMessageHandler(lambda _kind, _where, text: None if "propagateSizeHints" in text
                           else print(text, file=sys.stderr))

    from ui.app import create_app

    # Sizes and window places remembered by the user's own window are neither used nor changed by a screenshot.
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tempfile.mkdtemp(prefix="screenshot-"))
    app = create_app(sys.argv[:1])
    from registry.errors import UserError
    from registry.storage.database import Registry
    from ui.main_window import MainWindow
    from ui.screens import available_area, open_screen

    if db is None:
        from registry.paths import data_dir

        db = data_dir() / "demo.db"
    try:
        reg = Registry(db, create=True)
        _demo_if_new(reg)
        window = MainWindow(reg)
        widget = open_screen(window, name, available_area(*size, scale))
    except (UserError, LookupError) as exc:
        print(getattr(exc, "message", None) or str(exc), file=sys.stderr)
        return 2
    app.processEvents()
    if not widget.grab().save(str(image)):
        print(f"无法保存图片“{image}”；请确认文件夹存在并且可以写入。", file=sys.stderr)
        return 2
    print(f"已保存“{image}”：{name}，{widget.width()}×{widget.height()}（屏幕 {size[0]}×{size[1]}，"
          f"缩放 {round(scale * 100)}%）")
    return 0


if __name__ == "__main__":
    sys.exit(main())
