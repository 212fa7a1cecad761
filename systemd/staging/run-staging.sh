#!/usr/bin/env bash
# run-staging.sh: the staging recipe end to end, on this host, on 127.0.0.1 only.
#
# A private Postfix instance (its own config, queue and log; the system Postfix and /etc/postfix
# are not touched) relays a small campaign to test-mta, which answers per recipient with the
# problems of staging-scenario.yml (unknown users, full mailboxes, greylisting, a Spamhaus
# listing, rate limiting, DMARC rejections). The bouncewatch agent follows Postfix's log and sends
# signed webhooks and Slack alerts to receiver.py (or Slack alerts to SLACK_WEBHOOK_URL). The
# script waits until the agent has every result, prints what it stored and sent, and checks it
# against expected.tsv and expected-alerts.tsv. Run ./run-staging.sh --help for the options.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
SENDER=news@shop.example

usage() {
  cat <<EOF
Usage: sudo $0 [--keep] [--out DIR] [--use build|installed] [--deadline SECONDS]

Relays a campaign through a private Postfix instance to test-mta, runs the bouncewatch agent on
Postfix's log, and prints and checks what the agent stored (results, suppression list) and sent
(webhooks, Slack). Everything listens on 127.0.0.1, on ports the kernel picks. Needs root and
Debian's postfix package (and python3); leaves /etc/postfix and the system Postfix alone.

Options:
  --keep             leave Postfix, test-mta, the agent and the receiver running afterwards
                     (for poking at the API and dashboard); DIR/stop.sh stops them
  --out DIR          where the config, logs, state and payloads go (created; must be empty).
                     Default: a new /var/tmp/bouncewatch-staging.XXXXXX
  --use build        the jars of this source tree (agent/target, test-mta/target)
  --use installed    the Debian package's /usr/bin/bouncewatch and /usr/bin/test-mta
                     (default: build when both jars exist, else installed)
  --deadline S       seconds to wait for each step (default 120)
  -h, --help         this text

Environment:
  SLACK_WEBHOOK_URL  post the Slack alerts to this incoming webhook for real instead of to the
                     local receiver (webhooks still go to the local receiver)

Files next to this script: staging-scenario.yml (test-mta's answers), campaign.txt (what is sent),
expected.tsv and expected-alerts.tsv (what must come out). Exit status: 0 when every expected
outcome was seen, 1 when one is missing, 2 when the run could not be set up.
EOF
}

KEEP=0 OUT="" USE=auto DEADLINE=120
while [ $# -gt 0 ]; do
  case "$1" in
    --keep) KEEP=1 ;;
    --out) OUT=${2:?--out needs a directory}; shift ;;
    --out=*) OUT=${1#--out=} ;;
    --use) USE=${2:?--use needs build or installed}; shift ;;
    --use=*) USE=${1#--use=} ;;
    --deadline) DEADLINE=${2:?--deadline needs seconds}; shift ;;
    --deadline=*) DEADLINE=${1#--deadline=} ;;
    -h|--help) usage; exit 0 ;;
    *) echo "run-staging.sh: unknown argument '$1' (see --help)" >&2; exit 2 ;;
  esac
  shift
done

die() { echo "run-staging.sh: $*" >&2; exit 2; }
say() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*"; }

[ "$(id -u)" = 0 ] || die "needs root (Postfix's queue and daemons); try: sudo $0"
[ -x /usr/sbin/postfix ] || die "Postfix is not installed: apt-get install postfix"
command -v python3 >/dev/null || die "python3 is missing: apt-get install python3"
[[ $DEADLINE =~ ^[0-9]+$ ]] || die "--deadline takes whole seconds"

