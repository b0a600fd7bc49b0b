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
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if bash "$WINE_PY" -m pytest -q -rfEs -p no:cacheprovider "${@:-tests}" 2>&1 | tee "$log"; [ "${PIPESTATUS[0]}" -eq 0 ]; then
    exit 0
fi
# Wine itself now and then fails to start a process (WinError 1359 "internal error" from CreateProcess) where
# Windows does not: the tests that failed run once more, alone. A real failure fails again and fails the run.
mapfile -t failed < <(sed -n -E 's/^(FAILED|ERROR) ([^ ]+).*/\2/p' "$log" | sort -u)
if [ "${#failed[@]}" -eq 0 ] || [ "${#failed[@]}" -gt 5 ]; then
    exit 1
fi
echo "在 Wine 下失败的 ${#failed[@]} 项测试再单独运行一次：${failed[*]}"
bash "$WINE_PY" -m pytest -q -rfEs -p no:cacheprovider "${failed[@]}"
