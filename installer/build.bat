@echo off
rem Build the one-folder Windows app (dist\快递行业党建台账\dangjian.exe) with PyInstaller.
cd /d "%~dp0\.."
py -3 -m venv build\venv || exit /b 1
build\venv\Scripts\python -m pip install -q pyinstaller . || exit /b 1
build\venv\Scripts\pyinstaller installer\dangjian.spec --noconfirm --distpath dist --workpath build\pyinstaller || exit /b 1
echo built: dist\快递行业党建台账\
