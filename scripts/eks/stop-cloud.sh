#!/usr/bin/env bash
# npm run eks-stop-cloud: removes the service (its namespace, with the Deployment, HPA,
# Service and Emissary routes). The cluster, gateway and autoscaler stay.
source "$(dirname "$0")/lib.sh"

eks_require_tools node kubectl
eks_load_settings
eks_require_reachable_cluster

k8s_say "Deleting namespace $APP_NAMESPACE (the service and its routes)"
kc delete namespace "$APP_NAMESPACE" --ignore-not-found --wait --timeout=300s
k8s_note "cluster-autoscaler removes the extra nodes after scale-down-unneeded-time (eks/cluster-autoscaler-values.yaml)"
k8s_note "next: npm run eks-stop-common"
