#!/usr/bin/env bash
# npm run dkr-start: build the image, then run it detached on http://127.0.0.1:$DKR_PORT (3000),
# metrics on http://127.0.0.1:$DKR_METRICS_PORT/metrics (9464), with a read-only root
# filesystem, no capabilities and no-new-privileges, and wait until /readyz answers.
# Networking (DKR_NETWORK, auto-detected): 'publish' -p 127.0.0.1:PORT:3000, app on 0.0.0.0
# inside; 'host' shares the host network, app binds 127.0.0.1:PORT (engines without a bridge).
source "$(dirname "$0")/lib.sh"
require_engine

[ "${DKR_SKIP_BUILD:-0}" = 1 ] || bash scripts/container/build.sh

"$DOCKER" rm -f "$DKR_NAME" >/dev/null 2>&1 || true

mode="$(dkr_network)"
# As the Kubernetes manifests run it: no capabilities at all, no privilege gain via exec.
run_args=(-d --name "$DKR_NAME" --read-only --stop-timeout 30 --cap-drop ALL --security-opt no-new-privileges
  -e "INSTANCE_ID=${INSTANCE_ID:-$DKR_NAME}"
  --label io.does-it-scale.role=single)
for var in "${SERVICE_ENV_VARS[@]}"; do
  [ -n "${!var:-}" ] && run_args+=(-e "$var=${!var}")
done
if [ "$mode" = host ]; then
  run_args+=(--network host -e HOST=127.0.0.1 -e "PORT=$DKR_PORT" -e "METRICS_PORT=$DKR_METRICS_PORT")
else
  run_args+=(-p "127.0.0.1:$DKR_PORT:3000" -p "127.0.0.1:$DKR_METRICS_PORT:9464")
fi

"$DOCKER" run "${run_args[@]}" "$IMAGE_NAME:$IMAGE_VERSION" >/dev/null
say "started container $DKR_NAME ($mode networking), waiting for http://127.0.0.1:$DKR_PORT/readyz"
wait_container_ready "$DKR_NAME" "http://127.0.0.1:$DKR_PORT" "${INSTANCE_ID:-$DKR_NAME}" 60 \
  || die "the container $DKR_NAME did not become ready; logs above. Remove it with: npm run dkr-stop"
say "ready: http://127.0.0.1:$DKR_PORT, metrics http://127.0.0.1:$DKR_METRICS_PORT/metrics  (npm run dkr-test, then npm run dkr-stop)"
