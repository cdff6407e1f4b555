#!/usr/bin/env bash
# npm run k8s-start: a cluster running the service behind the Emissary gateway, with the
# HPA fed by metrics-server.
#   default        create (or reuse) the kind cluster "does-it-scale" and load the local image
#   K8S_CONTEXT=x  use the cluster of kubeconfig context x instead (kind, Docker Desktop,
#                  minikube, k3d...); its nodes must already have (or be able to pull) the image
# Steps: cluster -> image -> metrics-server -> Emissary CRDs -> Emissary -> the service -> wait.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

CONTEXT="$(k8s_context)"
KIND_NAME="$(k8s_kind_cluster_of "$CONTEXT")"

# --- Fail fast: check every prerequisite before creating anything. ---
k8s_require_tools node kubectl helm curl
IMAGE="$(k8s_app_image)"
if [ -z "${K8S_CONTEXT:-}" ] || [ -n "$KIND_NAME" ]; then
  k8s_require_tools kind docker
  docker info >/dev/null 2>&1 || k8s_die "Docker is not running (kind needs it): start Docker and retry"
  docker image inspect "$IMAGE" >/dev/null 2>&1 ||
    k8s_die "image $IMAGE not found locally: build it with npm run docker-build, then retry"
fi
if [ -n "${K8S_CONTEXT:-}" ]; then
  k8s_require_reachable_context
fi

# --- Cluster ---
if [ -z "${K8S_CONTEXT:-}" ]; then
  if kind get clusters 2>/dev/null | grep -qx "$KIND_CLUSTER_NAME"; then
    k8s_say "Reusing kind cluster $KIND_CLUSTER_NAME"
  else
    k8s_say "Creating kind cluster $KIND_CLUSTER_NAME ($KIND_NODE_IMAGE)"
    kind create cluster --name "$KIND_CLUSTER_NAME" --image "$KIND_NODE_IMAGE" \
      --config "$K8S_DIR/overlays/local/kind-config.yaml" --wait 180s
    # Remember that this cluster is ours, so k8s-stop deletes it (and only it).
    kc -n kube-system create configmap "$CREATED_MARKER" --from-literal=createdBy=k8s-start >/dev/null
  fi
  k8s_require_reachable_context
else
  k8s_say "Using the cluster of context $CONTEXT"
fi

# --- Image ---
if [ -n "$KIND_NAME" ]; then
  k8s_say "Loading $IMAGE into kind cluster $KIND_NAME"
  kind load docker-image "$IMAGE" --name "$KIND_NAME"
else
  k8s_note "not a kind context: $IMAGE must already be on the nodes (minikube image load / k3d image import / Docker Desktop shares local images)"
fi

# --- metrics-server (the HPA's CPU figures) ---
if kc get apiservice v1beta1.metrics.k8s.io >/dev/null 2>&1; then
  k8s_say "metrics-server (or another metrics API) is already installed: leaving it as it is"
else
  k8s_say "Installing metrics-server $METRICS_SERVER_VERSION with --kubelet-insecure-tls"
  ms_dir="$(mktemp -d)"
  trap 'rm -rf "$ms_dir"' EXIT
  cp "$K8S_DIR/overlays/local/metrics-server/"*.yaml "$ms_dir/"
  curl -fsSL --retry 3 -o "$ms_dir/components.yaml" \
    "$METRICS_SERVER_MANIFEST_URL" ||
    k8s_die "could not download metrics-server $METRICS_SERVER_VERSION's components.yaml"
  kc apply -k "$ms_dir"
fi
k8s_say "Waiting for the metrics API (the HPA reads pod CPU from it)"
kc wait apiservice v1beta1.metrics.k8s.io --for=condition=Available --timeout=180s ||
  k8s_die "the metrics API is not Available: kubectl --context $CONTEXT -n kube-system logs deploy/metrics-server"

# --- Emissary-ingress: CRDs first (the service's Listener/Host/Mapping need them), then the gateway ---
k8s_install_emissary "$K8S_DIR/addons/emissary-values-kind.yaml" 5m

# --- The service ---
k8s_say "Applying k8s/overlays/local"
kc apply -k "$K8S_DIR/overlays/local"

k8s_say "Checking that the nodes can fit the service's pods"
k8s_check_cpu_room

k8s_say "Waiting for the service's pods"
if ! kc -n "$APP_NAMESPACE" rollout status "deployment/$APP_DEPLOYMENT" --timeout="${K8S_ROLLOUT_TIMEOUT:-300}s"; then
  hint="More: kubectl --context $CONTEXT -n $APP_NAMESPACE describe pods"
  k8s_die "the service did not become ready on context $CONTEXT:
$(k8s_pod_problems)
  $hint"
fi

k8s_say "Waiting for the gateway to route /prime/"
trap 'k8s_stop_port_forward; rm -rf "${ms_dir:-}"' EXIT
k8s_open_gateway
k8s_wait_for_gateway 90

k8s_say "Ready"
k8s_note "gateway:  $K8S_GATEWAY_URL/prime/1000   (kind: always; other contexts: run k8s-test, which port-forwards)"
k8s_note "pods:     kubectl --context $CONTEXT -n $APP_NAMESPACE get pods,hpa"
k8s_note "test:     npm run k8s-test      stop: npm run k8s-stop"
