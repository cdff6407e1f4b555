#!/usr/bin/env bash
# The container tier, for real: what CI runs (.ci/run) and what anyone can run by hand on a
# Debian/Ubuntu box as root:   CI=true bash scripts/container/ci.sh
# Installs Debian's docker.io, starts an engine without bridge or iptables changes (or reuses a
# running one), builds stand-ins of the official node/nginx images (no registry reachable),
# builds the project image with the unchanged Dockerfile, then runs what users run:
# dkr-start / dkr-test / dkr-stop and the gateway rehearsal; checks non-root, read-only root fs,
# no capabilities and no-new-privileges, no setuid/setgid file, health, image contents and stop
# time; measures memory under the heaviest request. Cleans up
# (containers, images, build cache, the engine it started) on success and on failure.
set -euo pipefail
cd "$(dirname "$0")/../.."
tier_started=$SECONDS
STEP_TIER=container
source scripts/lib/steps.sh

# Before lib.sh: it picks the BuildKit-capable client, which exists only after the install.
step "install docker.io" bash scripts/container/engine.sh install
source scripts/container/lib.sh
export DKR_NETWORK=host # the CI engine has no bridge: containers share the host's loopback
ONE_CPU_NAME="$DKR_NAME-one-cpu" # the --cpus 1 check's container

cleanup() {
  local rc=$? cleanup_started=$SECONDS
  set +e
  [ "$rc" = 0 ] || echo "== container: FAILED (exit $rc); cleaning up"
  if "$DOCKER" info >/dev/null 2>&1; then
    bash scripts/container/gateway.sh stop >/dev/null 2>&1
    bash scripts/container/stop.sh >/dev/null 2>&1
    "$DOCKER" rm -f "$ONE_CPU_NAME" >/dev/null 2>&1
    # Only this project's images, then dangling layers and the build cache.
    "$DOCKER" image ls --format '{{.Repository}}:{{.Tag}}' \
      | grep -E "^($IMAGE_NAME|$IMAGE_NAME-gateway|does-it-scale/[a-z-]+-standin):" \
      | xargs -r "$DOCKER" image rm -f >/dev/null
    "$DOCKER" image prune -f >/dev/null
    "$DOCKER" builder prune -af >/dev/null
  fi
  bash scripts/container/engine.sh stop
  STEPS+=("$(printf '%-40s %4ss' "clean up, stop engine" "$((SECONDS - cleanup_started))")")
  summary
  exit "$rc"
}

summary() {
  echo
  echo "== container tier summary ($(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo))"
  printf '  %s\n' "${STEPS[@]}"
  [ -n "${IMAGE_BYTES:-}" ] && awk -v i="$IMAGE_BYTES" -v b="$BASE_BYTES" -v iname="$IMAGE_NAME:$IMAGE_VERSION" -v bn="$NODE_IMAGE" \
    'BEGIN { printf "  image %s: %.0f MB (base %s: %.0f MB, so the app adds %.0f MB)\n", iname, i / 1e6, bn, b / 1e6, (i - b) / 1e6 }'
  [ -n "${STOP_SECONDS:-}" ] && echo "  docker stop: $STOP_SECONDS s, exit code $STOP_EXIT"
  echo "  container tier: $((SECONDS - tier_started)) s"
}
trap cleanup EXIT

step "start engine" bash scripts/container/engine.sh start

step "stand-in base images" bash scripts/container/standin.sh
NODE_MAJOR="$(node -p 'process.versions.node.split(".")[0]')"
export NODE_IMAGE="does-it-scale/node-standin:${NODE_MAJOR}-bookworm"
export NGINX_IMAGE="does-it-scale/nginx-standin:bookworm"
say "CI builds FROM $NODE_IMAGE (this machine's Node $(node --version)); users get the Dockerfile's official image"

step "npm run docker-build" npm run --silent docker-build
IMAGE_BYTES="$("$DOCKER" image inspect --format '{{.Size}}' "$IMAGE_NAME:$IMAGE_VERSION")"
BASE_BYTES="$("$DOCKER" image inspect --format '{{.Size}}' "$NODE_IMAGE")"

step "npm run dkr-start" npm run --silent dkr-start
step "npm run dkr-test" npm run --silent dkr-test

