"""Read-only files and folders, a full disk and a locked database are sentences naming the real cause."""

from __future__ import annotations

import multiprocessing
import os
import sqlite3
import sys
from pathlib import Path

import pytest

from registry.cli.main import main
from registry.errors import DatabaseBusy, UserError
from registry.services.organizations import add_org
from registry.storage import opening
from registry.storage.database import Registry
from registry.storage.sqlite_errors import user_error

AS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0  # root may write anything: chmod proves nothing then


def org_count(path: Path) -> int:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return int(conn.execute("SELECT count(*) FROM organizations").fetchone()[0])
    finally:
        conn.close()


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "data" / "taizhang.db"
    path.parent.mkdir()
    with Registry(path, create=True) as reg:
        add_org(reg, name="甲党支部")
    return path


# Read-only -------------------------------------------------------------------------------------------------
@pytest.mark.skipif(AS_ROOT, reason="root ignores file modes; the fake below covers the message")
def test_read_only_file_and_folder_for_real(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db.chmod(0o400)
    try:
        assert main(["--db", str(db), "org", "add", "--name", "乙党支部"]) == 2
        assert "只读" in capsys.readouterr().err
    finally:
        db.chmod(0o600)
    if sys.platform == "win32":
        return  # a Windows folder's read-only flag does not stop files being made in it
    db.parent.chmod(0o500)
    try:
        assert main(["--db", str(db), "org", "add", "--name", "乙党支部"]) == 2
        err = capsys.readouterr().err
        assert "文件夹" in err and "不允许写入" in err
    finally:
        db.parent.chmod(0o700)
    assert org_count(db) == 1


@pytest.mark.parametrize(("unwritable", "says"), [("file", "是只读的"), ("folder", "文件夹")])
def test_read_only_file_and_folder_say_which(db: Path, capsys: pytest.CaptureFixture[str], unwritable: str,
                                            says: str, monkeypatch: pytest.MonkeyPatch) -> None:
    target = db if unwritable == "file" else db.parent
    real = os.access
    monkeypatch.setattr(os, "access", lambda p, mode: False if Path(p) == target and mode == os.W_OK
                        else real(p, mode))
    code = main(["--db", str(db), "org", "add", "--name", "乙党支部"])
    err = capsys.readouterr().err
    assert code == 2 and says in err and "请确认它是本程序的数据库" not in err
    assert org_count(db) == 1


def test_a_write_refused_by_sqlite_is_a_sentence(db: Path) -> None:
    """The file turns read-only while open (an SQLITE_READONLY from SQLite itself, however it happens)."""
    with Registry(db) as reg:
        real = reg.conn
        reg.conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)
        try:
            with pytest.raises(UserError, match="不能写入|只读|不允许写入") as exc:
                add_org(reg, name="乙党支部")
            assert "SQLITE" not in exc.value.message
        finally:
            reg.conn.close()
            reg.conn = real
    assert org_count(db) == 1


# A full disk -----------------------------------------------------------------------------------------------
def test_a_full_disk_is_named_and_not_hidden_by_the_rollback(db: Path) -> None:
    with Registry(db) as reg:
        pages = reg.scalar("PRAGMA page_count")
        reg.conn.execute(f"PRAGMA max_page_count = {pages + 2}")
        with pytest.raises(UserError, match="磁盘空间已满") as exc, reg.transaction("测试") as tx:
            for i in range(200):
                tx.insert("organizations", {"name": f"党支部{i}" + "长" * 2000, "norm_name": f"党支部{i}",
                                            "notes": "备注" * 4000})
        assert isinstance(exc.value.__cause__, sqlite3.Error)
        assert reg.scalar("SELECT count(*) FROM organizations") == 1
        reg.conn.execute("PRAGMA max_page_count = 1073741823")
        add_org(reg, name="乙党支部")  # the connection is fine once there is room again
    assert org_count(db) == 2


def test_translation_of_each_kind() -> None:
    def error(name: str) -> sqlite3.Error:
        exc = sqlite3.OperationalError("x")
        exc.sqlite_errorname = name  # type: ignore[attr-defined]
        return exc

    path = Path("/nowhere/taizhang.db")
    assert "磁盘空间已满" in str(user_error(error("SQLITE_FULL"), path))
    assert isinstance(user_error(error("SQLITE_BUSY_SNAPSHOT"), path), DatabaseBusy)
    assert "损坏" in str(user_error(error("SQLITE_CORRUPT_INDEX"), path))
    assert "磁盘出错" in str(user_error(error("SQLITE_IOERR_WRITE"), path))
    assert "无法打开" in str(user_error(error("SQLITE_CANTOPEN"), path))
    assert user_error(error("SQLITE_ERROR"), path) is None  # a program error stays one
    assert user_error(ValueError("x"), path) is None


# Two writers -----------------------------------------------------------------------------------------------
def test_a_writer_that_waits_too_long_gets_a_sentence(db: Path, monkeypatch: pytest.MonkeyPatch,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(opening, "BUSY_TIMEOUT_MS", 100)
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another program in the middle of a long write
    try:
        with Registry(db) as reg:
            assert reg.scalar("SELECT count(*) FROM organizations") == 1  # reading still works
            with pytest.raises(DatabaseBusy, match="另一个程序"):
                add_org(reg, name="乙党支部")
        code = main(["--db", str(db), "org", "add", "--name", "乙党支部"])
        err = capsys.readouterr().err
        assert code == 2 and "另一个程序" in err and "locked" not in err and "内部错误" not in err
        assert err.count("\n") == 1
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert org_count(db) == 1


def _add_orgs(path: str, prefix: str, count: int) -> int:
    with Registry(path, operator=prefix) as reg:
        for i in range(count):
            add_org(reg, name=f"{prefix}{i:02d}党支部")
    return count


def test_two_writers_at_once_are_serialised(db: Path) -> None:
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(2) as pool:
        jobs = [pool.apply_async(_add_orgs, (str(db), prefix, 25)) for prefix in ("东", "西")]
        assert [job.get(timeout=120) for job in jobs] == [25, 25]
    with Registry(db) as reg:
        assert reg.scalar("SELECT count(*) FROM organizations") == 51
        assert reg.scalar("SELECT count(DISTINCT operation_id) FROM audit_log") == 51
        assert reg.scalar("PRAGMA integrity_check") == "ok"
