"""The Windows installer's script and the frozen CLI's entry point, checked cheaply (the build itself is not run).

The real build and trial are `bash installer/build-windows.sh --try` (about 9 minutes under Wine).
"""

from __future__ import annotations

import os
import re
import shutil
import struct
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from registry.paths import APP_NAME

ROOT = Path(__file__).resolve().parent.parent
NSI = ROOT / "installer" / "windows" / "installer.nsi"
SPEC = ROOT / "installer" / "dangjian.spec"
PE_MACHINE_AMD64 = 0x8664


def _defines() -> dict[str, str]:
    return dict(re.findall(r'^!define (\w+) "([^"]*)"', NSI.read_text(encoding="utf-8"), re.M))


def test_installer_is_per_user_and_chinese() -> None:
    text = NSI.read_text(encoding="utf-8")
    assert re.search(r"^RequestExecutionLevel user$", text, re.M)
    assert re.search(r'^InstallDir "\$LOCALAPPDATA\\Programs\\\$\{PRODUCT\}"$', text, re.M)
    assert re.search(r"^Unicode true$", text, re.M)
    assert '!insertmacro MUI_LANGUAGE "SimpChinese"' in text
    # Add/Remove Programs entry of this user, never of the machine (that would need an administrator)
    assert "HKLM" not in text
    assert re.search(r'WriteRegStr HKCU "\$\{UNINSTALL_KEY\}" "UninstallString"', text)


def test_the_uninstaller_names_the_data_folder_the_program_uses() -> None:
    defines = _defines()
    assert defines["DATA_DIR"] == f"$LOCALAPPDATA\\{APP_NAME}"
    uninstall = NSI.read_text(encoding="utf-8").split('Section "Uninstall"', 1)[1]
    # it removes only the program: nothing under the data folder, no recursive removal of $INSTDIR itself
    assert "DATA_DIR}\\" not in uninstall.replace("DetailPrint", "")
    assert not re.search(r'RMDir /r "\$INSTDIR"', uninstall)


@pytest.mark.skipif(sys.platform != "win32", reason="the Windows location of the data folder")
def test_the_data_folder_is_under_local_appdata_on_windows(monkeypatch: pytest.MonkeyPatch) -> None:
    from registry.paths import data_dir

    monkeypatch.delenv("DANGJIAN_DATA_DIR", raising=False)
    expected = _defines()["DATA_DIR"].replace("$LOCALAPPDATA", os.environ["LOCALAPPDATA"])
    assert data_dir() == Path(expected)


def test_the_shortcuts_start_the_executables_the_spec_builds() -> None:
    names = set(re.findall(r'name="([^"]+)"', SPEC.read_text(encoding="utf-8")))
    defines = _defines()
    assert defines["EXE"].removesuffix(".exe") in names
    assert defines["CLI_EXE"].removesuffix(".exe") in names


def test_the_frozen_cli_entry_runs_the_command_line() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONIOENCODING": "utf-8"}
    p = subprocess.run([sys.executable, str(ROOT / "installer" / "windows" / "dangjian_cli.py"),
                        "idcheck", "110105491231002"],
                       capture_output=True, text=True, encoding="utf-8", cwd=ROOT, env=env, timeout=60)
    assert p.returncode == 0, p.stderr
    assert p.stdout.startswith("11010519491231002X")


@pytest.mark.skipif(shutil.which("makensis") is None, reason="NSIS (makensis) is not installed")
def test_the_installer_script_compiles_to_a_64_bit_setup(tmp_path: Path) -> None:
    app = tmp_path / "快递行业党建台账"
    (app / "_internal").mkdir(parents=True)
    for name in ("dangjian.exe", "dangjian-cli.exe", "_internal/python313.dll"):
        (app / name).write_bytes(b"stand-in")
    version = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    out = tmp_path / f"快递行业党建台账-安装程序-{version}.exe"
    p = subprocess.run(["makensis", "-V2", "-INPUTCHARSET", "UTF8", f"-DVERSION={version}", f"-DAPPDIR={app}",
                        f"-DOUTFILE={out}", str(NSI)], capture_output=True, text=True, timeout=120)
    assert p.returncode == 0, p.stdout + p.stderr
    head = out.read_bytes()[:4096]
    assert head[:2] == b"MZ"
    pe = struct.unpack_from("<I", head, 0x3C)[0]
    assert head[pe:pe + 4] == b"PE\0\0"
    # a 32-bit installer would not start where Windows (or Wine) has no 32-bit layer
    assert struct.unpack_from("<H", head, pe + 4)[0] == PE_MACHINE_AMD64
