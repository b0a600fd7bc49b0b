"""The audited writer: transactions commit whole or not at all, and every change is logged."""

from __future__ import annotations

import json
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
    with Registry(path, operator="王书记", create=True) as reg:
        add_org(reg, name="乙党支部")
    with Registry(path) as reg:
        assert reg.scalar("SELECT count(*) FROM organizations") == 1
        assert history(reg)[0]["operator"] == "王书记"


def test_not_a_database(tmp_path: Path) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(UserError, match="不是本程序的台账数据库"):
        Registry(bad)


def test_newer_schema_refused(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    Registry(path, create=True).close()
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO migrations VALUES ('9999_future', '2030-01-01')")
    conn.commit()
    conn.close()
    with pytest.raises(UserError, match="更新版本"):
        Registry(path)


def _index_sql(reg: Registry) -> set[str]:
    return {r[0] for r in reg.conn.execute("SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")}


@pytest.mark.parametrize("rebuild", [False, True])
def test_bulk_insert_logs_each_row_and_keeps_indexes(reg: Registry, rebuild: bool) -> None:
    before = _index_sql(reg)
    cols = ("id_number", "name", "phone", "category", "flowing", "created_at", "updated_at")
    rows = [("11010519491231002X", "张三", None, "群众", 0, "t", "t"), ("110105194912310037", "李四", "", "正式党员", 1, "t", "t")]
    with reg.transaction("test") as tx:
        first = tx.insert_rows("people", cols, rows, rebuild_indexes=rebuild)
    assert _index_sql(reg) == before
    logged = reg.query("SELECT entity_id, label, new FROM audit_log WHERE op = 'insert' ORDER BY entity_id")
    assert [(r["entity_id"], r["label"]) for r in logged] == [(first, "张三"), (first + 1, "李四")]
    # The inserted columns as stored; the history shows only the filled ones.
    assert json.loads(logged[0]["new"]) == {"id_number": "11010519491231002X", "name": "张三", "phone": None,
                                            "category": "群众", "flowing": 0, "created_at": "t", "updated_at": "t"}
    assert json.loads(logged[1]["new"])["phone"] == ""


def test_failed_bulk_insert_restores_dropped_indexes(reg: Registry) -> None:
    before = _index_sql(reg)
    cols = ("id_number", "name", "category", "created_at", "updated_at")
    with pytest.raises(sqlite3.IntegrityError), reg.transaction("test") as tx:
        tx.insert_rows("people", cols, [("11010519491231002X", "张三", "群众", "t", "t")] * 2, rebuild_indexes=True)
    assert _index_sql(reg) == before
    assert reg.scalar("SELECT count(*) FROM people") == 0
    assert reg.scalar("SELECT count(*) FROM audit_log") == 0
