#!/usr/bin/env bash
# Parse benchmark: bouncewatch against pflogsumm and the `grep -c status=` floor, on the same
# generated Postfix log, in one run, at two sizes (to show memory stays flat as the file grows).
#
#   agent/bench/parse-benchmark.sh              # 250k and 1M lines
#   LINES=4000000 agent/bench/parse-benchmark.sh  # LINES/4 and LINES
#   QUICK=1 agent/bench/parse-benchmark.sh      # 10k and 40k lines, for CI: checks the script, not speed
#
# Environment: LINES (largest size, default 1000000), QUICK=1, JAR (default agent/target/bouncewatch.jar),
# JAVA_OPTS (passed to java), TUNED_OPTS (JVM options of the extra "tuned" rows, default
# "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC": on a short batch run C2 compilation and G1's
# threads cost more CPU than they save; TUNED_OPTS= drops those rows), BENCH_DIR (where logs are kept, default agent/target/bench; generated
# logs are reused across runs), SEED (generator seed, default 1).
# Needs python3; pflogsumm and /usr/bin/time are used when installed (apt-get install pflogsumm time),
# without /usr/bin/time the peak RSS is read from /proc/PID/status (VmHWM).
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
agent="$(dirname "$here")"
JAR="${JAR:-$agent/target/bouncewatch.jar}"
BENCH_DIR="${BENCH_DIR:-$agent/target/bench}"
SEED="${SEED:-1}"
JAVA_OPTS="${JAVA_OPTS:-}"
TUNED_OPTS="${TUNED_OPTS--XX:TieredStopAtLevel=1 -XX:+UseSerialGC}"
if [ "${QUICK:-0}" = 1 ]; then
  LINES="${LINES:-40000}"
else
  LINES="${LINES:-1000000}"
fi
if ! [[ "$LINES" =~ ^[0-9]+$ ]] || [ "$LINES" -lt 4 ]; then
  echo "parse-benchmark: LINES must be a whole number of at least 4, was '$LINES'" >&2
  exit 2
fi
sizes=($((LINES / 4)) "$LINES")

mkdir -p "$BENCH_DIR"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# --- measuring -------------------------------------------------------------------------------
# measure OUT ERR CMD... : runs CMD with stdout to OUT and stderr to ERR; sets SECS, RSS_KB and RC.
measure() {
  local out=$1 err=$2
  shift 2
  local start end
  start=$(date +%s.%N)
  if [ -x /usr/bin/time ]; then
    set +e
    /usr/bin/time -v -o "$work/time.txt" "$@" >"$out" 2>"$err"
    RC=$?
    set -e
    RSS_KB=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$work/time.txt")
  else
    "$@" >"$out" 2>"$err" &
    local pid=$! peak=0 v
    while kill -0 "$pid" 2>/dev/null; do
      v=$(awk '/^VmHWM:/ {print $2}' "/proc/$pid/status" 2>/dev/null || true)
      [ -n "$v" ] && peak=$v
      sleep 0.05
    done
    set +e
    wait "$pid"
    RC=$?
    set -e
    RSS_KB=$peak
  fi
  end=$(date +%s.%N)
  SECS=$(awk -v a="$start" -v b="$end" 'BEGIN {printf "%.2f", b - a}')
}

per_second() { # count seconds -> count per second, grouped
  awk -v n="$1" -v s="$2" 'BEGIN { if (s <= 0) s = 0.01; printf "%\047d", n / s }'
}

# --- which tools can run ---------------------------------------------------------------------
have_pflogsumm=0
command -v pflogsumm >/dev/null && have_pflogsumm=1
have_parse=0
have_report=0
if [ -f "$JAR" ] && command -v java >/dev/null; then
  # shellcheck disable=SC2086
  java $JAVA_OPTS -jar "$JAR" parse --help >/dev/null 2>&1 && have_parse=1
  # shellcheck disable=SC2086
  java $JAVA_OPTS -jar "$JAR" report --help >/dev/null 2>&1 && have_report=1
fi

echo "parse benchmark: $(nproc) CPUs, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u +%Y-%m-%dT%H:%M:%SZ)"
echo "  java: $(java -version 2>&1 | head -1 || echo none)"
echo "  pflogsumm: $([ $have_pflogsumm = 1 ] && pflogsumm --version 2>&1 | head -1 || echo 'not installed (apt-get install pflogsumm)')"
echo "  bouncewatch: $JAR ($([ $have_parse = 1 ] && echo parse || echo 'no parse command')," \
     "$([ $have_report = 1 ] && echo report || echo 'no report command'))"
