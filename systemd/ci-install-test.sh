#!/usr/bin/env bash
# Installs the built .deb on this machine and checks it the way a mail host would use it: files,
# system user and groups, conffile, state directory, the agent run as the service user with the
# unit's environment, arguments and a similar sandbox (systemd itself is absent in CI), /healthz,
# a graceful SIGTERM stop, then remove (state kept) and purge (state and user gone).
# Needs root, apt, curl and util-linux (setpriv, unshare). Run after `mvn -B package` from the top
# level: bash systemd/ci-install-test.sh [path/to/bouncewatch_*_all.deb]
set -euo pipefail
cd "$(dirname "$0")/.."

export DEBIAN_FRONTEND=noninteractive
APT_OPTS=(-y -q --no-install-recommends -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
UNIT=/lib/systemd/system/bouncewatch-agent.service
STATE=/var/lib/bouncewatch
CACHE=/var/cache/bouncewatch
CONFIG=/etc/bouncewatch/agent.yml
HEALTH_URL=http://127.0.0.1:9325/healthz

# shellcheck source=lib/run-as-unit.sh
. systemd/lib/run-as-unit.sh

step() { printf '\n== %s\n' "$*"; }
ok() { printf 'ok   %s\n' "$*"; }
fail() { printf 'FAIL %s\n' "$*" >&2; exit 1; }
check() {   # check DESCRIPTION COMMAND...
  local what=$1; shift
  if "$@"; then ok "$what"; else fail "$what"; fi
}

# the newest version built (an older .deb may be left in target/ from before a version bump)
DEB=${1:-$(printf '%s\n' agent/target/bouncewatch_*_all.deb | sort -V | tail -n 1)}
[ -f "$DEB" ] || fail "no package at $DEB: build it first with mvn -B -DskipTests package"
DEB=$(readlink -f "$DEB")

agent_pid=
cleanup() {
  if [ -n "$agent_pid" ] && kill -0 "$agent_pid" 2>/dev/null; then kill -KILL "$agent_pid" 2>/dev/null || true; fi
  # leave the machine as it was, also after a failure
  if dpkg-query -W -f='${Status}' bouncewatch 2>/dev/null | grep -q 'installed\|config-files'; then
    apt-get purge "${APT_OPTS[@]}" bouncewatch >/dev/null 2>&1 || true
  fi
}
trap cleanup EXIT

step "install $(basename "$DEB")"
if dpkg-query -W -f='${Status}' bouncewatch 2>/dev/null | grep -q 'installed\|config-files'; then
  apt-get purge "${APT_OPTS[@]}" bouncewatch >/dev/null
fi
apt-get install "${APT_OPTS[@]}" "$DEB"

step "files"
for f in /usr/share/bouncewatch/bouncewatch.jar /usr/share/bouncewatch/test-mta.jar \
         /lib/systemd/system/bouncewatch-agent.service /lib/systemd/system/test-mta.service \
         /lib/systemd/system/test-mta-port25.service /usr/share/doc/bouncewatch/copyright; do
  check "$f" test -f "$f"
done
check "/usr/bin/bouncewatch is executable" test -x /usr/bin/bouncewatch
check "/usr/bin/test-mta is executable" test -x /usr/bin/test-mta
check "bouncewatch --version runs" /usr/bin/bouncewatch --version
check "test-mta --version runs" /usr/bin/test-mta --version
check "the agent unit is enabled (multi-user.target.wants)" \
  test -L /etc/systemd/system/multi-user.target.wants/bouncewatch-agent.service

step "system user and groups"
check "user bouncewatch exists" getent passwd bouncewatch
uid=$(id -u bouncewatch)
check "bouncewatch is a system user (uid $uid < 1000)" test "$uid" -lt 1000
check "bouncewatch cannot log in" test "$(getent passwd bouncewatch | cut -d: -f7)" = /usr/sbin/nologin
check "primary group bouncewatch" test "$(id -gn bouncewatch)" = bouncewatch
for group in adm systemd-journal; do
  if getent group "$group" >/dev/null; then
    check "bouncewatch is in $group" bash -c "id -nG bouncewatch | tr ' ' '\n' | grep -qx $group"
  else
    echo "skip $group: no such group on this machine"
  fi
done
check "$STATE is bouncewatch:bouncewatch 0750" test "$(stat -c '%U:%G %a' "$STATE")" = "bouncewatch:bouncewatch 750"

step "configuration"
check "$CONFIG is a conffile" bash -c "dpkg-query -W -f='\${Conffiles}' bouncewatch | grep -q ' $CONFIG '"
check "$CONFIG is root:bouncewatch 0640" test "$(stat -c '%U:%G %a' "$CONFIG")" = "root:bouncewatch 640"
check "the packaged config passes 'bouncewatch config check' as the service user" \
  setpriv --reuid bouncewatch --regid bouncewatch --init-groups /usr/bin/bouncewatch config check "$CONFIG"

# The unit's ExecStart= and stop settings, read from the installed file so this test runs what
# systemd would run (start_as_unit reads its Environment= lines too).
read -r -a exec_start <<<"$(sed -n 's/^ExecStart=//p' "$UNIT")"
stop_timeout=$(sed -n 's/^TimeoutStopSec=\([0-9]*\)s*$/\1/p' "$UNIT")

step "run the agent as the unit would: ${exec_start[*]}"
log=$(mktemp)
start_as_unit "$UNIT" "$STATE" "$CACHE" "$log"

deadline=$((SECONDS + 120))
until curl -fsS --max-time 5 "$HEALTH_URL" >/dev/null 2>&1; do
  if ! kill -0 "$agent_pid" 2>/dev/null; then cat "$log"; fail "the agent exited before $HEALTH_URL answered"; fi
  if [ "$SECONDS" -ge "$deadline" ]; then cat "$log"; fail "$HEALTH_URL did not answer within 120 s"; fi
  sleep 0.5
done
ok "$HEALTH_URL answers: $(curl -fsS --max-time 5 "$HEALTH_URL" | head -c 300)"
check "bouncewatch status finds the running agent from the packaged config and calls it healthy" \
  /usr/bin/bouncewatch status
check "the agent runs as bouncewatch" test "$(ps -o user= -p "$agent_pid")" = bouncewatch
check "the agent is java (the launcher exec'd, as Type=notify needs)" test "$(ps -o comm= -p "$agent_pid")" = java

step "SIGTERM stops it within TimeoutStopSec=${stop_timeout}s"
kill -TERM "$agent_pid"
deadline=$((SECONDS + stop_timeout))
while kill -0 "$agent_pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.2; done
if kill -0 "$agent_pid" 2>/dev/null; then cat "$log"; fail "still running ${stop_timeout}s after SIGTERM"; fi
code=0; wait "$agent_pid" || code=$?
agent_pid=
# 0, not just a status the unit tolerates (SuccessExitStatus=143): the agent handles SIGTERM itself
[ "$code" = 0 ] || { cat "$log"; fail "exit status $code after SIGTERM, expected 0"; }
ok "stopped with exit status 0"
echo "--- agent log"; cat "$log"; echo "---"
check "the agent kept its state in $STATE" test -n "$(ls -A "$STATE")"
if grep -q '^Environment=BOUNCEWATCH_CDS_ARCHIVE=' "$UNIT"; then
  check "the first run left its class-data archive for the next start" \
    test -s "$(sed -n 's/^Environment=BOUNCEWATCH_CDS_ARCHIVE=//p' "$UNIT")"
fi
rm -f "$log"

step "the staging recipe the package ships runs with the installed launchers"
check "/usr/share/bouncewatch/staging/run-staging.sh is executable" test -x /usr/share/bouncewatch/staging/run-staging.sh
if [ -x /usr/sbin/postfix ]; then
  check "run-staging.sh --use installed passes" \
    bash /usr/share/bouncewatch/staging/run-staging.sh --use installed --deadline 90
else
  echo "skip the staging run: no Postfix on this machine"
fi

# a file standing for the agent's database: upgrade and remove must keep it, purge must delete it
touch "$STATE/ci-marker"

step "installing again (an upgrade to the same version) keeps the state and an edited config"
printf '\n# edited by the admin\n' >>"$CONFIG"
dpkg -i "$DEB" >/dev/null
check "$STATE is kept" test -f "$STATE/ci-marker"
check "the admin's edit of $CONFIG is kept" grep -q '^# edited by the admin$' "$CONFIG"
check "$CONFIG is still root:bouncewatch 0640" test "$(stat -c '%U:%G %a' "$CONFIG")" = "root:bouncewatch 640"

step "apt-get remove keeps the state, the user and the configuration"
apt-get remove "${APT_OPTS[@]}" bouncewatch
check "/usr/bin/bouncewatch is gone" test ! -e /usr/bin/bouncewatch
check "/usr/share/bouncewatch is gone" test ! -e /usr/share/bouncewatch
check "$STATE is kept" test -f "$STATE/ci-marker"
check "user bouncewatch is kept" getent passwd bouncewatch
check "$CONFIG is kept" test -f "$CONFIG"

step "apt-get purge deletes the state, the configuration and the user"
apt-get purge "${APT_OPTS[@]}" bouncewatch
check "$STATE is gone" test ! -e "$STATE"
check "/etc/bouncewatch is gone" test ! -e /etc/bouncewatch
check "user bouncewatch is gone" bash -c '! getent passwd bouncewatch'
check "group bouncewatch is gone" bash -c '! getent group bouncewatch'
check "no enablement symlink is left" test ! -e /etc/systemd/system/multi-user.target.wants/bouncewatch-agent.service
check "dpkg forgot the package" bash -c "! dpkg-query -W -f='\${Status}' bouncewatch 2>/dev/null | grep -q installed"

printf '\npackage install test: all checks passed\n'
