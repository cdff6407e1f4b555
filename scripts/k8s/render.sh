#!/usr/bin/env bash
# Prints the manifests of one overlay, ready for `kubectl apply -f -`.
#   scripts/k8s/render.sh local
#   scripts/k8s/render.sh eks --image-registry 123456789012.dkr.ecr.eu-west-1.amazonaws.com
#   scripts/k8s/render.sh local --with monitoring --with keda
# The eks overlay names a placeholder registry; --image-registry replaces it (required for eks).
# --with COMPONENT (repeatable) adds an opt-in Component of k8s/components/ on top of the
# overlay, in the order given: the same as an overlay of your own that lists the overlay under
# `resources:` and the Components under `components:` (docs/kubernetes.md).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

EKS_REGISTRY_PLACEHOLDER="aws-account-id.dkr.ecr.aws-region.amazonaws.com"

overlay="${1:-}"; shift || true
registry=""
components=()
USAGE="usage: render.sh local|eks [--image-registry REGISTRY] [--with COMPONENT]..."
while [ $# -gt 0 ]; do
  case "$1" in
    --image-registry) registry="${2:-}"; shift 2 ;;
    --with)
      [ -n "${2:-}" ] && [ -f "$K8S_DIR/components/${2}/kustomization.yaml" ] \
        || k8s_die "--with needs one of: $(cd "$K8S_DIR/components" && echo *)"
      components+=("$2"); shift 2 ;;
    *) k8s_die "unknown argument '$1' ($USAGE)" ;;
  esac
done
[ -n "$overlay" ] && [ -d "$K8S_DIR/overlays/$overlay" ] || k8s_die "$USAGE"
if [ "$overlay" = eks ]; then
  [ -n "$registry" ] || k8s_die "the eks overlay needs --image-registry <account>.dkr.ecr.<region>.amazonaws.com"
  [[ "$registry" =~ ^[a-z0-9.-]+(:[0-9]+)?(/[a-z0-9._/-]+)?$ ]] || k8s_die "not a registry host: '$registry'"
fi
k8s_require_tools kubectl

dir="$K8S_DIR/overlays/$overlay"
if [ "${#components[@]}" -gt 0 ]; then
  # kustomize accepts only relative paths to other directories: a throwaway overlay that
  # points back into k8s/.
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  {
    echo "apiVersion: kustomize.config.k8s.io/v1beta1"
    echo "kind: Kustomization"
    echo "resources:"
    echo "  - $(realpath --relative-to="$tmp" "$dir")"
    echo "components:"
    for component in "${components[@]}"; do
      echo "  - $(realpath --relative-to="$tmp" "$K8S_DIR/components/$component")"
    done
  } >"$tmp/kustomization.yaml"
  dir="$tmp"
fi

out="$(kubectl kustomize "$dir")"
if [ "$overlay" = eks ]; then
  grep -q "$EKS_REGISTRY_PLACEHOLDER" <<<"$out" || k8s_die "placeholder $EKS_REGISTRY_PLACEHOLDER not found in the eks overlay"
  out="${out//$EKS_REGISTRY_PLACEHOLDER/$registry}"
fi
printf '%s\n' "$out"
