"""Start the desktop application: `python main.py [--db PATH]` (a demo database when there is no data yet)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def main() -> int:
    parser = argparse.ArgumentParser(description="快递行业党建台账")
    parser.add_argument("--db", type=Path, default=None)
    parser.add_argument("--screenshot", type=Path, default=None, help="把窗口保存为图片后退出")
    args = parser.parse_args()

    from registry.demo import fill_demo
    from registry.paths import default_db_path
    from registry.storage.database import Registry
    from ui.app import create_app
    from ui.main_window import MainWindow

    app = create_app(sys.argv[:1])
    path = args.db or default_db_path()
    fresh = not path.exists()
    reg = Registry(path)
    if fresh and args.db is None:
        fill_demo(reg)
    window = MainWindow(reg)
    window.show()
    if args.screenshot:
        app.processEvents()
        window.grab().save(str(args.screenshot))
        return 0
    return app.exec()


if __name__ == "__main__":
    sys.exit(main())
