#!/usr/bin/env bash
# Runs the packaged units under a real systemd, on a machine without one (CI): boots systemd as PID 1
# of new PID, mount, network, UTS, IPC and cgroup namespaces, on an overlay of / whose writes go to
# a tmpfs and vanish at the end. Inside, the .deb is installed and then
#   bouncewatch-agent.service  must reach "active" (Type=notify: only after the agent sent READY=1)
#                              under the full sandbox, answer /healthz, run as bouncewatch, turn a
#                              line of the adm-only mail log into a result, keep the watchdog fed,
#                              stop on SIGTERM with Result=success, and start again from the
#                              class-data archive its first run wrote;
#   test-mta.service           must serve (DynamicUser, loopback 2525, API 8025);
#   test-mta-port25.service    must listen on port 25 without root, replacing test-mta (Conflicts=);
#   an upgrade                 when the previous release's package is at hand (PREVIOUS_DEB, or the
#                              one upgrade-test.sh left in agent/target/previous-release/): installed
#                              and started, then the new package installed over it: postinst's
#                              deb-systemd-invoke restart must bring up the new agent, which migrates
#                              the database (copy first) and keeps the result the old one stored.
# The host sees none of it: nothing listens outside the namespace, nothing is installed on /.
# Needs root with CAP_SYS_ADMIN, overlayfs and /lib/systemd/systemd; prints SKIP and exits 0 without.
#   bash systemd/boot-test.sh [path/to/bouncewatch_*_all.deb]
set -euo pipefail

if [ "${1-}" = "--inside" ]; then
  # ---- inside the namespaces: build the overlay root, install, hand over to systemd ----
  deb=$2; base=$3; previous=${4-}
  mount -t tmpfs tmpfs "$base"
  mkdir -p "$base/upper" "$base/work" "$base/root"
  mount -t overlay overlay -o "lowerdir=/,upperdir=$base/upper,workdir=$base/work" "$base/root"
  root=$base/root
  mount -t proc proc "$root/proc"
  mount --rbind /sys "$root/sys"
  mount -o remount,bind,ro "$root/sys"          # read-only sysfs: udev stays off, as in any container
  mount --rbind /dev "$root/dev"
  for d in run tmp var/tmp; do mount -t tmpfs tmpfs "$root/$d"; done
  # the package may sit under /tmp or /var/tmp (a CI clone), which the fresh tmpfs mounts hide
  cp "$deb" "$root/var/tmp/bouncewatch-under-test.deb"
  if [ -n "$previous" ]; then cp "$previous" "$root/var/tmp/bouncewatch-previous.deb"; fi
  chroot "$root" dpkg -i /var/tmp/bouncewatch-under-test.deb >"$base/upper/dpkg.log" 2>&1 \
    || { cat "$base/upper/dpkg.log"; exit 1; }
  # only what the test needs: no timers (apt-daily would start), no udev
  for unit in timers.target systemd-udevd.service systemd-udev-trigger.service systemd-udevd-control.socket \
              systemd-udevd-kernel.socket getty.target; do
    ln -sf /dev/null "$root/etc/systemd/system/$unit"
  done
  printf '[Unit]\nDescription=bouncewatch boot test\n' >"$root/etc/systemd/system/boot-test.target"
  # a short watchdog, so that an agent that stops pinging is killed within the test
  mkdir -p "$root/etc/systemd/system/bouncewatch-agent.service.d"
  printf '[Service]\nWatchdogSec=3s\n' >"$root/etc/systemd/system/bouncewatch-agent.service.d/boot-test.conf"
  # a mail log only group adm may read, like Debian's
  printf 'Nov 29 03:57:33 mta postfix/smtp[17898]: 77641166072: to=<user@example.test>, relay=127.0.0.1[127.0.0.1]:2525, delay=0.03, delays=0.02/0/0.01/0, dsn=2.0.0, status=sent (250 2.0.0 Ok)\n' \
    >"$root/var/log/mail.log"
  chown root:adm "$root/var/log/mail.log"; chmod 0640 "$root/var/log/mail.log"
  hostname boot-test
  cd "$root"
  mkdir -p old
  pivot_root . old
  umount -l /old
  exec env -i container=boot-test PATH=/usr/sbin:/usr/bin:/sbin:/bin \
    /lib/systemd/systemd --unit=boot-test.target --log-target=console --show-status=false
