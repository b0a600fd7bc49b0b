"""Opening a database file safely: only this program's files, never created by accident, checked for damage.

Every connection this program makes to a registry goes through `connect()`, which also switches off SQLite's
close-time checkpoint (see `disable_checkpoint_on_close`): that is what keeps the POSIX-lock hazard out.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import sys
import threading
import time
from collections import Counter
from pathlib import Path

from registry.errors import DatabaseDamaged, DatabaseMissing, NotRegistryDatabase, UserError
from registry.rules.deadlines import register_sql_functions
from registry.storage.sqlite_errors import damaged_message, os_reason, readonly_message, translated

APPLICATION_ID = 0x444A545A  # "DJTZ" in the SQLite header (offset 68): marks a file as this program's registry
OUR_TABLES = frozenset({"migrations", "people", "audit_log", "operations"})  # databases made before the mark
BUSY_TIMEOUT_MS = 5000  # a second writer waits this long for the first before it gets a sentence
QUICK_CHECK_SECONDS = 5.0  # bound on the damage check at open; see quick_check()
SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE = 1006
SQLITE_HEADER = b"SQLite format 3\x00"

_open_here: Counter[str] = Counter()  # resolved paths with a live connection in this process
_open_lock = threading.Lock()


def file_key(path: Path) -> str:
    """One spelling per file: resolved, and case-folded where the file system ignores case."""
    key = str(Path(path).resolve())
    return key.casefold() if sys.platform in ("win32", "darwin") else key


def note_open(key: str) -> None:
    with _open_lock:
        _open_here[key] += 1


def note_closed(key: str) -> None:
    with _open_lock:
        _open_here[key] -= 1
        if _open_here[key] <= 0:
            del _open_here[key]


def is_open_here(path: Path) -> bool:
    with _open_lock:
        return file_key(path) in _open_here


# Connection settings -------------------------------------------------------------------------------------
def disable_checkpoint_on_close(conn: sqlite3.Connection) -> None:
    """Make close() never checkpoint and delete the -wal/-shm files; refuse the connection if that fails.

    SQLite's close decides "am I the last connection?" from a POSIX lock on the database file. Those locks are
    per process and vanish when *any* descriptor of the file in the process is closed (a file dialog sniffing
    the data folder does that), so another process could wrongly decide it is last and delete the WAL the
    window still uses: "database disk image is malformed". With this setting no connection of ours ever does
    that; checkpoints are explicit (`Registry.checkpoint`) and coordinated through the -shm file instead.
    If it cannot be set we refuse to open at all: running without it is exactly the corrupting configuration.
    """
    if not _no_ckpt_on_close(conn):
        raise UserError("这台电脑上的数据库组件不支持程序所需的安全设置，为保护数据没有打开数据库；"
                        "请重新安装完整的程序包后再试。")


def _no_ckpt_on_close(conn: sqlite3.Connection) -> bool:
    """Switch SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE on and read it back: True if it is on."""
    if hasattr(conn, "setconfig"):  # Python 3.12+
        conn.setconfig(sqlite3.SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, True)  # type: ignore[attr-defined]
        return bool(conn.getconfig(sqlite3.SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE))  # type: ignore[attr-defined]
    return _ctypes_no_ckpt_on_close(conn)


def _ctypes_no_ckpt_on_close(conn: sqlite3.Connection) -> bool:
    """Python 3.11 has no Connection.setconfig: call sqlite3_db_config on the connection's handle directly."""
    import _sqlite3
    import ctypes

    if sys.version_info[:2] != (3, 11):  # the handle's offset below is the 3.11 object layout only
        return False
    try:
        lib = ctypes.CDLL(_sqlite3.__file__)  # its symbol lookup reaches the SQLite library it is linked to
        # pysqlite_Connection starts with PyObject_HEAD, then `sqlite3 *db`.
        handle = ctypes.c_void_p.from_address(id(conn) + object.__basicsize__).value
        if not handle:
            return False
        set_to = ctypes.c_int(-1)
        rc = lib.sqlite3_db_config(ctypes.c_void_p(handle), ctypes.c_int(SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE),
                                   ctypes.c_int(1), ctypes.byref(set_to))
        read_back = ctypes.c_int(-1)
        rc2 = lib.sqlite3_db_config(ctypes.c_void_p(handle), ctypes.c_int(SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE),
                                    ctypes.c_int(-1), ctypes.byref(read_back))
    except (OSError, AttributeError, ValueError):
        return False
    return rc == 0 and rc2 == 0 and set_to.value == 1 and read_back.value == 1


def configure(conn: sqlite3.Connection) -> None:
    """Settings every connection of ours has (also the checks' and the backups' connections to our files)."""
    disable_checkpoint_on_close(conn)
    conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_MS)}")
    conn.execute("PRAGMA secure_delete = ON")  # a deleted person's pages are overwritten, not left readable
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("PRAGMA cache_size = -65536")  # 64 MB: the roster and statistics indexes stay in memory
    conn.execute("PRAGMA temp_store = MEMORY")
    conn.execute("PRAGMA journal_size_limit = 4194304")  # a reset WAL shrinks back: no old rows linger in it
    register_sql_functions(conn)  # the due list's SQL computes rule periods with registry/rules, never '+N months'


