#!/usr/bin/env bash
# Build dist/kuaidi-dangjian_VERSION_amd64.deb (UOS, Kylin, Debian, Ubuntu) from the one-folder build.
# Usage: bash installer/build-deb.sh [--rebuild]   (needs dpkg-deb, ldd, strip; lintian if installed)
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
    [ -x "$APP/dangjian" ] && [ -x "$APP/dangjian-cli" ] && [ -x build/venv/bin/python ] || return 0
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
# dpkg-deb dates the package and clamps its files' times to the time of the commit built.
SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git log -1 --format=%ct 2>/dev/null || date +%s)}
export SOURCE_DATE_EPOCH
# Debian keeps a changelog beside every package's copyright; ours names the version and the commit built.
{
    echo "$PKG ($VERSION) unstable; urgency=low"
    echo
    echo "  * Built from commit $(git rev-parse --short HEAD 2>/dev/null || echo unknown)."
    echo
    echo " -- $MAINTAINER  $(date -R -d "@$SOURCE_DATE_EPOCH")"
} | gzip -9n > "$STAGE/usr/share/doc/$PKG/changelog.gz"

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

# Python built on the build machine keeps its debugging symbols (about 20 MB); the libraries from wheels
# are left as they come, since stripping a library whose paths patchelf rewrote can break it.
find "$STAGE/opt/$PKG/_internal" -maxdepth 1 -name 'libpython3*.so*' -type f -exec strip --strip-unneeded {} +
find "$STAGE/opt/$PKG/_internal" -path '*/lib-dynload/*.so' -type f -exec strip --strip-unneeded {} +

# Files as a package expects them: readable by all, written by root only, executables stay executable.
chmod -R u+rwX,go+rX,go-w "$STAGE"
find "$STAGE" -name '*.so*' -type f -exec chmod 0644 {} +

# --- Depends: the system libraries the bundle needs and does not carry -----------------------------------
# PyInstaller copies nearly every library into _internal (xcb, xkbcommon, fontconfig, libstdc++ ...) but
# leaves out libc and the GL/EGL drivers, which must match the machine. ldd, looking in _internal first as
# the programs do, names what is left; dpkg -S names its package. Checked: the two programs, every library
# in _internal, and the Qt plugins the window loads (xcb and offscreen, image formats, xcb GL integration);
# not the optional plugins PyInstaller also copied (gtk3 theme, eglfs, wayland ...).
internal="$STAGE/opt/$PKG/_internal"
mapfile -t elves < <(
    { echo "$STAGE/opt/$PKG/dangjian"; echo "$STAGE/opt/$PKG/dangjian-cli"
      find "$internal" -path '*/plugins/*' -prune -o -name '*.so*' -type f -print
      find "$internal/PySide6/Qt/plugins/platforms" \( -name libqxcb.so -o -name libqoffscreen.so \) -type f
      find "$internal/PySide6/Qt/plugins/xcbglintegrations" "$internal/PySide6/Qt/plugins/imageformats" \
          -name '*.so' -type f
    } | sort -u)
lddout="$PWD/build/deb/ldd.txt"
for elf in "${elves[@]}"; do LD_LIBRARY_PATH="$internal" ldd -v "$elf" 2>/dev/null || true; done > "$lddout"
if grep -q "not found" "$lddout"; then
    echo "libraries neither in the bundle nor on this machine:" >&2
    grep "not found" "$lddout" | sort -u >&2
    exit 1
fi
mapfile -t system_libs < <(grep -o '=> /[^ ]*' "$lddout" | cut -c4- | grep -v "^$internal/" | sort -u)
packages=()
for lib in "${system_libs[@]}"; do
    # a merged /usr (/lib -> usr/lib) lists the file under either name
    owner=$(dpkg -S "$lib" 2>/dev/null || dpkg -S "$(readlink -f "$lib")" 2>/dev/null || dpkg -S "/usr$lib" 2>/dev/null) \
        || { echo "no installed package holds $lib" >&2; exit 1; }
    packages+=("${owner%%:*}")
done
# The newest glibc symbol version any of them asks for is the oldest libc6 the package runs on.
glibc=$(grep -o '(GLIBC_[0-9.]*)' "$lddout" | tr -d '()' | sed 's/GLIBC_//' | sort -uV | tail -1)
depends=""
for pkg in $(printf '%s\n' "${packages[@]}" | sort -u); do
    if [ "$pkg" = libc6 ]; then pkg="libc6 (>= $glibc)"; fi
    depends="${depends:+$depends, }$pkg"
done
# The bundled fontconfig reads the system's /etc/fonts; without it Qt warns and finds no system fonts.
depends="$depends, fontconfig-config"

# --- control file and package ----------------------------------------------------------------------------
installed=$(du -sk --apparent-size --exclude=DEBIAN "$STAGE" | cut -f1)
sed -e "s|@VERSION@|$VERSION|" -e "s|@MAINTAINER@|$MAINTAINER|" -e "s|@INSTALLED_SIZE@|$installed|" \
    -e "s|@DEPENDS@|$depends|" installer/deb/control.in > "$STAGE/DEBIAN/control"
mkdir -p dist
dpkg-deb --build --root-owner-group -Zxz "$STAGE" "$OUT"
echo "built: $OUT ($(du -h "$OUT" | cut -f1), installs $((installed / 1024)) MB)"
echo "Depends: $depends"
if command -v lintian >/dev/null 2>&1; then  # a few minutes on a package this size
    lintian --tag-display-limit 0 "$OUT" > build/deb/lintian.txt 2>&1 || true
    echo "lintian (all of it in build/deb/lintian.txt):"
    tags=$(grep -E '^[EWIPX]: ' build/deb/lintian.txt | awk '{print $1, $3}' | sort | uniq -c | sort -rn || true)
    echo "${tags:-    no tags (installer/deb/lintian-overrides says why each overridden one is accepted)}"
fi
