#!/usr/bin/env bash
# Set up (first time) and start the app; with no data yet it opens a demo database.
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/setup.sh
exec .venv/bin/python main.py "$@"
