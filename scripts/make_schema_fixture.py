"""Write the fixture of the newest migration: the previous fixture upgraded, with a few rows of the new tables."""

from __future__ import annotations

import sqlite3
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from registry.storage.database import Registry  # noqa: E402
from registry.storage.migrations import MIGRATIONS  # noqa: E402

FIXTURES = ROOT / "tests" / "storage" / "schemas"


def main() -> int:
    newest = MIGRATIONS[-1][0]
    previous = FIXTURES / f"{MIGRATIONS[-2][0]}.sql"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fixture.db"
        conn = sqlite3.connect(path)
        conn.executescript(previous.read_text(encoding="utf-8"))
        conn.close()
        with Registry(path) as reg:
            reg.conn.execute("PRAGMA journal_mode = DELETE")
        conn = sqlite3.connect(path)
        text = "\n".join(conn.iterdump()) + "\n"
        conn.close()
    (FIXTURES / f"{newest}.sql").write_text(text, encoding="utf-8")
    print(f"已写入 {newest}.sql")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
