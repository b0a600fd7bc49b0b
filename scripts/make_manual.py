"""Screenshots of this version for the user guide and docs/screenshots (`scripts/make_manual.py [--only NAME ...]`).

The guide's pictures (registry/resources/manual/*.png) show the window at 1366×768 with 125 % scaling, the
screen most secretaries have, in the states the guide describes (a census previewed, a report generated …);
docs/screenshots/<size>/ gets every page and dialog of ui/screens at 1024×768 @ 100 % and 1366×768 @ 125 %.
Each size renders in its own process (QT_SCALE_FACTOR must be set before Qt starts), offscreen, on a fresh
demo database, with the settings and data folders in a temporary folder. PNGs are reduced to 256 colours.

  --only NAME ...   just these shots (guide shot names or ui/screens names), e.g. `--only dashboard`
  --docs-only / --manual-only, --out FOLDER (FOLDER/manual and FOLDER/screenshots instead), --people N
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # run as a script from a checkout that is not installed (Windows, CI under Wine)
    sys.path.insert(0, str(ROOT))
MANUAL_DIR = ROOT / "registry" / "resources" / "manual"
DOCS_DIR = ROOT / "docs" / "screenshots"
TASKBAR = 40  # physical pixels the Windows taskbar takes from a screen's height


@dataclass(frozen=True)
class Display:
    """A screen: physical size and scaling; `available` is what a maximised window gets, in logical pixels."""

    width: int
    height: int
    scale: float

    @property
    def folder(self) -> str:
        return f"{self.width}x{self.height}-{round(self.scale * 100)}"

    @property
    def available(self) -> tuple[int, int]:
        return round(self.width / self.scale), int((self.height - TASKBAR) / self.scale)


OFFICE = Display(1366, 768, 1.25)  # the guide's screen; available 1093×582
SMALL = Display(1024, 768, 1.0)


# Parent: one child process per display -----------------------------------------------------------------
def run_child(display: Display, manual: Path | None, docs: Path | None, only: list[str], people: int) -> None:
    with tempfile.TemporaryDirectory(prefix="manual-") as tmp:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_SCALE_FACTOR": str(display.scale),
               "XDG_CONFIG_HOME": str(Path(tmp) / "config"), "DANGJIAN_DATA_DIR": str(Path(tmp) / "DangjianTaizhang")}
        argv = [sys.executable, str(Path(__file__).resolve()), "--child", f"{display.width}x{display.height}",
                str(display.scale), "--work", tmp, "--people", str(people)]
        argv += ["--manual-out", str(manual)] if manual else []
        argv += ["--docs-out", str(docs / display.folder)] if docs else []
        argv += ["--only", *only] if only else []
        child = subprocess.run(argv, env=env, cwd=ROOT, stderr=subprocess.PIPE, text=True)
        # the offscreen platform says this once per window shown; it is no problem of the screens
        noise = "This plugin does not support propagateSizeHints()"
        sys.stderr.write("".join(line for line in child.stderr.splitlines(True) if line.strip() != noise))
        if child.returncode != 0:
            raise SystemExit(f"截图失败（{display.folder}）")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="生成使用说明和 docs/screenshots 里的截图")
    parser.add_argument("--only", nargs="+", default=[], help="只生成这些截图")
    parser.add_argument("--docs-only", action="store_true")
    parser.add_argument("--manual-only", action="store_true")
    parser.add_argument("--out", type=Path, help="写到这个文件夹（其中的 manual 和 screenshots），而不是项目里")
    parser.add_argument("--people", type=int, default=300, help="演示数据的人数")
    parser.add_argument("--child", nargs=2, metavar=("SIZE", "SCALE"), help=argparse.SUPPRESS)
    parser.add_argument("--work", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--manual-out", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--docs-out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        width, height = (int(v) for v in args.child[0].split("x"))
        display = Display(width, height, float(args.child[1]))
        return render(display, args.work, args.manual_out, args.docs_out, args.only, args.people)
    manual = None if args.docs_only else (args.out / "manual" if args.out else MANUAL_DIR)
    docs = None if args.manual_only else (args.out / "screenshots" if args.out else DOCS_DIR)
    run_child(OFFICE, manual, docs, args.only, args.people)
    if docs:
        run_child(SMALL, None, docs, args.only, args.people)
    return 0


# Child: build the demo, render the shots -----------------------------------------------------------------
def save(widget: Any, out: Path) -> int:
    """The widget as a PNG of 256 colours (a screenshot of a form needs no more), optimised; returns bytes."""
    from PIL import Image

    out.parent.mkdir(parents=True, exist_ok=True)
    widget.grab().save(str(out))
    with Image.open(out) as image:
        small = image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    small.save(out, optimize=True)
    return out.stat().st_size


def prepare(work: Path, people: int) -> tuple[Any, Path]:
    """A demo registry as a secretary has it after a few weeks: data, a backup, a submitted monthly report."""
    from registry.demo import fill_demo
    from registry.demo_census import write_demo_census
    from registry.rules.periods import month_period
    from registry.services.backups import daily_backup
    from registry.services.submissions import write_report
    from registry.storage.database import Registry

    db = Path(os.environ["DANGJIAN_DATA_DIR"]) / "taizhang.db"  # the data folder as the app names it
    db.parent.mkdir(parents=True, exist_ok=True)
    reg = Registry(db, operator="李书记", create=True)
    fill_demo(reg, people=people)
    daily_backup(db)
    last_month = month_period(date.today().replace(day=1) - timedelta(days=1))
    write_report(reg, work / "月报.pdf", last_month, submit_it=True)
    return reg, write_demo_census(work / "城南街道摸排表.xlsx")


def render(display: Display, work: Path, manual_out: Path | None, docs_out: Path | None, only: list[str],
           people: int) -> int:
    from PySide6.QtCore import QSize
    from PySide6.QtWidgets import QApplication, QDialog

    from ui import worker
    from ui.app import create_app
    from ui.main_window import MainWindow
    from ui.screens import open_screen, screens

    create_app(["make_manual"])
    reg, sheet = prepare(work, people)
    window = MainWindow(reg)
    available = QSize(*display.available)
    written: list[tuple[Path, int]] = []

    def close(widget: Any) -> None:
        if isinstance(widget, QDialog):
            widget.reject()
            widget.deleteLater()
        worker.wait_idle()
        QApplication.processEvents()

    if docs_out is not None:
        for name in screens():
            if only and name not in only:
                continue
            widget = open_screen(window, name, available)
            written.append((docs_out / f"{name}.png", save(widget, docs_out / f"{name}.png")))
            close(widget)
        if not only or "manual" in only:  # 帮助 → 使用说明 itself (ui/help, not among ui/screens)
            from ui.help import open_manual

            guide = open_manual(window)
            guide.resize(guide.size().boundedTo(available))
            QApplication.processEvents()
            written.append((docs_out / "manual.png", save(guide, docs_out / "manual.png")))
            guide.close()
    if manual_out is not None:
        for name, shoot in guide_shots(sheet).items():
            if only and name not in only:
                continue
            widget = shoot(window, available)
            written.append((manual_out / f"{name}.png", save(widget, manual_out / f"{name}.png")))
            close(widget)
    for path, size in written:
        print(f"{path}  {size // 1024} KB")
    window.close()
    reg.close()
    return 0


Shot = Callable[[Any, Any], Any]


def settle(ms: int) -> None:
    """Let Qt finish what it does in the background (rendering) for `ms` milliseconds."""
    from PySide6.QtCore import QDeadlineTimer, QThread
    from PySide6.QtWidgets import QApplication

    deadline = QDeadlineTimer(ms)
    while not deadline.hasExpired():
        QApplication.processEvents()
        QThread.msleep(20)


def guide_shots(sheet: Path) -> dict[str, Shot]:
    """The guide's pictures by file name, in the order the guide uses them (the import shots build on each other)."""
    from PySide6.QtWidgets import QApplication

    from ui import worker
    from ui.screens import open_screen

    def screen(name: str) -> Shot:
        return lambda window, available: open_screen(window, name, available)

    def page(name: str, prepare: Callable[[Any], None] | None = None) -> Shot:
        def shoot(window: Any, available: Any) -> Any:
            widget = open_screen(window, name, available)
            if prepare is not None:
                prepare(window)
                worker.wait_idle()
            QApplication.processEvents()
            return widget

        return shoot

    def preview(window: Any) -> None:
        window.importer.restart()
        window.importer.add_files([sheet])
        worker.wait_idle()
        window.importer._go(2)  # the preview with its problem list (the sheets step comes first)

    def imported(window: Any) -> None:
        window.importer.start_import()

    def batches(window: Any) -> None:
        window.history.refresh()
        window.history.tabs.setCurrentIndex(1)
        if window.history.batches.rowCount():
            window.history.batches.selectRow(0)

    def roster(window: Any) -> None:
        window.roster.table.selectRow(2)

    def report(window: Any, available: Any) -> Any:
        dialog = open_screen(window, "report", available)
        dialog.generate()
        worker.wait_idle()
        settle(1500)  # the PDF view renders its pages in a thread of its own
        return dialog

    def record(window: Any, available: Any) -> Any:
        """发展党员纪实 of a probationary member: the development record with every stage's date."""
        from ui.dialogs.report_dialog import ReportDialog
        from ui.screens import _person_id

        dialog = ReportDialog(window.reg, window, person_id=_person_id(window.reg, "预备党员"))
        dialog.kind_group.button(4).setChecked(True)
        dialog.resize(dialog.sizeHint().expandedTo(dialog.minimumSizeHint()).boundedTo(available))
        dialog.show()
        dialog.generate()
        worker.wait_idle()
        settle(1500)
        return dialog

    def log(window: Any) -> None:
        window.history.refresh()
        window.history.tabs.setCurrentIndex(0)

    return {
        "welcome": screen("welcome"),
        "dashboard": screen("dashboard"),
        "import-sheets": page("import", lambda w: (w.importer.restart(), w.importer.add_files([sheet]))),
        "import-preview": page("import", preview),
        "import-done": page("import", imported),
        "history-batches": page("history", batches),
        "history": page("history", log),
        "roster": page("roster", roster),
        "person": screen("person"),
        "transfer-out": screen("transfer-out"),
        "flowing": screen("flowing"),
        "development": screen("development-record"),
        "stage": screen("stage-admission"),
        "record": record,
        "meeting": screen("meeting"),
        "report": report,
        "export": screen("export"),
        "archive": screen("archive"),
        "restore": screen("restore"),
    }


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
