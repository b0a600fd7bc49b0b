"""Automatic backups in a `backups/` folder beside the database: made, checked, listed and rotated.

A backup is a complete copy made with SQLite's online backup API (consistent while the database is in
use), built under a temporary name, checked (`PRAGMA integrity_check`; quick_check before an import or
undo, see QUICK_CHECKED), and only then renamed to its readable name `<database>-<YYYYmmdd>-<HHMMSS>-<reason>.db`. The name tells the time and the reason; the
people count and the last change are read from the backup's own tables, so nothing else has to be kept
in step. Rotation keeps the newest 10 backups of each database plus the newest one of each of the last 8
ISO weeks (the current week included); files whose names this program did not make are never touched.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from registry import scratch
from registry.display import cn_moment
from registry.errors import UserError
from registry.paths import private_dir
from registry.storage.opening import OUR_TABLES, classify, connect_immutable, connect_live, is_open_here
from registry.storage.sqlite_errors import os_reason, sqlite_reason

FOLDER = "backups"
KEEP_LATEST = 10
KEEP_WEEKS = 8

REASONS = {"import": "导入前", "undo": "撤销导入前", "upgrade": "升级前", "keys": "排序键更新前",
           "daily": "每日", "restore": "恢复前"}

_NAME = re.compile(r"^(?P<db>.+)-(?P<day>\d{8})-(?P<time>\d{6})-(?P<reason>[^-.]+)(?:-(?P<n>\d+))?\.db$")


class BackupDamaged(UserError):
    """The copy failed its check: the database it was made from is damaged."""


@dataclass(frozen=True)
class BackupInfo:
    """One backup file and what it holds."""

    path: Path
    at: datetime
    reason: str
    people: int | None  # None: the file could not be read
    last_change: str | None  # time of the newest operation recorded in it
    size: int
    fingerprint: str | None = None  # what changes whenever the data does; equal means the same data

    @property
    def last_change_text(self) -> str:
        """The last change as a secretary reads a time: 2026年12月1日 10:00 (stored as ISO 2026-12-01T10:00:24)."""
        return cn_moment(self.last_change, "无")

    @property
    def at_text(self) -> str:
        """When the backup was made, as a secretary reads a time: 2026年12月1日 09:30."""
        return cn_moment(self.at)

    @property
    def readable(self) -> bool:
        return self.people is not None

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d.pop("fingerprint")
        return {**d, "path": str(self.path), "at": self.at.isoformat(timespec="seconds"), "readable": self.readable}


def backup_dir(db_path: Path) -> Path:
    return Path(db_path).parent / FOLDER


def connect_readonly(path: Path) -> sqlite3.Connection:
    """A read-only connection to a backup that never creates the file nor any sidecar beside it."""
    return connect_immutable(path)


def is_registry(conn: sqlite3.Connection) -> bool:
    """True if the database has this program's tables."""
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return names >= OUR_TABLES


def fingerprint(conn: sqlite3.Connection, leaving_out: int = 0) -> str:
    """Changes whenever the user's data does (every change writes an operation; upgrades a migration row).

    leaving_out: the operation a transaction has just opened (its first row): the data as it was before it."""
    row = conn.execute("SELECT (SELECT ifnull(max(id), 0) FROM operations WHERE id != ?), (SELECT ifnull(max(id), 0)"
                       " FROM audit_log), (SELECT count(*) FROM people), (SELECT count(*) FROM migrations),"
                       " (SELECT value FROM settings WHERE key = 'keys_version')", (leaving_out,)).fetchone()
    return ":".join(str(v) for v in row)


def _contents(conn: sqlite3.Connection) -> tuple[int, str | None, str]:
    people = int(conn.execute("SELECT count(*) FROM people").fetchone()[0])
    last = conn.execute("SELECT max(at) FROM operations").fetchone()[0]
    return people, last, fingerprint(conn)


def is_empty(conn: sqlite3.Connection) -> bool:
    """Nothing worth keeping yet: no person, organisation or outlet (a fresh or foreign file)."""
    if not is_registry(conn):
        return True
    return not conn.execute("SELECT EXISTS (SELECT 1 FROM people) OR EXISTS (SELECT 1 FROM organizations)"
                            " OR EXISTS (SELECT 1 FROM outlets)").fetchone()[0]


