#!/usr/bin/env bash
# Runs Debian's real Exim 4 (exim4-daemon-light) as a relay to an SMTP server on loopback, for
# integration tests, beside an installed Postfix. The two packages conflict (both provide
# mail-transport-agent), so .ci/run unpacks the Exim package into EXIM_ROOT (dpkg -x) instead of
# installing it, and this script runs that binary with a private config (-C), spool and log
# directory. Needs root (Exim only honours -C for root) and the user Debian-exim, whose name is
# compiled into Debian's binary.
#
#   exim-relay.sh start PORT DIR        relay everything to 127.0.0.1:PORT; mainlog in DIR/log/mainlog
#   exim-relay.sh submit DIR SENDER RCPT...  one message, delivered at once by a forked process
#   exim-relay.sh queue DIR             number of messages still queued
#   exim-relay.sh stop DIR              stop the queue runner, empty the queue
set -euo pipefail
EXIM_ROOT=${EXIM_ROOT:-/opt/bouncewatch-ci/exim}
EXIM="$EXIM_ROOT/usr/sbin/exim4"

cmd=${1:?usage: exim-relay.sh start|submit|queue|stop}
shift
case "$cmd" in
start)
  port=${1:?port}; dir=${2:?work dir}
  [ "$(id -u)" = 0 ] || { echo "exim-relay.sh: needs root" >&2; exit 2; }
  [ -x "$EXIM" ] || { echo "exim-relay.sh: no Exim binary at $EXIM (run .ci/run)" >&2; exit 2; }
  getent passwd Debian-exim >/dev/null || { echo "exim-relay.sh: user Debian-exim missing" >&2; exit 2; }
  mkdir -p "$dir/spool" "$dir/log"
  chown -R Debian-exim:Debian-exim "$dir/spool" "$dir/log"
  chmod 755 "$dir/log"
  # 127.0.0.1 as the only next hop: Exim refuses a smarthost that is one of its own interfaces,
  # so local_interfaces names an unused loopback address and no listener is started (-bd).
  cat >"$dir/exim.conf" <<CONF
exim_path = $EXIM
primary_hostname = mta.example.test
qualify_domain = example.test
spool_directory = $dir/spool
log_file_path = $dir/log/%slog
exim_user = Debian-exim
exim_group = Debian-exim
keep_environment =
trusted_users = root
local_interfaces = 127.0.0.9
host_lookup =
begin acl
begin routers
smarthost:
  driver = manualroute
  domains = *
  transport = remote_smtp
  route_list = * 127.0.0.1::$port byname
  self = send
  no_more
begin transports
remote_smtp:
  driver = smtp
begin retry
*  *  F,35s,8s
begin rewrite
CONF
  # the queue runner retries deferred messages every 4 s
  "$EXIM" -C "$dir/exim.conf" -q4s -oP "$dir/exim.pid"
  for _ in $(seq 50); do [ -s "$dir/exim.pid" ] && exit 0; sleep 0.2; done
  echo "exim-relay.sh: exim did not start" >&2; exit 1
  ;;
submit)
  dir=${1:?work dir}; sender=${2:?sender}; shift 2
  printf 'From: <%s>\nTo: <%s>\nSubject: bouncewatch integration test\nMessage-ID: <%s.%s@example.test>\n\nHello from the integration test.\n' \
    "$sender" "$1" "$(date +%s%N)" "$RANDOM" | "$EXIM" -C "$dir/exim.conf" -f "$sender" -- "$@"
  ;;
queue)
  dir=${1:?work dir}
  "$EXIM" -C "$dir/exim.conf" -bpc
  ;;
stop)
  dir=${1:?work dir}
  [ -s "$dir/exim.pid" ] && kill "$(cat "$dir/exim.pid")" 2>/dev/null || true
  "$EXIM" -C "$dir/exim.conf" -bp 2>/dev/null | awk '/^ *[0-9]+[smhd] /{print $3}' \
    | xargs -r "$EXIM" -C "$dir/exim.conf" -Mrm >/dev/null 2>&1 || true
  ;;
*) echo "unknown command $cmd" >&2; exit 2;;
esac