# Which bouncewatch and test-mta: this tree's jars, or the Debian package's launchers.
JAVA_OPTS_SMALL=(-Xmx128m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData)
AGENT_JAR=$ROOT/agent/target/bouncewatch.jar
SINK_JAR=$ROOT/test-mta/target/test-mta.jar
if [ "$USE" = auto ]; then
  if [ -f "$AGENT_JAR" ] && [ -f "$SINK_JAR" ]; then USE=build
  elif [ -x /usr/bin/bouncewatch ] && [ -x /usr/bin/test-mta ]; then USE=installed
  else die "no bouncewatch found: build it (mvn -B -DskipTests package) or install the .deb"; fi
fi
case "$USE" in
  build)
    [ -f "$AGENT_JAR" ] && [ -f "$SINK_JAR" ] || die "--use build: $AGENT_JAR or $SINK_JAR missing (mvn -B -DskipTests package)"
    JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
    command -v "$JAVA" >/dev/null || die "no java (Java 17+) on PATH"
    AGENT=("$JAVA" "${JAVA_OPTS_SMALL[@]}" -jar "$AGENT_JAR")
    SINK=("$JAVA" "${JAVA_OPTS_SMALL[@]}" -jar "$SINK_JAR") ;;
  installed)
    [ -x /usr/bin/bouncewatch ] && [ -x /usr/bin/test-mta ] || die "--use installed: /usr/bin/bouncewatch or /usr/bin/test-mta missing"
    AGENT=(/usr/bin/bouncewatch)
    SINK=(env "JAVA_OPTS=${JAVA_OPTS_SMALL[*]}" /usr/bin/test-mta) ;;
  *) die "--use takes build or installed, not '$USE'" ;;
esac

if [ -z "$OUT" ]; then
  OUT=$(mktemp -d /var/tmp/bouncewatch-staging.XXXXXX)
else
  mkdir -p "$OUT"
  [ -z "$(ls -A "$OUT")" ] || die "--out $OUT is not empty (a run needs a fresh directory)"
fi
OUT=$(cd "$OUT" && pwd)
chmod 755 "$OUT"
# The private Postfix's config and queue: Postfix wants a queue path its daemons can traverse.
WORK=$(mktemp -d /var/tmp/bouncewatch-staging-postfix.XXXXXX)
chmod 755 "$WORK"
PF=$WORK/etc

