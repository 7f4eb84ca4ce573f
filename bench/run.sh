#!/usr/bin/env bash
# Load test of the key check against a trivial minimal-API endpoint in its own process, per deployment mode:
#   sqlite            one instance on SQLite
#   postgres          one instance on PostgreSQL
#   postgres-2-nginx  two instances on one PostgreSQL database behind nginx (round robin)
#   gateway           gateway mode (SQLite): two YARP routes to the trivial endpoint, check off and on; and, in the
#                     same run, nginx with the same two routes, the second behind auth_request to the check
# Per mode: seeds a fresh database (bench/ControlPanel.Bench), starts the app, warms up, runs wrk at
# full speed against the trivial endpoint (bench/ControlPanel.Bench.Trivial, the baseline) and
# /api/v1/check (valid keys), then both again at a fixed rate of half the check's peak. PostgreSQL and nginx are throwaways on loopback ports,
# stopped and deleted on exit. See bench/README.md for where the results land.
# Usage: bench/run.sh [seconds per run, default 15] [modes..., default the first three]
#        bench/run.sh scale [key pairs...]   the directory at scale (bench/scale.sh)
set -euo pipefail
cd "$(dirname "$0")/.."

scale=""
if [ "${1:-}" = scale ]; then scale=1; shift; fi
duration=15
if [ -z "$scale" ] && [[ "${1:-}" =~ ^[0-9]+$ ]]; then duration=$1; shift; fi
all_modes=(sqlite postgres postgres-2-nginx)
modes=()
for mode in "$@"; do
  # "gateway" is two measurements in one run: ControlPanel as the gateway, and nginx's auth_request beside it.
  if [ "$mode" = gateway ]; then modes+=(gateway nginx-auth); else modes+=("$mode"); fi
