"""Automatic backups: checked before they count, named readably, private, rotated, never half-written."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest

from registry import scratch
from registry.demo import fill_demo
from registry.errors import UserError
from registry.importing.batches import undo_batch
from registry.importing.service import import_files
from registry.services.backups import (
    backup_dir,
    daily_backup,
    list_backups,
    make_backup,
    newest_good_backup,
    rotate,
    sweep_temporaries,
)
from registry.services.people import add_person
from registry.storage.database import Registry
from tests.conftest import ID_MAN_1985, ID_MAN_2000, ID_WOMAN_1992

ROOT = Path(__file__).resolve().parents[2]


def damage(path: Path, start_page: int = 4, pages: int = 3) -> None:
    """Overwrite some pages in the middle of a closed database file, as a failing disk would."""
    data = bytearray(path.read_bytes())
    page = 4096
    assert len(data) > (start_page + pages) * page, "the file is too small to damage in the middle"
    for i in range(start_page * page, (start_page + pages) * page):
        data[i] = (i * 7 + 13) % 256
    path.write_bytes(bytes(data))


def test_backup_is_checked_named_and_private(reg: Registry) -> None:
    fill_demo(reg, people=40)
    info = make_backup(reg.conn, reg.path, "导入前", datetime(2026, 12, 1, 9, 30, 0))
    assert info.path.name == "test-20261201-093000-导入前.db"
    assert info.path.parent == reg.path.parent / "backups"
    assert (info.people, info.reason, info.at) == (40, "导入前", datetime(2026, 12, 1, 9, 30))
    assert info.last_change == reg.scalar("SELECT max(at) FROM operations")
    [listed] = list_backups(reg.path)
    assert listed.path == info.path and listed.people == 40 and listed.size == info.path.stat().st_size
    assert os.listdir(backup_dir(reg.path)) == [info.path.name]  # no temporary, journal or -wal left
    if sys.platform != "win32":
        assert os.stat(backup_dir(reg.path)).st_mode & 0o777 == 0o700
        assert os.stat(info.path).st_mode & 0o777 == 0o600
    # the same data again: the newest backup already holds it, no second copy
    assert make_backup(reg.conn, reg.path, "每日", datetime(2026, 12, 1, 10, 0)).path == info.path
    add_person(reg, name="新人", id_number=ID_MAN_1985)
    second = make_backup(reg.conn, reg.path, "每日", datetime(2026, 12, 1, 10, 0))
    assert second.path != info.path and second.people == 41
    assert [b.path for b in list_backups(reg.path)] == [second.path, info.path]


def test_a_backup_of_a_damaged_database_is_deleted_not_listed(tmp_path: Path) -> None:
    db = tmp_path / "d.db"
    with Registry(db, create=True) as reg:
        fill_demo(reg, people=400)
        good = make_backup(reg.conn, db, "每日", datetime(2026, 11, 30, 8, 0))
    damage(db)
    conn = sqlite3.connect(db)
    try:
        with pytest.raises(UserError, match="校验未通过|损坏"):
            make_backup(conn, db, "导入前", datetime(2026, 12, 1, 9, 0))
    finally:
        conn.close()
    assert [b.path for b in list_backups(db)] == [good.path]
    assert os.listdir(backup_dir(db)) == [good.path.name]


def test_newest_good_backup_skips_a_corrupt_one(tmp_path: Path) -> None:
    db = tmp_path / "d.db"
    with Registry(db, create=True) as reg:
        fill_demo(reg, people=400)
        older = make_backup(reg.conn, db, "每日", datetime(2026, 11, 29, 8, 0))
        add_person(reg, name="新人", id_number=ID_MAN_1985)
        newer = make_backup(reg.conn, db, "每日", datetime(2026, 11, 30, 8, 0))
    assert newest_good_backup(db) == list_backups(db)[0]
    damage(newer.path)
    assert newest_good_backup(db).path == older.path  # type: ignore[union-attr]
    older.path.write_bytes(b"not a database at all")
    assert newest_good_backup(db) is None


def test_rotation_keeps_ten_latest_and_one_per_week_for_eight_weeks(tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    first = date(2026, 9, 1)
    days = [first + timedelta(days=i) for i in range(91)]  # every day up to 2026-11-30 (a Monday)
    for d in days:
        (folder / f"taizhang-{d:%Y%m%d}-120000-每日.db").write_bytes(b"x")
    (folder / "taizhang-20261130-120000-导入前-2.db").write_bytes(b"x")  # same second, second copy
    (folder / "我的备份.db").write_bytes(b"x")  # not named by the program: never touched
    (folder / "other-20260901-120000-每日.db").write_bytes(b"x")  # another database's backups: not ours
    rotate(tmp_path / "taizhang.db", datetime(2026, 12, 1, 9, 30))
    left = sorted(p.name for p in folder.iterdir())
    latest = {f"taizhang-{d:%Y%m%d}-120000-每日.db" for d in days[-9:]} | {"taizhang-20261130-120000-导入前-2.db"}
    weekly = {f"taizhang-2026{md}-120000-每日.db" for md in ("1129", "1122", "1115", "1108", "1101", "1025", "1018")}
    assert set(left) == latest | weekly | {"我的备份.db", "other-20260901-120000-每日.db"}
    assert len(latest) == 10


def test_leftover_temporaries_are_swept(tmp_path: Path) -> None:
    folder = tmp_path / "backups"
    folder.mkdir()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    stale = folder / f"{scratch.PREFIX}{int(dead.stdout)}-0123456789ab{scratch.SUFFIX}"
    stale.write_bytes(b"half")
    Path(f"{stale}-journal").write_bytes(b"half")
    mine = scratch.temp_name(folder)  # a backup this process is writing now
    mine.write_bytes(b"half")
    other = folder / "notes.txt"
    other.write_text("x")
    assert set(sweep_temporaries(folder)) == {stale, Path(f"{stale}-journal")}
    assert sorted(p.name for p in folder.iterdir()) == sorted([mine.name, "notes.txt"])


def test_a_killed_backup_leaves_only_a_temporary_that_the_next_run_removes(tmp_path: Path) -> None:
    db = tmp_path / "k.db"
    with Registry(db, create=True) as reg:
        fill_demo(reg, people=1500)
    code = ("import sys, sqlite3, datetime\n"
            "from registry.services.backups import copy_checked\n"
            "from pathlib import Path\n"
            "conn = sqlite3.connect(sys.argv[1])\n"
            "folder = Path(sys.argv[1]).parent / 'backups'; folder.mkdir(exist_ok=True)\n"
            "import os\n"
            "print('go', flush=True)\n"
            "while True:\n"
            "    from registry import scratch; tmp = scratch.temp_name(folder)\n"
            "    copy_checked(conn, tmp); tmp.unlink()\n")
    for delay in (0.05, 0.15, 0.3):
        child = subprocess.Popen([sys.executable, "-c", code, str(db)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
        assert child.stdout is not None and child.stdout.readline().strip() == "go"
        time.sleep(delay)
        child.kill()
        child.wait()
    with Registry(db, create=True) as reg:
        info = make_backup(reg.conn, db, "导入前")
    assert os.listdir(backup_dir(db)) == [info.path.name]
    assert [b.path for b in list_backups(db)] == [info.path]


def test_daily_backup_once_a_day_and_only_when_there_is_something(tmp_path: Path) -> None:
    missing = tmp_path / "nope" / "x.db"
    assert daily_backup(missing) is None and not missing.parent.exists()
    db = tmp_path / "t.db"
    Registry(db, create=True).close()
    assert daily_backup(db) is None  # empty: nothing to keep
    with Registry(db, create=True) as reg:
        fill_demo(reg, people=10)
    first = daily_backup(db, datetime(2026, 12, 1, 8, 0))
    assert first is not None and first.reason == "每日" and first.people == 10
    assert daily_backup(db, datetime(2026, 12, 1, 17, 0)) is None
    assert daily_backup(db, datetime(2026, 12, 2, 8, 0)) == first  # nothing changed since: the same copy
    with Registry(db, create=True) as reg:
        add_person(reg, name="新人", id_number=ID_MAN_1985)
    third = daily_backup(db, datetime(2026, 12, 3, 8, 0))
    assert third is not None and third.people == 11 and len(list_backups(db)) == 2


def _census(path: Path) -> Path:
    path.write_text(f"姓名,身份证号,人员类别\n张三,{ID_WOMAN_1992},正式党员\n李四,{ID_MAN_2000},群众\n", encoding="utf-8")
    return path


def test_import_and_undo_are_preceded_by_a_backup(reg: Registry, tmp_path: Path) -> None:
    add_person(reg, name="钱七", id_number=ID_MAN_1985)
    result = import_files(reg, [_census(tmp_path / "c.csv")])
    [before_import] = list_backups(reg.path)
    assert before_import.reason == "导入前" and before_import.people == 1
    assert result.batch is not None
    undo_batch(reg, result.batch)
    newest = list_backups(reg.path)[0]
    assert newest.reason == "撤销导入前" and newest.people == 3


def test_a_preview_or_an_empty_database_makes_no_backup(reg: Registry, tmp_path: Path) -> None:
    import_files(reg, [_census(tmp_path / "c.csv")])  # into an empty database: nothing to keep
    add_person(reg, name="钱七", id_number=ID_MAN_1985)
    import_files(reg, [_census(tmp_path / "c.csv")], dry_run=True)
    assert list_backups(reg.path) == []


def test_upgrades_are_preceded_by_a_backup(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    db = tmp_path / "u.db"
    with Registry(db, create=True) as reg:
        add_person(reg, name="钱七", id_number=ID_MAN_1985)
        reg.conn.execute("UPDATE settings SET value = 'old' WHERE key = 'keys_version'")
    Registry(db, create=True).close()
    assert [b.reason for b in list_backups(db)] == ["排序键更新前"]
    Registry(db, create=True).close()  # nothing to change any more: no further backup
    assert len(list_backups(db)) == 1

    from registry.storage import migrations

    monkeypatch.setattr(migrations, "MIGRATIONS", (*migrations.MIGRATIONS, ("9999_test", lambda conn: None)))
    with Registry(db, create=True) as reg:
        add_person(reg, name="孙八", id_number=ID_MAN_2000)  # so the pre-upgrade copy differs from the last
        reg.conn.execute("DELETE FROM migrations WHERE name = '9999_test'")
    Registry(db, create=True).close()
    assert list_backups(db)[0].reason == "升级前" and list_backups(db)[0].people == 2


def test_backups_within_one_second_are_listed_newest_first(reg: Registry) -> None:
    fill_demo(reg, people=3)
    at = datetime(2026, 12, 1, 9, 30)
    made = []
    for i in range(3):
        add_person(reg, name=f"新人{'一二三'[i]}", id_number=(ID_MAN_1985, ID_WOMAN_1992, ID_MAN_2000)[i])
        made.append(make_backup(reg.conn, reg.path, "导入前", at).path)
    assert [p.name for p in made] == ["test-20261201-093000-导入前.db", "test-20261201-093000-导入前-2.db",
                                      "test-20261201-093000-导入前-3.db"]
    assert [b.path for b in list_backups(reg.path)] == made[::-1]


def test_an_import_whose_backup_fails_does_not_import(reg: Registry, tmp_path: Path) -> None:
    add_person(reg, name="钱七", id_number=ID_MAN_1985)
    (tmp_path / "backups").write_text("a file where the folder should be")
    with pytest.raises(UserError, match="导入前的自动备份没有成功，为安全起见没有导入"):
        import_files(reg, [_census(tmp_path / "c.csv")])
    assert reg.scalar("SELECT count(*) FROM people") == 1


def test_daily_backup_of_a_damaged_database_writes_nothing_and_leaves_the_word_to_the_open(tmp_path: Path) -> None:
    db = tmp_path / "d.db"
    with Registry(db, create=True) as reg:
        fill_demo(reg, people=400)
    damage(db, start_page=10, pages=4)
    before = db.read_bytes()
    assert daily_backup(db) is None
    assert db.read_bytes() == before
    assert list_backups(db) == [] and not list(tmp_path.glob("backups/*"))


def test_first_open_of_the_day_sweeps_leftovers_even_when_no_backup_is_due(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    with Registry(db, create=True) as reg:
        fill_demo(reg, people=5)
    assert daily_backup(db, datetime(2026, 12, 1, 8, 0)) is not None
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    left = backup_dir(db) / f"{scratch.PREFIX}{int(dead.stdout)}-0123456789ab{scratch.SUFFIX}"
    left.write_bytes(b"half a database")
    assert daily_backup(db, datetime(2026, 12, 1, 9, 0)) is None
    assert not left.exists()


def test_last_change_reads_as_a_date_and_time() -> None:
    from registry.services.backups import BackupInfo

    info = BackupInfo(Path("t.db"), datetime(2026, 12, 1, 10, 0), "每日", 3, "2026-12-01T10:00:24", 1024)
    assert info.last_change_text == "2026年12月1日 10:00"
    assert BackupInfo(Path("t.db"), datetime(2026, 12, 1), "每日", 0, None, 1).last_change_text == "无"


def test_a_change_made_while_the_census_is_read_is_in_the_pre_import_backup(reg: Registry, tmp_path: Path,
                                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """The backup made alongside the import holds what the import changes, even when another window wrote
    after the copy was taken: the data is then copied again under the import's write lock."""
    from registry.importing import service

    add_person(reg, name="钱七", id_number=ID_MAN_1985)
    reading = service._read

    def read_then_someone_edits(*args, **kwargs):  # type: ignore[no-untyped-def]
        service_result = reading(*args, **kwargs)
        with Registry(reg.path) as other:  # another window, after the copy alongside was taken
            other.conn.execute("BEGIN IMMEDIATE")
            other.conn.execute("INSERT INTO operations (at, operator, action) VALUES ('2026-12-01T09:00:00', 'x', 'y')")
            other.conn.execute("UPDATE people SET notes = '另一个窗口' WHERE name = '钱七'")
            other.conn.execute("COMMIT")
        return service_result

    kept = service._backup_copy(reg.path)  # the copy alongside, as if taken before the file was read
    copying = service._backup_copy
    copies: list[Path] = []

    def backup(path: Path) -> str | None:
        copies.append(path)
        return kept if len(copies) == 1 else copying(path)

    monkeypatch.setattr(service, "_read", read_then_someone_edits)
    monkeypatch.setattr(service, "_backup_copy", backup)
    import_files(reg, [_census(tmp_path / "c.csv")])
    newest = list_backups(reg.path)[0]
    with sqlite3.connect(newest.path) as conn:
        assert conn.execute("SELECT notes FROM people").fetchall() == [("另一个窗口",)]
    assert newest.people == 1 and len(copies) == 2