def parse_name(path: Path) -> tuple[str, datetime, str] | None:
    """(database stem, time, reason) from a backup's name, or None for a name this program did not make."""
    m = _NAME.match(Path(path).name)
    if not m:
        return None
    try:
        at = datetime.strptime(m["day"] + m["time"], "%Y%m%d%H%M%S")
    except ValueError:
        return None
    return m["db"], at, m["reason"]


def read_backup(path: Path) -> BackupInfo:
    """What a backup file holds; people is None if it cannot be read as this program's database."""
    path = Path(path)
    parsed = parse_name(path)
    stat = path.stat()
    at = parsed[1] if parsed else datetime.fromtimestamp(stat.st_mtime).replace(microsecond=0)
    reason = parsed[2] if parsed else "其他"
    people: int | None = None
    last: str | None = None
    mark: str | None = None
    try:
        conn = connect_readonly(path)
        try:
            if is_registry(conn):
                people, last, mark = _contents(conn)
        finally:
            conn.close()
    except sqlite3.DatabaseError:
        pass
    return BackupInfo(path, at, reason, people, last, stat.st_size, mark)


def _own_files(db_path: Path) -> list[tuple[Path, datetime, str]]:
    folder = backup_dir(db_path)
    if not folder.is_dir():
        return []
    stem = Path(db_path).stem
    out = []
    for p in folder.iterdir():
        parsed = parse_name(p)
        if parsed and parsed[0] == stem and p.is_file():
            out.append((p, parsed[1], parsed[2]))
    out.sort(key=lambda t: (t[1], _copy_number(t[0])), reverse=True)
    return out


def _copy_number(path: Path) -> int:
    """2, 3, … for a second backup made within the same second (named …-导入前-2.db)."""
    m = _NAME.match(path.name)
    return int(m["n"]) if m and m["n"] else 1


def list_backups(db_path: Path) -> list[BackupInfo]:
    """Every backup of this database in its backups folder, newest first."""
    return [read_backup(p) for p, _, _ in _own_files(db_path)]


def check_file(path: Path) -> str | None:
    """None if the file passes `PRAGMA integrity_check`, else SQLite's first complaint."""
    try:
        conn = connect_readonly(path)
        try:
            rows = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return str(exc)
    return None if rows == ["ok"] else rows[0]


def newest_good_backup(db_path: Path) -> BackupInfo | None:
    """The newest backup of this database that is this program's and passes integrity_check."""
    for info in list_backups(db_path):
        if info.readable and check_file(info.path) is None:
            return info
    return None


# Making one ---------------------------------------------------------------------------------------------
def sweep_temporaries(folder: Path) -> list[Path]:
    """Remove the temporaries a killed backup or restore left in the backups folder (registry.scratch names)."""
    return scratch.sweep_folder(folder)[0] if folder.is_dir() else []


def _final_name(folder: Path, stem: str, at: datetime, reason: str) -> Path:
    """A new name; a later backup within the same second (whatever its reason) gets the next copy number."""
    stamp = f"{stem}-{at:%Y%m%d-%H%M%S}-"
    same_second = [p for p in folder.iterdir() if p.name.startswith(stamp) and parse_name(p)]
    n = max((_copy_number(p) for p in same_second), default=0) + 1
    return folder / (f"{stamp}{reason}.db" if n == 1 else f"{stamp}{reason}-{n}.db")


# The check each occasion gives its copy. A backup taken before every import or undo is checked with
# quick_check: the pages, records and constraints, in O(N) (0.9 s against 3.9 s for integrity_check at 100,000
# people). What it leaves out, whether every index holds exactly its table's rows, is damage REINDEX repairs, so
# such a copy is still a good one to restore; the daily backup and a backup made by hand still run the full check.
QUICK_CHECKED = frozenset({"import", "undo"})