check_container() {
  local user uid ro health
  user="$("$DOCKER" inspect --format '{{.Config.User}}' "$DKR_NAME")"
  uid="$("$DOCKER" exec "$DKR_NAME" id -u)"
  ro="$("$DOCKER" inspect --format '{{.HostConfig.ReadonlyRootfs}}' "$DKR_NAME")"
  if [ "$uid" = 0 ] || [ "$user" != "1000:1000" ]; then
    die "container runs as uid $uid (image USER '$user'), expected 1000:1000"
  fi
  [ "$ro" = true ] || die "root filesystem is not read-only"
  "$DOCKER" exec "$DKR_NAME" sh -c 'touch /app/probe 2>/dev/null' && die "the app could write to its root filesystem"
  say "runs as uid $uid (USER $user), read-only root fs: writes refused"
  [ "$("$DOCKER" exec "$DKR_NAME" printenv NODE_ENV)" = production ] || die "NODE_ENV is not production"
  # Nothing but compiled code and production dependencies.
  local leftovers
  leftovers="$("$DOCKER" exec "$DKR_NAME" sh -c 'cd /app; ls -d src test tsconfig*.json .env .git node_modules/typescript node_modules/jest node_modules/.bin/tsc /usr/local/bin/npm /usr/bin/apt-get /usr/bin/apt /var/lib/apt 2>/dev/null; find /app -name "*.map"' || true)"
  [ -z "$leftovers" ] || die "image contains what it should not: $leftovers"
  say "image holds dist/, production node_modules and package.json only; NODE_ENV=production; no npm, no apt, no source maps"
  for _ in $(seq 1 60); do
    health="$("$DOCKER" inspect --format '{{.State.Health.Status}}' "$DKR_NAME")"
    [ "$health" = healthy ] && break
    [ "$health" = unhealthy ] && die "HEALTHCHECK says unhealthy"
    sleep 1
  done
  [ "$health" = healthy ] || die "HEALTHCHECK not healthy after 60 s (status: $health)"
  say "HEALTHCHECK: healthy"
}
step "non-root, read-only, health" check_container

# Run as the Kubernetes manifests run it: all capabilities dropped and no-new-privileges, in
# the container's configuration and as the kernel sees it (PID 1 and a process exec'd beside it).
check_privileges() {
  local container="$1" cap_drop security_opt pid status
  cap_drop="$("$DOCKER" inspect --format '{{json .HostConfig.CapDrop}}' "$container")"
  security_opt="$("$DOCKER" inspect --format '{{json .HostConfig.SecurityOpt}}' "$container")"
  [[ "$cap_drop" == *'"ALL"'* ]] || die "$container: CapDrop is $cap_drop, expected [\"ALL\"]"
  [[ "$security_opt" == *'"no-new-privileges"'* || "$security_opt" == *'"no-new-privileges:true"'* ]] \
    || die "$container: SecurityOpt is $security_opt, expected no-new-privileges"
  for pid in 1 self; do
    status="$("$DOCKER" exec "$container" cat "/proc/$pid/status")"
    grep -Eq '^CapBnd:[[:space:]]+0{16}$' <<<"$status" \
      || die "$container: /proc/$pid/status has $(grep '^CapBnd' <<<"$status"), expected an empty bounding set"
    grep -Eq '^NoNewPrivs:[[:space:]]+1$' <<<"$status" \
      || die "$container: /proc/$pid/status has $(grep '^NoNewPrivs' <<<"$status"), expected 1"
  done
  say "$container: CapDrop $cap_drop, SecurityOpt $security_opt; PID 1 and an exec'd process: CapBnd 0, NoNewPrivs 1"
}
step "dkr-start: no capabilities" check_privileges "$DKR_NAME"

# No setuid/setgid file or directory anywhere in the image (looked for as root, so nothing is hidden).
check_no_setuid() {
  local found
  found="$("$DOCKER" run --rm --user 0:0 --network none --entrypoint find "$IMAGE_NAME:$IMAGE_VERSION" / -xdev -perm /6000)"
  [ -z "$found" ] || die "setuid/setgid paths left in the image: $(tr '\n' ' ' <<<"$found")"
  say "find / -xdev -perm /6000: nothing"
}
step "image: no setuid/setgid" check_no_setuid

step "memory under GET /prime/MAX_N" npx tsx scripts/container/measure-memory.ts

