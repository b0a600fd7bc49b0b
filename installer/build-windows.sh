#!/usr/bin/env bash
# Build the Windows installer on Linux in one command:
#   bash installer/build-windows.sh          → dist-windows/快递行业党建台账-安装程序-VERSION.exe
#   bash installer/build-windows.sh --try    … then install, start, ask and uninstall it under Wine
# PyInstaller runs in the Windows CPython 3.13 under Wine (../shared/windows/wine-python.sh, set up here
# when needed) and makes the one-folder app dist-windows/快递行业党建台账/ (dangjian.exe: the window;
# dangjian-cli.exe: the command line); NSIS (makensis) wraps it into a per-user Chinese installer.
# About 8-15 minutes on two shared cores (the PyInstaller step is most of it); every run starts from a clean build folder, so it is safe to repeat.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
WINE_PYTHON=${WINE_PYTHON:-$ROOT/../shared/windows/wine-python.sh}
CACHE=${WINE_PY_CACHE:-$HOME/.cache/wine-py313}
PYINSTALLER_VERSION=${PYINSTALLER_VERSION:-6.22.3}  # pinned: the version this build was tried with
APP=快递行业党建台账
VERSION=$(python3 -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
OUT=dist-windows/$APP-安装程序-$VERSION.exe
winpath() { echo "Z:$(readlink -f "$1" | sed 's#/#\\#g')"; }
wpy() { bash "$WINE_PYTHON" "$@"; }

if [ ! -f "$WINE_PYTHON" ]; then
  echo "找不到 $WINE_PYTHON（Wine 下的 Windows Python）；请用 WINE_PYTHON=路径 指定。" >&2
  exit 1
fi
if ! command -v makensis >/dev/null; then
  if [ "$(id -u)" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nsis >/dev/null
  else
    echo "缺少 makensis：请先安装 NSIS（sudo apt-get install nsis）。" >&2
    exit 1
  fi
fi

echo "== Windows Python and the project's win_amd64 wheels (idempotent)"
wpy setup
if ! wpy -c "import sys, PyInstaller; sys.exit(PyInstaller.__version__ != '$PYINSTALLER_VERSION')" >/dev/null; then
  echo "== PyInstaller $PYINSTALLER_VERSION into the Windows Python"
  mkdir -p "$CACHE/build-wheels"
  # pefile and pywin32-ctypes are PyInstaller's Windows-only dependencies: a Linux pip does not pick them
  pip download -q --platform win_amd64 --python-version 3.13 --only-binary=:all: -d "$CACHE/build-wheels" \
    "pyinstaller==$PYINSTALLER_VERSION" pefile pywin32-ctypes
  wpy -m pip install -q --no-warn-script-location --no-index --find-links "$(winpath "$CACHE/build-wheels")" \
    "pyinstaller==$PYINSTALLER_VERSION" pefile pywin32-ctypes
fi

echo "== PyInstaller under Wine → dist-windows/$APP/"
rm -rf "dist-windows/$APP" build/pyinstaller-windows build/windows
mkdir -p build/windows
wpy -m PyInstaller installer/dangjian.spec --noconfirm --clean --log-level WARN \
  --distpath dist-windows --workpath build/pyinstaller-windows
for exe in dangjian.exe dangjian-cli.exe; do
  [ -f "dist-windows/$APP/$exe" ] || { echo "构建失败：没有生成 $exe。" >&2; exit 1; }
done
# Wine's stand-ins for Windows system DLLs must never ship (see installer/dangjian.spec)
if find "dist-windows/$APP" -iname bcryptprimitives.dll -o -iname icuuc.dll | grep -q .; then
  echo "构建失败：程序文件夹里混入了 Wine 的替身 DLL。" >&2
  exit 1
fi

echo "== NSIS → $OUT"
icon=()
if wpy -c "from PIL import Image; Image.open('registry/resources/icons/app.png').save('build/windows/app.ico', sizes=[(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)])"; then
  icon=(-DICON="$ROOT/build/windows/app.ico")
fi
rm -f "$OUT"
makensis -V2 -INPUTCHARSET UTF8 -DVERSION="$VERSION" -DAPPDIR="$ROOT/dist-windows/$APP" -DOUTFILE="$ROOT/$OUT" \
  "${icon[@]}" installer/windows/installer.nsi
echo "built: $OUT ($(du -h "$OUT" | cut -f1); the program folder: $(du -sh "dist-windows/$APP" | cut -f1))"

if [ "${1:-}" = --try ]; then
  bash installer/windows/try-installer.sh "$OUT"
fi
