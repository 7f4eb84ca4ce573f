# Shell functions for bench/run.sh: tools, free ports, a throwaway PostgreSQL and nginx, app
# instances and wrk runs. Everything started here is recorded by process id or data folder so
# bench_cleanup stops exactly that, and nothing else on the machine.
# Expects: $work (a temporary folder the caller removes) and `set -euo pipefail`.

app_pids=()
nginx_pid=""

source tests/servers.sh

wait_until_listening() { # wait_until_listening PORT LOG NAME (up to 2 minutes: a busy shared machine starts slowly)
  for _ in $(seq 1 600); do
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
    sleep 0.2
  done
  echo "$3 did not listen on 127.0.0.1:$1:" >&2
  cat "$2" >&2 2>/dev/null || true
  return 1
}

# seed PROVIDER CONNECTION [ARGS...]: a fresh database through the domain services (ARGS such as --key-pairs N go to
# ControlPanel.Bench); exports the keys.
seed() {
  local exports
  exports=$(dotnet "${BENCH_DLL:-bench/ControlPanel.Bench/bin/Release/net10.0/ControlPanel.Bench.dll}" --provider "$1" --connection "$2" "${@:3}")
  eval "$exports"
  export APPLICATION_KEY CONSUMER_KEY
}

# app_start NAME PORT PROVIDER CONNECTION [--Key=value...]: one instance of the app, in the background, with any
# further settings as command-line configuration (the gateway's route metadata names have a dot, which no
# environment variable name may).
# APP_DLL points at another build of the app (an A/B of two commits with the same harness; BENCH_DLL seeds with its bench).
app_start() {
  # wrk speaks plain HTTP; the gateway (wrk itself, or nginx) is on loopback and trusted for
  # X-Forwarded-For, so the per-IP rate limit sees the clients check.lua names.
  ASPNETCORE_ENVIRONMENT=Production \
  Database__Provider="$3" Database__ConnectionString="$4" \
  Bootstrap__AdminEmail=bench-admin@controlpanel.test Bootstrap__AdminPassword=Bench-admin-password-1 \
  Api__RequireHttps=false Api__TrustedProxies__0=127.0.0.1 \
  Logging__LogLevel__Default=Warning \
    dotnet "${APP_DLL:-src/ControlPanel.Web/bin/Release/net10.0/ControlPanel.Web.dll}" --urls "http://127.0.0.1:$2" "${@:5}" >"$work/$1.log" 2>&1 &
  app_pids+=($!)
  wait_until_listening "$2" "$work/$1.log" "$1"
  curl -fs "http://127.0.0.1:$2/health/live" >/dev/null || { echo "$1 does not answer /health/live:" >&2; cat "$work/$1.log" >&2; return 1; }
}

# Stops the instances and waits for them: on PostgreSQL an instance gives back its leased blocks
# and flushes usage as it stops, which must not overlap the next mode's runs.
apps_stop() {
  local pid
  for pid in "${app_pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${app_pids[@]}"; do
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  app_pids=()
}

# nginx_start PORT UPSTREAM_PORT...: a real nginx in front of the instances, configured as the
# docs/gateways.md's sample for /api/ (round robin, keepalive to the upstreams, X-Forwarded-For set).
nginx_start() {
  local port=$1; shift
  local servers="" upstream
  for upstream in "$@"; do servers+="        server 127.0.0.1:$upstream;"$'\n'; done
  nginx_run "$port" <<EOF
    upstream controlpanel_api {
$servers        keepalive 64;
    }

    server {
        listen 127.0.0.1:$port;

        # wrk stands for a gateway in front of many clients and names each in X-Forwarded-For
        # (check.lua). Believe that from loopback only, so \$remote_addr below is the client.
        set_real_ip_from 127.0.0.1;
        real_ip_header X-Forwarded-For;

        location /api/ {
            proxy_pass http://controlpanel_api;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host \$host;
            proxy_set_header X-Forwarded-For \$remote_addr;   # overwrite, never append
            proxy_set_header X-Forwarded-Proto \$scheme;
        }

        # The baseline takes the same hop and upstreams, so the pair stays comparable.
        location = /health/live {
            proxy_pass http://controlpanel_api;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host \$host;
        }
    }
EOF
}

