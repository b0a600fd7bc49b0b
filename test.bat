@echo off
rem Set up (first time) and run every check on Windows.
cd /d "%~dp0"
if not exist .venv\Scripts\python.exe py -3 -m venv .venv
rem pip only when pyproject.toml or the Python version changed since the last install (scripts\install_stamp.py)
.venv\Scripts\python scripts\install_stamp.py check .venv test
if errorlevel 1 (
  .venv\Scripts\python -m pip install -q -e .[test] || exit /b 1
  .venv\Scripts\python scripts\install_stamp.py write .venv test
)
.venv\Scripts\ruff check . || exit /b 1
.venv\Scripts\python -m mypy || exit /b 1
set QT_QPA_PLATFORM=offscreen
.venv\Scripts\python -m pytest %*