fi

cd "$(dirname "$0")/.."
# the newest version built (an older .deb may be left in target/ from before a version bump)
DEB=$(readlink -f "${1:-$(printf '%s\n' agent/target/bouncewatch_*_all.deb | sort -V | tail -n 1)}")
[ -f "$DEB" ] || { echo "FAIL no package: build it first with mvn -B -DskipTests package" >&2; exit 1; }
PREVIOUS=${PREVIOUS_DEB:-$(printf '%s\n' agent/target/previous-release/bouncewatch_*_all.deb | sort -V | tail -n 1)}
if [ -f "$PREVIOUS" ]; then PREVIOUS=$(readlink -f "$PREVIOUS"); else PREVIOUS=; fi

skip() { echo "SKIP boot test: $*"; exit 0; }
# shellcheck source=lib/nsboot.sh
. systemd/lib/nsboot.sh
ns_host_check
fail() {
  echo "FAIL $*" >&2
  if [ -n "$init_pid" ]; then
    inside systemctl status --no-pager bouncewatch-agent test-mta test-mta-port25 2>&1 | sed 's/^/    /' >&2 || true
    inside journalctl --no-pager -n 80 -u bouncewatch-agent -u test-mta -u test-mta-port25 2>&1 | sed 's/^/    /' >&2 || true
  else
    sed 's/^/    /' "$ns_log" >&2
  fi
  exit 1
}
ok() { echo "ok   $*"; }

ns_boot "$DEB" "$PREVIOUS"
ok "systemd $(inside systemctl --version | sed -n '1s/^systemd \([0-9]*\).*/\1/p') booted as PID 1 of a namespace (host PID $init_pid)"

wait_active() {   # wait_active UNIT SECONDS
  local state
  for _ in $(seq "$2"); do
    state=$(inside systemctl is-active "$1" 2>/dev/null || true)
    case "$state" in
      active) return 0 ;;
      failed) return 1 ;;
    esac
    sleep 1
  done
  return 1
}
wait_http() {     # wait_http URL SECONDS
  for _ in $(seq "$2"); do
    inside curl -fsS --max-time 5 "$1" >/dev/null 2>&1 && return 0
    sleep 1
  done
  return 1
}

# ---- the agent, as packaged (with WatchdogSec=3s from a drop-in) ----
inside systemctl start --no-block bouncewatch-agent.service
wait_active bouncewatch-agent.service 150 || fail "bouncewatch-agent.service did not become active (READY=1)"
ok "bouncewatch-agent.service active: $(inside systemctl show -p StatusText --value bouncewatch-agent.service)"
wait_http http://127.0.0.1:9325/healthz 60 || fail "/healthz did not answer"
ok "/healthz: $(inside curl -fsS --max-time 5 http://127.0.0.1:9325/healthz | head -c 200)"
pid=$(inside systemctl show -p MainPID --value bouncewatch-agent.service)
[ "$(inside ps -o user= -p "$pid")" = bouncewatch ] || fail "the agent does not run as bouncewatch"
ok "runs as bouncewatch, $(inside ps -o comm= -p "$pid"), $(inside grep '^CapEff' "/proc/$pid/status" | tr -s '\t' ' ')"

# a new line in the mail log that only group adm may read must become a result in the API
inside sh -c "printf '%s\n' 'Nov 29 03:57:40 mta postfix/smtp[17899]: 88741166073: to=<unknown.user@example.test>, relay=127.0.0.1[127.0.0.1]:2525, delay=0.03, delays=0.02/0/0.01/0, dsn=5.1.1, status=bounced (host 127.0.0.1[127.0.0.1] said: 550 5.1.1 <unknown.user@example.test>: Recipient address rejected: User unknown (in reply to RCPT TO command))' >>/var/log/mail.log"
for _ in $(seq 60); do
  inside curl -fsS --max-time 5 http://127.0.0.1:9325/api/results 2>/dev/null | grep 'unknown.user@example.test' >/dev/null && break
  sleep 1
