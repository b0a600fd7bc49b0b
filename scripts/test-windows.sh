#!/usr/bin/env bash
# Run the whole test suite on Windows binaries: a Windows CPython 3.13 with the project's win_amd64 wheels under
# Wine (set up once per machine, ~2-5 minutes: Wine, a Chinese locale, WinPython, the wheels). Linux only, as root
# for the apt packages. Extra arguments go to pytest, e.g. `bash scripts/test-windows.sh tests/storage`.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh  # the Linux side reads pyproject.toml and downloads the wheels with the project's own pip
export PATH="$PWD/.venv/bin:$PATH"
WINE_PY=../shared/windows/wine-python.sh
[ -f "$WINE_PY" ] || WINE_PY=scripts/windows/wine-python.sh  # the team copy when there is one, else ours
bash "$WINE_PY" setup
# -p no:cacheprovider: the Windows Python must not write .pytest_cache into the Linux checkout.
bash "$WINE_PY" -m pytest -q -rfEs -p no:cacheprovider "${@:-tests}"
