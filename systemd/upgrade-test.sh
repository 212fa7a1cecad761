#!/usr/bin/env bash
# A real package upgrade on this machine, from the previous release to the .deb just built:
#   1. builds the previous release's package from git (PREVIOUS_RELEASE below), installs it with
#      apt-get, edits its conffile to follow a test mail log, runs the agent as the service user the
#      way the unit would (like ci-install-test.sh: systemd itself is absent in CI) until it stored the
#      log's results, adds a suppression by hand, stops it with SIGTERM;
#   2. installs the new .deb over it (a dpkg upgrade), appends lines to the same log, runs the new
#      agent and checks: the database migrated to the latest schema, schema_history shows the upgrade,
#      the pre-migration copy exists and holds the old database, every old result is there exactly
#      once (the agent resumed from its stored checkpoint), the new lines were read, the suppression
#      list, the edited conffile and the unit's enablement were kept;
#   3. installs the previous package again over the migrated database (a downgrade) and notes what
#      its agent does, checks the database was not changed, upgrades again and checks nothing moved;
#   4. checks that the new agent refuses a database from a newer schema (exit status 3) without
#      changing it, then purges. The machine is left clean also after a failure.
# Needs root, git with the history (a full clone), Maven with the dependencies in ~/.m2 (run after
# `mvn -B verify`), apt, curl, python3 and util-linux. Run from the top level, under the machine lock:
#   flock /tmp/bw-system.lock bash systemd/upgrade-test.sh [path/to/new.deb]
# PREVIOUS_DEB=path skips building the previous release (for a second run while developing).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=lib/run-as-unit.sh
. systemd/lib/run-as-unit.sh

# The previous release: the first packaged bouncewatch, 0.1.0-SNAPSHOT, schema version 5.
PREVIOUS_RELEASE=5d3b3a6
PREVIOUS_SCHEMA=5

