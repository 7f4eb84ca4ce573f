#!/usr/bin/env bash
# Rotates an application's keys through the ControlPanel management API:
#   1. notes the key pairs live now,
#   2. rotates with a 1-hour grace period (the old pairs keep working for that hour),
#   3. stores the new pair in a file only you can read (hand it to your secret manager instead),
#   4. checks the new pair with /api/v1/verify,
#   5. revokes the old pairs, ending their grace period early now that the new pair works.
#
# Needs curl (7.76 or later) and jq. Usage:
#   CONTROLPANEL_URL=https://controlpanel.example.com CONTROLPANEL_TOKEN=cpat_… \
#     ./rotate-keys.sh APPLICATION-ID [FILE-FOR-THE-NEW-KEYS]
# The token is an access token with the "Read and write" scope (Access tokens page).
set -euo pipefail

url="${CONTROLPANEL_URL:?Set CONTROLPANEL_URL to the address of the control panel}"
token="${CONTROLPANEL_TOKEN:?Set CONTROLPANEL_TOKEN to an access token (read and write)}"
application="${1:?Give the id of the application}"
keys_file="${2:-new-keys.json}"
manage="${url%/}/api/v1/manage/applications/$application"

# Every refusal answers the error body {"Error", "Description", "extraInfo"}: print it and stop.
api() {
  local answer
  if ! answer=$(curl --silent --show-error --fail-with-body \
    -H "Authorization: Bearer $token" -H "Content-Type: application/json" "$@"); then
    echo "ControlPanel refused the call: $answer" >&2
    return 1
  fi
  printf '%s\n' "$answer"
}

old_pairs=$(api "$manage/keys" | jq -r '.[] | select(.isLive) | .id')

# curl retries timeouts, 429 and 5xx answers; the Idempotency-Key makes that safe: a retried rotate answers the
# same new pair instead of rotating again (for an hour, AccessTokens:IdempotencyWindow).
idempotency_key="rotate-$application-$(date -u +%Y%m%dT%H%M%SZ)"
new_pair=$(api --retry 3 -X POST -H "Idempotency-Key: $idempotency_key" \
  -d '{"grace": "OneHour"}' "$manage/keys/rotate")

(umask 077 && jq '{keyPairId, applicationKey, consumerKey}' <<<"$new_pair" >"$keys_file")
echo "Stored the new key pair in $keys_file"

valid=$(jq '{applicationKey, consumerKey}' "$keys_file" |
  curl --silent --show-error --fail-with-body -H "Content-Type: application/json" -d @- "${url%/}/api/v1/verify" |
  jq -r '.valid')
if [ "$valid" != "true" ]; then
  echo "The new key pair does not verify; the old pairs stay live until the grace period ends." >&2
  exit 1
fi
echo "The new key pair verifies"

for pair in $old_pairs; do
  api -X DELETE "$manage/keys/$pair"
  echo "Revoked key pair $pair"
done
