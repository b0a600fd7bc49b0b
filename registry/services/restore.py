"""Putting a backup back: checked first, the current database kept as a backup, written in through SQLite.

Copying a backup over the database file is unsafe: a `-wal` left by a crash belongs to the old file and
SQLite would replay it over the copy (bringing back the old state, or a malformed file). Instead the
backup is written *into* the live database through SQLite's backup API and the WAL is then checkpointed
and truncated, which keeps file and WAL coherent. A database too damaged to open is moved aside with its
`-wal`/`-shm` under a recognisable name (`taizhang.损坏-20261201-0930.db`) and the backup installed whole.
"""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from registry import scratch
from registry.errors import UserError
from registry.paths import private_dir
from registry.services.backups import (
    REASONS,
    BackupInfo,
    auto_backup,
    backup_dir,
    check_file,
    connect_readonly,
    is_registry,
    read_backup,
)
from registry.storage.opening import connect_live
from registry.storage.sqlite_errors import os_reason, sqlite_reason, sqlite_text_reason

SIDECARS = ("-wal", "-shm", "-journal")
SQLITE_BUSY, SQLITE_LOCKED, SQLITE_CORRUPT, SQLITE_NOTADB = 5, 6, 11, 26


@dataclass
class RestoreResult:
    backup: BackupInfo
    kept: BackupInfo | None = None  # the database as it was before, kept as a backup (reason 恢复前)
    moved_aside: list[Path] = field(default_factory=list)  # the damaged files, renamed


def _same(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and os.path.samefile(a, b))
    except OSError:
        return False


def own_files(db_path: Path) -> list[Path]:
    """The database file and the sidecars SQLite keeps beside it."""
    return [db_path, *(Path(str(db_path) + s) for s in SIDECARS)]


def inspect_backup(path: Path | str, db_path: Path | str) -> BackupInfo:
    """What a backup holds, after checking it is a sound backup of this program; else UserError."""
    path, db_path = Path(path), Path(db_path)
    if any(_same(path, own) for own in own_files(db_path)):
        raise UserError(f"“{path.name}”是正在使用的数据库本身（或它的日志文件），不能用来恢复；请选择一个备份文件。")
    if path.is_dir():
        raise UserError(f"“{path}”是一个文件夹，请选择一个备份文件（.db）。")
    if not path.is_file():
        raise UserError(f"找不到备份文件“{path}”，请检查路径。")
    not_ours = UserError(f"“{path.name}”不是本程序的数据库备份，没有恢复；请选择本程序做的备份（.db文件）。")
    try:
        conn = connect_readonly(path)
        try:
            if not is_registry(conn):
                raise not_ours
            names = {r[0] for r in conn.execute("SELECT name FROM migrations")}
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        if getattr(exc, "sqlite_errorcode", None) == SQLITE_NOTADB:
            raise not_ours from exc
        names = set()  # its schema reads but not its pages: integrity_check names the damage below
    problem = check_file(path)
    if problem is not None:
        raise UserError(f"备份“{path.name}”已损坏（{sqlite_text_reason(problem)}），没有恢复；请选择另一个备份。")
    info = read_backup(path)
    from registry.storage.migrations import MIGRATIONS

    if names - {name for name, _ in MIGRATIONS}:
        raise UserError(f"备份“{path.name}”由更新版本的程序制作，请升级本程序后再恢复。")
    return info


def _connect(db_path: Path, mode: str) -> sqlite3.Connection:
    return connect_live(db_path, mode)


def _sound(db_path: Path) -> bool:
    """Whether the current database passes quick_check; read-only, so nothing is written into a damaged file."""
    try:
        conn = _connect(db_path, "ro")
        try:
            ok = [r[0] for r in conn.execute("PRAGMA quick_check")] == ["ok"]
            if ok and not is_registry(conn):
                raise UserError(f"“{db_path.name}”不是本程序的数据库，没有用备份覆盖它；请用--db指向台账数据库。")
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        if getattr(exc, "sqlite_errorcode", None) in (SQLITE_CORRUPT, SQLITE_NOTADB):
            return False
        raise UserError(f"无法打开数据库“{db_path.name}”（{sqlite_reason(exc)}），没有恢复；如另一个程序正在写入它，请稍后再试。") from exc
    return ok


