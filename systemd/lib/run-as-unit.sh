# shellcheck shell=bash
# Starts the installed agent the way its unit would, for machines without systemd (CI): the unit's
# Environment= lines and ExecStart=, user bouncewatch with its groups, no privileges, the state
# directory as working directory, UMask=0077, and a sandbox approximating ProtectSystem=strict,
# PrivateTmp=, ProtectProc=invisible and ProcSubset=pid: a private mount namespace with / read-only
# except the state and cache directories, a fresh /tmp and a /proc without other processes.
# Sourced by systemd/ci-install-test.sh and systemd/upgrade-test.sh.
#
#   start_as_unit UNIT_FILE STATE_DIR CACHE_DIR LOG_FILE   sets agent_pid (a child of the caller)

start_as_unit() {
  local unit=$1 state=$2 cache=$3 log=$4 line value unit_env=() exec_start sandbox=()
  while IFS= read -r line; do
    value=${line#Environment=}; value=${value#\"}; value=${value%\"}
    unit_env+=("$value")
  done < <(grep '^Environment=' "$unit")
  read -r -a exec_start <<<"$(sed -n 's/^ExecStart=//p' "$unit")"
  # what StateDirectory= and CacheDirectory= would create
  install -d -o bouncewatch -g bouncewatch -m 0750 "$state" "$cache"
  if unshare -m true 2>/dev/null; then
    # shellcheck disable=SC2016  # $0, $1 and $@ belong to the inner sh
    sandbox=(unshare -m --propagation private sh -c '
      mount --bind "$0" "$0" && mount --bind "$1" "$1" && mount -o remount,bind,ro / &&
      mount -t tmpfs -o mode=1777 tmpfs /tmp && mount -t proc -o subset=pid,hidepid=invisible proc /proc &&
      shift && exec "$@"' "$state" "$cache")
  else
    echo "note: no mount namespace here; running without the file system sandbox"
  fi
  (
    cd "$state" || exit 1
    umask 0077
    exec env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
      HOME="$state" "${unit_env[@]}" "${sandbox[@]}" \
      setpriv --reuid bouncewatch --regid bouncewatch --init-groups --no-new-privs --inh-caps=-all \
      "${exec_start[@]}"
  ) >"$log" 2>&1 &
  # shellcheck disable=SC2034  # the caller reads it
  agent_pid=$!
}