export DEBIAN_FRONTEND=noninteractive
APT_OPTS=(-y -q --no-install-recommends -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
UNIT=/lib/systemd/system/bouncewatch-agent.service
WANTS=/etc/systemd/system/multi-user.target.wants/bouncewatch-agent.service
STATE=/var/lib/bouncewatch
CACHE=/var/cache/bouncewatch
CONFIG=/etc/bouncewatch/agent.yml
DB=$STATE/bouncewatch.db
API=http://127.0.0.1:9325

step() { printf '\n== %s\n' "$*"; }
ok() { printf 'ok   %s\n' "$*"; }
note() { printf 'note %s\n' "$*"; }
fail() { printf 'FAIL %s\n' "$*" >&2; exit 1; }
check() {   # check DESCRIPTION COMMAND...
  local what=$1; shift
  if "$@"; then ok "$what"; else fail "$what"; fi
}
contains() { [[ $1 == *"$2"* ]]; }
installed_version() { dpkg-query -W -f='${Version}' bouncewatch 2>/dev/null || true; }
purge_if_present() {
  if dpkg-query -W -f='${Status}' bouncewatch 2>/dev/null | grep -q 'installed\|config-files'; then
    apt-get purge "${APT_OPTS[@]}" bouncewatch >/dev/null 2>&1 || true
  fi
}

# the new package: the one this tree's version builds (a stale older .deb may sit beside it)
version=$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' pom.xml | head -n 1)
[ -n "$version" ] || fail "cannot read the project version from pom.xml"
NEW_DEB=$(readlink -f "${1:-agent/target/bouncewatch_${version/-SNAPSHOT/~snapshot}_all.deb}")
[ -f "$NEW_DEB" ] || fail "no package at $NEW_DEB: build it first with mvn -B -DskipTests package"
LATEST_SCHEMA=$(grep -c '^[0-9][0-9][0-9]-.*\.sql$' agent/src/main/resources/store/migrations/index)

work=$(mktemp -d /var/tmp/bouncewatch-upgrade.XXXXXX)
chmod 0755 "$work"   # the service user reads the mail log below it
MAIL_LOG=$work/log/mail.log
agent_pid=
cleanup() {
  if [ -n "$agent_pid" ] && kill -0 "$agent_pid" 2>/dev/null; then kill -KILL "$agent_pid" 2>/dev/null || true; fi
  purge_if_present
  rm -rf "$work"
}
trap cleanup EXIT

# ---- helpers: the database (read while no agent runs), the agent run as the unit would ----

# sql QUERY [FILE]: rows as text, one per line, columns separated by '|'; immutable=1 takes no lock and
# writes nothing (no -shm or -wal next to the service user's database)
sql() {
  python3 - "$1" "${2:-$DB}" <<'EOF'
import sqlite3, sys
c = sqlite3.connect("file:" + sys.argv[2] + "?immutable=1", uri=True)
for row in c.execute(sys.argv[1]):
    print("|".join("" if v is None else str(v) for v in row))
EOF
}
# per_recipient: "recipient count" for every result, sorted
per_recipient() { sql "SELECT recipient || ' ' || count(*) FROM results GROUP BY recipient ORDER BY recipient"; }

# log_lines PREFIX FIRST LAST: Postfix delivery lines, odd numbers bounced (unknown user), even ones sent
log_lines() {
  local prefix=$1 i
  for i in $(seq "$2" "$3"); do
    if (( i % 2 )); then
      printf 'Nov 29 04:%02d:%02d mta postfix/smtp[%d]: %s%05X: to=<%s-%d@example.test>, relay=mx.example.test[192.0.2.7]:25, delay=0.4, delays=0.1/0/0.2/0.1, dsn=5.1.1, status=bounced (host mx.example.test[192.0.2.7] said: 550 5.1.1 <%s-%d@example.test>: Recipient address rejected: User unknown (in reply to RCPT TO command))\n' \
        $((i / 60)) $((i % 60)) $((1000 + i)) "${prefix^^}" "$i" "$prefix" "$i" "$prefix" "$i"
    else
      printf 'Nov 29 04:%02d:%02d mta postfix/smtp[%d]: %s%05X: to=<%s-%d@example.test>, relay=mx.example.test[192.0.2.7]:25, delay=0.4, delays=0.1/0/0.2/0.1, dsn=2.0.0, status=sent (250 2.0.0 Ok: queued as 4QX%d)\n' \
        $((i / 60)) $((i % 60)) $((1000 + i)) "${prefix^^}" "$i" "$prefix" "$i" "$i"
    fi
  done
}
# recipients PREFIX FIRST LAST: "address 1" lines, as per_recipient prints them when each is there once
recipients() { local i; for i in $(seq "$2" "$3"); do echo "$1-$i@example.test 1"; done; }
# expected_results: every old and new recipient once, in SQLite's (byte) order
expected_results() { { recipients old 1 8; recipients new 9 14; } | LC_ALL=C sort; }

agent_log=$work/agent.log
# start_agent: as the installed unit would run it (systemd/lib/run-as-unit.sh)
start_agent() { start_as_unit "$UNIT" "$STATE" "$CACHE" "$agent_log"; }
wait_healthy() {
  local deadline=$((SECONDS + 120))
  until curl -fsS --max-time 5 "$API/healthz" >/dev/null 2>&1; do
    kill -0 "$agent_pid" 2>/dev/null || { cat "$agent_log"; fail "the agent exited before /healthz answered"; }
    [ "$SECONDS" -lt "$deadline" ] || { cat "$agent_log"; fail "/healthz did not answer within 120 s"; }
    sleep 0.5
  done
}
# wait_results N: until the API lists N results
wait_results() {
  local deadline=$((SECONDS + 90)) n=0
  while [ "$SECONDS" -lt "$deadline" ]; do
    n=$(curl -fsS --max-time 5 "$API/api/results?limit=1000" 2>/dev/null |
        python3 -c 'import json, sys; print(len(json.load(sys.stdin)["items"]))' 2>/dev/null || echo 0)
    [ "$n" -ge "$1" ] && return 0
    sleep 0.5
  done
  cat "$agent_log"; fail "the API lists $n results after 90 s, expected $1"
}
stop_agent() {
  local deadline=$((SECONDS + 30)) code=0
  kill -TERM "$agent_pid"
  while kill -0 "$agent_pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.2; done
  kill -0 "$agent_pid" 2>/dev/null && { cat "$agent_log"; fail "the agent still runs 30 s after SIGTERM"; }
  wait "$agent_pid" || code=$?
  agent_pid=
  [ "$code" = 0 ] || { cat "$agent_log"; fail "the agent exited with status $code after SIGTERM, expected 0"; }
}
# wait_exit SECONDS: sets exit_status to the agent's status once it exits by itself, or to "running"
# (then stopped) when it is still up after SECONDS. Not in $(...): a subshell cannot wait for it.
exit_status=
wait_exit() {
  local deadline=$((SECONDS + $1))
  exit_status=0
  while kill -0 "$agent_pid" 2>/dev/null && [ "$SECONDS" -lt "$deadline" ]; do sleep 0.2; done
  if kill -0 "$agent_pid" 2>/dev/null; then
    kill -TERM "$agent_pid"; wait "$agent_pid" || true; agent_pid=
    exit_status=running
    return
  fi
  wait "$agent_pid" || exit_status=$?
  agent_pid=
}

# ---- 1. the previous release ----
step "build the previous release ($PREVIOUS_RELEASE, schema $PREVIOUS_SCHEMA) from git"
if [ -n "${PREVIOUS_DEB-}" ]; then
  OLD_DEB=$(readlink -f "$PREVIOUS_DEB")
  note "PREVIOUS_DEB given: $OLD_DEB, not built"
else
  git cat-file -e "$PREVIOUS_RELEASE^{commit}" 2>/dev/null ||
    fail "commit $PREVIOUS_RELEASE is not in this clone: the test needs the history (git fetch --unshallow)"
  mkdir "$work/previous"
  git archive "$PREVIOUS_RELEASE" | tar -x -C "$work/previous"
  started=$SECONDS
  (cd "$work/previous" && mvn -o -q -B -DskipTests package) >"$work/build.log" 2>&1 ||
    { tail -n 40 "$work/build.log"; fail "building $PREVIOUS_RELEASE failed (offline: run mvn -B verify first to fill ~/.m2)"; }
  OLD_DEB=$(echo "$work"/previous/agent/target/bouncewatch_*_all.deb)
  ok "built $(basename "$OLD_DEB") in $((SECONDS - started)) s"
  # kept for boot-test.sh, which repeats the upgrade under a real systemd
  mkdir -p agent/target/previous-release
  rm -f agent/target/previous-release/*.deb
  cp "$OLD_DEB" agent/target/previous-release/
fi
[ -f "$OLD_DEB" ] || fail "no previous package at $OLD_DEB"

step "install $(basename "$OLD_DEB")"
purge_if_present
apt-get install "${APT_OPTS[@]}" "$OLD_DEB" >"$work/apt.log" 2>&1 || { cat "$work/apt.log"; fail "installing the previous package"; }
old_version=$(installed_version)
ok "installed bouncewatch $old_version"

mkdir -m 0755 "$work/log"
log_lines old 1 8 >"$MAIL_LOG"
chown root:adm "$MAIL_LOG"; chmod 0640 "$MAIL_LOG"   # like Debian's mail.log: the agent reads it through adm
# the admin's edit of the conffile: follow the test log only (the host's own logs stay out of it)
cat >"$CONFIG" <<EOF
# edited by the admin (upgrade test): this line must survive the upgrade
stateDir: /var/lib/bouncewatch
sources:
  - type: file
    path: $MAIL_LOG
    format: postfix
    pollInterval: 100ms
http:
  listen: 127.0.0.1:9325
EOF

step "run the previous agent as the service user"
start_agent
wait_healthy
wait_results 8
curl -fsS --max-time 5 -X POST -H 'Content-Type: application/json' \
  -d '{"address": "manual-entry@example.test", "reason": "unsubscribed (added by the upgrade test)"}' \
  "$API/api/suppressions" >/dev/null || fail "adding a suppression by hand"
stop_agent
ok "the previous agent stored the log's 8 results and stopped on SIGTERM"
old_results=$(per_recipient)
old_suppressions=$(sql "SELECT address FROM suppressions ORDER BY address")
old_checkpoint=$(sql "SELECT position FROM checkpoints")
check "the previous agent's database has schema version $PREVIOUS_SCHEMA" test "$(sql 'PRAGMA user_version')" = "$PREVIOUS_SCHEMA"
check "it holds each of the 8 recipients once" test "$old_results" = "$(recipients old 1 8 | LC_ALL=C sort)"
check "its suppression list has the 4 unknown users and the manual entry" \
  test "$(echo "$old_suppressions" | wc -l)" = 5
note "checkpoint before the upgrade: $old_checkpoint"

# ---- 2. the upgrade ----
step "upgrade: apt-get install $(basename "$NEW_DEB") over $old_version"
apt-get install "${APT_OPTS[@]}" "$NEW_DEB" >"$work/apt.log" 2>&1 || { cat "$work/apt.log"; fail "installing the new package"; }
grep -E "Unpacking bouncewatch \(.*\) over \($old_version\)" "$work/apt.log" ||
  { cat "$work/apt.log"; fail "dpkg did not upgrade the installed $old_version"; }
new_version=$(installed_version)
check "bouncewatch $new_version is installed (newer than $old_version)" dpkg --compare-versions "$new_version" gt "$old_version"
check "the admin's edit of $CONFIG is kept" grep -q '^# edited by the admin (upgrade test)' "$CONFIG"
check "$CONFIG is still root:bouncewatch 0640" test "$(stat -c '%U:%G %a' "$CONFIG")" = "root:bouncewatch 640"
check "the unit is still enabled" test -L "$WANTS"
check "nothing migrated yet: the database is untouched until the agent starts" test "$(sql 'PRAGMA user_version')" = "$PREVIOUS_SCHEMA"

log_lines new 9 14 >>"$MAIL_LOG"
step "run the new agent on the same state and the grown log"
start_agent
wait_healthy
wait_results 14
stop_agent
ok "the new agent read the 6 new lines and stopped on SIGTERM"
echo "--- the new agent's log"; cat "$agent_log"; echo "---"

COPY=$DB.before-schema-$((PREVIOUS_SCHEMA + 1)).bak
check "the database has the latest schema version, $LATEST_SCHEMA" test "$(sql 'PRAGMA user_version')" = "$LATEST_SCHEMA"
history=$(sql "SELECT version, name, agent_version, ifnull(backup, '-') FROM schema_history ORDER BY id")
printf '     schema_history: %s\n' "${history//$'\n'/$'\n     schema_history: '}"
expected_history="$PREVIOUS_SCHEMA|found|$version|$COPY"
for v in $(seq $((PREVIOUS_SCHEMA + 1)) "$LATEST_SCHEMA"); do
  name=$(sed -n "s/^$(printf '%03d' "$v")-\(.*\)\.sql$/\1/p" agent/src/main/resources/store/migrations/index)
  expected_history+=$'\n'"$v|$name|$version|$COPY"
done
check "schema_history: found at $PREVIOUS_SCHEMA, then each migration to $LATEST_SCHEMA by $version, with the copy" \
  test "$history" = "$expected_history"
check "the copy $COPY exists, owned by bouncewatch" test "$(stat -c %U "$COPY")" = bouncewatch
check "the copy is the database as the previous release left it (schema $PREVIOUS_SCHEMA, the same results)" \
  test "$(sql 'PRAGMA user_version' "$COPY")|$(sql "SELECT recipient || ' ' || count(*) FROM results GROUP BY recipient ORDER BY recipient" "$COPY")" \
  = "$PREVIOUS_SCHEMA|$old_results"
check "the copy is the only one" test "$(find "$STATE" -name 'bouncewatch.db.before-schema-*' | wc -l)" = 1
check "the agent's log says where the copy is" grep -q "copied the database at schema version $PREVIOUS_SCHEMA to $COPY" "$agent_log"
check "every old result is there exactly once and each new line once (resumed from the checkpoint)" \
  test "$(per_recipient)" = "$(expected_results)"
suppressions=$(sql "SELECT address FROM suppressions ORDER BY address")
check "the suppression list kept every entry (and added the 3 new unknown users)" \
  test "$(comm -23 <(echo "$old_suppressions") <(echo "$suppressions"))" = "" -a "$(echo "$suppressions" | wc -l)" = 8
check "the manual entry kept its reason" \
  test "$(sql "SELECT reason FROM suppressions WHERE address = 'manual-entry@example.test'")" = "unsubscribed (added by the upgrade test)"
info=$(setpriv --reuid bouncewatch --regid bouncewatch --init-groups /usr/bin/bouncewatch db info --config "$CONFIG")
printf '     %s\n' "${info//$'\n'/$'\n     '}"
check "bouncewatch db info shows the current schema" contains "$info" "schema:    version $LATEST_SCHEMA, current"
check "bouncewatch db info shows the copy" contains "$info" "copies:    $COPY ("

# ---- 3. a downgrade ----
step "downgrade: apt-get install $(basename "$OLD_DEB") over the migrated database"
sum_before=$(sha256sum "$DB" | cut -d' ' -f1)
apt-get install "${APT_OPTS[@]}" --allow-downgrades "$OLD_DEB" >"$work/apt.log" 2>&1 ||
  { cat "$work/apt.log"; fail "installing the previous package again"; }
ok "dpkg installed $(installed_version) over $new_version (dpkg has no say on the database)"
start_agent
wait_exit 90
# The previous release already refused a database newer than it knows (its Migrator compared
# user_version with its migrations), after opening it read-write; what it does is noted, not tested.
note "the previous agent on schema $LATEST_SCHEMA: exit status $exit_status; it said: $(grep -m1 -o 'cannot start: .*' "$agent_log" | cut -c1-300)"
check "the database is byte-for-byte what the new agent left" test "$(sha256sum "$DB" | cut -d' ' -f1)" = "$sum_before"

step "upgrade again: the new agent runs on, nothing migrates twice"
apt-get install "${APT_OPTS[@]}" "$NEW_DEB" >"$work/apt.log" 2>&1 || { cat "$work/apt.log"; fail "upgrading again"; }
history_rows=$(sql "SELECT count(*) FROM schema_history")
start_agent
wait_healthy
stop_agent
check "no new schema_history row, still one copy" \
  test "$(sql 'SELECT count(*) FROM schema_history')|$(find "$STATE" -name 'bouncewatch.db.before-schema-*' | wc -l)" = "$history_rows|1"
check "the results are unchanged" test "$(per_recipient)" = "$(expected_results)"

# ---- 4. a database from a newer bouncewatch ----
step "the new agent refuses a database whose schema is newer than it knows"
python3 -c 'import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute("PRAGMA user_version = %d" % int(sys.argv[2])); c.close()' \
  "$DB" $((LATEST_SCHEMA + 1))
chown bouncewatch:bouncewatch "$DB"
sum_before=$(sha256sum "$DB" | cut -d' ' -f1)
start_agent
wait_exit 90
check "it exits with status 3 (the unit's RestartPreventExitStatus=3: no restart loop)" test "$exit_status" = 3
grep -m1 -o 'cannot start: .*' "$agent_log" | sed 's/^/     /'
check "its message names both schema versions" \
  grep -q "has schema version $((LATEST_SCHEMA + 1)), but this bouncewatch ($version) knows schema versions up to $LATEST_SCHEMA" "$agent_log"
check "the database was not changed" test "$(sha256sum "$DB" | cut -d' ' -f1)" = "$sum_before"
check "the unit does not restart it" grep -q '^RestartPreventExitStatus=3$' "$UNIT"

step "purge"
apt-get purge "${APT_OPTS[@]}" bouncewatch >/dev/null
check "$STATE (database and copy) is gone" test ! -e "$STATE"
check "dpkg forgot the package" bash -c "! dpkg-query -W -f='\${Status}' bouncewatch 2>/dev/null | grep -q installed"

printf '\nupgrade test (%s -> %s): all checks passed in %d s\n' "$old_version" "$new_version" "$SECONDS"
