@echo off
rem Set up (first time) and start the app on Windows; with no data yet it opens a demo database.
cd /d "%~dp0"
if not exist .venv\Scripts\python.exe py -3 -m venv .venv
rem pip only when pyproject.toml or the Python version changed since the last install (scripts\install_stamp.py)
.venv\Scripts\python scripts\install_stamp.py check .venv test
if errorlevel 1 (
  .venv\Scripts\python -m pip install -q -e .[test] || exit /b 1
  .venv\Scripts\python scripts\install_stamp.py write .venv test
)
.venv\Scripts\python main.py %*
