"""Temporary files of personal data: user-only, removed on every failure, swept after a kill."""

from __future__ import annotations

import os
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from registry import exports, scratch
from registry.errors import UserError
from registry.paths import private_dir
from registry.services.people import add_person
from registry.storage.database import Registry
from tests.conftest import ID_MAN_1985

posix_only = pytest.mark.skipif(os.name == "nt", reason="POSIX permissions")


def dead_pid() -> int:
    """The id of a process that has exited."""
    p = subprocess.Popen([sys.executable, "-c", "pass"])
    p.wait()
    return p.pid


def leftover(folder: Path, pid: int, side: str = "") -> Path:
    path = folder / f"{scratch.PREFIX}{pid}-0123456789ab{scratch.SUFFIX}{side}"
    path.write_text("张三,510104198503154210\n", encoding="utf-8")
    return path


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_temp_name_is_recognisable_and_carries_the_pid(tmp_path: Path) -> None:
    tmp = scratch.temp_name(tmp_path)
    match = scratch.PATTERN.fullmatch(tmp.name)
    assert match and int(match.group(1)) == os.getpid()
    assert not tmp.name.startswith(".")  # Windows does not hide dot-files: the name itself says what it is


@posix_only
def test_temporary_and_published_files_are_user_only(reg: Registry, tmp_path: Path) -> None:
    seen: list[int] = []
    old = os.umask(0o022)
    try:
        exports.publish(reg, tmp_path / "out.csv", action="export.test", summary="t",
                        write=lambda tmp: (seen.append(mode(tmp)), tmp.write_text("x"))[-1], detail={})
    finally:
        os.umask(old)
    assert seen == [0o600]
    assert mode(tmp_path / "out.csv") == 0o600


def test_the_folder_is_journalled_before_the_file_is_made(reg: Registry, tmp_path: Path) -> None:
    def write(tmp: Path) -> None:
        assert str(tmp.parent.resolve()) in scratch.journal_path().read_text(encoding="utf-8")
        tmp.write_text("x")

    exports.publish(reg, tmp_path / "out.csv", action="export.test", summary="t", write=write, detail={})


