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


def care_rows(reg: Registry) -> None:
    """A few rows of the care network's tables (registry/storage/schema_care.py)."""
    from registry.services import care_lists, stations

    stations.add_station_type(reg, "小哥加油站", uses_class=True)
    stations.add_station(reg, name="白石洲暖蜂驿站", type="暖蜂驿站", street="沙河街道", community="白石洲社区",
                         services="饮水、充电、党员报到处", phone="13800138000")
    stations.set_visits(reg, "白石洲暖蜂驿站", "2026-11", 320)
    care_lists.add_care_street(reg, name="沙河暖蜂一条街", street="沙河街道")
    care_lists.add_merchant(reg, name="暖蜂超市", community="白石洲社区", station="白石洲暖蜂驿站",
                            care_street="沙河暖蜂一条街")


def main() -> int:
    newest = MIGRATIONS[-1][0]
    previous = FIXTURES / f"{MIGRATIONS[-2][0]}.sql"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fixture.db"
        conn = sqlite3.connect(path)
        conn.executescript(previous.read_text(encoding="utf-8"))
        conn.close()
        with Registry(path) as reg:
            care_rows(reg)
            reg.conn.execute("PRAGMA journal_mode = DELETE")
        conn = sqlite3.connect(path)
        text = "\n".join(conn.iterdump()) + "\n"
        conn.close()
    (FIXTURES / f"{newest}.sql").write_text(text, encoding="utf-8")
    print(f"已写入 {newest}.sql")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
