#!/usr/bin/env bash
# npm run eks-test: the scaling test against the EKS cluster. Drives load through the
# gateway's load balancer and records pods and nodes scaling up and back down
# (tools/scaling/run.ts; settings in docs/eks.md). Takes 20-40 minutes with the defaults.
source "$(dirname "$0")/lib.sh"

eks_require_tools node kubectl
eks_load_settings
eks_require_reachable_cluster
kc -n "$APP_NAMESPACE" get hpa "$APP_DEPLOYMENT" >/dev/null 2>&1 ||
  k8s_die "the service is not deployed on $EKS_CONTEXT: run npm run eks-start-cloud first"

if [ -z "${SCALE_TEST_GATEWAY_URL:-}" ]; then
  host="$(eks_gateway_hostname 60)"
  SCALE_TEST_GATEWAY_URL="http://$host"
fi
export SCALE_TEST_GATEWAY_URL
export SCALE_TEST_KUBE_CONTEXT="${SCALE_TEST_KUBE_CONTEXT:-$EKS_CONTEXT}"
export SCALE_TEST_NAMESPACE="${SCALE_TEST_NAMESPACE:-$APP_NAMESPACE}"
export SCALE_TEST_HPA="${SCALE_TEST_HPA:-$APP_DEPLOYMENT}"
# On EKS the node count must change too: fail if it does not.
export SCALE_TEST_EXPECT_NODE_SCALING="${SCALE_TEST_EXPECT_NODE_SCALING:-true}"

k8s_say "Scaling test through $SCALE_TEST_GATEWAY_URL (context $SCALE_TEST_KUBE_CONTEXT)"
exec "$EKS_TSX" tools/scaling/run.ts
