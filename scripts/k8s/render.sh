#!/usr/bin/env bash
# Prints the manifests of one overlay, ready for `kubectl apply -f -`.
#   scripts/k8s/render.sh local
#   scripts/k8s/render.sh eks --image-registry 123456789012.dkr.ecr.eu-west-1.amazonaws.com
# The eks overlay names a placeholder registry; --image-registry replaces it (required for eks).
set -euo pipefail
source "$(dirname "$0")/lib.sh"

EKS_REGISTRY_PLACEHOLDER="aws-account-id.dkr.ecr.aws-region.amazonaws.com"

overlay="${1:-}"; shift || true
registry=""
while [ $# -gt 0 ]; do
  case "$1" in
    --image-registry) registry="${2:-}"; shift 2 ;;
    *) k8s_die "unknown argument '$1' (usage: render.sh local|eks [--image-registry REGISTRY])" ;;
  esac
done
[ -d "$K8S_DIR/overlays/$overlay" ] || k8s_die "usage: render.sh local|eks [--image-registry REGISTRY]"
if [ "$overlay" = eks ]; then
  [ -n "$registry" ] || k8s_die "the eks overlay needs --image-registry <account>.dkr.ecr.<region>.amazonaws.com"
  [[ "$registry" =~ ^[a-z0-9.-]+(:[0-9]+)?(/[a-z0-9._/-]+)?$ ]] || k8s_die "not a registry host: '$registry'"
fi
k8s_require_tools kubectl

if [ "$overlay" = eks ]; then
  out="$(kubectl kustomize "$K8S_DIR/overlays/eks")"
  grep -q "$EKS_REGISTRY_PLACEHOLDER" <<<"$out" || k8s_die "placeholder $EKS_REGISTRY_PLACEHOLDER not found in the eks overlay"
  printf '%s\n' "${out//$EKS_REGISTRY_PLACEHOLDER/$registry}"
else
  kubectl kustomize "$K8S_DIR/overlays/$overlay"
fi
