#!/usr/bin/env bash
# npm run eks-stop-common: removes cluster-autoscaler and the Emissary gateway (and with it the
# AWS load balancer: this must happen BEFORE the cluster is deleted, or the load balancer
# keeps being billed and blocks the VPC's deletion). metrics-server is an EKS add-on
# (eks/cluster-managed.yml): it is left alone here and deleted with the cluster.
source "$(dirname "$0")/lib.sh"

eks_require_tools node kubectl helm
eks_load_settings
eks_require_reachable_cluster

uninstall() { # release namespace
  if hc status "$1" -n "$2" >/dev/null 2>&1; then
    hc uninstall "$1" -n "$2" --wait --timeout 10m
  else
    k8s_note "release $1 not installed"
  fi
}

k8s_say "1/3 cluster-autoscaler"
uninstall "$EKS_AUTOSCALER_RELEASE" "$EKS_AUTOSCALER_NAMESPACE"

k8s_say "2/3 Emissary gateway (its Service's AWS load balancer is deleted with it)"
uninstall "$EMISSARY_RELEASE" "$EMISSARY_NAMESPACE"
k8s_say "3/3 Emissary CRDs"
uninstall "$EMISSARY_CRDS_RELEASE" "$EMISSARY_NAMESPACE"
kc delete namespace "$EMISSARY_NAMESPACE" --ignore-not-found --wait --timeout=300s

k8s_note "metrics-server stays: it is an EKS add-on, deleted with the cluster by npm run eks-stop-cluster"
left="$(kc get svc --all-namespaces -o jsonpath='{range .items[?(@.spec.type=="LoadBalancer")]}{.metadata.namespace}/{.metadata.name} {end}')"
[ -z "$left" ] || k8s_note "warning: Services of type LoadBalancer remain (each is an AWS load balancer): $left"
k8s_note "next: npm run eks-stop-cluster"
