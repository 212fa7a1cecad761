#!/usr/bin/env bash
# Runs the machine's real Postfix (Debian package) as a relay to an SMTP server on loopback, for
# integration tests. Needs root. Saves main.cf/master.cf and restores them on stop.
#
#   postfix-relay.sh start PORT LOGFILE   relay everything to [127.0.0.1]:PORT, log to LOGFILE
#   postfix-relay.sh submit SENDER RCPT... one message through /usr/sbin/sendmail
#   postfix-relay.sh queue                number of messages still queued
#   postfix-relay.sh flush                retry deferred mail now
#   postfix-relay.sh stop                 stop, empty the queue, restore the config
set -euo pipefail
SAVE=/var/tmp/bouncewatch-postfix-saved

# `postfix stop` returns before the master has exited; a `postfix start` right after it fails with
# "the Postfix mail system is already running" (seen when one test's stop meets the next's start)
stopped() {
  postfix stop >/dev/null 2>&1 || true
  for _ in $(seq 100); do postfix status >/dev/null 2>&1 || return 0; sleep 0.1; done
  echo "postfix-relay.sh: postfix still running 10 s after postfix stop" >&2; return 1
}

cmd=${1:?usage: postfix-relay.sh start|submit|queue|flush|stop}
shift
case "$cmd" in
start)
  port=${1:?port}; log=${2:?log file}
  [ "$(id -u)" = 0 ] || { echo "postfix-relay.sh: needs root" >&2; exit 2; }
  command -v postfix >/dev/null || { echo "postfix-relay.sh: postfix is not installed" >&2; exit 2; }
  stopped
  mkdir -p "$SAVE"
  [ -e "$SAVE/main.cf" ] || cp -p /etc/postfix/main.cf /etc/postfix/master.cf "$SAVE/"
  # maillog_file must lie under one of maillog_file_prefixes (/var, /dev/stdout)
  case "$log" in /var/*) ;; *) echo "postfix-relay.sh: log file must be under /var" >&2; exit 2;; esac
  mkdir -p "$(dirname "$log")"; : >"$log"
  postconf -e myhostname=mta.example.test myorigin=example.test mydomain=example.test \
    mydestination=localhost inet_interfaces=loopback-only inet_protocols=ipv4 \
    "relayhost=[127.0.0.1]:$port" default_transport=smtp relay_transport=smtp \
    smtp_dns_support_level=disabled smtp_tls_security_level=may smtp_tls_loglevel=1 \
    delay_warning_time=0 minimal_backoff_time=4s maximal_backoff_time=8s queue_run_delay=2s \
    maximal_queue_lifetime=1h bounce_queue_lifetime=1h smtp_connection_cache_on_demand=no \
    "maillog_file=$log" compatibility_level=3.6
  postconf -M# smtp/inet >/dev/null 2>&1 || true
  postconf -M postlog/unix-dgram="postlog   unix-dgram n  -       n       -       1       postlogd"
  /usr/lib/postfix/configure-instance.sh - >/dev/null 2>&1 || true
  postsuper -d ALL >/dev/null 2>&1 || true
  if ! out=$(postfix start 2>&1); then
    echo "postfix-relay.sh: postfix start failed: $out" >&2; exit 1
  fi
  for _ in $(seq 50); do postfix status >/dev/null 2>&1 && exit 0; sleep 0.2; done
  echo "postfix-relay.sh: postfix did not start" >&2; exit 1
  ;;
submit)
  sender=${1:?sender}; shift
  printf 'From: <%s>\nTo: <%s>\nSubject: bouncewatch integration test\nMessage-ID: <%s.%s@example.test>\n\nHello from the integration test.\n' \
    "$sender" "$1" "$(date +%s%N)" "$RANDOM" | /usr/sbin/sendmail -i -f "$sender" -- "$@"
  ;;
queue)
  postqueue -j 2>/dev/null | wc -l
  ;;
flush)
  postqueue -f >/dev/null 2>&1 || true
  ;;
stop)
  stopped || true
  postsuper -d ALL >/dev/null 2>&1 || true
  if [ -e "$SAVE/main.cf" ]; then cp -p "$SAVE/main.cf" "$SAVE/master.cf" /etc/postfix/; rm -rf "$SAVE"; fi
  ;;
*) echo "unknown command $cmd" >&2; exit 2;;
esac
