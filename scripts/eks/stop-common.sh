#!/usr/bin/env bash
# npm run eks-stop-common: removes cluster-autoscaler and the Emissary gateway (and with it the
# AWS load balancer: this must happen BEFORE the cluster is deleted, or the load balancer
# keeps being billed and blocks the VPC's deletion). metrics-server is an EKS add-on
# (eks/cluster-managed.yml): it is left alone here and deleted with the cluster.
source "$(dirname "$0")/lib.sh"

eks_require_tools node kubectl helm
eks_load_settings
eks_require_reachable_cluster

k8s_say "1/3 cluster-autoscaler"
eks_uninstall_release "$EKS_AUTOSCALER_RELEASE" "$EKS_AUTOSCALER_NAMESPACE"

k8s_say "2/3 Emissary gateway (its Service's AWS load balancer is deleted with it)"
eks_uninstall_release "$EMISSARY_RELEASE" "$EMISSARY_NAMESPACE"
k8s_say "3/3 Emissary CRDs"
eks_uninstall_release "$EMISSARY_CRDS_RELEASE" "$EMISSARY_NAMESPACE"
kc delete namespace "$EMISSARY_NAMESPACE" --ignore-not-found --wait --timeout=300s

k8s_note "metrics-server stays: it is an EKS add-on, deleted with the cluster by npm run eks-stop-cluster"
left="$(kc get svc --all-namespaces -o jsonpath='{range .items[?(@.spec.type=="LoadBalancer")]}{.metadata.namespace}/{.metadata.name} {end}')"
[ -z "$left" ] || k8s_note "warning: Services of type LoadBalancer remain (each is an AWS load balancer): $left"
k8s_note "next: npm run eks-stop-cluster"
