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


def _org_life_rows(reg: Registry) -> None:
    """组织生活 (schema_org_life): a 党小组 with a member, a branch's settings, a planned meeting, an attachment."""
    org = reg.conn.execute("SELECT id FROM organizations WHERE type LIKE '%支部' ORDER BY id").fetchone()
    person = reg.conn.execute("SELECT id FROM people ORDER BY id").fetchone()
    if org is None:
        return
    with reg.transaction("fixture.org_life", "组织生活的样例记录") as tx:
        group = tx.insert("party_groups", {"organization_id": org[0], "name": "第一党小组", "since": "2026-01-01"})
        if person is not None:
            tx.insert("party_group_members", {"group_id": group, "person_id": person[0], "since": "2026-01-01"})
        tx.insert("org_life_settings", {"organization_id": org[0], "committee": "有", "lessons_per_year": 4})
        meeting = tx.insert("meetings", {"organization_id": org[0], "kind": "党小组会", "held_on": "2027-01-12",
                                         "status": "计划", "group_id": group, "host": "组长"})
        tx.insert("meeting_attachments", {"meeting_id": meeting, "path": "C:/台账/签到表.jpg", "name": "签到表.jpg",
                                          "size": 1024, "sha256": "0" * 64})


def main() -> int:
    newest = MIGRATIONS[-1][0]
    previous = FIXTURES / f"{MIGRATIONS[-2][0]}.sql"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fixture.db"
        conn = sqlite3.connect(path)
        conn.executescript(previous.read_text(encoding="utf-8"))
        conn.close()
        with Registry(path) as reg:
            _org_life_rows(reg)
            reg.conn.execute("PRAGMA journal_mode = DELETE")
        conn = sqlite3.connect(path)
        text = "\n".join(conn.iterdump()) + "\n"
        conn.close()
    (FIXTURES / f"{newest}.sql").write_text(text, encoding="utf-8")
    print(f"已写入 {newest}.sql")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
