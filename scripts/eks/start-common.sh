#!/usr/bin/env bash
# npm run eks-start-common: the cluster-wide pieces the service needs on EKS, in order:
#   1. checks that the metrics API is Available: metrics-server (the HPA's CPU figures) is an
#      EKS add-on that eksctl installed with the cluster (eks/cluster-managed.yml); this script
#      never installs or deletes its objects;
#   2. Emissary-ingress (CRDs, then the gateway; on EKS its Service gets an AWS Network
#      Load Balancer, which is billed);
#   3. cluster-autoscaler (official Helm chart, pinned in k8s/addons/versions.env, values in
#      eks/cluster-autoscaler-values.yaml; its AWS role comes from the Pod Identity association).
# Versions and names come from k8s/addons/versions.env and eks/cluster-managed.yml.
source "$(dirname "$0")/lib.sh"

eks_require_tools node kubectl helm
eks_load_settings
# Refuse to install when the autoscaler values, tags or IAM policy disagree with the cluster config.
eks_require_consistent_files
eks_require_reachable_cluster

k8s_say "1/3 metrics-server (EKS add-on): waiting for the metrics API"
kc wait apiservice v1beta1.metrics.k8s.io --for=condition=Available --timeout=180s ||
  k8s_die "the metrics API is not Available. metrics-server is the EKS add-on declared in $EKS_CLUSTER_CONFIG: see its status with 'eksctl get addon --cluster $EKS_CLUSTER_NAME --region $EKS_REGION --name metrics-server', and create it if missing with 'eksctl create addon --cluster $EKS_CLUSTER_NAME --region $EKS_REGION --name metrics-server --wait'"

k8s_say "2/3 Emissary-ingress $EMISSARY_CHART_VERSION (CRDs, then the gateway behind an AWS load balancer)"
# One Emissary install for every cluster (scripts/k8s/lib.sh); EKS adds its load balancer values.
k8s_install_emissary "$EKS_EMISSARY_VALUES" 10m

k8s_say "3/3 cluster-autoscaler $CLUSTER_AUTOSCALER_VERSION (chart $CLUSTER_AUTOSCALER_CHART_VERSION)"
eks_install_autoscaler

k8s_say "Checking that cluster-autoscaler found the node groups"
# It lists the groups it manages in its status ConfigMap (managed node group ASGs are named
# eks-<node group>-<id>); AccessDenied in its log means the Pod Identity role is missing.
found=""
for _ in $(seq 1 24); do
  status="$(kc -n "$EKS_AUTOSCALER_NAMESPACE" get configmap cluster-autoscaler-status -o jsonpath='{.data.status}' 2>/dev/null || true)"
  found=yes
  for group in $EKS_NODEGROUPS; do
    grep -q "eks-$group-" <<<"$status" || found=""
  done
  [ -n "$found" ] && break
  sleep 5
done
if [ -n "$found" ]; then
  k8s_note "cluster-autoscaler manages node group(s): $EKS_NODEGROUPS"
else
  if kc -n "$EKS_AUTOSCALER_NAMESPACE" logs "deploy/$EKS_AUTOSCALER_RELEASE" --tail=400 2>/dev/null | grep -q AccessDenied; then
    k8s_note "warning: cluster-autoscaler gets AccessDenied from AWS: check its role with npm run eks-iam-get-role"
  fi
  k8s_note "warning: cluster-autoscaler does not list node group(s) $EKS_NODEGROUPS yet; look at:"
  k8s_note "  kubectl --context $EKS_CONTEXT -n $EKS_AUTOSCALER_NAMESPACE get configmap cluster-autoscaler-status -o yaml"
  k8s_note "  kubectl --context $EKS_CONTEXT -n $EKS_AUTOSCALER_NAMESPACE logs deploy/$EKS_AUTOSCALER_RELEASE"
fi

k8s_say "Ready: metrics-server, Emissary and cluster-autoscaler run on $EKS_CONTEXT"
k8s_note "next: npm run eks-start-cloud (needs the image in ECR: npm run ecr-login, docker-build, docker-push)"