# nginx_run PORT: one nginx process on PORT, in the background, with the http block's own lines read from stdin.
nginx_run() {
  [ -x /usr/sbin/nginx ] || need_package /usr/sbin/nginx nginx
  local port=$1 folder="$work/nginx"
  mkdir -p "$folder"
  {
    cat <<EOF
# One process (no master), like one worker: the host has two cores for nginx, wrk and the app.
daemon off;
master_process off;
pid $folder/nginx.pid;
error_log $folder/error.log warn;
events { worker_connections 1024; }

http {
    access_log off;
    client_body_temp_path $folder/client_body;
    proxy_temp_path $folder/proxy;
    fastcgi_temp_path $folder/fastcgi;
    uwsgi_temp_path $folder/uwsgi;
    scgi_temp_path $folder/scgi;

EOF
    cat
    echo "}"
  } >"$folder/nginx.conf"
  /usr/sbin/nginx -p "$folder" -c "$folder/nginx.conf" -e "$folder/error.log" >"$folder/stdout.log" 2>&1 &
  nginx_pid=$!
  wait_until_listening "$port" "$folder/error.log" nginx
}

nginx_stop() {
  [ -n "$nginx_pid" ] || return 0
  kill -TERM "$nginx_pid" 2>/dev/null || true
  wait "$nginx_pid" 2>/dev/null || true
  nginx_pid=""
}

# nginx_auth_start PORT CONTROLPANEL_PORT TRIVIAL_PORT: nginx in front of the trivial endpoint with two locations,
# /open proxied as is and /checked behind auth_request to the check (docs/gateways.md's nginx configuration, less the
# refusal rebuilding that allowed calls never take): the same two routes the gateway mode measures.
nginx_auth_start() {
  local port=$1 controlpanel=$2 trivial=$3
  nginx_run "$port" <<EOF
    upstream controlpanel { server 127.0.0.1:$controlpanel; keepalive 64; }
    upstream platform { server 127.0.0.1:$trivial; keepalive 64; }

    server {
        listen 127.0.0.1:$port;
        set_real_ip_from 127.0.0.1;
        real_ip_header X-Forwarded-For;

        location = /open {
            proxy_pass http://platform/;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
        }

        location = /checked {
            auth_request /_controlpanel_check;
            auth_request_set \$cp_limit \$upstream_http_x_ratelimit_limit;
            auth_request_set \$cp_remaining \$upstream_http_x_ratelimit_remaining;
            auth_request_set \$cp_reset \$upstream_http_x_ratelimit_reset;
            add_header X-RateLimit-Limit \$cp_limit always;
            add_header X-RateLimit-Remaining \$cp_remaining always;
            add_header X-RateLimit-Reset \$cp_reset always;
            proxy_pass http://platform/;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
        }

        location = /_controlpanel_check {
            internal;
            proxy_pass http://controlpanel/api/v1/check/nginx;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_pass_request_body off;
            proxy_set_header Content-Length "";
            proxy_set_header X-Forwarded-For \$remote_addr;
        }
    }
EOF
}

bench_cleanup() {
  apps_stop
  nginx_stop
  pg_stop
  rm -rf "$work"
}

# trivial_start PORT: the baseline, a trivial minimal-API endpoint in its own process, in the background.
trivial_start() {
  ASPNETCORE_ENVIRONMENT=Production \
    dotnet bench/ControlPanel.Bench.Trivial/bin/Release/net10.0/ControlPanel.Bench.Trivial.dll --urls "http://127.0.0.1:$1" >"$work/trivial.log" 2>&1 &
  app_pids+=($!)
  wait_until_listening "$1" "$work/trivial.log" trivial
  curl -fs "http://127.0.0.1:$1/" >/dev/null || { echo "the trivial endpoint does not answer:" >&2; cat "$work/trivial.log" >&2; return 1; }
}

# check_status BASE: the status of one check with the seeded keys, from a named client.
check_status() {
  curl -s -o /dev/null -w '%{http_code}' -H "APPLICATIONKEY: $APPLICATION_KEY" -H "CONSUMERKEY: $CONSUMER_KEY" \
    -H "X-Forwarded-For: 198.51.100.1" "$1/api/v1/check"
}

to_ms() { awk '{ v = $1; if (v ~ /us$/) { sub(/us$/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms$/, "", v) } else if (v ~ /s$/) { sub(/s$/, "", v); v *= 1000 } printf "%.3f", v }'; }

# wrk_run NAME SCRIPT URL CONNECTIONS DELAY_MS: appends wrk's output to $raw; sets rps, p50, p99,
# errors (non-2xx answers plus socket errors).
wrk_run() {
  local out non2xx socket
  out=$(WRK_DELAY_MS="$5" wrk -t1 -c"$4" -d"${duration}s" --latency -s "bench/$2" "$3")
  printf '== %s\n%s\n\n' "$1" "$out" >>"$raw"
  rps=$(awk '/^Requests\/sec:/ { printf "%.0f", $2 }' <<<"$out")
  p50=$(awk '$1 == "50%" { print $2 }' <<<"$out" | to_ms)
  p99=$(awk '$1 == "99%" { print $2 }' <<<"$out" | to_ms)
  non2xx=$(awk '/Non-2xx/ { print $5 }' <<<"$out")
  socket=$(awk '/Socket errors/ { gsub(",", ""); print $4 + $6 + $8 + $10 }' <<<"$out")
  errors=$(( ${non2xx:-0} + ${socket:-0} ))
  printf '  %-20s %8s req/s   p50 %8s ms   p99 %8s ms   errors %s\n' "$1" "$rps" "$p50" "$p99" "$errors"
}
