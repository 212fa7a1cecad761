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
# shellcheck source=systemd/lib/nsboot.sh
. systemd/lib/nsboot.sh
ns_host_check
fail() {
  echo "FAIL $*" >&2
  if [ -n "$init_pid" ]; then
    inside journalctl --no-pager -n 60 -u bouncewatch-agent 2>&1 | sed 's/^/    /' >&2 || true
  else
    sed 's/^/    /' "$ns_log" >&2
  fi
  exit 1
}

ns_boot "$DEB"
# the unit as packaged: boot-test.sh's short-watchdog drop-in is for its own test only
inside rm -f /etc/systemd/system/bouncewatch-agent.service.d/boot-test.conf
inside systemctl daemon-reload

nsenter -t "$init_pid" --net python3 agent/bench/installed-footprint.py --init-pid "$init_pid" "$@" ||
  fail "installed-footprint.py failed"