# Checks before the file is touched -----------------------------------------------------------------------
def _writable(path: Path) -> bool:
    return os.access(path, os.W_OK)


def not_ours_message(path: Path) -> str:
    return (f"文件“{path.name}”不是本程序的台账数据库（可能是其他程序的文件，也可能已严重损坏），程序没有改动它；"
            "请选择正确的台账数据库文件。")


def _header(path: Path) -> bytes:
    """The first 100 bytes, read without SQLite: only when no connection of this process has the file open
    (closing this descriptor would drop that connection's POSIX locks)."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))
        try:
            return os.read(fd, 100)
        finally:
            os.close(fd)
    except PermissionError as exc:
        raise UserError(f"没有读取文件“{path.name}”的权限，请确认文件权限后重试。") from exc
    except OSError as exc:
        raise UserError(f"无法读取文件“{path.name}”（{os_reason(exc)}），请确认U盘或磁盘是否可用后重试。") from exc


def connect_immutable(path: Path) -> sqlite3.Connection:
    """A read-only look at the main file alone: no lock taken, no -wal/-shm created, nothing written.

    Only for files nobody is writing (backups, copies, a header check): a live WAL is not read.
    """
    return sqlite3.connect(Path(path).resolve().as_uri() + "?immutable=1", uri=True, isolation_level=None,
                           check_same_thread=False)


def connect_live(path: Path, mode: str = "rw") -> sqlite3.Connection:
    """A plain connection ("ro" or "rw", never creating the file) to a live database of ours, set up like
    every other (configure): whatever opens the live file must never checkpoint and delete its WAL on close."""
    if mode not in ("ro", "rw"):
        raise ValueError(mode)
    conn = sqlite3.connect(Path(path).resolve().as_uri() + f"?mode={mode}", uri=True, isolation_level=None,
                           check_same_thread=False)
    try:
        configure(conn)
    except BaseException:
        conn.close()
        raise
    return conn


def _tables_in_main_file(path: Path) -> set[str]:
    """Table names read with an immutable connection: no lock taken, no -wal/-shm created, nothing written."""
    conn = connect_immutable(path)
    try:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    finally:
        conn.close()


def classify(path: Path) -> str:
    """'ours', 'legacy' (ours, made before the application id), 'empty' (SQLite or 0 bytes, no tables), 'wal-only'
    (no tables in the main file yet but a WAL beside it); anything else raises NotRegistryDatabase untouched."""
    header = _header(path)
    if not header:
        return "empty"
    if len(header) < 100 or not header.startswith(SQLITE_HEADER):
        raise NotRegistryDatabase(not_ours_message(path), path)
    app_id = int.from_bytes(header[68:72], "big")
    if app_id == APPLICATION_ID:
        return "ours"
    if app_id != 0:
        raise NotRegistryDatabase(not_ours_message(path), path)
    try:
        tables = _tables_in_main_file(path)
    except sqlite3.DatabaseError as exc:
        raise DatabaseDamaged(damaged_message(path), path) from exc
    if tables >= OUR_TABLES:
        return "legacy"
    if tables - {"migrations"}:
        raise NotRegistryDatabase(not_ours_message(path), path)
    wal = path.with_name(path.name + "-wal")
    return "wal-only" if wal.exists() and wal.stat().st_size > 0 else "empty"


def ensure_folder(folder: Path) -> None:
    """Only the program's own data folder is made when missing (0700); any other missing folder is a typo."""
    if folder.is_dir():
        return
    from registry.paths import data_dir

    if file_key(folder) != file_key(data_dir()):
        raise UserError(f"文件夹“{folder}”不存在，请先建立这个文件夹，或换一个保存位置。")
    missing = []
    at = folder
    while not at.exists():
        missing.append(at)
        at = at.parent
    try:
        for part in reversed(missing):
            part.mkdir(mode=0o700)
            os.chmod(part, 0o700)  # mkdir's mode is filtered by the umask; the data folder is the user's only
    except OSError as exc:
        raise UserError(f"无法建立数据文件夹“{folder}”（{os_reason(exc)}），请确认有写入权限后重试。") from exc


def narrow_to_owner(path: Path) -> None:
    """A database made by an older version (0644) becomes readable by its owner only, with its -wal/-shm.

    Only files this user owns, only on POSIX systems, and never an error: a shared folder the user set up
    on purpose keeps working, the file simply stays as it was.
    """
    if sys.platform == "win32" or not hasattr(os, "geteuid"):
        return
    for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        with contextlib.suppress(OSError):
            st = p.stat()
            if st.st_uid == os.geteuid() and st.st_mode & 0o077:
                os.chmod(p, st.st_mode & 0o700)


