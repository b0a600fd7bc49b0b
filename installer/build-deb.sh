#!/usr/bin/env bash
# Build dist/kuaidi-dangjian_VERSION_amd64.deb (UOS, Kylin, Debian, Ubuntu) from the one-folder build.
# Usage: bash installer/build-deb.sh [--rebuild]   (needs dpkg-deb and dpkg-shlibdeps, package dpkg-dev)
# The one-folder build (installer/build.sh) is reused when it is newer than every source file, else made.
# The package: the folder in /opt/kuaidi-dangjian, the launcher /usr/bin/dangjian-taizhang (window, or the
# command line when given a command), a desktop entry in the Office menu and the icon in hicolor sizes.
set -euo pipefail
cd "$(dirname "$0")/.."

APP="dist/快递行业党建台账"
PKG=kuaidi-dangjian
STAGE="$PWD/build/deb/root"
MAINTAINER=${DEB_MAINTAINER:-快递行业党建台账项目组 <dangjian-taizhang@example.org>}
VERSION=$(python3 -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["version"])')
OUT="dist/${PKG}_${VERSION}_amd64.deb"

# --- the one-folder build, made again only when a source file is newer than it ----------------------------
stale() {
    [ -x "$APP/dangjian" ] && [ -x "$APP/dangjian-cli" ] || return 0
    [ -z "$(find main.py pyproject.toml installer/dangjian.spec registry ui -newer "$APP/dangjian" \
            -not -name '*.pyc' -not -path '*/__pycache__*' -print -quit)" ] && return 1
    return 0
}
if [ "${1:-}" = "--rebuild" ] || stale; then
    bash installer/build.sh
else
    echo "reusing $APP (newer than every source file; --rebuild to make it again)"
fi

# --- the file tree ---------------------------------------------------------------------------------------
rm -rf "$STAGE"
mkdir -p "$STAGE/opt" "$STAGE/DEBIAN" "$STAGE/usr/share/doc/$PKG" "$STAGE/usr/share/man/man1" \
         "$STAGE/usr/share/lintian/overrides"
cp -a "$APP" "$STAGE/opt/$PKG"
install -D -m 0755 installer/deb/dangjian-taizhang "$STAGE/usr/bin/dangjian-taizhang"
install -D -m 0644 installer/deb/kuaidi-dangjian.desktop "$STAGE/usr/share/applications/$PKG.desktop"
install -m 0644 installer/deb/copyright "$STAGE/usr/share/doc/$PKG/copyright"
install -m 0644 installer/deb/lintian-overrides "$STAGE/usr/share/lintian/overrides/$PKG"
gzip -9n < installer/deb/dangjian-taizhang.1 > "$STAGE/usr/share/man/man1/dangjian-taizhang.1.gz"
# Debian keeps a changelog beside every package's copyright; ours names the version and the commit built.
{
    echo "$PKG ($VERSION) unstable; urgency=low"
    echo
    echo "  * Built from commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)."
    echo
    echo " -- $MAINTAINER  $(date -R -d "@${SOURCE_DATE_EPOCH:=$(git log -1 --format=%ct 2>/dev/null || date +%s)}")"
} | gzip -9n > "$STAGE/usr/share/doc/$PKG/changelog.gz"
export SOURCE_DATE_EPOCH  # dpkg-deb clamps the files' times to it, so two builds of one commit agree

# The icon in the sizes menus and docks ask for (the source is 256x256); Pillow is in the build venv.
build/venv/bin/python - "$STAGE" "$PKG" <<'EOF'
import sys
from pathlib import Path

from PIL import Image

stage, name = Path(sys.argv[1]), sys.argv[2]
source = Image.open("registry/resources/icons/app.png").convert("RGBA")
for size in (16, 32, 48, 64, 128, 256):
    target = stage / f"usr/share/icons/hicolor/{size}x{size}/apps/{name}.png"
    target.parent.mkdir(parents=True, exist_ok=True)
    source.resize((size, size), Image.Resampling.LANCZOS).save(target, optimize=True)
EOF

# Files as a package expects them: readable by all, written by root only, executables stay executable.
chmod -R u+rwX,go+rX,go-w "$STAGE"
find "$STAGE" -name '*.so*' -type f -exec chmod 0644 {} +

# --- Depends: the system libraries the bundle's programs and libraries need and do not carry --------------
# dpkg-shlibdeps finds the package (and lowest version) of every library an ELF file links to; libraries
# inside the bundle are found there first (-l), so only what the system must provide is left. It is run on
# the two programs, Python's extension modules, Qt and the plugins the window loads (platforms xcb and
# offscreen, image formats, the xcb GL integration), not on every optional plugin PyInstaller copied.
internal="$STAGE/opt/$PKG/_internal"
mapfile -t elves < <(
    { echo "$STAGE/opt/$PKG/dangjian"; echo "$STAGE/opt/$PKG/dangjian-cli"
      find "$internal" -path '*/plugins/*' -prune -o -name '*.so*' -type f -print
      find "$internal" -path '*/plugins/platforms/libq*' -type f \
          \( -name 'libqxcb.so' -o -name 'libqoffscreen.so' \)
      find "$internal" \( -path '*/plugins/xcbglintegrations/*' -o -path '*/plugins/imageformats/*' \) \
          -name '*.so' -type f
    } | sort -u)
mapfile -t libdirs < <(find "$internal" -name '*.so*' -type f -printf '-l%h\n' | sort -u)
shlibwork="$PWD/build/deb/shlibdeps"  # dpkg-shlibdeps wants to run in a source tree with debian/control
rm -rf "$shlibwork" && mkdir -p "$shlibwork/debian"
printf 'Source: %s\n\nPackage: %s\nArchitecture: amd64\n' "$PKG" "$PKG" > "$shlibwork/debian/control"
(cd "$shlibwork" && dpkg-shlibdeps -O --ignore-missing-info "${libdirs[@]}" "${elves[@]}" \
    2>"$shlibwork/warnings.txt") > "$shlibwork/substvars"
depends=$(sed -n 's/^shlibs:Depends=//p' "$shlibwork/substvars")
[ -n "$depends" ] || { echo "dpkg-shlibdeps found no dependencies; see $shlibwork/warnings.txt" >&2; exit 1; }
# Qt's xcb plugin opens these with dlopen, so no ELF file names them: without them the window never opens.
depends="$depends, libxcb-cursor0, libxkbcommon-x11-0, libegl1, libgl1, libfontconfig1"

# --- control file and package ----------------------------------------------------------------------------
installed=$(du -sk --apparent-size --exclude=DEBIAN "$STAGE" | cut -f1)
sed -e "s|@VERSION@|$VERSION|" -e "s|@MAINTAINER@|$MAINTAINER|" -e "s|@INSTALLED_SIZE@|$installed|" \
    -e "s|@DEPENDS@|$depends|" installer/deb/control.in > "$STAGE/DEBIAN/control"
mkdir -p dist
dpkg-deb --build --root-owner-group -Zxz "$STAGE" "$OUT"
echo "built: $OUT ($(du -h "$OUT" | cut -f1), installs $((installed / 1024)) MB)"
echo "Depends: $depends"
if command -v lintian >/dev/null 2>&1; then
    lintian --no-tag-display-limit "$OUT" || true
fi
