#!/usr/bin/env bash
# npm run dkr-stop: stop (SIGTERM, graceful drain) and remove the dkr-start container.
source "$(dirname "$0")/lib.sh"
require_engine

if ! "$DOCKER" container inspect "$DKR_NAME" >/dev/null 2>&1; then
  say "no container named $DKR_NAME: nothing to stop"
  exit 0
fi
started="$(now)"
"$DOCKER" stop "$DKR_NAME" >/dev/null
say "stopped $DKR_NAME in $(elapsed_since "$started") s (exit code $("$DOCKER" inspect --format '{{.State.ExitCode}}' "$DKR_NAME"))"
"$DOCKER" rm "$DKR_NAME" >/dev/null
