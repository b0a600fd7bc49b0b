#!/usr/bin/env bash
# The system libraries Qt needs (and poppler-utils for the PDF checks), installed with apt as root on
# Debian/Ubuntu/UOS/Kylin. When another program holds apt's lock (an update running in the background), wait
# for it with one Chinese sentence instead of stopping with apt's English error. Sourced by setup.sh; tests
# source it and call wait_for_apt_lock with DANGJIAN_APT_LOCKS pointing at their own lock file.

SYSTEM_PACKAGES=(libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libxcb-cursor0 libxcb-icccm4
                 libxcb-keysyms1 libxcb-shape0 libxkbcommon-x11-0 poppler-utils)
APT_LOCKS=${DANGJIAN_APT_LOCKS:-/var/lib/dpkg/lock-frontend /var/lib/dpkg/lock /var/lib/apt/lists/lock /var/cache/apt/archives/lock}
APT_WAIT_SECONDS=${DANGJIAN_APT_WAIT:-300}
APT_POLL_SECONDS=${DANGJIAN_APT_POLL:-3}
APT_LOG=${TMPDIR:-/tmp}/dangjian-apt.log

# Exit 0 when some process holds one of apt's locks. apt takes them with fcntl (POSIX) locks, which
# flock(1) cannot see, so ask Python (always there: setup needs it for the venv) to try each one.
apt_locked() {
  python3 - $APT_LOCKS <<'PY'
import fcntl, os, sys
for path in sys.argv[1:]:
    try:
        fd = os.open(path, os.O_RDWR)
    except OSError:
        continue  # a lock file that does not exist yet is not held
    try:
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        sys.exit(0)
    finally:
        os.close(fd)
sys.exit(1)
PY
}

# Wait while apt's lock is held, saying so once; 1 when it is still held after APT_WAIT_SECONDS.
wait_for_apt_lock() {
  local waited=0 said=""
  while apt_locked; do
    if [ -z "$said" ]; then
      echo "系统正在安装其他软件，等待其完成后继续……"
      said=1
    fi
    if [ "$waited" -ge "$APT_WAIT_SECONDS" ]; then
      echo "系统的软件安装已等待 $(((APT_WAIT_SECONDS + 59) / 60)) 分钟仍未结束，请等它完成（或重启电脑）后再运行一次。" >&2
      return 1
    fi
    sleep "$APT_POLL_SECONDS"
    waited=$((waited + APT_POLL_SECONDS))
  done
  return 0
}

# Run one apt-get command once the lock is free; if another program took the lock in between, wait again.
apt_get() {
  local attempt
  for attempt in 1 2 3; do
    wait_for_apt_lock || return 1
    if DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=60 "$@" >"$APT_LOG" 2>&1; then
      return 0
    fi
    apt_locked || break  # failed for another reason than the lock
  done
  echo "安装系统组件失败（详细原因记录在 $APT_LOG），请检查网络和软件源后再运行一次。" >&2
  return 1
}

# The packages of SYSTEM_PACKAGES not installed yet (one dpkg-query for all: this runs on every start);
# with the argument "venv", also python3-venv when the system Python cannot make a venv yet.
missing_system_packages() {
  local status
  status=$(dpkg-query -W -f='${Package} ${Status}\n' "${SYSTEM_PACKAGES[@]}" 2>/dev/null || true)
  local pkg
  for pkg in "${SYSTEM_PACKAGES[@]}"; do
    grep -q "^$pkg install ok installed$" <<<"$status" || echo "$pkg"
  done
  # Debian's python3 cannot make a venv until python3-venv is installed (asked only when one is to be made)
  if [ "${1:-}" = "venv" ]; then
    python3 -c "import ensurepip" >/dev/null 2>&1 || echo python3-venv
  fi
}

install_system_packages() {
  local need
  mapfile -t need < <(missing_system_packages "${1:-}")
  [ ${#need[@]} -gt 0 ] || return 0
  echo "正在安装程序需要的系统组件：${need[*]}……"
  apt_get update -qq && apt_get install -y -qq "${need[@]}"
}
