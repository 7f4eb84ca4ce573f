#!/usr/bin/env bash
# Runs every test of ControlPanel: domain, HTTP API and browser tests.
# Installs what the tests need when it is missing (Debian's Chromium and nginx), builds once, runs each
# test project and ends with one line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")"

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
apt_updated=""
need_package() { # need_package COMMAND PACKAGE
  command -v "$1" >/dev/null 2>&1 && return 0
  echo "Installing $2 (needed by the tests)..."
  [ -n "$apt_updated" ] || { as_root apt-get update -qq && apt_updated=1; }
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$2" >/dev/null
}

need_package chromium chromium
# The HTTP tests put a real nginx (auth_request) in front of the app.
[ -x /usr/sbin/nginx ] || need_package nginx nginx
export CHROMIUM_PATH="${CHROMIUM_PATH:-$(command -v chromium)}"

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
