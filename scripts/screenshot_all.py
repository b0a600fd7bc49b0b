"""Every page and dialog of ui.screens as PNGs, at office screen sizes (scripts/screenshot_all.py [folder]).

Writes <name>-<width>x<height>@<percent>.png for 1024×768 at 100 % and 1366×768 at 125 % (or the sizes given
as --at 1280x800@150), one Qt process per scaling since QT_SCALE_FACTOR is read when Qt starts. A demo
database is made for them in a temporary folder; nothing of the user's own data or settings is touched.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ("1024x768@100", "1366x768@125")


def _child(db: str, folder: str, scale: float, sizes: list[str]) -> int:
    os.environ["QT_SCALE_FACTOR"] = f"{scale:g}"
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    sys.path.insert(0, str(ROOT))
    from PySide6.QtCore import QSettings, qInstallMessageHandler

    qInstallMessageHandler(lambda _k, _w, text: None if "propagateSizeHints" in text else print(text, file=sys.stderr))
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, tempfile.mkdtemp(prefix="shots-"))
    from ui.app import create_app

    app = create_app(["screenshots"])
    from registry.storage.database import Registry
    from ui.main_window import MainWindow
    from ui.screens import available_area, open_screen, screens

    with Registry(Path(db), operator="李书记") as reg:
        for size in sizes:
            width, height = (int(n) for n in size.split("x"))
            window = MainWindow(reg)
            for name, screen in screens().items():
                widget = open_screen(window, name, available_area(width, height, scale))
                widget.grab().save(str(Path(folder) / f"{name}-{size}@{round(scale * 100)}.png"))
                if screen.kind == "dialog":
                    widget.hide()
                    widget.deleteLater()
                app.processEvents()
            window.hide()
            window.deleteLater()
    return 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["--child"]:
        return _child(argv[1], argv[2], float(argv[3]), argv[4:])
    at = [argv[i + 1] for i, a in enumerate(argv) if a == "--at" and i + 1 < len(argv)] or list(DEFAULT)
    rest = [a for i, a in enumerate(argv) if a != "--at" and (i == 0 or argv[i - 1] != "--at")]
    out = Path(rest[0]) if rest else ROOT / "docs" / "screens"
    out.mkdir(parents=True, exist_ok=True)
    by_scale: dict[float, list[str]] = {}
    for item in at:
        size, _, percent = item.partition("@")
        by_scale.setdefault(int(percent or 100) / 100, []).append(size)
    with tempfile.TemporaryDirectory() as tmp:
        sys.path.insert(0, str(ROOT))
        from registry.demo import UNIT, fill_demo
        from registry.services.history import set_setting
        from registry.storage.database import Registry

        db = Path(tmp) / "demo.db"
        with Registry(db, operator="李书记", create=True) as reg:
            fill_demo(reg)
            set_setting(reg, "unit", UNIT)
        runs = [subprocess.Popen([sys.executable, __file__, "--child", str(db), str(out), str(scale), *sizes])
                for scale, sizes in by_scale.items()]
        failed = sum(run.wait() != 0 for run in runs)
    print(f"截图已保存到 {out}" if not failed else "有截图没有做成，请看上面的信息。")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
