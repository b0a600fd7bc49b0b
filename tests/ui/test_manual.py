"""帮助 → 使用说明: the guide ships with its pictures, F1 opens it in the app, and its screenshots are made by a script."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, QUrl
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QPushButton

from registry.paths import manual_path
from registry.storage.database import Registry
from ui import help as manual_help
from ui.main_window import MainWindow

ROOT = Path(__file__).resolve().parents[2]
SECTIONS = ("第一次使用", "导入摸排表", "日常维护", "发展党员", "报表和报送", "备份和恢复")


@pytest.fixture(autouse=True)
def private_settings(tmp_path: Path) -> None:
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))


def _html() -> str:
    return manual_path().read_text(encoding="utf-8")


def test_the_guide_has_its_sections_and_every_picture_it_shows() -> None:
    html = _html()
    for section in SECTIONS:
        assert re.search(rf"<h2[^>]*>.*{section}</h2>", html), section
    pictures = re.findall(r'<img src="([^"]+)"', html)
    assert len(pictures) >= 15
    folder = manual_path().parent
    missing = [name for name in pictures if not (folder / name).is_file()]
    assert not missing
    unused = sorted(p.name for p in folder.glob("*.png") if p.name not in pictures)
    assert not unused  # a picture nobody shows would only make the installer bigger
    anchors = set(re.findall(r'<a name="([^"]+)"', html))
    assert set(re.findall(r'<a href="#([^"]+)"', html)) <= anchors


def test_the_guide_shows_exactly_the_pictures_the_script_makes() -> None:
    """scripts/make_manual.py remakes every picture of the guide, so they stay those of this version."""
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import make_manual
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    made = {f"{name}.png" for name in make_manual.guide_shots(Path("摸排表.xlsx"))}
    assert made == set(re.findall(r'<img src="([^"]+)"', _html()))


def test_f1_opens_the_guide_once(qtbot, reg: Registry) -> None:
    window = MainWindow(reg)
    qtbot.addWidget(window)
    [action] = [a for a in window.findChildren(QAction) if a.text() == "使用说明"]
    assert action.shortcut() == QKeySequence("F1")
    action.trigger()
    dialog = window.findChild(manual_help.ManualDialog)
    assert dialog is not None and dialog.isVisible() and not dialog.isModal()
    text = dialog.browser.document().toPlainText()
    assert all(section in text for section in SECTIONS)
    assert dialog.browser.source() == QUrl.fromLocalFile(str(manual_path()))
    action.trigger()  # again: the same window comes forward
    assert len(window.findChildren(manual_help.ManualDialog)) == 1


def test_the_guide_shows_its_pictures_offline(qtbot) -> None:
    dialog = manual_help.ManualDialog()
    qtbot.addWidget(dialog)
    document = dialog.browser.document()
    for name in re.findall(r'<img src="([^"]+)"', _html()):
        image = document.resource(document.ResourceType.ImageResource, QUrl(name))
        assert image is not None and not image.isNull(), name


def test_open_in_browser_opens_the_local_file(qtbot, monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[QUrl] = []
    monkeypatch.setattr(manual_help.QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    dialog = manual_help.ManualDialog()
    qtbot.addWidget(dialog)
    [button] = [b for b in dialog.findChildren(QPushButton) if b.text() == "用浏览器打开（可打印）"]
    button.click()
    QApplication.processEvents()
    assert opened == [QUrl.fromLocalFile(str(manual_path()))]


def test_the_script_makes_one_screenshot(tmp_path: Path) -> None:
    """One guide picture, in a child process at 1366×768 @ 125 %, on a small demo (the full run is a manual step)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("QT_SCALE")}
    p = subprocess.run([sys.executable, str(ROOT / "scripts" / "make_manual.py"), "--manual-only", "--only", "dashboard",
                        "--out", str(tmp_path), "--people", "30"], capture_output=True, text=True, env=env,
                       cwd=ROOT, timeout=120)
    assert p.returncode == 0, p.stderr[-2000:]
    assert sorted(f.name for f in (tmp_path / "manual").iterdir()) == ["dashboard.png"]
    from PIL import Image

    with Image.open(tmp_path / "manual" / "dashboard.png") as image:
        assert image.mode == "P"  # reduced to a palette: small files in the package
        # the window fills the 1093 logical pixels of the screen's width, each 1.25 physical pixels wide
        assert image.size[0] >= 1366, image.size


def test_the_guide_fits_a_narrow_window_and_its_pictures_are_scaled_smoothly(qtbot) -> None:
    """Narrower than the pictures (a 1024×768 screen, a window made smaller): they shrink, no sideways scrolling."""
    dialog = manual_help.ManualDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.resize(600, 500)
    qtbot.waitUntil(lambda: dialog.browser.max_width < 600, timeout=3000)
    QApplication.processEvents()
    browser = dialog.browser
    assert browser.horizontalScrollBar().maximum() == 0
    assert max(browser.widths.values()) == browser.max_width
    document = browser.document()
    image = document.resource(document.ResourceType.ImageResource,
                              QUrl.fromLocalFile(str(manual_path().parent / "dashboard.png")))
    assert image.width() == round(browser.max_width * browser.devicePixelRatioF())  # drawn 1:1, not by dropping pixels


def test_no_empty_band_below_a_picture(qtbot) -> None:
    """The guide's line spacing must not stretch the line a picture stands on (Qt scales it like text)."""
    dialog = manual_help.ManualDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    QApplication.processEvents()
    document = dialog.browser.document()
    layout = document.documentLayout()
    block, checked = document.begin(), 0
    while block.isValid():
        fragments = block.begin()
        while not fragments.atEnd():
            style = fragments.fragment().charFormat()
            if style.isImageFormat():
                image = document.resource(document.ResourceType.ImageResource, QUrl(style.toImageFormat().name()))
                shown = image.height() / image.devicePixelRatio()
                assert layout.blockBoundingRect(block).height() < shown + 30, style.toImageFormat().name()
                checked += 1
            fragments += 1
        block = block.next()
    assert checked >= 15