def _create_private_file(path: Path) -> None:
    """An empty file readable by the user only; SQLite gives -wal/-shm the same mode as the database."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
        os.close(fd)
        os.chmod(path, 0o600)
    except FileExistsError as exc:
        raise UserError(f"文件“{path.name}”刚刚被其他程序建立，请重新打开它。") from exc
    except OSError as exc:
        raise UserError(readonly_message(path) if isinstance(exc, PermissionError)
                        else f"无法建立数据库文件“{path.name}”（{os_reason(exc)}），请换一个位置后重试。") from exc


# The damage check ----------------------------------------------------------------------------------------
def quick_check(conn: sqlite3.Connection, path: Path | None, seconds: float = QUICK_CHECK_SECONDS) -> bool:
    """PRAGMA quick_check within `seconds`; raises DatabaseDamaged, returns False if the bound was hit.

    When the bound is hit (a very large database on a slow disk), the file is opened anyway: the part that
    was checked is sound, and a damaged page elsewhere is still caught when it is read (SQLite reports
    SQLITE_CORRUPT, which becomes the same DatabaseDamaged sentence) — refusing instead would lock a user out
    of a healthy ledger merely because her computer is slow.
    """
    deadline = time.monotonic() + seconds
    timed_out = False

    def over_time() -> int:
        nonlocal timed_out
        timed_out = time.monotonic() > deadline
        return int(timed_out)

    conn.set_progress_handler(over_time, 1000)
    try:
        rows = conn.execute("PRAGMA quick_check(1)").fetchall()
    except sqlite3.OperationalError:
        if timed_out:
            return False
        raise
    finally:
        conn.set_progress_handler(None, 0)
    if rows != [("ok",)]:
        raise DatabaseDamaged(damaged_message(path), path)
    return True


# Opening -------------------------------------------------------------------------------------------------
def missing_message(path: Path) -> str:
    return (f"找不到数据库文件“{path}”。如要新建，请运行“python -m registry --db {path} init”，"
            "或在窗口中用“文件→新建数据库”；如果文件在U盘上，请先插好U盘。")


def connect(path: Path, *, create: bool = False, check: bool = True) -> tuple[sqlite3.Connection, bool]:
    """A configured connection to this program's database at path; returns (connection, newly made).

    Refuses, changing nothing, a missing file (unless create), a folder, another program's file or a damaged
    one. With check=False the damage check is skipped (a second connection in a process that already has one).
    """
    if str(path) == ":memory:":
        conn = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        configure(conn)
        return conn, True
    path = Path(path)
    if path.is_dir():
        raise NotRegistryDatabase(f"“{path}”是一个文件夹，不是数据库文件；请选择以 .db 结尾的台账数据库文件。", path)
    made = False
    if not path.exists():
        if not create:
            raise DatabaseMissing(missing_message(path), path)
        ensure_folder(path.parent)
        if not _writable(path.parent):
            raise UserError(readonly_message(path))
        _create_private_file(path)
        made = True
        kind = "empty"
    elif is_open_here(path):
        kind = "ours"  # checked when first opened; reading its header here would drop the live locks
    else:
        kind = classify(path)
    if kind == "empty" and not create:
        raise NotRegistryDatabase(f"文件“{path.name}”是一个空文件，里面没有台账；如要在这里新建台账，请运行"
                                  f"“python -m registry --db {path} init”，否则请选择正确的文件。", path)
    if not _writable(path.parent) or not _writable(path):
        raise UserError(readonly_message(path))
    if kind in ("ours", "legacy"):
        narrow_to_owner(path)
    try:
        return _connect(path, kind, check), made or kind == "empty"
    except BaseException:
        if made:  # a file we made a moment ago and could not set up is not left behind as junk
            for leftover in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
                leftover.unlink(missing_ok=True)
        raise


def _connect(path: Path, kind: str, check: bool) -> sqlite3.Connection:
    with translated(path):
        conn = sqlite3.connect(str(path), isolation_level=None, check_same_thread=False)
    try:
        with translated(path):
            configure(conn)
            if kind == "wal-only":  # the tables may be in the WAL only: look again now that it is read
                tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
                if not tables >= OUR_TABLES:
                    raise NotRegistryDatabase(not_ours_message(path), path)
            if check and kind != "empty":
                quick_check(conn, path)
            if kind != "ours":  # marked only after the checks: a refused file keeps every byte
                conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            # Switching to WAL rewrites header bytes, so it comes after every check; ours already are WAL.
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise UserError(readonly_message(path))
    except BaseException:
        conn.close()
        raise
    return conn


def open_snapshot(path: Path, check: bool = True) -> sqlite3.Connection:
    """A read-only look into a database file of ours that nobody is using (a backup): checked like any open,
    but nothing is written, no lock is taken and no -wal/-shm file appears beside it.

    immutable=1 reads the main file alone, so this is only for files without a live WAL (backups, copies).
    """
    path = Path(path)
    if not path.is_file():
        raise DatabaseMissing(f"找不到数据库文件“{path}”，请确认文件位置后重试。", path)
    if classify(path) not in ("ours", "legacy"):
        raise NotRegistryDatabase(not_ours_message(path), path)
    conn = connect_immutable(path)
    try:
        with translated(path):
            if check:
                quick_check(conn, path)
    except BaseException:
        conn.close()
        raise
    return conn
