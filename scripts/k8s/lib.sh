# Shared by scripts/k8s/*.sh (and sourced by the EKS scripts): paths, pinned versions,
# messages, tool checks, and the kubectl/helm wrappers bound to one cluster context.
# Source it; do not run it.

K8S_REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
K8S_DIR="$K8S_REPO_ROOT/k8s"

# shellcheck source=../../k8s/addons/versions.env
source "$K8S_DIR/addons/versions.env"

# Names used across start/test/stop (the kind cluster name is also in the kind config).
KIND_CLUSTER_NAME="${KIND_CLUSTER_NAME:-does-it-scale}"
APP_NAMESPACE=does-it-scale
APP_DEPLOYMENT=does-it-scale
# NodePort of the gateway on kind, published on 127.0.0.1 by k8s/overlays/local/kind-config.yaml.
KIND_GATEWAY_URL="http://127.0.0.1:30080"
# Marks objects this tier installed, so k8s-stop removes only those.
INSTALLED_BY_LABEL="does-it-scale.dev/installed-by=k8s-start"
# A ConfigMap that exists only in a kind cluster k8s-start created (k8s-stop then deletes the cluster).
CREATED_MARKER=does-it-scale-created-by-k8s-start

k8s_say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }
k8s_note() { printf '    %s\n' "$*" >&2; }
k8s_die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# The image the manifests run: does-it-scale:<package.json version> (never :latest).
k8s_app_version() {
  node -p "require('$K8S_REPO_ROOT/package.json').version"
}
k8s_app_image() { echo "does-it-scale:$(k8s_app_version)"; }

# Fails with an install hint for the first missing tool. Call before changing anything.
k8s_require_tools() {
  local tool hint
  for tool in "$@"; do
    command -v "$tool" >/dev/null 2>&1 && continue
    case "$tool" in
      kind) hint="install kind $KIND_VERSION: https://kind.sigs.k8s.io/docs/user/quick-start/#installation" ;;
      kubectl) hint="install kubectl: https://kubernetes.io/docs/tasks/tools/" ;;
      helm) hint="install Helm 3.8+ (OCI charts): https://helm.sh/docs/intro/install/" ;;
      docker) hint="install Docker (kind runs its nodes as containers)" ;;
      curl) hint="install curl (apt-get install curl)" ;;
      node|npm) hint="install Node.js 20 (see README)" ;;
      *) hint="install $tool" ;;
    esac
    k8s_die "'$tool' is not installed: $hint"
  done
}

# Which cluster to use: K8S_CONTEXT if set (any cluster you already have), otherwise the
# kind cluster "$KIND_CLUSTER_NAME" (context kind-$KIND_CLUSTER_NAME).
k8s_context() {
  if [ -n "${K8S_CONTEXT:-}" ]; then echo "$K8S_CONTEXT"; else echo "kind-$KIND_CLUSTER_NAME"; fi
}

# kind cluster name behind a context, or nothing when the context is not kind's.
k8s_kind_cluster_of() {
  case "$1" in kind-*) echo "${1#kind-}" ;; *) echo "" ;; esac
}

kc() { kubectl --context "$(k8s_context)" "$@"; }
hc() { helm --kube-context "$(k8s_context)" "$@"; }

# Fails fast when the context is unknown or its API server does not answer.
k8s_require_reachable_context() {
  local ctx; ctx="$(k8s_context)"
  kubectl config get-contexts "$ctx" >/dev/null 2>&1 ||
    k8s_die "no kubeconfig context named '$ctx'. Set K8S_CONTEXT to one of: $(kubectl config get-contexts -o name 2>/dev/null | tr '\n' ' ')"
  kubectl --context "$ctx" --request-timeout=10s get --raw /readyz >/dev/null 2>&1 ||
    k8s_die "the cluster of context '$ctx' does not answer (is it running? try: kubectl --context $ctx cluster-info)"
}

