"""The .deb's own files: the desktop entry, the control template and the launcher's choice of program.

Cheap checks only; installer/build-deb.sh itself (a PyInstaller build, minutes) is not part of the suite.
"""

from __future__ import annotations

import configparser
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

DEB = Path(__file__).resolve().parents[2] / "installer" / "deb"
BUILD = DEB.parent / "build-deb.sh"


def _desktop_entry() -> configparser.SectionProxy:
    parser = configparser.ConfigParser(interpolation=None, delimiters=("=",))
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(DEB / "kuaidi-dangjian.desktop", encoding="utf-8")
    return parser["Desktop Entry"]


@pytest.mark.skipif(shutil.which("desktop-file-validate") is None, reason="desktop-file-utils is not installed")
def test_desktop_entry_validates() -> None:
    done = subprocess.run(["desktop-file-validate", str(DEB / "kuaidi-dangjian.desktop")],
                          capture_output=True, text=True, timeout=30)
    assert done.returncode == 0 and not done.stdout.strip(), done.stdout + done.stderr


def test_desktop_entry_is_in_the_office_menu_under_its_chinese_name() -> None:
    entry = _desktop_entry()
    assert entry["Name"] == entry["Name[zh_CN]"] == "快递行业党建台账"
    assert "Office" in entry["Categories"].split(";")
    assert entry["Terminal"] == "false"
    # The entry starts the launcher build-deb.sh installs, with the icon it installs under the package's name.
    script = BUILD.read_text(encoding="utf-8")
    assert entry["Exec"].split()[0] == "dangjian-taizhang"
    assert 'installer/deb/dangjian-taizhang "$STAGE/usr/bin/dangjian-taizhang"' in script
    assert re.search(rf"^PKG={re.escape(entry['Icon'])}$", script, re.MULTILINE)
    assert "icons/hicolor/{size}x{size}/apps/{name}.png" in script


def _control(version: str = "0.1.0") -> str:
    text = (DEB / "control.in").read_text(encoding="utf-8")
    for key, value in {"VERSION": version, "MAINTAINER": "项目组 <a@example.org>", "INSTALLED_SIZE": "1",
                       "DEPENDS": "libc6 (>= 2.34)"}.items():
        text = text.replace(f"@{key}@", value)
    return text


def test_control_template_has_every_field_and_no_placeholder_left() -> None:
    text = _control()
    assert "@" not in text.replace("<a@example.org>", "")
    fields = dict(re.findall(r"^([A-Za-z-]+): ?(.*)$", text, re.MULTILINE))
    for name in ("Package", "Version", "Architecture", "Maintainer", "Installed-Size", "Depends", "Section",
                 "Priority", "Description"):
        assert fields.get(name), name
    assert fields["Package"] == "kuaidi-dangjian"
    assert fields["Architecture"] == "amd64"


def test_control_description_is_well_formed_in_chinese_and_english() -> None:
    """dpkg-deb refuses an empty line or a tab inside a field; an empty paragraph line must be ' .'."""
    text = _control()
    assert text.endswith("\n") and "\t" not in text
    lines = text.splitlines()
    assert all(line for line in lines), "an empty line ends the control paragraph"
    description = lines[next(i for i, line in enumerate(lines) if line.startswith("Description:")):]
    assert all(line.startswith(" ") for line in description[1:])
    body = "\n".join(description)
    assert "party registry" in body and "党员与发展党员台账" in body


def _dispatch(tmp_path: Path, *args: str) -> list[str]:
    """Which program the launcher starts, and with which arguments (the two programs are stand-ins)."""
    app = tmp_path / "app"
    app.mkdir(exist_ok=True)
    for name in ("dangjian", "dangjian-cli"):
        (app / name).write_text(f'#!/bin/sh\nfor a in {name} "$@"; do echo "$a"; done\n', encoding="utf-8")
        (app / name).chmod(0o755)
    launcher = tmp_path / "dangjian-taizhang"
    text = (DEB / "dangjian-taizhang").read_text(encoding="utf-8")
    assert "APP=/opt/kuaidi-dangjian\n" in text
    launcher.write_text(text.replace("APP=/opt/kuaidi-dangjian\n", f"APP={app}\n"), encoding="utf-8")
    done = subprocess.run(["sh", str(launcher), *args], capture_output=True, text=True, timeout=30,
                          env={**os.environ, "LC_ALL": "C.UTF-8"})
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


@pytest.mark.skipif(sys.platform == "win32" or shutil.which("sh") is None,
                    reason="the .deb's launcher is a POSIX shell script")
def test_launcher_opens_the_window_without_a_command_and_the_command_line_with_one(tmp_path: Path) -> None:
    assert _dispatch(tmp_path) == ["dangjian"]
    assert _dispatch(tmp_path, "--db", "台账 1.db") == ["dangjian", "--db", "台账 1.db"]
    # an option's value is not a command, even when it looks like one
    assert _dispatch(tmp_path, "--db", "people", "--page", "roster", "--screenshot", "a.png") == [
        "dangjian", "--db", "people", "--page", "roster", "--screenshot", "a.png"]
    assert _dispatch(tmp_path, "--db", "x.db", "idcheck", "110105491231002") == [
        "dangjian-cli", "--db", "x.db", "idcheck", "110105491231002"]
    assert _dispatch(tmp_path, "--operator", "张三", "person", "add", "--name", "李 四")[:2] == [
        "dangjian-cli", "--operator"]
    assert _dispatch(tmp_path, "help") == ["dangjian-cli", "--help"]


@pytest.mark.skipif(sys.platform == "win32" or shutil.which("bash") is None, reason="bash scripts")
def test_build_script_and_launcher_parse() -> None:
    for script, shell in ((BUILD, "bash"), (DEB / "dangjian-taizhang", "sh")):
        done = subprocess.run([shell, "-n", str(script)], capture_output=True, text=True, timeout=30)
        assert done.returncode == 0, done.stderr