# ---------------------------------------------------------------------------- stopping
# stop.sh stops everything this run started, by PID, newest first, and deletes the private
# Postfix instance; the exit trap runs it unless --keep. Each start below adds its line.
STOPS=()
add_stop() {
  [ $# -eq 0 ] || STOPS=("$1" "${STOPS[@]}")
  {
    echo '#!/usr/bin/env bash'
    echo "# Stops what run-staging.sh started for $OUT (newest first) and removes its Postfix instance."
    echo 'stop_pid() {  # SIGTERM, then SIGKILL after 30 s'
    echo '  kill -TERM "$1" 2>/dev/null || return 0'
    echo '  for _ in $(seq 300); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done'
    echo '  kill -KILL "$1" 2>/dev/null || true'
    echo '}'
    [ ${#STOPS[@]} -eq 0 ] || printf '%s\n' "${STOPS[@]}"
    echo "rm -rf '$WORK'"
    echo '# the PIDs above are gone now and may be reused: this file must not kill anything later'
    echo "printf '#!/bin/sh\\necho \"already stopped\"\\n' >\"\$0\""
  } >"$OUT/stop.sh"
  chmod 755 "$OUT/stop.sh"
}
add_stop
cleanup() {
  local rc=$?
  if [ "$KEEP" = 1 ] && [ "$rc" -le 1 ]; then
    echo "Left running (--keep): agent API $API, test-mta control API ${SINK_API:-?}; stop all with: $OUT/stop.sh"
  else
    bash "$OUT/stop.sh" >/dev/null 2>&1 || true
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 2' INT TERM

# poll DESCRIPTION COMMAND...: run COMMAND every 0.2 s until it succeeds or DEADLINE passes
poll() {
  local what=$1 t0=$SECONDS; shift
  until "$@" >/dev/null 2>&1; do
    (( SECONDS - t0 < DEADLINE )) || { echo "run-staging.sh: $what: not after ${DEADLINE} s" >&2; return 1; }
    sleep 0.2
  done
}
# port_in FILE PATTERN: the port the process logged in FILE (a sed regex with one group)
port_in() { sed -n "s/$2/\1/p" "$1" 2>/dev/null | head -n1; }
alive() { kill -0 "$1" 2>/dev/null; }
# bare COMMAND...: run it without the descriptors this script inherited beyond 0-2, such as the
# lock of `flock /tmp/bw-system.lock run-staging.sh`: processes left running by --keep must not
# hold it (or a caller's pipe) open
bare() {
  local fd
  for fd in /proc/$BASHPID/fd/*; do
    fd=${fd##*/}
    if [ "$fd" -gt 2 ] 2>/dev/null; then eval "exec $fd>&-" 2>/dev/null || true; fi
  done
  exec "$@"
}
# spawn LOG COMMAND...: start COMMAND in the background, output to LOG; its PID is in $!
spawn() { local log=$1; shift; (bare "$@") </dev/null >"$log" 2>&1 & }

# ---------------------------------------------------------------------------- receiver
cp "$HERE/staging-scenario.yml" "$HERE/campaign.txt" "$HERE/expected.tsv" "$HERE/expected-alerts.tsv" "$OUT/"
GREYLIST_DELAY=$(sed -n 's/^ *min_delay: *\([0-9][0-9]*\)s.*/\1/p' "$OUT/staging-scenario.yml" | head -n1)
[ -n "$GREYLIST_DELAY" ] || die "staging-scenario.yml: no 'min_delay: <N>s' for the greylisting rule"
(umask 077; echo "whsec_$(head -c 32 /dev/urandom | base64)" >"$OUT/webhook.secret")
spawn "$OUT/receiver.log" python3 "$HERE/receiver.py" --out "$OUT" --secret-file "$OUT/webhook.secret"
RECEIVER_PID=$!
add_stop "stop_pid $RECEIVER_PID  # receiver.py"
receiver_started() { [ -s "$OUT/receiver.port" ] || ! alive "$RECEIVER_PID"; }
poll "receiver.py writes its port" receiver_started
alive "$RECEIVER_PID" || { cat "$OUT/receiver.log" >&2; die "receiver.py did not start (its output above)"; }
RECEIVER=http://127.0.0.1:$(cat "$OUT/receiver.port")

# ---------------------------------------------------------------------------- test-mta
spawn "$OUT/test-mta.log" "${SINK[@]}" serve --listen 127.0.0.1:0 --http 127.0.0.1:0 \
  --scenario "$OUT/staging-scenario.yml" --events "$OUT/test-mta-events.jsonl"
SINK_PID=$!
add_stop "stop_pid $SINK_PID  # test-mta"

# ---------------------------------------------------------------------------- agent
if [ -n "${SLACK_WEBHOOK_URL:-}" ]; then
  SLACK_URL='{env: SLACK_WEBHOOK_URL}'  # the agent reads it from its environment; never written here
  SLACK_INSECURE=false
  REMOTE_SLACK=(--remote-slack)
else
  # a webhook URL is a secret: from a file only the agent's user reads, as on a real host
  (umask 077; echo "$RECEIVER/slack" >"$OUT/slack.url")
  SLACK_URL="{file: $OUT/slack.url}"
  SLACK_INSECURE=true  # plain http to the receiver on loopback
  REMOTE_SLACK=()
fi
cat >"$OUT/agent.yml" <<EOF
# bouncewatch config for the staging run (written by run-staging.sh)
stateDir: $OUT/state
sources:
  - type: file
    path: $OUT/postfix.log        # the private Postfix's maillog_file
    format: postfix
    pollInterval: 100ms
http:
  listen: 127.0.0.1:0             # a free port; the agent logs which
notify:
  console: true                   # also one line per event in agent.log
  webhooks:
    - name: staging-webhook
      url: $RECEIVER/webhook
      secret: {file: $OUT/webhook.secret}
      events: [all]               # message.delivered too, so every result shows up
      allowInsecure: true         # plain http to the receiver on loopback
      timeout: 5s
  slack:
    - name: staging-slack
      url: $SLACK_URL
      allowInsecure: $SLACK_INSECURE
      timeout: 10s
  alerts:
    evaluationInterval: 5s        # the shortest allowed: alerts within seconds of the bounces
    groupWait: 0s                 # announce at once (production: 30s against flapping)
  digest:
    enabled: false
EOF
: >"$OUT/postfix.log"  # Postfix appends to it; the agent follows it from its first byte
spawn "$OUT/agent.log" "${AGENT[@]}" run --config "$OUT/agent.yml"
AGENT_PID=$!
add_stop "stop_pid $AGENT_PID  # bouncewatch agent"

# ---------------------------------------------------------------------------- Postfix
SINK_LISTENING='.*test-mta listening on 127.0.0.1:\([0-9]*\).*'
sink_started() { [ -n "$(port_in "$OUT/test-mta.log" "$SINK_LISTENING")" ] || ! alive "$SINK_PID"; }
poll "test-mta listening" sink_started
alive "$SINK_PID" || { cat "$OUT/test-mta.log" >&2; die "test-mta did not start (log above)"; }
SINK_PORT=$(port_in "$OUT/test-mta.log" "$SINK_LISTENING")
SINK_API=http://127.0.0.1:$(port_in "$OUT/test-mta.log" '.*control API on http:\/\/127.0.0.1:\([0-9]*\).*')

mkdir -p "$PF" "$WORK/spool" "$WORK/data"
chown postfix:postfix "$WORK/data"; chmod 700 "$WORK/data"
# Retries: the flush below retries the greylisted recipients once the greylist delay has passed;
# Postfix's own schedule (first retry after twice that delay) is the backstop.
cat >"$PF/main.cf" <<EOF
# private Postfix instance of run-staging.sh: relays everything to test-mta on loopback
compatibility_level = 3.6
queue_directory = $WORK/spool
data_directory = $WORK/data
meta_directory = /etc/postfix
mail_owner = postfix
setgid_group = postdrop
syslog_name = postfix
myhostname = mta.staging.test
mydomain = staging.test
myorigin = shop.example
mydestination =
alias_maps =
alias_database =
local_recipient_maps =
inet_interfaces = loopback-only
inet_protocols = ipv4
relayhost = [127.0.0.1]:$SINK_PORT
default_transport = smtp
relay_transport = smtp
smtp_dns_support_level = disabled
smtp_tls_security_level = none
delay_warning_time = 0
minimal_backoff_time = $((GREYLIST_DELAY * 2))s
maximal_backoff_time = $((GREYLIST_DELAY * 4))s
queue_run_delay = 2s
maximal_queue_lifetime = 1h
bounce_queue_lifetime = 1h
maillog_file = $OUT/postfix.log
maillog_file_prefixes = /var, /dev/stdout, $OUT
EOF
# No smtpd at all (nothing listens on port 25) and no chroot (the queue is a temporary directory).
cat >"$PF/master.cf" <<'EOF'
# service type  private unpriv  chroot  wakeup  maxproc command
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
EOF
postfix -c "$PF" check || die "postfix check failed for the private instance in $PF"
started=$( (bare postfix -c "$PF" start) 2>&1 ) || die "postfix start failed: $started"
add_stop "postfix -c '$PF' stop >/dev/null 2>&1; for _ in \$(seq 100); do postfix -c '$PF' status >/dev/null 2>&1 || break; sleep 0.1; done"
poll "Postfix running" postfix -c "$PF" status
POSTFIX_VERSION=$(postconf -c "$PF" -h mail_version)

# ---------------------------------------------------------------------------- agent ready
agent_started() { grep -q 'HTTP API listening on' "$OUT/agent.log" || ! alive "$AGENT_PID"; }
poll "agent HTTP API up" agent_started
alive "$AGENT_PID" || { tail -n 30 "$OUT/agent.log" >&2; die "the agent did not start (agent.log above)"; }
API=http://127.0.0.1:$(port_in "$OUT/agent.log" '.*HTTP API listening on 127.0.0.1:\([0-9]*\).*')
poll "agent /healthz" python3 -c "import urllib.request,sys; urllib.request.urlopen(sys.argv[1], timeout=5)" "$API/healthz"

say "bouncewatch ($USE: ${AGENT[*]: -1}) API $API, test-mta 127.0.0.1:$SINK_PORT, Postfix $POSTFIX_VERSION (private instance $PF), receiver $RECEIVER"

# ---------------------------------------------------------------------------- campaign
n=0 recipients=0
while read -r line; do
  case "$line" in ''|'#'*) continue ;; esac
  read -ra to <<<"$line"
  n=$((n + 1)) recipients=$((recipients + ${#to[@]}))
  # -N never: no non-delivery notices back to the sender; bouncewatch is the bounce handling here
  printf 'From: Shop Newsletter <%s>\nTo: %s\nSubject: Winter sale, mail %d\nMessage-ID: <staging-%d-%s@shop.example>\nDate: %s\nList-Unsubscribe: <mailto:unsubscribe@shop.example>\n\nHello from the staging campaign.\n' \
    "$SENDER" "$(IFS=,; echo "${to[*]}")" "$n" "$n" "$(date +%s%N)" "$(date -R)" \
    | /usr/sbin/sendmail -C "$PF" -N never -i -f "$SENDER" -- "${to[@]}"
done <"$OUT/campaign.txt"
say "sent $n messages to $recipients recipients from $SENDER through Postfix"

python3 "$HERE/report.py" first --api "$API" --campaign "$OUT/campaign.txt" --deadline "$DEADLINE" \
  || { echo "Postfix log: $OUT/postfix.log, agent log: $OUT/agent.log" >&2; exit 1; }
say "the agent has a result for every recipient; waiting ${GREYLIST_DELAY} s (the greylist delay), then flushing Postfix's queue"
sleep "$GREYLIST_DELAY"
postqueue -c "$PF" -f

# ---------------------------------------------------------------------------- report
set +e
python3 "$HERE/report.py" check --api "$API" --out "$OUT" --expected "$OUT/expected.tsv" \
  --alerts "$OUT/expected-alerts.tsv" --deadline "$DEADLINE" "${REMOTE_SLACK[@]}"
rc=$?
set -e
if [ ${#REMOTE_SLACK[@]} -gt 0 ]; then
  # wait until the Slack worker has finished with every alert, then show how it went
  slack_outbox() { "${AGENT[@]}" outbox list --config "$OUT/agent.yml" --destination staging-slack "$@"; }
  slack_drained() { ! slack_outbox --state pending | grep -q staging-slack; }
  poll "Slack outbox drained" slack_drained
  slack_outbox || true
  if slack_outbox --state dead 2>/dev/null | grep -q staging-slack; then
    echo "FAIL: Slack refused some messages (dead letters above)"; rc=1
  fi
fi
echo
echo "Raw payloads: $OUT/webhooks/*.json (signed webhooks)$([ ${#REMOTE_SLACK[@]} -gt 0 ] || echo ", $OUT/slack/*.json (Slack)")"
echo "Run took $SECONDS s. Logs: $OUT/postfix.log (Postfix), $OUT/test-mta-events.jsonl (every reply test-mta gave), $OUT/agent.log; config $OUT/agent.yml"
exit "$rc"