# The gateway's base URL on this machine. Sets K8S_GATEWAY_URL; may start a port-forward
# (its pid in K8S_PORT_FORWARD_PID, stopped by k8s_stop_port_forward).
K8S_PORT_FORWARD_PID=""
K8S_PORT_FORWARD_LOG=""
k8s_open_gateway() {
  if [ -n "${K8S_GATEWAY_URL:-}" ]; then
    k8s_note "gateway: $K8S_GATEWAY_URL (from K8S_GATEWAY_URL)"
    return
  fi
  if [ -z "${K8S_CONTEXT:-}" ]; then
    K8S_GATEWAY_URL="$KIND_GATEWAY_URL"
    k8s_note "gateway: $K8S_GATEWAY_URL (kind NodePort mapping)"
    return
  fi
  # Any other cluster: forward a local port to the gateway's Service. The gateway still
  # balances over all the service's pods; only the hop to the gateway is a single pod.
  # kubectl takes [LOCAL_PORT:]REMOTE_PORT; the address to listen on is --address.
  # kubectl itself (not a function around it) runs in the background, so $! is its pid.
  local port="${K8S_GATEWAY_LOCAL_PORT:-18080}" i
  K8S_PORT_FORWARD_LOG="$(mktemp)"
  kubectl --context "$(k8s_context)" -n "$EMISSARY_NAMESPACE" port-forward --address 127.0.0.1 \
    "svc/$EMISSARY_RELEASE" "$port:80" >"$K8S_PORT_FORWARD_LOG" 2>&1 &
  K8S_PORT_FORWARD_PID=$!
  # kubectl prints "Forwarding from 127.0.0.1:<port>" once it listens; if it exits first,
  # its own error (bad port, no running pod, refused upgrade...) is what the user needs.
  for ((i = 1; i <= 30; i++)); do
    grep -q '^Forwarding from' "$K8S_PORT_FORWARD_LOG" && break
    k8s_port_forward_alive || k8s_port_forward_failed
    sleep 1
  done
  K8S_GATEWAY_URL="http://127.0.0.1:$port"
  k8s_note "gateway: $K8S_GATEWAY_URL (kubectl port-forward to svc/$EMISSARY_RELEASE, pid $K8S_PORT_FORWARD_PID)"
}

k8s_port_forward_alive() { [ -z "$K8S_PORT_FORWARD_PID" ] || kill -0 "$K8S_PORT_FORWARD_PID" 2>/dev/null; }

# Stops with what kubectl port-forward printed before it exited.
k8s_port_forward_failed() {
  local out; out="$(cat "$K8S_PORT_FORWARD_LOG" 2>/dev/null)"
  wait "$K8S_PORT_FORWARD_PID" 2>/dev/null || true
  K8S_PORT_FORWARD_PID=""
  k8s_die "kubectl port-forward to svc/$EMISSARY_RELEASE in namespace $EMISSARY_NAMESPACE stopped: ${out:-it printed nothing}"
}

k8s_stop_port_forward() {
  if [ -n "$K8S_PORT_FORWARD_PID" ]; then
    kill "$K8S_PORT_FORWARD_PID" 2>/dev/null || true
    wait "$K8S_PORT_FORWARD_PID" 2>/dev/null || true
    K8S_PORT_FORWARD_PID=""
  fi
  [ -z "$K8S_PORT_FORWARD_LOG" ] || rm -f "$K8S_PORT_FORWARD_LOG"
  K8S_PORT_FORWARD_LOG=""
}

# Waits (bounded) until GET $K8S_GATEWAY_URL/prime/1 answers 200 through the gateway.
k8s_wait_for_gateway() {
  local tries="${1:-60}" i code
  for ((i = 1; i <= tries; i++)); do
    code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 5 "$K8S_GATEWAY_URL/prime/1" || true)"
    [ "$code" = "200" ] && return 0
    k8s_port_forward_alive || k8s_port_forward_failed
    sleep 2
  done
  k8s_die "the gateway at $K8S_GATEWAY_URL did not answer GET /prime/1 with 200 (last status: ${code:-none}). Check: kubectl --context $(k8s_context) -n $EMISSARY_NAMESPACE logs deploy/$EMISSARY_RELEASE"
}

