"""A normal (non-editable) install has the font, icons and guide: build the wheel (no warnings), install, print.

Runs in the normal suite (about 10 s); skips at once without pip, and skips if the build backend cannot be
fetched (no network and no local package index).
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
UNREACHABLE = ("Could not find a version that satisfies", "No matching distribution", "Failed to establish",
               "Temporary failure in name resolution", "Network is unreachable", "ConnectionError")



def _under_wine() -> bool:
    if sys.platform != "win32":
        return False
    import ctypes

    return hasattr(ctypes.WinDLL("ntdll"), "wine_get_version")  # type: ignore[attr-defined]


pytestmark = [
    pytest.mark.skipif(importlib.util.find_spec("pip") is None, reason="pip is not installed"),
    # setuptools' build copies files with CopyFile2, which Wine 8 lacks; a real Windows builds the wheel.
    pytest.mark.skipif(_under_wine(), reason="Wine cannot run the wheel build (no CopyFile2)"),
]


def _pip(*args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PIP_DEFAULT_TIMEOUT": "5", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    return subprocess.run([sys.executable, "-m", "pip", *args], capture_output=True, text=True, env=env,
                          timeout=timeout)


def _can_build_here() -> bool:
    """Whether this environment has the build backend itself (then no index is needed)."""
    try:
        from importlib.metadata import version

        major = int(version("setuptools").split(".")[0])
    except Exception:
        return False
    return major >= 77  # pyproject's `license` is an SPDX expression, which setuptools reads from 77 on


def _build_wheel(tmp: Path) -> Path:
    src = tmp / "src"
    src.mkdir()
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("registry", "ui"):
        shutil.copytree(ROOT / name, src / name, ignore=ignore, copy_function=shutil.copyfile)
    for name in ("pyproject.toml", "README.md"):
        shutil.copyfile(ROOT / name, src / name)  # copy2 needs CopyFile2, which Wine lacks
    isolation = [] if not _can_build_here() else ["--no-build-isolation"]
    p = _pip("wheel", "--no-deps", *isolation, "--retries", "0", "-q", "-w", str(tmp / "dist"), str(src))
    if p.returncode != 0 and not isolation and any(s in p.stdout + p.stderr for s in UNREACHABLE):
        pytest.skip("the build backend (setuptools) cannot be fetched here")
    assert p.returncode == 0, p.stdout[-2000:] + p.stderr[-2000:]
    # the project's own packaging warns about nothing (pip's lines about the machine's index settings aside)
    warnings = [line for line in (p.stdout + p.stderr).splitlines() if "Warning" in line]
    assert not warnings, warnings
    [wheel] = (tmp / "dist").glob("*.whl")
    return wheel


def test_installed_wheel_has_font_icons_and_embeds_the_font(tmp_path: Path) -> None:
    wheel = _build_wheel(tmp_path)
    target = tmp_path / "site"
    p = _pip("install", "--no-deps", "--no-index", "-q", "--target", str(target), str(wheel))
    assert p.returncode == 0, p.stderr[-2000:]
    run = tmp_path / "run"  # outside the source tree, so that nothing there can be imported instead
    run.mkdir()
    env = {**os.environ, "PYTHONPATH": str(target), "QT_QPA_PLATFORM": "offscreen"}

    def python(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([sys.executable, *args], capture_output=True, text=True, cwd=run, env=env, timeout=120)

    check = python("-c", "import registry, registry.paths as p; print(registry.__file__); "
                         "print(p.font_path().is_file(), p.icon_path().is_file(),"
                         " (p.font_path().parent / 'wqy-microhei.COPYRIGHT.txt').is_file(), p.manual_path().is_file(),"
                         " len(list(p.manual_path().parent.glob('*.png'))) >= 15)")
    assert check.returncode == 0, check.stderr
    where, found = check.stdout.splitlines()
    assert Path(where).resolve().is_relative_to(target.resolve())  # the installed copy, not the source tree
    assert found == "True True True True True"  # the font, its licence, the icon, the guide and its pictures

    db, pdf = run / "t.db", run / "花名册.pdf"
    for argv in (["init"], ["demo", "--people", "20"], ["report", "roster", "--out", str(pdf)]):
        p = python("-m", "registry", "--db", str(db), *argv)
        assert p.returncode == 0, (argv, p.stderr)
    data = pdf.read_bytes()
    assert b"/FontFile2" in data  # the TrueType font program is inside the PDF
    if shutil.which("pdffonts"):
        fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True).stdout.splitlines()[2:]
        assert fonts and all(" yes " in line for line in fonts), fonts
