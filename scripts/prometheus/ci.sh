#!/usr/bin/env bash
# The Prometheus tier, for real: what CI runs (.ci/run, and scripts/container/ci.sh for the
# gateway replicas) and what anyone can run by hand (as root for the install):
#   bash scripts/prometheus/ci.sh                     rules + a real Prometheus scraping the service
#   bash scripts/prometheus/ci.sh --gateway           ... and then the 3 replicas of the gateway
#                                                     rehearsal (started and stopped here, under
#                                                     flock /tmp/docker.lock)
#   bash scripts/prometheus/ci.sh --gateway-running   rules + the replicas of a rehearsal that is
#                                                     already up (npm run gw-start); no service run
#   ... --png docs/img/dashboard.png                  also draw the dashboard from the first run
# Steps: install Debian's prometheus (2.42, with promtool) if absent; `promtool check rules` and
# `promtool test rules` (test/prometheus/*.test.yaml) on the PrometheusRule's spec; then
# tools/prometheus/live.ts, which checks its config with `promtool check config`, starts a Prometheus on 127.0.0.1
# (own port and data dir, 1 s scrapes), drives load, evaluates every shipped query, and stops
# everything it started.
set -euo pipefail
cd "$(dirname "$0")/../.."
tier_started=$SECONDS
STEP_TIER=prometheus
source scripts/lib/steps.sh

say() { printf '[prometheus] %s\n' "$*"; }
die() { printf '[prometheus] ERROR: %s\n' "$*" >&2; exit 1; }

gateway=none
png_args=()
while [ $# -gt 0 ]; do
  case "$1" in
    --gateway) gateway=start; shift ;;
    --gateway-running) gateway=running; shift ;;
    --png) [ -n "${2:-}" ] || die "--png needs a file"; png_args=(--png "$2"); shift 2 ;;
    *) die "unknown argument '$1' (usage: ci.sh [--gateway | --gateway-running] [--png FILE])" ;;
  esac
done

install_prometheus() {
  if command -v prometheus >/dev/null 2>&1 && command -v promtool >/dev/null 2>&1; then
    say "already installed: $(prometheus --version 2>&1 | head -n 1)"
    return
  fi
  [ "$(id -u)" = 0 ] || die "prometheus is not installed: run as root, or 'apt-get install prometheus' first"
  # Other jobs on the machine may hold the dpkg lock: wait for it instead of failing.
  apt-get -o DPkg::Lock::Timeout=300 update -qq
  # No recommends: node-exporter and friends are not needed. No systemd here: nothing starts.
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends prometheus >/dev/null
  say "installed: $(prometheus --version 2>&1 | head -n 1)"
}

WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

rules() {
  # The PrometheusRule's spec is a plain rules document: promtool reads it as it ships.
  npx tsx tools/prometheus/rules-file.ts >"$WORK/rules.yaml"
  cp test/prometheus/*.test.yaml "$WORK/"
  promtool check rules "$WORK/rules.yaml"
  (cd "$WORK" && promtool test rules ./*.test.yaml)
}

live() {
  npx tsx tools/prometheus/live.ts "$@"
}

with_gateway() {
  # Docker is shared: hold the lock for the whole rehearsal, and always stop it again.
  flock /tmp/docker.lock bash -c '
    set -euo pipefail
    trap "npm run --silent gw-stop >/dev/null 2>&1 || true" EXIT
    npm run --silent gw-start
    npx tsx tools/prometheus/live.ts --targets gateway "$@"' with-gateway "$@"
}

step "install prometheus (Debian)" install_prometheus
step "promtool check rules, test rules" rules
if [ "$gateway" != running ]; then
  step "npm run build" npm run --silent build
  step "live: scraping the service" live --targets service "${png_args[@]}"
  png_args=()
fi
case "$gateway" in
  start) step "live: scraping 3 gateway replicas" with_gateway "${png_args[@]}" ;;
  running) step "live: scraping 3 gateway replicas" live --targets gateway "${png_args[@]}" ;;
esac

echo
echo "== prometheus tier summary"
printf '  %s\n' "${STEPS[@]}"
echo "  prometheus tier: $((SECONDS - tier_started)) s"