# The CPU the service's pods need against what the nodes can still allocate (allocatable
# minus the requests of the pods already on them, outside the service's namespace): HPA
# minReplicas pods plus the extra pods a rolling update starts (maxSurge; with maxUnavailable
# 0 they must run before an old pod stops). Fails with what to do when they do not fit, so
# that k8s-start does not wait for pods that would stay Pending; warns when the HPA's
# maxReplicas do not fit, since the pods it adds would stay Pending. Reads the applied objects.
k8s_check_cpu_room() {
  local min max per surge strategy nodes pods verdict
  min="$(kc -n "$APP_NAMESPACE" get hpa "$APP_DEPLOYMENT" -o jsonpath='{.spec.minReplicas}')"
  max="$(kc -n "$APP_NAMESPACE" get hpa "$APP_DEPLOYMENT" -o jsonpath='{.spec.maxReplicas}')"
  per="$(kc -n "$APP_NAMESPACE" get deployment "$APP_DEPLOYMENT" -o jsonpath='{.spec.template.spec.containers[*].resources.requests.cpu}')"
  strategy="$(kc -n "$APP_NAMESPACE" get deployment "$APP_DEPLOYMENT" -o jsonpath='{.spec.strategy.type}')"
  surge="$(kc -n "$APP_NAMESPACE" get deployment "$APP_DEPLOYMENT" -o jsonpath='{.spec.strategy.rollingUpdate.maxSurge}')"
  nodes="$(kc get nodes -o jsonpath='{range .items[*]}{.status.allocatable.cpu}{"\n"}{end}')"
  pods="$(kc get pods --all-namespaces --field-selector=status.phase!=Succeeded,status.phase!=Failed \
    -o jsonpath='{range .items[*]}{.metadata.namespace}{"|"}{.spec.nodeName}{"|"}{.spec.containers[*].resources.requests.cpu}{"\n"}{end}')"
  verdict="$(CONTEXT="$(k8s_context)" MIN="$min" MAX="$max" PER="$per" STRATEGY="$strategy" SURGE="$surge" NODES="$nodes" PODS="$pods" APP_NS="$APP_NAMESPACE" node -e '
    const cpu = (q) => (q.endsWith("m") ? Number(q.slice(0, -1)) / 1000 : Number(q)) || 0;
    const sum = (text) => text.split(/\s+/).filter(Boolean).reduce((a, q) => a + cpu(q), 0);
    const { MIN, MAX, PER, STRATEGY, SURGE, NODES, PODS, APP_NS } = process.env;
    const round = (x) => Math.round(x * 100) / 100;
    const perPod = sum(PER);
    const pods = Number(MIN || 1);
    const maxPods = Number(MAX || pods);
    // The Deployment controller rounds a percentage up; its default is 25%.
    const surgeOf = (replicas) => {
      if (STRATEGY === "Recreate") return 0;
      const text = SURGE || "25%";
      return text.endsWith("%") ? Math.ceil((Number(text.slice(0, -1)) * replicas) / 100) : Number(text);
    };
    const allocatable = sum(NODES);
    const used = PODS.split("\n").map((line) => line.split("|"))
      .filter(([ns, node]) => ns && ns !== APP_NS && node) // scheduled pods of everything else
      .reduce((a, [, , reqs]) => a + sum(reqs || ""), 0);
    const free = allocatable - used;
    const surge = surgeOf(pods);
    const need = (pods + surge) * perPod;
    if (free + 1e-9 < need) {
      console.log(`fail|its nodes can allocate ${round(allocatable)} CPU and the pods already there request ${round(used)} (control plane, Emissary, metrics-server...), so ${round(free)} is free; the service needs ${pods} pods x ${round(perPod)} CPU (HPA minReplicas x requests.cpu) plus ${surge} x ${round(perPod)} CPU for the extra pod of a rolling update = ${round(need)} CPU`);
      process.exit(0);
    }
    let fit = maxPods;
    while (fit > pods && free + 1e-9 < (fit + surgeOf(fit)) * perPod) fit--;
    if (fit < maxPods) {
      const cpus = Math.ceil(used + (maxPods + surgeOf(maxPods)) * perPod - 1e-9);
      console.log(`warn|the HPA can run only ${fit} of its ${maxPods} pods on context ${process.env.CONTEXT} (${round(perPod)} CPU each, and one more during a rolling update); the rest would stay Pending. A machine with ${cpus} CPUs runs them all.`);
    }
  ')"
  case "$verdict" in
    fail\|*)
      k8s_die "not enough CPU for the service on context $(k8s_context): ${verdict#fail|}. Its pods would stay Pending.
  What to do: give the cluster more CPUs (Docker Desktop: Settings > Resources > CPUs; kind needs 4 for this tier) or use a larger cluster with K8S_CONTEXT=<context>, then run npm run k8s-stop and npm run k8s-start again." ;;
    warn\|*) k8s_note "warning: ${verdict#warn|}" ;;
  esac
}

