#!/usr/bin/env bash
# Messages/s of test-mta against Postfix's smtp-sink under the same load, in one run.
#
# Every client runs against every server on 127.0.0.1, one at a time, each run bounded by
# RUN_TIMEOUT:
#   smtp-source        Postfix's load generator, timed from outside (no PIPELINING, C, no JVM)
#   send               test-mta's own load source, rate measured from first connect to last close
#   send-pipelining    the same with --pipelining (RFC 2920)
# It prints a table (msg/s per server and client, ratio test-mta/smtp-sink) and one line
#   BENCH_SUMMARY {...json...}
# for scripts.
#
# Usage: test-mta/bench/sink-benchmark.sh [quick|full]        (default quick, a few seconds)
# Environment (all optional):
#   MESSAGES      messages per run             (quick 2000, full 20000)
#   SESSIONS      concurrent sessions          (20)
#   SIZE          message size in bytes        (1024)
#   WARMUP        messages send sends first, not counted, so JVM start-up and JIT stay out of
#                 its rate (MESSAGES/2); smtp-source, a C program, needs none
#   RUN_TIMEOUT   seconds before a run is cut  (quick 60, full 300)
#   SERVER_WARMUP smtp-source messages each server gets, untimed, before its first run (0): the
#                 JVM's JIT otherwise compiles during the smtp-source run, which has no warm-up
#   SOURCE_OPTS   extra smtp-source options, e.g. "-d" to reuse connections like send does
#   SERVERS       which servers                ("smtp-sink test-mta")
#   CLIENTS       which clients                ("smtp-source send send-pipelining")
#   JAR           test-mta jar                 (test-mta/target/test-mta.jar)
#   TESTMTA_CMD   command that starts test-mta; {port} is replaced
#                 (default: java -jar $JAR serve --listen 127.0.0.1:{port} --http off)
#   SMTP_SINK, SMTP_SOURCE  paths of the Postfix tools (/usr/sbin/...)
set -euo pipefail

MODE=${1:-${MODE:-quick}}
case "$MODE" in
  quick) : "${MESSAGES:=2000}" "${RUN_TIMEOUT:=60}" ;;
  full)  : "${MESSAGES:=20000}" "${RUN_TIMEOUT:=300}" ;;
  *) echo "usage: $0 [quick|full]" >&2; exit 2 ;;
esac
: "${SESSIONS:=20}" "${SIZE:=1024}" "${SOURCE_OPTS:=}" "${WARMUP:=$((MESSAGES / 2))}" "${SERVER_WARMUP:=0}"
: "${SERVERS:=smtp-sink test-mta}" "${CLIENTS:=smtp-source send send-pipelining}"
cd "$(dirname "$0")/../.."
: "${JAR:=test-mta/target/test-mta.jar}"
# (the default goes through a variable: a literal "}" would end the ${...:=...} expansion early)
default_testmta_cmd="java -jar $JAR serve --listen 127.0.0.1:{port} --http off"
: "${TESTMTA_CMD:=$default_testmta_cmd}"
: "${SMTP_SINK:=/usr/sbin/smtp-sink}" "${SMTP_SOURCE:=/usr/sbin/smtp-source}"

[[ $WARMUP =~ ^[0-9]+$ ]] || { echo "WARMUP must be a number, got '$WARMUP'" >&2; exit 2; }
[[ $SERVER_WARMUP =~ ^[0-9]+$ ]] || { echo "SERVER_WARMUP must be a number, got '$SERVER_WARMUP'" >&2; exit 2; }
for n in MESSAGES SESSIONS SIZE RUN_TIMEOUT; do
  [[ ${!n} =~ ^[1-9][0-9]*$ ]] || { echo "$n must be a positive integer, got '${!n}'" >&2; exit 2; }
done
command -v python3 >/dev/null || { echo "python3 is needed to find free ports and read JSON" >&2; exit 2; }

SERVER_PID=
LOG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/sink-benchmark.XXXXXX")
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

wait_listening() { # port deadline-seconds
  local end=$((SECONDS + $2))
  while [ $SECONDS -lt "$end" ]; do
    if kill -0 "$SERVER_PID" 2>/dev/null && (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    kill -0 "$SERVER_PID" 2>/dev/null || return 1
    sleep 0.1
  done
  return 1
}

# starts server $1 on a free port; sets PORT and SERVER_PID; returns 1 when it cannot run here
start_server() {
  PORT=$(free_port)
  local log="$LOG_DIR/$1.log"
  case "$1" in
    smtp-sink)
      [ -x "$SMTP_SINK" ] || { echo "  $SMTP_SINK not installed" >&2; return 1; }
      local user=()
      [ "$(id -u)" = 0 ] && user=(-u nobody) # smtp-sink will not keep root privileges
      "$SMTP_SINK" "${user[@]}" "127.0.0.1:$PORT" 1000 >"$log" 2>&1 &
      ;;
    test-mta)
      if [[ $TESTMTA_CMD == java\ -jar* ]]; then
        [ -f "$JAR" ] || { echo "  $JAR missing: build with mvn -o -q -pl test-mta -am package -DskipTests" >&2; return 1; }
        java -jar "$JAR" --help 2>/dev/null | grep -qw serve || { echo "  $JAR has no 'serve' command yet" >&2; return 1; }
      fi
      local placeholder='{port}'
      # shellcheck disable=SC2086 # the command is meant to be split into words
      ${TESTMTA_CMD//"$placeholder"/$PORT} >"$log" 2>&1 &
      ;;
    *) echo "unknown server $1" >&2; return 1 ;;
  esac
  SERVER_PID=$!
  wait_listening "$PORT" 30 || { echo "  $1 did not listen on $PORT (log: $log)" >&2; tail -5 "$log" >&2; stop_server; return 1; }
}

