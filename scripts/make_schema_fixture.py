"""Write a migration's schema fixture (`scripts/make_schema_fixture.py [NAME]`, default the newest): the fixture
before it, upgraded to it, with a few rows of the tables it adds."""

from __future__ import annotations

import sqlite3
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from registry.storage import migrations  # noqa: E402
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


def _volunteer_rows(reg: Registry) -> None:
    """Volunteer posts, a claim, a points rule and an activity with two participants (issue 14, helper V)."""
    from registry.services.volunteer import record_activity, set_rule
    from registry.services.volunteer_posts import add_post, claim_post

    people = [r[0] for r in reg.conn.execute("SELECT id FROM people ORDER BY id LIMIT 2")]
    post = add_post(reg, name="城南平安巡查岗", kind="平安巡查员", area="城南街道", opened_on="2026-01-01")
    set_rule(reg, "2026-01-01", per_hour=10, per_activity=5, by_type={"平安巡查": 5})
    if people:
        claim_post(reg, post, people[0], "2026-03-01")
        record_activity(reg, title="夜间平安巡查", kind="平安巡查", held_on="2026-06-10", default_hours=2,
                        post=str(post), participants=[(pid, None) for pid in people])


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


# The sample rows each migration's fixture gets for the tables it adds, on top of the fixture before it.
ROWS: dict[str, tuple[Callable[[Registry], None], ...]] = {
    "0004_org_life_dues_care": (care_rows, _volunteer_rows, _org_life_rows, _dues_rows),
}


def main(argv: list[str]) -> int:
    names = [name for name, _ in MIGRATIONS]
    newest = argv[0] if argv else names[-1]
    if newest not in names[1:]:
        print(f"没有名为 {newest} 的迁移（可选：{'、'.join(names[1:])}）")
        return 2
    previous = FIXTURES / f"{names[names.index(newest) - 1]}.sql"
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fixture.db"
        conn = sqlite3.connect(path)
        conn.executescript(previous.read_text(encoding="utf-8"))
        conn.close()
        # upgraded to this migration and no further (a later one's tables belong to its own fixture)
        migrations.MIGRATIONS = MIGRATIONS[:names.index(newest) + 1]
        with Registry(path) as reg:
            for add_rows in ROWS.get(newest, ()):
                add_rows(reg)
            reg.conn.execute("PRAGMA journal_mode = DELETE")
        conn = sqlite3.connect(path)
        text = "\n".join(conn.iterdump()) + "\n"
        conn.close()
    (FIXTURES / f"{newest}.sql").write_text(text, encoding="utf-8")
    print(f"已写入 {newest}.sql")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
