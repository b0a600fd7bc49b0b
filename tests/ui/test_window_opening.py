"""The window's databases: one window per file, a failed open never remembered, a start that always gets through."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QFileInfo, QSettings
from PySide6.QtWidgets import QFileIconProvider, QMessageBox

import main as app_main
from registry.services.organizations import add_org
from registry.storage.database import Registry
from ui.file_dialogs import plain_icons
from ui.main_window import MainWindow, _windows
from ui.single_instance import DatabaseLock
from ui.worker import show_error

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def private_settings(tmp_path: Path) -> None:
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    messages: list[str] = []
    for kind in ("warning", "information", "critical"):
        monkeypatch.setattr(QMessageBox, kind, lambda _p, _t, text, *a, **k: messages.append(text))
    return messages


def make_db(path: Path, org: str = "甲党支部") -> Path:
    with Registry(path, create=True) as reg:
        add_org(reg, name=org)
        reg.checkpoint("TRUNCATE")
    return path


def damage(path: Path) -> Path:
    with open(path, "r+b") as f:  # no connection is open: plain access is safe
        f.seek(4096)
        f.write(b"\xa5" * 4096 * 2)
    return path


def test_a_damaged_last_database_does_not_stop_the_start(qtbot, tmp_path: Path) -> None:
    bad = damage(make_db(tmp_path / "坏了.db"))
    good = make_db(tmp_path / "好的.db", "乙党支部")
    QSettings().setValue("last_db", str(bad))
    attempt = app_main.first_attempt(None, tmp_path, tmp_path / "taizhang.db", QSettings())
    assert attempt is not None and attempt.path == bad
    asked: list[str] = []

    def choose_other(message: str, path: Path) -> app_main.Attempt | None:
        asked.append(message)
        assert path == bad and QSettings().value("last_db") == str(bad)  # nothing new was remembered
        return app_main.Attempt(good)

    window = app_main.start_window(attempt, choose_other)
    qtbot.addWidget(window)
    assert len(asked) == 1 and "已经损坏" in asked[0]
    assert window.reg.path == good and QSettings().value("last_db") == str(good)
    assert bad.name not in (QSettings().value("recent_dbs") or [])
    window.close()
    window.reg.close()


def test_a_failed_start_can_quit_and_remembers_nothing(tmp_path: Path) -> None:
    missing = tmp_path / "台帐.db"
    asked: list[str] = []
    assert app_main.start_window(app_main.Attempt(missing), lambda m, p: asked.append(m)) is None
    assert "找不到数据库文件" in asked[0]
    assert QSettings().value("last_db") is None and not missing.exists()


def test_switching_to_a_bad_file_keeps_the_window(qtbot, reg: Registry, tmp_path: Path, shown: list[str]) -> None:
    window = MainWindow(reg)
    qtbot.addWidget(window)
    before = len(_windows)
    window.switch_to(tmp_path / "没有.db")
    foreign = tmp_path / "别的.db"
    foreign.write_bytes(b"not a database" * 100)
    window.switch_to(foreign)
    window.switch_to(damage(make_db(tmp_path / "坏了.db")))
    assert len(_windows) == before
    assert ["找不到" in shown[0], "不是本程序" in shown[1], "已经损坏" in shown[2]] == [True] * 3
    assert QSettings().value("last_db") is None


def test_one_window_per_database(qtbot, tmp_path: Path, shown: list[str]) -> None:
    db = make_db(tmp_path / "taizhang.db")
    first = app_main.start_window(app_main.Attempt(db), lambda m, p: pytest.fail(m))
    qtbot.addWidget(first)
    called_up: list[bool] = []
    first.lock.activated.connect(lambda: called_up.append(True))
    # A second start on the same file (spelled differently) only calls the first window up.
    assert app_main.start_window(app_main.Attempt(tmp_path / "." / "taizhang.db"), lambda m, p: pytest.fail(m)) is None
    assert "已经在另一个台账窗口中打开" in shown[-1] and "切换到最前面" in shown[-1]
    qtbot.waitUntil(lambda: bool(called_up), timeout=5000)
    # The same from the first window's own menu: no second window either.
    other = make_db(tmp_path / "other.db")
    second = app_main.start_window(app_main.Attempt(other), lambda m, p: pytest.fail(m))
    qtbot.addWidget(second)
    before = len(_windows)
    second.switch_to(db)
    assert len(_windows) == before and "已经在另一个台账窗口中打开" in shown[-1]
    # Closing the window empties the WAL into the file and frees the database for the next start.
    add_org(first.reg, name="乙党支部")
    first.close()
    assert (tmp_path / "taizhang.db-wal").stat().st_size == 0
    again = app_main.start_window(app_main.Attempt(db), lambda m, p: pytest.fail(m))
    qtbot.addWidget(again)
    assert again.reg.scalar("SELECT count(*) FROM organizations") == 2
    for w in (again, second):
        w.close()
    first.reg.close(), second.reg.close(), again.reg.close()


LOCK_AND_WAIT = """
import sys, time
from pathlib import Path
from PySide6.QtCore import QCoreApplication
from ui.single_instance import DatabaseLock
app = QCoreApplication([])
lock = DatabaseLock(Path(sys.argv[1]), Path(sys.argv[2]))
print(lock.acquire(), flush=True)
time.sleep(60)
"""


def test_a_lock_left_by_a_killed_window_does_not_block(qtbot, tmp_path: Path) -> None:
    db = make_db(tmp_path / "taizhang.db")
    child = subprocess.Popen([sys.executable, "-c", LOCK_AND_WAIT, str(db), str(tmp_path)], cwd=ROOT,
                             stdout=subprocess.PIPE, text=True, env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "True"
        assert DatabaseLock(db, tmp_path).acquire() is False  # the child is alive: its lock holds
        child.kill()  # SIGKILL, or TerminateProcess on Windows
        child.wait(timeout=10)
    finally:
        child.kill()
    assert list(tmp_path.glob("*.lock"))  # the killed window left its lock file behind
    lock = DatabaseLock(db, tmp_path)
    assert lock.acquire() is True
    lock.release()


def test_errors_from_sqlite_are_shown_as_their_cause(qtbot, shown: list[str]) -> None:
    exc = sqlite3.OperationalError("database or disk is full")
    exc.sqlite_errorname = "SQLITE_FULL"  # type: ignore[attr-defined]
    show_error(None, exc)
    assert "磁盘空间已满" in shown[-1]


def _locks_held(path: Path) -> int:
    inode = os.stat(path).st_ino
    lines = Path("/proc/locks").read_text().splitlines()
    return sum(1 for line in lines if f" {os.getpid()} " in line and line.split()[5].endswith(f":{inode}"))


@pytest.mark.skipif(sys.platform != "linux", reason="needs Linux /proc/locks to see POSIX locks (Windows has none to lose)")
def test_file_dialog_icons_do_not_open_the_database(qtbot, tmp_path: Path) -> None:
    db = make_db(tmp_path / "taizhang.db")
    with Registry(db) as reg:
        reg.scalar("SELECT count(*) FROM people")
        held = _locks_held(db)
        assert held >= 1  # the connection's lock on the database file
        provider = plain_icons()
        for target in (db, tmp_path / "taizhang.db-wal", tmp_path / "taizhang.db-shm", tmp_path):
            provider.icon(QFileInfo(str(target)))
            provider.type(QFileInfo(str(target)))
        assert provider.icon(QFileIconProvider.IconType.Folder) is not None
        assert _locks_held(db) == held
        with open(db, "rb"):  # the detector works: this is what a sniffing dialog does
            pass
        assert _locks_held(db) < held


def _fill_the_disk(*_args: object) -> None:
    exc = sqlite3.OperationalError("database or disk is full")
    exc.sqlite_errorname = "SQLITE_FULL"  # type: ignore[attr-defined]
    raise exc


def test_an_import_child_sends_back_the_cause() -> None:
    """A full disk in the import child reaches the window as its sentence, not as an internal error."""
    import queue

    from ui.worker import _child_main

    results: queue.Queue[tuple[bool, BaseException]] = queue.Queue()
    _child_main(_fill_the_disk, ("/data/taizhang.db",), queue.Queue(), results)
    ok, exc = results.get_nowait()
    assert not ok and "磁盘空间已满" in str(exc) and "taizhang.db" in str(exc)


def test_the_failure_dialog_offers_the_ways_on(qtbot, tmp_path: Path) -> None:
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    seen: list[tuple[str, list[str]]] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(20, answer)
            return
        seen.append((box.text(), [b.text() for b in box.buttons()]))
        next(b for b in box.buttons() if b.text() == "退出").click()

    QTimer.singleShot(0, answer)
    assert app_main.ask_after_failure("数据库文件“坏了.db”已经损坏。", tmp_path / "坏了.db") is None
    text, buttons = seen[0]
    assert "已经损坏" in text and {"打开其他数据库…", "新建数据库…", "退出"} <= set(buttons)


@pytest.mark.skipif(sys.platform != "linux", reason="needs Linux /proc/locks to see POSIX locks (Windows has none to lose)")
@pytest.mark.parametrize("save", [False, True])
def test_a_whole_file_dialog_on_the_data_folder_keeps_the_locks(qtbot, tmp_path: Path, save: bool) -> None:
    """Qt's own dialog with its default icons opens every file it lists, -shm included (seen with strace)."""
    import time

    from PySide6.QtWidgets import QApplication

    from ui.file_dialogs import make_dialog

    db = make_db(tmp_path / "taizhang.db")
    with Registry(db) as reg:
        reg.scalar("SELECT count(*) FROM people")
        held = {p: _locks_held(p) for p in (db, tmp_path / "taizhang.db-shm")}
        dialog = make_dialog(None, "打开数据库", str(tmp_path), "所有文件 (*)", save=save)
        qtbot.addWidget(dialog)
        dialog.show()
        end = time.monotonic() + 1.5  # the folder is listed and its icons fetched in the background
        while time.monotonic() < end:
            QApplication.processEvents()
            time.sleep(0.02)
        dialog.close()
        assert {p: _locks_held(p) for p in held} == held


def test_every_file_dialog_of_the_window_goes_through_file_dialogs() -> None:
    """A QFileDialog made anywhere else would list (and sniff) files with Qt's default icon provider."""
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / "ui").rglob("*.py")
                 if p.name != "file_dialogs.py" and "QFileDialog" in p.read_text(encoding="utf-8")]
    assert offenders == []
