#!/usr/bin/env bash
# npm run k8s-stop: removes what k8s-start installed, in reverse order of dependence:
#   the service (its Mapping/Host/Listener go while Emissary still runs to process them)
#   -> the Emissary gateway -> Emissary's CRDs -> metrics-server (only if k8s-start installed it)
#   -> the kind cluster (only if k8s-start created it; a K8S_CONTEXT cluster is never deleted).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

CONTEXT="$(k8s_context)"
k8s_require_tools kubectl helm
if [ -z "${K8S_CONTEXT:-}" ]; then
  k8s_require_tools kind
  if ! kind get clusters 2>/dev/null | grep -qx "$KIND_CLUSTER_NAME"; then
    k8s_say "No kind cluster named $KIND_CLUSTER_NAME: nothing to stop"
    exit 0
  fi
fi
k8s_require_reachable_context

# Read before anything is deleted: was this cluster created by k8s-start?
created_by_us=false
if [ -z "${K8S_CONTEXT:-}" ] && kc -n kube-system get configmap "$CREATED_MARKER" >/dev/null 2>&1; then
  created_by_us=true
fi

k8s_say "1/5 Removing the service (k8s/overlays/local)"
kc delete -k "$K8S_DIR/overlays/local" --ignore-not-found --wait --timeout=120s

k8s_say "2/5 Removing the Emissary gateway"
if hc status "$EMISSARY_RELEASE" -n "$EMISSARY_NAMESPACE" >/dev/null 2>&1; then
  hc uninstall "$EMISSARY_RELEASE" -n "$EMISSARY_NAMESPACE" --wait --timeout 5m
else
  k8s_note "release $EMISSARY_RELEASE not installed"
fi

k8s_say "3/5 Removing Emissary's CRDs (this deletes every getambassador.io object left in the cluster)"
if hc status "$EMISSARY_CRDS_RELEASE" -n "$EMISSARY_NAMESPACE" >/dev/null 2>&1; then
  hc uninstall "$EMISSARY_CRDS_RELEASE" -n "$EMISSARY_NAMESPACE" --wait --timeout 5m
else
  k8s_note "release $EMISSARY_CRDS_RELEASE not installed"
fi
left="$(kc get crd -o name 2>/dev/null | grep -c 'getambassador\.io' || true)"
# Chart 4.1.0 ships its CRDs as templates without a helm.sh/resource-policy: keep, so the
# uninstall above deletes them. Any that remain were installed by something else (another
# Emissary, or kubectl apply): they are not ours to delete.
[ "$left" = "0" ] || k8s_note "$left getambassador.io CRDs remain that the $EMISSARY_CRDS_RELEASE release did not install (another Emissary on this cluster?): left as they are. See: kubectl --context $CONTEXT get crd | grep getambassador.io"
kc delete namespace "$EMISSARY_NAMESPACE" --ignore-not-found --wait --timeout=120s

k8s_say "4/5 Removing metrics-server if k8s-start installed it"
kc delete deployment,service,serviceaccount,clusterrole,clusterrolebinding,rolebinding,apiservice \
  --all-namespaces -l "$INSTALLED_BY_LABEL" --ignore-not-found --wait --timeout=120s

if [ "$created_by_us" = true ]; then
  k8s_say "5/5 Deleting kind cluster $KIND_CLUSTER_NAME (created by k8s-start)"
  kind delete cluster --name "$KIND_CLUSTER_NAME"
else
  k8s_say "5/5 Keeping the cluster of context $CONTEXT (k8s-start did not create it)"
fi
