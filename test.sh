#!/usr/bin/env bash
# Set up (first time) and run every check: ruff, mypy on registry/, then the whole test suite headless.
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/setup.sh
.venv/bin/ruff check .
.venv/bin/python -m mypy  # registry/ is typed; [tool.mypy] in pyproject.toml
QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest "$@"
