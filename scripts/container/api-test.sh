#!/usr/bin/env bash
# npm run dkr-test: the one API suite (test/api) against the running dkr-start container
# (its metrics listener too).
source "$(dirname "$0")/lib.sh"
url="http://127.0.0.1:$DKR_PORT"
wait_ready "$url" "${INSTANCE_ID:-$DKR_NAME}" 5 \
  || die "no container answers as $DKR_NAME on $url: run 'npm run dkr-start' first"
say "API suite against $url"
API_BASE_URL="$url" API_METRICS_URL="http://127.0.0.1:$DKR_METRICS_PORT/metrics" npx jest test/api "$@"
