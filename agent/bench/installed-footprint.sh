#!/usr/bin/env bash
# Footprint of the packaged agent as installed: boots systemd in namespaces on a throw-away overlay of /
# with the .deb installed (systemd/boot-test.sh --inside does that part), then installed-footprint.py
# starts and stops bouncewatch-agent.service there and measures time to READY=1 (first start, with
# the AppCDS archive, without it), RSS/PSS/threads, CPU at idle and under 200 Postfix lines/s.
# Nothing is installed on the host and nothing listens outside the namespace.
# Needs root with CAP_SYS_ADMIN, overlayfs, /lib/systemd/systemd, python3, and the .deb:
#   mvn -B -DskipTests package && sudo bash agent/bench/installed-footprint.sh [path/to/bouncewatch_*_all.deb]
# QUICK=1: one round, 5 s idle and 5 s load (a smoke run: checks the script, not the figures).
# Options after the .deb go to installed-footprint.py (--rounds N --idle S --steady S --rate N).
set -euo pipefail
cd "$(dirname "$0")/../.."
# the newest version built (an older .deb may be left in target/ from before a version bump)
DEB=$(readlink -f "${1:-$(printf '%s\n' agent/target/bouncewatch_*_all.deb | sort -V | tail -n 1)}")
[ -f "$DEB" ] || { echo "FAIL no package: build it first with mvn -B -DskipTests package" >&2; exit 1; }
shift || true

skip() { echo "SKIP installed footprint: $*"; exit 0; }
[ "$(id -u)" = 0 ] || skip "needs root"
[ -x /lib/systemd/systemd ] || skip "no /lib/systemd/systemd (apt-get install systemd)"
unshare --pid --fork --mount --net true 2>/dev/null || skip "cannot create namespaces here"
grep -qw overlay /proc/filesystems || modprobe overlay 2>/dev/null || skip "no overlayfs"

base=$(mktemp -d /var/tmp/bouncewatch-footprint.XXXXXX)
log=$base.log
cgroup_scope=/sys/fs/cgroup/systemd/init.scope
[ -e "$cgroup_scope" ] && scope_existed=true || scope_existed=false
unshare --pid --fork --mount --uts --ipc --net --cgroup --propagation private \
  bash "$(readlink -f systemd/boot-test.sh)" --inside "$DEB" "$base" >"$log" 2>&1 &
unshare_pid=$!

init_pid=
inside() { nsenter -t "$init_pid" -a "$@"; }
finish() {
  if [ -n "$init_pid" ] && kill -0 "$init_pid" 2>/dev/null; then
    inside systemctl poweroff >/dev/null 2>&1 || kill -TERM "$init_pid" 2>/dev/null || true
  fi
  for _ in $(seq 60); do kill -0 "$unshare_pid" 2>/dev/null || break; sleep 0.5; done
  kill -KILL "$unshare_pid" 2>/dev/null || true
  wait "$unshare_pid" 2>/dev/null || true
  $scope_existed || rmdir "$cgroup_scope" 2>/dev/null || true
  rmdir "$base" 2>/dev/null || true
  rm -f "$log"
}
trap finish EXIT
fail() {
  echo "FAIL $*" >&2
  if [ -n "$init_pid" ]; then
    inside journalctl --no-pager -n 60 -u bouncewatch-agent 2>&1 | sed 's/^/    /' >&2 || true
  else
    sed 's/^/    /' "$log" >&2
  fi
  exit 1
}

for _ in $(seq 120); do
  init_pid=$(pgrep -P "$unshare_pid" -x systemd || true)
  if [ -n "$init_pid" ]; then
    state=$(inside systemctl is-system-running 2>/dev/null || true)
    case "$state" in ""|offline|unknown) ;; *) break ;; esac
  fi
  kill -0 "$unshare_pid" 2>/dev/null || { init_pid=; fail "the namespace exited before systemd started"; }
  sleep 1
done
[ -n "$init_pid" ] || fail "systemd did not start"
# the unit as packaged: boot-test.sh's short-watchdog drop-in is for its own test only
inside rm -f /etc/systemd/system/bouncewatch-agent.service.d/boot-test.conf
inside systemctl daemon-reload

nsenter -t "$init_pid" --net python3 agent/bench/installed-footprint.py --init-pid "$init_pid" "$@" ||
  fail "installed-footprint.py failed"