echo

printf '%-9s  %-34s %9s %12s %12s %10s %10s\n' lines tool seconds lines/s results/s "x pflogsumm" "max RSS"
for size in "${sizes[@]}"; do
  log="$BENCH_DIR/postfix-$size-seed$SEED.log"
  if [ ! -s "$log" ]; then
    python3 "$here/gen-postfix-log.py" "$size" --seed "$SEED" >"$log.tmp"
    mv "$log.tmp" "$log"
  fi
  lines=$(wc -l <"$log")
  pf_rate=""

  row() { # tool results(or -) ; uses SECS RSS_KB RC
    local tool=$1 results=$2 rate ratio res_rate
    rate=$(awk -v n="$lines" -v s="$SECS" 'BEGIN { if (s <= 0) s = 0.01; print n / s }')
    if [ "$RC" != 0 ]; then
      printf '%-9s  %-34s %9s  failed with exit code %s (stderr: %s)\n' "$lines" "$tool" "$SECS" "$RC" \
        "$(head -c 200 "$work/err" | tr '\n' ' ')"
      return
    fi
    res_rate="-"
    [ "$results" != "-" ] && res_rate=$(per_second "$results" "$SECS")
    ratio="-"
    [ -n "$pf_rate" ] && ratio=$(awk -v a="$rate" -v b="$pf_rate" 'BEGIN {printf "%.1fx", a / b}')
    printf '%-9s  %-34s %9s %12s %12s %10s %7d MB\n' "$lines" "$tool" "$SECS" \
      "$(per_second "$lines" "$SECS")" "$res_rate" "$ratio" "$((RSS_KB / 1024))"
  }

  if [ $have_pflogsumm = 1 ]; then
    measure "$work/out" "$work/err" pflogsumm "$log"
    [ "$RC" = 0 ] && pf_rate=$(awk -v n="$lines" -v s="$SECS" 'BEGIN { if (s <= 0) s = 0.01; print n / s }')
    row "pflogsumm" "-"
  fi

  measure "$work/out" "$work/err" grep -c status= "$log"
  RC=0 # grep exits 1 when nothing matched: still a measurement
  row "grep -c status= (floor)" "$(cat "$work/out")"

  if [ $have_parse = 1 ]; then
    # shellcheck disable=SC2086
    measure /dev/null "$work/err" java $JAVA_OPTS -jar "$JAR" parse --format jsonl "$log"
    results=$(grep -oE '[0-9,]+ results' "$work/err" | tail -1 | tr -dc '0-9')
    row "bouncewatch parse --format jsonl" "${results:--}"
  else
    printf '%-9s  %-34s %9s\n' "$lines" "bouncewatch parse --format jsonl" "skipped: $JAR has no parse command"
  fi

  if [ $have_report = 1 ]; then
    # shellcheck disable=SC2086
    measure /dev/null "$work/err" java $JAVA_OPTS -jar "$JAR" report "$log"
    results=$(grep -oE '[0-9,]+ results' "$work/err" | tail -1 | tr -dc '0-9')
    row "bouncewatch report" "${results:--}"
  else
    printf '%-9s  %-34s %9s\n' "$lines" "bouncewatch report" "skipped: $JAR has no report command"
  fi
  if [ -n "$TUNED_OPTS" ]; then
    for cmd in "parse --format jsonl" report; do
      [ "$cmd" = report ] && [ $have_report = 0 ] && continue
      [ "$cmd" != report ] && [ $have_parse = 0 ] && continue
      # shellcheck disable=SC2086
      measure /dev/null "$work/err" java $JAVA_OPTS $TUNED_OPTS -jar "$JAR" $cmd "$log"
      results=$(grep -oE '[0-9,]+ results' "$work/err" | tail -1 | tr -dc '0-9')
      row "bouncewatch ${cmd%% *}, tuned JVM" "${results:--}"
    done
  fi
done
echo
[ -n "$TUNED_OPTS" ] && echo "tuned JVM: java $TUNED_OPTS -jar ... (C1 only and the serial GC: less CPU and memory for a batch run)"
echo "lines/s counts every line of the file; results/s: the delivery results parse found (its stderr summary),"
echo "  for grep the lines it counted."
echo "x pflogsumm is the throughput relative to pflogsumm on the same file; max RSS is the peak resident memory."