def copy_checked(source: sqlite3.Connection, tmp: Path, check: str = "integrity_check") -> tuple[int, str | None, str]:
    """Copy the source database into tmp (created 0600), as a rollback-mode file, and check it.

    Raises UserError if the copy fails the check (integrity_check or quick_check) or is not this program's database.
    """
    if check not in ("integrity_check", "quick_check"):
        raise ValueError(check)
    scratch.create_temp(tmp)
    target = sqlite3.connect(str(tmp), isolation_level=None)
    try:
        source.backup(target)
        # The copy carries the source's WAL flag; a backup is one self-contained file that opens read-only.
        target.execute("PRAGMA journal_mode = DELETE")
        problems = [r[0] for r in target.execute(f"PRAGMA {check}")]
        if problems != ["ok"]:
            raise BackupDamaged(f"备份校验未通过（{problems[0]}），说明数据库文件已经损坏；这个备份已删除，"
                            "请用“从备份恢复”换回一个较早的备份。")
        if not is_registry(target):
            raise UserError("要备份的文件不是本程序的数据库，没有备份。")
        return _contents(target)
    finally:
        target.close()


def make_backup(source: sqlite3.Connection, db_path: Path, reason: str, now: datetime | None = None,
                *, reuse: bool = True, protect: Iterable[Path] = (), check: str = "integrity_check") -> BackupInfo:
    """A checked backup of the open database in its backups folder, then rotation.

    With reuse, an existing newest backup that holds exactly the same data is returned instead of a copy.
    Rotation never deletes the files in protect (a backup about to be restored).
    A failed backup leaves nothing behind and raises UserError with one sentence.
    """
    db_path = Path(db_path)
    folder = backup_dir(db_path)
    try:
        private_dir(folder)
        sweep_temporaries(folder)
        if reuse:
            newest = next(iter(_own_files(db_path)), None)
            if newest is not None:
                info = read_backup(newest[0])
                if info.fingerprint is not None and info.fingerprint == fingerprint(source):
                    return info
        at = (now or datetime.now()).replace(microsecond=0)
        final = _final_name(folder, db_path.stem, at, reason)
        tmp = scratch.temp_name(folder)
        try:
            people, last, mark = copy_checked(source, tmp, check)
            os.replace(tmp, final)
        finally:
            scratch.remove_temp(tmp)
        rotate(db_path, at, protect)
    except OSError as exc:
        raise UserError(f"无法在“{folder}”中写入自动备份（{os_reason(exc)}），请确认磁盘有空间、"
                        "文件夹可以写入后重试。") from exc
    except sqlite3.DatabaseError as exc:
        raise UserError(f"自动备份没有完成（{sqlite_reason(exc)}），数据库文件可能已经损坏；请用“从备份恢复”换回一个较早的备份。") from exc
    return BackupInfo(final, at, reason, people, last, final.stat().st_size, mark)


def to_keep(stamps: Iterable[tuple[Path, datetime]], now: datetime) -> set[Path]:
    """The rotation policy: the newest KEEP_LATEST, plus the newest of each of the last KEEP_WEEKS ISO weeks."""
    ordered = sorted(stamps, key=lambda t: (t[1], _copy_number(t[0])), reverse=True)
    keep = {p for p, _ in ordered[:KEEP_LATEST]}
    weeks = {(now - timedelta(weeks=k)).isocalendar()[:2] for k in range(KEEP_WEEKS)}
    seen: set[tuple[int, int]] = set()
    for p, at in ordered:
        week = at.isocalendar()[:2]
        if week in weeks and week not in seen:
            seen.add(week)
            keep.add(p)
    return keep


def rotate(db_path: Path, now: datetime | None = None, protect: Iterable[Path] = ()) -> list[Path]:
    """Delete this database's automatic backups the policy no longer keeps; returns what was deleted."""
    files = _own_files(db_path)
    keep = to_keep([(p, at) for p, at, _ in files], now or datetime.now())
    keep |= {Path(p) for p in protect}
    removed = []
    for p, _, _ in files:
        if p not in keep:
            with contextlib.suppress(OSError):
                p.unlink()
                removed.append(p)
    return removed


