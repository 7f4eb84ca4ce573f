#!/usr/bin/env bash
# bench/run.sh scale [KEY_PAIRS...]: the directory at scale (issue 30), per database (SQLite, PostgreSQL) and per size
# (default 100000 and 1000000 key pairs, one application each), beside a one-key database in the same run:
#   time until /health/ready, the app's RSS after start and after 100 changes, the check's peak throughput and p99
#   (wrk, 64 connections), and, from ControlPanel.Bench --changes 100 as a second instance on the same database:
#   its own load time, the directory's heap (GC.GetTotalMemory(true) delta) after start and after the changes,
#   each rotation's duration and the time until the rotated key works on the app.
# Sourced by bench/run.sh, which sets up $work, cleanup and the builds.
set -euo pipefail

sizes=("$@")
[ ${#sizes[@]} -gt 0 ] || sizes=(100000 1000000)
for size in "${sizes[@]}"; do [[ "$size" =~ ^[0-9]+$ ]] || { echo "Not a number of key pairs: $size" >&2; exit 2; }; done
duration=10
connections=64
changes=100
if [ ${#sizes[@]} -eq 2 ] && [ "${sizes[0]}" = 100000 ] && [ "${sizes[1]}" = 1000000 ]; then results=bench/results; else results=bench/results/scratch; fi
# The table goes to scale-<databases>.md (scale-sqlite-postgresql.md for both; SCALE_PROVIDERS picks them).
mkdir -p "$results"
raw="$work/wrk-scale.txt"
: >"$raw"
declare -A row
rss_mb() { awk '/^VmRSS:/ { printf "%.0f", $2 / 1024 }' "/proc/$1/status"; }

# run_size PROVIDER CONNECTION KEY_PAIRS
run_size() {
  local provider=$1 connection=$2 pairs=$3 port started ready pid status
  echo
  echo "== $provider, $pairs key pair(s)"
  local seeded; seeded=$(date +%s.%N)
  seed "$provider" "$connection" --key-pairs "$pairs"
  echo "  seeded in $(awk -v a="$seeded" -v b="$(date +%s.%N)" 'BEGIN { printf "%.0f", b - a }') s"
  port=$(free_port)
  started=$(date +%s.%N)
  app_start "app-$provider-$pairs" "$port" "$provider" "$connection"
  pid=${app_pids[-1]}
  for _ in $(seq 1 6000); do
    status=$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "http://127.0.0.1:$port/health/ready" || true)
    [ "$status" = 200 ] && break
    sleep 0.05
  done
  [ "$status" = 200 ] || { echo "FAILED: not ready" >&2; cat "$work/app-$provider-$pairs.log" >&2; exit 1; }
  ready=$(awk -v a="$started" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
  row[$provider,$pairs,ready]=$ready
  row[$provider,$pairs,rss_start]=$(rss_mb "$pid")
  target="http://127.0.0.1:$port"
  [ "$(check_status "$target")" = 200 ] || { echo "FAILED: the check refused the seeded keys" >&2; cat "$work/app-$provider-$pairs.log" >&2; exit 1; }
  WRK_DELAY_MS=0 wrk -t1 -c"$connections" -d3s -s bench/check.lua "$target/api/v1/check" >/dev/null
  wrk_run "check $provider $pairs" check.lua "$target/api/v1/check" "$connections" 0
  row[$provider,$pairs,rps]=$rps row[$provider,$pairs,p99]=$p99 row[$provider,$pairs,errors]=$errors
  if [ "$pairs" -gt 1 ]; then
    local measured
    measured=$(dotnet "${BENCH_DLL:-bench/ControlPanel.Bench/bin/Release/net10.0/ControlPanel.Bench.dll}" --provider "$provider" --connection "$connection" \
      --changes "$changes" --instance "$target")
    echo "$measured" | sed 's/^/  /'
    local key value
    while IFS='=' read -r key value; do row[$provider,$pairs,$key]=$value; done <<<"$measured"
    row[$provider,$pairs,rss_after]=$(rss_mb "$pid")
  fi
  apps_stop
}

run_provider() { # run_provider PROVIDER CONNECTION-PREFIX-FUNCTION
  local provider=$1 size
  run_size "$provider" "$($2 1)" 1
  for size in "${sizes[@]}"; do run_size "$provider" "$($2 "$size")" "$size"; done
}
sqlite_db() { echo "Data Source=$work/scale-$1.db"; }
postgres_db() { pg_connection "bench_scale_$1"; }

# SCALE_PROVIDERS="Sqlite" (or "PostgreSql") measures one database only.
providers=(${SCALE_PROVIDERS:-Sqlite PostgreSql})
for provider in "${providers[@]}"; do
  case "$provider" in
    Sqlite) run_provider Sqlite sqlite_db ;;
    PostgreSql) pg_start; run_provider PostgreSql postgres_db ;;
    *) echo "Unknown provider $provider" >&2; exit 2 ;;
  esac
done

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b + 0 == 0) print "–"; else printf "%.2f", a / b }'; }
{
  echo "| database | key pairs | ready after start (s) | app RSS after start / after $changes changes (MB) | directory heap after start / after changes (MB) | heap per key pair (bytes) | second instance's load (s) | rotation p50 / max (ms) | rotated key works on the other instance, p50 / max (ms) | check req/s (vs one key) | check p99 ms (vs one key) |"
  echo "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"
  for provider in "${providers[@]}"; do
    for pairs in 1 "${sizes[@]}"; do
      if [ "$pairs" = 1 ]; then
        echo "| $provider | 1 | ${row[$provider,1,ready]} | ${row[$provider,1,rss_start]} | | | | | | ${row[$provider,1,rps]} | ${row[$provider,1,p99]} |"
      else
        echo "| $provider | $pairs | ${row[$provider,$pairs,ready]} | ${row[$provider,$pairs,rss_start]} / ${row[$provider,$pairs,rss_after]} |" \
          "${row[$provider,$pairs,HEAP_LOADED_MB]} / ${row[$provider,$pairs,HEAP_AFTER_CHANGES_MB]} | ${row[$provider,$pairs,HEAP_PER_KEY_PAIR]} | ${row[$provider,$pairs,LOAD_SECONDS]} |" \
          "${row[$provider,$pairs,ROTATION_P50_MS]} / ${row[$provider,$pairs,ROTATION_MAX_MS]} | ${row[$provider,$pairs,IN_FORCE_P50_MS]} / ${row[$provider,$pairs,IN_FORCE_MAX_MS]} |" \
          "${row[$provider,$pairs,rps]} ($(ratio "${row[$provider,$pairs,rps]}" "${row[$provider,1,rps]}")×) | ${row[$provider,$pairs,p99]} ($(ratio "${row[$provider,$pairs,p99]}" "${row[$provider,1,p99]}")×) |"
      fi
    done
  done
  echo
  echo "Targets at 1,000,000 key pairs (issue 30): a change in force on every instance within 1 s, a rotation within 200 ms, ready within 10 s,"
  echo "heap at most 400 MB for the directory and flat after the changes, check throughput within 10 % of the one-key figure and p99 within 1.5×."
  echo "wrk: ${duration} s, 1 thread, $connections connections. SQLite instances read the change log every 500 ms (no NOTIFY); PostgreSQL ones are notified."
  echo "The app and the bench's second instance ran on $(nproc) cores shared with other work ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)); $(date -u +%Y-%m-%d) $(uptime | sed 's/.*load average/load average/')."
} >"$results/scale-$(tr '[:upper:] ' '[:lower:]-' <<<"${providers[*]}").md"
cp "$raw" "$results/wrk-scale-$(tr '[:upper:] ' '[:lower:]-' <<<"${providers[*]}").txt"
echo
cat "$results/scale-$(tr '[:upper:] ' '[:lower:]-' <<<"${providers[*]}").md"
