#!/usr/bin/env bash
# Load test of the key check against a trivial endpoint of the same server.
# Builds Release, seeds a fresh database (bench/ControlPanel.Bench), starts the app on loopback,
# runs wrk at full speed against /health/live (baseline) and /api/v1/check (valid keys), then
# both again at a fixed rate of half the check's peak, and writes the results to bench/results/.
# Usage: bench/run.sh [seconds per run, default 15]
set -euo pipefail
cd "$(dirname "$0")/.."
duration="${1:-15}"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
if ! command -v wrk >/dev/null 2>&1; then
  echo "Installing wrk..."
  as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi

dotnet build src/ControlPanel.Web -c Release -nologo -v quiet >/dev/null
dotnet build bench/ControlPanel.Bench -c Release -nologo -v quiet >/dev/null

work=$(mktemp -d)
app_pid=""
cleanup() { [ -n "$app_pid" ] && kill "$app_pid" 2>/dev/null && wait "$app_pid" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

eval "$(dotnet bench/ControlPanel.Bench/bin/Release/net10.0/ControlPanel.Bench.dll --connection "Data Source=$work/controlpanel.db")"
export APPLICATION_KEY CONSUMER_KEY

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
ASPNETCORE_ENVIRONMENT=Production \
Database__ConnectionString="Data Source=$work/controlpanel.db" \
Bootstrap__AdminEmail=bench-admin@controlpanel.test Bootstrap__AdminPassword=Bench-admin-password-1 \
Api__RequireHttps=false \
Logging__LogLevel__Default=Warning \
  dotnet src/ControlPanel.Web/bin/Release/net10.0/ControlPanel.Web.dll --urls "$base" >"$work/app.log" 2>&1 &
app_pid=$!
for _ in $(seq 1 100); do curl -fs "$base/health/live" >/dev/null 2>&1 && break; sleep 0.2; done
curl -fs "$base/health/live" >/dev/null || { cat "$work/app.log"; exit 1; }
status=$(curl -s -o /dev/null -w '%{http_code}' -H "APPLICATIONKEY: $APPLICATION_KEY" -H "CONSUMERKEY: $CONSUMER_KEY" "$base/api/v1/check")
[ "$status" = 200 ] || { echo "the check answered $status for the seeded keys"; cat "$work/app.log"; exit 1; }

threads=1      # two cores here: one for wrk, the rest for the server
connections=64

# run NAME SCRIPT PATH CONNECTIONS DELAY_MS -> sets rps, p50, p99, errors
run() {
  local out
  out=$(WRK_DELAY_MS="$5" wrk -t"$threads" -c"$4" -d"${duration}s" --latency -s "bench/$2" "$base$3")
  echo "$out" > "$work/$1.txt"
  rps=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' <<<"$out")
  p50=$(awk '$1 == "50%" { print $2 }' <<<"$out" | to_ms)
  p99=$(awk '$1 == "99%" { print $2 }' <<<"$out" | to_ms)
  errors=$(awk '/Non-2xx/ { print $5 }' <<<"$out"); errors=${errors:-0}
  printf '%-28s %10s req/s   p50 %8s ms   p99 %8s ms   non-2xx %s\n' "$1" "$rps" "$p50" "$p99" "$errors"
}
to_ms() { awk '{ v = $1; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 } printf "%.3f", v }'; }

echo "Warming up..."
WRK_DELAY_MS=0 wrk -t"$threads" -c"$connections" -d5s -s bench/check.lua "$base/api/v1/check" >/dev/null
WRK_DELAY_MS=0 wrk -t"$threads" -c"$connections" -d5s -s bench/baseline.lua "$base/health/live" >/dev/null

echo "Peak ($connections connections, ${duration}s each):"
run baseline-peak baseline.lua /health/live "$connections" 0; base_rps=$rps base_p50=$p50 base_p99=$p99
run check-peak check.lua /api/v1/check "$connections" 0; check_rps=$rps check_p50=$p50 check_p99=$p99 check_errors=$errors
ratio=$(awk -v c="$check_rps" -v b="$base_rps" 'BEGIN { printf "%.0f", 100 * c / b }')

# Half of the check's peak at a fixed pace (wrk2 is not available): each connection waits 5 ms
# after each answer, so with about 1 ms per answer a connection sends ~1000/6 requests a second.
# The pace is approximate; the achieved rate is what the table reports.
target=$((check_rps / 2))
pause_ms=5
paced=$(( (target * (pause_ms + 1) + 999) / 1000 ))
echo "Fixed rate, about $target req/s ($paced connections, ${pause_ms} ms apart):"
run check-half-peak check.lua /api/v1/check "$paced" "$pause_ms"; half_rps=$rps half_p50=$p50 half_p99=$p99
run baseline-half-peak baseline.lua /health/live "$paced" "$pause_ms"; bhalf_rps=$rps bhalf_p50=$p50 bhalf_p99=$p99

mkdir -p bench/results
{
  echo "| run | requests/s | p50 (ms) | p99 (ms) |"
  echo "|---|---:|---:|---:|"
  echo "| baseline \`/health/live\`, peak | $base_rps | $base_p50 | $base_p99 |"
  echo "| check \`/api/v1/check\`, peak | $check_rps | $check_p50 | $check_p99 |"
  echo "| check at half its peak (fixed rate) | $half_rps | $half_p50 | $half_p99 |"
  echo "| baseline at the same rate | $bhalf_rps | $bhalf_p50 | $bhalf_p99 |"
  echo
  echo "Check throughput: **$ratio %** of the baseline (target ≥ 50 %). Check p99 at half peak: **$half_p99 ms** (target < 5 ms)."
  echo "Non-2xx answers during the check's peak run: $check_errors."
  echo
  echo "Target rate for the fixed-rate runs: $target req/s ($paced connections pausing ${pause_ms} ms)."
  echo "Machine: $(nproc) cores ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)), wrk and the server on the same host; $(date -u +%Y-%m-%d)."
} > bench/results/latest.md
cat "$work"/*.txt > bench/results/wrk-output.txt
echo
cat bench/results/latest.md