done
[ ${#modes[@]} -gt 0 ] || modes=("${all_modes[@]}")
[ -z "$scale" ] || modes=()
for mode in "${modes[@]}"; do
  [[ " ${all_modes[*]} gateway nginx-auth " == *" $mode "* ]] || { echo "Unknown mode '$mode'; modes: ${all_modes[*]} gateway" >&2; exit 2; }
done

work=$(mktemp -d /tmp/controlpanel-bench.XXXXXX)
source bench/lib.sh
trap 'set +e; bench_cleanup' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

need_package wrk wrk
dotnet build src/ControlPanel.Web -c Release -nologo -v quiet >/dev/null
dotnet build bench/ControlPanel.Bench -c Release -nologo -v quiet >/dev/null
dotnet build bench/ControlPanel.Bench.Trivial -c Release -nologo -v quiet >/dev/null
if [ -n "$scale" ]; then source bench/scale.sh "$@"; exit 0; fi

# Only a full run (all modes, long enough to mean something) replaces the committed results, so a
# quick smoke run cannot overwrite real numbers; anything else goes to an ignored folder.
if [ "$duration" -ge 10 ] && [ ${#modes[@]} -eq ${#all_modes[@]} ]; then results=bench/results; else results=bench/results/scratch; fi
mkdir -p "$results"

connections=64   # at full speed; wrk runs one thread, leaving the other core to the server
pause_ms=5       # between a connection's requests in the fixed-rate runs
declare -A rps_of p50_of p99_of errors_of note_of runs_rps runs_p50 runs_p99 last_rps last_p99 ratios_of
rounds=${BENCH_ROUNDS:-3}  # each pair of runs, alternating which goes first
warmup=${BENCH_WARMUP:-5}  # seconds of load on each URL before measuring: .NET's tiered JIT keeps speeding the process up for a while
failed=0

# start_mode MODE: seeds and starts what MODE needs; sets target (the app's base URL), and check_url and
# baseline_url (what wrk calls: by default the check and the trivial endpoint, in the gateway modes two routes).
start_mode() {
  local port
  check_url="" baseline_url="" baseline_script=baseline.lua
  case "$1" in
    sqlite)
      seed Sqlite "Data Source=$work/controlpanel.db"
      port=$(free_port)
      app_start app "$port" Sqlite "Data Source=$work/controlpanel.db"
      target="http://127.0.0.1:$port" ;;
    postgres)
      pg_start
      seed PostgreSql "$(pg_connection bench_postgres)"
      port=$(free_port)
      app_start app "$port" PostgreSql "$(pg_connection bench_postgres)"
      target="http://127.0.0.1:$port" ;;
    postgres-2-nginx)
      pg_start
      seed PostgreSql "$(pg_connection bench_postgres_2)"
      local first second
      first=$(free_port); app_start app-1 "$first" PostgreSql "$(pg_connection bench_postgres_2)"
      second=$(free_port); app_start app-2 "$second" PostgreSql "$(pg_connection bench_postgres_2)"
      # Each instance on its own answers too, so a failure behind nginx is not hidden by the other.
      for port in "$first" "$second"; do
        local status; status=$(check_status "http://127.0.0.1:$port")
        [ "$status" = 200 ] || { echo "FAILED: instance on port $port answered $status to the check" >&2; cat "$work"/app-*.log >&2; exit 1; }
      done
      port=$(free_port)
      nginx_start "$port" "$first" "$second"
      target="http://127.0.0.1:$port" ;;
    gateway)
      seed Sqlite "Data Source=$work/gateway.db"
      port=$(free_port)
      local gateway; gateway=$(free_port)
      # YARP's own section: both routes to the trivial endpoint's "/", the first with the check off.
      app_start app "$port" Sqlite "Data Source=$work/gateway.db" \
        "--Gateway:Urls:0=http://127.0.0.1:$gateway" \
        --ReverseProxy:Routes:open:ClusterId=trivial --ReverseProxy:Routes:open:Match:Path=/open \
        --ReverseProxy:Routes:open:Metadata:ControlPanel.Check=Off --ReverseProxy:Routes:open:Transforms:0:PathSet=/ \
        --ReverseProxy:Routes:checked:ClusterId=trivial --ReverseProxy:Routes:checked:Match:Path=/checked \
        --ReverseProxy:Routes:checked:Transforms:0:PathSet=/ \
        "--ReverseProxy:Clusters:trivial:Destinations:only:Address=$baseline/"
      target="http://127.0.0.1:$port"
      check_url="http://127.0.0.1:$gateway/checked" baseline_url="http://127.0.0.1:$gateway/open"
      # Both routes get the same requests (keys, X-Forwarded-For), so the check is the only difference between them.
      baseline_script=check.lua ;;
    nginx-auth)
      seed Sqlite "Data Source=$work/nginx-auth.db"
      port=$(free_port)
      app_start app "$port" Sqlite "Data Source=$work/nginx-auth.db"
      target="http://127.0.0.1:$port"
      local nginx; nginx=$(free_port)
      nginx_auth_start "$nginx" "$port" "$baseline_port"
      check_url="http://127.0.0.1:$nginx/checked" baseline_url="http://127.0.0.1:$nginx/open" baseline_script=check.lua ;;
  esac
  check_url=${check_url:-$target/api/v1/check} baseline_url=${baseline_url:-$baseline/}
}

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a == "" || b == "" || b + 0 == 0) print "–"; else printf "%.2f", a / b }'; }
percent() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f", 100 * a / b }'; }

