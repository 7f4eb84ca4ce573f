#!/usr/bin/env bash
# Runs every test of ControlPanel: domain, HTTP API and browser tests.
# Installs what the tests need when it is missing (Debian's Chromium and nginx), builds once, runs each
# test project and ends with one line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
apt_updated=""
need_package() { # need_package COMMAND-OR-PATH PACKAGE
  command -v "$1" >/dev/null 2>&1 && return 0
  echo "Installing $2 (needed by the tests)..."
  [ -n "$apt_updated" ] || { as_root apt-get update -qq && apt_updated=1; }
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
}

need_package chromium chromium
# The HTTP tests put a real nginx (auth_request) in front of the app.
[ -x /usr/sbin/nginx ] || need_package nginx nginx
export CHROMIUM_PATH="${CHROMIUM_PATH:-$(command -v chromium)}"

free_port() { # a loopback port nothing listens on, below the ephemeral range outgoing connections take theirs from
  local port ephemeral
  ephemeral=$(awk '{ print $1 }' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
  for port in $(shuf -i 20000-$((ephemeral > 20100 ? ephemeral - 1 : 60000)) -n 50); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
  return 1
}

# PostgreSQL 15 on a loopback port with a throwaway data directory; the database tests run on it too.
start_postgres() {
  ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || need_package /usr/lib/postgresql/15/bin/pg_ctl postgresql
  local bin; bin=$(dirname "$(ls /usr/lib/postgresql/*/bin/pg_ctl | sort -V | tail -n 1)")
  pg_dir=$(mktemp -d /tmp/controlpanel-pg.XXXXXX)
  local port; port=$(free_port)
  local run=()
  # PostgreSQL refuses to run as root: run it as the postgres user the package created.
  if [ "$(id -u)" -eq 0 ]; then chown postgres "$pg_dir"; run=(runuser -u postgres --); fi
  "${run[@]}" "$bin/initdb" -D "$pg_dir/data" -A trust -U postgres >/dev/null &&
    "${run[@]}" "$bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w \
      -o "-p $port -k $pg_dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" start >/dev/null ||
    { echo "PostgreSQL did not start:"; cat "$pg_dir/server.log" 2>/dev/null; return 1; }
  stop_postgres() { "${run[@]}" "$bin/pg_ctl" -D "$pg_dir/data" -m immediate stop >/dev/null 2>&1; rm -rf "$pg_dir"; }
  trap stop_postgres EXIT
  export CONTROLPANEL_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=postgres"
  echo "PostgreSQL on 127.0.0.1:$port"
}
start_postgres || { echo "0 passed, 1 failed"; exit 1; }

configuration="${CONFIGURATION:-Release}"
if ! dotnet build ControlPanel.sln -c "$configuration" -nologo -v quiet; then
  echo "0 passed, 1 failed"
  exit 1
fi

passed=0; failed=0; log=$(mktemp)
for project in tests/ControlPanel.Domain.Tests tests/ControlPanel.Api.Tests tests/ControlPanel.Browser.Tests; do
  echo "== $project"
  dotnet test "$project" -c "$configuration" --no-build -nologo 2>&1 | tee "$log"
  summary=$(grep -E "(Passed|Failed)! +- Failed: +[0-9]+, Passed: +[0-9]+" "$log" | tail -n 1)
  if [ -z "$summary" ]; then
    echo "   $project did not report results: counted as one failure"
    failed=$((failed + 1))
    continue
  fi
  f=$(sed -E 's/.*Failed: +([0-9]+),.*/\1/' <<<"$summary")
  p=$(sed -E 's/.*Passed: +([0-9]+),.*/\1/' <<<"$summary")
  passed=$((passed + p)); failed=$((failed + f))
done
rm -f "$log"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
