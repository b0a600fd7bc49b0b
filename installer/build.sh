#!/usr/bin/env bash
# Build the one-folder app (dist/快递行业党建台账/dangjian) with PyInstaller in its own virtual environment,
# then check that the frozen app starts and draws its first page.
set -euo pipefail
cd "$(dirname "$0")/.."
python3 -m venv build/venv
build/venv/bin/python -m pip install -q --disable-pip-version-check pyinstaller .
build/venv/bin/pyinstaller installer/dangjian.spec --noconfirm --distpath dist --workpath build/pyinstaller
QT_QPA_PLATFORM=offscreen "dist/快递行业党建台账/dangjian" --db build/smoke.db --screenshot build/smoke.png --page dashboard
echo "built: dist/快递行业党建台账/ (smoke screenshot: build/smoke.png)"