def _open_live(db_path: Path) -> sqlite3.Connection | None:
    """A connection to the current database if it is sound; None if it is missing or damaged."""
    if not db_path.exists() or not _sound(db_path):
        return None
    return _connect(db_path, "rw")


def damaged_name(db_path: Path, now: datetime) -> Path:
    """Where a damaged database is moved: beside it, named so nobody mistakes it for the live one."""
    base = f"{db_path.stem}.损坏-{now:%Y%m%d-%H%M}"
    out = db_path.with_name(f"{base}{db_path.suffix}")
    n = 2
    while any(Path(str(p)).exists() for p in own_files(out)):
        out = db_path.with_name(f"{base}-{n}{db_path.suffix}")
        n += 1
    return out


def _move_aside(db_path: Path, now: datetime) -> list[Path]:
    target = damaged_name(db_path, now)
    moved = []
    for src, dst in zip(own_files(db_path), own_files(target), strict=True):
        if src.exists():
            os.replace(src, dst)
            moved.append(dst)
    return moved


def _install(backup: Path, db_path: Path) -> None:
    """Build the database from the backup under a temporary name in backups/, then move it into place."""
    folder = backup_dir(db_path)
    private_dir(folder)
    tmp = scratch.temp_name(folder)
    scratch.create_temp(tmp)
    try:
        src = connect_readonly(backup)
        dst = sqlite3.connect(str(tmp), isolation_level=None)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode = WAL")
        finally:
            dst.close()
            src.close()
        os.replace(tmp, db_path)
    finally:
        scratch.remove_temp(tmp)


def _write_into(backup: Path, live: sqlite3.Connection) -> None:
    """Copy the backup into the open live database through SQLite, then fold the WAL into the file."""
    src = connect_readonly(backup)
    try:
        src.backup(live)
    finally:
        src.close()
    live.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _record(db_path: Path, info: BackupInfo, result: RestoreResult, operator: str | None) -> None:
    """The restore, written in the restored database's own audit log."""
    from registry.storage.database import Registry

    detail = {"backup": str(info.path), "backup_time": info.at.isoformat(timespec="seconds"),
              "reason": info.reason, "people": info.people,
              "kept": str(result.kept.path) if result.kept else None,
              "moved_aside": [str(p) for p in result.moved_aside]}
    with Registry(db_path, operator=operator) as reg:
        with reg.transaction("restore", f"从备份恢复 {info.path.name}") as tx:
            tx.audit([(tx.operation_id, tx.at, tx.operator, "insert", "backups", 0, info.path.name, None, None,
                       json.dumps(detail, ensure_ascii=False))])
        reg.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def restore(db_path: Path | str, backup: Path | str, *, operator: str | None = None,
            now: datetime | None = None) -> RestoreResult:
    """Replace the database with the backup: checked, the current state kept first, WAL-safe, audited."""
    db_path = Path(db_path)
    info = inspect_backup(backup, db_path)
    if not db_path.parent.is_dir():
        raise UserError(f"文件夹“{db_path.parent}”不存在，请先创建或另选数据库位置。")
    result = RestoreResult(info)
    try:
        live = _open_live(db_path)
        if live is not None:
            try:
                # Python's backup() would retry a busy database for ever: wait busy_timeout here instead,
                # before anything is done, and fail with a sentence.
                live.execute("BEGIN IMMEDIATE")
                live.execute("ROLLBACK")
                result.kept = auto_backup(live, db_path, REASONS["restore"], protect=[info.path])
                _write_into(info.path, live)
            finally:
                live.close()
        else:
            result.moved_aside = _move_aside(db_path, now or datetime.now())
            _install(info.path, db_path)
    except OSError as exc:
        raise UserError(f"无法替换数据库文件“{db_path.name}”（{os_reason(exc)}），没有恢复；"
                        "请关闭正在使用它的程序、确认磁盘有空间后重试。") from exc
    except sqlite3.DatabaseError as exc:
        if getattr(exc, "sqlite_errorcode", None) in (SQLITE_BUSY, SQLITE_LOCKED):
            raise UserError("数据库正被另一个程序写入（如正在导入），没有恢复；请等它完成后再试。") from exc
        raise UserError(f"恢复没有完成（{sqlite_reason(exc)}），请关闭其他正在使用这个数据库的程序后重试。") from exc
    _record(db_path, info, result, operator)
    return result
