"""Opening a file: never created by accident, only this program's files, damage found before any write."""

from __future__ import annotations

import os
import sqlite3
import stat
import sys
from pathlib import Path

import pytest

from registry.cli.main import main
from registry.demo import fill_demo
from registry.errors import DatabaseDamaged, DatabaseMissing, NotRegistryDatabase, UserError
from registry.services.organizations import add_org
from registry.storage import opening
from registry.storage.database import Registry
from registry.storage.opening import APPLICATION_ID, quick_check

FIXTURES = Path(__file__).parent / "schemas"


def beside(path: Path) -> list[str]:
    return sorted(p.name for p in path.parent.iterdir() if p.name.startswith(path.name + "-"))


def cli(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str]:
    code = main(["--db", str(db), *args])
    return code, capsys.readouterr().err


# Creating is explicit -------------------------------------------------------------------------------------
def test_a_missing_file_is_not_created(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    typo = tmp_path / "没有这个文件夹" / "台帐.db"
    with pytest.raises(DatabaseMissing, match="找不到数据库文件.*init") as exc:
        Registry(typo)
    assert exc.value.path == typo
    code, err = cli(capsys, typo, "people")
    assert code == 2 and "找不到数据库文件" in err and "init" in err
    assert not typo.parent.exists()
    # Even init does not invent a folder other than the program's own data folder.
    code, err = cli(capsys, typo, "init")
    assert code == 2 and "文件夹" in err and "不存在" in err
    assert not typo.parent.exists()


def test_init_demo_and_import_may_create(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli(capsys, tmp_path / "a.db", "init")[0] == 0
    assert cli(capsys, tmp_path / "b.db", "demo", "--people", "5")[0] == 0
    assert (tmp_path / "a.db").exists() and (tmp_path / "b.db").exists()
    code, err = cli(capsys, tmp_path / "c.db", "person", "add", "--name", "张三", "--id-number", "11010519491231002X")
    assert code == 2 and "找不到" in err and not (tmp_path / "c.db").exists()


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes; on Windows the profile folder's ACL applies")
def test_the_own_data_folder_is_made_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "用户" / "数据"
    monkeypatch.setenv("DANGJIAN_DATA_DIR", str(folder))
    old = os.umask(0o022)
    try:
        with Registry(folder / "taizhang.db", create=True) as reg:
            add_org(reg, name="甲党支部")
            files = [folder / "taizhang.db", folder / "taizhang.db-wal", folder / "taizhang.db-shm"]
            assert [stat.S_IMODE(p.stat().st_mode) for p in files] == [0o600] * 3
    finally:
        os.umask(old)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert stat.S_IMODE(folder.parent.stat().st_mode) == 0o700


def test_every_connection_deletes_securely(reg: Registry) -> None:
    assert reg.scalar("PRAGMA secure_delete") == 1
    with reg.clone() as other:
        assert other.scalar("PRAGMA secure_delete") == 1
    assert reg.scalar("PRAGMA application_id") == APPLICATION_ID


def test_close_never_deletes_the_wal(tmp_path: Path) -> None:
    """The close-time checkpoint is off: the -wal and -shm files outlive every connection of ours."""
    path = tmp_path / "a.db"
    with Registry(path, create=True) as reg:
        add_org(reg, name="甲党支部")
        with Registry(path) as other:
            add_org(other, name="乙党支部")
        assert reg.scalar("SELECT count(*) FROM organizations") == 2  # an idle reader is not disturbed
    assert beside(path) == ["a.db-shm", "a.db-wal"]
    assert (tmp_path / "a.db-wal").stat().st_size == 0  # emptied on close, never deleted
    with Registry(path) as reg:
        assert reg.scalar("SELECT count(*) FROM organizations") == 2


# Other files are refused, untouched ------------------------------------------------------------------------
def assert_refused_untouched(path: Path, capsys: pytest.CaptureFixture[str], match: str) -> None:
    before = path.read_bytes()
    with pytest.raises(NotRegistryDatabase, match=match):
        Registry(path)
    with pytest.raises(NotRegistryDatabase, match=match):
        Registry(path, create=True)  # not even init may take over another program's file
    for command in (["people"], ["init"], ["demo", "--people", "3"], ["org", "add", "--name", "甲党支部"]):
        code, err = cli(capsys, path, *command)
        assert code == 2 and "Traceback" not in err and err.count("\n") == 1, (command, err)
    assert path.read_bytes() == before
    assert beside(path) == []


def test_a_file_that_is_not_sqlite(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "名单.db"
    path.write_bytes("姓名,身份证号\n张三,510104198503154210\n".encode() * 50)
    assert_refused_untouched(path, capsys, "不是本程序的台账数据库")


@pytest.mark.parametrize("app_id", [0, 0x0F055112])
def test_another_programs_sqlite_file(tmp_path: Path, capsys: pytest.CaptureFixture[str], app_id: int) -> None:
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA application_id = {app_id}")
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, text TEXT)")
    conn.execute("INSERT INTO notes (text) VALUES ('别人的数据')")
    conn.commit()
    conn.close()
    assert_refused_untouched(path, capsys, "不是本程序的台账数据库")


def test_another_programs_wal_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A foreign file in WAL mode: read without SQLite's locking, so no -wal/-shm appear beside it."""
    path = tmp_path / "other.db"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE things (id INTEGER PRIMARY KEY)")
    conn.commit()
    conn.close()
    assert beside(path) == []
    assert_refused_untouched(path, capsys, "不是本程序的台账数据库")


def test_a_folder_or_an_empty_file(tmp_path: Path) -> None:
    with pytest.raises(NotRegistryDatabase, match="文件夹"):
        Registry(tmp_path, create=True)
    empty = tmp_path / "空.db"
    empty.write_bytes(b"")
    with pytest.raises(NotRegistryDatabase, match="空文件"):
        Registry(empty)
    assert empty.read_bytes() == b""
    with Registry(empty, create=True) as reg:  # init may set up a file that holds nothing at all
        assert reg.scalar("PRAGMA application_id") == APPLICATION_ID


def test_a_database_made_before_the_mark_is_ours(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    conn = sqlite3.connect(path)
    conn.executescript((FIXTURES / "0001_initial.sql").read_text(encoding="utf-8"))
    conn.close()
    with Registry(path) as reg:
        assert reg.scalar("PRAGMA application_id") == APPLICATION_ID


# Damaged files ---------------------------------------------------------------------------------------------
@pytest.fixture
def damaged(tmp_path: Path) -> Path:
    path = tmp_path / "坏了.db"
    with Registry(path, create=True, operator="测试员") as reg:
        fill_demo(reg, people=300)
        assert reg.checkpoint("TRUNCATE")
        pages = reg.scalar("PRAGMA page_count")
        size = reg.scalar("PRAGMA page_size")
        # the people table's own pages, so that listing people meets the damage (pages are numbered from 1)
        root = reg.scalar("SELECT rootpage FROM sqlite_master WHERE name = 'people'")
    assert pages > 20
    with open(path, "r+b") as f:  # no connection is open any more: plain file access is safe here
        for page in range(root - 1, root + 2):
            f.seek(page * size)
            f.write(b"\xa5" * size)
    return path


def test_a_damaged_database_is_refused_and_left_as_it_is(damaged: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = damaged.read_bytes()
    with pytest.raises(DatabaseDamaged, match="已经损坏.*备份恢复") as exc:
        Registry(damaged)
    assert exc.value.path == damaged
    sentence = exc.value.message
    for command in (["people"], ["init"], ["person", "add", "--name", "张三", "--id-number", "11010519491231002X"]):
        code, err = cli(capsys, damaged, *command)
        assert code == 2 and err.strip() == sentence, (command, err)
    assert damaged.read_bytes() == before
    assert damaged.with_name(damaged.name + "-wal").stat().st_size == 0


def test_the_damage_check_is_bounded(tmp_path: Path) -> None:
    """When the time is up the check stops without a verdict (False) and the file opens; a damaged page is
    then still reported the first time it is read (next test)."""
    path = tmp_path / "a.db"
    with Registry(path, create=True) as reg:
        fill_demo(reg, people=50)
    conn = sqlite3.connect(path)
    try:
        assert quick_check(conn, path) is True
        assert quick_check(conn, path, seconds=-1) is False  # already past the bound
        assert conn.execute("SELECT 1").fetchone() == (1,)  # the progress handler is gone again
    finally:
        conn.close()


def test_a_damaged_page_found_later_is_the_same_sentence(damaged: Path, monkeypatch: pytest.MonkeyPatch,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(opening, "quick_check", lambda conn, path: False)  # as if the time ran out
    code, err = cli(capsys, damaged, "people", "--all")
    assert code == 2 and "已经损坏" in err


def test_refuses_without_the_close_setting(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """If the close-time checkpoint cannot be switched off, the file is not opened at all."""
    monkeypatch.setattr(opening, "_no_ckpt_on_close", lambda conn: False)
    with pytest.raises(UserError, match="安全设置"):
        Registry(tmp_path / "a.db", create=True)
    assert not (tmp_path / "a.db").exists()


def test_a_snapshot_reads_a_backup_without_touching_it(tmp_path: Path, damaged: Path) -> None:
    from registry.services.backup import backup_to
    from registry.storage.opening import open_snapshot

    with Registry(tmp_path / "live.db", create=True) as reg:
        fill_demo(reg, people=20)
        backup = tmp_path / "备份" / "b.db"
        backup.parent.mkdir()
        backup_to(reg, backup)
    before = backup.read_bytes()
    conn = open_snapshot(backup)
    try:
        assert conn.execute("SELECT count(*) FROM people").fetchone()[0] == 20
    finally:
        conn.close()
    assert backup.read_bytes() == before and beside(backup) == []
    with pytest.raises(DatabaseDamaged):
        open_snapshot(damaged)
    other = tmp_path / "other.db"
    other.write_bytes(b"x" * 4096)
    with pytest.raises(NotRegistryDatabase):
        open_snapshot(other)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file modes; on Windows the profile folder's ACL applies")
def test_a_database_made_readable_by_others_is_narrowed_on_open(tmp_path: Path) -> None:
    db = tmp_path / "旧版.db"
    with Registry(db, create=True) as reg:
        add_org(reg, name="甲党支部")
    files = [db, tmp_path / "旧版.db-wal", tmp_path / "旧版.db-shm"]
    for p in files:
        os.chmod(p, 0o644)  # as an older version left it
    with Registry(db) as reg:
        assert reg.scalar("SELECT count(*) FROM organizations") == 1
    assert [stat.S_IMODE(p.stat().st_mode) for p in files] == [0o600] * 3
