# Servers the tests and the benchmark need, on loopback and thrown away afterwards: installs
# Debian's packages when missing, picks free ports and runs a PostgreSQL of its own.
# Sourced by test.sh and bench/lib.sh; works with or without `set -e`.

apt_updated=""
pg_dir=""
pg_port=""

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

need_package() { # need_package COMMAND-OR-PATH PACKAGE
  command -v "$1" >/dev/null 2>&1 && return 0
  echo "Installing $2..."
  [ -n "$apt_updated" ] || { as_root apt-get update -qq && apt_updated=1; }
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
}

free_port() { # a loopback port nothing listens on
  # Below the ephemeral range: wrk and the app's own connections take ports from that range, and
  # a port free of listeners there may still be taken by a connection by the time we bind it.
  local port ephemeral
  ephemeral=$(awk '{ print $1 }' /proc/sys/net/ipv4/ip_local_port_range 2>/dev/null || echo 32768)
  for port in $(shuf -i 20000-$((ephemeral > 20100 ? ephemeral - 1 : 60000)) -n 50); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
  return 1
}

# PostgreSQL on a free loopback port with a throwaway data folder; pg_stop stops it and deletes
# the folder. Starting it again while it runs does nothing.
pg_start() {
  [ -n "$pg_port" ] && return 0
  ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || need_package /usr/lib/postgresql/15/bin/pg_ctl postgresql
  pg_bin=$(dirname "$(ls /usr/lib/postgresql/*/bin/pg_ctl | sort -V | tail -n 1)")
  pg_run=()
  pg_dir=$(mktemp -d /tmp/controlpanel-pg.XXXXXX)
  # PostgreSQL refuses to run as root: run it as the postgres user the package created.
  if [ "$(id -u)" -eq 0 ]; then chown postgres "$pg_dir"; pg_run=(runuser -u postgres --); fi
  local port; port=$(free_port)
  # fsync off: the database is thrown away, and what is measured is the app, not the disk.
  "${pg_run[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -A trust -U postgres >/dev/null &&
    "${pg_run[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w \
      -o "-p $port -k $pg_dir -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=300" start >/dev/null ||
    { echo "PostgreSQL did not start:" >&2; cat "$pg_dir/server.log" >&2 2>/dev/null; return 1; }
  pg_port=$port
  echo "PostgreSQL $(basename "$(dirname "$pg_bin")") on 127.0.0.1:$pg_port"
}

pg_connection() { echo "Host=127.0.0.1;Port=$pg_port;Username=postgres;Database=$1"; }

pg_stop() {
  [ -n "$pg_dir" ] || return 0
  [ -f "$pg_dir/data/postmaster.pid" ] && "${pg_run[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate -w stop >/dev/null 2>&1
  rm -rf "$pg_dir"
  pg_dir="" pg_port=""
}