# With no POOL_SIZE the pool is sized from the CPU the container may use: --cpus 1 on this
# machine's cores must give one worker thread, from the cgroup quota. The "listening" line
# and the metrics (pool_size_info{source}, pool_threads) must both say so.
check_one_cpu() {
  local port=$((DKR_PORT + 11)) metrics_port=$((DKR_METRICS_PORT + 11)) line logs metrics args
  "$DOCKER" rm -f "$ONE_CPU_NAME" >/dev/null 2>&1 || true
  args=(-d --name "$ONE_CPU_NAME" --read-only --cap-drop ALL --security-opt no-new-privileges --cpus 1 -e "INSTANCE_ID=$ONE_CPU_NAME" -e LOG_LEVEL=info)
  if [ "$(dkr_network)" = host ]; then
    args+=(--network host -e HOST=127.0.0.1 -e "PORT=$port" -e "METRICS_PORT=$metrics_port")
  else
    args+=(-p "127.0.0.1:$port:3000" -p "127.0.0.1:$metrics_port:9464")
  fi
  "$DOCKER" run "${args[@]}" "$IMAGE_NAME:$IMAGE_VERSION" >/dev/null
  wait_container_ready "$ONE_CPU_NAME" "http://127.0.0.1:$port" "$ONE_CPU_NAME" 60 || die "the --cpus 1 container did not become ready"
  logs="$("$DOCKER" logs "$ONE_CPU_NAME" 2>/dev/null || true)"
  line="$(grep -m 1 '"msg":"listening"' <<<"$logs" || true)"
  metrics="$(node -e 'fetch(process.argv[1]).then((r) => r.text()).then((t) => process.stdout.write(t), () => process.exit(1))' "http://127.0.0.1:$metrics_port/metrics" || true)"
  "$DOCKER" rm -f "$ONE_CPU_NAME" >/dev/null
  node -e '
    const [lineText, metrics] = process.argv.slice(1);
    const line = JSON.parse(lineText || "{}");
    const problems = [];
    if (line.poolSize !== 1 || line.poolSizeSource !== "cgroup") problems.push(`the listening line says poolSize ${line.poolSize} from ${line.poolSizeSource}`);
    if (!/^pool_size_info\{source="cgroup"\} 1$/m.test(metrics)) problems.push("no pool_size_info{source=\"cgroup\"} 1 in the metrics");
    if (!/^pool_threads 1$/m.test(metrics)) problems.push("pool_threads is not 1");
    if (problems.length) {
      console.error(`[container] ERROR: --cpus 1 without POOL_SIZE should give one thread from the cgroup quota: ${problems.join("; ")}`);
      process.exit(1);
    }' "$line" "$metrics"
  say "--cpus 1 on $(nproc) cores, no POOL_SIZE: poolSize 1 from the cgroup quota (log line and pool_size_info{source=\"cgroup\"}, pool_threads 1)"
  # The image runs the engine's WebAssembly kernel, not the TypeScript fallback: the start-up
  # line of each engine job and the metric must both say wasm.
  node -e '
    const [logs, metrics] = process.argv.slice(1);
    const lines = logs.split("\n").filter((l) => l.includes("\"msg\":\"job configured\"")).map((l) => JSON.parse(l));
    const problems = [];
    if (lines.length === 0 || lines.some((l) => l.kernel !== "wasm")) problems.push(`the job configured lines say kernel ${lines.map((l) => l.kernel).join(", ") || "(none)"}`);
    if (!/^engine_kernel_info\{kernel="wasm"\} 1$/m.test(metrics)) problems.push("no engine_kernel_info{kernel=\"wasm\"} 1 in the metrics");
    if (problems.length) {
      console.error(`[container] ERROR: the image should run the WebAssembly kernel: ${problems.join("; ")}`);
      process.exit(1);
    }' "$logs" "$metrics"
  say "the engine runs its WebAssembly kernel (job configured lines and engine_kernel_info{kernel=\"wasm\"})"
}
step "--cpus 1: one worker thread, the WebAssembly kernel" check_one_cpu

STOP_LOG="$(mktemp)"
step "npm run dkr-stop" bash -c "set -o pipefail; npm run --silent dkr-stop | tee '$STOP_LOG'"
STOP_SECONDS="$(sed -n 's/.* in \([0-9.]*\) s (exit code.*/\1/p' "$STOP_LOG")"
STOP_EXIT="$(sed -n 's/.*(exit code \([0-9]*\)).*/\1/p' "$STOP_LOG")"
rm -f "$STOP_LOG"
[ "$STOP_EXIT" = 0 ] || die "the container exited with $STOP_EXIT on docker stop (137 = killed after the grace period)"
awk -v s="$STOP_SECONDS" 'BEGIN { exit !(s < 5) }' \
  || die "docker stop took $STOP_SECONDS s: SIGTERM is not handled promptly (grace 25 s, docker waits 30 s)"

export DKR_SKIP_BUILD=1 # the image was just built
step "npm run gw-start" npm run --silent gw-start
check_gateway_privileges() {
  local container
  for container in dis-gw-replica-1 dis-gw-replica-2 dis-gw-replica-3 dis-gw-nginx; do check_privileges "$container"; done
}
step "gateway: no capabilities" check_gateway_privileges
step "npm run gw-test" npm run --silent gw-test
# A real Prometheus scrapes the three replicas while load goes through the gateway (the
# Prometheus tier in .ci/run installed it and checked the rules; this tier owns Docker).
step "prometheus: scrape the 3 replicas" bash scripts/prometheus/ci.sh --gateway-running
step "npm run gw-stop" npm run --silent gw-stop

say "container tier passed"