def _names(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@pytest.mark.parametrize("error", [RuntimeError("boom"), KeyboardInterrupt(), OSError("disk full")])
def test_a_failed_write_leaves_nothing(reg: Registry, tmp_path: Path, error: BaseException) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()

    def write(tmp: Path) -> None:
        tmp.write_text("张三,510104198503154210")
        tmp.with_name(tmp.name + "-journal").write_text("x")  # as SQLite leaves beside a backup
        raise error

    with pytest.raises((type(error), UserError)):
        exports.publish(reg, out_dir / "r.csv", action="export.test", summary="t", write=write, detail={})
    assert _names(out_dir) == []
    assert reg.scalar("SELECT count(*) FROM audit_log WHERE entity = 'exports'") == 0


def test_a_failed_audit_transaction_leaves_neither_temp_nor_target(reg: Registry, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    real = reg.conn

    class FailingCommit:
        """The connection, except that COMMIT fails (as a full disk or a lost lock would make it)."""

        def execute(self, sql: str, *args: object) -> object:
            if sql == "COMMIT":
                raise sqlite3.OperationalError("disk I/O error")
            return real.execute(sql, *args)

        def __getattr__(self, name: str) -> object:
            return getattr(real, name)

    monkeypatch.setattr(reg, "conn", FailingCommit())
    with pytest.raises(sqlite3.OperationalError):
        exports.publish(reg, out_dir / "r.csv", action="export.test", summary="t",
                        write=lambda tmp: tmp.write_text("x"), detail={})
    monkeypatch.undo()
    assert _names(out_dir) == []  # the file was moved into place, then withdrawn with its audit row
    assert reg.scalar("SELECT count(*) FROM audit_log WHERE entity = 'exports'") == 0


def test_sweep_removes_dead_processes_leftovers_in_journalled_folders_only(tmp_path: Path) -> None:
    journalled, other = tmp_path / "a", tmp_path / "b"
    journalled.mkdir()
    other.mkdir()
    scratch.record_folder(journalled)
    dead = dead_pid()
    gone = [leftover(journalled, dead), leftover(journalled, dead, "-journal")]
    live = leftover(journalled, os.getpid())
    unrelated = journalled / "花名册.xlsx"
    unrelated.write_text("keep")
    lookalike = journalled / f"{scratch.PREFIX}{dead}-notahexnumber.tmp"
    lookalike.write_text("keep")
    elsewhere = leftover(other, dead)

    removed = scratch.sweep_leftovers()

    assert sorted(removed) == sorted(gone)
    assert not any(p.exists() for p in gone)
    assert live.exists() and unrelated.exists() and lookalike.exists() and elsewhere.exists()
    # The folder still holds a live process's file, so it stays journalled; once that is gone, it is pruned.
    assert str(journalled.resolve()) in scratch.journal_path().read_text(encoding="utf-8")
    live.unlink()
    assert scratch.sweep_leftovers() == []
    assert not scratch.journal_path().exists()


def test_sweep_keeps_an_unreachable_folder_for_a_while(tmp_path: Path) -> None:
    stick = tmp_path / "U盘"
    stick.mkdir()
    scratch.record_folder(stick)
    stick.rmdir()  # the USB stick is taken out
    assert scratch.sweep_leftovers() == []
    assert str(stick.resolve()) in scratch.journal_path().read_text(encoding="utf-8")
    import time

    assert scratch.sweep_leftovers(now=time.time() + scratch.KEEP_UNREACHABLE + 1) == []
    assert not scratch.journal_path().exists()


def test_sweep_without_a_journal_or_with_garbage_does_nothing(tmp_path: Path) -> None:
    assert scratch.sweep_leftovers() == []
    scratch.journal_path().parent.mkdir(parents=True, exist_ok=True)
    scratch.journal_path().write_bytes(b"\xff\xfe garbage\nno tab here\n")
    assert scratch.sweep_leftovers() == []


def test_the_command_line_sweeps_at_start(reg: Registry, tmp_path: Path) -> None:
    add_person(reg, name="张三", id_number=ID_MAN_1985)
    folder = tmp_path / "exports"
    folder.mkdir()
    scratch.record_folder(folder)
    left = leftover(folder, dead_pid())
    from registry.cli.main import main

    assert main(["--db", str(reg.path), "people"]) == 0
    assert not left.exists()


@posix_only
def test_private_dir_makes_user_only_folders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old = os.umask(0o022)
    try:
        made = private_dir(tmp_path / "a" / "b")
        assert mode(tmp_path / "a") == 0o700 and mode(made) == 0o700
        # The program's own data folder is narrowed even if an older version made it 0755.
        data = tmp_path / "data"
        data.mkdir(mode=0o755)
        monkeypatch.setenv("DANGJIAN_DATA_DIR", str(data))
        private_dir(data)
        assert mode(data) == 0o700
        # A folder of the user's elsewhere keeps its permissions.
        mine = tmp_path / "mine"
        mine.mkdir(mode=0o755)
        private_dir(mine)
        assert mode(mine) == 0o755
    finally:
        os.umask(old)


@posix_only
def test_the_journal_is_user_only(tmp_path: Path) -> None:
    scratch.record_folder(tmp_path)
    assert mode(scratch.journal_path()) == 0o600
    assert mode(scratch.journal_path().parent) == 0o700


@posix_only
def test_the_start_up_sweep_narrows_an_existing_data_folder(private_data_dir: Path) -> None:
    os.chmod(private_data_dir, 0o755)  # as Registry's mkdir or an older version left it
    scratch.sweep_leftovers()
    assert mode(private_data_dir) == 0o700