# measure MODE: the check at $check_url against the baseline at $baseline_url, at full speed and then both at a fixed
# rate of half the check's peak. Each pair runs $rounds times, alternating which goes first (the first run after a
# warm-up is measurably slower in a shared process, so a fixed order biased the ratio), and the table reports each
# run's median and the spread of the round-by-round ratios.
measure() {
  local mode=$1 status i round
  # Two calls, so behind nginx both instances are asked.
  for i in 1 2; do
    status=$(check_status "$target")
    if [ "$status" != 200 ]; then
      echo "FAILED: the check answered $status for the seeded keys ($mode)" >&2
      cat "$work"/app*.log "$work"/nginx/error.log >&2 2>/dev/null || true
      exit 1
    fi
  done
  status=$(curl -s -o /dev/null -w '%{http_code}' -H "APPLICATIONKEY: $APPLICATION_KEY" -H "CONSUMERKEY: $CONSUMER_KEY" "$check_url")
  [ "$status" = 200 ] || { echo "FAILED: $check_url answered $status ($mode)" >&2; cat "$work"/app*.log "$work"/nginx/error.log >&2 2>/dev/null || true; exit 1; }

  echo "Warming up..."
  WRK_DELAY_MS=0 wrk -t1 -c"$connections" -d"${warmup}s" -s bench/check.lua "$check_url" >/dev/null
  WRK_DELAY_MS=0 wrk -t1 -c"$connections" -d"${warmup}s" -s "bench/$baseline_script" "$baseline_url" >/dev/null

  echo "Peak ($connections connections, ${duration}s each, $rounds rounds):"
  for round in $(seq 1 "$rounds"); do
    if [ $((round % 2)) -eq 1 ]; then
      record "$mode" baseline-peak "$baseline_script" "$baseline_url" "$connections" 0
      record "$mode" check-peak check.lua "$check_url" "$connections" 0
    else
      record "$mode" check-peak check.lua "$check_url" "$connections" 0
      record "$mode" baseline-peak "$baseline_script" "$baseline_url" "$connections" 0
    fi
    round_ratio "$mode" peak "$(ratio "${last_rps[$mode,check-peak]}" "${last_rps[$mode,baseline-peak]}")"
  done
  summarise "$mode" baseline-peak; summarise "$mode" check-peak

  # Half of the check's peak at a fixed pace (wrk2 is not available): each connection waits 5 ms
  # after each answer, so with about 1 ms per answer a connection sends ~1000/6 requests a second.
  # The pace is approximate; the achieved rate is what the table reports.
  local target_rps=$(( ${rps_of[$mode,check-peak]} / 2 ))
  local paced=$(( (target_rps * (pause_ms + 1) + 999) / 1000 ))
  note_of[$mode]="$target_rps req/s ($paced connections pausing $pause_ms ms)"
  echo "Fixed rate, about $target_rps req/s ($paced connections, $pause_ms ms apart, $rounds rounds):"
  for round in $(seq 1 "$rounds"); do
    if [ $((round % 2)) -eq 1 ]; then
      record "$mode" check-half check.lua "$check_url" "$paced" "$pause_ms"
      record "$mode" baseline-half "$baseline_script" "$baseline_url" "$paced" "$pause_ms"
    else
      record "$mode" baseline-half "$baseline_script" "$baseline_url" "$paced" "$pause_ms"
      record "$mode" check-half check.lua "$check_url" "$paced" "$pause_ms"
    fi
    round_ratio "$mode" half "$(ratio "${last_p99[$mode,check-half]}" "${last_p99[$mode,baseline-half]}")"
  done
  summarise "$mode" check-half; summarise "$mode" baseline-half
}

# record MODE RUN SCRIPT URL CONNECTIONS DELAY_MS: one wrk run, kept for the run's median.
record() {
  wrk_run "$2" "$3" "$4" "$5" "$6"
  runs_rps[$1,$2]+=" $rps" runs_p50[$1,$2]+=" $p50" runs_p99[$1,$2]+=" $p99"
  last_rps[$1,$2]=$rps last_p99[$1,$2]=$p99
  errors_of[$1,$2]=$(( ${errors_of[$1,$2]:-0} + errors ))
  if [ "$errors" -ne 0 ]; then
    echo "FAILED: $errors errors (non-2xx answers or socket errors) in $1 $2; see $results/wrk-$1.txt" >&2
    failed=1
  fi
}

# round_ratio MODE peak|half RATIO: one round's check-against-baseline ratio (throughput at peak, p99 at half peak).
round_ratio() { ratios_of[$1,$2]+=" $3"; }

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
spread() { tr ' ' '\n' | grep -v '^$' | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { if (lo == hi) print lo; else print lo "–" hi }'; }

# summarise MODE RUN: the run's figures are the medians of its rounds.
summarise() {
  rps_of[$1,$2]=$(median <<<"${runs_rps[$1,$2]}" | awk '{ printf "%.0f", $1 }')
  p50_of[$1,$2]=$(median <<<"${runs_p50[$1,$2]}")
  p99_of[$1,$2]=$(median <<<"${runs_p99[$1,$2]}")
}

for mode in "${modes[@]}"; do
  echo
  echo "== $mode"
  raw="$work/wrk-$mode.txt"
  : >"$raw"
  # The yardstick runs beside the mode's processes (idle while the check is measured), as a bare app would; in the
  # gateway modes it is the upstream both routes lead to.
  baseline_port=$(free_port)
  trivial_start "$baseline_port"
  baseline="http://127.0.0.1:$baseline_port"
  start_mode "$mode"
  measure "$mode"
  cp "$raw" "$results/wrk-$mode.txt"
  # The next mode gets the cores to itself.
  apps_stop
  nginx_stop
done

has_sqlite=""; [ -n "${rps_of[sqlite,check-peak]:-}" ] && has_sqlite=1

label() {
  case "$1" in
    sqlite) echo "SQLite, one instance" ;;
    postgres) echo "PostgreSQL, one instance" ;;
    postgres-2-nginx) echo "PostgreSQL, two instances behind nginx" ;;
    gateway) echo "Gateway mode (YARP, SQLite): checked route vs unchecked route" ;;
    nginx-auth) echo "nginx auth_request (SQLite): checked location vs plain location" ;;
  esac
}
run_label() {
  case "$1:$2" in
    baseline-peak:gateway|baseline-peak:nginx-auth) echo "unchecked route \`/open\` to the trivial endpoint, peak" ;;
    check-peak:gateway|check-peak:nginx-auth) echo "checked route \`/checked\` to the trivial endpoint, peak" ;;
    baseline-peak:*) echo "trivial endpoint (own process), peak" ;;
    check-peak:*) echo "check \`/api/v1/check\`, peak" ;;
    check-half:*) echo "check at half its peak (fixed rate)" ;;
    baseline-half:*) echo "baseline at the same rate" ;;
  esac
}

