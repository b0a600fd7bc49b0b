"""Whether .venv needs pip again: a stamp of what decides the install (`install_stamp.py check|write VENV EXTRAS`).

run.sh and test.sh call setup on every start; pip takes seconds even when nothing changed, so setup runs it
only when this fingerprint differs from the one written after the last successful install. Run it with the
venv's own Python, so that the interpreter's version is part of the fingerprint.
Exit status of `check`: 0 up to date (skip pip), 1 an install is needed.
"""

from __future__ import annotations

import hashlib
import platform
import sys
import sysconfig
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STAMP = "dangjian-install.stamp"
DIST = "kuaidi_dangjian_taizhang"  # the project's name as it appears in site-packages' *.dist-info
# Files besides pyproject.toml that would decide what pip installs, if the project ever gets them.
INPUTS = ("pyproject.toml", "requirements.txt", "requirements-test.txt", "constraints.txt", "pylock.toml")
FORMAT = "1"  # bump when the way of installing changes (setup.sh's pip command), to force one reinstall


def fingerprint(root: Path, extras: str) -> str:
    """A hash of the install's inputs: the project files above, the extras, this interpreter and platform."""
    digest = hashlib.sha256()
    parts = [FORMAT, extras, sys.version, sys.implementation.name, platform.machine(), sys.platform]
    for part in parts:
        digest.update(part.encode() + b"\0")
    for name in INPUTS:
        path = root / name
        if path.is_file():
            digest.update(name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def installed(site_packages: Path) -> bool:
    """The project's own install is still there (a `pip uninstall` leaves a matching stamp behind)."""
    return any(site_packages.glob(f"{DIST}-*.dist-info"))


def needs_install(venv: Path, root: Path, extras: str, site_packages: Path) -> bool:
    stamp = venv / STAMP
    try:
        recorded = stamp.read_text(encoding="ascii").strip()
    except (OSError, UnicodeDecodeError):
        return True
    return recorded != fingerprint(root, extras) or not installed(site_packages)


def write_stamp(venv: Path, root: Path, extras: str) -> None:
    (venv / STAMP).write_text(fingerprint(root, extras) + "\n", encoding="ascii")


def main(argv: list[str]) -> int:
    if len(argv) != 3 or argv[0] not in ("check", "write"):
        print("用法：install_stamp.py check|write 虚拟环境目录 附加依赖组", file=sys.stderr)
        return 2
    command, venv, extras = argv[0], Path(argv[1]), argv[2]
    if command == "write":
        write_stamp(venv, ROOT, extras)
        return 0
    return 1 if needs_install(venv, ROOT, extras, Path(sysconfig.get_paths()["purelib"])) else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
