"""Backup to a chosen file: a complete, checked, private copy, audited; bad targets refused with a sentence."""

from __future__ import annotations

import os
import sqlite3
import sys
from pathlib import Path

import pytest

from registry.demo import fill_demo
from registry.errors import UserError
from registry.services.backup import backup_to
from registry.services.history import history
from registry.storage.database import Registry


def test_backup_copies_everything(reg: Registry, tmp_path: Path) -> None:
    fill_demo(reg, people=60)
    out = tmp_path / "备份.db"
    n = backup_to(reg, out)
    assert n == reg.scalar("SELECT count(*) FROM people")
    conn = sqlite3.connect(out)
    assert conn.execute("SELECT count(*) FROM people").fetchone()[0] == n
    # one self-contained file: not in WAL mode, so copying or reading it never needs a -wal beside it
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
    conn.close()
    assert history(reg)[0]["summary"].startswith("备份数据库")
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
    if sys.platform != "win32":
        assert os.stat(out).st_mode & 0o777 == 0o600


def test_bad_targets(reg: Registry, tmp_path: Path) -> None:
    fill_demo(reg, people=5)
    with pytest.raises(UserError, match="不能是正在使用的数据库"):
        backup_to(reg, reg.path)
    for suffix in ("-wal", "-shm"):
        with pytest.raises(UserError, match=f"日志文件（test.db{suffix}）"):
            backup_to(reg, Path(f"{reg.path}{suffix}"))
    with pytest.raises(UserError, match="只能保存为.db文件"):
        backup_to(reg, tmp_path / "b.xlsx")
    with pytest.raises(UserError, match="不存在"):
        backup_to(reg, tmp_path / "nope" / "b.db")
    existing = tmp_path / "old.db"
    existing.write_bytes(b"keep me")
    with pytest.raises(UserError, match="已经存在.*--force"):
        backup_to(reg, existing)
    assert existing.read_bytes() == b"keep me"
    assert backup_to(reg, existing, force=True) == 5