{
  echo "| mode | run | requests/s | p50 (ms) | p99 (ms) | errors | throughput vs SQLite | p99 vs SQLite |"
  echo "|---|---|---:|---:|---:|---:|---:|---:|"
  for mode in "${modes[@]}"; do
    for run in baseline-peak check-peak check-half baseline-half; do
      throughput="" latency=""
      if [ -n "$has_sqlite" ]; then
        [ "$run" = check-peak ] && throughput="$(ratio "${rps_of[$mode,$run]}" "${rps_of[sqlite,$run]}")×"
        [ "$run" = check-half ] && latency="$(ratio "${p99_of[$mode,$run]}" "${p99_of[sqlite,$run]}")×"
      fi
      name=""; [ "$run" = baseline-peak ] && name="**$(label "$mode")**"
      echo "| $name | $(run_label "$run" "$mode") | ${rps_of[$mode,$run]} | ${p50_of[$mode,$run]} | ${p99_of[$mode,$run]} | ${errors_of[$mode,$run]} | $throughput | $latency |"
    done
  done
  echo
  echo "Against the targets (check throughput ≥ 70 % of the trivial endpoint's; check p99 at half its peak ≤ 1.5× the trivial endpoint's p99 at the same rate;"
  echo "in gateway mode the checked route against the unchecked one, target ≥ 90 % and ≤ 1.3×, nginx's auth_request beside it):"
  echo
  for mode in "${modes[@]}"; do
    echo "- $(label "$mode"): check at **$(percent "${rps_of[$mode,check-peak]}" "${rps_of[$mode,baseline-peak]}") %** of the trivial endpoint;" \
      "p99 at half peak **${p99_of[$mode,check-half]} ms**, **$(ratio "${p99_of[$mode,check-half]}" "${p99_of[$mode,baseline-half]}")×** the trivial endpoint's at the same rate; fixed-rate target ${note_of[$mode]}." \
      "Round by round ($rounds rounds): throughput ratio $(spread <<<"${ratios_of[$mode,peak]}"), p99 ratio $(spread <<<"${ratios_of[$mode,half]}")."
  done
  echo
  if [ -n "$has_sqlite" ]; then
    echo "The ratio columns compare each mode with SQLite in this run: the check's peak throughput, and"
    echo "the check's p99 at half of each mode's own peak (above 1 is slower)."
  else
    echo "SQLite was not measured in this run, so there are no ratios."
  fi
  echo "Each figure is the median of $rounds runs; the runs of a pair alternate which goes first. Load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)."
  echo "${duration} s per run, wrk with 1 thread and $connections connections at full speed. Machine: $(nproc) cores" \
    "($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)), wrk, nginx, the app and PostgreSQL on the same host; $(date -u +%Y-%m-%d)."
} >"$results/latest.md"

echo
cat "$results/latest.md"
echo
echo "Results in $results/latest.md, wrk's output in $results/wrk-<mode>.txt."
if [ "$failed" -ne 0 ]; then echo "FAILED: some runs had errors; the figures above are not trustworthy." >&2; exit 1; fi
