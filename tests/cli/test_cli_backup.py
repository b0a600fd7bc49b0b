"""The backup, backups and restore commands and the daily backup: exit codes and sentences."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from registry.cli.main import main
from registry.demo import fill_demo
from registry.services.backups import list_backups
from registry.storage.database import Registry
from tests.services.test_backups import damage


def run(capsys: pytest.CaptureFixture[str], db: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--db", str(db), "--operator", "测试员", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "taizhang.db"
    with Registry(path, create=True) as reg:
        fill_demo(reg, people=30)
    return path


@pytest.fixture
def big(tmp_path: Path) -> Path:
    """Large enough that overwriting pages in the middle hits the data, not the end of the file."""
    path = tmp_path / "taizhang.db"
    with Registry(path, create=True) as reg:
        fill_demo(reg, people=300)
    return path


def test_backup_command_and_its_refusals(capsys: pytest.CaptureFixture[str], db: Path, tmp_path: Path) -> None:
    out = tmp_path / "U盘" / "台账备份.db"
    out.parent.mkdir()
    code, text, _ = run(capsys, db, "backup", str(out))
    assert code == 0 and "已备份到" in text and "30人" in text
    code, _, err = run(capsys, db, "backup", str(out))
    assert code == 2 and "已经存在" in err and "--force" in err
    assert run(capsys, db, "backup", str(out), "--force")[0] == 0
    for target, sentence in ((db, "不能是正在使用的数据库"), (Path(f"{db}-wal"), "日志文件"),
                             (Path(f"{db}-shm"), "日志文件"), (tmp_path / "台账.xlsx", "只能保存为.db文件"),
                             (tmp_path / "无此文件夹" / "b.db", "不存在")):
        code, _, err = run(capsys, db, "backup", str(target))
        assert code == 2 and sentence in err, (target, err)
        assert err.count("\n") == 1 and "Traceback" not in err


def test_backups_lists_every_backup(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    code, _, _ = run(capsys, db, "people")  # the first command of the day makes the daily backup
    assert code == 0
    code, text, _ = run(capsys, db, "backups", "--json")
    [entry] = json.loads(text)
    assert entry["reason"] == "每日" and entry["people"] == 30 and entry["size"] > 0
    assert Path(entry["path"]).parent == db.parent / "backups" and entry["at"] and entry["last_change"]
    code, text, _ = run(capsys, db, "backups")
    assert code == 0 and "每日" in text and "共 1 个备份" in text
    run(capsys, db, "stats")
    assert len(list_backups(db)) == 1  # once a day, not once per command


def test_daily_backup_never_creates_a_database(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    missing = tmp_path / "typo" / "x.db"
    run(capsys, missing, "idcheck", "110105491231002")
    run(capsys, missing, "backups")
    assert not missing.parent.exists()


def test_restore_command(capsys: pytest.CaptureFixture[str], db: Path) -> None:
    run(capsys, db, "people")
    [backup] = list_backups(db)
    run(capsys, db, "person", "add", "--name", "张三", "--id-number", "510104198503154210")
    code, text, err = run(capsys, db, "restore", str(backup.path))
    assert code == 2 and "--yes" in err and "30人" in text  # shows what the backup holds, then asks
    with Registry(db, create=True) as reg:
        assert reg.scalar("SELECT count(*) FROM people") == 31
    code, text, err = run(capsys, db, "restore", str(backup.path), "--yes")
    assert code == 0, err
    assert "恢复前的数据已另存为" in text and "已从备份恢复（30人）" in text
    with Registry(db, create=True) as reg:
        assert reg.scalar("SELECT count(*) FROM people") == 30
    assert [b.reason for b in list_backups(db)][:1] == ["恢复前"]


def test_restore_refuses_a_damaged_backup(capsys: pytest.CaptureFixture[str], big: Path, tmp_path: Path) -> None:
    db = big
    out = tmp_path / "b.db"
    assert run(capsys, db, "backup", str(out))[0] == 0
    damage(out)
    code, _, err = run(capsys, db, "restore", str(out), "--yes")
    assert code == 2 and "已损坏" in err and err.count("\n") == 1
    code, _, err = run(capsys, db, "restore", str(tmp_path / "无.db"), "--yes")
    assert code == 2 and "找不到备份文件" in err


def test_restore_a_damaged_database_from_the_command_line(capsys: pytest.CaptureFixture[str], big: Path) -> None:
    db = big
    run(capsys, db, "people")
    [backup] = list_backups(db)
    damage(db, start_page=8, pages=4)
    code, text, err = run(capsys, db, "restore", str(backup.path), "--yes")
    assert code == 0, err
    assert "损坏的数据库已改名保留为" in text
    assert list(db.parent.glob("taizhang.损坏-*.db"))
    with Registry(db, create=True) as reg:
        assert reg.scalar("SELECT count(*) FROM people") == backup.people
