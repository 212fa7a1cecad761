#!/usr/bin/env bash
# Checks the units in this directory without a running systemd (CI has none):
#   systemd-analyze verify                   must print nothing (an unknown key or bad value is only
#                                            a warning there, exit code 0: any output is a failure)
#   systemd-analyze security --offline=yes   exposure at most MAX_EXPOSURE (default 2.0) per unit
# Both run against a scratch root holding the units, the host's own units (for the targets they
# name) and stand-ins for /usr/bin/bouncewatch and /usr/bin/test-mta, so the package need not be
# installed. Needs the systemd package (apt-get install systemd).
set -euo pipefail
cd "$(dirname "$0")"

MAX_EXPOSURE=${MAX_EXPOSURE:-2.0}
UNITS=(bouncewatch-agent.service test-mta.service test-mta-port25.service)

command -v systemd-analyze >/dev/null || { echo "check-units: systemd-analyze missing (apt-get install systemd)" >&2; exit 2; }

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
mkdir -p "$root/usr/lib/systemd" "$root/etc/systemd/system" "$root/usr/bin"
cp -a /usr/lib/systemd/system "$root/usr/lib/systemd/"
for unit in "${UNITS[@]}"; do cp "$unit" "$root/etc/systemd/system/"; done
for cmd in bouncewatch test-mta; do printf '#!/bin/sh\n' >"$root/usr/bin/$cmd"; chmod 755 "$root/usr/bin/$cmd"; done

failed=0
for unit in "${UNITS[@]}"; do
  if ! complaints=$(systemd-analyze verify --root="$root" "$unit" 2>&1) || [ -n "$complaints" ]; then
    echo "FAIL $unit: systemd-analyze verify complains:"
    echo "${complaints//$root/}" | sed 's/^/    /'
    failed=1
  fi
  report=$(systemd-analyze security --offline=yes --root="$root" --no-pager "$unit" 2>&1) || true
  score=$(sed -n 's/.*Overall exposure level for [^:]*: \([0-9.]*\).*/\1/p' <<<"$report")
  if [ -z "$score" ]; then
    echo "FAIL $unit: no exposure score from systemd-analyze security:"
    sed 's/^/    /' <<<"$report"
    failed=1
  elif awk -v s="$score" -v max="$MAX_EXPOSURE" 'BEGIN { exit !(s > max) }'; then
    echo "FAIL $unit: exposure $score is above $MAX_EXPOSURE; what counts against it:"
    grep '✗' <<<"$report" | sed 's/^/    /'
    failed=1
  else
    echo "ok   $unit: verify clean, exposure $score (at most $MAX_EXPOSURE)"
  fi
done
exit "$failed"
