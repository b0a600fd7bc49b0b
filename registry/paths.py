"""Where the user's data lives (folders kept private), and the bundled resources (fonts, icons)."""

from __future__ import annotations

import contextlib
import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "DangjianTaizhang"
PRIVATE_DIR = 0o700  # the folders hold names, ID numbers and phones: readable by the user only (Linux)


def data_dir() -> Path:
    override = os.environ.get("DANGJIAN_DATA_DIR")
    return Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_db_path() -> Path:
    return data_dir() / "taizhang.db"


def private_dir(folder: Path) -> Path:
    """Create `folder` (and missing parents) readable by the user only; returns it.

    Folders this creates get 0700; the program's own data folder is also narrowed to 0700 if an older
    version made it with the usual 0755. Folders the user made elsewhere keep their permissions.
    On Windows the mode is ignored and the profile folders' own permissions apply.
    """
    folder = Path(folder)
    missing = []
    probe = folder
    while not probe.exists() and probe != probe.parent:
        missing.append(probe)
        probe = probe.parent
    for path in reversed(missing):
        with contextlib.suppress(FileExistsError):
            path.mkdir(mode=PRIVATE_DIR)
        _narrow(path)
    if not missing and folder == data_dir():
        _narrow(folder)
    return folder


def _narrow(folder: Path) -> None:
    # mkdir's mode is filtered by the umask; chmod makes it exact.
    if os.name != "nt":
        with contextlib.suppress(OSError):
            os.chmod(folder, PRIVATE_DIR)


def resources_dir() -> Path:
    """registry/resources (package data, so that a wheel install has it), also inside a frozen build."""
    base = getattr(sys, "_MEIPASS", None)
    if base:
        return Path(base) / "registry" / "resources"
    return Path(__file__).resolve().parent / "resources"


def font_path() -> Path:
    return resources_dir() / "fonts" / "wqy-microhei.ttc"


def icon_path(name: str = "app.png") -> Path:
    return resources_dir() / "icons" / name


def manual_path() -> Path:
    """The user guide (帮助 → 使用说明): an HTML page with its screenshots beside it."""
    return resources_dir() / "manual" / "index.html"
