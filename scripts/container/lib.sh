# shellcheck shell=bash
# Shared helpers for scripts/container/*.sh. Source it; do not run it.
# Every script cds to the repository root so it works from any directory.

set -euo pipefail
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$REPO_ROOT"

IMAGE_NAME="$(node -p "require('./package.json').name")"
IMAGE_VERSION="$(node -p "require('./package.json').version")"

say() { printf '[container] %s\n' "$*"; }
die() { printf '[container] ERROR: %s\n' "$*" >&2; exit 1; }

# The Docker client. On Debian's docker.io the BuildKit-capable client is /usr/bin/docker;
# some machines also have a newer client in /usr/local/bin without the buildx plugin,
# which refuses DOCKER_BUILDKIT=1. Prefer whichever `docker` can build with BuildKit.
pick_docker() {
  if [ -n "${DOCKER:-}" ]; then return; fi
  if command -v docker >/dev/null 2>&1 && docker buildx version >/dev/null 2>&1; then
    DOCKER=docker
  elif [ -x /usr/bin/docker ]; then
    DOCKER=/usr/bin/docker
  elif command -v docker >/dev/null 2>&1; then
    DOCKER=docker
  else
    DOCKER=docker # none installed: require_engine says how to get one
  fi
}
pick_docker
export DOCKER DOCKER_BUILDKIT=1

require_engine() {
  command -v "$DOCKER" >/dev/null 2>&1 \
    || die "no docker client found. Install Docker (https://docs.docker.com/get-docker/) or, on Debian, 'apt-get install docker.io'."
  "$DOCKER" info >/dev/null 2>&1 \
    || die "no Docker engine answers ('$DOCKER info' failed). Start Docker Desktop / the docker service, or on a Linux CI box run 'bash scripts/container/engine.sh start'."
}

# Network mode for builds and runs. 'publish' (default, Docker Desktop and normal engines):
# the app binds 0.0.0.0 inside the container and -p publishes it on 127.0.0.1.
# 'host': the container shares the host's network and the app binds 127.0.0.1 itself;
# needed on engines started without a bridge (CI here). Auto-detected when DKR_NETWORK is unset.
dkr_network() {
  if [ -n "${DKR_NETWORK:-}" ]; then
    case "$DKR_NETWORK" in publish|host) echo "$DKR_NETWORK" ;; *) die "DKR_NETWORK must be 'publish' or 'host', got '$DKR_NETWORK'" ;; esac
  elif "$DOCKER" network inspect bridge >/dev/null 2>&1; then
    echo publish
  else
    echo host
  fi
}

# Value of KEY: the environment wins (as with dotenv), else the line KEY=... in $ENV_FILE (.env).
# Parsed, never sourced: .env is data, not a shell script.
ENV_FILE="${ENV_FILE:-.env}"
env_get() {
  local key="$1" value
  value="${!key:-}"
  if [ -z "$value" ] && [ -f "$ENV_FILE" ]; then
    # KEY=value, optional 'export ', optional quotes, optional trailing ' # comment'.
    value="$(sed -n "s/^[[:space:]]*\(export[[:space:]]\+\)\{0,1\}${key}[[:space:]]*=[[:space:]]*//p" "$ENV_FILE" \
      | tail -n 1 | sed -e 's/[[:space:]]\+#.*$//' -e 's/[[:space:]]*$//')"
    value="${value%\"}"; value="${value#\"}"; value="${value%\'}"; value="${value#\'}"
  fi
  printf '%s' "$value"
}

# env_require KEY PURPOSE: the value, or a clear message naming the file and the key.
env_require() {
  local key="$1" purpose="$2" value
  value="$(env_get "$key")"
  if [ -z "$value" ]; then
    if [ ! -f "$ENV_FILE" ]; then
      die "$purpose needs $key, but there is no $ENV_FILE file. Copy .env.example to $ENV_FILE and set $key (see docs/container.md)."
    fi
    die "$purpose needs $key, which is not set in $ENV_FILE (or the environment). See the ECR section of .env.example."
  fi
  printf '%s' "$value"
}

# Wait until URL answers 2xx, at most SECONDS_MAX seconds. Uses node (every user has it).
wait_http_ok() {
  local url="$1" seconds_max="${2:-30}"
  node -e '
    const [url, max] = [process.argv[1], Number(process.argv[2])];
    const deadline = Date.now() + max * 1000;
    (async () => {
      while (Date.now() < deadline) {
        try { const r = await fetch(url, { signal: AbortSignal.timeout(1000) }); if (r.ok) return; } catch {}
        await new Promise((r) => setTimeout(r, 200));
      }
      console.error(`[container] ${url} did not answer 2xx within ${max}s`);
      process.exit(1);
    })();
  ' "$url" "$seconds_max"
}

# The single container of `npm run dkr-start` and the ports it answers on.
DKR_NAME="${DKR_NAME:-$IMAGE_NAME}"
DKR_PORT="${DKR_PORT:-3000}"
# Its metrics listener (the image's METRICS_PORT, 9464), published on this loopback port.
DKR_METRICS_PORT="${DKR_METRICS_PORT:-9464}"

# The service's own settings that dkr-start / the gateway pass into containers when set here.
SERVICE_ENV_VARS=(POOL_SIZE QUEUE_SIZE MAX_N REQUEST_TIMEOUT_MS SHUTDOWN_GRACE_MS CACHE_SIZE INLINE_MAX_N SPLIT_MIN_N LOG_LEVEL)

# Wait until URL/readyz answers 2xx with body.instance == INSTANCE (so another process on the
# same port cannot pass for the container). At most SECONDS_MAX seconds.
wait_ready() {
  local base_url="$1" instance="$2" seconds_max="${3:-60}"
  node -e '
    const [url, instance, max] = [process.argv[1] + "/readyz", process.argv[2], Number(process.argv[3])];
    const deadline = Date.now() + max * 1000;
    let last = "no answer";
    (async () => {
      while (Date.now() < deadline) {
        try {
          const r = await fetch(url, { signal: AbortSignal.timeout(1000) });
          const body = await r.json().catch(() => ({}));
          if (r.ok && body.instance === instance) return;
          last = `HTTP ${r.status}, instance ${JSON.stringify(body.instance)}`;
        } catch (e) { last = e.cause?.code ?? e.message; }
        await new Promise((r) => setTimeout(r, 250));
      }
      console.error(`[container] ${url} not ready as instance ${instance} within ${max}s (last: ${last})`);
      process.exit(1);
    })();
  ' "$base_url" "$instance" "$seconds_max"
}

# wait_ready for a container: also gives up at once, showing its last log lines, if the
# container exits (bad config, port in use...). Returns non-zero on failure.
wait_container_ready() {
  local container="$1" base_url="$2" instance="$3" seconds_max="${4:-60}" i
  for ((i = 0; i < seconds_max; i++)); do
    if [ "$("$DOCKER" inspect --format '{{.State.Running}}' "$container" 2>/dev/null)" != true ]; then
      "$DOCKER" logs --tail 30 "$container" >&2 || true
      say "$container is not running (exit code $("$DOCKER" inspect --format '{{.State.ExitCode}}' "$container" 2>/dev/null))" >&2
      return 1
    fi
    wait_ready "$base_url" "$instance" 1 2>/dev/null && return 0
  done
  "$DOCKER" logs --tail 30 "$container" >&2 || true
  say "$container: $base_url/readyz did not answer as $instance within ${seconds_max}s" >&2
  return 1
}

# Seconds (3 decimals) since an earlier $(now) value.
now() { date +%s.%N; }
elapsed_since() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.3f", b - a }'; }
