#!/usr/bin/env bash
# The local gateway rehearsal: 3 replicas of the image behind nginx, all on loopback with host
# networking (replicas 127.0.0.1:3101-3103, gateway http://127.0.0.1:8088).
#   gateway.sh start   build both images, start everything, wait until all answer (npm run gw-start)
#   gateway.sh test    the rehearsal test against the running gateway      (npm run gw-test)
#   gateway.sh stop    stop and remove the containers                      (npm run gw-stop)
# NGINX_IMAGE=... overrides the gateway's base (CI passes its Debian stand-in); NODE_IMAGE as
# for docker-build. Needs an engine with host networking (Linux; Docker Desktop 4.34+ with
# host networking turned on).
source "$(dirname "$0")/lib.sh"

GATEWAY_URL="http://127.0.0.1:8088"
COMPOSE_FILE="docker/gateway/compose.yml"
export DIS_IMAGE="$IMAGE_NAME:$IMAGE_VERSION"
export GW_IMAGE="$IMAGE_NAME-gateway:$IMAGE_VERSION"

compose() {
  if "$DOCKER" compose version >/dev/null 2>&1; then
    "$DOCKER" compose -p dis-gw -f "$COMPOSE_FILE" "$@"
  elif command -v docker-compose >/dev/null 2>&1; then
    docker-compose -p dis-gw -f "$COMPOSE_FILE" "$@"
  else
    die "needs docker compose (v2 plugin) or docker-compose (Debian: apt-get install docker-compose)"
  fi
}

start() {
  require_engine
  [ "${DKR_SKIP_BUILD:-0}" = 1 ] || bash scripts/container/build.sh
  local args=()
  [ -n "${NGINX_IMAGE:-}" ] && args+=(--build-arg "NGINX_IMAGE=$NGINX_IMAGE")
  [ "$(dkr_network)" = host ] && args+=(--network host)
  say "building $GW_IMAGE${NGINX_IMAGE:+ from $NGINX_IMAGE}"
  "$DOCKER" build -q "${args[@]}" -t "$GW_IMAGE" docker/gateway >/dev/null
  compose up -d --force-recreate
  local port instance
  for instance in replica-1 replica-2 replica-3; do
    port="$("$DOCKER" inspect --format '{{index .Config.Labels "io.does-it-scale.port"}}' "dis-gw-$instance")"
    wait_container_ready "dis-gw-$instance" "http://127.0.0.1:$port" "$instance" 60 || die "$instance did not become ready"
  done
  wait_http_ok "$GATEWAY_URL/gateway/healthz" 30 || { compose logs --tail 20 gateway >&2; die "the gateway did not answer"; }
  say "gateway ready: $GATEWAY_URL -> 127.0.0.1:3101-3103  (npm run gw-test, then npm run gw-stop)"
}

run_test() {
  require_engine
  wait_http_ok "$GATEWAY_URL/gateway/healthz" 5 || die "no gateway on $GATEWAY_URL: run 'npm run gw-start' first"
  GATEWAY_URL="$GATEWAY_URL" npm test -- test/container/gateway.test.ts "$@"
}

stop() {
  require_engine
  local started; started="$(now)"
  compose down --remove-orphans --timeout 30
  say "gateway rehearsal stopped in $(elapsed_since "$started") s"
}

# Used by npm run scale-report: the gateway with only replicas 1..N running, the others
# stopped (nginx skips a refused replica for its fail_timeout). Needs the images: gw-start once.
replicas() {
  require_engine
  local count="${1:-}" i services=(gateway)
  [[ "$count" =~ ^[1-3]$ ]] || die "usage: $0 replicas N (N = 1..3)"
  for ((i = 1; i <= count; i++)); do services+=("replica-$i"); done
  compose up -d --no-deps "${services[@]}"
  for ((i = count + 1; i <= 3; i++)); do compose stop --timeout 30 "replica-$i" >/dev/null 2>&1 || true; done
  for ((i = 1; i <= count; i++)); do
    wait_ready "http://127.0.0.1:310$i" "replica-$i" 60 || { compose logs --tail 20 >&2; die "replica-$i did not become ready"; }
  done
  wait_http_ok "$GATEWAY_URL/gateway/healthz" 30 || die "the gateway did not answer"
  say "gateway ready with $count replica(s): $GATEWAY_URL"
}

case "${1:-}" in
  start) start ;;
  replicas) shift; replicas "$@" ;;
  test) shift; run_test "$@" ;;
  stop) stop ;;
  *) echo "usage: $0 start|test|stop|replicas N" >&2; exit 2 ;;
esac