def test_the_pre_import_copy_is_quick_checked_and_a_daily_one_fully(reg: Registry,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    from registry.services import backups

    add_person(reg, name="钱七", id_number=ID_MAN_1985)
    checks: list[str] = []
    copying = backups.copy_checked
    monkeypatch.setattr(backups, "copy_checked", lambda source, tmp, check="integrity_check":
                        checks.append(check) or copying(source, tmp, check))
    backups.auto_backup(reg.conn, reg.path, backups.REASONS["import"])
    add_person(reg, name="孙八", id_number=ID_MAN_2000)
    backups.auto_backup(reg.conn, reg.path, backups.REASONS["upgrade"])
    assert checks == ["quick_check", "integrity_check"]
    with pytest.raises(ValueError):
        copying(reg.conn, reg.path.parent / "x.db", "cell_size_check")


def test_an_import_waiting_for_its_backup_says_so(reg: Registry, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from registry.importing import service

    add_person(reg, name="钱七", id_number=ID_MAN_1985)
    copying = service._backup_copy

    def slow(path: Path) -> str | None:
        time.sleep(0.5)  # a large registry's copy still under way when the rows are written
        return copying(path)

    monkeypatch.setattr(service, "_backup_copy", slow)
    stages: list[str] = []
    result = import_files(reg, [_census(tmp_path / "c.csv")], progress=lambda stage, done, total: stages.append(stage))
    assert result.applied and stages[-1] == "完成导入前的自动备份"
    assert list_backups(reg.path)[0].people == 1
