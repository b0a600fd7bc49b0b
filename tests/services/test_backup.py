"""Backups: a complete copy that opens, audited; bad targets refused."""

from __future__ import annotations

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
    with Registry(out) as copy:
        assert copy.scalar("SELECT count(*) FROM people") == n
    assert history(reg)[0]["summary"].startswith("备份数据库")


def test_bad_targets(reg: Registry, tmp_path: Path) -> None:
    with pytest.raises(UserError, match="同一个文件"):
        backup_to(reg, reg.path)
    with pytest.raises(UserError, match="不存在"):
        backup_to(reg, tmp_path / "nope" / "b.db")
