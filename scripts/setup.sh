#!/usr/bin/env bash
# Create .venv and install the app with its test tools; on Debian/Ubuntu/UOS/Kylin as root, also the
# system libraries Qt and the PDF checks need. Quick when nothing changed: pip runs only when the install's
# inputs (pyproject.toml, the Python version) differ from the stamp written after the last install.
set -euo pipefail
cd "$(dirname "$0")/.."

venv=venv
.venv/bin/python -c "" >/dev/null 2>&1 && venv=""  # none yet, or its Python was removed by a system upgrade
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  source scripts/system_packages.sh
  install_system_packages "$venv"
fi

PY=${PYTHON:-python3}
EXTRAS=test
if [ -n "$venv" ]; then
  echo "正在创建运行环境（.venv）……"
  "$PY" -m venv --clear .venv || {
    echo "无法创建运行环境：请先安装 Python 的 venv 组件（统信UOS、麒麟、Ubuntu 上为 python3-venv）后再运行一次。" >&2
    exit 1
  }
fi
if .venv/bin/python scripts/install_stamp.py check .venv "$EXTRAS"; then
  exit 0
fi
echo "正在安装程序及其依赖（首次运行或程序更新后需要几分钟）……"
rm -f .venv/dangjian-install.stamp  # an interrupted install must not look finished
if ! .venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip ||
   ! .venv/bin/python -m pip install -q --disable-pip-version-check -e ".[$EXTRAS]"; then
  echo "安装程序的依赖失败（原因见上面的记录），请检查网络连接后再运行一次。" >&2
  exit 1
fi
.venv/bin/python scripts/install_stamp.py write .venv "$EXTRAS"
echo "安装完成。"
