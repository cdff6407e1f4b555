#!/usr/bin/env bash
# npm run k8s-test: against the cluster k8s-start prepared (or K8S_CONTEXT's), through the gateway:
#   1. the API suite (test/api) with API_BASE_URL = the gateway's URL;
#   2. the load-balancing test (test/cluster): concurrent requests answered correctly by
#      at least 2 different pods (X-Instance-Id).
# The gateway is reached on 127.0.0.1: kind's port mapping, a port-forward, or K8S_GATEWAY_URL.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

k8s_require_tools node npm kubectl curl
k8s_require_reachable_context

# The load-balancing test needs the HPA's minReplicas pods ready. Right after k8s-start the
# Deployment may still have one pod until the HPA (every 15 s) raises it: wait for them.
kc -n "$APP_NAMESPACE" get deployment "$APP_DEPLOYMENT" -o name >/dev/null 2>&1 ||
  k8s_die "the service is not deployed on context $(k8s_context): run npm run k8s-start first"
need="$(kc -n "$APP_NAMESPACE" get hpa "$APP_DEPLOYMENT" -o jsonpath='{.spec.minReplicas}' 2>/dev/null || true)"
need="${need:-2}"
wait_s="${K8S_TEST_READY_TIMEOUT:-180}"
for ((waited = 0; ; waited += 2)); do
  ready="$(kc -n "$APP_NAMESPACE" get deployment "$APP_DEPLOYMENT" -o jsonpath='{.status.readyReplicas}')"
  ready="${ready:-0}"
  [ "$ready" -ge "$need" ] && break
  [ "$waited" -ge "$wait_s" ] &&
    k8s_die "only $ready pod(s) of the service are ready after ${wait_s} s; the tests need $need (HPA minReplicas). Check: kubectl --context $(k8s_context) -n $APP_NAMESPACE get pods,hpa (Pending pods: see npm run k8s-start's CPU check)"
  [ "$waited" -eq 0 ] && k8s_say "Waiting for $need ready pods of the service (now $ready; the HPA raises the Deployment to minReplicas)"
  sleep 2
done

trap k8s_stop_port_forward EXIT
k8s_open_gateway
k8s_wait_for_gateway 30

cd "$K8S_REPO_ROOT"
k8s_say "API suite through the gateway ($K8S_GATEWAY_URL)"
API_BASE_URL="$K8S_GATEWAY_URL" npm test -- test/api

k8s_say "Load balancing through the gateway ($ready pods ready)"
K8S_GATEWAY_URL="$K8S_GATEWAY_URL" npm test -- test/cluster