done
inside curl -fsS --max-time 5 http://127.0.0.1:9325/api/results | grep 'unknown.user@example.test' >/dev/null ||
  fail "the bounce written to /var/log/mail.log did not reach /api/results"
ok "a bounce appended to /var/log/mail.log (root:adm 0640) is in /api/results"

sleep 8   # more than twice WatchdogSec=3s: without pings systemd would have killed it by now
if [ "$(inside systemctl is-active bouncewatch-agent.service)" != active ] ||
   [ "$(inside systemctl show -p NRestarts --value bouncewatch-agent.service)" != 0 ]; then
  fail "the watchdog killed the agent (no WATCHDOG=1 within 3 s)"
fi
ok "watchdog: still active after 8 s with WatchdogSec=3s, no restart"

inside systemctl stop bouncewatch-agent.service
result=$(inside systemctl show -p Result --value bouncewatch-agent.service)
[ "$result" = success ] || fail "stopping the agent ended with Result=$result"
ok "stopped on SIGTERM: Result=success, exit status $(inside systemctl show -p ExecMainStatus --value bouncewatch-agent.service)"

# its log in the real journal: tagged bouncewatch (SyslogIdentifier=), one timestamp (journald's),
# and the priority journald read from the <N> prefix the agent writes under JOURNAL_STREAM
ready=$(inside journalctl --no-pager -o json -u bouncewatch-agent.service -t bouncewatch | grep '"MESSAGE":"INFO  d.b.a.cli.RunCommand - ready"' || true)
[ -n "$ready" ] || fail "no 'ready' line from bouncewatch in the journal"
grep -q '"PRIORITY":"6"' <<<"$ready" || fail "the 'ready' line is not priority 6 (info) in the journal: $ready"
doubled=$(inside journalctl --no-pager -o cat -u bouncewatch-agent.service -t bouncewatch | grep -E '^(<[0-7]>|[0-9]{2}:[0-9]{2}:[0-9]{2}[.,][0-9]{3} )' || true)
[ -z "$doubled" ] || fail "journal lines with a priority prefix left in or a second timestamp: $doubled"
inside journalctl --no-pager -o cat -u bouncewatch-agent.service -p warning | grep -q ' - ready$' &&
  fail "journalctl -p warning shows the info line 'ready'"
ok "journal: lines tagged bouncewatch, no second timestamp, 'ready' at priority info (not under -p warning)"

# the first run wrote the class-data archive when it stopped; the next start maps it
inside test -s /var/cache/bouncewatch/agent.jsa || fail "no class-data archive after the first run"
inside systemctl start --no-block bouncewatch-agent.service
wait_active bouncewatch-agent.service 150 || fail "bouncewatch-agent.service did not start again"
pid=$(inside systemctl show -p MainPID --value bouncewatch-agent.service)
inside cat "/proc/$pid/cmdline" | tr '\0' ' ' | grep 'SharedArchiveFile=/var/cache/bouncewatch/agent.jsa' >/dev/null ||
  fail "the second start does not use the class-data archive"
ok "second start maps the class-data archive written by the first"
inside systemctl stop bouncewatch-agent.service

# ---- the test sinks ----
inside systemctl start --no-block test-mta.service
wait_http http://127.0.0.1:8025/healthz 120 || fail "test-mta.service: the API on 127.0.0.1:8025 did not answer"
inside ss -ltn | grep ':2525 ' >/dev/null || fail "test-mta.service does not listen on 127.0.0.1:2525"
ok "test-mta.service serves on 127.0.0.1:2525 as $(inside ps -o user= -p "$(inside systemctl show -p MainPID --value test-mta.service)") (DynamicUser)"

inside systemctl start --no-block test-mta-port25.service
wait_active test-mta-port25.service 60 || fail "test-mta-port25.service did not start"
for _ in $(seq 120); do inside ss -ltn | grep ':25 ' >/dev/null && break; sleep 1; done
inside ss -ltn | grep ':25 ' >/dev/null || fail "test-mta-port25.service does not listen on port 25"
[ "$(inside systemctl is-active test-mta.service || true)" = inactive ] || fail "test-mta.service still runs beside test-mta-port25 (Conflicts=)"
ok "test-mta-port25.service listens on port 25 without root; test-mta.service stopped (Conflicts=)"
inside systemctl stop test-mta-port25.service
result=$(inside systemctl show -p Result --value test-mta-port25.service)
[ "$result" = success ] || fail "stopping test-mta-port25 ended with Result=$result"
ok "test-mta-port25.service stopped: Result=success"

