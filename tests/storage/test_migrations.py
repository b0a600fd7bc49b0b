"""Every released schema version opens and upgrades: one SQL fixture per released version."""

from __future__ import annotations

import sqlite3
from datetime import date
from pathlib import Path

import pytest

from registry.services.people import add_person
from registry.storage.database import Registry
from registry.storage.migrations import MIGRATIONS

FIXTURES = Path(__file__).parent / "schemas"


def test_a_fixture_for_every_migration() -> None:
    names = {p.stem for p in FIXTURES.glob("*.sql")}
    assert names == {name for name, _ in MIGRATIONS}


@pytest.mark.parametrize("fixture", sorted(FIXTURES.glob("*.sql")), ids=lambda p: p.stem)
def test_released_schema_upgrades(fixture: Path, tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.executescript(fixture.read_text(encoding="utf-8"))
    conn.close()
    with Registry(path) as reg:
        assert reg.scalar("SELECT count(*) FROM migrations") == len(MIGRATIONS)
        assert reg.scalar("SELECT count(*) FROM people") >= 1
        add_person(reg, name="新人员", id_number="11010519491231002X")
        assert reg.scalar("SELECT count(*) FROM people") >= 2


def test_dated_membership_upgrade_keeps_flowing_members_and_the_past(tmp_path: Path) -> None:
    """0001 → 0002: a flowing member becomes 流入, and nobody's managed_from is invented (NULL: always here)."""
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.executescript((FIXTURES / "0001_initial.sql").read_text(encoding="utf-8"))
    conn.execute("UPDATE people SET flowing = 1, home_organization = '四川省某村党支部'")
    conn.commit()
    conn.close()
    with Registry(path) as reg:
        assert reg.query("SELECT relation, flowing, managed_from, state_from FROM people") == [
            {"relation": "流入", "flowing": 1, "managed_from": None, "state_from": None}]
        from registry.services.stats import statistics

        assert statistics(reg, date(2001, 1, 1))["members"]["flowing_in"] == 1


def test_development_steps_upgrade_keeps_every_persons_dates(tmp_path: Path) -> None:
    """0002 → 0003: every person's stored values (their stage dates among them) are as they were; the step
    list starts empty and nobody is marked cancelled."""
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.executescript((FIXTURES / "0002_dated_membership.sql").read_text(encoding="utf-8"))
    conn.execute("UPDATE people SET applied_on = '2008-03', activist_on = '2008-09-01', target_on = '2009-10-01',"
                 " full_on = '2011-07', contacts = '李四', introducers = '李四、王五', extension_months = NULL")
    conn.commit()
    conn.row_factory = sqlite3.Row
    before = [dict(r) for r in conn.execute("SELECT * FROM people ORDER BY id")]
    conn.close()
    with Registry(path) as reg:
        after = reg.query("SELECT * FROM people ORDER BY id")
        assert [{k: r[k] for k in before[0]} for r in after] == before
        assert all(r["cancelled_on"] is None for r in after)
        assert reg.scalar("SELECT count(*) FROM development_steps") == 0
        from registry.services.stats import statistics

        assert statistics(reg, date(2026, 6, 1))["by_category"]["正式党员"] == 1


def _schema(conn: sqlite3.Connection) -> set[tuple[str, str]]:
    return {(name, " ".join(sql.split())) for name, sql in
            conn.execute("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite_%'")}


def test_the_newest_fixture_is_todays_schema(tmp_path: Path) -> None:
    """A new table or column without a new fixture (scripts/make_schema_fixture.py) would go untested on upgrade."""
    newest = FIXTURES / f"{MIGRATIONS[-1][0]}.sql"
    old = sqlite3.connect(":memory:")
    old.executescript(newest.read_text(encoding="utf-8"))
    with Registry(tmp_path / "new.db", create=True) as reg:
        assert _schema(old) == _schema(reg.conn)


def test_checks_without_in_lists_refuse_and_accept_the_same_values(tmp_path: Path) -> None:
    """0006 → 0007: people's and audit_log's CHECKs are spelled as OR chains; the rows are as they were, the
    upgraded file passes integrity_check, and the same values are refused (a NULL gender still passes)."""
    from registry.storage.migrations import or_checks

    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.executescript((FIXTURES / "0006_roster_pinyin_in_memory.sql").read_text(encoding="utf-8"))
    conn.row_factory = sqlite3.Row
    before = [dict(r) for r in conn.execute("SELECT * FROM people ORDER BY id")]
    old_sql = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'people'").fetchone()[0]
    conn.close()
    with Registry(path) as reg:
        assert reg.query("SELECT * FROM people ORDER BY id") == before
        assert reg.scalar("PRAGMA integrity_check") == "ok"
        for table in ("people", "audit_log"):
            assert " IN (" not in reg.scalar("SELECT sql FROM sqlite_master WHERE name = ?", (table,))
        columns = "id_number, name, created_at, updated_at"
        for column, bad, good in (("category", "党员", "正式党员"), ("gender", "M", None), ("relation", "外出", "流出"),
                                  ("flowing", 2, 1), ("status", "停止", "停止党籍"), ("lost_contact", -1, 0)):
            with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
                reg.conn.execute(f"INSERT INTO people ({columns}, {column}) VALUES ('x1', '甲', '', '', ?)", (bad,))
            reg.conn.execute(f"INSERT INTO people ({columns}, {column}) VALUES ('x2', '乙', '', '', ?)", (good,))
            reg.conn.execute("DELETE FROM people WHERE id_number = 'x2'")
    assert or_checks("a TEXT CHECK (a IN ('x', 'y')), b INT CHECK (b IN (0,1))") == (
        "a TEXT CHECK (a = 'x' OR a = 'y'), b INT CHECK (b = 0 OR b = 1)")
    assert "CHECK (category IN" in old_sql
