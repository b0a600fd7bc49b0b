#!/usr/bin/env bash
# Try the Windows installer under Wine, as on an office PC without Python: a fresh Wine prefix
# (~/.cache/dangjian-wine-trial), a silent per-user install, the installed program drawing the roster (offscreen)
# and its command line answering, then a silent uninstall that must keep the user's data.
#   bash installer/windows/try-installer.sh [dist-windows/快递行业党建台账-安装程序-VERSION.exe]
# Prints the figures (installer size, installed size, start time) and leaves build/wine-trial/roster.png.
set -euo pipefail
cd "$(dirname "$0")/../.."
APP=快递行业党建台账
VERSION=$(python3 -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
SETUP=${1:-dist-windows/$APP-安装程序-$VERSION.exe}
CACHE=${WINE_PY_CACHE:-$HOME/.cache/wine-py313}
TRIAL=$PWD/build/wine-trial  # the screenshots
# The prefix lives outside the project: its dosdevices/z: links to /, and a tree walk of the project
# (setuptools' package discovery in `pip install -e .`) would wander the whole disk.
PREFIX=${WINE_TRIAL_PREFIX:-$HOME/.cache/dangjian-wine-trial}
[ -f "$SETUP" ] || { echo "找不到安装程序 $SETUP；请先运行 bash installer/build-windows.sh。" >&2; exit 1; }

# winemenubuilder would turn the Start-menu shortcuts into Linux menu entries: keep the trial inside Wine
export WINEPREFIX=$PREFIX WINEDEBUG=-all WINEDLLOVERRIDES="winemenubuilder.exe=d" \
  LANG=zh_CN.UTF-8 LC_ALL=zh_CN.UTF-8 QT_QPA_PLATFORM=offscreen
now() { date +%s%N; }
seconds_since() { echo "$(( ($(now) - $1) / 1000000 ))" | sed -E 's/([0-9]*)([0-9]{3})$/\1.\2/; s/^\./0./'; }
fail() { echo "试装失败：$*" >&2; exit 1; }
check() { echo "  ok  $*"; }
# stdout must be a pipe (a Windows console program under Wine cannot start with a plain file as stdout)
run() { wine "$@" 2>&1 | iconv -f gbk -t utf-8 -c; return "${PIPESTATUS[0]}"; }

if [ -e "$PREFIX" ] && [ ! -f "$PREFIX/system.reg" ]; then fail "$PREFIX 不是 Wine 前缀，不删除它；请换一个 WINE_TRIAL_PREFIX。"; fi
rm -rf "$TRIAL" "$PREFIX"
mkdir -p "$TRIAL"
echo "== a fresh Wine prefix (no Python in it)"
wineboot -i >/dev/null 2>&1
# a new prefix says Windows 7, which the installer refuses (Qt 6 needs Windows 10): say Windows 10
wine reg add 'HKCU\Software\Wine' /v Version /d win10 /f >/dev/null 2>&1
wineserver -w
# Wine 8.0 lacks two system DLLs that every Windows 10 has (bcryptprimitives!ProcessPrng, icuuc); the
# stand-ins that ../shared/windows/wine-python.sh built go where Windows keeps its own: system32.
for dll in bcryptprimitives.dll icuuc.dll; do
  cp "$CACHE/wpy/cp313/$dll" "$WINEPREFIX/drive_c/windows/system32/$dll"
done
local_appdata=$(winepath -u "$(wine cmd /c 'echo %LOCALAPPDATA%' 2>/dev/null | tr -d '\r')")
desktop=$(winepath -u "$(wine cmd /c 'echo %USERPROFILE%\Desktop' 2>/dev/null | tr -d '\r')")
programs=$(winepath -u "$(wine cmd /c 'echo %APPDATA%\Microsoft\Windows\Start Menu\Programs' 2>/dev/null | tr -d '\r')")
inst=$local_appdata/Programs/$APP
data=$local_appdata/DangjianTaizhang
key='HKCU\Software\Microsoft\Windows\CurrentVersion\Uninstall\DangjianTaizhang'

echo "== silent install: $SETUP /S"
start=$(now)
wine "$SETUP" /S
wineserver -w
echo "  installed in $(seconds_since "$start") s"
[ -f "$inst/dangjian.exe" ] && [ -f "$inst/dangjian-cli.exe" ] && [ -f "$inst/卸载.exe" ] || fail "程序文件没有装到 $inst"
check "program files in %LOCALAPPDATA%\\Programs\\$APP"
[ -f "$desktop/$APP.lnk" ] || fail "桌面上没有快捷方式"
[ -f "$programs/$APP/$APP.lnk" ] && [ -f "$programs/$APP/卸载 $APP.lnk" ] || fail "开始菜单里没有快捷方式"
check "desktop and Start-menu shortcuts"
run reg query "$key" | grep -q "DisplayVersion.*$VERSION" || fail "“应用和功能”里没有登记"
check "registered under $key"

echo "== the installed program draws the roster (demo data in the data folder)"
start=$(now)
run "$inst/dangjian.exe" --screenshot "$(winepath -w "$TRIAL")\\roster.png" --page roster
started=$(seconds_since "$start")
[ -s "$TRIAL/roster.png" ] || fail "程序没有画出花名册"
[ -f "$data/demo.db" ] || fail "演示数据库不在数据文件夹 $data"
echo "  ok  start to screenshot: $started s → build/wine-trial/roster.png"

start=$(now)
run "$inst/dangjian.exe" --screenshot "$(winepath -w "$TRIAL")\\roster2.png" --page roster
echo "  ok  second start (data already there) to screenshot: $(seconds_since "$start") s"
if find "$inst" -iname bcryptprimitives.dll -o -iname icuuc.dll | grep -q .; then fail "程序文件夹里有 Wine 的替身 DLL"; fi

echo "== its command line answers"
start=$(now)
answer=$(run "$inst/dangjian-cli.exe" idcheck 110105491231002)
echo "  idcheck 110105491231002 → $answer ($(seconds_since "$start") s)"
echo "$answer" | grep -q 11010519491231002X || fail "命令行没有回答"
stats=$(run "$inst/dangjian-cli.exe" --db "$(winepath -w "$data/demo.db")" stats)
echo "$stats" | head -3 | sed 's/^/  stats: /'

echo "== figures"
echo "  installer: $(du -h "$SETUP" | cut -f1) ($(stat -c %s "$SETUP") bytes)"
echo "  installed: $(du -sh "$inst" | cut -f1)"

echo "== installing again over it (an upgrade) keeps one working copy"
wine "$SETUP" /S
wineserver -w
run "$inst/dangjian-cli.exe" idcheck 110105491231002 | grep -q 11010519491231002X || fail "重新安装后命令行不能用"
check "reinstalled; the data folder untouched ($(ls "$data" | wc -l) entries)"

echo "== silent uninstall"
wine "$inst/卸载.exe" /S
wineserver -w  # the uninstaller runs from a copy in %TEMP% so that it can delete itself: wait for it
[ ! -e "$inst" ] || fail "卸载后程序文件夹还在：$(ls "$inst")"
[ ! -e "$desktop/$APP.lnk" ] && [ ! -e "$programs/$APP" ] || fail "卸载后快捷方式还在"
if run reg query "$key" >/dev/null 2>&1; then fail "卸载后“应用和功能”里还有登记"; fi
check "program, shortcuts and registration removed"
[ -f "$data/demo.db" ] || fail "卸载删除了用户数据"
check "data folder kept: %LOCALAPPDATA%\\DangjianTaizhang ($(ls "$data" | tr '\n' ' '))"
echo "试装通过。"