# ---- an upgrade under systemd: the previous release installed and running, the new package over it ----
if [ -z "$PREVIOUS" ]; then
  echo "note no previous release's package (systemd/upgrade-test.sh leaves one): upgrade under systemd not tested"
else
  inside dpkg --purge bouncewatch >/dev/null 2>&1 || fail "purging the package before the upgrade test"
  inside dpkg -i /var/tmp/bouncewatch-previous.deb >/dev/null 2>&1 || fail "installing $(basename "$PREVIOUS")"
  previous_version=$(inside dpkg-query -W -f="\${Version}" bouncewatch)
  # its postinst enabled and started the agent (deb-systemd-invoke start)
  wait_active bouncewatch-agent.service 150 || fail "the previous release's agent did not become active after its install"
  wait_http http://127.0.0.1:9325/healthz 60 || fail "the previous release's /healthz did not answer"
  old_pid=$(inside systemctl show -p MainPID --value bouncewatch-agent.service)
  ok "bouncewatch $previous_version installed and started by its postinst (PID $old_pid)"
  inside sh -c "printf '%s\n' 'Nov 29 03:58:00 mta postfix/smtp[17900]: 99841166074: to=<before.upgrade@example.test>, relay=127.0.0.1[127.0.0.1]:2525, delay=0.03, delays=0.02/0/0.01/0, dsn=5.1.1, status=bounced (host 127.0.0.1[127.0.0.1] said: 550 5.1.1 <before.upgrade@example.test>: Recipient address rejected: User unknown (in reply to RCPT TO command))' >>/var/log/mail.log"
  for _ in $(seq 60); do
    inside curl -fsS --max-time 5 http://127.0.0.1:9325/api/results 2>/dev/null | grep 'before.upgrade@example.test' >/dev/null && break
    sleep 1
  done
  inside curl -fsS --max-time 5 http://127.0.0.1:9325/api/results | grep 'before.upgrade@example.test' >/dev/null ||
    fail "the previous release's agent did not store the line written before the upgrade"
  mentions() { inside curl -fsS --max-time 5 http://127.0.0.1:9325/api/results | grep -o 'before.upgrade@example.test' | wc -l; }
  before=$(mentions)
  inside dpkg -i /var/tmp/bouncewatch-under-test.deb >/dev/null 2>&1 || fail "upgrading to $(basename "$DEB")"
  new_version=$(inside dpkg-query -W -f="\${Version}" bouncewatch)
  for _ in $(seq 150); do
    pid=$(inside systemctl show -p MainPID --value bouncewatch-agent.service)
    [ "$pid" != 0 ] && [ "$pid" != "$old_pid" ] && [ "$(inside systemctl is-active bouncewatch-agent.service)" = active ] && break
    sleep 1
  done
  if [ "$pid" = "$old_pid" ] || [ "$(inside systemctl is-active bouncewatch-agent.service)" != active ]; then
    fail "postinst did not restart the agent after the upgrade to $new_version"
  fi
  ok "upgraded $previous_version -> $new_version: postinst restarted the agent (PID $old_pid -> $pid), active again"
  inside journalctl --no-pager -u bouncewatch-agent.service | grep 'copied the database at schema version' >/dev/null ||
    fail "the new agent did not copy the database before migrating it"
  inside test -f /var/lib/bouncewatch/bouncewatch.db.before-schema-6.bak || fail "no pre-migration copy"
  wait_http http://127.0.0.1:9325/healthz 60 || fail "/healthz did not answer after the upgrade"
  # the same result, neither lost nor read again (the address appears in its recipient and its reply)
  [ "$(mentions)" = "$before" ] || fail "the results API shows before.upgrade@example.test $(mentions) times, before the upgrade $before"
  ok "the new agent copied and migrated the database and serves the result stored before the upgrade, once"
  inside systemctl stop bouncewatch-agent.service
fi

echo "boot test: all checks passed"
