# shellcheck shell=bash
# Boots systemd as PID 1 of new PID, mount, network, UTS, IPC and cgroup namespaces, on an overlay
# of / whose writes vanish at the end, with a .deb installed (the inside part is
# `systemd/boot-test.sh --inside`). Sourced by systemd/boot-test.sh and
# agent/bench/installed-footprint.sh, which both need a real systemd where CI has none.
#
#   ns_host_check                what the boot needs (root, systemd, namespaces, overlayfs); calls
#                                the caller's skip() with the reason when one is missing
#   ns_boot DEB [PREVIOUS_DEB]   boot and wait until systemd answers; sets init_pid. On failure it
#                                calls the caller's fail() with a message (init_pid empty when
#                                systemd never came up; ns_log then has the inside's output).
#   inside CMD...                run CMD in every namespace of that systemd
# An EXIT trap powers the namespace off and removes what the boot left.

NS_BOOT_TEST=$(readlink -f "$(dirname "${BASH_SOURCE[0]}")/../boot-test.sh")
init_pid=
ns_unshare_pid=
ns_base=
ns_log=
ns_cgroup_scope=/sys/fs/cgroup/systemd/init.scope
ns_scope_existed=false

ns_host_check() {
  [ "$(id -u)" = 0 ] || skip "needs root"
  [ -x /lib/systemd/systemd ] || skip "no /lib/systemd/systemd (apt-get install systemd)"
  unshare --pid --fork --mount --net true 2>/dev/null || skip "cannot create namespaces here"
  grep -qw overlay /proc/filesystems || modprobe overlay 2>/dev/null || skip "no overlayfs"
}

inside() { nsenter -t "$init_pid" -a "$@"; }

ns_finish() {
  if [ -n "$init_pid" ] && kill -0 "$init_pid" 2>/dev/null; then
    inside systemctl poweroff >/dev/null 2>&1 || kill -TERM "$init_pid" 2>/dev/null || true
  fi
  if [ -n "$ns_unshare_pid" ]; then
    for _ in $(seq 60); do kill -0 "$ns_unshare_pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$ns_unshare_pid" 2>/dev/null || true
    wait "$ns_unshare_pid" 2>/dev/null || true
  fi
  $ns_scope_existed || rmdir "$ns_cgroup_scope" 2>/dev/null || true
  [ -z "$ns_base" ] || rmdir "$ns_base" 2>/dev/null || true
  [ -z "$ns_log" ] || rm -f "$ns_log"
}

ns_boot() {
  local deb=$1 previous=${2-} state
  ns_base=$(mktemp -d /var/tmp/bouncewatch-boot.XXXXXX)
  ns_log=$ns_base.log
  [ -e "$ns_cgroup_scope" ] && ns_scope_existed=true || ns_scope_existed=false
  trap ns_finish EXIT
  unshare --pid --fork --mount --uts --ipc --net --cgroup --propagation private \
    bash "$NS_BOOT_TEST" --inside "$deb" "$ns_base" "$previous" >"$ns_log" 2>&1 &
  ns_unshare_pid=$!
  # wait until systemd inside answers (its own start-up jobs may still run: ours queue behind them)
  for _ in $(seq 120); do
    init_pid=$(pgrep -P "$ns_unshare_pid" -x systemd || true)
    if [ -n "$init_pid" ]; then
      state=$(inside systemctl is-system-running 2>/dev/null || true)
      case "$state" in ""|offline|unknown) ;; *) return 0 ;; esac
    fi
    kill -0 "$ns_unshare_pid" 2>/dev/null || { init_pid=; fail "the namespace exited before systemd started"; }
    sleep 1
  done
  [ -n "$init_pid" ] || fail "systemd did not start"
}
