"""Every page and dialog fits 1024×768, 1280×800, 1366×768 and 1920×1080 at 100 %, 125 % and 150 % scaling.

One Qt process per scaling (QT_SCALE_FACTOR must be set before Qt starts) opens every screen of
ui.screens at every size; tests/ui/fit_probe.py says which control a user could not reach.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from registry.demo import fill_demo
from registry.storage.database import Registry

SCALES = (1.0, 1.25, 1.5)
PROBE = Path(__file__).with_name("fit_probe.py")


@pytest.fixture(scope="module")
def probed(tmp_path_factory: pytest.TempPathFactory) -> dict[float, list[dict[str, Any]]]:
    """What the probe found at each scaling, the three run side by side on one demo database."""
    folder = tmp_path_factory.mktemp("fit")
    db = folder / "demo.db"
    with Registry(db, create=True) as reg:
        fill_demo(reg)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "DANGJIAN_DATA_DIR": str(folder)}
    runs = {scale: subprocess.Popen([sys.executable, str(PROBE), str(db), str(scale)], env=env, text=True,
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE) for scale in SCALES}
    found = {}
    for scale, run in runs.items():
        out, err = run.communicate(timeout=300)
        assert run.returncode == 0, err[-3000:]
        found[scale] = json.loads(out.strip().splitlines()[-1])["screens"]
    return found


def _failures(probed: dict[float, list[dict[str, Any]]], scale: float, names: set[str] | None,
              skip: set[str] = frozenset()) -> list[str]:  # type: ignore[assignment]
    return [f"{r['screen']} at {r['size']}@{round(scale * 100)}%: {problem}"
            for r in probed[scale] if (names is None or r["screen"] in names) and r["screen"] not in skip
            for problem in r["offenders"]]


@pytest.mark.parametrize("scale", SCALES)
def test_every_screen_fits(probed: dict[float, list[dict[str, Any]]], scale: float) -> None:
    failures = _failures(probed, scale, None, set())
    assert not failures, "\n".join(failures)


def test_every_screen_was_opened_at_every_size(probed: dict[float, list[dict[str, Any]]]) -> None:
    from ui.screens import screens

    for scale in SCALES:
        opened = {(r["screen"], r["size"]) for r in probed[scale]}
        assert len(opened) == 4 * len(screens()), scale
        assert {"import-sheets", "import-preview", "import-done", "person", "dashboard"} <= {s for s, _ in opened}


def test_the_probe_sees_a_button_off_the_screen(qtbot: Any) -> None:
    """The check itself: a dialog taller than the screen, and a button pushed out of a fixed-size frame."""
    from PySide6.QtCore import QSize
    from PySide6.QtWidgets import QDialog, QPushButton, QVBoxLayout, QWidget

    sys.path.insert(0, str(PROBE.parent))
    from fit_probe import offenders

    dialog = QDialog()
    qtbot.addWidget(dialog)
    layout = QVBoxLayout(dialog)
    frame = QWidget()
    frame.setFixedSize(100, 40)
    inside = QPushButton("打印", frame)
    inside.setGeometry(80, 0, 60, 30)  # sticks out of its frame, which does not scroll
    layout.addWidget(frame)
    filler = QWidget()
    filler.setMinimumHeight(500)
    layout.addWidget(filler)
    layout.addWidget(QPushButton("保存"))
    dialog.resize(300, 600)
    dialog.show()
    found = offenders(dialog, QSize(683, 472))
    assert found[0].startswith("窗口 300×600 大于")
    assert "打印 被QWidget遮住一部分" in found
    assert "保存 在窗口可见范围之外" in found
