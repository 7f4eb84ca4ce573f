#!/usr/bin/env bash
# Runs every test of ControlPanel: domain, HTTP API, component (bUnit) and browser tests.
# Checks the formatting, installs what the tests need when it is missing (Debian's Chromium, nginx and PostgreSQL, see tests/servers.sh), builds once, runs each
# test project and ends with one line: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")"

source tests/servers.sh

need_package chromium chromium
# The HTTP tests put a real nginx (auth_request) in front of the app.
[ -x /usr/sbin/nginx ] || need_package /usr/sbin/nginx nginx
# The management API docs' key-rotation example (samples/rotate-keys.sh) runs in the HTTP tests with bash, curl and jq.
need_package curl curl
need_package jq jq
export CHROMIUM_PATH="${CHROMIUM_PATH:-$(command -v chromium)}"

# PostgreSQL 15 on a loopback port with a throwaway data directory; the database tests run on it too.
trap pg_stop EXIT
pg_start || { echo "0 passed, 1 failed"; exit 1; }
export CONTROLPANEL_TEST_POSTGRES="$(pg_connection postgres)"

configuration="${CONFIGURATION:-Release}"
passed=0; failed=0
if ! dotnet build ControlPanel.sln -c "$configuration" -nologo -v quiet; then
  echo "0 passed, 1 failed"
  exit 1
fi

# Style is the formatter's (.editorconfig: whitespace, import order, code style): a change it would make counts as one failure.
echo "== dotnet format --verify-no-changes"
if dotnet format ControlPanel.sln --verify-no-changes --no-restore; then
  passed=$((passed + 1))
else
  echo "   run: dotnet format ControlPanel.sln"
  failed=$((failed + 1))
fi

results=$(mktemp -d)
for project in tests/ControlPanel.Domain.Tests tests/ControlPanel.Api.Tests tests/ControlPanel.Components.Tests tests/ControlPanel.Browser.Tests; do
  echo "== $project"
  name=$(basename "$project")
  dotnet test "$project" -c "$configuration" --no-build -nologo --logger "trx;LogFileName=$results/$name.trx"
  status=$?
  # Counted from the run's TRX report (the test platform's own tally), not from console text.
  counters=$(grep -o '<Counters [^>]*>' "$results/$name.trx" 2>/dev/null | head -n 1)
  if [ -z "$counters" ]; then
    echo "   $project did not report results: counted as one failure"
    failed=$((failed + 1))
    continue
  fi
  count() { sed -E "s/.* $1=\"([0-9]+)\".*/\1/" <<<"$counters"; }
  p=$(count passed)
  # Everything executed that did not pass failed (errors, timeouts and aborts included).
  f=$(( $(count executed) - p ))
  # A run that failed without a failed test (the test host crashed, say) still counts as one failure.
  if [ "$status" -ne 0 ] && [ "$f" -eq 0 ]; then f=1; fi
  passed=$((passed + p)); failed=$((failed + f))
done
rm -rf "$results"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
