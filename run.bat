@echo off
rem Set up (first time) and start the app on Windows; with no data yet it opens a demo database.
cd /d "%~dp0"
if not exist .venv\Scripts\python.exe py -3 -m venv .venv
.venv\Scripts\python -m pip install -q -e .[test] || exit /b 1
.venv\Scripts\python main.py %*
