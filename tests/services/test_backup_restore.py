"""Restore: checked, the current state kept first, safe over a stale -wal and over a damaged file, audited."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from registry.demo import fill_demo
from registry.errors import UserError
from registry.services.backups import list_backups, make_backup
from registry.services.people import add_person
from registry.services.restore import inspect_backup, restore
from registry.storage.database import Registry
from tests.conftest import ID_MAN_1985, ID_MAN_2000
from tests.services.test_backups import damage

ROOT = Path(__file__).resolve().parents[2]


def people(db: Path) -> list[tuple[str, str]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT id_number, name FROM people ORDER BY id").fetchall()
    finally:
        conn.close()


def integrity(db: Path) -> str:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        return str(exc)
    finally:
        conn.close()


@pytest.fixture
def with_backup(tmp_path: Path) -> tuple[Path, Path, list[tuple[str, str]]]:
    """A database of 300 people, a backup of it, then one more person added after the backup."""
    db = tmp_path / "taizhang.db"
    with Registry(db, operator="测试员", create=True) as reg:
        fill_demo(reg, people=300)
        backup = make_backup(reg.conn, db, "每日", datetime(2026, 11, 30, 8, 0)).path
        add_person(reg, name="后来人", id_number=ID_MAN_1985)
    return db, backup, people(backup)


def test_restore_over_a_stale_wal_left_by_a_kill(with_backup: tuple[Path, Path, list]) -> None:
    db, backup, expected = with_backup
    child_code = ("import sys, time\n"
                  "from registry.storage.database import Registry\n"
                  "from registry.services.people import add_person\n"
                  "reg = Registry(sys.argv[1], create=True)\n"
                  "reg.conn.execute('PRAGMA wal_autocheckpoint = 0')  # the commit stays in the -wal\n"
                  "add_person(reg, name='被杀进程', id_number=sys.argv[2])\n"
                  "print('committed', flush=True)\n"
                  "time.sleep(60)\n")
    child = subprocess.Popen([sys.executable, "-c", child_code, str(db), ID_MAN_2000], cwd=ROOT,
                             stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None and child.stdout.readline().strip() == "committed"
    child.kill()  # SIGKILL (TerminateProcess on Windows): nothing of the child's own runs
    child.wait()
    wal = Path(f"{db}-wal")
    assert wal.exists() and wal.stat().st_size > 0  # the situation: committed work only in a stale -wal

    result = restore(db, backup, operator="测试员")

    assert result.kept is not None and result.kept.reason == "恢复前"
    assert ("440305200001012617", "被杀进程") in people(result.kept.path)  # what was there is kept
    assert not wal.exists() or wal.stat().st_size == 0
    assert people(db) == expected
    assert integrity(db) == "ok"
    with Registry(db, create=True) as reg:
        assert [(p["id_number"], p["name"]) for p in reg.query("SELECT id_number, name FROM people ORDER BY id")] \
            == expected
        op = reg.query("SELECT * FROM operations ORDER BY id DESC LIMIT 1")[0]
        assert op["action"] == "restore" and backup.name in op["summary"]


def test_restore_while_the_window_keeps_its_connection(with_backup: tuple[Path, Path, list]) -> None:
    db, backup, expected = with_backup
    with Registry(db, create=True) as window:
        assert window.scalar("SELECT count(*) FROM people") == len(expected) + 1
        restore(db, backup)
        assert window.scalar("SELECT count(*) FROM people") == len(expected)  # coherent, through SQLite
        add_person(window, name="恢复后", id_number=ID_MAN_2000)
    assert len(people(db)) == len(expected) + 1 and integrity(db) == "ok"


def test_restore_when_the_database_is_damaged(with_backup: tuple[Path, Path, list]) -> None:
    db, backup, expected = with_backup
    damage(db, start_page=10, pages=4)
    assert integrity(db) != "ok"  # the situation: the file no longer reads whole

    result = restore(db, backup, now=datetime(2026, 12, 1, 9, 30))

    assert result.kept is None
    assert result.moved_aside[0].name == "taizhang.损坏-20261201-0930.db"
    assert all(p.exists() and p.name.startswith("taizhang.损坏-") for p in result.moved_aside)
    assert people(db) == expected and integrity(db) == "ok"
    with Registry(db, create=True) as reg:
        assert reg.query("SELECT action FROM operations ORDER BY id DESC LIMIT 1")[0]["action"] == "restore"
    assert not [p for p in (db.parent / "backups").iterdir() if p.suffix == ".tmp"]


def test_refuses_a_bad_backup_and_changes_nothing(with_backup: tuple[Path, Path, list], tmp_path: Path) -> None:
    db, backup, _ = with_backup
    before = people(db)
    damage(backup, start_page=3, pages=2)
    with pytest.raises(UserError, match="已损坏.*没有恢复"):
        restore(db, backup)
    foreign = tmp_path / "foreign.db"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    with pytest.raises(UserError, match="不是本程序的数据库备份"):
        restore(db, foreign)
    text = tmp_path / "notes.db"
    text.write_text("hello")
    with pytest.raises(UserError, match="不是本程序的数据库备份"):
        restore(db, text)
    with pytest.raises(UserError, match="正在使用的数据库本身"):
        restore(db, db)
    with pytest.raises(UserError, match="找不到备份文件"):
        restore(db, tmp_path / "missing.db")
    assert people(db) == before
    assert [b.reason for b in list_backups(db)] == ["每日"]  # no 恢复前 copy for a refused restore


def test_refuses_to_overwrite_a_foreign_database(with_backup: tuple[Path, Path, list], tmp_path: Path) -> None:
    _, backup, _ = with_backup
    foreign = tmp_path / "其他程序.db"
    conn = sqlite3.connect(foreign)
    conn.execute("CREATE TABLE t (x)")
    conn.commit()
    conn.close()
    data = foreign.read_bytes()
    with pytest.raises(UserError, match="不是本程序的数据库，没有用备份覆盖它"):
        restore(foreign, backup)
    assert foreign.read_bytes() == data


def test_inspect_shows_what_the_backup_holds(with_backup: tuple[Path, Path, list]) -> None:
    db, backup, expected = with_backup
    info = inspect_backup(backup, db)
    assert (info.people, info.reason, info.at) == (len(expected), "每日", datetime(2026, 11, 30, 8, 0))
    assert info.last_change is not None
    assert not Path(f"{backup}-wal").exists() and not Path(f"{backup}-shm").exists()


def test_restore_into_a_missing_database(with_backup: tuple[Path, Path, list]) -> None:
    db, backup, expected = with_backup
    for p in (db, Path(f"{db}-wal"), Path(f"{db}-shm")):
        p.unlink(missing_ok=True)
    result = restore(db, backup)
    assert result.kept is None and result.moved_aside == []
    assert people(db) == expected


def test_restore_waits_for_a_writer_and_then_says_so(with_backup: tuple[Path, Path, list],
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    db, backup, _ = with_backup
    before = people(db)
    from registry.services import restore as restore_module

    real = restore_module._connect

    def quick(path: Path, mode: str) -> sqlite3.Connection:
        conn = real(path, mode)
        conn.execute("PRAGMA busy_timeout = 100")  # the test need not wait the full five seconds
        return conn

    monkeypatch.setattr(restore_module, "_connect", quick)
    writer = sqlite3.connect(db, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(UserError, match="正被另一个程序写入"):
            restore(db, backup)
    finally:
        writer.execute("ROLLBACK")
        writer.close()
    assert people(db) == before and [b.reason for b in list_backups(db)] == ["每日"]