# Why the service's pods are not ready, one line per pod: "Pending, not scheduled: <the
# scheduler's message>" or the container's waiting reason (ErrImageNeverPull, CrashLoopBackOff...).
k8s_pod_problems() {
  kc -n "$APP_NAMESPACE" get pods -l "app.kubernetes.io/name=$APP_DEPLOYMENT" \
    -o jsonpath='{range .items[*]}{.metadata.name}{"|"}{.status.phase}{"|"}{.status.conditions[?(@.type=="PodScheduled")].status}{"|"}{.status.conditions[?(@.type=="PodScheduled")].message}{"|"}{.status.containerStatuses[*].state.waiting.reason}{"\n"}{end}' |
    while IFS='|' read -r pod phase scheduled message waiting; do
      [ -n "$pod" ] || continue
      if [ "$scheduled" = "False" ]; then
        echo "  $pod: $phase, not scheduled: $message"
      elif [ "$waiting" = "ErrImageNeverPull" ]; then
        echo "  $pod: ErrImageNeverPull: the image is not on the node (kind load docker-image $(k8s_app_image) --name $KIND_CLUSTER_NAME)"
      elif [ -n "$waiting" ]; then
        echo "  $pod: $waiting"
      fi
    done
}

# The pinned metrics-server release's manifest (fetched at run time, never kept in the repo).
METRICS_SERVER_MANIFEST_URL="https://github.com/kubernetes-sigs/metrics-server/releases/download/$METRICS_SERVER_VERSION/components.yaml"

# Installs (or upgrades) Emissary-ingress at EMISSARY_CHART_VERSION: the CRDs chart first
# (v3alpha1 only, no conversion webhook), then the gateway with emissary-values.yaml plus
# the cluster's own values file ($1), waiting up to $2 (Helm duration) for each.
k8s_install_emissary() {
  local cluster_values="$1" timeout="${2:-5m}"
  k8s_say "Installing Emissary-ingress $EMISSARY_CHART_VERSION CRDs"
  hc upgrade --install "$EMISSARY_CRDS_RELEASE" "$EMISSARY_CRDS_CHART" --version "$EMISSARY_CHART_VERSION" \
    --namespace "$EMISSARY_NAMESPACE" --create-namespace \
    --set enableLegacyVersions=false --wait --timeout "$timeout"
  k8s_say "Installing Emissary-ingress $EMISSARY_CHART_VERSION (values: emissary-values.yaml + $(basename "$cluster_values"))"
  hc upgrade --install "$EMISSARY_RELEASE" "$EMISSARY_CHART" --version "$EMISSARY_CHART_VERSION" \
    --namespace "$EMISSARY_NAMESPACE" --create-namespace \
    --values "$K8S_DIR/addons/emissary-values.yaml" \
    --values "$cluster_values" \
    --wait --timeout "$timeout"
}
