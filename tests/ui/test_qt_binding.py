"""Guard against a Qt binding that drops a reference to None on void calls (PySide6 6.12.0 aborts Python)."""

from __future__ import annotations

import subprocess
import sys


def test_many_void_calls_do_not_crash_python() -> None:
    code = "from PySide6.QtCore import QObject; o = QObject(); [o.setObjectName('x') for _ in range(300000)]"
    p = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, "this PySide6 release corrupts None's reference count; see pyproject.toml" + p.stderr
