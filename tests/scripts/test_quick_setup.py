"""setup.sh runs pip only when the install's inputs changed (the stamp), and waits for a held apt lock in Chinese."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import install_stamp  # noqa: E402

posix = pytest.mark.skipif(sys.platform == "win32", reason="setup.sh and apt are for Linux")


@pytest.fixture
def project(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A project folder with pyproject.toml, an empty venv folder and a site-packages holding the install."""
    root, venv, site = tmp_path / "project", tmp_path / "venv", tmp_path / "site"
    for folder in (root, venv, site):
        folder.mkdir()
    shutil.copyfile(ROOT / "pyproject.toml", root / "pyproject.toml")
    (site / f"{install_stamp.DIST}-0.1.0.dist-info").mkdir()
    return root, venv, site


def test_install_needed_until_stamped_then_skipped(project: tuple[Path, Path, Path]) -> None:
    root, venv, site = project
    assert install_stamp.needs_install(venv, root, "test", site)
    install_stamp.write_stamp(venv, root, "test")
    assert not install_stamp.needs_install(venv, root, "test", site)


@pytest.mark.parametrize("change", ["pyproject", "requirements", "extras", "uninstalled", "garbled stamp"])
def test_a_change_of_what_decides_the_install_installs_again(project: tuple[Path, Path, Path], change: str) -> None:
    root, venv, site = project
    install_stamp.write_stamp(venv, root, "test")
    extras = "test"
    if change == "pyproject":
        with (root / "pyproject.toml").open("a", encoding="utf-8") as f:
            f.write('\n# a new dependency\n')
    elif change == "requirements":
        (root / "requirements.txt").write_text("openpyxl==3.1.5\n", encoding="utf-8")
    elif change == "extras":
        extras = ""
    elif change == "uninstalled":
        shutil.rmtree(next(site.glob("*.dist-info")))
    else:
        (venv / install_stamp.STAMP).write_bytes(b"\xff\xfe")
    assert install_stamp.needs_install(venv, root, extras, site)


def test_the_python_version_is_part_of_the_fingerprint(project: tuple[Path, Path, Path],
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    root, venv, site = project
    install_stamp.write_stamp(venv, root, "test")
    monkeypatch.setattr(sys, "version", "3.13.1 (main) [GCC]")
    assert install_stamp.needs_install(venv, root, "test", site)


@posix
def test_setup_runs_pip_only_when_pyproject_changed(tmp_path: Path) -> None:
    """setup.sh in a copy whose .venv/bin/python logs its calls and pretends to be pip."""
    copy = tmp_path / "copy"
    (copy / "scripts").mkdir(parents=True)
    for name in ("scripts/setup.sh", "scripts/system_packages.sh", "scripts/install_stamp.py", "pyproject.toml"):
        shutil.copyfile(ROOT / name, copy / name)
    log = tmp_path / "calls.log"
    python = copy / ".venv" / "bin" / "python"
    python.parent.mkdir(parents=True)
    python.write_text(f"""#!/usr/bin/env bash
echo "$*" >> {log}
if [ "$1" = "-m" ] && [ "$2" = "pip" ]; then exit 0; fi
exec {sys.executable} "$@"
""", encoding="utf-8")
    python.chmod(0o755)
    # site-packages of the interpreter the stamp check runs in must hold the project (it does: editable install)

    def setup() -> tuple[str, list[str]]:
        log.write_text("", encoding="utf-8")
        p = subprocess.run(["bash", "scripts/setup.sh"], cwd=copy, capture_output=True, text=True, timeout=60)
        assert p.returncode == 0, p.stderr
        return p.stdout + p.stderr, log.read_text(encoding="utf-8").splitlines()

    out, calls = setup()  # no stamp yet: installs
    assert any(c.startswith("-m pip install") and "-e .[test]" in c for c in calls), calls
    assert "安装完成" in out
    out, calls = setup()  # nothing changed: no pip, nothing printed
    assert not any(c.startswith("-m pip") for c in calls), calls
    assert out == ""
    with (copy / "pyproject.toml").open("a", encoding="utf-8") as f:
        f.write("\n# changed\n")
    out, calls = setup()
    assert any(c.startswith("-m pip install") for c in calls), calls


def _wait_for_lock(lock: Path, seconds: int) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DANGJIAN_APT_LOCKS": str(lock), "DANGJIAN_APT_WAIT": str(seconds), "DANGJIAN_APT_POLL": "1"}
    return subprocess.run(["bash", "-c", "source scripts/system_packages.sh; wait_for_apt_lock"], cwd=ROOT,
                          capture_output=True, text=True, env=env, timeout=60)


def _hold(lock: Path, seconds: float) -> subprocess.Popen[str]:
    """Another process holding the lock the way apt does (fcntl), for `seconds`; it prints once it has it."""
    code = ("import fcntl, os, sys, time; fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT); "
            "fcntl.lockf(fd, fcntl.LOCK_EX); print('held', flush=True); time.sleep(float(sys.argv[2]))")
    holder = subprocess.Popen([sys.executable, "-c", code, str(lock), str(seconds)], stdout=subprocess.PIPE, text=True)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    return holder


@posix
def test_a_free_apt_lock_is_not_waited_for(tmp_path: Path) -> None:
    lock = tmp_path / "lock-frontend"
    lock.touch()
    p = _wait_for_lock(lock, 60)
    assert p.returncode == 0 and p.stdout == "" and p.stderr == ""


@posix
def test_a_held_apt_lock_is_waited_for_with_one_chinese_sentence(tmp_path: Path) -> None:
    lock = tmp_path / "lock-frontend"
    holder = _hold(lock, 1.5)
    started = time.monotonic()
    p = _wait_for_lock(lock, 60)
    holder.wait(timeout=10)
    assert p.returncode == 0, p.stderr
    assert p.stdout == "系统正在安装其他软件，等待其完成后继续……\n"  # said once, though polled several times
    assert time.monotonic() - started >= 1


@posix
def test_an_apt_lock_held_too_long_stops_with_a_chinese_sentence(tmp_path: Path) -> None:
    lock = tmp_path / "lock-frontend"
    holder = _hold(lock, 30)
    try:
        p = _wait_for_lock(lock, 1)
    finally:
        holder.kill()
        holder.wait()
    assert p.returncode == 1
    assert "仍未结束" in p.stderr and "请等它完成" in p.stderr
    assert not any(c.isascii() and c.isalpha() for c in p.stdout + p.stderr)


def test_pyproject_uses_no_deprecated_packaging_forms() -> None:
    """The forms setuptools warns about on every install: a license table, an import-hook editable install."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert isinstance(config["project"]["license"], str)  # an SPDX expression, not {text = ...}
    assert any(r.replace(" ", "").startswith("setuptools>=") and int(r.split(">=")[1].split(".")[0]) >= 77
               for r in config["build-system"]["requires"])
    # flat layout declared: the editable install is a plain .pth, without the "Editable installation" warning
    assert config["tool"]["setuptools"]["package-dir"] == {"": "."}
    assert "resources/manual/*" in config["tool"]["setuptools"]["package-data"]["registry"]
