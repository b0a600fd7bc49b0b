"""No English from SQLite or the operating system reaches a user: their complaints become Chinese words."""

from __future__ import annotations

import errno
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from registry.demo import fill_demo
from registry.errors import UserError
from registry.exports import write_failure
from registry.services.backups import make_backup
from registry.services.restore import restore
from registry.storage.database import Registry
from registry.storage.sqlite_errors import os_reason, reason, sqlite_reason, sqlite_text_reason, user_message
from tests.services.test_backups import damage
from tests.test_no_english import latin_words


def _sqlite_error(tmp_path: Path, content: bytes) -> sqlite3.Error:
    path = tmp_path / "x.db"
    path.write_bytes(content)
    conn = sqlite3.connect(path)
    try:
        conn.execute("SELECT * FROM sqlite_master").fetchall()
    except sqlite3.Error as exc:
        return exc
    finally:
        conn.close()
    raise AssertionError("no error")


def test_sqlite_errors_in_chinese_words(tmp_path: Path) -> None:
    not_a_database = _sqlite_error(tmp_path, b"this is a text file, not a database " * 200)
    assert "file is not a database" in str(not_a_database)  # what SQLite says
    assert sqlite_reason(not_a_database) == "这个文件不是数据库，或者已经损坏"
    for english in ("database is locked", "disk I/O error", "attempt to write a readonly database",
                    "no such table: people", "database disk image is malformed",
                    "*** in database main ***\nPage 3: btreeInitPage() returns error code 11"):
        words = sqlite_reason(sqlite3.OperationalError(english))
        assert latin_words(words) == [] and words != "数据库读写出错", english
        assert sqlite_text_reason(english) == words
    assert latin_words(sqlite_reason(sqlite3.OperationalError("something new"))) == []


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EACCES, errno.EROFS, errno.ENOENT, errno.EIO, errno.EBUSY])
def test_system_errors_in_chinese_words(code: int) -> None:
    exc = OSError(code, "Some English from the system")
    words = os_reason(exc)
    assert words and latin_words(words) == []
    assert latin_words(write_failure(exc, Path("/tmp/导出.xlsx"))) == []


def test_windows_sharing_violation_is_named() -> None:
    exc = OSError(errno.EACCES, "The process cannot access the file")
    exc.winerror = 32  # type: ignore[attr-defined]
    assert os_reason(exc) == "文件正被其他程序使用"


def test_any_failure_reads_as_a_chinese_sentence() -> None:
    assert user_message(UserError("请先选择人员。")) == "请先选择人员。"
    for exc in (RuntimeError("worker ended without a result"), OSError(errno.EIO, "Input/output error"),
                sqlite3.OperationalError("database is locked"), sqlite3.DatabaseError("file is not a database"),
                KeyError("people")):
        message = user_message(exc)
        assert message.endswith("。") and latin_words(message) == [], message
    assert reason(ValueError("x")) and latin_words(reason(ValueError("x"))) == []


def test_a_damaged_backup_is_refused_in_chinese(tmp_path: Path) -> None:
    db = tmp_path / "taizhang.db"
    with Registry(db, create=True) as reg:
        fill_demo(reg, people=60)
        backup = make_backup(reg.conn, reg.path, "手动", datetime(2026, 12, 1, 9, 30)).path
    damage(backup, start_page=3, pages=2)
    with pytest.raises(UserError, match="已损坏") as caught:
        restore(db, backup)
    assert latin_words(caught.value.message) == []  # was SQLite's integrity_check line, in English
