"""Where the user's database lives by default, and where bundled resources are."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

APP_NAME = "DangjianTaizhang"


def data_dir() -> Path:
    override = os.environ.get("DANGJIAN_DATA_DIR")
    return Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def default_db_path() -> Path:
    return data_dir() / "taizhang.db"


def resources_dir() -> Path:
    """The resources/ folder, also inside a frozen (PyInstaller) build."""
    base = getattr(sys, "_MEIPASS", None)
    if base:
        return Path(base) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def font_path() -> Path:
    return resources_dir() / "fonts" / "wqy-microhei.ttc"
