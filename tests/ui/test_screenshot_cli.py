"""main.py --screenshot: any page or dialog at any screen size and scaling, as a PNG, without a display."""

from __future__ import annotations

import os
import re
import struct
import subprocess
import sys
from pathlib import Path

MAIN = Path(__file__).resolve().parents[2] / "main.py"


def _run(*args: str, folder: Path) -> subprocess.CompletedProcess[str]:
    # No display and no platform chosen: main.py must pick the offscreen one itself.
    env = {k: v for k, v in os.environ.items() if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    env["DANGJIAN_DATA_DIR"] = str(folder)
    return subprocess.run([sys.executable, str(MAIN), *args], env=env, capture_output=True, text=True, timeout=120)


def _png_size(path: Path) -> tuple[int, int]:
    header = path.read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", header[16:24])
    return width, height


def _logical(stdout: str) -> tuple[int, int]:
    found = re.search(r"，(\d+)×(\d+)（屏幕", stdout)
    assert found, stdout
    return int(found[1]), int(found[2])


def test_a_page_and_a_dialog_at_1024_by_768_and_125_percent(tmp_path: Path) -> None:
    db = tmp_path / "演示.db"
    page = _run("--db", str(db), "--screenshot", str(tmp_path / "roster.png"), "--page", "roster",
                "--size", "1024x768", "--scale", "1.25", folder=tmp_path)
    assert page.returncode == 0, page.stderr
    assert db.exists()  # made, with the demo data, as it did not exist
    # The window fills the screen less the taskbar: 1024/1.25 × (768/1.25 − 40) logical pixels.
    assert _logical(page.stdout) == (819, 574)
    dialog = _run("--db", str(db), "--screenshot", str(tmp_path / "person.png"), "--dialog", "person",
                  "--size", "1024×768", "--scale", "125%", folder=tmp_path)
    assert dialog.returncode == 0, dialog.stderr
    for out, image in ((page.stdout, "roster.png"), (dialog.stdout, "person.png")):
        logical, pixels = _logical(out), _png_size(tmp_path / image)
        assert all(abs(p - n * 1.25) < 1 for p, n in zip(pixels, logical, strict=True)), (logical, pixels)
    width, height = _logical(dialog.stdout)
    assert width <= 819 and height <= 574  # the dialog opened within that screen


def test_wrong_names_and_sizes_are_told_in_chinese(tmp_path: Path) -> None:
    wrong = _run("--screenshot", str(tmp_path / "x.png"), "--dialog", "nothing", folder=tmp_path)
    assert wrong.returncode == 2 and "没有名为“nothing”的页面或对话框" in wrong.stderr and "person" in wrong.stderr
    size = _run("--screenshot", str(tmp_path / "x.png"), "--page", "roster", "--size", "big", folder=tmp_path)
    assert size.returncode == 2 and "屏幕大小“big”无法识别" in size.stderr
    scale = _run("--screenshot", str(tmp_path / "x.png"), "--page", "roster", "--scale", "9", folder=tmp_path)
    assert scale.returncode == 2 and "超出范围" in scale.stderr
    assert not (tmp_path / "x.png").exists() and not list(tmp_path.glob("*.db"))
