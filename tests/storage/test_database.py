"""The audited writer: transactions commit whole or not at all, and every change is logged."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from registry.errors import UserError
from registry.services.history import history
from registry.services.organizations import add_org
from registry.storage.database import Registry
from registry.storage.migrations import MIGRATIONS, applied


def test_pragmas_and_migrations(reg: Registry) -> None:
    assert reg.scalar("PRAGMA journal_mode") == "wal"
    assert reg.scalar("PRAGMA foreign_keys") == 1
    assert reg.scalar("PRAGMA synchronous") == 2  # FULL
    assert applied(reg.conn) == [name for name, _ in MIGRATIONS]


def test_failed_use_case_changes_nothing(reg: Registry) -> None:
    with pytest.raises(RuntimeError), reg.transaction("test") as tx:
        tx.insert("organizations", {"name": "甲党支部", "norm_name": "甲党支部"})
        raise RuntimeError("boom")
    assert reg.scalar("SELECT count(*) FROM organizations") == 0
    assert reg.scalar("SELECT count(*) FROM audit_log") == 0
    assert reg.scalar("SELECT count(*) FROM operations") == 0


def test_update_logs_only_changed_fields(reg: Registry) -> None:
    with reg.transaction("test") as tx:
        oid = tx.insert("organizations", {"name": "甲党支部", "norm_name": "甲党支部", "secretary": "张三"})
    with reg.transaction("test") as tx:
        diff = tx.update("organizations", oid, {"secretary": "李四", "name": "甲党支部"})
    assert diff == {"secretary": ("张三", "李四")}
    rows = history(reg)
    first = rows[0]
    assert (first["op"], first["field"], first["old"], first["new"]) == ("update", "secretary", "张三", "李四")
    assert rows[1]["op"] == "insert" and "甲党支部" in rows[1]["new"]


def test_no_change_leaves_no_operation(reg: Registry) -> None:
    with reg.transaction("test") as tx:
        oid = tx.insert("organizations", {"name": "甲党支部", "norm_name": "甲党支部"})
    before = reg.scalar("SELECT count(*) FROM operations")
    with reg.transaction("test") as tx:
        tx.update("organizations", oid, {"name": "甲党支部"})
    assert reg.scalar("SELECT count(*) FROM operations") == before


def test_reopen_keeps_data_and_operator(tmp_path: Path) -> None:
    path = tmp_path / "a.db"
    with Registry(path, operator="王书记") as reg:
        add_org(reg, name="乙党支部")
    with Registry(path) as reg:
        assert reg.scalar("SELECT count(*) FROM organizations") == 1
        assert history(reg)[0]["operator"] == "王书记"


def test_not_a_database(tmp_path: Path) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(UserError, match="不是有效的台账数据库|无法打开"):
        Registry(bad)


def test_newer_schema_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    Registry(path).close()
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO migrations VALUES ('9999_future', '2030-01-01')")
    conn.commit()
    conn.close()
    with pytest.raises(UserError, match="更新版本"):
        Registry(path)
