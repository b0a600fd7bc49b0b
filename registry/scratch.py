"""Temporary files of personal data: one recognisable name, user-only permissions, and a sweep after a kill.

Every file of personal data the program writes (backups, roster exports, problem lists, report figures,
PDFs) is first built as a temporary file beside its target and then moved into place (registry.exports).
A process killed in between leaves that temporary file behind, holding real names and ID numbers. So:

- the temporary file is named ``~$台账临时-<pid>-<12 hex digits>.tmp`` (SQLite may add ``-journal``,
  ``-wal`` or ``-shm`` to a backup's), visibly not a finished file, with the writer's process id in it;
- it is created 0600 (on Windows the user's profile folders already keep others out);
- before the first one is created in a folder, that folder is added to a journal in the data folder
  (``scratch-folders.txt``, one ``<unix time>\\t<folder>`` a line);
- at every start (window and command line) `sweep_leftovers` deletes, in the journalled folders only,
  the files matching that name whose process is no longer alive, then prunes the journal.

Other writers of personal data should use registry.exports.publish, or temp_name/create_temp/remove_temp
here, and registry.paths.private_dir for any folder they create (backups/, for instance).
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import time
from pathlib import Path

from registry.paths import data_dir, private_dir

PREFIX = "~$台账临时-"
SUFFIX = ".tmp"
PATTERN = re.compile(r"~\$台账临时-(\d+)-[0-9a-f]{12}\.tmp(?:-journal|-wal|-shm)?")
JOURNAL_NAME = "scratch-folders.txt"
SQLITE_SIDES = ("-journal", "-wal", "-shm")
# A folder that cannot be reached (a USB stick taken out) stays in the journal this long, to be swept later.
KEEP_UNREACHABLE = 30 * 86400

def journal_path() -> Path:
    return data_dir() / JOURNAL_NAME


def temp_name(folder: Path) -> Path:
    """A fresh temporary file name in `folder` (nothing is created)."""
    return Path(folder) / f"{PREFIX}{os.getpid()}-{secrets.token_hex(6)}{SUFFIX}"


def create_temp(tmp: Path) -> None:
    """Record the folder, then create `tmp` empty and readable by the user only."""
    record_folder(tmp.parent)
    os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600))


def temp_beside(out: Path) -> Path:
    """A new empty temporary file in the target's folder (user-only, journalled, swept after a kill)."""
    tmp = temp_name(Path(out).parent)
    create_temp(tmp)
    return tmp


def remove_temp(tmp: Path) -> None:
    """Delete the temporary file and any SQLite side file beside it; missing ones are fine."""
    for path in (tmp, *(tmp.with_name(tmp.name + side) for side in SQLITE_SIDES)):
        with contextlib.suppress(OSError):
            path.unlink(missing_ok=True)


def record_folder(folder: Path) -> None:
    """Add the folder to the journal (unless it is there already) before a temporary file is made there.

    The journal is read every time rather than remembered: another start's sweep may have pruned it.
    """
    key = str(Path(folder).resolve())
    if key in _read_journal(journal_path())[1]:
        return
    try:
        private_dir(data_dir())
        fd = os.open(journal_path(), os.O_WRONLY | os.O_CREAT | os.O_APPEND | getattr(os, "O_BINARY", 0), 0o600)
        try:
            os.write(fd, f"{int(time.time())}\t{key}\n".encode())
        finally:
            os.close(fd)
    except OSError:
        return  # the export must not fail because the data folder is read-only; only the sweep loses it


def process_alive(pid: int) -> bool:
    """Whether a process with this id is running (a recycled id counts as alive: the file waits)."""
    if pid <= 0:
        return False
    if os.name == "nt":
        return _alive_windows(pid)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _alive_windows(pid: int) -> bool:
    # os.kill(pid, 0) would terminate the process on Windows; ask for its exit code instead.
    import ctypes
    from ctypes import wintypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
    kernel32.OpenProcess.restype = wintypes.HANDLE
    kernel32.OpenProcess.argtypes = (wintypes.DWORD, wintypes.BOOL, wintypes.DWORD)
    kernel32.GetExitCodeProcess.argtypes = (wintypes.HANDLE, ctypes.POINTER(wintypes.DWORD))
    kernel32.CloseHandle.argtypes = (wintypes.HANDLE,)
    handle = kernel32.OpenProcess(0x1000, False, pid)  # PROCESS_QUERY_LIMITED_INFORMATION
    if not handle:
        return ctypes.get_last_error() == 5  # type: ignore[attr-defined]  # access denied: it exists
    try:
        code = wintypes.DWORD()
        return bool(kernel32.GetExitCodeProcess(handle, ctypes.byref(code))) and code.value == 259  # STILL_ACTIVE
    finally:
        kernel32.CloseHandle(handle)


def _read_journal(path: Path) -> tuple[str, dict[str, int]]:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return "", {}
    folders: dict[str, int] = {}
    for line in text.splitlines():
        stamp, _, folder = line.partition("\t")
        if folder and stamp.isdigit():
            folders[folder] = max(int(stamp), folders.get(folder, 0))
    return text, folders


def sweep_folder(folder: Path) -> tuple[list[Path], bool]:
    """Delete the leftovers of dead processes in `folder`; returns them and whether some remain (live or held)."""
    removed: list[Path] = []
    live = False
    with os.scandir(folder) as entries:
        for entry in entries:
            match = PATTERN.fullmatch(entry.name)
            if not match or not entry.is_file(follow_symlinks=False):
                continue
            if process_alive(int(match.group(1))):
                live = True
                continue
            try:
                os.unlink(entry.path)
            except FileNotFoundError:
                continue
            except OSError:
                # Held open (Windows: an antivirus scan, a viewer) or not ours to delete: the next start tries again.
                live = True
                continue
            removed.append(Path(entry.path))
    return removed, live


def sweep_leftovers(journal: Path | None = None, now: float | None = None) -> list[Path]:
    """At start-up: delete temporary files left by killed processes in the journalled folders.

    Also narrows the data folder to the user only if it exists with wider permissions (made by an older
    version, or by a first open before any export). Never raises (a start must not fail because of a
    sweep); returns the files deleted.
    """
    if data_dir().is_dir():
        private_dir(data_dir())
    path = journal or journal_path()
    now = time.time() if now is None else now
    text, folders = _read_journal(path)
    if not folders:
        return []
    removed: list[Path] = []
    keep: dict[str, int] = {}
    for folder, stamp in folders.items():
        try:
            gone, live = sweep_folder(Path(folder))
        except OSError:
            if now - stamp < KEEP_UNREACHABLE:
                keep[folder] = stamp
            continue
        removed += gone
        if live:
            keep[folder] = stamp
    _rewrite_journal(path, text, keep)
    return removed


def _rewrite_journal(path: Path, read: str, keep: dict[str, int]) -> None:
    # Lines another process appended since we read the journal are kept: it may be writing there now.
    with contextlib.suppress(OSError):
        current = path.read_text(encoding="utf-8", errors="replace")
        added = current[len(read):] if current.startswith(read) else current
        lines = "".join(f"{stamp}\t{folder}\n" for folder, stamp in keep.items()) + added
        if not lines:
            path.unlink(missing_ok=True)
            return
        tmp = path.with_name(f"{path.name}.{os.getpid()}.new")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_BINARY", 0), 0o600)
        try:
            os.write(fd, lines.encode())
        finally:
            os.close(fd)
        try:
            os.replace(tmp, path)
        except OSError:
            tmp.unlink(missing_ok=True)  # the journal is held open elsewhere (Windows): keep it as it was
            raise
