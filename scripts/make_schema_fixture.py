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


def _dues_rows(reg: Registry) -> None:
    """党费 (issue 14 item 3): a base from a month on and a payment covering several months, for 张三."""
    with reg.transaction("fixture.dues", "样例党费记录") as tx:
        person = tx.conn.execute("SELECT id FROM people WHERE name = '张三'").fetchone()
        if person is None:
            return
        tx.insert("dues_bases", {"person_id": person[0], "from_month": "2026-01", "payer_class": "在职",
                                 "base": "4200.00", "amount": "42.00", "pays_at": "本单位"}, label="张三")
        tx.insert("dues_payments", {"person_id": person[0], "first_month": "2026-01", "last_month": "2026-06",
                                    "paid_on": "2026-06-30", "amount": "252.00"}, label="张三")


def main() -> int:
    newest = MIGRATIONS[-1][0]
    previous = FIXTURES / f"{MIGRATIONS[-2][0]}.sql"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fixture.db"
        conn = sqlite3.connect(path)
        conn.executescript(previous.read_text(encoding="utf-8"))
        conn.close()
        with Registry(path) as reg:
            _dues_rows(reg)
            reg.conn.execute("PRAGMA journal_mode = DELETE")
        conn = sqlite3.connect(path)
        text = "\n".join(conn.iterdump()) + "\n"
        conn.close()
    (FIXTURES / f"{newest}.sql").write_text(text, encoding="utf-8")
    print(f"已写入 {newest}.sql")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