stop_server() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  SERVER_PID=
}

# prints messages/s of client $1 against 127.0.0.1:$PORT, or "fail"
run_client() {
  local log="$LOG_DIR/$2-$1.log"
  case "$1" in
    smtp-source)
      [ -x "$SMTP_SOURCE" ] || { echo "fail"; return; }
      local start end
      start=$(date +%s%N)
      # shellcheck disable=SC2086
      if timeout "$RUN_TIMEOUT" "$SMTP_SOURCE" $SOURCE_OPTS -s "$SESSIONS" -m "$MESSAGES" -l "$SIZE" \
           -f sender@bench.test -t rcpt@bench.test "127.0.0.1:$PORT" >"$log" 2>&1; then
        end=$(date +%s%N)
        python3 -c "import sys; print(round($MESSAGES / (($end - $start) / 1e9), 1))"
      else
        echo "fail"
      fi
      ;;
    send|send-pipelining)
      local extra=()
      [ "$1" = send-pipelining ] && extra=(--pipelining)
      if timeout $((RUN_TIMEOUT + 30)) java -jar "$JAR" send --server "127.0.0.1:$PORT" --connections "$SESSIONS" \
           --messages "$MESSAGES" --warmup "$WARMUP" --size "$SIZE" --max-time "$RUN_TIMEOUT" --json "${extra[@]}" >"$log" 2>&1; then
        # a run only counts when every message was accepted: a partial run's rate means nothing
        python3 - "$log" "$MESSAGES" <<'PY'
import json, sys
r = json.loads(open(sys.argv[1]).read().strip().splitlines()[-1])
print(r["messages_per_second"] if r["messages"]["accepted"] == int(sys.argv[2]) else "fail")
PY
      else
        echo "fail"
      fi
      ;;
    *) echo "fail" ;;
  esac
}

declare -A RATE
echo "sink benchmark ($MODE): $MESSAGES messages of $SIZE bytes over $SESSIONS sessions per run" \
  "(send warms up with $WARMUP more); logs in $LOG_DIR"
for server in $SERVERS; do
  echo "server $server"
  if ! start_server "$server"; then
    for client in $CLIENTS; do RATE[$server,$client]=n/a; done
    continue
  fi
  if [ "$SERVER_WARMUP" -gt 0 ] && [ -x "$SMTP_SOURCE" ]; then
    timeout "$RUN_TIMEOUT" "$SMTP_SOURCE" -s "$SESSIONS" -m "$SERVER_WARMUP" -l "$SIZE" -f sender@bench.test \
      -t rcpt@bench.test "127.0.0.1:$PORT" >"$LOG_DIR/$server-warmup.log" 2>&1 || echo "  warm-up failed (ignored)" >&2
  fi
  for client in $CLIENTS; do
    RATE[$server,$client]=$(run_client "$client" "$server")
    echo "  $client: ${RATE[$server,$client]} msg/s"
  done
  stop_server
done

ratio() { # test-mta rate / smtp-sink rate, or n/a
  python3 -c "
import sys
a, b = sys.argv[1], sys.argv[2]
try: print(round(float(a) / float(b), 2))
except (ValueError, ZeroDivisionError): print('n/a')" "$1" "$2"
}

echo
printf '%-18s %16s %16s %10s\n' client smtp-sink test-mta ratio
for client in $CLIENTS; do
  s=${RATE[smtp-sink,$client]:-n/a}; t=${RATE[test-mta,$client]:-n/a}
  printf '%-18s %16s %16s %10s\n' "$client" "$s" "$t" "$(ratio "$t" "$s")"
done

summary=$(
  for client in $CLIENTS; do
    printf '%s %s %s\n' "$client" "${RATE[smtp-sink,$client]:-n/a}" "${RATE[test-mta,$client]:-n/a}"
  done | python3 -c "
import json, sys
def num(v):
    try: return float(v)
    except ValueError: return None
out = {'mode': sys.argv[1], 'messages': int(sys.argv[2]), 'sessions': int(sys.argv[3]), 'size': int(sys.argv[4]),
       'msgs_per_sec': {}, 'ratio_test_mta_to_smtp_sink': {}}
for line in sys.stdin:
    client, sink, mta = line.split()
    out['msgs_per_sec'][client] = {'smtp-sink': num(sink), 'test-mta': num(mta)}
    s, m = num(sink), num(mta)
    out['ratio_test_mta_to_smtp_sink'][client] = round(m / s, 2) if s and m else None
print(json.dumps(out, separators=(',', ':')))" "$MODE" "$MESSAGES" "$SESSIONS" "$SIZE"
)
echo "BENCH_SUMMARY $summary"