# The automatic occasions --------------------------------------------------------------------------------
def auto_backup(conn: sqlite3.Connection, db_path: Path | str, reason: str,
                protect: Iterable[Path] = ()) -> BackupInfo | None:
    """Before an import, an undo or an upgrade: a checked backup, unless the database is empty or in memory."""
    if str(db_path) == ":memory:" or is_empty(conn):
        return None
    quick = any(reason == REASONS[k] for k in QUICK_CHECKED)
    return make_backup(conn, Path(db_path), reason, protect=protect, check="quick_check" if quick else "integrity_check")


def _before(conn: sqlite3.Connection, db_path: Path | str, reason: str, what: str) -> BackupInfo | None:
    try:
        return auto_backup(conn, db_path, reason)
    except UserError as exc:
        raise type(exc)(f"{what}前的自动备份没有成功，为安全起见没有{what}。{exc.message}") from exc


def before_import_copy(db_path: Path) -> str | None:
    """The backup before an import, on a read-only connection of its own (an import makes it in a helper thread,
    beside its own work: a connection stays in its thread); the fingerprint of the data kept, None if nothing was."""
    conn = connect_live(Path(db_path), "ro")
    try:
        info = _before(conn, db_path, REASONS["import"], "导入")
    finally:
        conn.close()
    return None if info is None else info.fingerprint


def before_undo(reg: Any) -> BackupInfo | None:
    """The hook called just before an import is taken back."""
    return _before(reg.conn, reg.path, REASONS["undo"], "撤销导入")


def backup_before_upgrade(conn: sqlite3.Connection, db_path: Path | str) -> BackupInfo | None:
    """Called on open before migrate/refresh_keys: a backup only when one of them will change something."""
    if str(db_path) == ":memory:":
        return None
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if not tables >= OUR_TABLES:
        return None  # a fresh file gets its schema now; nothing to keep
    from registry.person_keys import KEYS_VERSION
    from registry.storage.migrations import MIGRATIONS

    done = {r[0] for r in conn.execute("SELECT name FROM migrations")}
    if any(name not in done for name, _ in MIGRATIONS):
        return _before(conn, db_path, REASONS["upgrade"], "升级数据库")
    keys = conn.execute("SELECT value FROM settings WHERE key = 'keys_version'").fetchone()
    if (keys is None or keys[0] != KEYS_VERSION) and conn.execute("SELECT EXISTS (SELECT 1 FROM people)").fetchone()[0]:
        return _before(conn, db_path, REASONS["keys"], "更新排序键")
    return None


def daily_backup(db_path: Path, now: datetime | None = None) -> BackupInfo | None:
    """Once a day on first open: a backup unless one was made today or the data has not changed since.

    Opens its own read-only connection (nothing is ever written into a damaged file, not even a checkpoint),
    never creates the database, and skips an empty or foreign file. A damaged database is left to the open
    that follows, which says so; this only reports what that open would not (a full disk, damage that only
    integrity_check finds).
    """
    db_path = Path(db_path)
    now = now or datetime.now()
    if not db_path.is_file():
        return None
    if not is_open_here(db_path):  # another program's file is never touched, not even by a read-only look
        try:
            if classify(db_path) not in ("ours", "legacy"):
                return None
        except UserError:
            return None  # not ours, or damaged: the open that follows says so
    sweep_temporaries(backup_dir(db_path))  # what a killed backup or restore left, even on a day with a backup
    files = _own_files(db_path)
    if files and files[0][1].date() == now.date():
        return None
    try:
        conn = connect_live(db_path, "ro")
    except (sqlite3.DatabaseError, UserError):
        return None
    try:
        try:
            if is_empty(conn) or conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                return None
        except sqlite3.DatabaseError:
            return None  # not a database, or damaged: opening it says so
        try:
            return make_backup(conn, db_path, REASONS["daily"], now)
        except BackupDamaged:
            with contextlib.suppress(sqlite3.DatabaseError):
                if conn.execute("PRAGMA quick_check").fetchone()[0] == "ok":
                    raise
            return None
    finally:
        conn.close()
